"""Customers, vendors and items edited or created in QuickBooks come back into Odoo, as the
company's conflict policy says; conflicts are settled with one click (issues 14 and 10)."""

import json
import re
import uuid
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import config

from ..controllers.webhook import WEBHOOK_PATH, expected_signature
from ..sync.pull import PullEngine
from .common import QuickBooksCase
from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestPullMasterData(PushCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super(QuickBooksCase, cls).setUpClass()  # HttpCase's own test mode (an Odoo server answers the webhooks)
        cls.setup_quickbooks()
        cls.connect_class()
        cls.setup_push()
        cls.verifier = uuid.uuid4().hex
        cls.connection.sudo().write({"webhook_verifier_token": cls.verifier, "auto_push_partners": False})

    def setUp(self):
        super().setUp()
        self.window(fields.Datetime.now() - timedelta(seconds=2))
        self.policy("ask")

    # -- helpers -------------------------------------------------------------------------------

    def policy(self, policy):
        self.connection.sudo().pull_conflict_policy = policy

    def window(self, start):
        self.env["quickbooks.pull.state"].sudo().search([("connection_id", "=", self.connection.id)]).unlink()
        return self.env["quickbooks.pull.state"].sudo().create({
            "connection_id": self.connection.id, "realm_id": self.realm_id, "window_start": start})

    def pull_cdc(self):
        self.env.flush_all()
        result = PullEngine(self.connection.sudo()).run_cdc()
        self.env.invalidate_all()
        return result

    def process_incoming(self):
        self.env.flush_all()
        processed = self.env["quickbooks.sync.job"]._cron_process_incoming(time_budget=60)
        self.env.invalidate_all()
        return processed

    def synced_customer(self):
        self.customer.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(self.customer.quickbooks_state, "synced", self.customer.quickbooks_error)
        return self.customer.quickbooks_id

    def edit_in_quickbooks(self, entity, qbo_id, **changes):
        """What an accountant does in QuickBooks: edit the object."""
        current = self.qbo(entity, qbo_id)
        return self.client.update(entity, dict(changes, Id=qbo_id, SyncToken=current["SyncToken"]))

    def incoming(self, entity, qbo_id):
        return self.env["quickbooks.sync.job"].sudo().search(
            [("direction", "=", "incoming"), ("qbo_entity", "=", entity), ("qbo_id", "=", qbo_id)], order="id")

    def outgoing_pending(self, record):
        return self.env["quickbooks.sync.job"].sudo().search([
            ("direction", "=", "outgoing"), ("res_model", "=", record._name), ("res_id", "in", record.ids),
            ("state", "=", "pending")])

    def notes_from_quickbooks(self, record):
        return record.message_ids.filtered(lambda m: "from QuickBooks" in (m.body or ""))

    def post_notification(self, events):
        previous = config["dbfilter"]
        config["dbfilter"] = f"^{re.escape(self.env.cr.dbname)}$"
        self.addCleanup(config.__setitem__, "dbfilter", previous)
        body = json.dumps(events).encode()
        return self.url_open(WEBHOOK_PATH, data=body, headers={
            "Content-Type": "application/json", "intuit-signature": expected_signature(self.verifier, body)})

    def cloud_event(self, entity, qbo_id, at):
        return {"specversion": "1.0", "id": uuid.uuid4().hex, "source": "intuit.test",
                "type": f"qbo.{entity.lower()}.updated.v1", "datacontenttype": "application/json",
                "time": at, "intuitentityid": qbo_id, "intuitaccountid": self.realm_id, "data": {}}

    # -- a change made in QuickBooks only --------------------------------------------------------

    def test_customer_edited_in_quickbooks_is_updated_in_odoo_and_not_sent_back(self):
        qbo_id = self.synced_customer()
        self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "accounts@acme.example"},
                                PrimaryPhone={"FreeFormNumber": "+1 415 555 0199"})

        self.pull_cdc()

        self.assertEqual(self.customer.email, "accounts@acme.example")
        self.assertEqual(self.customer.phone, "+1 415 555 0199")
        job = self.incoming("Customer", qbo_id)
        self.assertEqual(job.mapped("state"), ["done"], job.mapped("fault_message"))
        self.assertIn("Email", job.pull_result)
        self.assertTrue(self.notes_from_quickbooks(self.customer))
        self.assertFalse(self.outgoing_pending(self.customer), "QuickBooks' own change is not sent back")
        self.assertEqual(self.customer.quickbooks_state, "synced")

        # Read again (change data capture overlaps): nothing more happens.
        self.window(fields.Datetime.now() - timedelta(seconds=60))
        self.pull_cdc()
        self.assertEqual(len(self.notes_from_quickbooks(self.customer)), 1)
        self.assertFalse(self.incoming("Customer", qbo_id).filtered(lambda j: j.state != "done"))

    def test_odoo_own_push_does_not_bounce_back(self):
        qbo_id = self.synced_customer()
        self.customer.write({"email": "odoo-side@acme.example"})
        self.customer.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(self.qbo("Customer", qbo_id)["PrimaryEmailAddr"]["Address"], "odoo-side@acme.example")

        self.pull_cdc()

        self.assertEqual(self.customer.email, "odoo-side@acme.example")
        self.assertFalse(self.notes_from_quickbooks(self.customer))
        self.assertFalse(self.incoming("Customer", qbo_id).filtered(lambda j: j.state != "done"))
        self.assertFalse(self.outgoing_pending(self.customer))

    # -- a field changed on both sides: each policy ---------------------------------------------

    def both_sides_changed(self):
        """Odoo's email changed (not sent yet); QuickBooks' email and phone changed."""
        qbo_id = self.synced_customer()
        self.customer.write({"email": "odoo@acme.example"})
        self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "quickbooks@acme.example"},
                                PrimaryPhone={"FreeFormNumber": "+1 415 555 0142"})
        return qbo_id

    def test_policy_ask_shows_a_conflict_side_by_side_and_overwrites_nothing(self):
        qbo_id = self.both_sides_changed()

        self.pull_cdc()

        job = self.incoming("Customer", qbo_id)
        self.assertEqual(job.state, "conflict", job.fault_message)
        self.assertEqual([(r["field"], r["odoo"], r["quickbooks"]) for r in job.conflict_details],
                         [("Email", "odoo@acme.example", "quickbooks@acme.example")])
        self.assertEqual(job.conflict_line_ids.mapped("field"), ["Email"])
        self.assertIn("quickbooks@acme.example", job.conflict_html)
        self.assertEqual(self.customer.email, "odoo@acme.example", "never a silent overwrite")
        self.assertEqual(self.customer.phone, "+1 415 555 0142", "QuickBooks' other change is applied")
        self.assertEqual(self.qbo("Customer", qbo_id)["PrimaryEmailAddr"]["Address"], "quickbooks@acme.example")

    def test_policy_quickbooks_wins(self):
        qbo_id = self.both_sides_changed()
        self.policy("quickbooks")

        self.pull_cdc()

        self.assertEqual(self.incoming("Customer", qbo_id).state, "done")
        self.assertEqual(self.customer.email, "quickbooks@acme.example")
        self.assertEqual(self.customer.phone, "+1 415 555 0142")
        self.assertFalse(self.outgoing_pending(self.customer))

    def test_policy_odoo_wins_sends_odoo_value_over_quickbooks(self):
        qbo_id = self.both_sides_changed()
        self.policy("odoo")

        self.pull_cdc()

        job = self.incoming("Customer", qbo_id)
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.customer.email, "odoo@acme.example")
        self.assertEqual(self.customer.phone, "+1 415 555 0142", "QuickBooks' change Odoo did not make is taken")
        self.assertTrue(self.outgoing_pending(self.customer), "Odoo's value is sent to QuickBooks")
        self.run_queue()
        stored = self.qbo("Customer", qbo_id)
        self.assertEqual(stored["PrimaryEmailAddr"]["Address"], "odoo@acme.example")
        self.assertEqual(stored["PrimaryPhone"]["FreeFormNumber"], "+1 415 555 0142")
        self.assertEqual(self.customer.quickbooks_state, "synced")
        # Odoo's own push does not come back.
        self.window(fields.Datetime.now() - timedelta(seconds=60))
        self.pull_cdc()
        self.assertEqual(self.customer.email, "odoo@acme.example")
        self.assertFalse(self.incoming("Customer", qbo_id).filtered(lambda j: j.state != "done"))

    def test_policy_most_recent_change_wins(self):
        qbo_id = self.both_sides_changed()
        self.policy("recent")
        # Odoo's change is older than QuickBooks' one: QuickBooks wins.
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET write_date = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(hours=1), self.customer.id))
        self.env.invalidate_all()

        self.pull_cdc()

        self.assertEqual(self.customer.email, "quickbooks@acme.example")

        # Then Odoo changes the phone after QuickBooks did: Odoo wins.
        self.edit_in_quickbooks("Customer", qbo_id, PrimaryPhone={"FreeFormNumber": "+1 415 555 0177"})
        self.customer.write({"phone": "+1 415 555 0111"})
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET write_date = %s WHERE id = %s",
                            (fields.Datetime.now() + timedelta(hours=1), self.customer.id))
        self.env.invalidate_all()
        self.window(fields.Datetime.now() - timedelta(seconds=60))

        self.pull_cdc()

        self.assertEqual(self.customer.phone, "+1 415 555 0111")
        self.run_queue()
        self.assertEqual(self.qbo("Customer", qbo_id)["PrimaryPhone"]["FreeFormNumber"], "+1 415 555 0111")

    # -- one-click resolution ---------------------------------------------------------------------

    def test_conflict_resolved_per_field(self):
        qbo_id = self.synced_customer()
        self.customer.write({"email": "odoo@acme.example", "city": "Oakland"})
        self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "quickbooks@acme.example"},
                                BillAddr={"Line1": "12 Market Street", "City": "Sausalito",
                                          "CountrySubDivisionCode": "CA", "PostalCode": "94105", "Country": "US"})
        self.pull_cdc()
        job = self.incoming("Customer", qbo_id)
        self.assertEqual(job.state, "conflict", job.fault_message)
        self.assertEqual(sorted(job.conflict_line_ids.mapped("field")), ["Address", "Email"])

        email = job.conflict_line_ids.filtered(lambda line: line.field == "Email")
        email.action_take_quickbooks()
        self.env.invalidate_all()
        self.assertEqual(self.customer.email, "quickbooks@acme.example")
        self.assertEqual(job.state, "conflict", "one field left to decide")

        job.conflict_line_ids.filtered(lambda line: line.field == "Address").action_keep_odoo()
        self.env.invalidate_all()
        self.assertEqual(job.state, "done")
        self.assertEqual(self.customer.city, "Oakland")
        self.run_queue()
        stored = self.qbo("Customer", qbo_id)
        self.assertEqual(stored["BillAddr"]["City"], "Oakland", "Odoo's value was sent with QuickBooks' SyncToken")
        self.assertEqual(stored["PrimaryEmailAddr"]["Address"], "quickbooks@acme.example")
        self.assertEqual(self.customer.quickbooks_state, "synced")

    def test_conflict_take_quickbooks_for_all(self):
        qbo_id = self.both_sides_changed()
        self.pull_cdc()
        job = self.incoming("Customer", qbo_id)
        self.assertEqual(job.state, "conflict")

        job.action_conflict_take_quickbooks_all()

        self.env.invalidate_all()
        self.assertEqual(job.state, "done")
        self.assertEqual(self.customer.email, "quickbooks@acme.example")
        self.assertEqual(job.conflict_line_ids.mapped("decision"), ["quickbooks"])
        self.assertFalse(self.outgoing_pending(self.customer))

    def test_push_conflict_resolved_with_one_click(self):
        """A push that meets QuickBooks' change (5010) stops in conflict: keep Odoo's value for
        all sends it with QuickBooks' current SyncToken."""
        qbo_id = self.synced_customer()
        self.customer.write({"email": "odoo@acme.example"})
        self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "quickbooks@acme.example"})
        self.customer.action_quickbooks_sync()
        self.run_queue()
        job = self.env["quickbooks.sync.job"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id), ("state", "=", "conflict")])
        self.assertEqual(len(job), 1, self.jobs_of(self.customer).mapped("fault_message"))
        self.assertIn("PrimaryEmailAddr", job.conflict_line_ids.mapped("field"))

        job.action_conflict_keep_odoo_all()
        self.env.invalidate_all()
        self.assertEqual(job.state, "pending")
        self.run_queue()

        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.qbo("Customer", qbo_id)["PrimaryEmailAddr"]["Address"], "odoo@acme.example")

    def test_push_conflict_take_quickbooks_value(self):
        qbo_id = self.synced_customer()
        self.customer.write({"email": "odoo@acme.example"})
        self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "quickbooks@acme.example"})
        self.customer.action_quickbooks_sync()
        self.run_queue()
        job = self.env["quickbooks.sync.job"].search([
            ("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id), ("state", "=", "conflict")])
        self.assertEqual(len(job), 1)

        job.conflict_line_ids.filtered(lambda line: line.field == "PrimaryEmailAddr").action_take_quickbooks()
        self.env.invalidate_all()
        self.assertEqual(self.customer.email, "quickbooks@acme.example")
        if job.state == "pending":
            self.run_queue()
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.qbo("Customer", qbo_id)["PrimaryEmailAddr"]["Address"], "quickbooks@acme.example")

    # -- created in QuickBooks ---------------------------------------------------------------------

    def test_customer_created_in_quickbooks_is_created_or_matched(self):
        n = self._journal_counter
        existing = self.env["res.partner"].create({"name": f"Bessie's Books {n}", "email": f"bessie{n}@example.com",
                                                   "customer_rank": 1})
        answer = self.emulator.control("POST", f"realms/{self.realm_id}/objects", objects={"Customer": [
            {"DisplayName": f"Brand New Bakery {n}", "PrimaryEmailAddr": {"Address": f"bakery{n}@example.com"},
             "BillAddr": {"Line1": "1 Oven Road", "City": "Fresno", "CountrySubDivisionCode": "CA",
                          "PostalCode": "93650", "Country": "US"}},
            {"DisplayName": f"Bessie's Books {n}", "PrimaryEmailAddr": {"Address": f"bessie{n}@example.com"}},
        ]})
        new_id, matched_id = answer["ids"]["Customer"]

        self.pull_cdc()

        created = self.env["res.partner"].search([("name", "=", f"Brand New Bakery {n}")])
        self.assertEqual(len(created), 1, self.incoming("Customer", new_id).mapped("fault_message"))
        self.assertEqual(created.email, f"bakery{n}@example.com")
        self.assertEqual(created.city, "Fresno")
        self.assertEqual(created.customer_rank, 1)
        self.assertEqual(created.quickbooks_id, new_id)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", f"Bessie's Books {n}")]), 1,
                         "matched by the import's strategy, not duplicated")
        self.assertEqual(existing.quickbooks_id, matched_id)
        self.assertFalse(self.outgoing_pending(created | existing))

        # A later edit in QuickBooks of the created one comes back too.
        self.edit_in_quickbooks("Customer", new_id, PrimaryEmailAddr={"Address": f"orders{n}@example.com"})
        self.window(fields.Datetime.now() - timedelta(seconds=60))
        self.pull_cdc()
        self.assertEqual(created.email, f"orders{n}@example.com")

    # -- items, vendors ---------------------------------------------------------------------------

    def test_item_edited_in_quickbooks(self):
        self.product.action_quickbooks_sync()
        self.run_queue()
        qbo_id = self.product.quickbooks_id
        self.assertTrue(qbo_id)
        self.edit_in_quickbooks("Item", qbo_id, UnitPrice=125.5, Description="Design of a whole garden")

        self.pull_cdc()

        job = self.incoming("Item", qbo_id)
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.product.list_price, 125.5)
        self.assertEqual(self.product.description_sale, "Design of a whole garden")
        self.assertEqual(self.product.default_code, f"GD-{self._journal_counter}", "an unchanged SKU stays")
        self.assertFalse(self.outgoing_pending(self.product))

    def test_vendor_edited_in_quickbooks(self):
        vendor = self.env["res.partner"].create({"name": f"Hedge Supplies {self._journal_counter}",
                                                 "supplier_rank": 1, "email": "sales@hedge.example"})
        vendor.action_quickbooks_sync()
        self.run_queue()
        binding = self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", "res.partner"), ("res_id", "=", vendor.id), ("qbo_entity", "=", "Vendor")])
        self.assertTrue(binding)
        self.edit_in_quickbooks("Vendor", binding.qbo_id, AcctNum="V-778",
                                PrimaryEmailAddr={"Address": "ar@hedge.example"})

        self.pull_cdc()

        self.assertEqual(vendor.ref, "V-778")
        self.assertEqual(vendor.email, "ar@hedge.example")

    # -- delivered twice, out of order, by webhook and change data capture ---------------------------

    def test_same_change_twice_and_out_of_order_applied_once(self):
        qbo_id = self.synced_customer()
        older = (fields.Datetime.now() - timedelta(minutes=5)).isoformat() + "Z"
        stored = self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "first@acme.example"})
        stored = self.edit_in_quickbooks("Customer", qbo_id, PrimaryEmailAddr={"Address": "second@acme.example"})
        at = stored["MetaData"]["LastUpdatedTime"]
        events = [self.cloud_event("Customer", qbo_id, at), self.cloud_event("Customer", qbo_id, at)]

        answer = self.post_notification(events)
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.json()["queued"], 1, "one job per object, however many notifications")
        self.process_incoming()
        self.assertEqual(self.customer.email, "second@acme.example")

        self.assertEqual(self.post_notification(events).json()["queued"], 0, "a replay queues nothing")
        self.assertEqual(self.post_notification([self.cloud_event("Customer", qbo_id, older)]).json()["queued"],
                         0, "an older notification arriving late queues nothing")
        self.window(fields.Datetime.now() - timedelta(seconds=60))
        self.pull_cdc()
        self.process_incoming()

        self.assertEqual(self.customer.email, "second@acme.example")
        self.assertEqual(len(self.notes_from_quickbooks(self.customer)), 1, "applied once")
        self.assertEqual(self.incoming("Customer", qbo_id).mapped("state"), ["done"])
