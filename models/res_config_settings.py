from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    quickbooks_connection_id = fields.Many2one(
        "quickbooks.connection", compute="_compute_quickbooks_connection_id"
    )
    quickbooks_environment = fields.Selection(
        related="quickbooks_connection_id.environment", readonly=False, string="QuickBooks Environment"
    )
    quickbooks_custom_url = fields.Char(related="quickbooks_connection_id.custom_url", readonly=False)
    quickbooks_client_id = fields.Char(
        related="quickbooks_connection_id.client_id", readonly=False, groups="base.group_system"
    )
    quickbooks_client_secret = fields.Char(
        related="quickbooks_connection_id.client_secret", readonly=False, groups="base.group_system"
    )
    quickbooks_has_client_secret = fields.Boolean(related="quickbooks_connection_id.has_client_secret")
    quickbooks_redirect_uri = fields.Char(related="quickbooks_connection_id.redirect_uri")
    quickbooks_state = fields.Selection(related="quickbooks_connection_id.state")
    quickbooks_status_message = fields.Char(related="quickbooks_connection_id.status_message")
    quickbooks_company_name = fields.Char(related="quickbooks_connection_id.qbo_company_name")
    quickbooks_realm_id = fields.Char(related="quickbooks_connection_id.realm_id")
    quickbooks_previous_realm_id = fields.Char(related="quickbooks_connection_id.previous_realm_id")
    quickbooks_connected_since = fields.Datetime(related="quickbooks_connection_id.connected_since")
    quickbooks_last_sync_at = fields.Datetime(related="quickbooks_connection_id.last_sync_at")
    quickbooks_refresh_token_days_left = fields.Integer(
        related="quickbooks_connection_id.refresh_token_days_left"
    )
    quickbooks_missing_configuration = fields.Char(related="quickbooks_connection_id.missing_configuration")

    @api.depends("company_id")
    def _compute_quickbooks_connection_id(self):
        for settings in self:
            settings.quickbooks_connection_id = settings.company_id._quickbooks_connection()

    def action_quickbooks_connect(self):
        return self.quickbooks_connection_id.action_connect(return_to="settings")

    def action_quickbooks_test(self):
        return self.quickbooks_connection_id.action_test_connection()

    def action_quickbooks_disconnect(self):
        return self.quickbooks_connection_id.action_open_disconnect_wizard()
