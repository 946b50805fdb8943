"""The one set of argument checks: each returns the clean value or raises ``InvalidArgumentError``.

Every message names the argument, shows what it got (shortened) and says
what it should be, and how to get there when a hint is given::

    top_n must be a positive int or None, not -1.
    the test set must be a pandas DataFrame, not list; build it with clarinb.frames.test_set().

Views, explorers and the metrics call these instead of writing their own.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from clarinb._columns import has_missing
from clarinb.errors import InvalidArgumentError

__all__ = [
    "choice",
    "client",
    "count_matrix",
    "finite_columns",
    "frame",
    "function",
    "ids",
    "known",
    "known_keys",
    "mapping",
    "non_empty",
    "non_negative",
    "number",
    "positive_int",
    "probability",
    "shown",
    "string",
    "strings",
    "text",
    "evaluation_test_set",
    "unique_labels",
]

_T = TypeVar("_T")
_SHOWN = 60
_STR_TYPES = frozenset({str})


def shown(value: Any) -> str:
    """Describe a value shortly and safely for an error message."""
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray):
        return f"a {type(value).__name__} of shape {getattr(value, 'shape', '?')}"
    try:
        text = repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"a {type(value).__name__}"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _fail(name: str, what: str, value: Any, hint: str = "") -> InvalidArgumentError:
    tail = f"; {hint}" if hint else ""
    return InvalidArgumentError(f"{name} must be {what}, not {shown(value)}{tail}.")


def string(value: Any, name: str, *, hint: str = "") -> str:
    """Check for a non-empty string (an id, a label).

    Examples
    --------
    >>> string("ev-1", "evaluation_id")
    'ev-1'
    """
    if not isinstance(value, str) or not value:
        raise _fail(name, "a non-empty string", value, hint)
    return value


def strings(value: Any, name: str, *, hint: str = "") -> list[str]:
    """Check for a list or tuple of strings (a string alone is one id, not a list)."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | set | frozenset):
        raise _fail(name, "a list of strings", value, hint)
    items = list(value)
    for item in items:
        if not isinstance(item, str):
            raise _fail(f"every item of {name}", "a string", item, hint)
    return items


def number(
    value: Any,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    hint: str = "",
) -> float:
    """Check for a finite real number (not a bool), optionally within ``[lo, hi]``."""
    where = "a finite number"
    if lo is not None and hi is not None:
        where = f"a number from {lo:g} to {hi:g}"
    elif lo is not None:
        where = f"a number >= {lo:g}"
    elif hi is not None:
        where = f"a number <= {hi:g}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _fail(name, where, value, hint)
    try:
        result = float(value)
    except (OverflowError, TypeError, ValueError):
        raise _fail(name, where, value, hint) from None
    if not math.isfinite(result):
        raise _fail(name, where, value, hint)
    if (lo is not None and result < lo) or (hi is not None and result > hi):
        raise _fail(name, where, value, hint)
    return result


def probability(value: Any, name: str = "threshold", *, hint: str = "") -> float:
    """Check for a number in [0, 1] (a score threshold, a rate)."""
    return number(value, name, lo=0.0, hi=1.0, hint=hint)


def non_negative(value: Any, name: str, *, hint: str = "") -> float:
    """Check for a finite number >= 0 (seconds, a count)."""
    return number(value, name, lo=0.0, hint=hint)


