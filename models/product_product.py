from odoo import api, fields, models

from .quickbooks_sync_mixin import SYNC_STATES

SYNCED_FIELDS = {"name", "default_code", "list_price", "standard_price", "description_sale", "type", "active",
                 "taxes_id", "property_account_income_id", "property_account_expense_id", "categ_id",
                 "quickbooks_name"}


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "quickbooks.sync.master.mixin"]
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

    def _quickbooks_chatter_record(self):
        # The product form is the template's: its notes and activities are where people look.
        return self.product_tmpl_id


class ProductTemplate(models.Model):
    """The product form shows where its product stands in QuickBooks (a single variant's
    status; each variant of a product with several shows its own) and sends it."""

    _inherit = "product.template"

    # Read from the variant each time the form reads them (no dependencies to track: the
    # variant's own figures are computed from its link and jobs, which a template cannot watch).
    quickbooks_state = fields.Selection(SYNC_STATES, "QuickBooks", compute="_compute_quickbooks_from_variant")
    quickbooks_error = fields.Text("QuickBooks Error", compute="_compute_quickbooks_from_variant")
    quickbooks_id = fields.Char("QuickBooks Item ID", compute="_compute_quickbooks_from_variant")
    quickbooks_qbo_name = fields.Char("QuickBooks Name", compute="_compute_quickbooks_from_variant")
    quickbooks_url = fields.Char("Open in QuickBooks", compute="_compute_quickbooks_from_variant")
    quickbooks_not_connected = fields.Char("QuickBooks connection problem",
                                           compute="_compute_quickbooks_from_variant")

    def _compute_quickbooks_from_variant(self):
        names = ("quickbooks_state", "quickbooks_error", "quickbooks_id", "quickbooks_qbo_name", "quickbooks_url",
                 "quickbooks_not_connected")
        for template in self:
            variant = template.product_variant_id
            for name in names:
                template[name] = variant[name] if variant else False

    def action_quickbooks_sync(self):
        """Sync to QuickBooks on the product form: its variants."""
        self.check_access("read")
        return self.product_variant_ids.action_quickbooks_sync()

    def action_open_quickbooks(self):
        self.ensure_one()
        self.check_access("read")
        return self.product_variant_id.action_open_quickbooks()

    def write(self, vals):
        result = super().write(vals)
        self.product_variant_ids._quickbooks_after_write(vals)
        return result
