"""Timesheets to QuickBooks as time activities (issue 12).

Each test sends timesheet entries through the queue to the emulator over HTTP and asserts what
QuickBooks stored (the TimeActivity, the Employee or Vendor) and what the entry shows."""

import urllib.parse
from datetime import date

from odoo import fields
from odoo.tests import tagged

from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestPushTime(PushCase):
    def setUp(self):
        super().setUp()
        n = self._journal_counter
        self.addCleanup(self.emulator.control, "DELETE", f"faults?realm_id={self.realm_id}")
        self.env["ir.config_parameter"].sudo().set_param("quickbooks_sync.http_timeout", 5)
        self.employee = self.env["hr.employee"].create({
            "name": f"Jane Gardener {n}", "company_id": self.env.company.id, "quickbooks_hourly_rate": 80.0,
        })
        self.project = self.env["project.project"].create({
            "name": f"Garden redesign {n}", "partner_id": self.customer.id, "allow_timesheets": True,
            "company_id": self.env.company.id,
        })

    # -- helpers -------------------------------------------------------------------------------

    def entry(self, hours=1.5, project=None, employee=None, name="Planting the roses", **values):
        return self.env["account.analytic.line"].create({
            "project_id": (project or self.project).id, "employee_id": (employee or self.employee).id,
            "unit_amount": hours, "name": name, "date": values.pop("date", fields.Date.today()), **values,
        })

    def send(self, lines):
        lines.action_quickbooks_sync()
        self.run_queue()

    def activities(self):
        """The live time activities the emulator stores (its control API)."""
        query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "TimeActivity"})
        rows = self.emulator.control("GET", f"objects?{query}")["objects"]
        return [row for row in rows if row["_emulator"]["status"] == "live"]

    def activities_of(self, line):
        marker = f"[odoo:account.analytic.line:{line.id}]"
        return [row for row in self.activities() if marker in (row.get("Description") or "")]

    def inject(self, fault, count=1, **match):
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault=fault, count=count,
                              match=match or None)

    # -- what QuickBooks stores ------------------------------------------------------------------

    def test_billable_entry_is_stored_with_employee_customer_item_time_and_rate(self):
        line = self.entry(hours=1.5)
        self.assertTrue(line.quickbooks_billable, "the project's default")
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        stored = self.qbo("TimeActivity", line.quickbooks_id)
        self.assertEqual(stored["NameOf"], "Employee")
        self.assertEqual(stored["EmployeeRef"]["value"], self.employee.quickbooks_id)
        employee = self.qbo("Employee", self.employee.quickbooks_id)
        self.assertEqual(employee["DisplayName"], self.employee.name)
        self.assertEqual(stored["CustomerRef"]["value"], self.customer.quickbooks_id)
        self.assertEqual(self.qbo("Customer", self.customer.quickbooks_id)["DisplayName"], self.customer.name)
        self.assertEqual(stored["ItemRef"]["value"], self.ref("Item", "Services").qbo_id)
        self.assertEqual((stored["Hours"], stored["Minutes"]), (1, 30))
        self.assertEqual(stored["BillableStatus"], "Billable")
        self.assertEqual(float(stored["HourlyRate"]), 80.0)
        self.assertEqual(stored["TxnDate"], fields.Date.today().isoformat())
        self.assertTrue(stored["Description"].startswith("Planting the roses"))
        self.assertEqual(len(self.activities_of(line)), 1)
        self.assertFalse(line.quickbooks_edited)

    def test_non_billable_entry_has_no_rate_and_the_projects_item(self):
        self.project.write({"quickbooks_billable": False, "quickbooks_item_id": self.product.id})
        line = self.entry(hours=0.25)
        self.assertFalse(line.quickbooks_billable)
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        stored = self.qbo("TimeActivity", line.quickbooks_id)
        self.assertEqual(stored["BillableStatus"], "NotBillable")
        self.assertNotIn("HourlyRate", stored)
        self.assertEqual((stored["Hours"], stored["Minutes"]), (0, 15))
        self.assertEqual(stored["ItemRef"]["value"], self.product.quickbooks_id, "the project's service item")

    def test_rate_falls_back_to_the_project_then_the_item_price(self):
        self.employee.quickbooks_hourly_rate = 0.0
        self.project.write({"quickbooks_hourly_rate": 95.5})
        first = self.entry(hours=1.0)
        other = self.env["project.project"].create({
            "name": f"Hedges {self._journal_counter}", "partner_id": self.customer.id,
            "quickbooks_item_id": self.product.id, "company_id": self.env.company.id,
        })
        second = self.entry(hours=2.0, project=other)
        self.send(first | second)
        self.assertEqual(first.quickbooks_state, "synced", first.quickbooks_error)
        self.assertEqual(second.quickbooks_state, "synced", second.quickbooks_error)
        self.assertEqual(float(self.qbo("TimeActivity", first.quickbooks_id)["HourlyRate"]), 95.5)
        self.assertEqual(float(self.qbo("TimeActivity", second.quickbooks_id)["HourlyRate"]), 100.0)

    def test_rounding_up_to_the_companys_step(self):
        seven_past = 67 / 60  # 1 h 07 min as Odoo stores it
        exact = self.entry(hours=seven_past, name="exact")
        self.send(exact)
        stored = self.qbo("TimeActivity", exact.quickbooks_id)
        self.assertEqual((stored["Hours"], stored["Minutes"]), (1, 7), "no rounding: to the minute")
        for step, expected in (("6", (1, 12)), ("15", (1, 15)), ("30", (1, 30))):
            self.connection.sudo().time_rounding = step
            line = self.entry(hours=seven_past, name=f"rounded to {step}")
            self.send(line)
            self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
            stored = self.qbo("TimeActivity", line.quickbooks_id)
            self.assertEqual((stored["Hours"], stored["Minutes"]), expected, f"up to {step} minutes")
        self.connection.sudo().time_rounding = "none"

    # -- refused before any request -----------------------------------------------------------------

    def test_refusals_say_why_and_send_nothing(self):
        before = len(self.activities())
        no_customer = self.env["project.project"].create({"name": f"Internal {self._journal_counter}",
                                                          "company_id": self.env.company.id})
        too_long = self.entry(hours=23 + 56 / 60, name="too long")
        billable_without_customer = self.entry(project=no_customer, name="no customer")
        billable_without_customer.quickbooks_billable = True
        self.employee.quickbooks_hourly_rate = 0.0
        no_rate = self.entry(name="no rate")
        self.send(too_long | billable_without_customer | no_rate)
        self.assertEqual(too_long.quickbooks_state, "error")
        self.assertIn("23 h 56 min", too_long.quickbooks_error)
        self.assertIn("at most 23 h 55 min", too_long.quickbooks_error)
        self.assertEqual(billable_without_customer.quickbooks_state, "error")
        self.assertIn("has no customer", billable_without_customer.quickbooks_error)
        self.assertEqual(no_rate.quickbooks_state, "error")
        self.assertIn("no hourly rate", no_rate.quickbooks_error)
        self.assertEqual(len(self.activities()), before, "nothing reached QuickBooks")
        self.assertFalse(self.employee.quickbooks_id, "refused before any request: not even the employee was sent")

        # 23 h 55 min is the most QuickBooks takes: sent.
        longest = self.entry(hours=23 + 55 / 60, name="longest day")
        self.employee.quickbooks_hourly_rate = 80.0
        self.send(longest)
        self.assertEqual(longest.quickbooks_state, "synced", longest.quickbooks_error)
        stored = self.qbo("TimeActivity", longest.quickbooks_id)
        self.assertEqual((stored["Hours"], stored["Minutes"]), (23, 55))

    def test_closed_books_refuse_with_the_close_date(self):
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"AccountingInfoPrefs": {"BookCloseDate": "2024-12-31"}})
        self.addCleanup(self.emulator.control, "POST", "preferences", realm_id=self.realm_id,
                        patch={"AccountingInfoPrefs": {"BookCloseDate": None}})
        line = self.entry(date=date(2024, 12, 20))
        self.send(line)
        self.assertEqual(line.quickbooks_state, "error")
        self.assertIn("2024-12-31", line.quickbooks_error)
        self.assertEqual(self.activities_of(line), [])

    def test_time_entries_locked_by_payroll_settings_say_so(self):
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"TimeTrackingPrefs": {"TimeEntriesLocked": True}})
        self.addCleanup(self.emulator.control, "POST", "preferences", realm_id=self.realm_id,
                        patch={"TimeTrackingPrefs": {"TimeEntriesLocked": False}})
        line = self.entry()
        self.send(line)
        self.assertEqual(line.quickbooks_state, "error")
        self.assertIn("6000", line.quickbooks_error)
        self.assertIn("payroll settings", line.quickbooks_error)
        self.assertEqual(self.activities_of(line), [])

    # -- people ------------------------------------------------------------------------------------

    def test_contractor_is_sent_as_a_vendor(self):
        contractor = self.env["hr.employee"].create({
            "name": f"Carl Contractor {self._journal_counter}", "employee_type": "contractor",
            "quickbooks_hourly_rate": 60.0, "company_id": self.env.company.id,
        })
        line = self.entry(employee=contractor)
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        stored = self.qbo("TimeActivity", line.quickbooks_id)
        self.assertEqual(stored["NameOf"], "Vendor")
        self.assertNotIn("EmployeeRef", stored)
        vendor = self.qbo("Vendor", stored["VendorRef"]["value"])
        self.assertEqual(vendor["DisplayName"], contractor.name)
        self.assertEqual(contractor.quickbooks_id, vendor["Id"])

    def test_employee_matched_by_name_ignoring_case_and_spacing(self):
        n = self._journal_counter
        existing = self.client.create("Employee", {"DisplayName": f"Maria Lopez {n}", "GivenName": "Maria",
                                                   "FamilyName": f"Lopez {n}"})
        maria = self.env["hr.employee"].create({"name": f"maria  LOPEZ {n}", "quickbooks_hourly_rate": 70.0,
                                                "company_id": self.env.company.id})
        line = self.entry(employee=maria)
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        stored = self.qbo("TimeActivity", line.quickbooks_id)
        self.assertEqual(stored["EmployeeRef"]["value"], existing["Id"], "linked, not created again")
        self.assertEqual(maria.quickbooks_id, existing["Id"])
        found = self.client.query(f"select * from Employee where DisplayName like 'Maria Lopez {n}%'")
        self.assertEqual(len(found.get("Employee", [])), 1)

    def test_archived_employee_linked_before_is_still_sent(self):
        first = self.entry(name="before archiving")
        self.send(first)
        self.assertEqual(first.quickbooks_state, "synced", first.quickbooks_error)
        employee_id = self.employee.quickbooks_id
        later = self.entry(name="sent after archiving")  # Odoo takes no new entry of an archived employee
        self.employee.action_archive()
        self.send(later)
        self.assertEqual(later.quickbooks_state, "synced", later.quickbooks_error)
        self.assertEqual(self.qbo("TimeActivity", later.quickbooks_id)["EmployeeRef"]["value"], employee_id)

    # -- edits and deletion --------------------------------------------------------------------------

    def test_edit_after_sending_is_shown_then_sent_as_an_update(self):
        line = self.entry(hours=1.0)
        self.send(line)
        qbo_id = line.quickbooks_id
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        line.write({"unit_amount": 2.75, "name": "Planting and watering"})
        self.assertTrue(line.quickbooks_edited)
        found = self.env["account.analytic.line"].search([("id", "=", line.id), ("quickbooks_edited", "=", True)])
        self.assertEqual(found, line, "the Edited after sending filter finds it")
        self.assertEqual((self.qbo("TimeActivity", qbo_id)["Hours"], self.qbo("TimeActivity", qbo_id)["Minutes"]),
                         (1, 0), "an edit alone does not change QuickBooks")
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        self.assertFalse(line.quickbooks_edited)
        self.assertEqual(line.quickbooks_id, qbo_id, "the same time activity, updated")
        stored = self.qbo("TimeActivity", qbo_id)
        self.assertEqual((stored["Hours"], stored["Minutes"]), (2, 45))
        self.assertTrue(stored["Description"].startswith("Planting and watering"))
        self.assertEqual(len(self.activities_of(line)), 1)

    def test_deleting_a_sent_entry_deletes_it_in_quickbooks(self):
        line = self.entry()
        self.send(line)
        qbo_id = line.quickbooks_id
        self.assertTrue(qbo_id)
        line_id = line.id
        line.unlink()
        self.run_queue()
        job = self.env["quickbooks.sync.job"].search([("res_model", "=", "account.analytic.line"),
                                                      ("res_id", "=", line_id), ("operation", "=", "delete")])
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertFalse([row for row in self.activities() if row["Id"] == qbo_id])

    # -- exactly once ----------------------------------------------------------------------------------

    def test_exactly_once_when_the_answer_is_lost_after_commit(self):
        self.send(self.entry(name="warm-up"))  # the employee and the customer exist
        lines = self.entry(name="first") | self.entry(name="second") | self.entry(name="third")
        self.inject("drop_after_commit", count=3, entity="batch")
        self.send(lines)
        for line in lines:
            self.assertEqual(len(self.activities_of(line)), 1, "QuickBooks has it once")
        self.emulator.control("DELETE", f"faults?realm_id={self.realm_id}")
        jobs = self.jobs_of(lines)
        jobs.write({"next_attempt_at": fields.Datetime.now()})
        self.run_queue()
        for line in lines:
            self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
            found = self.activities_of(line)
            self.assertEqual(len(found), 1, "found and linked, never sent twice")
            self.assertEqual(line.quickbooks_id, found[0]["Id"])

    def test_exactly_once_under_429_bursts(self):
        lines = self.env["account.analytic.line"]
        for index in range(12):
            lines |= self.entry(hours=0.5 + index / 60, name=f"burst {index}")
        self.inject("429", count=4)
        self.send(lines)
        for _round in range(6):
            pending = self.jobs_of(lines).filtered(lambda job: job.state == "pending")
            if not pending:
                break
            pending.write({"next_attempt_at": fields.Datetime.now()})
            self.run_queue()
        for index, line in enumerate(lines):
            self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
            found = self.activities_of(line)
            self.assertEqual(len(found), 1)
            self.assertEqual(found[0]["Hours"] * 60 + found[0]["Minutes"], 30 + index)

    def test_only_quickbooks_managers_send_timesheets(self):
        from odoo.exceptions import AccessError  # noqa: PLC0415
        from odoo.tests import new_test_user  # noqa: PLC0415

        user = new_test_user(self.env, login=f"qb_time_user_{self._journal_counter}",
                             groups="base.group_user,hr_timesheet.group_hr_timesheet_user,"
                                    "quickbooks_sync.group_quickbooks_user")
        line = self.entry()
        with self.assertRaises(AccessError):
            line.with_user(user).action_quickbooks_sync()
        self.assertFalse(self.jobs_of(line))


