"""Payments entered in QuickBooks come back into Odoo: registered, posted and reconciled, by
webhook and by change data capture, exactly once (issue 14)."""

import json
import re
import uuid
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import config

from ..controllers.webhook import WEBHOOK_PATH, expected_signature
from ..sync.pull import PullEngine, wait_for
from .common import QuickBooksCase
from .push_common import PushCase


class PullCase(PushCase, HttpCase):
    """Set-up and helpers of the tests of changes coming back from QuickBooks."""

    @classmethod
    def setUpClass(cls):
        super(QuickBooksCase, cls).setUpClass()  # HttpCase's own test mode (an Odoo server answers the emulator)
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.verifier = uuid.uuid4().hex
        cls.connection.sudo().webhook_verifier_token = cls.verifier

    def setUp(self):
        super().setUp()
        # Each test reads QuickBooks' changes from its own start (QuickBooks keeps what earlier tests
        # entered while Odoo rolls back).
        self.window(fields.Datetime.now() - timedelta(seconds=2))
        self.addCleanup(self.emulator.control, "DELETE", "webhooks")

    # -- helpers -------------------------------------------------------------------------------

    def window(self, start):
        self.env["quickbooks.pull.state"].sudo().search([("connection_id", "=", self.connection.id)]).unlink()
        return self.env["quickbooks.pull.state"].sudo().create({
            "connection_id": self.connection.id, "realm_id": self.realm_id, "window_start": start})

    def sent_invoice(self, **values):
        move = self.make_invoice(**values)
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        return move

    def enter_payment(self, qbo_invoice_id, amount, ref="CHK-1001", txn_date=None, customer_id=None):
        """What an accountant does in QuickBooks: receive a payment for an invoice."""
        if customer_id is None:
            customer_id = self.qbo("Invoice", qbo_invoice_id)["CustomerRef"]["value"]
        payment = {
            "CustomerRef": {"value": customer_id}, "TotalAmt": amount, "PaymentRefNum": ref,
            "TxnDate": txn_date or fields.Date.to_string(fields.Date.today()),
            "DepositToAccountRef": {"value": self.ref("Account", "Checking").qbo_id},
            "PaymentMethodRef": {"value": self.ref("PaymentMethod", "Check").qbo_id},
            "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": qbo_invoice_id, "TxnType": "Invoice"}]}],
        }
        answer = self.emulator.control("POST", f"realms/{self.realm_id}/objects", objects={"Payment": [payment]})
        return answer["ids"]["Payment"][0]

    def pull_cdc(self):
        result = PullEngine(self.connection.sudo()).run_cdc()
        self.env.invalidate_all()
        return result

    def process_incoming(self):
        self.env.flush_all()
        processed = self.env["quickbooks.sync.job"]._cron_process_incoming(time_budget=60)
        self.env.invalidate_all()
        return processed

    def incoming_jobs(self, qbo_id):
        return self.env["quickbooks.sync.job"].sudo().search(
            [("direction", "=", "incoming"), ("qbo_entity", "=", "Payment"), ("qbo_id", "=", qbo_id)], order="id")

    def registered(self, qbo_id):
        links = self.env["quickbooks.binding"].sudo().search(
            [("realm_id", "=", self.realm_id), ("qbo_entity", "=", "Payment"), ("qbo_id", "=", qbo_id)])
        self.assertLessEqual(len(links), 1)
        return self.env["account.payment"].browse(links.res_id) if links else self.env["account.payment"]

    def payments_of(self, move):
        return self.env["account.payment"].search([("invoice_ids", "in", move.ids)]) | \
            move._get_reconciled_payments()

    def enable_webhooks(self, fmt="cloudevents"):
        # Intuit's request carries no session: Odoo finds the database as in production, by the
        # server's database filter (one database per host).
        previous = config["dbfilter"]
        config["dbfilter"] = f"^{re.escape(self.env.cr.dbname)}$"
        self.addCleanup(config.__setitem__, "dbfilter", previous)
        self.emulator.control("POST", "webhooks", enabled=True, url=f"{self.base_url()}{WEBHOOK_PATH}",
                              verifier_token=self.verifier, format=fmt, window=0.05, retry_scale=0.01,
                              realm_ids=[self.realm_id], entities=["Payment"])

    def delivered(self, count=1, timeout=30):
        """Wait until the emulator delivered ``count`` notifications with a 2xx answer; then stop
        webhooks (nothing else reaches Odoo while the test works)."""
        def done():
            deliveries = self.emulator.control("GET", "webhooks")["deliveries"]
            ok = [d for d in deliveries if d["status"] and 200 <= d["status"] < 300]
            return ok if len(ok) >= count else None

        # Intuit's (the emulator's) requests carry no test cookie: Odoo's server answers them meanwhile.
        with self.allow_requests(all_requests=True):
            deliveries = wait_for(done, timeout=timeout)
        self.emulator.control("POST", "webhooks", enabled=False)
        self.assertTrue(deliveries, self.emulator.control("GET", "webhooks"))
        self.env.invalidate_all()
        return deliveries

    def post_notification(self, payload, token=None):
        body = json.dumps(payload).encode()
        signature = expected_signature(token or self.verifier, body)
        return self.url_open(WEBHOOK_PATH, data=body, headers={"Content-Type": "application/json",
                                                               "intuit-signature": signature})

    def cloud_event(self, qbo_id, operation="created", at=None):
        return {"specversion": "1.0", "id": uuid.uuid4().hex, "source": "intuit.test", "type":
                f"qbo.payment.{operation}.v1", "datacontenttype": "application/json",
                "time": at or fields.Datetime.now().isoformat() + "Z", "intuitentityid": qbo_id,
                "intuitaccountid": self.realm_id, "data": {}}

    def assert_registered(self, qbo_id, move, amount, ref="CHK-1001"):
        payment = self.registered(qbo_id)
        self.assertTrue(payment, f"QuickBooks payment {qbo_id} was not registered: "
                                 f"{self.incoming_jobs(qbo_id).mapped('fault_message')}")
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(payment.amount, amount)
        self.assertEqual(payment.journal_id, self.bank_journal)
        self.assertEqual(payment.date, fields.Date.today())
        self.assertEqual(payment.memo, ref)
        self.assertEqual(payment.partner_id, move.commercial_partner_id)
        self.assertIn(move, payment.invoice_ids | payment.reconciled_invoice_ids)
        qbo_balance = self.qbo("Invoice", move.quickbooks_id)["Balance"]
        self.assertAlmostEqual(move.amount_residual, qbo_balance, places=2,
                               msg="Odoo's amount due must be QuickBooks' balance")
        return payment


