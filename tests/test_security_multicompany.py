"""No one reaches another company's books (issue 8).

Company A and company B each have their QuickBooks connection, connected through the real
consent page of the emulator to QuickBooks companies of their own.  The people of company A (a
QuickBooks manager, a QuickBooks user, a system administrator whose companies are A only) call,
over JSON-RPC as the web client would, every action the addon offers, on company B's records.
Each call must be refused, before anything happens: nothing changes in Odoo (connections,
tokens, jobs, links, reference data, documents) nor in QuickBooks (the emulator's counters of
both companies), and company B's authorization still works afterwards.
"""

import json

import requests

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from ..transport import crypto
from .common import EmulatorProcess, QuickBooksSetupMixin

ACCESS_ERROR = "odoo.exceptions.AccessError"
USER_ERROR = "odoo.exceptions.UserError"  # Odoo's "Incompatible companies on records"
ADDON_MODULE = "odoo.addons.quickbooks_sync"

# Actions defined by the addon that are not on a record of the addon's own models, or whose
# refusal another test proves; each entry says why it is left out of the matrix below.
NOT_IN_MATRIX = {
    # Odoo's own button, extended to queue the payment: Odoo checks access to the payment.
    ("account.payment", "action_post"): "Odoo's own action",
    ("account.payment", "action_cancel"): "Odoo's own action (QuickBooks follows after Odoo's own checks)",
    ("account.payment", "action_draft"): "Odoo's own action (QuickBooks follows after Odoo's own checks)",
    # The wizards' buttons: a wizard of another company cannot even be created (matrix), so
    # these run on a wizard created while the user still had the company (test below).
    ("quickbooks.disconnect.wizard", "action_disconnect"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.import.wizard", "action_preview"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.import.wizard", "action_apply"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.import.wizard", "action_back"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.import.wizard", "action_open_log"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.sync.all.wizard", "action_preview"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.sync.all.wizard", "action_send"): "test_wizard_of_a_company_no_longer_allowed",
    ("quickbooks.sync.all.wizard", "action_back"): "test_wizard_of_a_company_no_longer_allowed",
    # Its create is refused for another company (matrix); each button checks it again.
    ("quickbooks.time.setup.wizard", "action_preview"): "its create is in the matrix; buttons run _check_manager",
    ("quickbooks.time.setup.wizard", "action_apply"): "its create is in the matrix; buttons run _check_manager",
    ("quickbooks.time.setup.wizard", "action_apply_employees"): "its create is in the matrix; _check_manager",
    ("quickbooks.time.setup.wizard", "action_apply_projects"): "its create is in the matrix; _check_manager",
    # Their create (matrix) checks the entries / the project; each button checks them again.
    ("quickbooks.time.send.wizard", "action_send"): "its create is in the matrix; the entries are checked again",
    ("quickbooks.time.delete.wizard", "action_delete_both"): "its create is in the matrix; unlink checks the entries",
    ("quickbooks.time.delete.wizard", "action_delete_odoo"): "its create is in the matrix; unlink checks the entries",
    ("quickbooks.project.link.wizard", "action_confirm"): "its create is in the matrix; the project is checked again",
    # A preview line exists only inside its wizard, which checks its company on every button.
    ("quickbooks.sync.all.wizard.line", "action_open_blocked"): "its wizard is checked (_check_manager)",
}


