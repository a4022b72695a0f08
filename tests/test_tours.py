"""The connection flow in real Chromium: Odoo's settings, the emulator's consent page, and
back.  Run by Odoo's test runner (tag ``quickbooks_tour``), not by pytest."""

import base64
import contextlib
import os
import pathlib
import time
from concurrent.futures import Future
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from ..sync.pull import PullEngine
from .common import QuickBooksSetupMixin
from .import_data import new_bare_realm, seed
from .push_common import PushSetupMixin


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestConnectTour(QuickBooksSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.realm_id = cls.emulator.new_realm(company_name="Tour Books")

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())

    def _evaluate(self, browser, expression):
        result = browser._websocket_request("Runtime.evaluate", params={
            "expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")

    def _wait_for(self, browser, expression, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with contextlib.suppress(Exception):
                if self._evaluate(browser, expression):
                    return
            time.sleep(0.2)
        browser.take_screenshot(prefix="sc_quickbooks_tour_")
        self.fail(f"Timed out waiting for {what}")

    def _run_tour(self, browser, name):
        browser._result = Future()  # each tour signals "tour succeeded" once
        self.assertTrue(browser._wait_ready(f"odoo.isTourReady({name!r})"), f"tour {name} is not ready")
        browser._wait_code_ok(f"odoo.startTour({name!r}, {{stepDelay: 0, keepWatchBrowser: false}})", 60)

    def test_connect_test_disconnect(self):
        # A cross-origin flow does not fit one start_tour(): the consent page belongs to
        # Intuit (here the emulator), where no tour code runs.  So one browser session runs
        # an Odoo tour, clicks the consent page itself, then runs a second Odoo tour.
        users = self.registry["res.users"]
        browser = ChromeBrowser(self, headless=True, success_signal="tour succeeded")
        with contextlib.ExitStack() as stack, patch.object(users, "tour_enabled", False), \
                patch.object(users, "_compute_tour_enabled", lambda _self: None):
            stack.enter_context(self.allow_requests(browser=browser))
            stack.callback(self._wait_remaining_requests)
            stack.enter_context(browser.cleanup)
            self.authenticate("admin", "admin", browser=browser)
            self.cr.flush()
            self.cr.clear()

            browser.navigate_to(f"{self.base_url()}/odoo/action-quickbooks_sync.action_quickbooks_settings")
            self._run_tour(browser, "quickbooks_connect_start")

            self._wait_for(browser, f"location.href.startsWith({self.emulator.url!r})", "the consent page")
            self._wait_for(browser, "document.body && document.body.innerText.includes('Tour Books')",
                           "the company on the consent page")
            self._evaluate(browser, f"document.querySelector('input[value=\"{self.realm_id}\"]').click()")
            self._evaluate(browser, "document.querySelector('button[value=approve]').click()")

            self._wait_for(browser, f"location.href.startsWith({self.base_url()!r} + '/odoo')", "the way back to Odoo")
            self._run_tour(browser, "quickbooks_connected")

        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertEqual(connection.realm_id, self.realm_id)
        self.assertEqual(connection.state, "disconnected")
        self.assertEqual(self.counted("oauth.revoke"), 1)


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestInvoiceSyncTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """Open a posted invoice, Sync to QuickBooks, see it synced with its number; break the tax
    mapping, see the failure in the Sync Log, fix it, retry."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().auto_push_invoices = False
        cls.tax_ca.name = "Tour sales tax 8%"
        cls.tax_ca.quickbooks_tax_code_ref_id = cls.ref("TaxCode", "California")
        cls.ref("TaxCode", "California").tax_id = False
        product = cls.env["product.product"].create({
            "name": "Tour service", "type": "service", "list_price": 50.0, "taxes_id": [Command.set(cls.tax_ca.ids)],
        })
        for name in ("Tour Customer A", "Tour Customer B"):
            partner = cls.env["res.partner"].create({"name": name, "is_company": True})
            move = cls.env["account.move"].create({
                "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 2, "price_unit": 50.0})],
            })
            move.action_post()

    def test_invoice_sync_failure_fix_retry(self):
        self.start_tour("/odoo/action-account.action_move_out_invoice_type", "quickbooks_invoice_sync", login="admin",
                        timeout=180)
        moves = self.env["account.move"].search([("partner_id.name", "like", "Tour Customer")])
        self.assertEqual(set(moves.mapped("quickbooks_state")), {"synced"})
        for move in moves:
            invoice = self.client.read("Invoice", move.quickbooks_id)
            self.assertEqual(invoice["TotalAmt"], round(move.amount_total, 2))
        # The failure of Tour Customer B is history: no Failed row left in the default Sync Log
        # view, no "Fix the QuickBooks sync" activity left open.
        jobs = self.env["quickbooks.sync.job"].search([("res_model", "=", "account.move"), ("res_id", "in", moves.ids)])
        self.assertFalse(jobs.filtered(lambda job: job.state == "failed" and not job.superseded_by_id))
        self.assertFalse(moves.activity_ids)


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestLiveStatusTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """An open invoice form shows Synced when the queue has sent it, without a reload."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().auto_push_invoices = False
        partner = cls.env["res.partner"].create({"name": "Live Customer", "is_company": True})
        product = cls.env["product.product"].create({"name": "Live service", "type": "service",
                                                     "list_price": 25.0, "taxes_id": []})
        cls.move = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 3, "price_unit": 25.0,
                                                 "tax_ids": []})],
        })
        cls.move.action_post()

    def test_badge_follows_the_queue(self):
        self.start_tour("/odoo/action-account.action_move_out_invoice_type", "quickbooks_live_status",
                        login="admin", timeout=120)
        self.assertEqual(self.move.quickbooks_state, "synced")
        self.assertEqual(self.client.read("Invoice", self.move.quickbooks_id)["TotalAmt"], 75.0)


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestImportTour(QuickBooksSetupMixin, HttpCase):
    """The import wizard in Chromium: choose the strategy, preview, apply, read the summary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.realm_id = new_bare_realm(cls.emulator, "Tour Import Books")
        seed(cls.emulator, cls.realm_id,
             Customer=[{"DisplayName": "Tour Customer A", "PrimaryEmailAddr": {"Address": "a@tour.example"}},
                       {"DisplayName": "Tour Customer B"}],
             Item=[{"Name": "Tour Service", "Type": "Service", "UnitPrice": 10, "IncomeAccountRef": {"value": "1"}},
                   {"Name": "Tour Goods", "Type": "NonInventory", "UnitPrice": 3, "IncomeAccountRef": {"value": "79"}}])
        cls.partner_a = cls.env["res.partner"].create({"name": "Tour Customer A", "email": "a@tour.example"})
        cls.service = cls.env["product.product"].create({"name": "Tour Service", "type": "service"})

    def test_import_wizard(self):
        self.connect()
        # The company's default would create everything; the admin picks another strategy.
        self.connection.write({"match_strategy": "never"})
        self.connection.action_sync_references()
        self.start_tour("/odoo/action-quickbooks_sync.action_quickbooks_settings", "quickbooks_import_wizard",
                        login="admin")
        bindings = self.env["quickbooks.binding"].search([("realm_id", "=", self.realm_id)])
        linked = {(b.res_model, b.res_id) for b in bindings}
        self.assertIn(("res.partner", self.partner_a.id), linked)
        self.assertIn(("product.product", self.service.id), linked)
        self.assertEqual(len(bindings), 4)


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestSyncEverythingTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """Settings > Sync everything now: preview, send, progress, done."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().auto_push_invoices = False
        product = cls.env["product.product"].create({"name": "Backlog service", "type": "service",
                                                     "list_price": 40.0, "taxes_id": []})
        partner = cls.env["res.partner"].create({"name": "Backlog Customer", "is_company": True})
        cls.moves = cls.env["account.move"]
        for index in range(3):
            move = cls.env["account.move"].create({
                "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1 + index,
                                                     "price_unit": 40.0, "tax_ids": []})],
            })
            if index < 2:
                move.action_post()
            cls.moves |= move

    def test_sync_everything(self):
        self.start_tour("/odoo/action-quickbooks_sync.action_quickbooks_settings", "quickbooks_sync_all",
                        login="admin", timeout=180)
        posted = self.moves.filtered(lambda move: move.state == "posted")
        self.assertEqual(set(posted.mapped("quickbooks_state")), {"synced"})
        for move in posted:
            self.assertEqual(self.client.read("Invoice", move.quickbooks_id)["TotalAmt"], round(move.amount_total, 2))


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestSyncDefaultsTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """Settings > QuickBooks > Sync defaults: each picker offers only references of its kind;
    a wrong value written over RPC is refused with the reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()

    def test_sync_defaults_offer_only_fitting_references(self):
        self.start_tour("/odoo/action-quickbooks_sync.action_quickbooks_settings", "quickbooks_sync_defaults",
                        login="admin", timeout=180)
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertEqual(connection.default_class_ref_id, self.ref("Class", "Design"))
        self.assertEqual(connection.default_department_ref_id, self.ref("Department", "North"))
        self.assertEqual(connection.default_income_account_ref_id, self.ref("Account", "Design income"))
        self.assertEqual(connection.default_expense_account_ref_id, self.ref("Account", "Office Expenses"))


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestRecordStatusTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """A customer and a product synced from their forms show their QuickBooks status, the name
    QuickBooks holds ("Books by Bessie - 2": the name was taken) and the link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().write({"match_strategy": "email", "auto_push_partners": False})
        # The sample company has a vendor "Books by Bessie" (display names are unique across
        # customers, vendors and employees): our customer becomes "Books by Bessie - 2".
        assert cls.client.query("select * from Vendor where DisplayName = 'Books by Bessie'").get("Vendor")
        cls.partner = cls.env["res.partner"].create({
            "name": "Books by Bessie", "is_company": True, "customer_rank": 1, "email": "orders@bessie.example"})
        cls.product = cls.env["product.product"].create({
            "name": "Tour Bessie service", "type": "service", "list_price": 30.0, "sale_ok": True})

    def test_customer_and_product_show_their_quickbooks_status(self):
        self.start_tour("/odoo/customers", "quickbooks_record_status", login="admin", timeout=240)
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.quickbooks_qbo_name, "Books by Bessie - 2")
        self.assertEqual(self.client.read("Customer", self.partner.quickbooks_id)["DisplayName"],
                         "Books by Bessie - 2")
        self.assertEqual(self.client.read("Item", self.product.quickbooks_id)["Name"], "Tour Bessie service")


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestDisconnectedTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """Sync to QuickBooks while the company is disconnected: said, with what to do, and shown on
    the badge; nothing is sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().auto_push_invoices = False
        partner = cls.env["res.partner"].create({"name": "Offline Customer", "is_company": True})
        product = cls.env["product.product"].create({"name": "Offline service", "type": "service",
                                                     "list_price": 10.0, "taxes_id": []})
        cls.move = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 10.0,
                                                 "tax_ids": []})],
        })
        cls.move.action_post()
        cls.connection._disconnect()

    def test_sync_while_disconnected_says_why(self):
        before = self.counted("api.writes")
        self.start_tour("/odoo/action-account.action_move_out_invoice_type", "quickbooks_sync_disconnected",
                        login="admin", timeout=120)
        self.assertEqual(self.move.quickbooks_state, "queued")
        self.assertIn("not connected", self.move.quickbooks_not_connected)
        self.assertEqual(self.counted("api.writes"), before, "nothing sent")


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestTimesheetTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """Timesheets: filter Not sent, select, Send to QuickBooks, see them Sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        partner = cls.env["res.partner"].create({"name": "Tour Time Customer", "is_company": True})
        employee = cls.env["hr.employee"].create({"name": "Tour Gardener", "quickbooks_hourly_rate": 65.0})
        employee._quickbooks_enqueue()  # Time tracking set-up > Create missing employees in QuickBooks
        project = cls.env["project.project"].create({"name": "Tour garden", "partner_id": partner.id,
                                                     "allow_timesheets": True})
        cls.lines = cls.env["account.analytic.line"].create([
            {"name": f"Tour timesheet {letter}", "project_id": project.id, "employee_id": employee.id,
             "unit_amount": hours, "date": fields.Date.today()}
            for letter, hours in (("A", 1.5), ("B", 0.75))
        ])

    def test_timesheets_sent(self):
        self.start_tour("/odoo/all-timesheets", "quickbooks_timesheet_send", login="admin", timeout=180)
        self.assertEqual(set(self.lines.mapped("quickbooks_state")), {"synced"})
        for line in self.lines:
            stored = self.client.read("TimeActivity", line.quickbooks_id)
            self.assertEqual(stored["Hours"] * 60 + stored["Minutes"], round(line.unit_amount * 60))
            self.assertEqual(stored["BillableStatus"], "Billable")


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestBillSyncTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """Open a posted vendor bill, Sync to QuickBooks, see it synced with its number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        account = cls.env["account.account"].create({"code": "610099", "name": "Tour supplies",
                                                     "account_type": "expense"})
        account.quickbooks_account_ref_id = cls.ref("Account", "Office Expenses")
        vendor = cls.env["res.partner"].create({"name": "Tour Vendor", "is_company": True, "supplier_rank": 1})
        cls.bill = cls.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": vendor.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"name": "Supplies", "account_id": account.id, "quantity": 2,
                                                 "price_unit": 61.5, "tax_ids": []})],
        })
        cls.bill.action_post()

    def test_bill_sync(self):
        self.start_tour("/odoo/action-account.action_move_in_invoice_type", "quickbooks_bill_sync", login="admin",
                        timeout=180)
        self.bill.invalidate_recordset()
        self.assertEqual(self.bill.quickbooks_state, "synced", self.bill.quickbooks_error)
        stored = self.client.read("Bill", self.bill.quickbooks_id)
        self.assertEqual(stored["TotalAmt"], 123.0)
        self.assertEqual(stored["DocNumber"], self.bill.name)


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestDesktopTour(HttpCase):
    """QuickBooks Desktop (issue 16): Settings, the Web Connector's password generated and copied,
    the setup file downloaded; an invoice's Sync to QuickBooks shows Queued, then Synced after a
    session of the stand-in's Web Connector."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from ..qbd_emulator.process import CompanyFileProcess  # noqa: PLC0415 - only this class needs it

        cls.quickbooks = CompanyFileProcess()
        cls.addClassCleanup(cls.quickbooks.stop)
        cls.connection = cls.env.company._quickbooks_connection().sudo()
        cls.connection.write({"backend": "desktop", "auto_push_invoices": False})
        partner = cls.env["res.partner"].create({"name": "Desktop Tour Customer", "is_company": True})
        product = cls.env["product.product"].create({"name": "Desktop tour service", "type": "service"})
        cls.move = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 80.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        cls.move.action_post()

    def test_desktop_setup_and_invoice(self):
        from ..qbd_emulator.process import WebConnectorProcess  # noqa: PLC0415

        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.start_tour("/odoo/action-quickbooks_sync.action_quickbooks_settings", "quickbooks_desktop_setup",
                        login="admin", timeout=120)
        self.assertFalse(self.env["quickbooks.qbwc.password.wizard"].search([]), "the password is never stored")
        self.connection.invalidate_recordset()
        self.assertTrue(self.connection.qbd_has_password)
        password = self.connection._qbd_set_password()  # what the user pasted into the Web Connector
        self.connection.sync_enabled = True
        self.start_tour("/odoo/action-account.action_move_out_invoice_type", "quickbooks_desktop_invoice_queued",
                        login="admin", timeout=120)
        self.authenticate("admin", "admin")
        qwc = self.url_open(f"/quickbooks/qbwc/setup/{self.connection.id}").text
        connector = WebConnectorProcess(qwc, password, self.quickbooks.url)
        self.addCleanup(connector.stop)
        self.env.flush_all()
        with self.allow_requests(all_requests=True):
            result = connector.update_selected()
        self.assertEqual(result["status"], "Ok", result)
        self.start_tour("/odoo/action-account.action_move_out_invoice_type", "quickbooks_desktop_invoice_synced",
                        login="admin", timeout=120)
        self.move.invalidate_recordset()
        self.assertEqual(self.move.quickbooks_state, "synced")


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestConflictTour(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """A field changed both in Odoo and in QuickBooks: settled with one click in the Sync Log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().write({"auto_push_partners": False, "pull_conflict_policy": "ask"})
        cls.partner = cls.env["res.partner"].create({
            "name": "Tour Conflict Nursery", "is_company": True, "customer_rank": 1,
            "email": "before@tour-conflict.example"})

    def test_conflict_resolved_with_one_click(self):
        self.env["quickbooks.pull.state"].sudo().create({
            "connection_id": self.connection.id, "realm_id": self.realm_id,
            "window_start": fields.Datetime.now() - timedelta(seconds=5)})
        self.partner.action_quickbooks_sync()
        self.env.flush_all()
        self.env["quickbooks.sync.job"]._cron_process_queue(time_budget=60)
        self.env.invalidate_all()
        qbo_id = self.partner.quickbooks_id
        self.assertTrue(qbo_id, self.partner.quickbooks_error)
        self.partner.email = "odoo@tour-conflict.example"
        current = self.client.read("Customer", qbo_id)
        self.client.update("Customer", {"Id": qbo_id, "SyncToken": current["SyncToken"],
                                        "PrimaryEmailAddr": {"Address": "quickbooks@tour-conflict.example"}})
        self.env.flush_all()
        PullEngine(self.connection.sudo()).run_cdc()
        self.env.invalidate_all()
        job = self.env["quickbooks.sync.job"].sudo().search([
            ("direction", "=", "incoming"), ("qbo_entity", "=", "Customer"), ("qbo_id", "=", qbo_id)])
        self.assertEqual(job.state, "conflict", job.fault_message)

        self.start_tour(f"/odoo/quickbooks-sync-log/{job.id}", "quickbooks_conflict_resolve", login="admin",
                        timeout=120)

        self.env.invalidate_all()
        self.assertEqual(job.state, "done")
        self.assertEqual(self.partner.email, "quickbooks@tour-conflict.example")
        self.assertEqual(self.client.read("Customer", qbo_id)["PrimaryEmailAddr"]["Address"],
                         "quickbooks@tour-conflict.example")


@tagged("post_install", "-at_install", "quickbooks_tour")
class TestScreenshots(QuickBooksSetupMixin, PushSetupMixin, HttpCase):
    """The README's screenshots, taken in real Chromium from the screens themselves: the
    QuickBooks settings, an invoice with its badge (and one with its error), the Sync Log, the
    import preview.  Each screen is checked for what it must show; the PNGs are written to
    docs/screenshots/ when ``QUICKBOOKS_SCREENSHOTS`` is set (``python3 tools/dev.py
    screenshots``), so that they are re-taken from the current screens, never drawn by hand."""

    browser_size = "1600x900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.connection.sudo().write({"auto_push_invoices": False, "auto_push_partners": False})
        from ..sync.reference_import import ReferenceImporter  # noqa: PLC0415 - the service imports the models

        ReferenceImporter(cls.connection.sudo(), notify=False).run()
        product = cls.env["product.product"].create({
            "name": "Garden design", "type": "service", "list_price": 120.0, "taxes_id": [Command.set(cls.tax_ca.ids)]})
        unmapped = cls.env["account.tax"].create({"name": "County tax 1%", "amount": 1.0, "amount_type": "percent",
                                                  "type_tax_use": "sale"})
        cls.moves = cls.env["account.move"]
        for name, taxes in (("Bluebell Landscaping", cls.tax_ca), ("Cedar Creek Nursery", unmapped)):
            partner = cls.env["res.partner"].create({"name": name, "is_company": True, "city": "San Mateo"})
            move = cls.env["account.move"].create({
                "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 4, "price_unit": 120.0,
                                                     "tax_ids": [Command.set(taxes.ids)]})],
            })
            move.action_post()
            cls.moves |= move
        # Odoo records that the import links to the sample company's customers.
        cls.env["res.partner"].create([{"name": "Amy's Bird Sanctuary", "email": "Birds@Intuit.com"},
                                       {"name": "Bill's Windsurf Shop"}])

    def _evaluate(self, browser, expression):
        result = browser._websocket_request("Runtime.evaluate", params={
            "expression": expression, "returnByValue": True, "awaitPromise": True})
        return result.get("result", {}).get("value")

    def _wait_for(self, browser, expression, what, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with contextlib.suppress(Exception):
                if self._evaluate(browser, expression):
                    return
            time.sleep(0.2)
        browser.take_screenshot(prefix="sc_quickbooks_screenshots_")
        self.fail(f"Timed out waiting for {what}")

    def _shows(self, browser, selector, text):
        """A JS test: an element matching ``selector`` is visible and contains ``text``."""
        return (f"[...document.querySelectorAll({selector!r})].some(e => e.offsetParent !== null "
                f"&& e.innerText.includes({text!r}))")

    def _shot(self, browser, name):
        self._wait_for(browser, "!document.querySelector('.o_loading_indicator')", "the requests to end")
        time.sleep(1)  # animations (notifications, dialogs) settle
        data = browser._websocket_request("Page.captureScreenshot", params={"format": "png"})["data"]
        png = base64.b64decode(data)
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n", f"{name}: a PNG")
        target = os.environ.get("QUICKBOOKS_SCREENSHOTS")
        if target:
            folder = pathlib.Path(__file__).resolve().parent.parent / "docs" / "screenshots"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.png").write_bytes(png)

    def test_readme_screenshots(self):
        # Invoices: one synced, one failed (its tax has no QuickBooks tax code).
        self.moves.action_quickbooks_sync()
        self.env["quickbooks.sync.job"]._cron_process_queue(time_budget=60)
        synced, failed = self.moves
        self.assertEqual((synced.quickbooks_state, failed.quickbooks_state), ("synced", "error"))
        self.env.flush_all()

        users = self.registry["res.users"]
        browser = ChromeBrowser(self, headless=True, success_signal="tour succeeded")
        with contextlib.ExitStack() as stack, patch.object(users, "tour_enabled", False), \
                patch.object(users, "_compute_tour_enabled", lambda _self: None):
            stack.enter_context(self.allow_requests(browser=browser))
            stack.callback(self._wait_remaining_requests)
            stack.enter_context(browser.cleanup)
            self.authenticate("admin", "admin", browser=browser)
            self.cr.flush()
            self.cr.clear()
            base = self.base_url()

            # Settings: the connection and the Sync block.
            browser.navigate_to(f"{base}/odoo/action-quickbooks_sync.action_quickbooks_settings")
            self._wait_for(browser, self._shows(browser, ".o_quickbooks_status_message", "Connected"), "the settings")
            self._wait_for(browser, self._shows(browser, ".o_quickbooks_references_summary", "to link"),
                           "the reference data summary")
            self._shot(browser, "settings")
            # The Sync block: reference data, defaults, what is missing, import, sync everything.
            self._evaluate(browser, "[...document.querySelectorAll('h2')].find(h => h.innerText.trim() === 'Sync')"
                                    ".scrollIntoView({block: 'start'})")
            self._shot(browser, "settings_sync")

            # An invoice with its badge, its QuickBooks number and the link.
            browser.navigate_to(f"{base}/odoo/action-account.action_move_out_invoice_type/{synced.id}")
            self._wait_for(browser, self._shows(browser, ".o_quickbooks_badge", "Synced"), "the Synced badge")
            self._wait_for(browser, self._shows(browser, ".o_quickbooks_number", synced.name), "its number")
            self._shot(browser, "invoice")

            # An invoice that failed: the error, the width of the form, with what to do.
            browser.navigate_to(f"{base}/odoo/action-account.action_move_out_invoice_type/{failed.id}")
            self._wait_for(browser, self._shows(browser, ".o_quickbooks_error", "not mapped to a QuickBooks tax code"),
                           "the error banner")
            banner, sheet = self._evaluate(browser, "[document.querySelector('.o_quickbooks_error'), "
                                                    "document.querySelector('.o_form_sheet')]"
                                                    ".map(e => e.getBoundingClientRect().width)")
            self.assertGreaterEqual(banner, sheet * 0.9, "the error banner spans the form, not a narrow column")
            self._shot(browser, "invoice_error")

            # The Sync Log.
            browser.navigate_to(f"{base}/odoo/quickbooks-sync-log")
            self._wait_for(browser, self._shows(browser, ".o_data_row", failed.name), "the Sync Log")
            # The default view shows what needs attention; the screenshot shows every job.
            self._evaluate(browser, "document.querySelector('.o_searchview_facet .o_facet_remove').click()")
            self._wait_for(browser, self._shows(browser, ".o_data_row", synced.name), "every job")
            self._wait_for(browser, self._shows(browser, ".o_data_row", "not mapped to a QuickBooks tax code"),
                           "the failed job, with why")
            self._shot(browser, "sync_log")

            # Import from QuickBooks: the preview.
            browser.navigate_to(f"{base}/odoo/action-quickbooks_sync.action_quickbooks_settings")
            self._wait_for(browser, "!!document.querySelector('button.o_quickbooks_import')", "the import button")
            self._evaluate(browser, "document.querySelector('button.o_quickbooks_import').click()")
            self._wait_for(browser, "!!document.querySelector('.modal-dialog button.o_quickbooks_preview')",
                           "the import wizard")
            self._evaluate(browser, "document.querySelector('.modal-dialog button.o_quickbooks_preview').click()")
            self._wait_for(browser, self._shows(browser, ".modal-dialog .o_quickbooks_import_preview",
                                                "Nothing has been written yet"), "the preview", timeout=120)
            self._wait_for(browser, self._shows(browser, ".modal-dialog table.o_quickbooks_import_summary", "To link"),
                           "the summary table")
            self._shot(browser, "import_preview")
