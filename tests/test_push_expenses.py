"""Employee expenses (hr_expense) as QuickBooks stores them: Purchases on the mapped expense
accounts, paid from the right account, with their receipts attached (US company)."""

import base64

import requests

from odoo import Command, fields
from odoo.tests import tagged

from .test_push_bills import BillCase

# A 1x1 PNG: the receipt's scan.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class ExpenseCase(BillCase):
    def setUp(self):
        super().setUp()
        n = self._journal_counter
        self.employee = self.env["hr.employee"].create({
            "name": f"Maria Lopez {n}", "work_email": f"maria.lopez{n}@example.com"})
        self.fuel = self.env["account.account"].create({
            "code": f"6{n:03d}4", "name": f"Fuel {n}", "account_type": "expense"})
        self.fuel.quickbooks_account_ref_id = self.ref("Account", "Fuel")
        self.fuel_product = self.env["product.product"].create({
            "name": f"Fuel {n}", "type": "service", "can_be_expensed": True, "standard_price": 0.0,
            "property_account_expense_id": self.fuel.id, "supplier_taxes_id": [Command.clear()],
            "taxes_id": [Command.clear()],
        })
        self.card_journal = self.env["account.journal"].create({
            "name": f"Company Visa {n}", "code": f"V{n:03d}", "type": "credit",
            "company_id": self.env.company.id,
        })
        # A card is paid from the QuickBooks account its journal's own account is mapped to.
        self.card_journal.default_account_id.quickbooks_account_ref_id = self.ref("Account", "Visa")

    def make_expense(self, total, mode="own_account", receipt=True, journal=None, **values):
        expense = self.env["hr.expense"].create({
            "name": values.pop("name", f"Fuel for the van {total}"),
            "employee_id": self.employee.id,
            "product_id": self.fuel_product.id,
            "total_amount_currency": total,
            "payment_mode": mode,
            "tax_ids": [Command.clear()],
            "date": fields.Date.today(),
            **values,
        })
        if mode == "company_account":
            expense.payment_method_line_id = (journal or self.card_journal).outbound_payment_method_line_ids[:1]
        if receipt:
            self.env["ir.attachment"].create({
                "name": f"receipt-{expense.id}.png", "res_model": "hr.expense", "res_id": expense.id,
                "datas": base64.b64encode(PNG), "mimetype": "image/png",
            })
        return expense

    def approve(self, expenses):
        expenses.action_submit()
        expenses.action_approve()
        self.assertEqual(set(expenses.mapped("state")), {"approved"})

    def post_employee_expenses(self, expenses):
        action = expenses.action_post()
        wizard = self.env["hr.expense.post.wizard"].with_context(**action["context"]).browse(action["res_id"])
        wizard.employee_journal_id = self.purchase_journal
        wizard.accounting_date = fields.Date.today()
        wizard.action_post_entry()
        return expenses.account_move_id

    def attachables(self, entity, qbo_id):
        return self.client.query(
            f"select * from Attachable where AttachableRef.EntityRef.Type = '{entity}' "
            f"and AttachableRef.EntityRef.value = '{qbo_id}'").get("Attachable", [])


