from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    quickbooks_connection_ids = fields.One2many("quickbooks.connection", "company_id", string="QuickBooks Connection")

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._quickbooks_connection()
        return companies

    def _quickbooks_connection(self):
        """The QuickBooks connection of each company in ``self``, created when missing."""
        connections = self.env["quickbooks.connection"].sudo().search([("company_id", "in", self.ids)])
        missing = self - connections.company_id
        if missing:
            connections |= connections.create([{"company_id": company.id} for company in missing])
        return connections.with_env(self.env)
