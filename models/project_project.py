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
