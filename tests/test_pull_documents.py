"""Invoices and credit memos changed in QuickBooks (issue 14): voided, deleted or edited
invoices flagged on the Odoo invoice, credits applied in QuickBooks reconciled in Odoo."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .test_pull_payments import PullCase


@tagged("post_install", "-at_install")
class TestPullDocuments(PullCase):
    # -- helpers -------------------------------------------------------------------------------

    def jobs(self, entity, qbo_id):
        return self.env["quickbooks.sync.job"].sudo().search(
            [("direction", "=", "incoming"), ("qbo_entity", "=", entity), ("qbo_id", "=", qbo_id)], order="id")

    def notify(self, events):
        """Intuit's notification, signed; Odoo answers 200 at once."""
        answer = self.post_notification(events)
        self.assertEqual(answer.status_code, 200, answer.text)
        return answer.json()

    def flag_activities(self, move, summary):
        return move.activity_ids.filtered(lambda activity: activity.summary == summary)

    def sent_credit_note(self, amount=30.0):
        credit = self.make_invoice(move_type="out_refund", lines=[
            {"product_id": self.product.id, "quantity": 1, "price_unit": amount}])
        self.run_queue()
        self.assertEqual(credit.quickbooks_state, "synced", credit.quickbooks_error)
        return credit

    def apply_credit_in_quickbooks(self, invoice, credit, amount, money=0.0, ref=None):
        """What an accountant does in QuickBooks: Receive payment, tick the credit memo."""
        payment = {
            "CustomerRef": {"value": self.qbo("Invoice", invoice.quickbooks_id)["CustomerRef"]["value"]},
            "TotalAmt": money, "TxnDate": fields.Date.to_string(fields.Date.today()),
            "Line": [{"Amount": amount + money,
                      "LinkedTxn": [{"TxnId": invoice.quickbooks_id, "TxnType": "Invoice"}]},
                     {"Amount": amount, "LinkedTxn": [{"TxnId": credit.quickbooks_id, "TxnType": "CreditMemo"}]}],
        }
        if money:
            payment.update({"PaymentRefNum": ref or "CR-1",
                            "DepositToAccountRef": {"value": self.ref("Account", "Checking").qbo_id},
                            "PaymentMethodRef": {"value": self.ref("PaymentMethod", "Check").qbo_id}})
        answer = self.emulator.control("POST", f"realms/{self.realm_id}/objects", objects={"Payment": [payment]})
        return answer["ids"]["Payment"][0]

    def quickbooks_edit(self, invoice, amount):
        """An accountant changes the first line's amount of the invoice in QuickBooks."""
        stored = self.qbo("Invoice", invoice.quickbooks_id)
        lines = [line for line in stored["Line"] if line.get("DetailType") == "SalesItemLineDetail"]
        line = dict(lines[0], Amount=amount)
        line["SalesItemLineDetail"] = dict(line["SalesItemLineDetail"], Qty=1, UnitPrice=amount)
        self.client.update("Invoice", {"Id": invoice.quickbooks_id, "SyncToken": stored["SyncToken"], "sparse": True,
                                       "Line": [line] + lines[1:]})

    def credit_partials(self, credit):
        lines = credit.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        return lines.matched_debit_ids

    # -- invoices voided, deleted, edited --------------------------------------------------------

    def test_invoice_voided_in_quickbooks_is_flagged_with_an_activity(self):
        move = self.sent_invoice()
        entries = move.line_ids.mapped(lambda line: (line.account_id.id, line.balance))
        stored = self.qbo("Invoice", move.quickbooks_id)
        self.client.void("Invoice", {"Id": move.quickbooks_id, "SyncToken": stored["SyncToken"]})

        self.pull_cdc()

        self.assertEqual(move.state, "posted", "Odoo's posted entries are not changed")
        self.assertEqual(move.line_ids.mapped(lambda line: (line.account_id.id, line.balance)), entries)
        self.assertEqual(move.quickbooks_remote_status, "voided")
        self.assertEqual(move.quickbooks_state, "conflict")
        self.assertIn("voided in QuickBooks", move.quickbooks_error)
        activity = self.flag_activities(move, "Voided in QuickBooks")
        self.assertEqual(len(activity), 1)
        self.assertTrue(activity.user_id.has_group("quickbooks_sync.group_quickbooks_manager"))
        job = self.jobs("Invoice", move.quickbooks_id)
        self.assertEqual(job.mapped("state"), ["conflict"])
        self.assertIn(move.name, job.fault_message)

        # Read again (the same change by CDC and a late notification): one activity still.
        self.window(fields.Datetime.now() - timedelta(seconds=60))
        self.pull_cdc()
        self.notify([dict(self.cloud_event(move.quickbooks_id, "voided"), type="qbo.invoice.voided.v1")])
        self.process_incoming()
        self.assertEqual(len(self.flag_activities(move, "Voided in QuickBooks")), 1)
        self.assertEqual(move.state, "posted")

    def test_invoice_deleted_in_quickbooks_is_flagged(self):
        move = self.sent_invoice()
        stored = self.qbo("Invoice", move.quickbooks_id)
        self.client.delete("Invoice", {"Id": move.quickbooks_id, "SyncToken": stored["SyncToken"]})

        self.pull_cdc()

        self.assertEqual(move.state, "posted")
        self.assertEqual(move.quickbooks_remote_status, "deleted")
        self.assertEqual(len(self.flag_activities(move, "Deleted in QuickBooks")), 1)
        job = self.jobs("Invoice", move.quickbooks_id)
        self.assertEqual(job.state, "conflict")
        self.assertEqual(job.conflict_details, [{"field": "Status", "odoo": "posted", "quickbooks": "deleted"}])
        # A notification about an invoice Odoo never sent queues nothing.
        answer = self.notify([dict(self.cloud_event("999999", "deleted"), type="qbo.invoice.deleted.v1")])
        self.assertEqual(answer["queued"], 0)
        self.assertFalse(self.jobs("Invoice", "999999"))

    def test_deletion_older_than_30_days_is_found_by_id(self):
        move = self.sent_invoice()
        other = self.sent_invoice()
        self.window(fields.Datetime.now() - timedelta(seconds=5))
        stored = self.qbo("Invoice", move.quickbooks_id)
        self.client.delete("Invoice", {"Id": move.quickbooks_id, "SyncToken": stored["SyncToken"]})
        self.addCleanup(self.emulator.reset_clock)
        self.emulator.advance_clock(31 * 86400)  # CDC no longer shows the deletion; queries never do

        self.pull_cdc()

        state = self.env["quickbooks.pull.state"].sudo().search([("connection_id", "=", self.connection.id)])
        self.assertEqual(state.last_method, "query")
        self.assertEqual(move.quickbooks_remote_status, "deleted")
        self.assertEqual(self.jobs("Invoice", move.quickbooks_id).state, "conflict")
        self.assertFalse(other.quickbooks_remote_status, "an invoice QuickBooks still has is not flagged")

    def test_amount_edited_in_quickbooks_is_a_conflict_with_both_values(self):
        move = self.sent_invoice()  # 2 x 100.00 and the sales tax
        total = move.amount_total
        self.quickbooks_edit(move, 150.0)

        self.pull_cdc()

        job = self.jobs("Invoice", move.quickbooks_id)
        self.assertEqual(job.state, "conflict", job.pull_result)
        rows = {row["field"]: (row["odoo"], row["quickbooks"]) for row in job.conflict_details}
        currency = move.currency_id.name
        qbo_total = self.qbo("Invoice", move.quickbooks_id)["TotalAmt"]
        self.assertNotEqual(qbo_total, total)
        self.assertEqual(rows["Total"], (f"{total:.2f} {currency}", f"{qbo_total:.2f} {currency}"))
        self.assertEqual(rows["Line 1"], (f"200.00 {currency}", f"150.00 {currency}"))
        self.assertIn("150.00", job.conflict_html)
        self.assertEqual(move.quickbooks_remote_status, "edited")
        self.assertEqual(move.amount_total, total, "Odoo's books are not changed")
        self.assertEqual(len(self.flag_activities(move, "Amounts edited in QuickBooks")), 1)

        # Undone in QuickBooks: the flag is cleared and the activity done.
        self.quickbooks_edit(move, 200.0)
        self.pull_cdc()
        self.assertFalse(move.quickbooks_remote_status)
        self.assertEqual(move.quickbooks_state, "synced")
        self.assertFalse(self.flag_activities(move, "Amounts edited in QuickBooks"))
        self.assertEqual(self.jobs("Invoice", move.quickbooks_id)[-1].state, "done")

    def test_edits_and_void_odoo_pushed_do_not_come_back_as_conflicts(self):
        move = self.sent_invoice()
        move.button_draft()
        move.invoice_line_ids[0].price_unit = 120.0
        move.action_post()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["TotalAmt"], move.amount_total)
        self.assertEqual(move.amount_untaxed, 240.0)
        self.window(fields.Datetime.now() - timedelta(seconds=60))
        self.pull_cdc()
        # A notification of Odoo's own write (webhooks do not know who wrote it).
        self.notify([dict(self.cloud_event(move.quickbooks_id, "updated"), type="qbo.invoice.updated.v1")])
        self.process_incoming()
        self.assertFalse(move.quickbooks_remote_status)
        self.assertEqual(move.quickbooks_state, "synced")
        self.assertFalse(self.jobs("Invoice", move.quickbooks_id).filtered(lambda job: job.state != "done"))

        move.button_cancel()  # Odoo voids it in QuickBooks
        self.run_queue()
        self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["TotalAmt"], 0)
        self.pull_cdc()
        self.notify([dict(self.cloud_event(move.quickbooks_id, "voided"), type="qbo.invoice.voided.v1")])
        self.process_incoming()
        self.assertFalse(move.quickbooks_remote_status)
        self.assertFalse(self.flag_activities(move, "Voided in QuickBooks"))
        self.assertFalse(self.jobs("Invoice", move.quickbooks_id).filtered(lambda job: job.state != "done"))

    # -- credits applied in QuickBooks -------------------------------------------------------------

    def test_credit_memo_applied_in_quickbooks_reconciles_and_void_unreconciles(self):
        move = self.sent_invoice()
        credit = self.sent_credit_note(30.0)
        total, applied = move.amount_total, credit.amount_total
        payments_before = self.env["account.payment"].search_count([])
        qbo_id = self.apply_credit_in_quickbooks(move, credit, applied)

        self.pull_cdc()

        self.assertEqual(self.jobs("Payment", qbo_id).mapped("state"), ["done"],
                         self.jobs("Payment", qbo_id).mapped("fault_message"))
        self.assertEqual(self.credit_partials(credit).debit_move_id.move_id, move)
        self.assertAlmostEqual(move.amount_residual, total - applied, places=2)
        self.assertEqual(move.amount_residual, self.qbo("Invoice", move.quickbooks_id)["Balance"])
        self.assertEqual(credit.amount_residual, 0.0)
        self.assertEqual(credit.amount_residual, self.qbo("CreditMemo", credit.quickbooks_id)["Balance"])
        self.assertEqual(self.env["account.payment"].search_count([]), payments_before, "no money registered")
        self.run_queue()
        self.assertFalse(self.env["quickbooks.binding"].search([
            ("res_model", "=", "account.move"), ("res_id", "=", credit.id), ("qbo_entity", "=", "Payment")]),
            "QuickBooks' application is not sent back as Odoo's own")

        # The same change again, by a notification, late: applied once.
        self.notify([self.cloud_event(qbo_id, "created")])
        self.process_incoming()
        self.assertEqual(len(self.credit_partials(credit)), 1)
        self.assertAlmostEqual(move.amount_residual, total - applied, places=2)

        # Voided in QuickBooks: the credit note and the invoice are open again.
        self.client.void("Payment", {"Id": qbo_id, "SyncToken": self.qbo("Payment", qbo_id)["SyncToken"]})
        self.pull_cdc()
        self.assertFalse(self.credit_partials(credit))
        self.assertEqual(move.amount_residual, total)
        self.assertEqual(credit.amount_residual, applied)
        self.assertEqual(move.amount_residual, self.qbo("Invoice", move.quickbooks_id)["Balance"])

    def test_credit_application_deleted_in_quickbooks_unreconciles(self):
        move = self.sent_invoice()
        credit = self.sent_credit_note(30.0)
        total, applied = move.amount_total, credit.amount_total
        qbo_id = self.apply_credit_in_quickbooks(move, credit, applied)
        self.pull_cdc()
        self.assertAlmostEqual(move.amount_residual, total - applied, places=2)
        self.client.delete("Payment", {"Id": qbo_id, "SyncToken": self.qbo("Payment", qbo_id)["SyncToken"]})
        self.pull_cdc()
        self.assertEqual(move.amount_residual, total)
        self.assertEqual(credit.amount_residual, applied)
        self.assertEqual(move.amount_residual, self.qbo("Invoice", move.quickbooks_id)["Balance"])

    def test_credit_and_money_in_one_payment(self):
        move = self.sent_invoice()
        credit = self.sent_credit_note(30.0)
        total, applied = move.amount_total, credit.amount_total
        money = round(total - applied, 2)
        qbo_id = self.apply_credit_in_quickbooks(move, credit, applied, money=money, ref="CR-MIX")

        self.pull_cdc()

        payment = self.registered(qbo_id)
        self.assertTrue(payment, self.jobs("Payment", qbo_id).mapped("fault_message"))
        self.assertEqual(payment.amount, money)
        self.assertEqual(credit.amount_residual, 0.0)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(move.amount_residual, self.qbo("Invoice", move.quickbooks_id)["Balance"])

        self.client.void("Payment", {"Id": qbo_id, "SyncToken": self.qbo("Payment", qbo_id)["SyncToken"]})
        self.pull_cdc()
        self.assertEqual(payment.state, "canceled")
        self.assertEqual(move.amount_residual, total)
        self.assertEqual(credit.amount_residual, applied)

    def test_credit_application_odoo_sent_is_never_applied_twice(self):
        move = self.sent_invoice()
        credit = self.sent_credit_note(30.0)
        lines = credit.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        move.js_assign_outstanding_line(lines.id)
        self.run_queue()
        application = self.env["quickbooks.binding"].search([
            ("res_model", "=", "account.move"), ("res_id", "=", credit.id), ("qbo_entity", "=", "Payment")])
        self.assertTrue(application, credit.quickbooks_error)
        self.assertEqual(self.qbo("Payment", application.qbo_id)["TotalAmt"], 0)

        self.window(fields.Datetime.now() - timedelta(minutes=5))
        self.pull_cdc()
        self.notify([self.cloud_event(application.qbo_id, "created")])
        self.process_incoming()
        # Even without its link (a write in doubt), Odoo's marker says it is Odoo's.
        qbo_id = application.qbo_id
        application.unlink()
        self.notify([self.cloud_event(qbo_id, "updated")])
        self.process_incoming()

        self.assertEqual(len(self.credit_partials(credit)), 1)
        self.assertAlmostEqual(move.amount_residual, move.amount_total - credit.amount_total, places=2)
        self.assertEqual(move.amount_residual, self.qbo("Invoice", move.quickbooks_id)["Balance"])
