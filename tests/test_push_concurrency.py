"""The queue against the emulator with real concurrency: two workers on one queue, and a
worker killed in the middle of a batch.  Every invoice must reach QuickBooks exactly once.

The data is committed (other transactions and another process must see it) in a company of
its own, archived at the end."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import traceback
import urllib.parse
import uuid
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import config

from ..models.quickbooks_sync_job import DEAD_JOB_GRACE
from .common import EmulatorProcess, connect_committed_company
from .push_common import load_references

INVOICES = 60


@tagged("post_install", "-at_install")
class TestPushConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = EmulatorProcess.start_for(cls)
        cls.realm_id = cls.emulator.new_realm(company_name="Concurrent Books")
        connect_committed_company(
            cls, cls.realm_id, "QuickBooks concurrency books",
            company_values={"country_id": cls.env.ref("base.us").id, "currency_id": cls.env.ref("base.USD").id},
            prepare=lambda env, company: env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False),
        )
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"allowed_company_ids": [cls.company_id]})
            cls._configure(env)
        cls._run_worker_in_process()  # customers and the item go first, on their own

    @classmethod
    def _configure(cls, env):
        connection = env["quickbooks.connection"].browse(cls.connection_id)
        client = connection._client()
        references = load_references(connection, client)

        def ref(entity, name):
            return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

        company = connection.company_id
        tax = env["account.tax"].create({
            "name": "CA 8%", "amount": 8.0, "type_tax_use": "sale", "company_id": company.id,
            "quickbooks_tax_code_ref_id": ref("TaxCode", "California").id,
        })
        connection.write({
            "references_synced_at": fields.Datetime.now(), "auto_push_invoices": False,
            "default_income_account_ref_id": ref("Account", "Services").id,
            "default_expense_account_ref_id": ref("Account", "Office Expenses").id,
            "default_item_ref_id": ref("Item", "Services").id,
        })
        connection.sync_enabled = True
        env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1).write({
            "quickbooks_payment_method_ref_id": ref("PaymentMethod", "Check").id,
        })
        partners = env["res.partner"].create([
            {"name": f"Concurrent customer {index}", "is_company": True, "company_id": company.id}
            for index in range(5)
        ])
        product = env["product.product"].create({"name": "Concurrent service", "type": "service",
                                                 "company_id": company.id, "taxes_id": [Command.set(tax.ids)]})
        partners._quickbooks_enqueue()
        product._quickbooks_enqueue()
        cls.partner_ids, cls.product_id = partners.ids, product.id

    @classmethod
    def _run_worker_in_process(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["quickbooks.sync.job"]._cron_process_queue(time_budget=120)

    def _env(self, func):
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {}))

    def _create_invoices(self):
        """Sixty posted invoices of this test's own, queued."""
        def create(env):
            company = env["res.company"].browse(self.company_id)
            moves = env["account.move"].with_company(company).create([{
                "move_type": "out_invoice", "partner_id": self.partner_ids[index % 5],
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": self.product_id, "quantity": 1 + index % 3,
                                                     "price_unit": 10.0 + index})],
            } for index in range(INVOICES)])
            moves.action_post()
            moves._quickbooks_enqueue()
            return moves.ids, moves.mapped("name")
        self.move_ids, self.doc_numbers = self._env(create)

    def _invoices_in_quickbooks(self):
        return self.emulator.control("GET", f"count?realm_id={self.realm_id}&entity=Invoice")["count"]

    def _counts(self):
        counts = {}
        for name in self.doc_numbers:
            query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "Invoice", "doc_number": name})
            counts[name] = self.emulator.control("GET", f"count?{query}")["count"]
        return counts

    def _job_states(self):
        return self._env(lambda env: sorted(env["quickbooks.sync.job"].search([
            ("connection_id", "=", self.connection_id), ("res_model", "=", "account.move"),
            ("res_id", "in", self.move_ids),
        ]).mapped("state")))

    def test_two_workers_send_each_invoice_once(self):
        self._create_invoices()
        errors = []
        barrier = threading.Barrier(2)

        def worker():
            try:
                barrier.wait(10)
                self._run_worker_in_process()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append((exc, traceback.format_exc()))

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(180)
        self.assertFalse(errors, errors)
        self.assertEqual(self._job_states(), ["done"] * INVOICES)
        counts = self._counts()
        self.assertEqual(set(counts.values()), {1}, f"each invoice exactly once: {counts}")

    def test_worker_killed_mid_batch_loses_and_duplicates_nothing(self):
        self._create_invoices()
        before = self._invoices_in_quickbooks()
        # QuickBooks applies the first invoice batch, then its answer takes 60 s to come back:
        # the worker is killed while it waits.
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault="timeout", count=1, delay=60,
                              match={"entity": "batch"})
        self.addCleanup(self.emulator.control, "DELETE", f"faults?realm_id={self.realm_id}")
        script = textwrap.dedent(f"""
            import odoo
            from odoo.tools import config
            config.parse_config(["-c", {config["config"]!r}, "-d", {self.env.cr.dbname!r}, "--log-level=warn"])
            from odoo.modules.registry import Registry
            registry = Registry({self.env.cr.dbname!r})
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {{}})
                env["quickbooks.sync.job"]._cron_process_queue(time_budget=300)
        """)
        worker = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            deadline = time.time() + 90
            while time.time() < deadline and self._invoices_in_quickbooks() == before:
                time.sleep(0.3)
            self.assertGreater(self._invoices_in_quickbooks(), before, "the batch reached QuickBooks")
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)

        states = self._job_states()
        self.assertIn("running", states, "the killed worker's jobs are left running")
        # Past the grace period, the next worker requeues them (uncertain) and looks them up.
        self._env(lambda env: env.cr.execute(
            "UPDATE quickbooks_sync_job SET started_at = %s WHERE state = 'running' AND connection_id = %s",
            (fields.Datetime.now() - DEAD_JOB_GRACE - timedelta(seconds=1), self.connection_id)))
        self.emulator.control("DELETE", f"faults?realm_id={self.realm_id}")
        self._run_worker_in_process()

        self.assertEqual(self._job_states(), ["done"] * INVOICES)
        counts = self._counts()
        self.assertEqual(set(counts.values()), {1}, f"nothing lost, nothing twice: {counts}")

    # -- exactly once when the worker's transaction fails after QuickBooks answered -------------------

    def _run_until_drained(self, workers=1, deadline=240):
        """Run ``workers`` workers side by side, again and again, until no job of this company
        is pending or running (jobs sent again a few seconds later are part of the run)."""
        errors = []
        stop_at = time.time() + deadline

        def worker():
            try:
                self._run_worker_in_process()
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append((exc, traceback.format_exc()))

        while time.time() < stop_at:
            threads = [threading.Thread(target=worker) for _ in range(workers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(180)
            left = self._env(lambda env: env["quickbooks.sync.job"].search_count([
                ("connection_id", "=", self.connection_id), ("state", "in", ("pending", "running"))]))
            if not left:
                break
            time.sleep(1)
        self.assertFalse(errors, errors)

    def test_two_workers_create_each_new_customer_once(self):
        """Ninety invoices per worker, all for ten customers QuickBooks does not have yet: both
        workers need them at once, and one creates each (under "never match", a second create
        would have become "<name> - 2")."""
        tag = uuid.uuid4().hex[:6]

        def create(env):
            company = env["res.company"].browse(self.company_id)
            connection = env["quickbooks.connection"].browse(self.connection_id)
            connection.match_strategy = "never"
            partners = env["res.partner"].create([
                {"name": f"Race customer {tag} {index}", "is_company": True, "company_id": company.id}
                for index in range(10)])
            moves = env["account.move"].with_company(company).create([{
                "move_type": "out_invoice", "partner_id": partners[index % 10].id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": self.product_id, "quantity": 1,
                                                     "price_unit": 5.0 + index})],
            } for index in range(180)])
            moves.action_post()
            moves._quickbooks_enqueue()
            return partners.mapped("name"), moves.mapped("name")

        names, self.doc_numbers = self._env(create)
        self.addCleanup(self._env, lambda env: setattr(
            env["quickbooks.connection"].browse(self.connection_id), "match_strategy", "name_or_contact"))
        self._run_until_drained(workers=2)
        for name in names:
            query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "Customer", "display_name": name})
            self.assertEqual(self.emulator.control("GET", f"count?{query}")["count"], 1, name)
            query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "Customer",
                                            "display_name": f"{name} - 2"})
            self.assertEqual(self.emulator.control("GET", f"count?{query}")["count"], 0, f"{name} - 2")
        counts = self._counts()
        self.assertEqual(set(counts.values()), {1}, f"each invoice exactly once: {counts}")

    def test_payment_saved_by_a_user_while_it_is_sent_is_created_once(self):
        """QuickBooks creates the payment; before its answer reaches Odoo, a user saves the
        payment, so the worker's transaction cannot be committed (serialization failure).  What
        QuickBooks answered is kept all the same, and the next round finds it: one payment."""
        def create(env):
            company = env["res.company"].browse(self.company_id)
            move = env["account.move"].with_company(company).create({
                "move_type": "out_invoice", "partner_id": self.partner_ids[0], "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": self.product_id, "quantity": 1,
                                                     "price_unit": 77.0})],
            })
            move.action_post()
            move._quickbooks_enqueue()
            return move.id
        move_id = self._env(create)
        self._run_until_drained()

        def register(env):
            move = env["account.move"].browse(move_id)
            journal = env["account.journal"].search([("company_id", "=", self.company_id), ("type", "=", "bank")],
                                                    limit=1)
            payment = env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids).create({"journal_id": journal.id})._create_payments()
            payment._quickbooks_enqueue()
            return payment.id, move.quickbooks_id
        payment_id, invoice_qbo_id = self._env(register)

        def payments_in_quickbooks():
            rows = self.emulator.control("GET", f"objects?realm_id={self.realm_id}&entity=Payment")["objects"]
            return [row for row in rows if any(
                linked.get("TxnId") == invoice_qbo_id for line in row.get("Line", []) for linked in line["LinkedTxn"])]

        self._env(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.http_timeout", 30))
        self.addCleanup(self._env, lambda env: env["ir.config_parameter"].set_param(
            "quickbooks_sync.http_timeout", 120))
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault="timeout", count=1, delay=4,
                              match={"entity": "batch"})
        self.addCleanup(self.emulator.control, "DELETE", f"faults?realm_id={self.realm_id}")
        worker = threading.Thread(target=self._run_worker_in_process)
        worker.start()
        deadline = time.time() + 60
        while time.time() < deadline and not payments_in_quickbooks():
            time.sleep(0.1)
        self.assertTrue(payments_in_quickbooks(), "QuickBooks has the payment; its answer is on its way")
        self._env(lambda env: env.cr.execute(
            "UPDATE account_payment SET write_date = now() AT TIME ZONE 'UTC' WHERE id = %s", (payment_id,)))
        worker.join(120)
        self._run_until_drained()

        self.assertEqual(len(payments_in_quickbooks()), 1, "created once")

        def outcome(env):
            payment = env["account.payment"].browse(payment_id)
            job = env["quickbooks.sync.job"].search([("res_model", "=", "account.payment"),
                                                     ("res_id", "=", payment_id)])
            return payment.quickbooks_state, payment.quickbooks_id, job.mapped("state")
        state, qbo_id, job_states = self._env(outcome)
        self.assertEqual(state, "synced")
        self.assertEqual(qbo_id, payments_in_quickbooks()[0]["Id"])
        self.assertEqual(job_states, ["done"])

    # -- QuickBooks' limits, whatever the number of servers ------------------------------------------

    def test_two_servers_at_full_load_stay_under_the_limits(self):
        """Two Odoo servers (two processes) on one database send a backlog to one QuickBooks
        company as fast as they can: their shared limiter keeps every window under QuickBooks'
        limits, so QuickBooks never answers 429.  The limits are scaled down ten times (50
        operations per 6 s, 4 batch requests per 6 s, 1 request per 0.1 s) on both sides, so that
        the limits bind within seconds."""
        self.emulator.control("POST", "limits", enabled=True, scale=0.1, time_scale=0.1)
        self.addCleanup(self.emulator.control, "POST", "limits", enabled=False, scale=1, time_scale=1)
        self._env(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits",
                                                                   "1/0.1,49/6,3/6:batches"))
        self.addCleanup(self._env, lambda env: env["ir.config_parameter"].set_param(
            "quickbooks_sync.rate_limits", ""))
        before = self.emulator.counters(self.realm_id)
        self._create_invoices()
        script = textwrap.dedent(f"""
            import time
            import odoo
            from odoo.tools import config
            config.parse_config(["-c", {config["config"]!r}, "-d", {self.env.cr.dbname!r}, "--log-level=warn"])
            from odoo.modules.registry import Registry
            registry = Registry({self.env.cr.dbname!r})
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {{}})
                    env["quickbooks.sync.job"]._cron_process_queue(time_budget=60)
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {{}})
                    if not env["quickbooks.sync.job"].search_count([("state", "in", ("pending", "running"))]):
                        break
                time.sleep(0.5)
        """)
        servers = [subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(2)]
        for server in servers:
            server.wait(300)
        after = self.emulator.counters(self.realm_id)
        self.assertEqual(self._job_states(), ["done"] * INVOICES)
        self.assertEqual(set(self._counts().values()), {1})
        self.assertEqual(after.get("api.throttled", 0) - before.get("api.throttled", 0), 0,
                         "QuickBooks never had to refuse a request")
        self.assertGreater(after.get("api.batches", 0) - before.get("api.batches", 0), 2)
