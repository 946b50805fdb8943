"""Handlers for label orders."""

from __future__ import annotations

import copy

from clarinb.emulator.dispatch import Reply, Request, handles, paged
from clarinb.emulator.store import Item
from clarinb.emulator.wire import status
from clarinb.emulator.writes import batch, ids_of, items_of, patch_batch

LABEL_ORDER_PENDING = 55001


@handles("V2_ListLabelOrders2")
def list_label_orders(req: Request) -> Reply:
    """Label orders."""
    return Reply({"label_orders": paged(req, list(req.app.label_orders))})


@handles("V2_GetLabelOrder2")
def get_label_order(req: Request) -> Reply:
    """One label order."""
    return Reply({"label_order": req.app.label_orders.get(req.params["labelOrderId"])})


@handles("V2_PostLabelOrders2")
def post_label_orders(req: Request) -> Reply:
    """Create label orders; each starts pending."""

    def create(sent: Item) -> Item:
        item = copy.deepcopy(sent)
        item["status"] = status(LABEL_ORDER_PENDING, "Label order pending")
        return req.app.label_orders.add(item)

    return batch(items_of(req.body, "label_orders"), create, "label_orders")


@handles("V2_PatchLabelOrders2")
def patch_label_orders(req: Request) -> Reply:
    """Change label orders (merge, overwrite or remove)."""
    return patch_batch(req.body, req.app.label_orders, "label_orders")


@handles("V2_DeleteLabelOrders2")
def delete_label_orders(req: Request) -> Reply:
    """Delete label orders by id."""
    return batch(ids_of(req.body), req.app.label_orders.remove, None)
