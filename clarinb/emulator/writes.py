"""Write semantics shared by the handlers: PATCH actions and batches with MIXED_STATUS."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from clarinb.emulator.dispatch import Reply
from clarinb.emulator.errors import ServiceError, bad_request
from clarinb.emulator.store import Item, Table
from clarinb.emulator.wire import status, timestamp

__all__ = ["ACTIONS", "apply_patch", "batch", "check_action", "ids_of", "items_of", "patch_batch"]

ACTIONS = ("merge", "overwrite", "remove")
MIXED_STATUS = 10010
#: List keys of resources that have a ``status`` of their own.
WITH_STATUS = frozenset({"inputs", "dataset_versions", "label_orders", "eval_metrics"})


def items_of(body: dict[str, Any], key: str, *, required: bool = True) -> list[Item]:
    """Return the list of resources under ``key`` in a request body; HTTP 400 if missing."""
    items = body.get(key)
    if items is None and not required:
        return []
    if not isinstance(items, list) or not items or not all(isinstance(i, dict) for i in items):
        raise bad_request(f"the body needs a non-empty list of objects under {key!r}")
    return items


def ids_of(body: dict[str, Any], key: str = "ids") -> list[str]:
    """Return a non-empty list of id strings from a request body; HTTP 400 if missing."""
    ids = body.get(key)
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise bad_request(f"the body needs a non-empty list of ids under {key!r}")
    return ids


def batch(items: Iterable[Any], apply: Callable[[Any], Item | None], key: str | None) -> Reply:
    """Apply ``apply`` to each item; success, MIXED_STATUS (HTTP 207) or the first error.

    When every item fails the first failure is the answer.  When some fail,
    the ones that succeeded stay applied; resources that carry a status
    (inputs, dataset versions, label orders, evaluations) are listed in the
    order sent, a failed one as its id with its own error status, and the
    reply's ``status.details`` names every failure.
    """
    shown: list[Item] = []
    failures: list[ServiceError] = []
    succeeded = 0
    for item in items:
        try:
            result = apply(item)
        except ServiceError as exc:
            failures.append(exc)
            if key in WITH_STATUS and isinstance(item, dict) and item.get("id"):
                extra = {"details": exc.details} if exc.details else {}
                shown.append(
                    {"id": item["id"], "status": status(exc.code, exc.description, **extra)}
                )
            continue
        succeeded += 1
        if result is not None:
            shown.append(result)
    if failures and not succeeded:
        raise failures[0]
    body = {key: shown} if key else {}
    if failures:
        details = "; ".join(f.details or f.description for f in failures)
        return Reply(body, 207, MIXED_STATUS, details=details)
    return Reply(body)


def _remove(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        if key == "id" or key not in target:
            continue
        current = target[key]
        if isinstance(value, dict) and isinstance(current, dict) and value:
            _remove(current, value)
        elif isinstance(value, list) and isinstance(current, list):
            gone = {v.get("id") if isinstance(v, dict) else v for v in value}
            target[key] = [
                c for c in current if (c.get("id") if isinstance(c, dict) else c) not in gone
            ]
        else:
            del target[key]


def _merge(target: dict[str, Any], changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        current = target.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            _merge(current, value)
        elif isinstance(value, list) and isinstance(current, list):
            by_id = {c["id"]: c for c in current if isinstance(c, dict) and "id" in c}
            for new in value:
                old = by_id.get(new.get("id")) if isinstance(new, dict) else None
                if old is not None:
                    _merge(old, new)
                elif new not in current:
                    current.append(copy.deepcopy(new))
        else:
            target[key] = copy.deepcopy(value)


def apply_patch(target: Item, changes: Item, action: str) -> Item:
    """Change a stored resource in place as PATCH ``action`` says, and stamp it.

    Parameters
    ----------
    target : dict
        The stored resource.
    changes : dict
        The resource as sent in the PATCH body (its ``id`` is not changed).
    action : {"merge", "overwrite", "remove"}
        ``merge`` adds to lists (by id) and dicts, ``overwrite`` replaces the
        fields sent, ``remove`` deletes the list entries and keys sent.
    """
    changes = {k: v for k, v in changes.items() if k != "id"}
    if action == "overwrite":
        target.update(copy.deepcopy(changes))
    elif action == "merge":
        _merge(target, changes)
    elif action == "remove":
        _remove(target, changes)
    else:
        raise bad_request(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    target["modified_at"] = timestamp()
    return target


def patch_batch(body: dict[str, Any], table: Table, key: str) -> Reply:
    """PATCH every resource sent under ``key`` in ``table`` by the body's ``action``.

    Each resource is found by its ``id``; a missing one fails on its own, so a
    batch where only some exist answers MIXED_STATUS.
    """
    action = check_action(body)

    def change(sent: Item) -> Item:
        return apply_patch(table.get(str(sent.get("id", ""))), sent, action)

    return batch(items_of(body, key), change, key)


def check_action(body: dict[str, Any], allowed: tuple[str, ...] = ACTIONS) -> str:
    """Return the PATCH ``action`` of a body; HTTP 400 when missing or not allowed."""
    action = body.get("action")
    if action not in allowed:
        raise bad_request(f"action must be one of {', '.join(allowed)}, not {action!r}")
    return str(action)
