"""The reconciliation report: zero differences after a sync, and the exact difference when
QuickBooks is changed on purpose (a document added in QuickBooks only, an invoice edited
there, a payment deleted there, a customer renamed)."""

import csv
import io
import zipfile
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from ..mapping.common import amount, decimal
from .push_common import CanadaPushCase, PushCase


class ReconciliationMixin:
    def setUp(self):
        super().setUp()
        # QuickBooks keeps what earlier tests sent while Odoo rolls back: each test dates its
        # documents on a day of its own and reconciles that day only.
        self.day = fields.Date.today() - timedelta(days=20 + self._journal_counter)

    def invoice(self, lines, **values):
        return self.make_invoice(lines=[{"product_id": self.product.id, "tax_ids": [Command.set(self.tax_ca.ids)],
                                         **line} for line in lines], invoice_date=self.day, **values)

    def pay(self, moves, **values):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids,
        ).create({"journal_id": self.bank_journal.id, "payment_date": self.day, **values})
        return wizard._create_payments()

    def books(self):
        """A small set of books: invoices paid in full, in part and not at all, a credit note."""
        paid = self.invoice([{"quantity": 3, "price_unit": 33.33}])
        partly = self.invoice([{"quantity": 1, "price_unit": 250.0, "discount": 12.5}])
        open_ = self.invoice([{"quantity": 2, "price_unit": 19.99}])
        refund = self.invoice([{"quantity": 1, "price_unit": 15.0}], move_type="out_refund")
        self.pay(paid)
        self.pay(partly, amount=100.0)
        self.run_queue()
        self.run_queue()
        for record in paid | partly | open_ | refund:
            self.assertEqual(record.quickbooks_state, "synced", record.quickbooks_error)
        return paid, partly, open_, refund

    def reconcile(self):
        run = self.env["quickbooks.reconciliation"].create({
            "connection_id": self.connection.id, "date_from": self.day, "date_to": self.day,
        })
        run.action_run()
        self.assertEqual(run.state, "done", run.error)
        return run

    def lines(self, run, **where):
        return run.line_ids.filtered(lambda line: all(line[key] == value for key, value in where.items()))


