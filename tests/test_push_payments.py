"""Customer payments applied to the invoices they pay."""

from odoo.tests import tagged

from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestPushPayments(PushCase):
    def register_payment(self, moves, amount=None):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids,
        ).create({"journal_id": self.bank_journal.id, **({"amount": amount} if amount else {})})
        return wizard._create_payments()

    def test_payment_follows_its_invoice_and_pays_it_in_quickbooks(self):
        move = self.make_invoice()
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()  # the payment is queued when its invoice is synced

        self.assertEqual(move.quickbooks_state, "synced")
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(qbo_payment["TotalAmt"], round(payment.amount, 2))
        self.assertEqual(qbo_payment["Line"][0]["LinkedTxn"][0],
                         {"TxnId": move.quickbooks_id, "TxnType": "Invoice"})
        self.assertEqual(qbo_payment["PaymentMethodRef"]["value"], self.ref("PaymentMethod", "Check").qbo_id)
        self.assertEqual(qbo_payment["DepositToAccountRef"]["value"], self.ref("Account", "Checking").qbo_id)
        self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["Balance"], 0)

    def test_partial_payment_lowers_the_balance(self):
        self.sync_basics()
        move = self.make_invoice()
        self.run_queue()
        payment = self.register_payment(move, amount=50.0)
        payment.action_quickbooks_sync()
        self.run_queue()
        invoice = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(invoice["Balance"], round(move.amount_total - 50.0, 2))
        self.assertEqual(self.qbo("Payment", payment.quickbooks_id)["Line"][0]["Amount"], 50.0)

    def test_payment_pushes_its_unsynced_invoice_first(self):
        self.connection.sudo().auto_push_invoices = False
        move = self.make_invoice()
        payment = self.register_payment(move)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertTrue(move.quickbooks_id, "the invoice went first, on the payment's behalf")
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["Balance"], 0)
