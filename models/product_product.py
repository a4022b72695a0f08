from odoo import api, fields, models

SYNCED_FIELDS = {"name", "default_code", "list_price", "standard_price", "description_sale", "type", "active",
                 "taxes_id", "property_account_income_id", "property_account_expense_id", "categ_id"}


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Item"

    quickbooks_id = fields.Char("QuickBooks Item ID", compute="_compute_quickbooks_id")
    quickbooks_name = fields.Char(
        "Name in QuickBooks", copy=False,
        help="Item name to use in QuickBooks when the Odoo name is already taken there (item names are "
             "unique in QuickBooks). Set by the import wizard.",
    )

    def _compute_quickbooks_id(self):
        bindings = self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", "product.product"), ("res_id", "in", self.ids), ("qbo_entity", "=", "Item"),
        ])
        by_product = {b.res_id: b.qbo_id for b in bindings if b.realm_id == b.connection_id.realm_id}
        for product in self:
            product.quickbooks_id = by_product.get(product.id, False)

    def _quickbooks_company(self):
        return self.company_id or self.env.company

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        if not self.env.context.get("quickbooks_import"):
            products.filtered("sale_ok")._quickbooks_auto_push()
        return products

    def write(self, vals):
        result = super().write(vals)
        if SYNCED_FIELDS.intersection(vals) and not self.env.context.get("quickbooks_import"):
            self._quickbooks_bound()._quickbooks_auto_push()
        return result

    def _quickbooks_bound(self):
        if not self.ids:
            return self.browse()
        self.env.cr.execute(
            "SELECT DISTINCT res_id FROM quickbooks_binding WHERE res_model = 'product.product' AND res_id IN %s",
            (tuple(self.ids),),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _quickbooks_auto_push(self):
        for record, connection in self._quickbooks_connection().items():
            if connection.realm_id and connection.sync_enabled and connection.auto_push_partners:
                record._quickbooks_enqueue()


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if SYNCED_FIELDS.intersection(vals) and not self.env.context.get("quickbooks_import"):
            self.product_variant_ids._quickbooks_bound()._quickbooks_auto_push()
        return result
