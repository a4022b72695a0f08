from odoo import api, fields, models


class QuickbooksDisconnectWizard(models.TransientModel):
    _name = "quickbooks.disconnect.wizard"
    _description = "Disconnect from QuickBooks"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade")
    company_name = fields.Char(related="connection_id.company_id.name")
    qbo_company_name = fields.Char(related="connection_id.qbo_company_name")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "connection_id" in fields_list and not values.get("connection_id"):
            values["connection_id"] = self.env.company._quickbooks_connection().id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.connection_id._check_manager_access()
        return wizards

    def action_disconnect(self):
        self.ensure_one()
        connection = self.connection_id
        connection._check_manager_access()
        warning = connection._disconnect()
        reload_page = {"type": "ir.actions.client", "tag": "soft_reload"}
        title = self.env._("Disconnected from QuickBooks")
        if warning:
            return connection._notification("warning", title, warning, sticky=True, next_action=reload_page)
        message = self.env._(
            "%(company)s is no longer connected to %(qbo)s. QuickBooks ids already stored are kept.",
            company=connection.company_id.name, qbo=connection.qbo_company_name or connection.realm_id,
        )
        return connection._notification("success", title, message, next_action=reload_page)
