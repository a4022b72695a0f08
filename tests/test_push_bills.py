"""Vendor bills, vendor credits and vendor payments as QuickBooks stores them (US company)."""

import urllib.parse

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .push_common import CanadaPushCase, PushCase


class BillCase(PushCase):
    """A vendor, a purchase journal of the test's own, two expense accounts mapped to QuickBooks
    accounts (one through a product), a purchase tax."""

    def setUp(self):
        super().setUp()
        n = self._journal_counter
        company = self.env.company
        self.vendor = self.env["res.partner"].create({
            "name": f"Green Supplies Inc {n}", "is_company": True, "supplier_rank": 1,
            "email": f"ap{n}@green-supplies.example",
        })
        self.purchase_journal = self.env["account.journal"].create({
            "name": f"QuickBooks test purchases {n}", "code": f"B{n:03d}", "type": "purchase",
            "company_id": company.id,
        })
        Account = self.env["account.account"]
        self.office = Account.create({"code": f"6{n:03d}1", "name": f"Office supplies {n}", "account_type": "expense"})
        self.rent = Account.create({"code": f"6{n:03d}2", "name": f"Rent {n}", "account_type": "expense"})
        self.office.quickbooks_account_ref_id = self.ref("Account", "Office Expenses")
        self.rent.quickbooks_account_ref_id = self.ref("Account", "Rent or Lease")
        self.supply = self.env["product.product"].create({
            "name": f"Fertilizer {n}", "type": "consu", "standard_price": 12.5, "list_price": 20.0,
            "default_code": f"FZ-{n}", "property_account_expense_id": self.office.id,
            "supplier_taxes_id": [Command.clear()], "taxes_id": [Command.clear()],
        })
        self.purchase_tax = self.env["account.tax"].create({
            "name": f"Use tax 5% {n}", "amount": 5.0, "amount_type": "percent", "type_tax_use": "purchase",
            "company_id": company.id,
        })

    def make_bill(self, lines=None, move_type="in_invoice", partner=None, post=True, **values):
        lines = lines or [{"name": "Office rent", "account_id": self.rent.id, "quantity": 1, "price_unit": 500.0,
                           "tax_ids": [Command.clear()]}]
        move = self.env["account.move"].create({
            "move_type": move_type,
            "journal_id": values.pop("journal_id", self.purchase_journal.id),
            "partner_id": (partner or self.vendor).id,
            "invoice_date": values.pop("invoice_date", fields.Date.today()),
            "invoice_line_ids": [Command.create(line) for line in lines],
            **values,
        })
        if post:
            move.action_post()
        return move

    def register_payment(self, moves, amount=None, journal=None, **values):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=moves.ids,
        ).create({"journal_id": (journal or self.bank_journal).id, **({"amount": amount} if amount else {}),
                  **values})
        return wizard._create_payments()

    def lines_of(self, stored, kind):
        return [line for line in stored["Line"] if line.get("DetailType") == kind]

    def payable(self, move):
        return move.line_ids.filtered(lambda line: line.account_id.account_type == "liability_payable")

    def applied(self, stored):
        """``{(TxnType, TxnId): amount}`` a QuickBooks bill payment applies."""
        found = {}
        for line in stored.get("Line") or []:
            for link in line["LinkedTxn"]:
                key = (link["TxnType"], link["TxnId"])
                found[key] = round(found.get(key, 0) + line["Amount"], 2)
        return found

    def application_of(self, refund):
        return self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", "account.move"), ("res_id", "=", refund.id), ("qbo_entity", "=", "BillPayment")])


