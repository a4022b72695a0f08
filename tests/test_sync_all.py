"""Sync everything now (issue 18): the preview's counts, one bulk run that sends exactly what
QuickBooks does not have, once and in order, and a second run that sends nothing new."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestSyncEverything(PushCase):
    def wizard(self, **values):
        return self.env["quickbooks.sync.all.wizard"].create({"connection_id": self.connection.id, **values})

    def preview(self, **values):
        wizard = self.wizard(**values)
        wizard.action_preview()
        return wizard, {line.kind: line for line in wizard.line_ids}

    def delta(self, before, after, kind, field):
        return after[kind][field] - before[kind][field]

    def register_payment(self, moves):
        return self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids,
        ).create({"journal_id": self.bank_journal.id})._create_payments()

    def make_books(self):
        """A company as a new user has it: some records already in QuickBooks, most not."""
        self.connection.sudo().auto_push_invoices = False
        self.sync_basics()  # the customer and the product are in QuickBooks
        synced = self.make_invoice()
        synced.action_quickbooks_sync()
        self.run_queue()
        assert synced.quickbooks_state == "synced"
        other = self.customer.copy({"name": f"{self.customer.name} (Paris)", "email": "paris@example.com"})
        books = {
            "synced": synced,
            "other": other,
            "open": self.make_invoice(partner=other),
            "refund": self.make_invoice(move_type="out_refund"),
            "draft": self.make_invoice(post=False),
            "old": self.make_invoice(invoice_date=fields.Date.today() - timedelta(days=400)),
            "queued": self.make_invoice(),
        }
        books["queued"]._quickbooks_enqueue()
        unmapped = self.env["account.tax"].create({"name": "Unmapped 5%", "amount": 5.0, "type_tax_use": "sale"})
        books["untaxable"] = self.make_invoice(lines=[{"product_id": self.product.id, "quantity": 1,
                                                       "price_unit": 10.0, "tax_ids": [Command.set(unmapped.ids)]}])
        books["payment"] = self.register_payment(books["open"])
        return books

    def test_preview_counts_what_is_linked_queued_sendable_and_why_not(self):
        _wizard, before = self.preview()
        books = self.make_books()
        wizard, after = self.preview(date_from=fields.Date.today() - timedelta(days=30))
        # Invoices: "synced" is linked; "queued" waits already; "open" and "refund" are to send;
        # "untaxable" cannot be sent (its tax), "draft" neither (not posted); "old" is before the date.
        self.assertEqual(self.delta(before, after, "invoices", "linked"), 1)
        self.assertEqual(self.delta(before, after, "invoices", "queued"), 1)
        self.assertEqual(self.delta(before, after, "invoices", "to_send"), 2)
        self.assertEqual(self.delta(before, after, "invoices", "blocked"), 2)
        self.assertIn("1 a sales tax without a QuickBooks tax code", after["invoices"].blocked_reasons)
        self.assertIn("1 not posted", after["invoices"].blocked_reasons)
        shown = after["invoices"].action_open_blocked()
        self.assertIn(books["untaxable"].id, shown["domain"][0][2])
        self.assertIn(books["draft"].id, shown["domain"][0][2])
        # Customers: the first one is linked, its Paris twin is not.
        self.assertEqual(self.delta(before, after, "customers", "linked"), 1)
        self.assertEqual(self.delta(before, after, "customers", "to_send"), 1)
        self.assertEqual(self.delta(before, after, "items", "linked"), 1)
        self.assertEqual(self.delta(before, after, "payments", "to_send"), 1)
        self.assertEqual(wizard.to_send, sum(line.to_send for line in wizard.line_ids))

    def test_a_run_sends_exactly_what_is_missing_once_in_order_and_a_second_sends_nothing(self):
        books = self.make_books()
        self.run_queue()  # "queued" goes on its own
        before = self.qbo_count("Invoice")
        wizard, _lines = self.preview(date_from=fields.Date.today() - timedelta(days=30))
        wizard.action_send()
        run = self.env["quickbooks.sync.run"].search([("connection_id", "=", self.connection.id)], limit=1)
        jobs = run.job_ids
        self.assertEqual(run.state, "running")
        self.assertIn(books["open"].id, jobs.filtered(lambda j: j.res_model == "account.move").mapped("res_id"))
        self.assertNotIn(books["old"].id, jobs.mapped("res_id"), "before the date")
        self.assertNotIn(books["synced"].id, jobs.filtered(lambda j: j.res_model == "account.move").mapped("res_id"))
        self.assertNotIn(books["untaxable"].id, jobs.filtered(lambda j: j.res_model == "account.move").mapped("res_id"))
        by_model = {job.res_model: job.priority for job in jobs}
        self.assertLess(by_model["res.partner"], by_model["account.move"])
        self.assertLess(by_model["account.move"], by_model["account.payment"])
        self.assertEqual(run.queued_count, len(jobs))

        self.run_queue()
        self.assertEqual(set(jobs.mapped("state")), {"done"}, jobs.mapped("fault_message"))
        self.assertEqual(books["open"].quickbooks_state, "synced")
        self.assertEqual(books["refund"].quickbooks_state, "synced")
        self.assertEqual(books["payment"].quickbooks_state, "synced", books["payment"].quickbooks_error)
        self.assertEqual(self.qbo_count("Invoice"), before + 1, "the open invoice, once")
        self.assertEqual(run.state, "done", "the worker closed the run")
        self.assertIn("done", run.message_ids[0].body)
        self.assertEqual(run.message_ids[0].partner_ids, self.env.user.partner_id)

        again, lines = self.preview(date_from=fields.Date.today() - timedelta(days=30))
        self.assertEqual(again.to_send, 0)
        again.action_send()
        second = self.env["quickbooks.sync.run"].search([("connection_id", "=", self.connection.id)], limit=1)
        self.assertNotEqual(second, run)
        self.assertEqual(second.queued_count, 0, "nothing new")
        self.assertEqual(second.state, "done")

    def test_a_second_click_while_a_run_sends_says_so(self):
        self.make_books()
        wizard, _lines = self.preview()
        wizard.action_send()
        second, _lines = self.preview()
        self.assertTrue(second.running_run_id)
        with self.assertRaisesRegex(UserError, "still sending"):
            second.action_send()

    def test_sync_must_be_active(self):
        self.connection.sudo().sync_enabled = False
        self.addCleanup(setattr, self.connection.sudo(), "sync_enabled", True)
        wizard, _lines = self.preview()
        with self.assertRaisesRegex(UserError, "not active"):
            wizard.action_send()

    def test_only_quickbooks_managers_run_it(self):
        user = self.env["res.users"].create({
            "name": "QuickBooks user only", "login": "qbo-user-only", "company_id": self.env.company.id,
            "company_ids": [Command.set(self.env.company.ids)],
            "group_ids": [Command.set([self.env.ref("quickbooks_sync.group_quickbooks_user").id,
                                       self.env.ref("account.group_account_invoice").id])],
        })
        with self.assertRaises(AccessError):
            self.env["quickbooks.sync.all.wizard"].with_user(user).create({"connection_id": self.connection.id})