@tagged("post_install", "-at_install")
class TestPushExpenses(ExpenseCase):
    def test_expense_report_reimbursed_by_the_company_is_an_expense_to_the_employee_with_its_receipts(self):
        expenses = self.make_expense(42.35) | self.make_expense(
            18.9, name="Printer ink", account_id=self.office.id)
        self.approve(expenses)
        receipt = self.post_employee_expenses(expenses)
        self.assertEqual(len(receipt), 1, "one receipt per employee")
        self.assertEqual(receipt.move_type, "in_receipt")
        self.assertEqual(round(receipt.amount_total, 2), 61.25)
        self.assertEqual(len(self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", receipt.id)])), 2, "Odoo copied the receipts")

        payment = self.register_payment(receipt)
        self.assertEqual(receipt.payment_state, "paid")
        receipt.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(receipt.quickbooks_state, "synced", receipt.quickbooks_error)
        stored = self.qbo("Purchase", receipt.quickbooks_id)
        self.assertEqual(stored["TotalAmt"], 61.25)
        self.assertEqual(stored["TotalAmt"], round(receipt.amount_total, 2))
        self.assertEqual(stored["PaymentType"], "Check", "reimbursed from the bank")
        self.assertEqual(stored["AccountRef"]["value"], self.ref("Account", "Checking").qbo_id)
        self.assertEqual(stored["EntityRef"]["type"], "Employee")
        person = self.qbo("Employee", stored["EntityRef"]["value"])
        self.assertEqual(person["DisplayName"], self.employee.name)
        self.assertEqual(self.qbo_count("Vendor", f"where DisplayName = '{self.employee.name}'"), 0,
                         "the employee is not made a vendor")
        by_account = {line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"]: line["Amount"]
                      for line in self.lines_of(stored, "AccountBasedExpenseLineDetail")}
        self.assertEqual(by_account, {self.ref("Account", "Fuel").qbo_id: 42.35,
                                      self.ref("Account", "Office Expenses").qbo_id: 18.9})
        self.assertEqual(payment.quickbooks_state, "not_synced", "its payment goes with the receipt")

        attached = self.attachables("Purchase", receipt.quickbooks_id)
        self.assertEqual(sorted(item["FileName"] for item in attached),
                         sorted(f"receipt-{expense.id}.png" for expense in expenses))
        self.assertEqual({item["ContentType"] for item in attached}, {"image/png"})
        self.assertEqual({int(item["Size"]) for item in attached}, {len(PNG)})
        self.assertEqual(requests.get(attached[0]["TempDownloadUri"], timeout=10).content, PNG,
                         "QuickBooks holds the receipt's very bytes")

        # Sent again: the receipts are there already, not attached twice.
        receipt.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(receipt.quickbooks_state, "synced", receipt.quickbooks_error)
        self.assertEqual(len(self.attachables("Purchase", receipt.quickbooks_id)), 2)

    def test_employee_expense_is_sent_once_reimbursed_when_sending_is_automatic(self):
        self.connection.sudo().auto_push_bills = True
        expense = self.make_expense(25.0, receipt=False)
        self.approve(expense)
        receipt = self.post_employee_expenses(expense)
        self.run_queue()
        self.assertEqual(receipt.quickbooks_state, "error")
        self.assertIn("not paid yet", receipt.quickbooks_error)
        self.register_payment(receipt)
        self.assertEqual(receipt.quickbooks_state, "queued", "paid: it follows")
        self.run_queue()
        self.assertEqual(receipt.quickbooks_state, "synced", receipt.quickbooks_error)
        self.assertEqual(self.qbo("Purchase", receipt.quickbooks_id)["TotalAmt"], 25.0)

    def test_expense_paid_with_the_company_card_is_a_credit_card_expense_with_its_receipt(self):
        expense = self.make_expense(105.0, mode="company_account", vendor_id=self.vendor.id,
                                    tax_ids=[Command.set(self.purchase_tax.ids)])
        self.approve(expense)
        expense.action_post()
        payment = expense.account_move_id.origin_payment_id
        self.assertTrue(payment, "Odoo records a company-paid expense as a payment")
        self.assertEqual(payment.journal_id, self.card_journal)
        self.assertEqual(round(payment.amount, 2), 105.0)
        self.assertEqual(round(expense.tax_amount_currency, 2), 5.0, "tax included in the total")
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertIn("expense?txnId=", payment.quickbooks_url)
        stored = self.qbo("Purchase", payment.quickbooks_id)
        self.assertEqual(stored["PaymentType"], "CreditCard")
        self.assertEqual(stored["AccountRef"]["value"], self.ref("Account", "Visa").qbo_id)
        self.assertEqual(stored["TotalAmt"], 105.0)
        self.assertEqual((stored["EntityRef"]["value"], stored["EntityRef"]["type"]),
                         (self.vendor.quickbooks_id, "Vendor"))
        # The fuel and the tax Odoo booked with it (QuickBooks US keeps no purchase tax), to the cent.
        amounts = sorted(line["Amount"] for line in self.lines_of(stored, "AccountBasedExpenseLineDetail"))
        self.assertEqual(amounts, [5.0, 100.0])
        accounts = {line["AccountBasedExpenseLineDetail"]["AccountRef"]["value"]
                    for line in self.lines_of(stored, "AccountBasedExpenseLineDetail")}
        self.assertEqual(accounts, {self.ref("Account", "Fuel").qbo_id})
        attached = self.attachables("Purchase", payment.quickbooks_id)
        self.assertEqual([item["FileName"] for item in attached], [f"receipt-{expense.id}.png"])

    def test_company_paid_expense_from_the_bank_is_a_check_expense(self):
        expense = self.make_expense(60.0, mode="company_account", receipt=False, journal=self.bank_journal)
        self.approve(expense)
        expense.action_post()
        payment = expense.account_move_id.origin_payment_id
        payment.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        stored = self.qbo("Purchase", payment.quickbooks_id)
        self.assertEqual(stored["PaymentType"], "Check")
        self.assertEqual(stored["AccountRef"]["value"], self.ref("Account", "Checking").qbo_id)
        self.assertEqual(stored["TotalAmt"], 60.0)
        self.assertNotIn("EntityRef", stored, "no vendor on the expense: no payee")
        self.assertEqual(self.attachables("Purchase", payment.quickbooks_id), [])
