from odoo import fields, models


class QuickbooksQbwcPasswordWizard(models.TransientModel):
    """Shows a new Web Connector password once (Odoo keeps only its hash): opened unsaved, with
    the password as a default value, and closed without saving."""

    _name = "quickbooks.qbwc.password.wizard"
    _description = "QuickBooks Web Connector password"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade")
    password = fields.Char(readonly=True)
    username = fields.Char(related="connection_id.qbd_username")
