from odoo import api, fields, models

from ..mapping.inbound_master import POLICIES
from ..transport import crypto


class QuickbooksConnection(models.Model):
    """What changes made in QuickBooks need: the webhook verifier token (a secret, stored
    encrypted like the client secret) and the change data capture window."""

    _inherit = "quickbooks.connection"

    webhook_verifier_token_encrypted = fields.Char(groups="base.group_system", copy=False, exportable=False)
    webhook_verifier_token = fields.Char(
        "Webhook Verifier Token", compute="_compute_webhook_verifier_token",
        inverse="_inverse_webhook_verifier_token", groups="base.group_system", exportable=False,
        help="From your app's Webhooks page at Intuit. Stored encrypted; never shown again once saved. QuickBooks "
             "signs each notification with it, and Odoo refuses a notification whose signature does not match.",
    )
    has_webhook_verifier_token = fields.Boolean(compute="_compute_has_webhook_verifier_token")
    pull_payments = fields.Boolean(
        "Bring payments back from QuickBooks", default=True,
        help="Payments entered in QuickBooks for invoices Odoo sent are registered and reconciled in Odoo.",
    )
    pull_master_data = fields.Boolean(
        "Bring customers, vendors and products back from QuickBooks", default=True,
        help="Customers, vendors and items edited or created in QuickBooks are updated or created in Odoo, as the "
             "conflict policy says.",
    )
    pull_conflict_policy = fields.Selection(
        POLICIES, "When both sides changed a field", default="ask", required=True,
        help="A field of a customer, vendor or product changed both in Odoo and in QuickBooks since they last "
             "agreed: keep Odoo's value (and send it to QuickBooks), take QuickBooks' value, take the most recent "
             "change, or ask (the Sync Log shows both values, to choose with one click).",
    )
    pull_state_ids = fields.One2many("quickbooks.pull.state", "connection_id", readonly=True)

    def _compute_webhook_verifier_token(self):
        for connection in self:
            connection.webhook_verifier_token = False

    def _inverse_webhook_verifier_token(self):
        for connection in self:
            token = (connection.webhook_verifier_token or "").strip()
            if token:
                connection.sudo().webhook_verifier_token_encrypted = crypto.encrypt(token)

    def _compute_has_webhook_verifier_token(self):
        for connection in self:
            connection.has_webhook_verifier_token = bool(connection.sudo().webhook_verifier_token_encrypted)

    @api.model
    def _pull_connection_ids(self, realm_ids=None):
        """Connections that may pull now: connected (a live authorization), sync active, pulling
        payments or master data.  A disconnected company pulls nothing."""
        self.flush_model(["sync_enabled", "pull_payments", "pull_master_data", "realm_id"])
        self.env["quickbooks.credential"].flush_model()
        query = """
            SELECT connection.id FROM quickbooks_connection connection
             WHERE connection.sync_enabled AND (connection.pull_payments OR connection.pull_master_data)
               AND connection.realm_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM quickbooks_credential credential
                            WHERE credential.connection_id = connection.id
                              AND credential.refresh_token_encrypted IS NOT NULL
                              AND credential.refresh_error IS NULL)"""
        params = []
        if realm_ids is not None:
            query += " AND connection.realm_id IN %s"
            params.append(tuple(realm_ids) or ("",))
        self.env.cr.execute(query + " ORDER BY connection.id", params)
        return [row[0] for row in self.env.cr.fetchall()]

    def action_pull_now(self):
        """Bring QuickBooks' changes now (change data capture), instead of waiting for the cron."""
        self._check_manager_access()
        from ..sync.pull import PullEngine  # noqa: PLC0415 - the engine imports the models' helpers

        counts = []
        for connection in self:
            if connection.id not in self._pull_connection_ids():
                counts.append(self.env._("%s: not connected or sync not active; nothing pulled.",
                                         connection.company_id.name))
                continue
            result = PullEngine(connection.sudo()).run_cdc()
            if result["changes"] == 1:
                counts.append(self.env._("%s: 1 change from QuickBooks applied.", connection.company_id.name))
            else:
                counts.append(self.env._("%(company)s: %(count)s changes from QuickBooks applied.",
                                         company=connection.company_id.name, count=result["changes"]))
        return self._notification("info", self.env._("Changes from QuickBooks"), " ".join(counts))
