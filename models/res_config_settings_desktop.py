from odoo import fields, models


class ResConfigSettingsDesktop(models.TransientModel):
    _inherit = "res.config.settings"

    quickbooks_backend = fields.Selection(related="quickbooks_connection_id.backend", readonly=False)
    quickbooks_qbd_username = fields.Char(related="quickbooks_connection_id.qbd_username")
    quickbooks_qbd_has_password = fields.Boolean(related="quickbooks_connection_id.qbd_has_password")
    quickbooks_qbd_last_contact = fields.Datetime(related="quickbooks_connection_id.qbd_last_contact")
    quickbooks_qbd_version = fields.Char(related="quickbooks_connection_id.qbd_version")
    quickbooks_qbd_company_file = fields.Char(related="quickbooks_connection_id.qbd_company_file")
    quickbooks_qbd_silent = fields.Boolean(related="quickbooks_connection_id.qbd_silent")
    quickbooks_qbd_income_account = fields.Char(related="quickbooks_connection_id.qbd_income_account",
                                                readonly=False)

    quickbooks_qbd_import_offered = fields.Boolean(related="quickbooks_connection_id.qbd_import_offered")

    def action_quickbooks_qbd_import(self):
        return self._quickbooks_connection_checked().action_qbd_import()

    def action_quickbooks_qbd_download_setup(self):
        return self._quickbooks_connection_checked().action_qbd_download_setup()

    def action_quickbooks_qbd_new_password(self):
        return self._quickbooks_connection_checked().action_qbd_new_password()