@tagged("post_install", "-at_install")
class TestTimeSetup(PushCase):
    """Time tracking set-up: employees matched by name or created in QuickBooks, and the
    QuickBooks customer hierarchy mapped to Odoo projects."""

    def wizard(self):
        wizard = self.env["quickbooks.time.setup.wizard"].create({"connection_id": self.connection.id})
        wizard.action_preview()
        return wizard

    def test_four_level_hierarchy_maps_to_projects_as_time_trackers_document(self):
        """customer / sub-customer 1 / sub-customer 2 / sub-customer 3, and a QuickBooks Project."""
        n = self._journal_counter
        customer = self.client.create("Customer", {"DisplayName": f"Customer {n}"})
        sub1 = self.client.create("Customer", {"DisplayName": f"Sub-customer 1 {n}", "Job": True,
                                               "ParentRef": {"value": customer["Id"]}})
        sub2 = self.client.create("Customer", {"DisplayName": f"Sub-customer 2 {n}", "Job": True,
                                               "ParentRef": {"value": sub1["Id"]}})
        sub3 = self.client.create("Customer", {"DisplayName": f"Sub-customer 3 {n}", "Job": True,
                                               "ParentRef": {"value": sub2["Id"]}})
        website = self.client.create("Customer", {"DisplayName": f"Website {n}", "IsProject": True,
                                                  "ParentRef": {"value": customer["Id"]}})
        wizard = self.wizard()
        rows = {line.odoo_name: line for line in wizard.line_ids if line.kind == "project"}
        for qbo in (sub1, sub2, sub3, website):
            self.assertEqual(rows[qbo["DisplayName"]].action, "create_odoo")
        self.assertNotIn(customer["DisplayName"], rows, "a top-level customer is a partner, not a project")
        wizard.action_apply()

        Project = self.env["project.project"]

        def project(qbo):
            found = Project.search([("quickbooks_customer_ref", "=", qbo["Id"])])
            self.assertEqual(len(found), 1, qbo["DisplayName"])
            self.assertEqual(found.name, qbo["DisplayName"])
            return found

        # | QuickBooks | Odoo project | its partner |
        table = [(sub1, customer), (sub2, sub1), (sub3, sub2), (website, customer)]
        for qbo, parent in table:
            self.assertEqual(project(qbo).partner_id.name, parent["DisplayName"], qbo["DisplayName"])
        # Sub-customers 1 and 2 are parents: partners as well as projects; 3 is a project only.
        partners = self.env["res.partner"].search([("name", "in", [sub1["DisplayName"], sub2["DisplayName"],
                                                                  sub3["DisplayName"]])])
        self.assertEqual(sorted(partners.mapped("name")), sorted([sub1["DisplayName"], sub2["DisplayName"]]))
        self.assertEqual(project(sub2).partner_id.quickbooks_id, sub1["Id"], "the partner is linked to its customer")

        # Running it again creates nothing twice.
        counts = (Project.search_count([]), self.env["res.partner"].search_count([]))
        again = self.wizard()
        self.assertEqual(set(again.line_ids.filtered(lambda line: line.kind == "project"
                                                     and line.odoo_name.endswith(f" {n}")).mapped("action")),
                         {"linked"})
        again.action_apply()
        self.assertEqual((Project.search_count([]), self.env["res.partner"].search_count([])), counts)

        # Time on the project of sub-customer 2 goes to sub-customer 2.
        employee = self.env["hr.employee"].create({"name": f"Hierarchy worker {n}", "quickbooks_hourly_rate": 40.0})
        line = self.env["account.analytic.line"].create({
            "project_id": project(sub2).id, "employee_id": employee.id, "unit_amount": 2.0, "name": "Level 2 work",
        })
        line.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        self.assertEqual(self.qbo("TimeActivity", line.quickbooks_id)["CustomerRef"]["value"], sub2["Id"])

    def test_employees_matched_by_name_or_created_in_quickbooks(self):
        n = self._journal_counter
        existing = self.client.create("Employee", {"DisplayName": f"Olga Brandt {n}", "GivenName": "Olga"})
        only_in_qbo = self.client.create("Employee", {"DisplayName": f"Quentin Only {n}", "GivenName": "Quentin"})
        olga = self.env["hr.employee"].create({"name": f"olga   brandt {n}"})
        newcomer = self.env["hr.employee"].create({"name": f"Nina Newcomer {n}"})
        wizard = self.wizard()
        by_odoo = {line.odoo_name: line for line in wizard.line_ids if line.kind == "employee" and line.odoo_name}
        self.assertEqual(by_odoo[olga.name].action, "link")
        self.assertEqual(by_odoo[olga.name].qbo_id, existing["Id"])
        self.assertEqual(by_odoo[newcomer.name].action, "create_qbo")
        unmatched = wizard.line_ids.filtered(lambda line: line.action == "only_qbo").mapped("qbo_name")
        self.assertIn(only_in_qbo["DisplayName"], unmatched, "unmatched QuickBooks employees are shown")
        wizard.action_apply()
        self.assertEqual(olga.quickbooks_id, existing["Id"])
        self.run_queue()
        self.assertTrue(newcomer.quickbooks_id)
        self.assertEqual(self.qbo("Employee", newcomer.quickbooks_id)["DisplayName"], newcomer.name)
        found = self.client.query(f"select * from Employee where DisplayName = 'Olga Brandt {n}'")
        self.assertEqual(len(found.get("Employee", [])), 1, "not created twice")

    def test_only_managers_open_the_set_up(self):
        from odoo.exceptions import AccessError  # noqa: PLC0415
        from odoo.tests import new_test_user  # noqa: PLC0415

        user = new_test_user(self.env, login=f"qb_setup_user_{self._journal_counter}",
                             groups="base.group_user,quickbooks_sync.group_quickbooks_user")
        with self.assertRaises(AccessError):
            self.env["quickbooks.time.setup.wizard"].with_user(user).create({"connection_id": self.connection.id})
