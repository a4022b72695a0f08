"""Ledger fidelity: what QuickBooks stores equals Odoo's books to the cent.

The same scenarios run for a US company (TAX/NON lines, one tax code per invoice, Odoo's
tax as TotalTax) and a Canadian one (a tax code per line, Odoo's amount per tax rate), each
in the company's currency and in a foreign one.  Every assertion reads what QuickBooks stored
(TotalAmt, Balance, TotalTax, line amounts, linked transactions) and compares it with Odoo's
own figures (amount_total, amount_residual, amount_tax, the journal items of the lines).
"""

import json
from decimal import Decimal

from odoo import Command, fields
from odoo.tests import BaseCase, tagged

from ..mapping.common import amount, decimal, number, round_to, unit_price
from ..transport.client import encode_body
from .push_common import CanadaPushCase, PushCase


def dec(value):
    return decimal(value if value is not None else 0)


class LedgerScenarios:
    """Scenarios shared by the US and the Canadian company.  Subclasses set ``standard``
    (a percentage tax mapped to a single-rate code), ``included`` (the same, tax-included),
    ``zero`` / ``exempt`` (0 % taxes), ``pair`` (two taxes on one line that one QuickBooks code
    holds together), ``fixed_code`` (a code for a fixed-amount tax) and ``foreign`` (a currency
    other than the company's, with a rate)."""

    # -- helpers ------------------------------------------------------------------------------

    def setUp(self):
        super().setUp()
        self.connection.sudo().use_sub_customers = False

    @classmethod
    def setup_foreign_currency(cls, code, rate):
        cls.emulator.control("POST", "preferences", realm_id=cls.realm_id,
                             patch={"CurrencyPrefs": {"MultiCurrencyEnabled": True}})
        cls.foreign = cls.env.ref(f"base.{code}")
        cls.foreign.active = True
        cls.env["res.currency.rate"].create({
            "currency_id": cls.foreign.id, "name": fields.Date.today(), "rate": rate, "company_id": cls.env.company.id,
        })

    def tax(self, name, value, code=None, **values):
        record = self.env["account.tax"].create({
            "name": f"{name} {self._journal_counter}", "amount": value, "amount_type": "percent",
            "type_tax_use": "sale", "company_id": self.env.company.id, **values})
        if code:
            record.quickbooks_tax_code_ref_id = self.ref("TaxCode", code)
        return record

    def line(self, price, qty=1, taxes=None, discount=0.0, **values):
        return {"product_id": self.product.id, "quantity": qty, "price_unit": price, "discount": discount,
                "tax_ids": [Command.set((taxes if taxes is not None else self.standard).ids)], **values}

    def synced(self, move):
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        return self.qbo(self.entity_of(move), move.quickbooks_id)

    @staticmethod
    def entity_of(move):
        return "Invoice" if move.move_type == "out_invoice" else "CreditMemo"

    def books_lines(self, move):
        """Odoo's journal amounts of what becomes QuickBooks lines, in document order."""
        sign = -1 if move.move_type == "out_invoice" else 1
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product").sorted(
            lambda line: (line.sequence, line.id))
        rounding = move.line_ids.filtered(lambda line: line.display_type == "rounding" and not line.tax_line_id)
        return [amount(sign * dec(line.amount_currency), move.currency_id) for line in lines + rounding]

    def assert_same_books(self, move, stored=None):
        """QuickBooks' document carries Odoo's figures to the cent."""
        stored = stored or self.qbo(self.entity_of(move), move.quickbooks_id)
        currency = move.currency_id
        self.assertEqual(dec(stored["TotalAmt"]), amount(move.amount_total, currency), "total")
        self.assertEqual(dec(stored["Balance"]), amount(move.amount_residual, currency), "balance")
        self.assertEqual(dec(stored["TxnTaxDetail"]["TotalTax"]), amount(move.amount_tax, currency), "tax")
        sales = [line for line in stored["Line"] if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual([dec(line["Amount"]) for line in sales], self.books_lines(move), "line amounts")
        self.assertEqual(sum((dec(line["Amount"]) for line in sales), dec(0)), amount(move.amount_untaxed, currency))
        self.assertEqual(stored["CurrencyRef"]["value"], currency.name)
        for line in sales:
            detail = line["SalesItemLineDetail"]
            if detail.get("Qty") and detail.get("UnitPrice") is not None:
                self.assertEqual(amount(dec(detail["Qty"]) * dec(detail["UnitPrice"])), dec(line["Amount"]),
                                 "Amount = Qty x UnitPrice (QuickBooks' rule, fault 6070)")
        return stored

    def register_payment(self, moves, **values):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids,
        ).create({"journal_id": self.bank_journal.id, **values})
        return wizard._create_payments()

    def applied(self, qbo_payment):
        return {link["TxnId"]: dec(line["Amount"]) for line in qbo_payment["Line"] for link in line["LinkedTxn"]}

    # -- amounts from the books ----------------------------------------------------------------

    def test_discounted_lines_are_sent_as_odoo_rounded_them(self):
        """Two lines of 1.15 at a 12.5 % discount: Odoo's books say 2.01 with global rounding."""
        self.env.company.tax_calculation_rounding_method = "round_globally"
        move = self.make_invoice(lines=[self.line(1.15, discount=12.5, taxes=self.zero),
                                        self.line(1.15, discount=12.5, taxes=self.zero)])
        stored = self.assert_same_books(move, self.synced(move))
        self.assertIn("discount 12.5%", stored["Line"][0]["Description"])

    def test_many_discounted_lines_with_global_rounding(self):
        self.env.company.tax_calculation_rounding_method = "round_globally"
        move = self.make_invoice(lines=[self.line(7.33, qty=3, discount=7.5) for _index in range(12)]
                                 + [self.line(0.99, qty=1, discount=33.0) for _index in range(9)])
        self.assert_same_books(move, self.synced(move))

    def test_per_line_rounding_over_forty_lines(self):
        """Forty lines of 0.10: Odoo rounds each line's tax, QuickBooks would tax the total once."""
        self.env.company.tax_calculation_rounding_method = "round_per_line"
        move = self.make_invoice(lines=[self.line(0.10, taxes=self.low) for _index in range(40)])
        self.assertEqual(amount(move.amount_tax), dec("0.40"))
        self.assert_same_books(move, self.synced(move))

    def test_tax_included_prices(self):
        self.env.company.tax_calculation_rounding_method = "round_globally"
        move = self.make_invoice(lines=[self.line(100.0, taxes=self.included), self.line(19.99, qty=3,
                                                                                       taxes=self.included)])
        stored = self.assert_same_books(move, self.synced(move))
        self.assertEqual(dec(stored["TotalAmt"]), dec("159.97"), "the prices the customer was shown")
        return stored

    def test_fixed_amount_tax(self):
        levy = self.tax("Levy 10.50 a unit", 10.5, self.fixed_code, amount_type="fixed")
        move = self.make_invoice(lines=[self.line(100.0, qty=3, taxes=levy)])
        self.assertEqual(amount(move.amount_tax), dec("31.50"))
        self.assert_same_books(move, self.synced(move))

    def test_several_taxes_on_one_line(self):
        move = self.make_invoice(lines=[self.line(249.99, qty=2, taxes=self.pair), self.line(15.0, taxes=self.pair)])
        stored = self.assert_same_books(move, self.synced(move))
        return stored

    def test_zero_rated_and_exempt_lines(self):
        move = self.make_invoice(lines=[self.line(80.0), self.line(40.0, taxes=self.zero),
                                        self.line(20.0, taxes=self.exempt)])
        return self.assert_same_books(move, self.synced(move))

    def test_cash_rounding_line_is_kept(self):
        rounding = self.env["account.cash.rounding"].create({
            "name": "0.05", "rounding": 0.05, "strategy": "add_invoice_line", "rounding_method": "HALF-UP",
            "profit_account_id": self.income_account().id, "loss_account_id": self.income_account().id,
        })
        move = self.make_invoice(lines=[self.line(10.01, taxes=self.low)], invoice_cash_rounding_id=rounding.id)
        self.assertTrue(move.line_ids.filtered(lambda line: line.display_type == "rounding"), "a rounding line")
        stored = self.assert_same_books(move, self.synced(move))
        self.assertEqual(dec(stored["TotalAmt"]) % dec("0.05"), 0)

    def test_cash_rounding_on_the_biggest_tax(self):
        rounding = self.env["account.cash.rounding"].create({
            "name": "0.05 on tax", "rounding": 0.05, "strategy": "biggest_tax", "rounding_method": "HALF-UP",
        })
        move = self.make_invoice(lines=[self.line(10.01, taxes=self.low)], invoice_cash_rounding_id=rounding.id)
        stored = self.assert_same_books(move, self.synced(move))
        self.assertEqual(dec(stored["TotalAmt"]) % dec("0.05"), 0)

    def test_unit_prices_keep_their_decimals(self):
        self.env.company.tax_calculation_rounding_method = "round_per_line"
        self.env.ref("product.decimal_price").digits = 4
        move = self.make_invoice(lines=[self.line(2.675, taxes=self.zero), self.line(1.155, qty=3, taxes=self.zero)])
        stored = self.assert_same_books(move, self.synced(move))
        sales = [line for line in stored["Line"] if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual([dec(line["Amount"]) for line in sales], [dec("2.68"), dec("3.47")], "rounded half up")
        self.assertEqual([dec(line["SalesItemLineDetail"]["UnitPrice"]) for line in sales],
                         [dec("2.675"), dec("1.155")])

    def test_credit_note(self):
        refund = self.make_invoice(move_type="out_refund", lines=[self.line(33.33, qty=3), self.line(5.0,
                                                                                                   taxes=self.zero)])
        self.assert_same_books(refund, self.synced(refund))

    # -- currencies --------------------------------------------------------------------------------

    def test_foreign_currency_invoice_and_its_payment(self):
        move = self.make_invoice(lines=[self.line(123.45, qty=2), self.line(10.0, taxes=self.zero)],
                                 currency_id=self.foreign.id)
        stored = self.assert_same_books(move, self.synced(move))
        self.assertAlmostEqual(stored["ExchangeRate"], 1 / move.invoice_currency_rate, places=6)
        payment = self.register_payment(move)
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(qbo_payment["CurrencyRef"]["value"], self.foreign.name)
        self.assertEqual(dec(qbo_payment["TotalAmt"]), amount(payment.amount, self.foreign))
        self.assertEqual(self.applied(qbo_payment), {move.quickbooks_id: amount(move.amount_total, self.foreign)})
        self.assert_same_books(move)

    def test_payment_in_another_currency_than_its_invoice_is_applied_in_the_invoice_currency(self):
        move = self.make_invoice(lines=[self.line(200.0)], currency_id=self.foreign.id)
        company_currency = self.env.company.currency_id
        payment = self.register_payment(move, currency_id=company_currency.id)
        self.assertEqual(payment.currency_id, company_currency)
        self.assertEqual(move.payment_state, "paid")
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(qbo_payment["CurrencyRef"]["value"], self.foreign.name, "the invoice's currency")
        self.assertEqual(dec(qbo_payment["TotalAmt"]), amount(move.amount_total, self.foreign))
        self.assertEqual(amount(dec(qbo_payment["TotalAmt"]) * dec(qbo_payment["ExchangeRate"])),
                         amount(payment.amount, company_currency), "worth what was received")
        self.assertEqual(self.applied(qbo_payment), {move.quickbooks_id: amount(move.amount_total, self.foreign)})
        self.assert_same_books(move)

    def test_a_partly_applied_payment_in_another_currency_is_refused(self):
        move = self.make_invoice(lines=[self.line(200.0)], currency_id=self.foreign.id)
        self.run_queue()
        company_currency = self.env.company.currency_id
        due = self.foreign._convert(move.amount_total, company_currency, self.env.company, fields.Date.today())
        payment = self.register_payment(move, currency_id=company_currency.id, amount=due + 50,
                                        payment_difference_handling="open")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "error")
        self.assertIn("QuickBooks keeps a payment in its customer's currency", payment.quickbooks_error)

    # -- payments ------------------------------------------------------------------------------------

    def test_partial_payments_leave_odoo_residual(self):
        move = self.make_invoice(lines=[self.line(99.99, qty=3)])
        self.synced(move)
        first = self.register_payment(move, amount=100.0)
        second = self.register_payment(move, amount=50.01)
        self.run_queue()
        for payment in first | second:
            self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assert_same_books(move)
        stored = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual({link["TxnId"] for link in stored["LinkedTxn"] if link["TxnType"] == "Payment"},
                         {first.quickbooks_id, second.quickbooks_id})

    def test_one_payment_for_two_invoices(self):
        first = self.make_invoice(lines=[self.line(10.0)])
        second = self.make_invoice(lines=[self.line(20.0, taxes=self.zero)])
        payment = self.register_payment(first | second, group_payment=True)
        self.run_queue()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(self.applied(qbo_payment), {first.quickbooks_id: amount(first.amount_total),
                                                     second.quickbooks_id: amount(second.amount_total)})
        self.assert_same_books(first)
        self.assert_same_books(second)

    def test_a_payment_without_journal_entry_is_split_by_what_each_invoice_owes(self):
        """Odoo 18+ registers payments without a journal entry when the payment method has no
        outstanding account (the bank reconciliation posts later): it pays what is due."""
        first = self.make_invoice(lines=[self.line(100.0)])
        second = self.make_invoice(lines=[self.line(50.0, taxes=self.zero)])
        self.register_payment(first, amount=100.0)
        self.run_queue()
        self.run_queue()
        owed = amount(first.amount_residual) + amount(second.amount_residual)
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id,
            "amount": float(owed), "journal_id": self.bank_journal.id,
            "invoice_ids": [Command.set((first | second).ids)],
        })
        payment.outstanding_account_id = False
        payment.action_post()
        self.assertFalse(payment.move_id, "no journal entry")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(self.applied(qbo_payment), {first.quickbooks_id: amount(first.amount_residual),
                                                     second.quickbooks_id: amount(second.amount_residual)})
        for move in first | second:
            self.assertEqual(self.qbo("Invoice", move.quickbooks_id)["Balance"], 0)

    # -- the payment's life: write-offs, credit notes, unreconciling, cancelling ----------------------

    def receivable(self, move):
        return move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")

    def links(self, qbo_payment):
        """``{(TxnType, TxnId): amount}`` a QuickBooks payment applies."""
        found = {}
        for line in qbo_payment["Line"]:
            for link in line["LinkedTxn"]:
                key = (link["TxnType"], link["TxnId"])
                found[key] = found.get(key, dec(0)) + dec(line["Amount"])
        return found

    def application_of(self, credit):
        return self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", "account.move"), ("res_id", "=", credit.id), ("qbo_entity", "=", "Payment")])

    def test_a_write_off_is_applied_with_a_discount_credit_memo(self):
        move = self.make_invoice(lines=[self.line(100.0)])
        self.synced(move)
        received = amount(move.amount_total) - 5
        payment = self.register_payment(move, amount=float(received), payment_difference_handling="reconcile",
                                        writeoff_account_id=self.income_account().id, writeoff_label="Discount")
        self.assertEqual(move.payment_state, "paid")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(dec(qbo_payment["TotalAmt"]), received, "the money received")
        self.assertEqual(dec(qbo_payment["UnappliedAmt"]), 0)
        applied = self.links(qbo_payment)
        memos = [key for key in applied if key[0] == "CreditMemo"]
        self.assertEqual(len(memos), 1, applied)
        self.assertEqual(applied, {("Invoice", move.quickbooks_id): amount(move.amount_total), memos[0]: dec(5)})
        memo = self.qbo("CreditMemo", memos[0][1])
        self.assertEqual((dec(memo["TotalAmt"]), dec(memo["Balance"])), (dec(5), dec(0)))
        self.assertEqual(dec(memo["TxnTaxDetail"]["TotalTax"]) if memo.get("TxnTaxDetail") else dec(0), dec(0))
        self.assert_same_books(move)
        # Sent again: nothing new in QuickBooks.
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(self.links(self.qbo("Payment", payment.quickbooks_id)), applied)
        self.assertEqual(self.qbo_count("CreditMemo", f"where CustomerRef = '{self.customer.quickbooks_id}'"), 1)

    def test_an_early_payment_discount_is_applied_with_a_discount_credit_memo(self):
        company = self.env.company
        company.account_journal_early_pay_discount_loss_account_id = self.env["account.account"].search([
            *self.env["account.account"]._check_company_domain(company), ("account_type", "=", "expense"),
        ], limit=1)
        company.account_journal_early_pay_discount_gain_account_id = self.income_account()
        term = self.env["account.payment.term"].create({
            "name": f"2% 10 Net 30 ({self._journal_counter})", "early_discount": True, "discount_days": 10,
            "discount_percentage": 2,
            "line_ids": [Command.create({"value": "percent", "value_amount": 100, "delay_type": "days_after",
                                        "nb_days": 30})],
        })
        move = self.make_invoice(lines=[self.line(100.0)], invoice_payment_term_id=term.id)
        self.synced(move)
        payment = self.register_payment(move)
        self.assertEqual(move.payment_state, "paid")
        received = amount(payment.amount)
        self.assertLess(received, amount(move.amount_total), "the early-payment discount was taken")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(dec(qbo_payment["TotalAmt"]), received)
        applied = self.links(qbo_payment)
        discount = amount(move.amount_total) - received
        self.assertEqual(sorted(applied.values()), sorted([amount(move.amount_total), discount]))
        self.assertEqual(applied[("Invoice", move.quickbooks_id)], amount(move.amount_total))
        self.assert_same_books(move)

    def test_a_credit_note_in_a_foreign_currency_is_applied_in_that_currency(self):
        move = self.make_invoice(lines=[self.line(100.0)], currency_id=self.foreign.id)
        credit = self.make_invoice(lines=[self.line(30.0)], move_type="out_refund", currency_id=self.foreign.id)
        self.synced(move)
        self.synced(credit)
        move.js_assign_outstanding_line(self.receivable(credit).id)
        self.run_queue()
        self.assertEqual(credit.quickbooks_state, "synced", credit.quickbooks_error)
        application = self.qbo("Payment", self.application_of(credit).qbo_id)
        self.assertEqual(application["CurrencyRef"]["value"], self.foreign.name)
        self.assertEqual(self.links(application), {("Invoice", move.quickbooks_id): amount(credit.amount_total),
                                                   ("CreditMemo", credit.quickbooks_id): amount(credit.amount_total)})
        self.assert_same_books(move)
        self.assert_same_books(credit)

    def test_a_gain_written_off_is_refused_with_the_reason(self):
        move = self.make_invoice(lines=[self.line(100.0)])
        self.synced(move)
        payment = self.register_payment(move, amount=float(amount(move.amount_total) + 5),
                                        payment_difference_handling="reconcile",
                                        writeoff_account_id=self.income_account().id, writeoff_label="Overpaid")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "error")
        self.assertIn("writes 5.00 off as a gain", payment.quickbooks_error)
        self.assertEqual(dec(self.qbo("Invoice", move.quickbooks_id)["Balance"]), amount(move.amount_total),
                         "nothing was applied in QuickBooks")

    def test_a_credit_note_applied_to_an_invoice_settles_both_in_quickbooks(self):
        move = self.make_invoice(lines=[self.line(100.0)])
        credit = self.make_invoice(lines=[self.line(30.0)], move_type="out_refund")
        self.synced(move)
        self.synced(credit)
        move.js_assign_outstanding_line(self.receivable(credit).id)
        self.assertEqual(amount(move.amount_residual), amount(move.amount_total) - amount(credit.amount_total))
        self.run_queue()
        self.assertEqual(credit.quickbooks_state, "synced", credit.quickbooks_error)
        self.assertTrue(credit.quickbooks_id and credit.quickbooks_id != self.application_of(credit).qbo_id)
        self.assert_same_books(move)
        self.assert_same_books(credit)
        application = self.qbo("Payment", self.application_of(credit).qbo_id)
        self.assertEqual(dec(application["TotalAmt"]), 0, "no money moves")
        self.assertEqual(self.links(application), {("Invoice", move.quickbooks_id): amount(credit.amount_total),
                                                   ("CreditMemo", credit.quickbooks_id): amount(credit.amount_total)})

        # Unreconciled in Odoo: QuickBooks deletes the application, both are open again.
        partial = self.receivable(move).matched_credit_ids
        move.js_remove_outstanding_partial(partial.id)
        self.run_queue()
        self.assertFalse(self.application_of(credit))
        self.assertEqual(credit.quickbooks_state, "synced", credit.quickbooks_error)
        self.assert_same_books(move)
        self.assert_same_books(credit)
        self.assertEqual(dec(self.qbo("Invoice", move.quickbooks_id)["Balance"]), amount(move.amount_total))

    def test_a_credit_note_sent_later_brings_its_application(self):
        self.connection.sudo().auto_push_invoices = False
        move = self.make_invoice(lines=[self.line(100.0)])
        credit = self.make_invoice(lines=[self.line(100.0)], move_type="out_refund")
        move.js_assign_outstanding_line(self.receivable(credit).id)
        self.assertEqual(move.payment_state, "reversed")
        credit.action_quickbooks_sync()
        self.run_queue()
        self.run_queue()
        self.assertEqual(credit.quickbooks_state, "synced", credit.quickbooks_error)
        self.assertTrue(move.quickbooks_id, "the invoice went first, on the application's behalf")
        self.assert_same_books(move)
        self.assert_same_books(credit)

    def test_a_credit_note_paid_back_is_a_refund_receipt_against_its_credit_memo(self):
        if not self.bank_journal.quickbooks_deposit_account_ref_id:
            # QuickBooks requires the account a refund is paid from (no Undeposited Funds default).
            self.bank_journal.quickbooks_deposit_account_ref_id = self.env["quickbooks.reference"].search([
                ("connection_id", "=", self.connection.id), ("qbo_entity", "=", "Account"), ("qbo_type", "=", "Bank"),
            ], limit=1)
        credit = self.make_invoice(lines=[self.line(40.0)], move_type="out_refund")
        self.synced(credit)
        refund = self.register_payment(credit)
        self.assertEqual((refund.payment_type, refund.partner_type), ("outbound", "customer"))
        refund.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        receipt = self.qbo("RefundReceipt", refund.quickbooks_id)
        self.assertEqual(dec(receipt["TotalAmt"]), amount(credit.amount_total))
        self.assertIn({"TxnId": credit.quickbooks_id, "TxnType": "CreditMemo"}, receipt["LinkedTxn"])
        self.assertIn("refundreceipt?txnId=", refund.quickbooks_url)
        self.assert_same_books(credit)
        self.assertEqual(dec(self.qbo("CreditMemo", credit.quickbooks_id)["Balance"]), 0, "paid back")

        # Cancelled in Odoo: the receipt is voided, the credit is open again on both sides.
        refund.action_cancel()
        self.run_queue()
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        self.assertEqual(dec(self.qbo("RefundReceipt", refund.quickbooks_id)["TotalAmt"]), 0, "voided")
        self.assert_same_books(credit)
        self.assertEqual(dec(self.qbo("CreditMemo", credit.quickbooks_id)["Balance"]), amount(credit.amount_total))

    def test_a_refund_for_no_credit_note_says_why(self):
        refund = self.env["account.payment"].create({
            "payment_type": "outbound", "partner_type": "customer", "partner_id": self.customer.id,
            "amount": 25.0, "journal_id": self.bank_journal.id})
        refund.action_post()
        refund.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(refund.quickbooks_state, "error")
        self.assertIn("without paying back a credit note", refund.quickbooks_error)

    def test_an_unreconciled_payment_is_unapplied_then_applied_again(self):
        move = self.make_invoice(lines=[self.line(100.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        move.js_remove_outstanding_partial(self.receivable(move).matched_credit_ids.id)
        self.assertEqual(move.payment_state, "not_paid")
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(self.links(qbo_payment), {})
        self.assertEqual(dec(qbo_payment["UnappliedAmt"]), amount(payment.amount), "kept as the customer's credit")
        self.assert_same_books(move)

        move.js_assign_outstanding_line(self.receivable(payment.move_id).id)
        self.run_queue()
        self.assertEqual(self.links(self.qbo("Payment", payment.quickbooks_id)),
                         {("Invoice", move.quickbooks_id): amount(move.amount_total)})
        self.assert_same_books(move)

    def test_a_cancelled_payment_is_voided(self):
        move = self.make_invoice(lines=[self.line(100.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        payment.action_cancel()
        self.assertEqual(move.payment_state, "not_paid")
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qbo_payment = self.qbo("Payment", payment.quickbooks_id)
        self.assertEqual(dec(qbo_payment["TotalAmt"]), 0, "voided")
        self.assert_same_books(move)
        self.assertFalse(self.jobs_of(payment).filtered(lambda job: job.state == "failed"))

    def test_a_payment_reset_to_draft_and_confirmed_again_is_the_same_quickbooks_payment(self):
        move = self.make_invoice(lines=[self.line(100.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        first_id = payment.quickbooks_id
        payment.action_draft()
        self.run_queue()
        self.assertEqual(payment.quickbooks_id, first_id, "Odoo keeps its reconciliation; QuickBooks its payment")
        payment.memo = "Changed while in draft"
        payment.action_post()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(payment.quickbooks_id, first_id)
        stored = self.qbo("Payment", first_id)
        self.assertEqual(stored["PaymentRefNum"], payment.memo[:21], "the change reached QuickBooks")
        self.assertEqual(self.links(stored), {("Invoice", move.quickbooks_id): amount(move.amount_total)})
        self.assert_same_books(move)

    def test_a_payment_cancelled_the_usual_way_is_voided_and_a_new_one_sent_when_confirmed_again(self):
        """Odoo's form cancels a payment by Reset to draft, then Cancel."""
        move = self.make_invoice(lines=[self.line(100.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        first_id = payment.quickbooks_id
        payment.action_draft()
        payment.action_cancel()
        self.run_queue()
        self.assertEqual(dec(self.qbo("Payment", first_id)["TotalAmt"]), 0, "voided")
        self.assert_same_books(move)
        payment.action_draft()
        self.assertFalse(payment.quickbooks_id, "no longer the voided payment's twin")
        payment.action_post()
        if not self.receivable(move).matched_credit_ids:  # cancelling unreconciled it
            move.js_assign_outstanding_line(self.receivable(payment.move_id).id)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertNotEqual(payment.quickbooks_id, first_id)
        self.assertEqual(dec(self.qbo("Payment", first_id)["TotalAmt"]), 0, "the voided one stays voided")
        self.assert_same_books(move)

    def test_an_invoice_reset_changed_and_posted_again_is_updated_with_its_payment(self):
        self.connection.sudo().auto_push_invoices = False
        move = self.make_invoice(lines=[self.line(100.0)])
        payment = self.register_payment(move, amount=50.0)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        move.button_draft()
        move.invoice_line_ids[0].price_unit = 120.0
        move.action_post()
        self.assertEqual(move.quickbooks_state, "queued", "what QuickBooks holds must follow")
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assert_same_books(move)

    def test_check_payment_names_each_difference(self):
        from ..mapping.payment import check_payment  # noqa: PLC0415

        move = self.make_invoice(lines=[self.line(50.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        stored = self.qbo("Payment", payment.quickbooks_id)
        self.assertIsNone(check_payment(payment, stored))
        changed = dict(stored, TotalAmt=dec(stored["TotalAmt"]) - 1,
                       Line=[dict(stored["Line"][0], Amount=dec(stored["Line"][0]["Amount"]) - 1)])
        message = check_payment(payment, changed)
        total = amount(payment.amount)
        self.assertIn(f"amount: QuickBooks {total - 1:.2f} {payment.currency_id.name}, Odoo {total:.2f}", message)
        self.assertIn(f"applied to {move.name}: QuickBooks {total - 1:.2f}", message)

    # -- customers and numbers -------------------------------------------------------------------------

    def test_invoice_to_a_contact_person_goes_to_the_company_as_its_payment(self):
        contact = self.env["res.partner"].create({"name": f"Jane Buyer {self._journal_counter}",
                                                  "parent_id": self.customer.id, "email": "jane@example.com"})
        move = self.make_invoice(partner=contact, lines=[self.line(75.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        stored = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(stored["CustomerRef"]["value"], self.customer.quickbooks_id, "the company's customer")
        self.assertEqual(stored["BillEmail"]["Address"], "jane@example.com", "sent to the contact person")
        self.assertEqual(self.qbo("Payment", payment.quickbooks_id)["CustomerRef"]["value"],
                         self.customer.quickbooks_id)
        self.assertFalse(contact.quickbooks_id, "no sub-customer was created")
        self.assert_same_books(move)

    def test_contacts_as_sub_customers_when_chosen(self):
        self.connection.sudo().use_sub_customers = True
        contact = self.env["res.partner"].create({"name": f"Site Manager {self._journal_counter}",
                                                  "parent_id": self.customer.id})
        move = self.make_invoice(partner=contact, lines=[self.line(75.0)])
        payment = self.register_payment(move)
        self.run_queue()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        stored = self.qbo("Invoice", move.quickbooks_id)
        job = self.qbo("Customer", stored["CustomerRef"]["value"])
        self.assertTrue(job["Job"])
        self.assertEqual(job["ParentRef"]["value"], self.customer.quickbooks_id)
        self.assertEqual(self.qbo("Payment", payment.quickbooks_id)["CustomerRef"]["value"], job["Id"],
                         "the payment lands on the invoice's customer")
        self.assert_same_books(move)

    def _journal(self, code, prefix):
        journal = self.env["account.journal"].create({
            "name": f"{prefix} sales {self._journal_counter}", "code": code, "type": "sale",
            "default_account_id": self.sale_journal.default_account_id.id,
        })
        return journal

    def _named(self, journal, name):
        move = self.make_invoice(journal_id=journal.id, post=False, lines=[self.line(10.0)])
        move.name = name
        move.action_post()
        self.assertEqual(move.name, name)
        return move

    def test_long_numbers_of_two_journals_stay_distinct(self):
        n, year = self._journal_counter, fields.Date.today().year
        north = self._named(self._journal(f"N{n:03d}", "North"), f"NORTHWEST-X{n}/{year}/00001")
        south = self._named(self._journal(f"S{n:03d}", "South"), f"SOUTHWEST-X{n}/{year}/00001")
        self.run_queue()
        numbers = [self.qbo("Invoice", move.quickbooks_id)["DocNumber"] for move in north | south]
        self.assertEqual(numbers, [f"N{n:03d}/{year}/00001", f"S{n:03d}/{year}/00001"])
        for move in north | south:
            self.assertIn(move.name, self.qbo("Invoice", move.quickbooks_id)["PrivateNote"])

    def test_a_doc_number_collision_is_caught_before_sending(self):
        n, year = self._journal_counter, fields.Date.today().year
        code = f"C{n:03d}"
        plain = self._named(self._journal(f"P{n:03d}", "Plain"), f"{code}/{year}/00001")
        self.synced(plain)
        long_name = self._named(self._journal(code, "Long"), f"LONGPREFIX-{n}/{year}/00001")
        self.run_queue()
        self.assertEqual(long_name.quickbooks_state, "error")
        self.assertIn(f"would be Invoice {code}/{year}/00001 in QuickBooks, the number of {plain.name}",
                      long_name.quickbooks_error)
        self.assertEqual(self.qbo_count("Invoice", f"where DocNumber = '{code}/{year}/00001'"), 1)

    def income_account(self):
        return self.env["account.account"].search([
            *self.env["account.account"]._check_company_domain(self.env.company), ("account_type", "=", "income"),
        ], limit=1)


@tagged("post_install", "-at_install")
class TestLedgerUS(LedgerScenarios, PushCase):
    fixed_code = "California"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_foreign_currency("EUR", 0.8)
        company = cls.env.company
        cls.standard = cls.tax_ca
        cls.low = cls.tax_ca
        cls.included = cls.env["account.tax"].create({
            "name": "CA sales tax 8% included", "amount": 8.0, "type_tax_use": "sale", "company_id": company.id,
            "price_include_override": "tax_included"})
        cls.included.quickbooks_tax_code_ref_id = cls.ref("TaxCode", "California")
        cls.zero = cls.env["account.tax"].create({"name": "Zero 0%", "amount": 0.0, "type_tax_use": "sale",
                                                  "company_id": company.id})
        cls.exempt = cls.env["account.tax"].create({"name": "Exempt", "amount": 0.0, "type_tax_use": "sale",
                                                    "company_id": company.id})
        state = cls.env["account.tax"].create({"name": "AZ State tax", "amount": 7.1, "type_tax_use": "sale",
                                               "company_id": company.id})
        city = cls.env["account.tax"].create({"name": "Tucson City", "amount": 0.5, "type_tax_use": "sale",
                                              "company_id": company.id})
        cls.ref("TaxRate", "AZ State tax").tax_id = state
        cls.ref("TaxRate", "Tucson City").tax_id = city
        cls.pair = state | city

    def test_tax_and_non_lines(self):
        stored = self.test_zero_rated_and_exempt_lines()
        codes = [line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in stored["Line"]
                 if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual(codes, ["TAX", "NON", "NON"], "0 % and exempt lines are NON")
        self.assertEqual(stored["TxnTaxDetail"]["TxnTaxCodeRef"]["value"], self.ref("TaxCode", "California").qbo_id)

    def test_several_taxes_on_one_line_are_the_code_holding_their_rates(self):
        stored = self.test_several_taxes_on_one_line()
        self.assertEqual(stored["TxnTaxDetail"]["TxnTaxCodeRef"]["value"], self.ref("TaxCode", "Tucson").qbo_id)

    def test_different_taxes_on_two_lines_are_refused_with_the_reason(self):
        tucson = self.tax("Tucson 7.6%", 7.6, "Tucson")
        move = self.make_invoice(lines=[self.line(10.0), self.line(10.0, taxes=tucson)])
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "error")
        self.assertIn("QuickBooks (US) applies one sales tax per invoice", move.quickbooks_error)
        self.assertIn("California", move.quickbooks_error)
        self.assertIn("Tucson", move.quickbooks_error)
        self.assertFalse(self.jobs_of(move).response, "nothing was sent")


@tagged("post_install", "-at_install")
class TestLedgerCanada(LedgerScenarios, CanadaPushCase):
    fixed_code = "HST ON"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_foreign_currency("USD", 0.75)
        cls.standard = cls.hst
        cls.low = cls.gst
        cls.included = cls.env["account.tax"].create({
            "name": "HST ON 13% included", "amount": 13.0, "type_tax_use": "sale",
            "price_include_override": "tax_included"})
        cls.included.quickbooks_tax_code_ref_id = cls.ref("TaxCode", "HST ON")
        cls.zero = cls.zero_rated
        cls.pair = cls.gst | cls.pst

    def rates(self, stored):
        return {line["TaxLineDetail"]["TaxRateRef"]["value"]: dec(line["Amount"])
                for line in stored["TxnTaxDetail"]["TaxLine"]}

    def test_tax_included_prices_go_as_tax_inclusive(self):
        stored = self.test_tax_included_prices()
        self.assertEqual(stored["GlobalTaxCalculation"], "TaxInclusive")
        first = stored["Line"][0]["SalesItemLineDetail"]
        self.assertEqual(dec(first["TaxInclusiveAmt"]), dec("100.00"))

    def test_several_taxes_on_one_line_carry_each_rate(self):
        stored = self.test_several_taxes_on_one_line()
        move = self.env["account.move"].search([("quickbooks_id", "=", stored["Id"])])
        self.assertEqual(stored["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"],
                         self.ref("TaxCode", "GST/PST BC").qbo_id)
        by_tax = {line.tax_line_id: amount(-line.amount_currency) for line in move.line_ids if line.tax_line_id}
        self.assertEqual(self.rates(stored), {self.ref("TaxRate", "GST").qbo_id: by_tax[self.gst],
                                              self.ref("TaxRate", "PST BC").qbo_id: by_tax[self.pst]})

    def test_zero_rated_and_exempt_codes(self):
        stored = self.test_zero_rated_and_exempt_lines()
        codes = [line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in stored["Line"]
                 if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual(codes, [self.ref("TaxCode", name).qbo_id for name in ("HST ON", "Zero-rated", "Exempt")])
        self.assertEqual(self.rates(stored)[self.ref("TaxRate", "Zero-rated").qbo_id], 0)


@tagged("post_install", "-at_install")
class TestExactAmounts(BaseCase):
    """Money is Decimal from Odoo's floats to the request body: no binary rounding on the way."""

    def test_amounts_round_half_up_like_odoo(self):
        self.assertEqual(amount(2.675), Decimal("2.68"), "round(2.675, 2) would say 2.67")
        self.assertEqual(amount(-2.675), Decimal("-2.68"))
        self.assertEqual(round_to(Decimal("1.03"), "0.05"), Decimal("1.05"))

    def test_unit_prices_keep_their_decimals_and_quickbooks_rule(self):
        self.assertEqual(unit_price(Decimal("3.47"), 3, Decimal("1.155")), Decimal("1.155"))
        self.assertEqual(unit_price(Decimal("277.69"), 3), Decimal("92.5633333"))
        self.assertEqual(unit_price(Decimal("2.01"), 2, Decimal("1.00625")), Decimal("1.00625"), "1.15 less 12.5 %")
        self.assertEqual(unit_price(Decimal("2.02"), 2, Decimal("1.00625")), Decimal("1.01"))
        self.assertIsNone(unit_price(Decimal("1.00"), 0))

    def test_request_bodies_carry_decimals_exactly(self):
        body = encode_body({"Line": [{"Amount": Decimal("2.675"), "SalesItemLineDetail": {
            "UnitPrice": Decimal("92.5633333"), "Qty": Decimal("3")}}], "TotalAmt": Decimal("1234567890.12"),
            "Note": "2.675"})
        self.assertEqual(json.loads(body, parse_float=Decimal), {
            "Line": [{"Amount": Decimal("2.675"), "SalesItemLineDetail": {"UnitPrice": Decimal("92.5633333"),
                                                                           "Qty": 3}}],
            "TotalAmt": Decimal("1234567890.12"), "Note": "2.675"})
        self.assertIn('"Amount": 2.675', body)
        self.assertEqual(number(Decimal("0.1")), 0.1)
