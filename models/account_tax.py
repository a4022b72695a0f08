from odoo import fields, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    quickbooks_tax_code_ref_id = fields.Many2one(
        "quickbooks.reference", "QuickBooks Tax Code", check_company=True,
        domain="[('qbo_entity', '=', 'TaxCode'), ('company_id', '=', company_id), ('active', '=', True)]",
        help="The QuickBooks tax code lines with this tax are sent with. Several Odoo taxes may share one code.",
    )
