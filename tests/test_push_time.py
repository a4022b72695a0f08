"""Timesheets to QuickBooks as time activities (issue 12).

Each test sends timesheet entries through the queue to the emulator over HTTP and asserts what
QuickBooks stored (the TimeActivity, the Employee or Vendor) and what the entry shows."""

import urllib.parse
from datetime import date

from odoo import fields
from odoo.exceptions import UserError
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
        self.set_up_in_quickbooks(self.employee)

    # -- helpers -------------------------------------------------------------------------------

    def entry(self, hours=1.5, project=None, employee=None, name="Planting the roses", **values):
        return self.env["account.analytic.line"].create({
            "project_id": (project or self.project).id, "employee_id": (employee or self.employee).id,
            "unit_amount": hours, "name": name, "date": values.pop("date", fields.Date.today()), **values,
        })

    def set_up_in_quickbooks(self, *employees):
        """What the set-up's *Create missing employees in QuickBooks* does for an employee QuickBooks
        does not have: its creation is queued (the queue links a same name instead)."""
        for employee in employees:
            employee._quickbooks_enqueue()

    def review(self, lines):
        """Send to QuickBooks on ``lines``: the review it opens."""
        action = lines.action_quickbooks_sync()
        self.assertEqual(action["res_model"], "quickbooks.time.send.wizard")
        return self.env[action["res_model"]].browse(action["res_id"])

    def send(self, lines):
        self.review(lines).action_send()
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
        n = self._journal_counter
        no_customer = self.env["project.project"].create({"name": f"Internal {n}",
                                                          "company_id": self.env.company.id})
        # Queued to be created in QuickBooks (the set-up step), but its job has not run yet.
        worker = self.env["hr.employee"].create({"name": f"Refused Worker {n}", "company_id": self.env.company.id})
        self.set_up_in_quickbooks(worker)
        too_long = self.entry(hours=23 + 56 / 60, name="too long", employee=worker)
        billable_without_customer = self.entry(project=no_customer, name="no customer", employee=worker)
        billable_without_customer.quickbooks_billable = True
        no_rate = self.entry(name="no rate", employee=worker)
        self.review(too_long | billable_without_customer | no_rate).action_send()
        self.jobs_of(worker).unlink()  # only the entries' jobs run: nothing creates the worker
        self.run_queue()
        self.assertEqual(too_long.quickbooks_state, "error")
        self.assertIn("23 h 56 min", too_long.quickbooks_error)
        self.assertIn("at most 23 h 55 min", too_long.quickbooks_error)
        self.assertEqual(billable_without_customer.quickbooks_state, "error")
        self.assertIn("has no customer", billable_without_customer.quickbooks_error)
        self.assertIn("QuickBooks tab", billable_without_customer.quickbooks_error, "says which step fixes it")
        self.assertIn("Create missing projects from QuickBooks", billable_without_customer.quickbooks_error)
        self.assertEqual(no_rate.quickbooks_state, "error")
        self.assertIn("no hourly rate", no_rate.quickbooks_error)
        self.assertEqual(len(self.activities()), before, "nothing reached QuickBooks")
        found = self.client.query(f"select * from Employee where DisplayName = 'Refused Worker {n}'")
        self.assertFalse(found.get("Employee"), "refused before any request: not even the employee was sent")
        self.assertFalse(worker.quickbooks_id)

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
        # QuickBooks' refusal taught Odoo the date: the next entry of the closed period is refused
        # before any request, with the date, and one after it is sent.
        self.addCleanup(setattr, self.connection.sudo(), "book_close_date", False)
        self.assertEqual(str(self.connection.book_close_date), "2024-12-31")
        later = self.entry(date=date(2024, 12, 30), name="closed period")
        before = self.emulator.counters(self.realm_id).get("api.requests", 0)
        self.send(later)
        self.assertEqual(later.quickbooks_state, "error")
        self.assertIn("closed through 2024-12-31", later.quickbooks_error)
        self.assertEqual(self.emulator.counters(self.realm_id).get("api.requests", 0), before,
                         "refused before any request")
        self.assertEqual(self.activities_of(later), [])
        # Books reopened in QuickBooks: Sync reference data reads the date again.
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"AccountingInfoPrefs": {"BookCloseDate": None}})
        from ..sync.reference_import import ReferenceImporter  # noqa: PLC0415

        ReferenceImporter(self.connection.sudo(), notify=False).run()
        self.assertFalse(self.connection.book_close_date)
        self.send(later)
        self.assertEqual(later.quickbooks_state, "synced", later.quickbooks_error)
        self.assertEqual(self.qbo("TimeActivity", later.quickbooks_id)["TxnDate"], "2024-12-30")

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

    def test_employee_not_linked_is_refused_with_the_step_then_sent_once_set_up(self):
        n = self._journal_counter
        newcomer = self.env["hr.employee"].create({"name": f"Nora Unlinked {n}", "quickbooks_hourly_rate": 55.0,
                                                   "company_id": self.env.company.id})
        line = self.entry(employee=newcomer)
        review = self.review(line)
        self.assertEqual(review.line_ids.status, "refused", "the review says it before anything is sent")
        self.assertIn("Create missing employees in QuickBooks", review.line_ids.reason)
        review.action_send()
        self.run_queue()
        self.assertEqual(line.quickbooks_state, "error")
        self.assertIn(f"Nora Unlinked {n} is not linked to a QuickBooks employee", line.quickbooks_error)
        self.assertIn("Time tracking set-up", line.quickbooks_error)
        self.assertIn("Create missing employees in QuickBooks", line.quickbooks_error, "says which step fixes it")
        self.assertEqual(self.activities_of(line), [])
        found = self.client.query(f"select * from Employee where DisplayName = 'Nora Unlinked {n}'")
        self.assertFalse(found.get("Employee"), "time never creates a person in QuickBooks")

        # The manager-only step, with its preview, then the entry again.
        setup = self.env["quickbooks.time.setup.wizard"].create({"connection_id": self.connection.id})
        setup.action_preview()
        row = setup.line_ids.filtered(lambda row: row.kind == "employee" and row.res_id == newcomer.id)
        self.assertEqual(row.action, "create_qbo")
        setup.action_apply_employees()
        self.run_queue()
        self.assertTrue(newcomer.quickbooks_id)
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        self.assertEqual(self.qbo("TimeActivity", line.quickbooks_id)["EmployeeRef"]["value"], newcomer.quickbooks_id)

    def test_review_shows_what_is_sent_refused_and_the_hours_before_sending(self):
        sent = self.entry(hours=1.0, name="sent before")
        self.send(sent)
        self.assertEqual(sent.quickbooks_state, "synced", sent.quickbooks_error)
        not_billable = self.entry(hours=0.5, name="not billable", quickbooks_billable=False)
        billable = self.entry(hours=2.25, name="billable")
        too_long = self.entry(hours=24.0, name="too long")
        before, jobs_before = len(self.activities()), self.env["quickbooks.sync.job"].search_count([])
        lines = sent | not_billable | billable | too_long
        review = self.review(lines)
        status = {row.entry_id: row for row in review.line_ids}
        self.assertEqual(status[sent].status, "skip")
        self.assertEqual(status[not_billable].status, "send")
        self.assertEqual(status[billable].status, "send")
        self.assertEqual(status[billable].rate, 80.0)
        self.assertEqual(status[too_long].status, "refused")
        self.assertIn("at most 23 h 55 min", status[too_long].reason)
        self.assertEqual((review.count_send, review.count_refused, review.count_skip), (2, 1, 1))
        self.assertAlmostEqual(review.hours_send, 2.75)
        self.assertAlmostEqual(review.hours_billable, 2.25)
        self.assertAlmostEqual(review.hours_refused, 24.0)
        self.assertEqual(len(self.activities()), before, "the review sends nothing")
        self.assertEqual(self.env["quickbooks.sync.job"].search_count([]), jobs_before, "nor queues anything")

        review.action_send()
        self.assertFalse(self.jobs_of(sent).filtered(lambda job: job.state == "pending"), "sent once: not again")
        self.run_queue()
        for line in not_billable | billable:
            self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
            self.assertEqual(len(self.activities_of(line)), 1)
        self.assertEqual(self.qbo("TimeActivity", not_billable.quickbooks_id)["BillableStatus"], "NotBillable")
        self.assertEqual(too_long.quickbooks_state, "error", "the refusal stays on the entry (Failed filter)")
        self.assertEqual(self.activities_of(too_long), [])
        self.assertEqual(len(self.activities_of(sent)), 1)

    def test_class_from_the_projects_analytic_account(self):
        account = self.project.account_id or self.env["account.analytic.account"].create({
            "name": f"Garden analytic {self._journal_counter}",
            "plan_id": self.env["account.analytic.plan"].search([], limit=1).id,
        })
        self.project.account_id = account
        design = self.ref("Class", "Design")
        design.analytic_account_id = account
        self.addCleanup(setattr, design, "analytic_account_id", False)
        line = self.entry()
        self.send(line)
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        stored = self.qbo("TimeActivity", line.quickbooks_id)
        self.assertEqual(stored["ClassRef"]["value"], design.qbo_id)
        self.assertEqual(self.qbo("Class", stored["ClassRef"]["value"])["Name"], "Design")
        other = self.env["project.project"].create({"name": f"No class {self._journal_counter}",
                                                    "partner_id": self.customer.id})
        plain = self.entry(project=other)
        self.send(plain)
        self.assertNotIn("ClassRef", self.qbo("TimeActivity", plain.quickbooks_id), "no class when none is mapped")

    # -- people ------------------------------------------------------------------------------------

    def test_contractor_is_sent_as_a_vendor(self):
        contractor = self.env["hr.employee"].create({
            "name": f"Carl Contractor {self._journal_counter}", "employee_type": "contractor",
            "quickbooks_hourly_rate": 60.0, "company_id": self.env.company.id,
        })
        self.set_up_in_quickbooks(contractor)
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
        self.set_up_in_quickbooks(maria)  # looked up by name before it is created: linked
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

    def test_deleting_a_sent_entry_asks_whether_to_delete_it_in_quickbooks(self):
        from odoo.exceptions import RedirectWarning  # noqa: PLC0415

        kept, deleted, never_sent = self.entry(name="kept there"), self.entry(name="deleted there"), self.entry()
        self.send(kept | deleted)
        kept_id, deleted_id = kept.quickbooks_id, deleted.quickbooks_id
        self.assertTrue(kept_id and deleted_id)
        never_sent.unlink()  # never sent: nothing to ask
        with self.assertRaises(RedirectWarning) as asked:
            (kept | deleted).unlink()
        self.assertIn("Delete their time activities in QuickBooks too", str(asked.exception.args[0]))
        self.assertTrue(kept.exists() and deleted.exists(), "nothing deleted before the answer")
        question = asked.exception.args[1]
        self.assertEqual(question["res_model"], "quickbooks.time.delete.wizard")

        def ask(lines):
            return self.env["quickbooks.time.delete.wizard"].with_context(**question["context"]).create(
                {"entry_ids": [fields.Command.set(lines.ids)]})

        # In Odoo only: QuickBooks keeps the time activity.
        wizard = ask(kept)
        self.assertEqual(wizard.sent_count, 1)
        wizard.action_delete_odoo()
        self.assertFalse(kept.exists())
        # Here and in QuickBooks.
        deleted_line_id = deleted.id
        ask(deleted).action_delete_both()
        self.assertFalse(deleted.exists())
        self.run_queue()
        job = self.env["quickbooks.sync.job"].search([("res_model", "=", "account.analytic.line"),
                                                      ("res_id", "=", deleted_line_id), ("operation", "=", "delete")])
        self.assertEqual(job.state, "done", job.fault_message)
        live = {row["Id"] for row in self.activities()}
        self.assertIn(kept_id, live, "deleted in Odoo only: QuickBooks keeps it")
        self.assertNotIn(deleted_id, live, "deleted in QuickBooks too")

    def test_only_quickbooks_managers_delete_time_activities_in_quickbooks(self):
        from odoo.exceptions import AccessError  # noqa: PLC0415
        from odoo.tests import new_test_user  # noqa: PLC0415

        line = self.entry()
        self.send(line)
        user = new_test_user(self.env, login=f"qb_time_deleter_{self._journal_counter}",
                             groups="base.group_user,hr_timesheet.group_hr_timesheet_approver,"
                                    "quickbooks_sync.group_quickbooks_user")
        wizard = self.env["quickbooks.time.delete.wizard"].with_user(user).create(
            {"entry_ids": [fields.Command.set(line.ids)]})
        self.assertFalse(wizard.can_delete_in_quickbooks)
        with self.assertRaises(AccessError):
            wizard.action_delete_both()
        self.assertTrue(line.exists())

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
        employee._quickbooks_enqueue()  # Create missing employees in QuickBooks
        line = self.env["account.analytic.line"].create({
            "project_id": project(sub2).id, "employee_id": employee.id, "unit_amount": 2.0, "name": "Level 2 work",
        })
        review = line.action_quickbooks_sync()
        self.env[review["res_model"]].browse(review["res_id"]).action_send()
        self.run_queue()
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        self.assertEqual(self.qbo("TimeActivity", line.quickbooks_id)["CustomerRef"]["value"], sub2["Id"])

    def project_wizard(self, project, mode, name=None):
        action = getattr(project, "action_quickbooks_link_customer" if mode == "link"
                         else "action_quickbooks_create_sub_customer")()
        wizard = self.env[action["res_model"]].browse(action["res_id"])
        if name:
            wizard.qbo_name = name
        return wizard

    def send_time(self, project, n):
        employee = self.env["hr.employee"].create({"name": f"Project worker {n}", "quickbooks_hourly_rate": 45.0})
        employee._quickbooks_enqueue()  # Create missing employees in QuickBooks
        line = self.env["account.analytic.line"].create({
            "project_id": project.id, "employee_id": employee.id, "unit_amount": 1.0, "name": "Project work",
        })
        review = line.action_quickbooks_sync()
        self.env[review["res_model"]].browse(review["res_id"]).action_send()
        self.run_queue()
        self.assertEqual(line.quickbooks_state, "synced", line.quickbooks_error)
        return self.qbo("TimeActivity", line.quickbooks_id)

    def test_project_made_in_odoo_linked_to_an_existing_quickbooks_customer(self):
        n = self._journal_counter
        parent = self.client.create("Customer", {"DisplayName": f"Estate {n}"})
        job = self.client.create("Customer", {"DisplayName": f"Estate pond {n}", "Job": True,
                                              "ParentRef": {"value": parent["Id"]}})
        project = self.env["project.project"].create({"name": f"Pond {n}", "partner_id": self.customer.id})
        with self.assertRaises(UserError):
            self.project_wizard(project, "link", f"No such customer {n}").action_confirm()
        self.project_wizard(project, "link", f"Estate pond {n}").action_confirm()
        self.assertEqual(project.quickbooks_customer_ref, job["Id"])
        self.assertEqual(project.quickbooks_customer_name, f"Estate {n}:Estate pond {n}")
        self.assertEqual(self.send_time(project, n)["CustomerRef"]["value"], job["Id"], "its time goes there")
        self.assertFalse(self.customer.quickbooks_id, "the project's own partner was not needed")
        other = self.env["project.project"].create({"name": f"Pond again {n}", "partner_id": self.customer.id})
        with self.assertRaises(UserError):
            self.project_wizard(other, "link", f"Estate pond {n}").action_confirm()

    def test_project_made_in_odoo_created_as_a_sub_customer_of_its_partner_once(self):
        n = self._journal_counter
        project = self.env["project.project"].create({"name": f"Orchard {n}", "partner_id": self.customer.id})
        with self.assertRaises(UserError) as refused:
            self.project_wizard(project, "create").action_confirm()
        self.assertIn("not in QuickBooks yet", str(refused.exception))
        self.sync_basics()  # the customer is in QuickBooks
        before = self.qbo_count("Customer")
        self.project_wizard(project, "create").action_confirm()
        stored = self.qbo("Customer", project.quickbooks_customer_ref)
        self.assertEqual(stored["DisplayName"], f"Orchard {n}")
        self.assertTrue(stored["Job"])
        self.assertEqual(stored["ParentRef"]["value"], self.customer.quickbooks_id)
        self.assertEqual(self.qbo_count("Customer"), before + 1)
        # Again (a second click, or after an answer that was lost): found and linked, not created twice.
        qbo_id = project.quickbooks_customer_ref
        project.write({"quickbooks_customer_ref": False, "quickbooks_customer_realm": False,
                       "quickbooks_customer_name": False})
        self.project_wizard(project, "create").action_confirm()
        self.assertEqual(project.quickbooks_customer_ref, qbo_id)
        self.assertEqual(self.qbo_count("Customer"), before + 1)
        self.assertEqual(self.send_time(project, n)["CustomerRef"]["value"], qbo_id)

    def test_only_managers_link_projects(self):
        from odoo.exceptions import AccessError  # noqa: PLC0415
        from odoo.tests import new_test_user  # noqa: PLC0415

        user = new_test_user(self.env, login=f"qb_project_user_{self._journal_counter}",
                             groups="base.group_user,project.group_project_manager,"
                                    "quickbooks_sync.group_quickbooks_user")
        project = self.env["project.project"].create({"name": f"Guarded {self._journal_counter}"})
        with self.assertRaises(AccessError):
            project.with_user(user).action_quickbooks_link_customer()

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
