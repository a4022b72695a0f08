"""Exactly once, whatever fails after a request that can create has left (issue 8).

Each test counts what QuickBooks (the emulator) holds afterwards: one object per Odoo
record, linked, and the record's state says what is true."""

import urllib.parse

from odoo import fields
from odoo.tests import tagged

from ..mapping import invoice as invoice_map
from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestExactlyOnce(PushCase):
    def inject(self, fault, count=1, **match):
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault=fault, count=count,
                              match=match or None)

    def setUp(self):
        super().setUp()
        self.addCleanup(self.emulator.control, "DELETE", f"faults?realm_id={self.realm_id}")
        self.env["ir.config_parameter"].sudo().set_param("quickbooks_sync.http_timeout", 5)

    def clear_faults(self):
        self.emulator.control("DELETE", f"faults?realm_id={self.realm_id}")

    def register_payment(self, moves, amount=None):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids,
        ).create({"journal_id": self.bank_journal.id, **({"amount": amount} if amount else {})})
        return wizard._create_payments()

    def payments_of(self, customer_id):
        """The customer's live payments as the emulator stores them (its control API: no
        request that an injected fault could meet)."""
        query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "Payment"})
        rows = self.emulator.control("GET", f"objects?{query}")["objects"]
        return [row for row in rows if row.get("CustomerRef", {}).get("value") == customer_id
                and row["_emulator"]["status"] == "live"]

    def count(self, entity, **criteria):
        query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": entity, **criteria})
        return self.emulator.control("GET", f"count?{query}")["count"]

    def due_now(self, jobs):
        jobs.write({"next_attempt_at": fields.Datetime.now()})

    # -- payments in doubt ----------------------------------------------------------------------

    def test_lookup_throttled_keeps_the_payment_in_doubt_and_creates_nothing(self):
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        payment = self.register_payment(move)
        # QuickBooks creates the payment, then every answer is lost (the transport's three tries).
        self.inject("drop_after_commit", count=3, entity="batch")
        payment.action_quickbooks_sync()
        self.run_queue()
        job = self.jobs_of(payment)
        self.assertEqual(job.state, "pending")
        self.assertTrue(job.uncertain, "Odoo does not know whether QuickBooks has it")
        self.assertEqual(len(self.payments_of(self.customer.quickbooks_id)), 1, "QuickBooks has it once")

        # The look-up that must come first is throttled: nothing is created meanwhile.
        self.inject("429", count=10, entity="query")
        self.due_now(job)
        self.run_queue()
        self.assertEqual(job.state, "pending")
        self.assertTrue(job.uncertain)
        self.assertEqual(job.fault_code, "3001")
        self.assertEqual(len(self.payments_of(self.customer.quickbooks_id)), 1)

        self.clear_faults()
        self.due_now(job)
        self.run_queue()
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        found = self.payments_of(self.customer.quickbooks_id)
        self.assertEqual(len(found), 1, "found and linked, never created twice")
        self.assertEqual(payment.quickbooks_id, found[0]["Id"])
        self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["Balance"], 0)

    def test_a_job_in_doubt_is_not_given_up_while_quickbooks_cannot_answer(self):
        move = self.make_invoice()
        self.run_queue()
        payment = self.register_payment(move)
        self.inject("drop_after_commit", count=3, entity="batch")
        payment.action_quickbooks_sync()
        job = self.jobs_of(payment)
        job.max_attempts = 2
        self.run_queue()
        # Every later request fails: the job keeps waiting instead of failing for good (a
        # failed job would say "error" for a payment QuickBooks has).
        self.inject("500", count=40)
        for _round in range(3):
            self.due_now(job)
            self.run_queue()
            self.assertEqual(job.state, "pending")
            self.assertTrue(job.uncertain)
        self.assertGreaterEqual(job.attempts, job.max_attempts)
        self.clear_faults()
        self.due_now(job)
        self.run_queue()
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(len(self.payments_of(self.customer.quickbooks_id)), 1)
        self.assertEqual(payment.quickbooks_state, "synced")

    def test_invoice_in_doubt_with_duplicate_numbers_allowed_is_found_not_recreated(self):
        """Where the company allows duplicate invoice numbers, QuickBooks would take a second
        create without a word: only the look-up stands between a lost answer and a duplicate."""
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"OtherPrefs": {"NameValue": [{"Name": "WarnDuplicateInvoiceNumber",
                                                                   "Value": "false"}]}})
        self.addCleanup(self.emulator.control, "POST", "preferences", realm_id=self.realm_id,
                        patch={"OtherPrefs": {"NameValue": [{"Name": "WarnDuplicateInvoiceNumber",
                                                             "Value": "true"}]}})
        self.sync_basics()
        move = self.make_invoice()
        self.inject("drop_after_commit", count=3, entity="batch")
        self.run_queue()
        self.assertEqual(self.count("Invoice", doc_number=move.name), 1)
        self.inject("503", count=2, entity="query")
        for _round in range(2):
            self.due_now(self.jobs_of(move))
            self.run_queue()
        self.clear_faults()
        self.due_now(self.jobs_of(move))
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(self.count("Invoice", doc_number=move.name), 1)

    # -- one record's trouble is its own -----------------------------------------------------------

    def test_two_customers_with_the_same_name_each_get_their_own(self):
        """Under the default strategy (name or contact), two Odoo customers with one name: the
        second must not be linked to the first's QuickBooks customer."""
        self.assertEqual(self.connection.match_strategy, "name_or_contact")
        twin = self.customer.copy({"name": self.customer.name, "email": "another.person@example.com",
                                   "phone": "+1 212 555 0199"})
        first = self.make_invoice()
        second = self.make_invoice(partner=twin)
        self.run_queue()
        self.assertEqual(first.quickbooks_state, "synced", first.quickbooks_error)
        self.assertEqual(second.quickbooks_state, "synced", second.quickbooks_error)
        first_customer = self.qbo("Invoice", first.quickbooks_id)["CustomerRef"]["value"]
        second_customer = self.qbo("Invoice", second.quickbooks_id)["CustomerRef"]["value"]
        self.assertNotEqual(first_customer, second_customer)
        names = sorted([self.qbo("Customer", first_customer)["DisplayName"],
                        self.qbo("Customer", second_customer)["DisplayName"]])
        self.assertEqual(names, [self.customer.name, f"{self.customer.name} - 2"])

    def test_names_outside_latin1_are_sent_and_found_again(self):
        customer = self.env["res.partner"].create({
            "name": f"Łukasz Wąsik – Café € 北京 {self._journal_counter}", "is_company": True,
            "email": f"lukasz{self._journal_counter}@example.com",
        })
        # The customer's create is applied but its answers lost: the next attempt finds it by
        # its name (a query with those characters) instead of creating it again.
        self.product.action_quickbooks_sync()
        self.run_queue()
        self.inject("drop_after_commit", count=3, entity="batch")
        move = self.make_invoice(partner=customer)
        self.run_queue()
        self.assertEqual(self.count("Customer", display_name=customer.name), 1)
        self.clear_faults()
        self.due_now(self.jobs_of(move))
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(self.count("Customer", display_name=customer.name), 1)
        invoice = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(self.qbo("Customer", invoice["CustomerRef"]["value"])["DisplayName"], customer.name)

    def test_one_bad_record_fails_alone(self):
        """A bug met on one record (simulated in its mapping) fails that record's job with the
        error; the other invoices of the batch are sent."""
        self.sync_basics()
        moves = self.env["account.move"]
        for _index in range(5):
            moves |= self.make_invoice()
        bad = moves[2]
        original = invoice_map.InvoiceAdapter.payload

        def payload(adapter, record, ctx, suffix=""):
            if record == bad:
                raise ZeroDivisionError("simulated bug in the mapping")
            return original(adapter, record, ctx, suffix)

        self.patch(invoice_map.InvoiceAdapter, "payload", payload)
        self.run_queue()
        for move in moves - bad:
            self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        job = self.jobs_of(bad)
        self.assertIn("simulated bug in the mapping", job.fault_message)
        self.assertEqual(self.count("Invoice", doc_number=bad.name), 0)

    # -- never "synced" unless verified --------------------------------------------------------------

    def test_a_difference_is_never_called_synced_on_retry(self):
        """QuickBooks' company has sales tax off: it stores the invoice without Odoo's tax.
        The job fails with both totals; syncing again (nothing changed in Odoo) checks QuickBooks
        again and fails again, and a payment does not go onto that invoice."""
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"TaxPrefs": {"UsingSalesTax": False}})
        self.addCleanup(self.emulator.control, "POST", "preferences", realm_id=self.realm_id,
                        patch={"TaxPrefs": {"UsingSalesTax": True}})
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "error")
        self.assertIn("216.00", move.quickbooks_error)
        self.assertIn("200.00", move.quickbooks_error)
        self.assertTrue(move.quickbooks_id, "the invoice exists in QuickBooks: the record says which")

        move.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "error", "still different: not synced")
        self.assertNotIn("Nothing changed", self.jobs_of(move)[-1].fault_message or "")
        self.assertEqual(self.count("Invoice", doc_number=move.name), 1)

        payment = self.register_payment(move)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "error")
        self.assertIn(move.name, payment.quickbooks_error)
        self.assertFalse(self.payments_of(self.customer.quickbooks_id), "no payment on a wrong invoice")

        # Someone fixes the invoice in QuickBooks: the next sync checks it and calls it synced.
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"TaxPrefs": {"UsingSalesTax": True}})
        stored = self.qbo("Invoice", move.quickbooks_id)
        self.client.update("Invoice", {"Id": stored["Id"], "SyncToken": stored["SyncToken"],
                                       "TxnTaxDetail": {"TotalTax": 16.0}})
        move.action_quickbooks_sync()
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["Balance"], 0)