def integer(value: Any, name: str, *, lo: int = 0, hint: str = "") -> int:
    """Check for an int >= ``lo`` (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < lo:
        what = {0: "a non-negative integer", 1: "a positive integer"}.get(lo, f"an integer >= {lo}")
        raise _fail(name, what, value, hint)
    return int(value)


def positive_int(value: Any, name: str, *, or_none: bool = False, hint: str = "") -> Any:
    """Check for an int >= 1 (not a bool); ``None`` too when ``or_none``."""
    if value is None and or_none:
        return None
    try:
        return integer(value, name, lo=1, hint=hint)
    except InvalidArgumentError:
        if or_none:
            raise _fail(name, "a positive integer or None", value, hint) from None
        raise


def choice(value: Any, name: str, choices: Collection[_T], *, hint: str = "") -> _T:
    """One of ``choices`` (compared with ``==``; unhashable values are refused, not raised on)."""
    try:
        found = value in choices
    except TypeError:
        found = False
    if not found or (isinstance(value, bool) and not any(c is value for c in choices)):
        raise _fail(name, f"one of {list(choices)}", value, hint)
    return value


def mapping(value: Any, name: str, *, or_none: bool = True, hint: str = "") -> dict[Any, Any]:
    """Check for a mapping and copy it into a dict; ``None`` gives ``{}`` when ``or_none``."""
    if value is None and or_none:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(name, "a mapping (dict)", value, hint)
    return dict(value)


def non_empty(value: Any, name: str, *, hint: str = "") -> Any:
    """Check for a sized, non-empty value (a frame with rows, a list with items)."""
    try:
        empty = len(value) == 0
    except TypeError:
        raise _fail(name, "a non-empty collection", value, hint) from None
    if empty:
        raise InvalidArgumentError(f"{name} is empty{f'; {hint}' if hint else ''}.")
    return value


def frame(
    value: Any,
    name: str,
    *,
    columns: Iterable[str] = (),
    numeric: Iterable[str] = (),
    hint: str = "",
) -> pd.DataFrame:
    """Check for a pandas DataFrame with the ``columns`` and the ``numeric`` ones.

    Numeric columns must hold numbers (bools count); their values may still be
    NaN or infinite: see :func:`finite_columns`.  Duplicated column names are
    refused, since a column would then read as a frame.
    """
    if not isinstance(value, pd.DataFrame):
        raise _fail(name, "a pandas DataFrame", value, hint)
    if not value.columns.is_unique:
        dupes = sorted({str(c) for c in value.columns[value.columns.duplicated()]})
        raise InvalidArgumentError(
            f"{name} has duplicated columns {dupes}{f'; {hint}' if hint else ''}."
        )
    wanted = list(dict.fromkeys([*columns, *numeric]))
    missing = [c for c in wanted if c not in value.columns]
    if missing:
        raise InvalidArgumentError(
            f"{name} lacks columns {missing} (it has {[str(c) for c in value.columns][:12]})"
            f"{f'; {hint}' if hint else ''}."
        )
    for column in numeric:
        dtype = value[column].dtype
        numeric_dtype = pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        if not numeric_dtype and not _all_numbers(value[column]):
            raise InvalidArgumentError(
                f"{name}'s column {column!r} must hold numbers, not {dtype} values"
                f"{f'; {hint}' if hint else ''}."
            )
    return value


def _all_numbers(series: pd.Series) -> bool:
    """Whether an object column holds only real numbers (or missing values)."""
    return all(
        v is None or (isinstance(v, numbers.Real) and not isinstance(v, bool)) for v in series
    )


def finite_columns(
    value: pd.DataFrame, name: str, columns: Iterable[str], *, hint: str = ""
) -> None:
    """Refuse infinite values (and numbers past float range) in numeric columns; NaN is allowed."""
    for column in columns:
        if column not in value.columns:
            continue
        native = value[column].dtype
        if isinstance(native, np.dtype) and native.kind in "iub":
            continue  # integers and bools are finite
        if isinstance(native, np.dtype) and native.kind == "f":
            data = value[column].to_numpy()  # the column's own array: no copy
        else:
            try:
                data = pd.to_numeric(value[column], errors="raise").to_numpy()
                if data.dtype.kind not in "fiub":
                    data = data.astype(np.float64)
            except (TypeError, ValueError, OverflowError):
                raise InvalidArgumentError(
                    f"{name}'s column {column!r} must hold numbers{f'; {hint}' if hint else ''}."
                ) from None
        if _any_infinite(data):
            raise InvalidArgumentError(
                f"{name}'s column {column!r} holds infinite values; use finite numbers "
                f"(NaN for not applicable){f'; {hint}' if hint else ''}."
            )


def _any_infinite(data: np.ndarray) -> bool:
    """Whether a numeric array holds an infinity, read a block at a time (no full-size mask)."""
    if data.dtype.kind != "f":
        return False
    step = 1 << 20
    return any(np.isinf(data[i : i + step]).any() for i in range(0, len(data), step))


def unique_labels(labels: Iterable[Hashable], name: str, *, hint: str = "") -> None:
    """Refuse duplicated labels (matrix rows, concept ids, evaluation labels)."""
    seen: set[Any] = set()
    dupes: list[str] = []
    for label in labels:
        try:
            if label in seen:
                dupes.append(str(label))
            seen.add(label)
        except TypeError:
            raise InvalidArgumentError(
                f"{name} must be strings or numbers, not {shown(label)}"
                f"{f'; {hint}' if hint else ''}."
            ) from None
    if dupes:
        raise InvalidArgumentError(
            f"{name} must be unique; duplicated: {sorted(set(dupes))[:10]}"
            f"{f'; {hint}' if hint else ''}."
        )


def count_matrix(
    value: Any, name: str, *, square: bool = False, hint: str = "", as_float: bool = True
) -> pd.DataFrame:
    """Check for a frame of finite numbers >= 0 with unique row and column labels.

    Labels are compared as strings (``1`` and ``"1"`` are the same concept).
    With ``square``, there must be as many rows as columns.  Returns the
    matrix with float values; without ``as_float``, a frame of one integer
    type is returned as it is (a 5,000 x 5,000 matrix is not copied).
    """
    m = frame(value, name, hint=hint)
    rows, cols = m.shape
    if square and rows != cols:
        raise InvalidArgumentError(
            f"{name} must be square (one row and one column per concept), not {rows} x {cols}"
            f"{f'; {hint}' if hint else ''}."
        )
    for axis, labels in (("row", m.index), ("column", m.columns)):
        ids(pd.Series(labels, dtype=object), f"every {axis} label of {name}", hint=hint)
        unique_labels(map(str, labels), f"{name}'s {axis} labels", hint=hint)
    kinds = {dtype.kind for dtype in m.dtypes}
    if not as_float and len(m.columns) and kinds <= {"i", "u"} and len(set(m.dtypes)) == 1:
        if kinds == {"i"} and (m.to_numpy() < 0).any():
            raise InvalidArgumentError(
                f"{name} must hold finite numbers >= 0 (counts or rates)"
                f"{f'; {hint}' if hint else ''}."
            )
        return m
    try:
        values = m.to_numpy(dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise InvalidArgumentError(
            f"{name} must hold numbers only{f'; {hint}' if hint else ''}."
        ) from None
    if not np.isfinite(values).all() or (values < 0).any():
        raise InvalidArgumentError(
            f"{name} must hold finite numbers >= 0 (counts or rates){f'; {hint}' if hint else ''}."
        )
    return pd.DataFrame(values, index=m.index, columns=m.columns)


def client(value: Any, name: str = "client", *, needs: Iterable[str] = ("call",)) -> Any:
    """Check for a client: an object with the ``needs`` methods, as ``clarinb.Client``."""
    missing = [m for m in needs if not callable(getattr(value, m, None))]
    if missing:
        methods = ", ".join(f"{m}()" for m in needs)
        raise _fail(
            name,
            f"a clarinb.Client (with {methods})",
            value,
            "get one with clarinb.connect() or clarinb.Client()",
        )
    return value


#: Columns of a test-set frame, as :func:`clarinb.frames.test_set` returns it.
TEST_SET_COLUMNS = ("input_id", "concept_id", "score", "ground_truth")


def evaluation_test_set(value: Any, name: str = "the test set") -> pd.DataFrame:
    """Check for a non-empty test-set frame: its four columns, numeric finite scores, labels.

    Scores may be NaN (not scored) but not infinite; ids must be strings or
    numbers (not lists or dicts).
    """
    hint = "build it with clarinb.frames.test_set()"
    ts = frame(value, name, columns=TEST_SET_COLUMNS, numeric=("score",), hint=hint)
    if ts.empty:
        raise InvalidArgumentError(
            f"{name} is empty: there are no inputs to compute metrics from; "
            "fetch the evaluation with its test set (fields.testSet=true)."
        )
    finite_columns(ts, name, ["score"], hint=hint)
    for column in ("input_id", "concept_id"):
        ids(ts[column], f"every {column} of {name}", hint=hint)
    return ts


def test_set_or_matrix(value: Any, name: str = "the test set") -> Any:  # noqa: PT028
    """Check for a test set: a non-empty :class:`clarinb.metrics.TestSetMatrix`, or a frame.

    A frame is checked with :func:`evaluation_test_set`; a matrix needs at
    least one input and one concept.
    """
    from clarinb.metrics.matrix import TestSetMatrix  # noqa: PLC0415 - metrics import this module

    if not isinstance(value, TestSetMatrix):
        return evaluation_test_set(value, name)
    if not value.n_inputs or not value.n_concepts:
        raise InvalidArgumentError(
            f"{name} is empty ({value!r}): there are no inputs to compute metrics from; "
            "fetch the evaluation with its test set (fields.testSet=true)."
        )
    return value


def ids(values: pd.Series, name: str, *, hint: str = "") -> None:
    """Refuse ids that are not strings or finite numbers (None, NaN, lists, dicts, bools)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        if has_missing(values):
            raise _fail(name, "a string", None, hint)
        values = pd.Series(values.cat.categories)
    if _STR_TYPES.issuperset(map(type, values)):
        return
    for item in values:
        if isinstance(item, str):
            continue
        if (
            isinstance(item, bool)
            or not isinstance(item, numbers.Real)
            or not math.isfinite(float(item))
        ):
            raise _fail(name, "a string", item, hint)


