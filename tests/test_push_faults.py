"""What QuickBooks refuses, and what the network loses: each ends synced exactly once or
failed with a reason a person can act on."""

import urllib.parse
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from ..transport.errors import QuickBooksFault, fault_text
from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestPushFaults(PushCase):
    def inject(self, fault, count=1, delay=None, **match):
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault=fault, count=count,
                              match=match or None, delay=delay)

    def setUp(self):
        super().setUp()
        self.addCleanup(self.emulator.control, "DELETE", f"faults?realm_id={self.realm_id}")

    def invoice_count(self, move):
        query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "Invoice", "doc_number": move.name})
        return self.emulator.control("GET", f"count?{query}")["count"]

    # -- names -------------------------------------------------------------------------------------

    def test_taken_name_gets_a_differentiator_when_it_is_another_party(self):
        self.client.create("Customer", {"DisplayName": self.customer.name,
                                        "PrimaryEmailAddr": {"Address": "someone.else@example.com"}})
        self.connection.sudo().match_strategy = "email"
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        invoice = self.qbo("Invoice", move.quickbooks_id)
        customer = self.qbo("Customer", invoice["CustomerRef"]["value"])
        self.assertEqual(customer["DisplayName"], f"{self.customer.name} - 2")
        self.assertEqual(customer["PrimaryEmailAddr"]["Address"], self.customer.email)

    def test_taken_name_is_linked_when_the_match_strategy_says_same_party(self):
        existing = self.client.create("Customer", {
            "DisplayName": self.customer.name, "PrimaryEmailAddr": {"Address": self.customer.email}})
        self.connection.sudo().match_strategy = "email"
        move = self.make_invoice()
        self.run_queue()
        invoice = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(invoice["CustomerRef"]["value"], existing["Id"], "linked, not duplicated")
        self.assertEqual(self.qbo_count("Customer", f"where DisplayName like '{self.customer.name}%'"), 1)

    def test_taken_name_left_for_a_person_when_asked(self):
        self.client.create("Customer", {"DisplayName": self.customer.name})
        self.connection.sudo().write({"match_strategy": "never", "duplicate_resolution": "manual"})
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "error")
        self.assertIn(f"Customer {self.customer.name} could not be sent to QuickBooks first",
                      move.quickbooks_error)
        customer_job = self.jobs_of(self.customer)
        self.assertFalse(customer_job, "the customer was pushed on the invoice's behalf, not as a job")
        job = self.jobs_of(move)
        self.assertEqual(job.state, "failed")

    # -- stale SyncToken ---------------------------------------------------------------------------

    def test_stale_sync_token_is_reread_and_retried(self):
        move = self.make_invoice()
        self.run_queue()
        qbo = self.qbo("Invoice", move.quickbooks_id)
        # Someone prints it in QuickBooks: SyncToken moves, a field Odoo does not send changes.
        self.client.update("Invoice", {"Id": qbo["Id"], "SyncToken": qbo["SyncToken"], "PrintStatus": "PrintComplete"})
        move.button_draft()
        move.invoice_line_ids[0].quantity = 4
        move.action_post()
        self.run_queue()
        job = self.jobs_of(move)[-1]
        self.assertEqual(job.state, "done", job.fault_message)
        updated = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(updated["TotalAmt"], round(move.amount_total, 2))
        self.assertEqual(updated["PrintStatus"], "PrintComplete", "QuickBooks' own change was kept")

    def test_both_sides_changed_the_same_field_is_a_conflict(self):
        move = self.make_invoice(narration="<p>Pay by check</p>")
        self.run_queue()
        qbo = self.qbo("Invoice", move.quickbooks_id)
        self.client.update("Invoice", {"Id": qbo["Id"], "SyncToken": qbo["SyncToken"],
                                       "CustomerMemo": {"value": "Pay by wire (changed in QuickBooks)"}})
        move.button_draft()
        move.narration = "<p>Pay by card (changed in Odoo)</p>"
        move.action_post()
        self.run_queue()
        job = self.jobs_of(move)[-1]
        self.assertEqual(job.state, "conflict")
        self.assertEqual(move.quickbooks_state, "conflict")
        rows = {row["field"]: row for row in job.conflict_details}
        self.assertIn("CustomerMemo", rows)
        self.assertIn("changed in Odoo", rows["CustomerMemo"]["odoo"])
        self.assertIn("changed in QuickBooks", rows["CustomerMemo"]["quickbooks"])
        self.assertIn("changed in QuickBooks", job.conflict_html)

    # -- references, closed books, mapping -----------------------------------------------------

    def test_inactive_item_fails_with_610_and_a_hint(self):
        move = self.make_invoice()
        self.run_queue()
        item_id = self.qbo("Invoice", move.quickbooks_id)["Line"][0]["SalesItemLineDetail"]["ItemRef"]["value"]
        item = self.qbo("Item", item_id)
        self.client.update("Item", {"Id": item_id, "SyncToken": item["SyncToken"], "Name": item["Name"],
                                    "Active": False})
        second = self.make_invoice()
        self.run_queue()
        job = self.jobs_of(second)
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.fault_code, "610")
        self.assertIn("inactive", job.hint)
        self.assertEqual(second.quickbooks_state, "error")
        manager_activity = second.activity_ids.filtered(lambda a: "QuickBooks" in (a.summary or ""))
        self.assertTrue(manager_activity, "a QuickBooks manager has something to do")
        self.assertIn("Sync to QuickBooks failed", second.message_ids[0].body)

    def test_closed_books_fail_with_the_closing_date(self):
        close = fields.Date.today() - timedelta(days=1)
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"AccountingInfoPrefs": {"BookCloseDate": close.isoformat()}})
        self.addCleanup(self.emulator.control, "POST", "preferences", realm_id=self.realm_id,
                        patch={"AccountingInfoPrefs": {"BookCloseDate": None}})
        move = self.make_invoice(invoice_date=close - timedelta(days=3))
        self.run_queue()
        job = self.jobs_of(move)
        self.assertEqual(job.state, "failed")
        self.assertIn(f"closed through {close.isoformat()}", job.fault_message)
        self.assertIn((close - timedelta(days=3)).isoformat(), job.fault_message)

    def test_unmapped_tax_fails_at_once_with_what_to_fix(self):
        other_tax = self.env["account.tax"].create({"name": "Unmapped 5%", "amount": 5.0, "type_tax_use": "sale"})
        move = self.make_invoice(lines=[{"product_id": self.product.id, "quantity": 1, "price_unit": 10.0,
                                         "tax_ids": [Command.set(other_tax.ids)]}])
        before = self.qbo_count("Invoice")
        self.run_queue()
        job = self.jobs_of(move)
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.attempts, 1, "not retried: retrying cannot fix a mapping")
        self.assertIn("Unmapped 5% is not mapped to a QuickBooks tax code", job.fault_message)
        self.assertIn("Reference data", job.hint)
        self.assertEqual(self.qbo_count("Invoice"), before)

    # -- the network and QuickBooks' servers --------------------------------------------------------

    def test_server_error_is_retried_with_the_same_request(self):
        self.sync_basics()
        self.inject("503", count=1, entity="batch")
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(self.invoice_count(move), 1)

    def test_lasting_outage_waits_and_backs_off(self):
        self.sync_basics()
        self.inject("500", count=50, entity="batch")
        move = self.make_invoice()
        self.run_queue()
        job = self.jobs_of(move)
        self.assertEqual(job.state, "pending", "retried later, not failed")
        self.assertGreater(job.next_attempt_at, fields.Datetime.now())
        self.assertIn("10000", job.fault_code or "")
        self.emulator.control("DELETE", f"faults?realm_id={self.realm_id}")
        job.next_attempt_at = fields.Datetime.now()
        self.run_queue()
        self.assertEqual(job.state, "done")
        self.assertEqual(self.invoice_count(move), 1)

    def test_throttling_waits(self):
        self.sync_basics()
        self.inject("429_xml", count=10, entity="batch")
        move = self.make_invoice()
        self.run_queue()
        job = self.jobs_of(move)
        self.assertEqual(job.state, "pending")
        self.assertEqual(job.fault_code, "3001")
        self.assertIn("rate limit", job.fault_message)

    def test_answer_lost_after_commit_creates_nothing_twice(self):
        self.sync_basics()
        # The batch is applied, then the connection drops: the transport resends the same
        # request (same requestid) and QuickBooks answers with the original response.
        self.inject("drop_after_commit", count=1, entity="batch")
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(self.invoice_count(move), 1)

    def test_answers_lost_until_the_job_gives_up_then_lookup_links(self):
        self.sync_basics()
        self.env["ir.config_parameter"].sudo().set_param("quickbooks_sync.http_timeout", 2)
        self.inject("drop_after_commit", count=3, entity="batch")
        move = self.make_invoice()
        self.run_queue()
        job = self.jobs_of(move)
        self.assertEqual(job.state, "pending")
        self.assertTrue(job.uncertain, "Odoo does not know whether QuickBooks has it")
        job.next_attempt_at = fields.Datetime.now()
        self.run_queue()
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.invoice_count(move), 1, "found by DocNumber and linked, not created again")
        self.assertEqual(move.quickbooks_state, "synced")

    def test_read_timeout_is_retried_with_the_same_request(self):
        """QuickBooks applies the batch but answers after Odoo stopped waiting: the same request
        (same requestid) goes again and QuickBooks answers it with the first response."""
        self.sync_basics()
        self.env["ir.config_parameter"].sudo().set_param("quickbooks_sync.http_timeout", 1)
        self.inject("timeout", count=1, delay=3, entity="batch")
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(self.invoice_count(move), 1)
        self.assertGreaterEqual(self.emulator.counters(self.realm_id).get("api.replays", 0), 1,
                                "the second answer was QuickBooks' replay of the first")

    def test_business_validation_fault_fails_with_quickbooks_message(self):
        """A fault QuickBooks raises for a business rule (6000) fails the job with its words."""
        self.customer.action_quickbooks_sync()  # created in USD, the home currency
        self.run_queue()
        self.emulator.control("POST", "preferences", realm_id=self.realm_id,
                              patch={"CurrencyPrefs": {"MultiCurrencyEnabled": True}})
        self.addCleanup(self.emulator.control, "POST", "preferences", realm_id=self.realm_id,
                        patch={"CurrencyPrefs": {"MultiCurrencyEnabled": False}})
        eur = self.env.ref("base.EUR")
        eur.active = True
        move = self.make_invoice(currency_id=eur.id)
        self.run_queue()
        job = self.jobs_of(move)
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.fault_code, "6000")
        self.assertIn("must be the currency of the customer (USD)", job.fault_message)
        self.assertEqual(move.quickbooks_state, "error")

    # -- texts too long: said with the field's name, or shortened with a note -------------------------

    def test_text_too_long_names_the_field_as_odoo_shows_it(self):
        """QuickBooks' 2050 names its element (GivenName); the message says "First name" and its
        limit, not only "String length is either shorter or longer than supported"."""
        with self.assertRaises(QuickBooksFault) as caught:
            self.client.create("Customer", {"DisplayName": f"Long first name {self.id()}", "GivenName": "x" * 101})
        fault = caught.exception
        self.assertEqual((fault.code, fault.element), ("2050", "GivenName"))
        self.assertEqual(fault.message, "QuickBooks fault 2050: the First name is too long for QuickBooks "
                                        "(at most 100 characters, 101 given).")
        self.assertEqual(fault.hint, "Shorten the First name in Odoo and retry.")
        # Other faults keep QuickBooks' words, with its field names as Odoo labels them.
        self.assertEqual(fault_text("2020", "Required param missing, need to supply the required value for the API",
                                    "Required parameter DueDate is missing in the request"),
                         "QuickBooks fault 2020 (Required param missing, need to supply the required value for "
                         "the API): Required parameter Due Date is missing in the request")

    def test_long_company_name_is_shortened_with_a_note(self):
        """A company name of 101 to 500 characters (Odoo's display name may have 500) is sent
        shortened to QuickBooks' 100, with the full name in the customer's notes, instead of
        the whole customer being refused with 2050."""
        name = f"Acme {self.id()[-20:]} " + "Landscaping, Garden Design and Outdoor Maintenance " * 3
        partner = self.env["res.partner"].create({"name": name.strip(), "is_company": True})
        partner.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(partner.quickbooks_state, "synced", partner.quickbooks_error)
        stored = self.client.read("Customer", partner.quickbooks_id)
        self.assertEqual(stored["DisplayName"], partner.name)
        self.assertEqual(stored["CompanyName"], partner.name[:100].rstrip())
        self.assertIn(f"Company name shortened to QuickBooks' 100 characters; in Odoo: {partner.name}", stored["Notes"])

    def test_expired_token_in_the_middle_is_renewed(self):
        first = self.make_invoice()
        self.run_queue()
        self.emulator.advance_clock(3700)
        self.addCleanup(self.emulator.reset_clock)
        second = self.make_invoice()
        self.run_queue()
        self.assertEqual(second.quickbooks_state, "synced", second.quickbooks_error)
        self.assertEqual(self.invoice_count(first), 1)
        self.assertEqual(self.invoice_count(second), 1)
