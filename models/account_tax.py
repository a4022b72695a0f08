from odoo import api, fields, models

from .quickbooks_reference import kind_domain


class AccountTax(models.Model):
    _inherit = "account.tax"

    quickbooks_tax_code_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Tax Code", check_company=True,
        domain=kind_domain("tax_code", "('company_id', '=', company_id)"),
        help="The QuickBooks tax code lines with this tax are sent with. Several Odoo taxes may share one code.",
    )

    @api.constrains("quickbooks_tax_code_ref_id")
    def _check_quickbooks_tax_code(self):
        self.env["quickbooks.reference"]._check_kinds(self, {"quickbooks_tax_code_ref_id": "tax_code"})
