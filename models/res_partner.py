from odoo import api, fields, models

# Fields whose change must reach QuickBooks (what mapping/customer.py and vendor.py send).
SYNCED_FIELDS = {"name", "email", "phone", "street", "street2", "city", "zip", "state_id", "country_id",
                 "website", "parent_id", "is_company", "vat", "ref", "quickbooks_name"}


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "quickbooks.sync.master.mixin"]
    _quickbooks_entity = "Customer"

    _quickbooks_synced_fields = SYNCED_FIELDS

    quickbooks_id = fields.Char("QuickBooks ID", compute="_compute_quickbooks_id_from_bindings",
                                help="Its Customer id in QuickBooks (its Vendor id when it is only a vendor).")
    quickbooks_name = fields.Char(
        "Name in QuickBooks", copy=False,
        help="DisplayName to use in QuickBooks when the Odoo name is already taken there (QuickBooks wants "
             "display names unique across customers, vendors and employees). Set by the import wizard.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        trading = partners.filtered(lambda partner: partner.customer_rank > 0 or partner.supplier_rank > 0)
        if trading and not self.env.context.get("quickbooks_import"):
            trading._quickbooks_auto_push()
        return partners

    @api.depends_context("quickbooks_differentiators")
    def _compute_display_name(self):
        """In the import's "Link to contact" picker, contacts that share a name show what tells
        them apart: "Mark Cho (mark@cho.example, Boston, ref C-12)"."""
        result = super()._compute_display_name()
        if self.env.context.get("quickbooks_differentiators"):
            for partner in self:
                details = partner._quickbooks_differentiators()
                if details:
                    partner.display_name = f"{partner.display_name} ({details})"
        return result

    def _quickbooks_differentiators(self):
        """Email, city and reference of the contact, those it has, in a few words."""
        self.ensure_one()
        ref = self.env._("ref %s", self.ref) if self.ref else ""
        return ", ".join(part for part in (self.email, self.city, ref) if part)

    def _quickbooks_status_entities(self):
        return ["Customer", "Vendor"]

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        """A partner goes to QuickBooks as a Customer, as a Vendor when Odoo buys from it, or as
        both (two QuickBooks objects; their display names must differ there)."""
        if qbo_entity:
            return super()._quickbooks_enqueue(operation, qbo_entity=qbo_entity, qbo_ids=qbo_ids)
        vendors = self.filtered(lambda partner: partner.supplier_rank > 0)
        customers = self - vendors | self.filtered(lambda partner: partner.customer_rank > 0)
        jobs = self.env["quickbooks.sync.job"]
        if customers:
            jobs |= super(ResPartner, customers)._quickbooks_enqueue(operation, qbo_entity="Customer", qbo_ids=qbo_ids)
        if vendors:
            jobs |= super(ResPartner, vendors)._quickbooks_enqueue(operation, qbo_entity="Vendor", qbo_ids=qbo_ids)
        return jobs

    def write(self, vals):
        result = super().write(vals)
        self._quickbooks_after_write(vals)
        return result
