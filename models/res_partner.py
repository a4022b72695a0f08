from odoo import api, fields, models

# Fields whose change must reach QuickBooks (what mapping/customer.py and vendor.py send).
SYNCED_FIELDS = {"name", "email", "phone", "street", "street2", "city", "zip", "state_id", "country_id",
                 "website", "parent_id", "is_company", "vat", "ref", "quickbooks_name"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Customer"

    _quickbooks_synced_fields = SYNCED_FIELDS

    quickbooks_id = fields.Char("QuickBooks Customer ID", compute="_compute_quickbooks_id_from_bindings")
    quickbooks_name = fields.Char(
        "Name in QuickBooks", copy=False,
        help="DisplayName to use in QuickBooks when the Odoo name is already taken there (QuickBooks wants "
             "display names unique across customers, vendors and employees). Set by the import wizard.",
    )

    def _quickbooks_company(self):
        return self.company_id or self.env.company

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        customers = partners.filtered(lambda partner: partner.customer_rank > 0)
        if customers and not self.env.context.get("quickbooks_import"):
            customers._quickbooks_auto_push()
        return partners

    def write(self, vals):
        result = super().write(vals)
        self._quickbooks_after_write(vals)
        return result