@tagged("post_install", "-at_install")
class TestMultiCompanyIsolation(QuickBooksSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.emulator = EmulatorProcess.start_for(cls)
        cls.client_id, cls.client_secret = cls.emulator.register_app()
        cls.realm_a = cls.emulator.new_realm(company_name="Books of A")
        cls.realm_b = cls.emulator.new_realm(company_name="Books of B")
        cls.realm_attacker = cls.emulator.new_realm(company_name="Books the attacker controls")
        cls.realm_id = cls.realm_b  # what QuickBooksSetupMixin counts
        # B has a chart of accounts (posted invoices, payments); A is the attacker's company.
        cls.company_b = env.company
        cls.company_a = env["res.company"].create({"name": "Company A (QuickBooks isolation test)"})
        cls.connection_a = cls.company_a._quickbooks_connection().sudo()
        cls.connection_b = cls.company_b._quickbooks_connection().sudo()
        for connection in cls.connection_a | cls.connection_b:
            connection.write({"environment": "custom", "custom_url": cls.emulator.url,
                              "client_id": cls.client_id, "client_secret": cls.client_secret})
        cls.connect_class(cls.connection_a, cls.realm_a)
        cls.connect_class(cls.connection_b, cls.realm_b)

        accounting = "base.group_user,base.group_partner_manager,account.group_account_invoice"
        only_a = {"company_id": cls.company_a.id, "company_ids": [Command.set(cls.company_a.ids)]}
        cls.manager_a = new_test_user(env, login="iso_manager_a", password="iso_manager_a",
                                      groups=f"{accounting},quickbooks_sync.group_quickbooks_manager", **only_a)
        cls.user_a = new_test_user(env, login="iso_user_a", password="iso_user_a",
                                   groups=f"{accounting},quickbooks_sync.group_quickbooks_user", **only_a)
        cls.admin_a = new_test_user(env, login="iso_admin_a", password="iso_admin_a",
                                    groups=f"{accounting},base.group_system", **only_a)
        cls.manager_ab = new_test_user(
            env, login="iso_manager_ab", password="iso_manager_ab",
            groups=f"{accounting},quickbooks_sync.group_quickbooks_manager",
            company_id=cls.company_a.id, company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )

        # Company B's records, of every kind the addon touches.
        cls.partner_b = env["res.partner"].create({"name": "B's customer", "company_id": cls.company_b.id,
                                                   "customer_rank": 1})
        cls.product_b = env["product.product"].create({"name": "B's service", "type": "service",
                                                       "list_price": 50.0, "company_id": cls.company_b.id})
        cls.invoice_b = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": cls.partner_b.id, "company_id": cls.company_b.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": cls.product_b.id, "quantity": 1, "price_unit": 50.0,
                                                 "tax_ids": []})],
        })
        cls.invoice_b.action_post()
        cls.payment_b = env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": cls.partner_b.id, "amount": 20.0,
            "journal_id": env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", cls.company_b.id)], limit=1).id,
        })
        cls.payment_b.action_post()
        cls.employee_b = env["hr.employee"].create({"name": "B's gardener", "company_id": cls.company_b.id})
        cls.project_b = env["project.project"].create({"name": "B's project", "partner_id": cls.partner_b.id,
                                                       "company_id": cls.company_b.id})
        cls.timesheet_b = env["account.analytic.line"].create({
            "name": "B's time", "project_id": cls.project_b.id, "employee_id": cls.employee_b.id,
            "unit_amount": 1.0, "company_id": cls.company_b.id,
        })
        # B's vendor documents (vendor bill and vendor payment: Bill and BillPayment).
        cls.vendor_b = env["res.partner"].create({"name": "B's vendor", "company_id": cls.company_b.id,
                                                  "supplier_rank": 1})
        cls.bill_b = env["account.move"].create({
            "move_type": "in_invoice", "partner_id": cls.vendor_b.id, "company_id": cls.company_b.id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"name": "B's rent", "quantity": 1, "price_unit": 70.0,
                                                 "tax_ids": []})],
        })
        cls.bill_b.action_post()
        cls.vendor_payment_b = env["account.payment"].create({
            "payment_type": "outbound", "partner_type": "supplier", "partner_id": cls.vendor_b.id, "amount": 30.0,
            "journal_id": cls.payment_b.journal_id.id,
        })
        cls.vendor_payment_b.action_post()
        cls.reference_b = env["quickbooks.reference"].sudo().create({
            "connection_id": cls.connection_b.id, "realm_id": cls.realm_b, "qbo_entity": "Term", "qbo_id": "3",
            "name": "Net 30 (B)", "data": {"DueDays": 30},
        })
        cls.binding_b = env["quickbooks.binding"].sudo().create({
            "connection_id": cls.connection_b.id, "realm_id": cls.realm_b, "res_model": "res.partner",
            "res_id": cls.partner_b.id, "qbo_entity": "Customer", "qbo_id": "58", "qbo_name": "B's customer",
        })
        jobs = env["quickbooks.sync.job"].sudo()
        cls.job_b_failed = jobs._enqueue(cls.connection_b, cls.invoice_b, qbo_entity="Invoice", trigger=False)
        cls.job_b_failed.write({"state": "failed", "attempts": 6, "fault_message": "QuickBooks fault 6000"})
        cls.job_b_pending = jobs._enqueue(cls.connection_b, cls.partner_b, trigger=False)
        jobs._enqueue_incoming(cls.connection_b, "Payment", {"77": "Create"}, "webhook")
        cls.incoming_job_b = jobs.search([("connection_id", "=", cls.connection_b.id), ("direction", "=", "incoming")])
        cls.incoming_job_b.write({"state": "failed", "attempts": 6, "fault_message": "No payment journal"})
        # A conflict of B's, to settle with one click (issue 10).
        cls.conflict_job_b = jobs._enqueue(cls.connection_b, cls.product_b, trigger=False)
        cls.conflict_job_b.write({"state": "conflict", "fault_message": "Changed on both sides", "conflict_details": [
            {"field": "Name", "key": "name", "odoo": "B's service", "quickbooks": "B's service (QuickBooks)",
             "odoo_value": "B's service", "qbo_value": "B's service (QuickBooks)"}]})
        cls.conflict_line_b = cls.conflict_job_b.conflict_line_ids
        cls.import_job_b = jobs._log_import(cls.connection_b, "Import of B's customers", qbo_entity="Customer")
        env["ir.attachment"].sudo().create({
            "name": "import.csv", "res_model": "quickbooks.sync.job", "res_id": cls.import_job_b.id,
            "raw": b"Customer,B's secret customer list\n",
        })
        cls.run_b = env["quickbooks.sync.run"].sudo().create({"connection_id": cls.connection_b.id,
                                                             "user_id": env.uid, "state": "done"})
        cls.job_b_failed.run_id = cls.run_b
        cls.reconciliation_b = env["quickbooks.reconciliation"].sudo().create({"connection_id": cls.connection_b.id})
        cls.reconciliation_line_b = env["quickbooks.reconciliation.line"].sudo().create({
            "reconciliation_id": cls.reconciliation_b.id, "section": "invoice", "status": "only_odoo",
            "res_model": "account.move", "res_id": cls.invoice_b.id, "odoo_name": cls.invoice_b.name,
            "qbo_entity": "Invoice", "qbo_id": "7",
        })
        # And one of A's, for what the people of A may do.
        cls.partner_a = env["res.partner"].create({"name": "A's customer", "company_id": cls.company_a.id})
        cls.job_a_failed = jobs._enqueue(cls.connection_a, cls.partner_a, trigger=False)
        cls.job_a_failed.write({"state": "failed", "attempts": 6, "fault_message": "QuickBooks fault 6240"})

    # -- helpers -----------------------------------------------------------------------------

    def rpc(self, model, method, args, kwargs=None, companies=None):
        """One JSON-RPC call as the web client makes it, in the session's user's companies."""
        kwargs = dict(kwargs or {})
        context = dict(kwargs.pop("context", {}))
        context.setdefault("allowed_company_ids", companies or self.company_a.ids)
        kwargs["context"] = context
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": args, "kwargs": kwargs}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def login(self, user):
        self.authenticate(user.login, user.login)

    def snapshot(self):
        """Everything of company B (and of A's connection) an attack could change, and what
        both QuickBooks companies counted."""
        self.env.invalidate_all()
        env = self.env(su=True)
        connection_fields = ["realm_id", "previous_realm_id", "environment", "custom_url", "client_id",
                             "client_secret_encrypted", "connected_by_id", "connected_since", "sync_enabled",
                             "match_strategy", "qbo_company_name", "default_item_ref_id",
                             "default_income_account_ref_id", "references_synced_at"]
        credential_fields = ["realm_id", "access_token_encrypted", "refresh_token_encrypted", "refresh_error",
                             "refresh_count"]
        job_fields = ["connection_id", "company_id", "res_model", "res_id", "state", "operation", "payload",
                      "response", "attempts", "fault_message", "qbo_entity", "qbo_id", "next_attempt_at",
                      "conflict_details"]
        connections = env["quickbooks.connection"].browse((self.connection_a | self.connection_b).ids)
        documents = (env["account.move"].browse((self.invoice_b | self.bill_b).ids),
                     env["account.payment"].browse((self.payment_b | self.vendor_payment_b).ids),
                     env["account.analytic.line"].browse(self.timesheet_b.id))
        return {
            "connections": connections.read(connection_fields),
            "credentials": env["quickbooks.credential"].search(
                [("connection_id", "in", connections.ids)], order="id").read(credential_fields),
            "authorization requests": env["quickbooks.oauth.state"].search_count([]),
            "jobs": env["quickbooks.sync.job"].search([], order="id").read(job_fields),
            "conflict fields": env["quickbooks.sync.conflict"].search([], order="id").read(["decision", "field"]),
            "links": env["quickbooks.binding"].search([], order="id").read(
                ["connection_id", "realm_id", "res_model", "res_id", "qbo_entity", "qbo_id"]),
            "reference data": env["quickbooks.reference"].with_context(active_test=False).search(
                [], order="id").read(["connection_id", "realm_id", "qbo_id", "name", "payment_term_id", "user_id"]),
            "documents": [doc.read(["quickbooks_state", "quickbooks_id", "quickbooks_error"]) for doc in documents],
            "partner and product": [self.partner_b.sudo().read(["name", "quickbooks_name"]),
                                    self.product_b.sudo().read(["name", "quickbooks_name"])],
            "terms": env["account.payment.term"].search_count([]),
            "attachments": env["ir.attachment"].search_count([("res_model", "=", "quickbooks.sync.job")]),
            "QuickBooks of B": self.emulator.counters(self.realm_b),
            "QuickBooks of A": self.emulator.counters(self.realm_a),
            "QuickBooks of the attacker": self.emulator.counters(self.realm_attacker),
        }

    def assert_unchanged(self, before, what=""):
        after = self.snapshot()
        for key in before:
            self.assertEqual(after[key], before[key], f"{what}: {key} changed")

    def assert_authorization_alive(self, connection, realm_id):
        """The stored authorization still opens the right QuickBooks company.  (Its access
        token is used as stored: refreshing would rotate the refresh token in the emulator,
        which outlives the rollback of each test.)"""
        self.env.invalidate_all()
        credential = self.env["quickbooks.credential"].sudo().search([("connection_id", "=", connection.id)])
        self.assertEqual(credential.realm_id, realm_id)
        self.assertFalse(credential.refresh_error)
        answer = requests.get(
            f"{self.emulator.url}/v3/company/{realm_id}/companyinfo/{realm_id}", timeout=30,
            headers={"Authorization": f"Bearer {crypto.decrypt(credential.access_token_encrypted)}",
                     "Accept": "application/json"},
        )
        self.assertEqual(answer.status_code, 200, f"the authorization of {connection.company_id.name} is dead")

    def assert_refused(self, answer, what, error=ACCESS_ERROR):
        self.assertIn("error", answer, f"{what} was accepted: {str(answer.get('result'))[:300]}")
        self.assertEqual(answer["error"]["data"]["name"], error, f"{what}: {answer['error']['data']['message']}")

    # -- the holes of issue 8, one by one ----------------------------------------------------

    def test_manager_of_a_cannot_connect_company_b(self):
        """Over JSON-RPC, a manager of A asks to connect B, and finishes the round trip with
        QuickBooks books of their own choosing: B must still point at B's books."""
        before = self.snapshot()
        self.login(self.manager_a)

        answer = self.rpc("quickbooks.connection", "action_connect", [self.connection_b.ids])

        url = (answer.get("result") or {}).get("url")
        if url:  # what the attacker did next: consent for their own books, back to Odoo
            callback, _page = self.emulator.approve_consent(url, self.realm_attacker)
            self.url_open(callback, allow_redirects=False)
        self.assert_unchanged(before, "connect B")
        self.assert_refused(answer, "action_connect on company B")
        self.assert_authorization_alive(self.connection_b, self.realm_b)

    def test_manager_of_a_cannot_disconnect_company_b(self):
        """A disconnect wizard for B, created and run by a manager of A, revokes nothing."""
        before = self.snapshot()
        self.login(self.manager_a)

        created = self.rpc("quickbooks.disconnect.wizard", "create", [{"connection_id": self.connection_b.id}])
        if "result" in created:
            self.rpc("quickbooks.disconnect.wizard", "action_disconnect", [[created["result"]]])

        self.assert_refused(created, "a disconnect wizard for company B")
        self.assert_unchanged(before, "disconnect B")
        self.assert_authorization_alive(self.connection_b, self.realm_b)

    def test_user_cannot_forge_or_rewrite_sync_jobs(self):
        """Jobs are written by the addon only: a QuickBooks user may read them, and Retry or
        Cancel those of records they may access."""
        before = self.snapshot()
        self.login(self.user_a)

        forged = self.rpc("quickbooks.sync.job", "create", [{
            "connection_id": self.connection_a.id, "res_model": "account.move", "res_id": self.invoice_b.id,
            "qbo_entity": "Invoice", "operation": "push", "record_name": "B's invoice, to A's QuickBooks",
        }])
        self.assert_refused(forged, "a job on A's connection for B's invoice")
        for values in ({"state": "pending"}, {"payload": '{"CustomerRef": {"value": "1"}}'},
                       {"res_model": "res.users"}, {"res_id": self.invoice_b.id}, {"attempts": 0}):
            self.assert_refused(self.rpc("quickbooks.sync.job", "write", [self.job_a_failed.ids, values]),
                               f"writing {values} on a job of A")
        self.assert_refused(self.rpc("quickbooks.sync.job", "unlink", [self.job_a_failed.ids]), "deleting a job")
        self.assert_refused(self.rpc("quickbooks.sync.job", "action_retry", [self.job_b_failed.ids]),
                           "Retry of B's job")
        self.assert_refused(self.rpc("quickbooks.sync.job", "action_cancel", [self.job_b_pending.ids]),
                           "Cancel of B's job")
        self.assert_refused(self.rpc("quickbooks.sync.job", "action_retry",
                                    [(self.job_a_failed | self.job_b_failed).ids]),
                           "Retry of A's and B's jobs together")
        self.assert_unchanged(before, "forging jobs")

        # What a user of A may do with A's own job.
        answer = self.rpc("quickbooks.sync.job", "read", [self.job_a_failed.ids, ["state", "fault_message"]])
        self.assertEqual(answer["result"][0]["state"], "failed")
        answer = self.rpc("quickbooks.sync.job", "action_retry", [self.job_a_failed.ids])
        self.assertTrue(answer.get("result"), answer.get("error"))
        self.job_a_failed.invalidate_recordset()
        self.assertEqual(self.job_a_failed.state, "pending")
        self.assertEqual(self.job_a_failed.attempts, 0)
        answer = self.rpc("quickbooks.sync.job", "action_cancel", [self.job_a_failed.ids])
        self.assertTrue(answer.get("result"), answer.get("error"))
        self.job_a_failed.invalidate_recordset()
        self.assertEqual(self.job_a_failed.state, "cancelled")

    # -- every action, on every record of B -----------------------------------------------------

    def _matrix(self, settings_b):
        """``(user, model, method, args, kwargs)``: what the people of A try on B."""
        b = self.connection_b.ids
        attacker_url = "http://127.0.0.1:9"
        manager, user, admin = self.manager_a, self.user_a, self.admin_a
        rows = [
            # The connection of B
            (manager, "quickbooks.connection", "action_connect", [b], {}),
            (manager, "quickbooks.connection", "action_test_connection", [b], {}),
            (manager, "quickbooks.connection", "action_open_disconnect_wizard", [b], {}),
            (manager, "quickbooks.connection", "action_sync_references", [b], {}),
            (manager, "quickbooks.connection", "action_open_references", [b], {}),
            (manager, "quickbooks.connection", "action_open_import_wizard", [b], {}),
            (manager, "quickbooks.connection", "action_open_sync_all_wizard", [b], {}),
            (manager, "quickbooks.connection", "action_pull_now", [b], {}),
            (user, "quickbooks.connection", "action_pull_now", [b], {}),
            # QuickBooks Desktop (issue 16): B's Web Connector setup file and password
            (manager, "quickbooks.connection", "action_qbd_download_setup", [b], {}),
            (manager, "quickbooks.connection", "action_qbd_new_password", [b], {}),
            (manager, "quickbooks.connection", "action_qbd_import", [b], {}),
            (manager, "quickbooks.connection", "write", [b, {"backend": "desktop"}], {}),
            (manager, "quickbooks.connection", "read", [b, ["realm_id", "qbo_company_name"]], {}),
            (manager, "quickbooks.connection", "write", [b, {"match_strategy": "email"}], {}),
            (manager, "quickbooks.connection", "write", [b, {"sync_enabled": False}], {}),
            (manager, "quickbooks.connection", "write", [b, {"custom_url": attacker_url}], {}),
            (manager, "quickbooks.connection", "create", [{"company_id": self.company_b.id}], {}),
            (manager, "quickbooks.connection", "unlink", [b], {}),
            (user, "quickbooks.connection", "action_test_connection", [b], {}),
            (user, "quickbooks.connection", "action_connect", [b], {}),
            # ... and with the context claiming company B as well
            (manager, "quickbooks.connection", "action_connect", [b],
             {"context": {"allowed_company_ids": (self.company_a | self.company_b).ids}}),
            # A's connection pointed at B's reference data
            (manager, "quickbooks.connection", "write",
             [self.connection_a.ids, {"default_item_ref_id": self.reference_b.id}], {}, USER_ERROR),
            # Wizards taking B's connection
            (manager, "quickbooks.disconnect.wizard", "create", [{"connection_id": b[0]}], {}),
            (manager, "quickbooks.import.wizard", "create", [{"connection_id": b[0]}], {}),
            (manager, "quickbooks.sync.all.wizard", "create", [{"connection_id": b[0]}], {}),
            (manager, "quickbooks.time.setup.wizard", "create", [{"connection_id": b[0]}], {}),
            # B's "Sync everything" runs
            (user, "quickbooks.sync.run", "action_open_jobs", [self.run_b.ids], {}),
            (user, "quickbooks.sync.run", "action_open_failed", [self.run_b.ids], {}),
            (manager, "quickbooks.sync.run", "write", [self.run_b.ids, {"state": "running"}], {}),
            # B's reconciliation reports
            (user, "quickbooks.reconciliation", "action_view_lines", [self.reconciliation_b.ids], {}),
            (user, "quickbooks.reconciliation", "action_download_csv", [self.reconciliation_b.ids], {}),
            (user, "quickbooks.reconciliation", "action_download_xlsx", [self.reconciliation_b.ids], {}),
            (manager, "quickbooks.reconciliation", "action_run", [self.reconciliation_b.ids], {}),
            (manager, "quickbooks.reconciliation", "create", [{"connection_id": b[0]}], {}),
            (user, "quickbooks.reconciliation.line", "action_open_odoo", [self.reconciliation_line_b.ids], {}),
            (user, "quickbooks.reconciliation.line", "action_open_quickbooks", [self.reconciliation_line_b.ids], {}),
            (manager, "quickbooks.oauth.state", "create", [{
                "nonce_hash": "0" * 64, "user_id": manager.id, "company_id": self.company_b.id,
                "connection_id": b[0], "expires_at": "2100-01-01 00:00:00"}], {}),
            # The Sync Log of B
            (user, "quickbooks.sync.job", "action_retry", [self.job_b_failed.ids], {}),
            (user, "quickbooks.sync.job", "action_cancel", [self.job_b_pending.ids], {}),
            (user, "quickbooks.sync.job", "action_open_record", [self.job_b_failed.ids], {}),
            (user, "quickbooks.sync.job", "action_open_record", [self.incoming_job_b.ids], {}),
            (user, "quickbooks.sync.job", "action_retry", [self.incoming_job_b.ids], {}),
            (user, "quickbooks.sync.job", "action_download_list", [self.import_job_b.ids], {}),
            # One-click conflict resolution: managers of B's companies only
            (user, "quickbooks.sync.job", "action_conflict_keep_odoo_all", [self.conflict_job_b.ids], {}),
            (manager, "quickbooks.sync.job", "action_conflict_keep_odoo_all", [self.conflict_job_b.ids], {}),
            (manager, "quickbooks.sync.job", "action_conflict_take_quickbooks_all", [self.conflict_job_b.ids], {}),
            (manager, "quickbooks.sync.conflict", "action_keep_odoo", [self.conflict_line_b.ids], {}),
            (manager, "quickbooks.sync.conflict", "action_take_quickbooks", [self.conflict_line_b.ids], {}),
            (user, "quickbooks.sync.conflict", "action_take_quickbooks", [self.conflict_line_b.ids], {}),
            (manager, "quickbooks.sync.conflict", "write", [self.conflict_line_b.ids, {"decision": "odoo"}], {}),
            (user, "quickbooks.sync.job", "read", [self.job_b_failed.ids, ["payload"]], {}),
            (user, "quickbooks.sync.job", "write", [self.job_b_failed.ids, {"state": "pending"}], {}),
            (manager, "quickbooks.sync.job", "action_process_now", [self.job_b_pending.ids], {}),
            (manager, "quickbooks.sync.job", "action_retry", [self.job_b_failed.ids], {}),
            (manager, "quickbooks.sync.job", "write", [self.job_b_failed.ids, {"state": "pending"}], {}),
            (manager, "quickbooks.sync.job", "unlink", [self.job_b_failed.ids], {}),
            (manager, "quickbooks.sync.job", "create", [{
                "connection_id": b[0], "res_model": "res.partner", "res_id": self.partner_b.id,
                "qbo_entity": "Customer"}], {}),
            # B's documents and master data
            (user, "account.move", "action_quickbooks_sync", [self.invoice_b.ids], {}),
            (user, "account.move", "action_open_quickbooks", [self.invoice_b.ids], {}),
            (user, "account.payment", "action_quickbooks_sync", [self.payment_b.ids], {}),
            (user, "account.payment", "action_open_quickbooks", [self.payment_b.ids], {}),
            (user, "account.move", "action_quickbooks_sync", [self.bill_b.ids], {}),
            (user, "account.payment", "action_quickbooks_sync", [self.vendor_payment_b.ids], {}),
            (manager, "account.payment", "action_quickbooks_sync", [self.vendor_payment_b.ids], {}),
            (user, "res.partner", "action_quickbooks_sync", [self.partner_b.ids], {}),
            (user, "product.product", "action_quickbooks_sync", [self.product_b.ids], {}),
            (user, "product.template", "action_quickbooks_sync", [self.product_b.product_tmpl_id.ids], {}),
            (user, "res.partner", "action_open_quickbooks", [self.partner_b.ids], {}),
            (user, "product.product", "action_open_quickbooks", [self.product_b.ids], {}),
            (user, "product.template", "action_open_quickbooks", [self.product_b.product_tmpl_id.ids], {}),
            (manager, "account.move", "action_quickbooks_sync", [self.invoice_b.ids], {}),
            (manager, "account.analytic.line", "action_quickbooks_sync", [self.timesheet_b.ids], {}),
            (user, "account.analytic.line", "action_quickbooks_sync", [self.timesheet_b.ids], {}),
            (user, "account.analytic.line", "action_open_quickbooks", [self.timesheet_b.ids], {}),
            (manager, "hr.employee", "action_quickbooks_sync", [self.employee_b.ids], {}),
            (manager, "project.project", "action_quickbooks_link_customer", [self.project_b.ids], {}),
            (manager, "project.project", "action_quickbooks_create_sub_customer", [self.project_b.ids], {}),
            (manager, "quickbooks.project.link.wizard", "create", [{"project_id": self.project_b.id,
                                                                    "qbo_name": "B's project"}], {}),
            (manager, "quickbooks.time.send.wizard", "create", [{"line_ids": [
                (0, 0, {"entry_id": self.timesheet_b.id, "status": "send"})]}], {}),
            (manager, "quickbooks.time.delete.wizard", "create", [{"entry_ids": [(6, 0, self.timesheet_b.ids)]}], {}),
            (user, "hr.employee", "action_open_quickbooks", [self.employee_b.ids], {}),
            (user, "account.analytic.line", "action_open_quickbooks", [self.timesheet_b.ids], {}),
            # B's links to QuickBooks
            (manager, "quickbooks.binding", "create", [{
                "connection_id": self.connection_a.id, "realm_id": self.realm_b, "res_model": "res.partner",
                "res_id": self.partner_b.id, "qbo_entity": "Vendor", "qbo_id": "1"}], {}),
            (manager, "quickbooks.binding", "write", [self.binding_b.ids, {"qbo_id": "1"}], {}),
            (manager, "quickbooks.binding", "unlink", [self.binding_b.ids], {}),
            (user, "quickbooks.binding", "read", [self.binding_b.ids, ["qbo_id"]], {}),
            # B's reference data
            (manager, "quickbooks.reference", "write", [self.reference_b.ids, {"user_id": manager.id}], {}),
            (manager, "quickbooks.reference", "action_create_in_odoo", [self.reference_b.ids], {}),
            (manager, "quickbooks.reference", "action_open_odoo_record", [self.reference_b.ids], {}),
            (manager, "quickbooks.reference", "unlink", [self.reference_b.ids], {}),
            (manager, "quickbooks.reference", "create", [{
                "connection_id": b[0], "realm_id": self.realm_b, "qbo_entity": "Term", "qbo_id": "99",
                "name": "Forged"}], {}),
        ]
        # The settings of B, by an administrator whose companies are A only
        rows.append((admin, "res.config.settings", "create", [{
            "company_id": self.company_b.id, "quickbooks_match_strategy": "email", "quickbooks_sync_enabled": False,
            "quickbooks_custom_url": attacker_url}], {}))
        for method in ("action_quickbooks_connect", "action_quickbooks_test", "action_quickbooks_disconnect",
                       "action_quickbooks_sync_log", "action_quickbooks_sync_references",
                       "action_quickbooks_open_references", "action_quickbooks_import",
                       "action_quickbooks_payment_journals", "action_quickbooks_sync_all",
                       "action_quickbooks_open_sync_run", "action_quickbooks_reconcile",
                       "action_quickbooks_reconciliations", "action_quickbooks_time_setup",
                       "action_quickbooks_qbd_download_setup", "action_quickbooks_qbd_new_password",
                       "action_quickbooks_qbd_import"):
            rows.append((admin, "res.config.settings", method, [settings_b], {}))
        return rows

    def test_every_action_on_company_b_is_refused_before_any_side_effect(self):
        self.login(self.admin_a)
        created = self.rpc("res.config.settings", "create", [{"company_id": self.company_b.id}])
        settings_b = [created["result"]] if "result" in created else []
        start = self.snapshot()

        rows = self._matrix(settings_b)
        problems = []
        current = None
        for row in rows:
            user, model, method, args, kwargs = row[:5]
            expected = row[5] if len(row) > 5 else ACCESS_ERROR
            if user != current:
                self.login(user)
                current = user
            before = self.snapshot()
            answer = self.rpc(model, method, args, kwargs)
            call = f"{user.login}: {model}.{method}({str(args)[:80]})"
            error = answer.get("error", {}).get("data", {}).get("name")
            if error != expected:
                problems.append(f"{call} -> {error or str(answer.get('result'))[:120]}")
            changed = self._changed(before, self.snapshot())
            if changed:
                problems.append(f"{call} changed {', '.join(changed)}")

        self.assertFalse(problems, "not refused before any side effect:\n" + "\n".join(problems))
        self.assertFalse(self._changed(start, self.snapshot()))
        self.assert_authorization_alive(self.connection_b, self.realm_b)
        self.assert_authorization_alive(self.connection_a, self.realm_a)

        # Every action the addon defines is in the matrix (or said above why not).
        covered = {(row[1], row[2]) for row in rows}
        missing = sorted(set(self._addon_actions()) - covered - set(NOT_IN_MATRIX))
        self.assertFalse(missing, f"actions missing from the multi-company matrix: {missing}")

    @staticmethod
    def _changed(before, after):
        return [key for key in before if after[key] != before[key]]

    def _addon_actions(self):
        for model_name in self.env.registry:
            if self.env[model_name]._abstract:
                continue  # its actions are those of the models that inherit it
            model_class = type(self.env[model_name])
            for name in dir(model_class):
                if not name.startswith("action_"):
                    continue
                owners = [klass for klass in model_class.__mro__ if name in vars(klass)]
                if any(klass.__module__.startswith(ADDON_MODULE) for klass in owners):
                    yield model_name, name

    def test_people_of_a_still_do_their_work(self):
        """The same calls on company A's records work: the refusals above are about B."""
        self.login(self.manager_a)
        answer = self.rpc("quickbooks.connection", "action_test_connection", [self.connection_a.ids])
        self.assertEqual(answer["result"]["params"]["type"], "success", answer)
        answer = self.rpc("quickbooks.connection", "action_connect", [self.connection_a.ids])
        self.assertTrue(answer["result"]["url"].startswith(self.emulator.url))
        answer = self.rpc("quickbooks.connection", "write", [self.connection_a.ids, {"match_strategy": "email"}])
        self.assertTrue(answer.get("result"), answer)
        answer = self.rpc("quickbooks.connection", "search_read", [[]], {"fields": ["company_id"]})
        self.assertEqual([row["company_id"][0] for row in answer["result"]], self.company_a.ids,
                         "a manager of A sees A's connection only")
        self.login(self.user_a)
        answer = self.rpc("res.partner", "action_quickbooks_sync", [self.partner_a.ids])
        self.assertIn("queued", answer["result"]["params"]["message"], answer)

    def test_send_now_never_works_another_companys_queue(self):
        """Send now works the queue in the manager's request only when every due job is of
        one of their companies; otherwise it wakes the queue's cron (which would send B's
        jobs anyway) and B's jobs are not touched by this request."""
        cron = self.env.ref("quickbooks_sync.ir_cron_quickbooks_push")
        triggers = self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])
        self.login(self.manager_a)

        answer = self.rpc("quickbooks.sync.job", "action_process_now", [[]])

        self.assertIn("in the background", answer["result"]["params"]["message"], answer)
        self.assertEqual(self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)]), triggers + 1)
        self.job_b_pending.invalidate_recordset()
        self.assertEqual(self.job_b_pending.read(["state", "attempts"])[0], {
            "id": self.job_b_pending.id, "state": "pending", "attempts": 0})

        self.job_b_pending.sudo().state = "cancelled"  # nothing of B is due any more
        answer = self.rpc("quickbooks.sync.job", "action_process_now", [[]])
        self.assertRegex(answer["result"]["params"]["message"], r"^(1 job|\d+ jobs) processed\.$", answer)

    # -- access lost between two steps ------------------------------------------------------------

    def _remove_company_b(self, user):
        user.sudo().write({"company_ids": [Command.unlink(self.company_b.id)]})
        self.env.invalidate_all()

    def test_wizard_of_a_company_no_longer_allowed(self):
        """Wizards opened while the user had company B do nothing once B was taken away."""
        user = self.manager_ab
        both = (self.company_a | self.company_b).ids
        self.login(user)
        disconnect = self.rpc("quickbooks.disconnect.wizard", "create", [{"connection_id": self.connection_b.id}],
                              companies=both)["result"]
        import_wizard = self.rpc("quickbooks.import.wizard", "create", [{"connection_id": self.connection_b.id}],
                                 companies=both)["result"]
        sync_all = self.rpc("quickbooks.sync.all.wizard", "create", [{"connection_id": self.connection_b.id}],
                            companies=both)["result"]
        self._remove_company_b(user)
        before = self.snapshot()

        for model, method, wizard in (
            ("quickbooks.disconnect.wizard", "action_disconnect", disconnect),
            ("quickbooks.import.wizard", "action_preview", import_wizard),
            ("quickbooks.import.wizard", "action_apply", import_wizard),
            ("quickbooks.import.wizard", "action_back", import_wizard),
            ("quickbooks.import.wizard", "action_open_log", import_wizard),
            ("quickbooks.sync.all.wizard", "action_preview", sync_all),
            ("quickbooks.sync.all.wizard", "action_send", sync_all),
            ("quickbooks.sync.all.wizard", "action_back", sync_all),
        ):
            for companies in (self.company_a.ids, both):
                self.assert_refused(self.rpc(model, method, [[wizard]], companies=companies),
                                   f"{model}.{method} in companies {companies}")
            self.assert_unchanged(before, f"{model}.{method}")
        self.assert_authorization_alive(self.connection_b, self.realm_b)

    def test_callback_for_a_company_no_longer_allowed_stores_nothing(self):
        """The authorization was started while the user had company B; by the time Intuit
        sends the browser back, B was taken away from them."""
        user = self.manager_ab
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.login(user)
        answer = self.rpc("quickbooks.connection", "action_connect", [self.connection_b.ids],
                          companies=(self.company_a | self.company_b).ids)
        callback, _page = self.emulator.approve_consent(answer["result"]["url"], self.realm_attacker)
        self._remove_company_b(user)
        before = self.snapshot()

        response = self.url_open(callback, allow_redirects=False)

        self.assertEqual(response.status_code, 403, response.text[:300])
        self.assertIn("no longer", response.text)
        self.assert_unchanged(before, "the callback")
        self.assertEqual(self.emulator.counters(self.realm_attacker).get("oauth.token.authorization_code", 0), 0,
                         "the authorization code was never exchanged")
        self.assert_authorization_alive(self.connection_b, self.realm_b)

    def test_check_company_on_links_to_reference_data(self):
        """Odoo records of one company never point at another company's reference data."""
        reference_a = self.env["quickbooks.reference"].sudo().create({
            "connection_id": self.connection_a.id, "realm_id": self.realm_a, "qbo_entity": "PaymentMethod",
            "qbo_id": "1", "name": "Cash (A)",
        })
        journal_b = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", self.company_b.id)], limit=1)
        tax_b = self.env["account.tax"].search([("company_id", "=", self.company_b.id)], limit=1)
        product_a = self.env["product.product"].create({"name": "A's product", "company_id": self.company_a.id})
        refused = []
        for record, values in (
            (journal_b, {"quickbooks_payment_method_ref_id": reference_a.id}),
            (journal_b, {"quickbooks_deposit_account_ref_id": reference_a.id}),
            (tax_b, {"quickbooks_tax_code_ref_id": reference_a.id}),
            (self.connection_b, {"default_item_ref_id": reference_a.id}),
            (self.reference_b, {"product_id": product_a.id}),
        ):
            try:
                with self.env.cr.savepoint():
                    record.write(values)
                    record.flush_recordset()
            except UserError as exc:
                if "belongs to another company" in str(exc):
                    refused.append(record._name)
                    continue
                raise
            self.fail(f"{record._name} {values} was accepted")
        self.assertEqual(len(refused), 5)
