import hashlib

from odoo import api, fields, models


def ticket_hash(ticket):
    return hashlib.sha256((ticket or "").encode("utf-8")).hexdigest()


class QuickbooksQbwcSession(models.Model):
    """One QuickBooks Web Connector session (authenticate ... closeConnection): its ticket
    (kept hashed), what it sent and still waits for, and how it ended."""

    _name = "quickbooks.qbwc.session"
    _description = "QuickBooks Web Connector Session"
    _order = "id desc"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    ticket_hash = fields.Char(required=True, index=True, readonly=True)
    expires_at = fields.Datetime(required=True, readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("failed", "Failed"), ("dead", "Ended without closing")],
        default="open", required=True, readonly=True,
    )
    in_flight = fields.Json(readonly=True, help="requestID -> [job id, step] of the message sent last.")
    deps_queued = fields.Json(readonly=True, help="Records queued by this session because a document needed them.")
    iterators = fields.Json(readonly=True, help="The one-time import's iterators and counts, per job.")
    messages = fields.Integer("Message sets", readonly=True)
    request_count = fields.Integer("Requests sent", readonly=True, help="qbXML requests sent to QuickBooks.")
    response_count = fields.Integer("Responses received", readonly=True,
                                    help="qbXML responses QuickBooks sent back (fewer than sent: a lost answer).")
    qbwc_version = fields.Char("Web Connector / QuickBooks version", readonly=True)
    soap_calls = fields.Integer("SOAP calls", readonly=True)
    odoo_ms = fields.Float("Time in Odoo (ms)", readonly=True, help="Spent by Odoo answering this session's calls.")
    done_count = fields.Integer("Sent", readonly=True)
    error_count = fields.Integer("Errors", readonly=True)
    last_error = fields.Text(readonly=True)
    company_file = fields.Char(readonly=True)

    @api.depends("create_date")
    def _compute_display_name(self):
        for session in self:
            session.display_name = self.env._("Web Connector session of %s", session.create_date) \
                if session.create_date else self.env._("Web Connector session")
    closed_at = fields.Datetime(readonly=True)