@tagged("post_install", "-at_install")
class TestPushBills(BillCase):
    def test_mixed_account_and_item_bill_arrives_to_the_cent_on_the_right_accounts(self):
        bill = self.make_bill(
            lines=[
                {"product_id": self.supply.id, "quantity": 3, "price_unit": 12.35, "tax_ids": [Command.clear()]},
                {"name": "March rent", "account_id": self.rent.id, "quantity": 1, "price_unit": 1200.0,
                 "tax_ids": [Command.set(self.purchase_tax.ids)]},
                {"product_id": self.supply.id, "account_id": self.rent.id, "quantity": 2, "price_unit": 10.0,
                 "tax_ids": [Command.clear()]},
            ],
            ref="INV-7781", narration="<p>Deliver to the back door</p>",
        )
        self.assertEqual(bill.quickbooks_state, "not_synced", "bills are not sent when posted unless chosen")
        bill.action_quickbooks_sync()
        self.assertEqual(bill.quickbooks_state, "queued")
        self.run_queue()

        job = self.jobs_of(bill)
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(job.qbo_entity, "Bill")
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        self.assertEqual(bill.quickbooks_doc_number, bill.name)
        stored = self.qbo("Bill", bill.quickbooks_id)
        self.assertEqual(stored["DocNumber"], bill.name)
        self.assertEqual(stored["TotalAmt"], round(bill.amount_total, 2))
        self.assertEqual(stored["TotalAmt"], 1317.05)  # 37.05 + 1200 + 60 (5 % use tax) + 20
        self.assertEqual(stored["Balance"], stored["TotalAmt"])
        self.assertEqual(stored["DueDate"], bill.invoice_date_due.isoformat())
        self.assertIn("INV-7781", stored["PrivateNote"])
        self.assertIn("Deliver to the back door", stored["PrivateNote"])
        vendor = self.qbo("Vendor", stored["VendorRef"]["value"])
        self.assertEqual(vendor["DisplayName"], self.vendor.name)

        items = self.lines_of(stored, "ItemBasedExpenseLineDetail")
        self.assertEqual(len(items), 1, "the product on its own expense account is an item line")
        detail = items[0]["ItemBasedExpenseLineDetail"]
        self.assertEqual(items[0]["Amount"], 37.05)
        self.assertEqual(detail["Qty"], 3)
        self.assertEqual(detail["UnitPrice"], 12.35)
        item = self.qbo("Item", detail["ItemRef"]["value"])
        self.assertEqual(item["Name"], self.supply.name)

        by_account = {}
        for line in self.lines_of(stored, "AccountBasedExpenseLineDetail"):
            key = line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"]
            by_account[key] = round(by_account.get(key, 0) + line["Amount"], 2)
        rent = self.ref("Account", "Rent or Lease").qbo_id
        # The rent, the product moved to the rent account, and the use tax Odoo booked on the
        # rent account (the tax has no account of its own): QuickBooks US has no purchase tax.
        self.assertEqual(by_account, {rent: 1280.0})
        self.assertNotIn("TxnTaxDetail", stored)
        self.assertIn("Sent to QuickBooks as Bill", bill.message_ids[0].body)

    def test_unmapped_account_fails_naming_it_and_where_to_map_it(self):
        unmapped = self.env["account.account"].create({
            "code": f"6{self._journal_counter:03d}9", "name": f"Unusual costs {self._journal_counter}",
            "account_type": "expense"})
        bill = self.make_bill(lines=[{"name": "Odd thing", "account_id": unmapped.id, "quantity": 1,
                                      "price_unit": 80.0, "tax_ids": [Command.clear()]}])
        before = self.qbo_count("Bill")
        bill.action_quickbooks_sync()
        self.run_queue()
        job = self.jobs_of(bill)
        self.assertEqual(job.state, "failed")
        self.assertEqual(bill.quickbooks_state, "error")
        self.assertIn(unmapped.name, bill.quickbooks_error)
        self.assertIn("not mapped to a QuickBooks account", bill.quickbooks_error)
        self.assertIn("Expense Accounts", job.hint)
        self.assertEqual(self.qbo_count("Bill"), before, "nothing was sent")

        # Listed as missing (no QuickBooks account has its number or name), mapped there, it goes.
        action = self.env["account.account"]._quickbooks_account_mapping_action()
        self.assertIn(unmapped.id, action["domain"][0][2])
        self.assertFalse(unmapped.quickbooks_account_ref_id, "no QuickBooks account has its number or name")
        unmapped.quickbooks_account_ref_id = self.ref("Account", "Legal & Professional Fees")
        bill.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        line = self.lines_of(self.qbo("Bill", bill.quickbooks_id), "AccountBasedExpenseLineDetail")[0]
        self.assertEqual(line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"],
                         self.ref("Account", "Legal & Professional Fees").qbo_id)

    def test_account_mapping_is_filled_on_an_exact_name(self):
        named = self.env["account.account"].create({
            "code": f"6{self._journal_counter:03d}7", "name": "Advertising", "account_type": "expense"})
        self.env["account.account"]._quickbooks_account_mapping_action()
        self.assertEqual(named.quickbooks_account_ref_id, self.ref("Account", "Advertising"))

    def test_vendor_refund_becomes_a_vendor_credit(self):
        refund = self.make_bill(move_type="in_refund", lines=[
            {"name": "Returned supplies", "account_id": self.office.id, "quantity": 2, "price_unit": 45.5,
             "tax_ids": [Command.clear()]}])
        refund.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        credit = self.qbo("VendorCredit", refund.quickbooks_id)
        self.assertEqual(credit["TotalAmt"], 91.0)
        self.assertEqual(credit["Balance"], 91.0)
        self.assertEqual(credit["DocNumber"], refund.name)
        line = self.lines_of(credit, "AccountBasedExpenseLineDetail")[0]
        self.assertEqual(line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"],
                         self.ref("Account", "Office Expenses").qbo_id)

    def test_partial_bill_payment_lowers_the_balance(self):
        bill = self.make_bill()
        payment = self.register_payment(bill, amount=120.0)
        self.assertEqual(payment.partner_type, "supplier")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertTrue(bill.quickbooks_id, "the bill went first, on the payment's behalf")
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        stored = self.qbo("BillPayment", payment.quickbooks_id)
        self.assertEqual(stored["TotalAmt"], 120.0)
        self.assertEqual(stored["PayType"], "Check")
        self.assertEqual(stored["CheckPayment"]["BankAccountRef"]["value"], self.ref("Account", "Checking").qbo_id)
        self.assertEqual(stored["Line"], [{"Amount": 120.0, "LinkedTxn": [{"TxnId": bill.quickbooks_id,
                                                                             "TxnType": "Bill"}]}])
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 380.0)
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], round(bill.amount_residual, 2))

    def test_cancelled_bill_payment_is_voided_and_the_bill_open_again(self):
        bill = self.make_bill()
        payment = self.register_payment(bill, amount=120.0)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 380.0)
        payment.action_draft()
        payment.action_cancel()
        self.run_queue()
        self.assertEqual(self.jobs_of(payment).filtered(lambda job: job.operation == "void").state, "done")
        voided = self.qbo("BillPayment", payment.quickbooks_id)
        self.assertEqual(voided["TotalAmt"], 0)
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 500.0)
        self.assertEqual(round(bill.amount_residual, 2), 500.0)

    def test_vendor_credit_applied_in_the_bill_payment(self):
        """Paid together: the payment's bill payment carries the money, the refund's own bill
        payment of 0 applies the credit (as QuickBooks' *Pay bills* with the credit ticked)."""
        bill = self.make_bill()
        refund = self.make_bill(move_type="in_refund", lines=[
            {"name": "Rent rebate", "account_id": self.rent.id, "quantity": 1, "price_unit": 75.0,
             "tax_ids": [Command.clear()]}])
        payment = self.register_payment(bill | refund, group_payment=True)
        self.assertEqual(payment.amount, 425.0)
        self.assertEqual(bill.payment_state, "paid")
        payment.action_quickbooks_sync()
        refund.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        stored = self.qbo("BillPayment", payment.quickbooks_id)
        self.assertEqual(stored["TotalAmt"], 425.0)
        self.assertEqual(self.applied(stored), {("Bill", bill.quickbooks_id): 425.0})
        application = self.qbo("BillPayment", self.application_of(refund).qbo_id)
        self.assertEqual(application["TotalAmt"], 0, "no money leaves the bank for the credit")
        self.assertEqual(self.applied(application), {("Bill", bill.quickbooks_id): 75.0,
                                                     ("VendorCredit", refund.quickbooks_id): 75.0})
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 0)
        self.assertEqual(self.qbo("VendorCredit", refund.quickbooks_id)["Balance"], 0)
        vendor = self.qbo("Vendor", stored["VendorRef"]["value"])
        self.assertEqual(vendor["Balance"], 0)

    def test_vendor_refund_settling_a_bill_without_payment_is_a_bill_payment_of_zero(self):
        bill = self.make_bill()
        refund = self.make_bill(move_type="in_refund", lines=[
            {"name": "Damaged goods", "account_id": self.office.id, "quantity": 1, "price_unit": 75.0,
             "tax_ids": [Command.clear()]}])
        (bill | refund).action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 500.0)
        bill.js_assign_outstanding_line(self.payable(refund).id)
        self.assertEqual(round(bill.amount_residual, 2), 425.0)
        self.run_queue()
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        application_id = self.application_of(refund).qbo_id
        self.assertTrue(application_id and application_id != refund.quickbooks_id,
                        "the refund keeps its vendor credit's id; its application is a bill payment of its own")
        application = self.qbo("BillPayment", application_id)
        self.assertEqual(application["TotalAmt"], 0)
        self.assertEqual(application["PayType"], "Check")
        self.assertEqual(self.applied(application), {("Bill", bill.quickbooks_id): 75.0,
                                                     ("VendorCredit", refund.quickbooks_id): 75.0})
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], round(bill.amount_residual, 2))
        self.assertEqual(self.qbo("VendorCredit", refund.quickbooks_id)["Balance"], 0)
        self.assertEqual(round(refund.amount_residual, 2), 0)

        # A payment of the rest is a bill payment of its own, for the money only.
        payment = self.register_payment(bill)
        self.assertEqual(payment.amount, 425.0)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(self.applied(self.qbo("BillPayment", payment.quickbooks_id)),
                         {("Bill", bill.quickbooks_id): 425.0})
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 0)

        # The refund unreconciled in Odoo: its bill payment is deleted, the credit open again.
        partial = self.payable(refund).matched_credit_ids
        bill.js_remove_outstanding_partial(partial.id)
        self.run_queue()
        self.assertFalse(self.application_of(refund))
        self.assertEqual(self.qbo_count("BillPayment", f"where Id = '{application_id}'"), 0)
        self.assertEqual(self.qbo("VendorCredit", refund.quickbooks_id)["Balance"], 75.0)
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], round(bill.amount_residual, 2))
        self.assertEqual(round(bill.amount_residual, 2), 75.0)

    def test_unreconciled_bill_payment_is_unapplied_then_applied_again(self):
        bill = self.make_bill()
        payment = self.register_payment(bill, amount=120.0)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 380.0)
        bill.js_remove_outstanding_partial(self.payable(bill).matched_debit_ids.id)
        self.assertEqual(bill.payment_state, "not_paid")
        self.assertEqual(payment.quickbooks_state, "queued", "QuickBooks follows the reconciliation")
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        stored = self.qbo("BillPayment", payment.quickbooks_id)
        self.assertEqual(stored["TotalAmt"], 120.0, "the money stays paid to the vendor, applied to nothing")
        self.assertEqual(self.applied(stored), {})
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 500.0)

        bill.js_assign_outstanding_line(self.payable(payment.move_id).id)
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(self.applied(self.qbo("BillPayment", payment.quickbooks_id)),
                         {("Bill", bill.quickbooks_id): 120.0})
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 380.0)
        self.assertEqual(round(bill.amount_residual, 2), 380.0)

    def test_billable_line_carries_its_customer_and_is_checked(self):
        n = self._journal_counter
        plan = self.env["account.analytic.plan"].create({"name": f"Jobs {n}"})
        job = self.env["account.analytic.account"].create({
            "name": f"Garden job {n}", "plan_id": plan.id, "partner_id": self.customer.id})
        bill = self.make_bill(lines=[
            {"name": "Plants for the garden job", "account_id": self.office.id, "quantity": 1, "price_unit": 230.0,
             "tax_ids": [Command.clear()], "analytic_distribution": {str(job.id): 100}},
            {"name": "Office rent", "account_id": self.rent.id, "quantity": 1, "price_unit": 500.0,
             "tax_ids": [Command.clear()]},
        ])
        bill.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        self.assertEqual(self.customer.quickbooks_state, "synced", "the customer went first, on the bill's behalf")
        stored = self.qbo("Bill", bill.quickbooks_id)
        details = {line["Amount"]: line["AccountBasedExpenseLineDetail"]
                   for line in self.lines_of(stored, "AccountBasedExpenseLineDetail")}
        self.assertEqual(details[230.0]["CustomerRef"]["value"], self.customer.quickbooks_id)
        self.assertEqual(details[230.0]["BillableStatus"], "Billable")
        self.assertEqual(self.qbo("Customer", self.customer.quickbooks_id)["DisplayName"], self.customer.name)
        self.assertNotIn("CustomerRef", details[500.0])
        self.assertNotEqual(details[500.0].get("BillableStatus"), "Billable")

        # Checked after the write: a line QuickBooks holds as not billable is a difference.
        from ..mapping.bill import check_purchase  # noqa: PLC0415
        self.assertIsNone(check_purchase(bill, stored))
        for line in stored["Line"]:
            line.get("AccountBasedExpenseLineDetail", {}).pop("CustomerRef", None)
        message = check_purchase(bill, stored)
        self.assertIn(f"billable to {self.customer.name}: QuickBooks 0.00 USD, Odoo 230.00", message)

    def test_a_line_billable_to_two_customers_is_refused_with_the_reason(self):
        n = self._journal_counter
        plan = self.env["account.analytic.plan"].create({"name": f"Jobs {n}"})
        other = self.env["res.partner"].create({"name": f"Other customer {n}", "is_company": True})
        jobs = self.env["account.analytic.account"].create([
            {"name": f"Job A {n}", "plan_id": plan.id, "partner_id": self.customer.id},
            {"name": f"Job B {n}", "plan_id": plan.id, "partner_id": other.id},
        ])
        bill = self.make_bill(lines=[
            {"name": "Shared plants", "account_id": self.office.id, "quantity": 1, "price_unit": 100.0,
             "tax_ids": [Command.clear()], "analytic_distribution": {str(jobs[0].id): 50, str(jobs[1].id): 50}}])
        before = self.qbo_count("Bill")
        bill.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "error")
        self.assertIn("billable to several customers", bill.quickbooks_error)
        self.assertEqual(self.qbo_count("Bill"), before)

    def test_reposted_bill_is_updated_and_cancelled_bill_deleted(self):
        bill = self.make_bill()
        bill.action_quickbooks_sync()
        self.run_queue()
        first = self.qbo("Bill", bill.quickbooks_id)
        bill.button_draft()
        bill.invoice_line_ids[0].price_unit = 650.0
        bill.action_post()
        bill.action_quickbooks_sync()
        self.run_queue()
        updated = self.qbo("Bill", bill.quickbooks_id)
        self.assertEqual(updated["Id"], first["Id"])
        self.assertEqual(updated["TotalAmt"], 650.0)
        self.assertEqual(self.qbo_count("Bill", f"where DocNumber = '{bill.name}'"), 1)
        bill.button_draft()
        bill.button_cancel()
        self.run_queue()
        self.assertEqual(self.qbo_count("Bill", f"where DocNumber = '{bill.name}'"), 0)

    def test_paid_purchase_receipt_becomes_an_expense_paid_from_the_bank(self):
        receipt = self.make_bill(move_type="in_receipt", lines=[
            {"name": "Printer paper", "account_id": self.office.id, "quantity": 4, "price_unit": 8.75,
             "tax_ids": [Command.clear()]}])
        payment = self.register_payment(receipt)
        with self.assertRaises(UserError, msg="its payment goes with the receipt"):
            payment.action_quickbooks_sync()
        receipt.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(receipt.quickbooks_state, "synced", receipt.quickbooks_error)
        stored = self.qbo("Purchase", receipt.quickbooks_id)
        self.assertEqual(stored["PaymentType"], "Check")
        self.assertEqual(stored["AccountRef"]["value"], self.ref("Account", "Checking").qbo_id)
        self.assertEqual(stored["EntityRef"]["value"], self.qbo("Vendor", stored["EntityRef"]["value"])["Id"])
        self.assertEqual(stored["TotalAmt"], 35.0)
        line = self.lines_of(stored, "AccountBasedExpenseLineDetail")[0]
        self.assertEqual(line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"],
                         self.ref("Account", "Office Expenses").qbo_id)

    def test_unpaid_purchase_receipt_waits_for_its_payment(self):
        receipt = self.make_bill(move_type="in_receipt")
        receipt.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(receipt.quickbooks_state, "error")
        self.assertIn("not paid yet", receipt.quickbooks_error)

    def test_bills_and_vendor_payments_are_sent_when_posted_if_chosen(self):
        self.connection.sudo().auto_push_bills = True
        bill = self.make_bill()
        self.assertEqual(bill.quickbooks_state, "queued")
        payment = self.register_payment(bill)
        self.assertEqual(payment.quickbooks_state, "queued")
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 0)

    def test_sync_refuses_a_draft_bill(self):
        bill = self.make_bill(post=False)
        with self.assertRaises(UserError):
            bill.action_quickbooks_sync()


