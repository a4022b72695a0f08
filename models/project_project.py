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

    def action_quickbooks_link_customer(self):
        """QuickBooks tab: link the project to an existing QuickBooks customer (managers)."""
        return self._quickbooks_open_link_wizard("link")

    def action_quickbooks_create_sub_customer(self):
        """QuickBooks tab: create the project in QuickBooks as a sub-customer of its customer (managers)."""
        return self._quickbooks_open_link_wizard("create")

    def _quickbooks_open_link_wizard(self, mode):
        self.ensure_one()
        self.check_access("write")
        # The project's own name in QuickBooks (its full name is "Customer:Sub-customer").
        name = (self.quickbooks_customer_name or "").rpartition(":")[2] or self.name
        wizard = self.env["quickbooks.project.link.wizard"].create({"project_id": self.id, "mode": mode,
                                                                   "qbo_name": name})
        return {"type": "ir.actions.act_window", "res_model": wizard._name, "res_id": wizard.id, "view_mode": "form",
                "target": "new", "name": self.env._("Project in QuickBooks")}
