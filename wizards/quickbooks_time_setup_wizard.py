from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..mapping.common import quote
from ..mapping.employee import EMPLOYEE, VENDOR, entity_of, same_name
from ..mapping.employee import display_name as person_name
from ..mapping.project import project_rows
from ..sync.ledger import Ledger, LinkTaken
from ..transport.errors import QuickBooksError

ACTIONS = [
    ("linked", "Linked"),
    ("link", "Link (same name)"),
    ("create_qbo", "Create in QuickBooks"),
    ("create_odoo", "Create in Odoo"),
    ("only_qbo", "Only in QuickBooks (no Odoo employee of that name)"),
]


class QuickbooksTimeSetupWizard(models.TransientModel):
    """Settings > QuickBooks > Time tracking set-up: people and projects, previewed, then
    linked or created (QuickBooks managers)."""

    _name = "quickbooks.time.setup.wizard"
    _description = "QuickBooks Time Tracking Set-up"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", readonly=True)
    state = fields.Selection([("draft", "Start"), ("preview", "Preview"), ("done", "Done")], default="draft")
    line_ids = fields.One2many("quickbooks.time.setup.wizard.line", "wizard_id", readonly=True)
    summary = fields.Text(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        connection = self.env["quickbooks.connection"].browse(values.get("connection_id")) \
            or self.env.company._quickbooks_connection()
        values["connection_id"] = connection.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            wizard._check_manager()
        return wizards

    def _check_manager(self):
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can set up time tracking with QuickBooks."))
        self.connection_id.check_access("write")

    def _reopen(self):
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id, "view_mode": "form",
                "target": "new", "name": self.env._("Time tracking set-up")}

    # -- preview -----------------------------------------------------------------------------------

    def action_preview(self):
        self.ensure_one()
        self._check_manager()
        connection = self.connection_id.sudo()
        if not connection.realm_id:
            raise UserError(self.env._("Connect to QuickBooks first."))
        try:
            client = connection._client()
            qbo_employees = list(client.query_all("select * from Employee where Active = true", "Employee"))
            company = connection.company_id
            contractors = self.env["hr.employee"].search([("company_id", "in", [company.id, False])]).filtered(
                lambda employee: entity_of(employee) == VENDOR)
            # Contractors and freelancers are QuickBooks vendors: only theirs are looked up.
            qbo_vendors = []
            for start in range(0, len(contractors), 50):
                names = ", ".join(quote(person_name(employee)) for employee in contractors[start:start + 50])
                qbo_vendors += client.query(
                    f"select * from Vendor where DisplayName in ({names})"  # noqa: S608 - QuickBooks, quoted
                ).get("Vendor", [])
            qbo_customers = list(client.query_all("select * from Customer where Active = true", "Customer"))
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
        rows = (self._employee_rows(connection, qbo_employees, EMPLOYEE)
                + self._employee_rows(connection, qbo_vendors, VENDOR, only_qbo=False)
                + self._project_rows(connection, qbo_customers))
        self.line_ids.unlink()
        self.write({"state": "preview", "line_ids": [fields.Command.create(row) for row in rows]})
        return self._reopen()

    def _employee_rows(self, connection, qbo_people, entity, only_qbo=True):
        """Odoo's employees sent as ``entity`` (Employee; Vendor: contractors and freelancers)
        next to QuickBooks' of the same name; ``only_qbo``: also QuickBooks' unmatched ones."""
        company = connection.company_id
        employees = self.env["hr.employee"].search([("company_id", "in", [company.id, False])])
        employees = employees.filtered(lambda employee: entity_of(employee) == entity)
        links = Ledger(connection).links("hr.employee", employees.ids, entity)
        taken = {link.qbo_id for link in links.values()}
        rows, matched = [], set(taken)
        for employee in employees:
            row = {"kind": "employee", "odoo_name": employee.name, "res_id": employee.id, "qbo_entity": entity}
            link = links.get(employee.id)
            found = next((qbo for qbo in qbo_people if same_name(qbo.get("DisplayName"), employee.name)
                          and str(qbo["Id"]) not in matched), None)
            if link:
                row.update(action="linked", qbo_id=link.qbo_id, qbo_name=link.qbo_name)
            elif found:
                matched.add(str(found["Id"]))
                row.update(action="link", qbo_id=str(found["Id"]), qbo_name=found["DisplayName"],
                           qbo_sync_token=str(found.get("SyncToken", "0")))
            else:
                row.update(action="create_qbo")
            rows.append(row)
        for qbo in qbo_people if only_qbo else []:
            if str(qbo["Id"]) not in matched:
                rows.append({"kind": "employee", "action": "only_qbo", "qbo_id": str(qbo["Id"]),
                             "qbo_name": qbo.get("DisplayName"), "qbo_entity": entity})
        return rows

    def _project_rows(self, connection, qbo_customers):
        company = connection.company_id
        projects = self.env["project.project"].with_context(active_test=False).search(
            [("company_id", "in", [company.id, False])])
        by_ref = {p.quickbooks_customer_ref: p for p in projects
                  if p.quickbooks_customer_ref and p.quickbooks_customer_realm == connection.realm_id}
        rows = []
        for name, parent, qbo in project_rows(qbo_customers):
            row = {"kind": "project", "odoo_name": name, "qbo_id": str(qbo["Id"]),
                   "qbo_name": qbo.get("FullyQualifiedName") or name, "parent_qbo_id": str(parent["Id"]),
                   "parent_name": parent.get("DisplayName")}
            linked = by_ref.get(str(qbo["Id"]))
            same = projects.filtered(lambda p, name=name: p.name == name and not p.quickbooks_customer_ref)[:1]
            if linked:
                row.update(action="linked", res_id=linked.id)
            elif same:
                row.update(action="link", res_id=same.id)
            else:
                row.update(action="create_odoo")
            rows.append(row)
        return rows

    # -- apply ------------------------------------------------------------------------------------

    def action_apply(self):
        """Both steps: the employees, then the projects."""
        self.ensure_one()
        self._check_manager()
        counts = {"linked": 0, "queued": 0, "projects": 0, "partners": 0}
        self._apply_employees(counts)
        self._apply_projects(counts)
        return self._done(counts)

    def action_apply_employees(self):
        """Create missing employees in QuickBooks: link the same names, queue the others' creation."""
        self.ensure_one()
        self._check_manager()
        counts = {"linked": 0, "queued": 0, "projects": 0, "partners": 0}
        self._apply_employees(counts)
        return self._done(counts)

    def action_apply_projects(self):
        """Create missing projects from QuickBooks: link the same names, create the others in Odoo."""
        self.ensure_one()
        self._check_manager()
        counts = {"linked": 0, "queued": 0, "projects": 0, "partners": 0}
        self._apply_projects(counts)
        return self._done(counts)

    def _done(self, counts):
        self.write({"state": "done", "summary": self.env._(
            "Employees: %(linked)s linked, %(queued)s queued to be created in QuickBooks. Projects: %(projects)s "
            "linked or created. Customers created in Odoo: %(partners)s.", **counts)})
        return self._reopen()

    def _apply_employees(self, counts):
        connection = self.connection_id.sudo()
        ledger = Ledger(connection)
        employee_lines = self.line_ids.filtered(lambda line: line.kind == "employee")
        to_link = employee_lines.filtered(lambda line: line.action == "link")
        results = ledger.settle([{
            "key": ("hr.employee", line.res_id, line.qbo_entity or EMPLOYEE), "sent": None, "verified": False,
            "origin": "import",
            "qbo": {"Id": line.qbo_id, "SyncToken": line.qbo_sync_token or "0", "DisplayName": line.qbo_name},
        } for line in to_link])
        counts["linked"] += sum(1 for result in results.values() if not isinstance(result, LinkTaken))
        to_create = self.env["hr.employee"].browse(
            employee_lines.filtered(lambda line: line.action == "create_qbo").mapped("res_id"))
        if to_create:
            counts["queued"] += len(to_create._quickbooks_enqueue())

    def _apply_projects(self, counts):
        connection = self.connection_id.sudo()
        ledger = Ledger(connection)
        project_lines = self.line_ids.filtered(lambda line: line.kind == "project" and line.action != "linked")
        partners = {}
        for line in project_lines:
            partner = partners.get(line.parent_qbo_id) or self._partner_of(connection, ledger, line, counts)
            partners[line.parent_qbo_id] = partner
            values = {"quickbooks_customer_ref": line.qbo_id, "quickbooks_customer_name": line.qbo_name,
                      "quickbooks_customer_realm": connection.realm_id, "partner_id": partner.id}
            if line.action == "link":
                self.env["project.project"].browse(line.res_id).write(values)
            else:
                self.env["project.project"].create(dict(values, name=line.odoo_name, allow_timesheets=True,
                                                        company_id=connection.company_id.id))
            counts["projects"] += 1

    def _partner_of(self, connection, ledger, line, counts):
        """The Odoo partner of a QuickBooks parent customer: the one linked to it, else the only
        one of the same name (then linked), else a new one (linked)."""
        link = ledger.link_of_object("Customer", line.parent_qbo_id)
        if link and link.res_model == "res.partner":
            return self.env["res.partner"].browse(link.res_id)
        Partner = self.env["res.partner"].with_context(quickbooks_import=True)
        partner = Partner.search([("name", "=", line.parent_name), ("parent_id", "=", False),
                                  ("company_id", "in", [connection.company_id.id, False])])
        if len(partner) != 1:
            partner = Partner.create({"name": line.parent_name, "is_company": True, "customer_rank": 1,
                                      "company_id": connection.company_id.id})
            counts["partners"] += 1
        ledger.settle([{"key": ("res.partner", partner.id, "Customer"), "sent": None, "verified": False,
                        "origin": "import", "qbo": {"Id": line.parent_qbo_id, "DisplayName": line.parent_name}}])
        return partner


class QuickbooksTimeSetupWizardLine(models.TransientModel):
    _name = "quickbooks.time.setup.wizard.line"
    _description = "QuickBooks Time Tracking Set-up Line"
    _order = "kind, id"

    wizard_id = fields.Many2one("quickbooks.time.setup.wizard", required=True, ondelete="cascade")
    kind = fields.Selection([("employee", "Employee"), ("project", "Project")], required=True)
    action = fields.Selection(ACTIONS, required=True)
    odoo_name = fields.Char("In Odoo")
    qbo_name = fields.Char("In QuickBooks")
    qbo_id = fields.Char("QuickBooks id")
    qbo_sync_token = fields.Char()
    parent_qbo_id = fields.Char()
    parent_name = fields.Char("Customer (partner)")
    qbo_entity = fields.Char("QuickBooks type", default="Employee")
    res_id = fields.Integer()