def function(value: Any, name: str, *, takes: str, or_none: bool = True) -> Any:
    """Check for a callable (``takes`` describes it, e.g. ``"input_id -> bytes"``), or None."""
    if value is None and or_none:
        return None
    if not callable(value):
        raise _fail(name, f"a function {takes}" + (" or None" if or_none else ""), value)
    return value


def flag(value: Any, name: str) -> bool:
    """Check for ``True`` or ``False`` (a toggle; not 0, 1 or a string).

    Examples
    --------
    >>> flag(True, "log_color")
    True
    """
    if not isinstance(value, bool):
        raise _fail(name, "True or False", value)
    return value


def text(value: Any, name: str, *, or_none: bool = False) -> Any:
    """Check for a string, empty allowed (a title, a search); ``None`` too when ``or_none``."""
    if value is None and or_none:
        return None
    if not isinstance(value, str):
        raise _fail(name, "a string" + (" or None" if or_none else ""), value)
    return value


def known(value: Any, name: str, known: Collection[Any], *, where: str, hint: str = "") -> Any:
    """Check that ``value`` is one of ``known``, a long collection of ids not listed in the message.

    Examples
    --------
    >>> known("cat", "concept", {"cat", "dog"}, where="the test set")
    'cat'
    """
    try:
        found = value in known
    except TypeError:
        found = False
    if not found:
        tail = f"; {hint}" if hint else ""
        raise InvalidArgumentError(f"Unknown {name} {shown(value)}: not in {where}{tail}.")
    return value


def known_keys(
    changes: Mapping[str, Any], allowed: Collection[str], what: str = "settings"
) -> None:
    """Refuse keyword arguments outside ``allowed`` (a view's ``set(**changes)``)."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise InvalidArgumentError(f"unknown {what} {unknown}; known: {sorted(allowed)}.")
