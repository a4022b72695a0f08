from odoo import fields, models


class QuickbooksWriteIntent(models.Model):
    """A create that left for QuickBooks and whose outcome Odoo has not stored yet.

    Written and committed (by :class:`~odoo.addons.quickbooks_sync.sync.ledger.Ledger`, in a
    transaction of its own) *before* the request leaves, and removed in the same committed
    transaction that stores what QuickBooks answered.  Whatever happens in between (the answer
    is lost, the worker is killed, the job's transaction rolls back, later requests fail),
    the row stays, and the next attempt at that record, by any job or worker, looks the object
    up in QuickBooks before it may create it again.
    """

    _name = "quickbooks.write.intent"
    _description = "QuickBooks Write in Doubt"
    _log_access = False
    _order = "id"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    realm_id = fields.Char("QuickBooks Company ID", required=True)
    res_model = fields.Char("Odoo Model", required=True)
    res_id = fields.Many2oneReference("Odoo Record", model_field="res_model", required=True)
    qbo_entity = fields.Char("QuickBooks Type", required=True)
    request_id = fields.Char("Request ID", help="The requestid of the last request that may have created it.")
    sent_at = fields.Datetime("Sent", required=True)
    worker = fields.Char()

    _record_uniq = models.UniqueIndex(
        "(realm_id, res_model, res_id, qbo_entity)",
        "A record has one write in doubt per QuickBooks type.",
    )
