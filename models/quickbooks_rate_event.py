from odoo import fields, models


class QuickbooksRateEvent(models.Model):
    """Recent requests per QuickBooks company: the log behind the shared rate limiter
    (transport/ratelimit.py).  Rows older than a minute are deleted as new ones come."""

    _name = "quickbooks.rate.event"
    _description = "QuickBooks Request Log (rate limiting)"
    _log_access = False

    realm_id = fields.Char(required=True)
    at = fields.Float(required=True, digits=(16, 6))
    weight = fields.Integer(default=1)
    is_batch = fields.Boolean()

    _realm_at_idx = models.Index("(realm_id, at)")