@tagged("post_install", "-at_install")
class TestPullPayments(PullCase):
    # -- by change data capture -------------------------------------------------------------------

    def test_payment_entered_in_quickbooks_is_registered_by_cdc(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total)

        result = self.pull_cdc()

        self.assertGreaterEqual(result["changes"], 1)
        payment = self.assert_registered(qbo_id, move, move.amount_total)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(payment.quickbooks_state, "synced")
        self.assertEqual(payment.quickbooks_id, qbo_id)
        jobs = self.incoming_jobs(qbo_id)
        self.assertEqual(jobs.mapped("state"), ["done"])
        self.assertEqual(jobs.source, "cdc")
        self.assertEqual(jobs.direction, "incoming")
        self.assertIn(payment.name, jobs.pull_result)
        self.assertFalse(self.env["quickbooks.sync.job"].search(
            [("res_model", "=", "account.payment"), ("res_id", "=", payment.id)]),
            "a payment registered from QuickBooks is never sent back")
        # The window moved forward, past the change.
        state = self.env["quickbooks.pull.state"].sudo().search([("connection_id", "=", self.connection.id)])
        self.assertEqual(state.last_method, "cdc")

        # Read again: nothing new.
        self.window(fields.Datetime.now() - timedelta(seconds=30))
        self.pull_cdc()
        self.assertEqual(self.registered(qbo_id), payment)
        self.assertEqual(len(self.payments_of(move)), 1)

    def test_partial_payment(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, 50.0, ref="PART-1")
        self.pull_cdc()
        self.assert_registered(qbo_id, move, 50.0, ref="PART-1")
        self.assertEqual(move.payment_state, "partial")
        self.assertAlmostEqual(move.amount_residual, move.amount_total - 50.0, places=2)

    def test_void_and_delete_in_quickbooks_cancel_the_payment(self):
        move = self.sent_invoice()
        voided_id = self.enter_payment(move.quickbooks_id, 100.0, ref="VOID-1")
        self.pull_cdc()
        voided = self.assert_registered(voided_id, move, 100.0, ref="VOID-1")

        stored = self.qbo("Payment", voided_id)
        self.client.void("Payment", {"Id": voided_id, "SyncToken": stored["SyncToken"]})
        self.pull_cdc()
        self.assertEqual(voided.state, "canceled")
        self.assertFalse(self.env["quickbooks.sync.job"].search([
            ("res_model", "=", "account.payment"), ("res_id", "=", voided.id), ("state", "=", "pending")]),
            "cancelling it in Odoo sends nothing to QuickBooks")
        self.assertAlmostEqual(move.amount_residual, move.amount_total, places=2)
        self.assertEqual(self.incoming_jobs(voided_id)[-1].state, "done")

        deleted_id = self.enter_payment(move.quickbooks_id, 30.0, ref="DEL-1")
        self.pull_cdc()
        deleted = self.assert_registered(deleted_id, move, 30.0, ref="DEL-1")
        stored = self.qbo("Payment", deleted_id)
        self.client.delete("Payment", {"Id": deleted_id, "SyncToken": stored["SyncToken"]})
        self.pull_cdc()
        self.assertEqual(deleted.state, "canceled")
        self.assertAlmostEqual(move.amount_residual, move.amount_total, places=2)
        self.assertEqual(move.payment_state, "not_paid")

    def test_payment_changed_in_quickbooks_is_registered_again(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, 100.0, ref="CHG-1")
        self.pull_cdc()
        first = self.assert_registered(qbo_id, move, 100.0, ref="CHG-1")

        stored = self.qbo("Payment", qbo_id)
        self.client.update("Payment", {"Id": qbo_id, "SyncToken": stored["SyncToken"], "TotalAmt": 60.0, "Line": [
            {"Amount": 60.0, "LinkedTxn": [{"TxnId": move.quickbooks_id, "TxnType": "Invoice"}]}]})
        self.pull_cdc()

        self.assertEqual(first.state, "canceled")
        second = self.assert_registered(qbo_id, move, 60.0, ref="CHG-1")
        self.assertNotEqual(second, first)
        self.assertEqual(self.qbo("Payment", qbo_id)["TotalAmt"], 60.0, "QuickBooks' payment is left as it is")
        self.assertFalse(self.env["quickbooks.sync.job"].search([
            ("res_model", "=", "account.payment"), ("res_id", "in", (first | second).ids),
            ("state", "in", ("pending", "running", "done"))]), "nothing is sent back to QuickBooks")

    def test_deposit_account_without_journal_fails_then_retry_registers(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="SAV-1")
        stored = self.qbo("Payment", qbo_id)
        self.client.update("Payment", {"Id": qbo_id, "SyncToken": stored["SyncToken"],
                                       "DepositToAccountRef": {"value": self.ref("Account", "Savings").qbo_id}})
        self.pull_cdc()
        job = self.incoming_jobs(qbo_id)
        self.assertEqual(job.state, "failed")
        self.assertIn("Savings", job.fault_message)
        self.assertIn("Payment journals", job.hint)
        self.assertFalse(self.registered(qbo_id))

        savings = self.env["account.journal"].create({
            "name": "Savings", "code": f"SV{self._journal_counter:03d}", "type": "bank",
            "quickbooks_deposit_account_ref_id": self.ref("Account", "Savings").id})
        job.action_retry()
        self.process_incoming()
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.registered(qbo_id).journal_id, savings)
        self.assertIn(move.payment_state, ("paid", "in_payment"))

    def test_payment_for_an_invoice_odoo_never_sent(self):
        self.sync_basics()
        customer_id = self.customer.quickbooks_id
        answer = self.emulator.control("POST", f"realms/{self.realm_id}/objects", objects={"Invoice": [{
            "CustomerRef": {"value": customer_id}, "Line": [{
                "Amount": 80.0, "DetailType": "SalesItemLineDetail",
                "SalesItemLineDetail": {"ItemRef": {"value": self.ref("Item", "Services").qbo_id}}}]}]})
        foreign_invoice = answer["ids"]["Invoice"][0]
        qbo_id = self.enter_payment(foreign_invoice, 80.0, ref="NOT-ODOO", customer_id=customer_id)
        payments_before = self.env["account.payment"].search_count([])

        self.pull_cdc()

        self.assertFalse(self.registered(qbo_id))
        self.assertEqual(self.env["account.payment"].search_count([]), payments_before, "nothing registered")
        job = self.incoming_jobs(qbo_id)
        self.assertEqual(job.state, "failed")
        self.assertIn("did not send", job.fault_message)
        self.assertIn(foreign_invoice, job.fault_message)
        self.assertTrue(job.hint)

    def test_31_day_gap_is_read_by_query(self):
        move = self.sent_invoice()
        self.window(fields.Datetime.now() - timedelta(seconds=5))
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="LATE-1")
        self.addCleanup(self.emulator.reset_clock)
        self.emulator.advance_clock(31 * 86400)  # Odoo was away a month: CDC refuses such a window

        self.pull_cdc()

        self.assert_registered(qbo_id, move, move.amount_total, ref="LATE-1")
        state = self.env["quickbooks.pull.state"].sudo().search([("connection_id", "=", self.connection.id)])
        self.assertEqual(state.last_method, "query")
        self.assertFalse(state.last_error)

    def test_disconnected_company_pulls_nothing(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="OFF-1")
        self.connection.sudo().sync_enabled = False
        self.env["quickbooks.sync.job"]._cron_pull_changes()
        self.env.invalidate_all()
        self.assertFalse(self.incoming_jobs(qbo_id))
        self.assertFalse(self.registered(qbo_id))
        # Back on: resumes from the stored window.
        self.connection.sudo().sync_enabled = True
        self.env["quickbooks.sync.job"]._cron_pull_changes()
        self.env.invalidate_all()
        self.assert_registered(qbo_id, move, move.amount_total, ref="OFF-1")

    # -- by webhook ---------------------------------------------------------------------------------

    def test_payment_entered_in_quickbooks_is_registered_by_webhook(self):
        move = self.sent_invoice()
        self.enable_webhooks()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="HOOK-1")
        delivery = self.delivered()[-1]
        self.assertEqual(self.incoming_jobs(qbo_id).mapped("state"), ["pending"], "queued, not applied, at once")

        self.process_incoming()

        payment = self.assert_registered(qbo_id, move, move.amount_total, ref="HOOK-1")
        self.assertEqual(self.incoming_jobs(qbo_id).source, "webhook")

        # Intuit sends the same notification again (a replay), and CDC reads the change too.
        replay = self.url_open(WEBHOOK_PATH, data=delivery["body"].encode(),
                               headers={"Content-Type": "application/json", "intuit-signature": delivery["signature"]})
        self.assertEqual(replay.status_code, 200)
        self.assertEqual(replay.json()["queued"], 0, "a notification of a change already applied queues nothing")
        self.window(fields.Datetime.now() - timedelta(seconds=30))
        self.pull_cdc()
        self.process_incoming()
        self.assertEqual(self.registered(qbo_id), payment)
        self.assertEqual(len(self.payments_of(move)), 1)

    def test_legacy_notification_format(self):
        move = self.sent_invoice()
        self.enable_webhooks(fmt="legacy")
        qbo_id = self.enter_payment(move.quickbooks_id, 20.0, ref="LEGACY-1")
        self.delivered()
        self.process_incoming()
        self.assert_registered(qbo_id, move, 20.0, ref="LEGACY-1")

    def test_same_change_twice_out_of_order_by_webhook_and_cdc_registered_once(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="ONCE-1")
        earlier = (fields.Datetime.now() - timedelta(seconds=1)).isoformat() + "Z"
        # Updated before created, created twice, an unknown realm among them.
        events = [self.cloud_event(qbo_id, "updated"), self.cloud_event(qbo_id, "created", at=earlier),
                  self.cloud_event(qbo_id, "created", at=earlier),
                  dict(self.cloud_event("1"), intuitaccountid="9999999999")]
        answer = self.post_notification(events)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.json()["queued"], 1, "one job per object waits, whatever the notifications")
        self.assertEqual(self.post_notification(events).json()["queued"], 0)

        self.pull_cdc()  # CDC meets the same change first (and applies it)
        self.process_incoming()
        self.post_notification(events)
        self.process_incoming()

        payment = self.registered(qbo_id)
        self.assertEqual(len(self.payments_of(move)), 1)
        self.assertEqual(payment.amount, move.amount_total)
        self.assertEqual(move.amount_residual, 0.0)
        self.assertFalse(self.incoming_jobs(qbo_id).filtered(lambda j: j.state in ("failed", "pending")))

    def test_bad_signature_is_refused_and_nothing_processed(self):
        move = self.sent_invoice()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="FORGED-1")
        jobs_before = self.env["quickbooks.sync.job"].search_count([])
        events = [self.cloud_event(qbo_id)]

        forged = self.post_notification(events, token="not-the-verifier-token")
        unsigned = self.url_open(WEBHOOK_PATH, data=json.dumps(events).encode(),
                                 headers={"Content-Type": "application/json"})
        not_json = self.url_open(WEBHOOK_PATH, data=b"{not json", headers={"intuit-signature": "AAAA"})

        self.assertEqual(forged.status_code, 401)
        self.assertEqual(unsigned.status_code, 401)
        self.assertEqual(not_json.status_code, 401, "refused before being read")
        self.env.invalidate_all()
        self.assertEqual(self.env["quickbooks.sync.job"].search_count([]), jobs_before)
        self.assertFalse(self.env["quickbooks.pull.object"].sudo().search([("qbo_id", "=", qbo_id)]))
        self.process_incoming()
        self.assertFalse(self.registered(qbo_id))

    def test_verifier_token_is_stored_encrypted(self):
        stored = self.connection.sudo().webhook_verifier_token_encrypted
        self.assertTrue(stored)
        self.assertNotIn(self.verifier, stored)
        self.assertFalse(self.connection.sudo().webhook_verifier_token, "never shown again")

    def test_void_by_webhook_cancels_the_payment(self):
        move = self.sent_invoice()
        self.enable_webhooks()
        qbo_id = self.enter_payment(move.quickbooks_id, move.amount_total, ref="HOOK-VOID")
        self.delivered(1)
        self.process_incoming()
        payment = self.assert_registered(qbo_id, move, move.amount_total, ref="HOOK-VOID")

        self.enable_webhooks()
        self.client.void("Payment", {"Id": qbo_id, "SyncToken": self.qbo("Payment", qbo_id)["SyncToken"]})
        self.delivered(2)
        self.process_incoming()

        self.assertEqual(payment.state, "canceled")
        self.assertEqual(move.payment_state, "not_paid")
        self.assertEqual(self.incoming_jobs(qbo_id).mapped("state"), ["done", "done"])

    def test_payment_odoo_sent_is_never_registered_again(self):
        move = self.sent_invoice()
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids).create({"journal_id": self.bank_journal.id})
        sent = wizard._create_payments()
        self.run_queue()
        self.assertEqual(sent.quickbooks_state, "synced", sent.quickbooks_error)

        self.window(fields.Datetime.now() - timedelta(minutes=5))
        self.pull_cdc()
        self.assertEqual(len(self.payments_of(move)), 1, "Odoo's own payment is not registered again")
        self.assertEqual(self.registered(sent.quickbooks_id), sent)

        # Voided in QuickBooks: Odoo's payment is left as it is, the Sync Log asks for a decision.
        self.client.void("Payment", {"Id": sent.quickbooks_id,
                                     "SyncToken": self.qbo("Payment", sent.quickbooks_id)["SyncToken"]})
        self.pull_cdc()
        self.assertIn(sent.state, ("in_process", "paid"))
        job = self.incoming_jobs(sent.quickbooks_id)
        self.assertEqual(job.state, "conflict")
        self.assertIn("voided or deleted", job.fault_message)
