from odoo import fields, models


class ProjectProject(models.Model):
    """What a project's timesheet entries become in QuickBooks (mapping/time_activity.py)."""

    _inherit = "project.project"

    quickbooks_item_id = fields.Many2one(
        "product.product", "QuickBooks service item", domain="[('type', '=', 'service')]", check_company=True,
        help="The service item of this project's time in QuickBooks. Empty: the company's default service item "
             "(Settings > QuickBooks > Sync defaults).",
    )
    quickbooks_billable = fields.Boolean(
        "Billable in QuickBooks", default=True,
        help="New timesheet entries of this project are sent to QuickBooks as billable time.",
    )
    quickbooks_hourly_rate = fields.Float(
        "Billable rate (QuickBooks)", digits="Product Price",
        help="Hourly rate of billable time when the employee has none; empty: the service item's price.",
    )
    # The QuickBooks customer object (a sub-customer or a QuickBooks Project) whose time this
    # project is: set by Time tracking set-up > Create missing projects from QuickBooks.
    quickbooks_customer_ref = fields.Char("QuickBooks customer id", copy=False, readonly=True)
    quickbooks_customer_name = fields.Char("QuickBooks customer", copy=False, readonly=True)
    quickbooks_customer_realm = fields.Char(copy=False, readonly=True)

    def _quickbooks_customer_ref(self, realm_id):
        """``{"value": id}`` of the project's own QuickBooks customer in ``realm_id``, or None."""
        self.ensure_one()
        if self.quickbooks_customer_ref and self.quickbooks_customer_realm == realm_id:
            return {"value": self.quickbooks_customer_ref}
        return None
