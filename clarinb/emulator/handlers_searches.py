"""Handlers for input searches: filters by concept, input id, dataset and metadata."""

from __future__ import annotations

import copy
from typing import Any

from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.errors import bad_request
from clarinb.emulator.store import App, Item
from clarinb.emulator.writes import items_of, patch_batch

__all__ = ["ConceptIndex", "concept_index", "matches_query"]

#: Input id -> concept id (and name) -> its highest value on the input.
ConceptIndex = dict[str, dict[str, float]]


def concept_index(app: App) -> ConceptIndex:
    """Read every input's concepts, from its data and its annotations, in one pass."""
    index: ConceptIndex = {}

    def take(found: dict[str, float], data: dict[str, Any]) -> None:
        for concept in data.get("concepts") or []:
            value = float(concept.get("value", 1.0))
            for key in (concept.get("id"), concept.get("name")):
                if key:
                    found[key] = max(found.get(key, value), value)
        for region in data.get("regions") or []:
            take(found, region.get("data") or {})

    for item in app.inputs:
        take(index.setdefault(item["id"], {}), item.get("data") or {})
    for annotation in app.annotations:
        found = index.get(str(annotation.get("input_id")))
        if found is not None:
            take(found, annotation.get("data") or {})
    return index


def _subset(wanted: Any, have: Any) -> bool:
    if isinstance(wanted, dict):
        return isinstance(have, dict) and all(_subset(v, have.get(k)) for k, v in wanted.items())
    return bool(wanted == have)


def _matches_part(
    index: ConceptIndex, item: Item, part: dict[str, Any], *, is_annotation: bool
) -> bool:
    ident = part.get("input_id") if is_annotation else part.get("id")
    if ident and item["id"] != ident:
        return False
    if not is_annotation:
        datasets = part.get("dataset_ids") or []
        if datasets and not set(datasets) & set(item.get("dataset_ids") or []):
            return False
    data = part.get("data") or {}
    if data.get("metadata") and not _subset(
        data["metadata"], (item.get("data") or {}).get("metadata")
    ):
        return False
    wanted = data.get("concepts") or []
    if wanted:
        have = index.get(item["id"], {})
        for concept in wanted:
            key = concept.get("id") or concept.get("name")
            value = float(concept.get("value", 1.0))
            if value > 0 and have.get(key, 0.0) <= 0:
                return False
            if value <= 0 and have.get(key, 0.0) > 0:
                return False
    return True


def _matches_filter(index: ConceptIndex, item: Item, flt: dict[str, Any]) -> bool:
    ok = True
    if isinstance(flt.get("input"), dict):
        ok = ok and _matches_part(index, item, flt["input"], is_annotation=False)
    if isinstance(flt.get("annotation"), dict):
        ok = ok and _matches_part(index, item, flt["annotation"], is_annotation=True)
    return ok != bool(flt.get("negate"))


def matches_query(index: ConceptIndex, item: Item, query: dict[str, Any]) -> bool:
    """Whether an input satisfies every filter and rank of a ``Query``.

    ``index`` is :func:`concept_index` of the input's app, read once per request.
    """
    clauses = list(query.get("filters") or []) + list(query.get("ranks") or [])
    return all(_matches_filter(index, item, c) for c in clauses if isinstance(c, dict))


def _resolve(app: App, search: Item) -> dict[str, Any]:
    query = search.get("query")
    if isinstance(query, dict):
        return query
    if search.get("id"):
        saved = app.searches.get(str(search["id"]))
        return dict(saved.get("query") or {})
    raise bad_request("each search needs a query (or the id of a saved search)")


def _save(app: App, search: Item) -> Item:
    """Persist a search sent with ``save: true`` under its id (a new id when it has none)."""
    if not search.get("save"):
        return copy.deepcopy(search)
    if not isinstance(search.get("query"), dict):
        raise bad_request("a search saved with 'save: true' needs a query")
    return app.searches.add(copy.deepcopy(search))


@handles("V2_PostInputsSearches2")
def post_searches(req: Request) -> Reply:
    """Return inputs matching the searches' queries, as hits with score 1.

    A search sent with ``save: true`` is stored under its id, as the service
    does, so it can be run again by id and changed with PatchInputsSearches.
    """
    app = req.app
    searches = items_of(req.body, "searches")
    queries = [_resolve(app, s) for s in searches]
    shown = [_save(app, s) for s in searches]
    index = concept_index(app)
    hits = [
        {"score": 1.0, "input": item, "user_id": app.user_id, "app_id": app.app_id}
        for item in app.inputs
        if all(matches_query(index, item, q) for q in queries)
    ]
    if req.body.get("only_count"):
        return Reply({"hits": [], "hit_counts": [{"estimated_total": len(hits)}]})
    return Reply({"hits": paged(req, hits), "searches": shown})


@handles("V2_PatchInputsSearches2")
def patch_searches(req: Request) -> Reply:
    """Change saved searches (merge, overwrite or remove)."""
    return patch_batch(req.body, req.app.searches, "searches")
