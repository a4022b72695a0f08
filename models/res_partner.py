from odoo import api, fields, models

# Fields whose change must reach QuickBooks (what mapping/customer.py and vendor.py send).
SYNCED_FIELDS = {"name", "email", "phone", "street", "street2", "city", "zip", "state_id", "country_id",
                 "website", "parent_id", "is_company", "vat", "ref"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Customer"

    quickbooks_id = fields.Char("QuickBooks Customer ID", compute="_compute_quickbooks_id")
    quickbooks_name = fields.Char(
        "Name in QuickBooks", copy=False,
        help="DisplayName to use in QuickBooks when the Odoo name is already taken there (QuickBooks wants "
             "display names unique across customers, vendors and employees). Set by the import wizard.",
    )

    def _compute_quickbooks_id(self):
        bindings = self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", "res.partner"), ("res_id", "in", self.ids), ("qbo_entity", "=", "Customer"),
        ])
        by_partner = {}
        for binding in bindings:
            if binding.realm_id == binding.connection_id.realm_id:
                by_partner[binding.res_id] = binding.qbo_id
        for partner in self:
            partner.quickbooks_id = by_partner.get(partner.id, False)

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
        if SYNCED_FIELDS.intersection(vals) and not self.env.context.get("quickbooks_import"):
            bound = self._quickbooks_bound()
            if bound:
                bound._quickbooks_auto_push()
        return result

    def _quickbooks_bound(self):
        if not self.ids:
            return self.browse()
        self.env.cr.execute(
            "SELECT DISTINCT res_id FROM quickbooks_binding WHERE res_model = 'res.partner' AND res_id IN %s",
            (tuple(self.ids),),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _quickbooks_auto_push(self):
        for record, connection in self._quickbooks_connection().items():
            if connection.realm_id and connection.sync_enabled and connection.auto_push_partners:
                record._quickbooks_enqueue()
