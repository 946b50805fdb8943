"""Tag inputs for review in the app: merge a clarinb entry into their metadata through PatchInputs.

The one write clarinb makes to a user's inputs, so it is explicit and
previewed: :func:`tag_inputs` is a dry run unless told otherwise, and shows
what each input's tag is and would become.  The tag lives under the
``clarinb`` key of the input's metadata (``{"clarinb": {"review":
"suspected-label-error"}}``); the rest of the metadata is left as it is, and
other keys under ``clarinb`` are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from clarinb import _validate, frames
from clarinb.errors import ApiError, InvalidArgumentError

__all__ = ["METADATA_KEY", "REVIEW_VALUE", "tag_inputs"]

#: The metadata key clarinb writes under.
METADATA_KEY = "clarinb"

#: The default tag: an input whose label is suspected wrong.
REVIEW_VALUE = "suspected-label-error"

#: Inputs per ListInputs or PatchInputs request.
_BATCH = 100


def _input_ids(value: Any) -> list[str]:
    if isinstance(value, pd.DataFrame):
        if "input_id" not in value:
            raise InvalidArgumentError(
                "input_ids as a frame needs an input_id column (as clarinb.metrics.label_issues "
                "gives it)."
            )
        value = value["input_id"]
    if isinstance(value, pd.Series | pd.Index):
        value = [str(v) for v in value]
    hint = 'pass a list of input ids, such as ["img-0003"]'
    ids = _validate.strings(value, "input_ids", hint=hint)
    _validate.non_empty(ids, "input_ids", hint=hint)
    if not all(ids):
        raise InvalidArgumentError(f"input_ids holds an empty id; {hint}.")
    return list(dict.fromkeys(ids))


def _current(client: Any, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Each existing input's ``clarinb`` metadata entry, by id."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), _BATCH):
        chunk = list(ids[start : start + _BATCH])
        items = list(client.paginate("V2_ListInputs2", query={"ids": chunk}))
        table = frames.inputs(items)
        for input_id, meta in zip(table["id"], table["metadata"], strict=True):
            entry = meta.get(METADATA_KEY)
            found[input_id] = dict(entry) if isinstance(entry, dict) else {}
    return found


def tag_inputs(
    client: Any,
    input_ids: Any,
    *,
    value: str = REVIEW_VALUE,
    key: str = "review",
    dry_run: bool = True,
) -> pd.DataFrame:
    """Preview (by default) or apply a review tag in the metadata of some inputs.

    Parameters
    ----------
    client : clarinb.Client
        The connection to the app holding the inputs.
    input_ids : list of str, pandas.Series or pandas.DataFrame
        The inputs; a frame gives its ``input_id`` column (the output of
        :func:`clarinb.metrics.label_issues`, for example).  Repeated ids
        count once.
    value : str
        The tag, written as ``metadata["clarinb"][key]``.
    key : str
        The key under ``metadata["clarinb"]``.
    dry_run : bool
        ``True`` (the default) only reads the inputs and returns what would
        change; ``False`` writes the tag with a PatchInputs ``merge`` of the
        inputs whose tag differs.

    Returns
    -------
    pandas.DataFrame
        One row per input, in the order given: ``input_id``, ``current``
        (its tag now, None when it has none), ``new`` (``value``),
        ``changes`` (whether the tag differs) and ``applied`` (whether this
        call wrote it: always False in a dry run).

    Raises
    ------
    InvalidArgumentError
        For bad arguments, or ids of inputs the app does not have (nothing is
        written then).
    ApiError
        When the service refuses the patch of some inputs; the message names
        them, and the others may have been tagged.

    Examples
    --------
    >>> tag_inputs(client, ["img-0003"])  # doctest: +SKIP
      input_id current                    new  changes  applied
    0 img-0003    None  suspected-label-error     True    False
    """
    client = _validate.client(client, needs=("call", "paginate"))
    ids = _input_ids(input_ids)
    value = _validate.string(value, "value", hint='such as "suspected-label-error"')
    key = _validate.string(key, "key", hint='such as "review"')
    if not isinstance(dry_run, bool):
        raise InvalidArgumentError(f"dry_run must be True or False, not {dry_run!r}.")
    current = _current(client, ids)
    missing = [i for i in ids if i not in current]
    if missing:
        shown = ", ".join(repr(i) for i in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise InvalidArgumentError(
            f"the app has no input {shown}{more}; nothing was tagged. Check the ids "
            "(client.inputs() lists the app's inputs)."
        )
    before = [current[i].get(key) for i in ids]
    frame = pd.DataFrame(
        {
            "input_id": ids,
            "current": pd.Series(before, dtype=object),
            "new": value,
            "changes": [b != value for b in before],
            "applied": False,
        }
    )
    if dry_run:
        return frame
    todo = [i for i, change in zip(ids, frame["changes"], strict=True) if change]
    for start in range(0, len(todo), _BATCH):
        chunk = todo[start : start + _BATCH]
        body = {
            "action": "merge",
            "inputs": [
                {"id": i, "data": {"metadata": {METADATA_KEY: {**current[i], key: value}}}}
                for i in chunk
            ],
        }
        _check_items(client.call("V2_PatchInputs2", body=body), chunk)
        frame.loc[frame["input_id"].isin(chunk), "applied"] = True
    return frame


def _check_items(reply: dict[str, Any], sent: list[str]) -> None:
    """Raise when a MIXED_STATUS reply says some inputs were not patched."""
    code = int((reply.get("status") or {}).get("code") or 10000)
    if code == 10000:
        return
    failed = [
        str(item.get("id"))
        for item in reply.get("inputs") or []
        if int((item.get("status") or {}).get("code") or 10000) != 10000
    ] or sent
    raise ApiError(
        http_status=200,
        code=code,
        description=f"the service did not tag the inputs {failed[:5]}",
        details="the other inputs of the batch were tagged",
        response=reply,
    )
