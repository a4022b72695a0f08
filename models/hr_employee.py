from odoo import api, fields, models

from ..mapping.employee import entity_of


class HrEmployee(models.Model):
    """Employees are the workers of QuickBooks time activities: an Employee, or a Vendor for
    contractors and freelancers (mapping/employee.py)."""

    _name = "hr.employee"
    _inherit = ["hr.employee", "quickbooks.sync.mixin"]
    _quickbooks_entity = "Employee"

    quickbooks_id = fields.Char("QuickBooks ID", compute="_compute_quickbooks_employee_id",
                                groups="quickbooks_sync.group_quickbooks_user")
    quickbooks_hourly_rate = fields.Float(
        "Billable rate (QuickBooks)", digits="Product Price",
        groups="hr.group_hr_user,quickbooks_sync.group_quickbooks_user",
        help="Hourly rate of this employee's billable time in QuickBooks (before the project's rate and the "
             "service item's price).",
    )

    @api.depends_context("company")
    def _compute_quickbooks_employee_id(self):
        bindings = self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids),
        ])
        current = {(b.res_id, b.qbo_entity): b.qbo_id for b in bindings if b.realm_id == b.connection_id.realm_id}
        for employee in self:
            employee.quickbooks_id = current.get((employee.id, entity_of(employee)), False)

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        if qbo_entity:
            return super()._quickbooks_enqueue(operation, qbo_entity=qbo_entity, qbo_ids=qbo_ids)
        jobs = self.env["quickbooks.sync.job"]
        for entity in ("Employee", "Vendor"):
            employees = self.filtered(lambda employee, entity=entity: entity_of(employee) == entity)
            if employees:
                jobs |= super(HrEmployee, employees)._quickbooks_enqueue(operation, qbo_entity=entity, qbo_ids=qbo_ids)
        return jobs