@tagged("post_install", "-at_install")
class TestPushBillsForeignCurrency(BillCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator.control("POST", "preferences", realm_id=cls.realm_id,
                             patch={"CurrencyPrefs": {"MultiCurrencyEnabled": True}})
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.env["res.currency.rate"].create({
            "currency_id": cls.eur.id, "name": fields.Date.today(), "rate": 0.8, "company_id": cls.env.company.id,
        })

    def test_euro_bill_and_its_payment_carry_currency_and_rate(self):
        bill = self.make_bill(currency_id=self.eur.id, lines=[
            {"name": "Consulting", "account_id": self.office.id, "quantity": 3, "price_unit": 33.33,
             "tax_ids": [Command.clear()]}])
        payment = self.register_payment(bill)
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        stored = self.qbo("Bill", bill.quickbooks_id)
        self.assertEqual(stored["CurrencyRef"]["value"], "EUR")
        self.assertAlmostEqual(stored["ExchangeRate"], 1.25, places=6)
        self.assertEqual(stored["TotalAmt"], 99.99)
        self.assertEqual(stored["HomeTotalAmt"], 124.99)
        self.assertEqual(stored["Balance"], 0)
        vendor = self.qbo("Vendor", stored["VendorRef"]["value"])
        self.assertEqual(vendor["CurrencyRef"]["value"], "EUR", "the vendor is created in the bill's currency")
        paid = self.qbo("BillPayment", payment.quickbooks_id)
        self.assertEqual(paid["CurrencyRef"]["value"], "EUR")
        self.assertEqual(paid["TotalAmt"], 99.99)


@tagged("post_install", "-at_install")
class TestBillsExactlyOnce(BillCase):
    def inject(self, fault, count=1, **match):
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault=fault, count=count,
                              match=match or None)

    def setUp(self):
        super().setUp()
        self.addCleanup(self.emulator.control, "DELETE", f"faults?realm_id={self.realm_id}")
        self.env["ir.config_parameter"].sudo().set_param("quickbooks_sync.http_timeout", 5)

    def count(self, entity, **criteria):
        query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": entity, **criteria})
        return self.emulator.control("GET", f"count?{query}")["count"]

    def due_now(self, jobs):
        jobs.write({"next_attempt_at": fields.Datetime.now()})

    def test_bill_and_payment_answers_lost_after_commit_are_found_not_recreated(self):
        bill = self.make_bill()
        self.vendor.action_quickbooks_sync()
        self.run_queue()
        self.inject("drop_after_commit", count=3, entity="batch")
        bill.action_quickbooks_sync()
        self.run_queue()
        job = self.jobs_of(bill)
        self.assertEqual(job.state, "pending")
        self.assertTrue(job.uncertain)
        self.assertEqual(self.count("Bill", doc_number=bill.name), 1)
        self.inject("429", count=2, entity="query")
        self.due_now(job)
        self.run_queue()
        self.emulator.control("DELETE", f"faults?realm_id={self.realm_id}")
        self.due_now(job)
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        self.assertEqual(self.count("Bill", doc_number=bill.name), 1)

        payment = self.register_payment(bill, amount=200.0)
        self.inject("drop_after_commit", count=3, entity="batch")
        payment.action_quickbooks_sync()
        self.run_queue()
        pay_job = self.jobs_of(payment)
        self.assertTrue(pay_job.uncertain)
        self.inject("500", count=2)
        self.due_now(pay_job)
        self.run_queue()
        self.emulator.control("DELETE", f"faults?realm_id={self.realm_id}")
        self.due_now(pay_job)
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        query = urllib.parse.urlencode({"realm_id": self.realm_id, "entity": "BillPayment"})
        marker = f"account.payment:{payment.id}]"
        rows = [row for row in self.emulator.control("GET", f"objects?{query}")["objects"]
                if row["_emulator"]["status"] == "live" and marker in row.get("PrivateNote", "")]
        self.assertEqual(len(rows), 1, "QuickBooks has the payment once")
        self.assertEqual(self.qbo("Bill", bill.quickbooks_id)["Balance"], 300.0)