@tagged("post_install", "-at_install")
class TestReconciliationUS(ReconciliationMixin, PushCase):
    def test_no_difference_after_the_sync(self):
        paid, partly, open_, refund = self.books()
        before = self.emulator.counters(self.realm_id)
        run = self.reconcile()
        after = self.emulator.counters(self.realm_id)

        self.assertEqual(run.difference_count, 0, run.line_ids.filtered("is_difference").mapped("difference"))
        documents = self.lines(run, status="matched").filtered(lambda line: line.section in ("invoice", "credit_memo"))
        self.assertEqual(set(documents.mapped("res_id")), set((paid | partly | open_ | refund).ids))
        line = self.lines(run, res_model="account.move", res_id=partly.id)
        self.assertEqual(decimal(line.qbo_balance), amount(partly.amount_residual))
        self.assertEqual(decimal(line.qbo_amount), amount(partly.amount_total))
        payments = self.lines(run, section="payment", status="matched")
        self.assertEqual(len(payments), 2)
        receivable = self.lines(run, section="receivable", res_id=self.customer.id)
        self.assertEqual(receivable.status, "matched")
        self.assertEqual(decimal(receivable.odoo_balance), amount(partly.amount_residual + open_.amount_total
                                                                  - refund.amount_total))
        self.assertEqual(self.lines(run, section="customer", res_id=self.customer.id).status, "matched")
        self.assertEqual(self.lines(run, section="item", res_id=self.product.id).status, "matched")
        # Queries only: one batch of counts, then the pages; never an object read one by one.
        self.assertEqual(after.get("op.Invoice.read", 0), before.get("op.Invoice.read", 0))
        self.assertEqual(after.get("op.Payment.read", 0), before.get("op.Payment.read", 0))
        self.assertEqual(after["api.requests"] - before["api.requests"], run.http_requests)
        self.assertLessEqual(run.http_requests, 2)

        job = run.job_id
        self.assertEqual((job.operation, job.state), ("reconcile", "done"))
        self.assertFalse(run.activity_ids, "nothing to look at")

    def test_the_exact_difference_when_quickbooks_is_changed(self):
        paid, partly, open_, _refund = self.books()
        # Someone edits an invoice in QuickBooks: one more unit on its line.
        stored = self.client.read("Invoice", open_.quickbooks_id)
        line = dict(stored["Line"][0])
        detail = dict(line["SalesItemLineDetail"], Qty=3)
        self.client.update("Invoice", {"Id": stored["Id"], "SyncToken": stored["SyncToken"], "Line": [
            dict(line, Amount=59.97, SalesItemLineDetail=detail)], "TxnTaxDetail": {
                "TxnTaxCodeRef": stored["TxnTaxDetail"]["TxnTaxCodeRef"], "TotalTax": 4.8}})
        # ... deletes the partial payment ...
        payment = partly.matched_payment_ids | partly._get_reconciled_payments()
        qbo_payment = self.client.read("Payment", payment.quickbooks_id)
        self.client.delete("Payment", {"Id": qbo_payment["Id"], "SyncToken": qbo_payment["SyncToken"]})
        # ... and adds an invoice Odoo never saw, through the emulator's control API.
        added = self.emulator.control("POST", f"realms/{self.realm_id}/objects", objects={"Invoice": [{
            "CustomerRef": {"value": self.customer.quickbooks_id}, "TxnDate": self.day.isoformat(),
            "DocNumber": f"QBO-ONLY-{self._journal_counter}",
            "Line": [{"Amount": 42.0, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": self.product.quickbooks_id},
                                              "TaxCodeRef": {"value": "NON"}}}],
        }]})["ids"]["Invoice"][0]

        run = self.reconcile()

        edited = self.lines(run, res_model="account.move", res_id=open_.id)
        self.assertEqual(edited.status, "different")
        total = amount(open_.amount_total)
        self.assertIn(f"total: QuickBooks 64.77 USD, Odoo {total:.2f}", edited.difference)
        self.assertIn(f"tax: QuickBooks 4.80 USD, Odoo {amount(open_.amount_tax):.2f}", edited.difference)
        partial = self.lines(run, res_model="account.move", res_id=partly.id)
        self.assertIn(f"balance: QuickBooks {amount(partly.amount_total):.2f} USD, "
                      f"Odoo {amount(partly.amount_residual):.2f}", partial.difference)
        self.assertIn(f"payments not applied in QuickBooks: {payment.name}", partial.difference)
        gone = self.lines(run, section="payment", res_id=payment.id)
        self.assertEqual(gone.status, "different")
        self.assertIn("not found (deleted?)", gone.difference)
        only_qbo = self.lines(run, section="invoice", status="only_qbo")
        self.assertEqual(only_qbo.qbo_id, added)
        self.assertEqual(decimal(only_qbo.qbo_amount), decimal("42"))
        self.assertEqual(only_qbo.qbo_url, f"{self.connection._app_base()}/invoice?txnId={added}")
        receivable = self.lines(run, section="receivable", res_id=self.customer.id)
        qbo_balance = self.client.read("Customer", self.customer.quickbooks_id)["Balance"]
        self.assertEqual(decimal(receivable.qbo_balance), decimal(qbo_balance))
        self.assertEqual(receivable.status, "different")
        self.assertEqual(run.difference_count, 5)  # edited, partial, payment, QBO-only invoice, receivable
        self.assertTrue(self.lines(run, res_model="account.move", res_id=paid.id).status == "matched")

        # Where a user sees it: the Sync Log, an activity for a manager, the downloads.
        job = run.job_id
        self.assertEqual((job.operation, job.state), ("reconcile", "failed"))
        self.assertIn("5 differences between QuickBooks and Odoo", job.fault_message)
        self.assertIn(open_.name, job.payload)
        self.assertEqual(job.action_open_record()["res_model"], "quickbooks.reconciliation")
        self.assertEqual(run.activity_ids.summary, "QuickBooks and Odoo differ")
        self.assertTrue(run.activity_ids.user_id.has_group("quickbooks_sync.group_quickbooks_manager"))

        csv_action = run.action_download_csv()
        attachment = self.env["ir.attachment"].browse(int(csv_action["url"].split("/")[3].split("?")[0]))
        rows = list(csv.reader(io.StringIO(attachment.raw.decode())))
        self.assertEqual(rows[0][:3], ["Section", "Status", "Odoo record"])
        self.assertTrue(any(row[2] == open_.display_name and "total: QuickBooks 64.77" in row[11] for row in rows))
        xlsx_action = run.action_download_xlsx()
        attachment = self.env["ir.attachment"].browse(int(xlsx_action["url"].split("/")[3].split("?")[0]))
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        self.assertIn("total: QuickBooks 64.77 USD", strings)
        self.assertIn(f"QBO-ONLY-{self._journal_counter}", strings)

        # Drill-down: each line opens the Odoo record and the QuickBooks object.
        self.assertEqual(edited.action_open_odoo()["res_id"], open_.id)
        self.assertEqual(edited.action_open_quickbooks()["url"],
                         f"{self.connection._app_base()}/invoice?txnId={open_.quickbooks_id}")

    def test_customer_renamed_in_quickbooks(self):
        self.books()
        customer = self.client.read("Customer", self.customer.quickbooks_id)
        self.client.update("Customer", {"Id": customer["Id"], "SyncToken": customer["SyncToken"],
                                        "DisplayName": f"Renamed {self._journal_counter}",
                                        "PrimaryEmailAddr": {"Address": "other@example.com"}})
        run = self.reconcile()
        line = self.lines(run, section="customer", res_id=self.customer.id)
        self.assertEqual(line.status, "different")
        self.assertIn(f"name: QuickBooks 'Renamed {self._journal_counter}', Odoo '{self.customer.name}'",
                      line.difference)
        self.assertIn(f"e-mail: QuickBooks other@example.com, Odoo {self.customer.email}", line.difference)

    def test_a_document_not_sent_is_only_in_odoo(self):
        self.connection.sudo().auto_push_invoices = False
        move = self.invoice([{"quantity": 1, "price_unit": 10.0}])
        run = self.reconcile()
        line = self.lines(run, res_model="account.move", res_id=move.id)
        self.assertEqual((line.status, line.is_difference), ("only_odoo", True))
        self.assertEqual(decimal(line.odoo_amount), amount(move.amount_total))

    def test_quickbooks_unavailable_fails_the_run_visibly(self):
        self.emulator.control("POST", "faults", realm_id=self.realm_id, match={"entity": "batch"}, fault="503",
                              count=3)
        run = self.env["quickbooks.reconciliation"].create({
            "connection_id": self.connection.id, "date_from": self.day, "date_to": self.day,
        })
        run.action_run()
        self.assertEqual(run.state, "failed")
        self.assertTrue(run.error)
        self.assertEqual((run.job_id.operation, run.job_id.state), ("reconcile", "failed"))
        self.assertTrue(run.job_id.fault_message)
        self.assertIn(run.job_id.fault_message, run.error)
        self.assertFalse(run.line_ids)

    def test_daily_job_and_settings(self):
        self.books()
        self.env["ir.config_parameter"].sudo().set_param("quickbooks_sync.reconcile_days", 400)
        self.env["quickbooks.reconciliation"]._cron_reconcile()
        self.env.invalidate_all()
        run = self.env["quickbooks.reconciliation"].search([("connection_id", "=", self.connection.id)], limit=1)
        self.assertEqual((run.trigger, run.state), ("cron", "done"))
        self.assertEqual(run.date_from, fields.Date.today() - timedelta(days=400))
        self.assertEqual(run.job_id.operation, "reconcile")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.quickbooks_last_reconciliation_id, run)
        action = settings.action_quickbooks_reconcile()
        self.assertEqual(action["context"]["default_connection_id"], self.connection.id)


@tagged("post_install", "-at_install")
class TestReconciliationCanada(ReconciliationMixin, CanadaPushCase):
    def test_no_difference_after_the_sync(self):
        paid, partly, open_, refund = self.books()
        run = self.reconcile()
        self.assertEqual(run.difference_count, 0, run.line_ids.filtered("is_difference").mapped("difference"))
        self.assertEqual(self.lines(run, section="receivable", res_id=self.customer.id).status, "matched")
