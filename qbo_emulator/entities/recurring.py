"""RecurringTransaction: read, query and delete.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/recurringtransaction

A recurring transaction is a template: the answer wraps it under its type,
``{"RecurringTransaction": {"Invoice": {..., "Id", "SyncToken", "RecurringInfo": {"Name",
"RecurType", "Active", "ScheduleInfo": {...}}}}}``.  A delete sends the same shape
(python-quickbooks sends the whole object, the Id inside the template).
"""

import json

from .. import faults, objects
from .base import Entity

TEMPLATE_TYPES = ("Invoice", "Bill", "CreditMemo", "Deposit", "Estimate", "JournalEntry", "Purchase",
                  "PurchaseOrder", "RefundReceipt", "SalesReceipt", "Transfer", "VendorCredit")


def public_form(stored):
    """The stored row's JSON as QuickBooks shows it: the Id, SyncToken and MetaData inside
    the template."""
    kind = next((key for key in TEMPLATE_TYPES if isinstance(stored.get(key), dict)), None)
    if kind is None:
        return stored
    template = dict(stored[kind])
    for key in ("Id", "SyncToken", "MetaData", "domain", "sparse"):
        if key in stored:
            template[key] = stored[key]
    return {kind: template}


def normalize(db, realm_id, object_id):
    row = objects.get_row(db, realm_id, "RecurringTransaction", object_id)
    db.execute("UPDATE objects SET data = ? WHERE realm_id = ? AND entity = 'RecurringTransaction' AND id = ?",
               (objects.dumps(public_form(json.loads(row["data"]))), realm_id, int(object_id)))


class RecurringTransaction(Entity):
    name = "RecurringTransaction"
    kind = "other"
    creatable = False
    updatable = False
    deletable = True
    cdc = False
    webhooks = False

    def custom_write(self, ctx, payload, operation):
        if operation != "delete":
            raise faults.unsupported_operation(operation.capitalize())
        inner = next((value for key, value in payload.items() if key in TEMPLATE_TYPES and isinstance(value, dict)),
                     payload)
        object_id, sync_token = inner.get("Id"), inner.get("SyncToken")
        if object_id in (None, ""):
            raise faults.required_param_missing("Id")
        row = ctx.row(self.name, object_id)
        if row is None:
            raise faults.object_not_found(self.name, object_id)
        if row["status"] == "deleted":
            raise faults.deleted_transaction(self.name, object_id)
        if sync_token not in (None, "") and str(sync_token) != str(row["sync_token"]):
            raise faults.stale_object()
        objects.mark_deleted(ctx.db, ctx.realm_id, self.name, object_id, ctx.now)
        return {"status": "Deleted", "domain": "QBO", "Id": str(object_id)}