@tagged("post_install", "-at_install")
class TestPushBillsCanada(BillCase, CanadaPushCase):
    """Outside the US a bill carries its tax: each line its tax code, TxnTaxDetail Odoo's tax
    per purchase rate."""

    def test_bill_tax_per_line_and_per_purchase_rate(self):
        gst = self.env["account.tax"].create({
            "name": f"GST on purchases {self._journal_counter}", "amount": 5.0, "amount_type": "percent",
            "type_tax_use": "purchase", "company_id": self.company.id,
            "quickbooks_tax_code_ref_id": self.ref("TaxCode", "GST").id,
        })
        bill = self.make_bill(lines=[
            {"name": "Stationery", "account_id": self.office.id, "quantity": 3, "price_unit": 33.33,
             "tax_ids": [Command.set(gst.ids)]},
            {"name": "Rent", "account_id": self.rent.id, "quantity": 1, "price_unit": 50.0,
             "tax_ids": [Command.clear()]},
        ])
        bill.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(bill.quickbooks_state, "synced", bill.quickbooks_error)
        stored = self.qbo("Bill", bill.quickbooks_id)
        self.assertEqual(stored["TotalAmt"], round(bill.amount_total, 2))
        self.assertEqual(stored["TotalAmt"], 154.99)  # 99.99 + 5.00 GST + 50
        self.assertEqual(stored["TxnTaxDetail"]["TotalTax"], round(bill.amount_tax, 2))
        gst_rate = self.ref("TaxRate", "GST").qbo_id
        self.assertEqual([(line["TaxLineDetail"]["TaxRateRef"]["value"], line["Amount"])
                          for line in stored["TxnTaxDetail"]["TaxLine"]], [(gst_rate, 5.0)])
        codes = [line["AccountBasedExpenseLineDetail"]["TaxCodeRef"]["value"]
                 for line in self.lines_of(stored, "AccountBasedExpenseLineDetail")]
        self.assertEqual(codes, [self.ref("TaxCode", "GST").qbo_id, self.ref("TaxCode", "Out of Scope").qbo_id])
