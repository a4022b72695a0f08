from odoo import api, fields, models

SYNCED_FIELDS = {"name", "default_code", "list_price", "standard_price", "description_sale", "type", "active",
                 "taxes_id", "property_account_income_id", "property_account_expense_id", "categ_id",
                 "quickbooks_name"}


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Item"

    _quickbooks_synced_fields = SYNCED_FIELDS

    quickbooks_id = fields.Char("QuickBooks Item ID", compute="_compute_quickbooks_id_from_bindings")
    quickbooks_name = fields.Char(
        "Name in QuickBooks", copy=False,
        help="Item name to use in QuickBooks when the Odoo name is already taken there (item names are "
             "unique in QuickBooks). Set by the import wizard.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        if not self.env.context.get("quickbooks_import"):
            products.filtered("sale_ok")._quickbooks_auto_push()
        return products

    def write(self, vals):
        result = super().write(vals)
        self._quickbooks_after_write(vals)
        return result


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        self.product_variant_ids._quickbooks_after_write(vals)
        return result
