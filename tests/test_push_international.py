"""A non-US company (Canada: a GST/HST code on every line, QuickBooks computes the tax) and a
foreign-currency invoice."""

from odoo import Command, fields
from odoo.tests import tagged

from .push_common import CanadaPushCase, PushCase


@tagged("post_install", "-at_install")
class TestPushCanada(CanadaPushCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wrong = cls.env["account.tax"].create({"name": "Mapped to GST but 15%", "amount": 15.0,
                                                   "type_tax_use": "sale"})
        cls.wrong.quickbooks_tax_code_ref_id = cls.ref("TaxCode", "GST")

    def _invoice(self, lines):
        move = self.make_invoice(lines=lines)
        self.run_queue()
        return move

    def test_tax_code_per_line_and_totals_agree(self):
        move = self._invoice([
            {"name": "Consulting", "quantity": 3, "price_unit": 120.0, "tax_ids": [Command.set(self.gst.ids)]},
            {"name": "Ontario install", "quantity": 1, "price_unit": 250.0, "tax_ids": [Command.set(self.hst.ids)]},
        ])
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        invoice = self.client.read("Invoice", move.quickbooks_id)
        codes = [line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in invoice["Line"]
                 if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual(codes, [self.ref("TaxCode", "GST").qbo_id, self.ref("TaxCode", "HST ON").qbo_id])
        self.assertEqual(invoice["GlobalTaxCalculation"], "TaxExcluded")
        self.assertEqual(invoice["TxnTaxDetail"]["TotalTax"], round(move.amount_tax, 2))
        self.assertEqual(invoice["TotalAmt"], round(move.amount_total, 2))

    def test_a_tax_mapped_to_a_code_of_another_rate_is_refused_before_sending(self):
        move = self._invoice([
            {"name": "Consulting", "quantity": 1, "price_unit": 100.0, "tax_ids": [Command.set(self.wrong.ids)]},
        ])
        job = self.jobs_of(move)
        self.assertEqual(move.quickbooks_state, "error")
        self.assertEqual(job.state, "failed")
        self.assertIn("is 15 % in Odoo, but mapped to the QuickBooks tax code GST of 5 %", job.fault_message)
        self.assertFalse(job.response, "nothing was sent")

    def test_a_line_without_tax_takes_the_untaxed_code_or_is_refused(self):
        move = self._invoice([{"name": "Untaxed", "quantity": 1, "price_unit": 10.0, "tax_ids": [Command.clear()]}])
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        invoice = self.client.read("Invoice", move.quickbooks_id)
        self.assertEqual(invoice["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"]["value"],
                         self.ref("TaxCode", "Out of Scope").qbo_id)
        self.connection.sudo().untaxed_tax_code_ref_id = False
        refused = self._invoice([{"name": "Untaxed", "quantity": 1, "price_unit": 10.0,
                                  "tax_ids": [Command.clear()]}])
        self.assertEqual(refused.quickbooks_state, "error")
        self.assertIn("no code is set for lines without tax", refused.quickbooks_error)


@tagged("post_install", "-at_install")
class TestPushForeignCurrency(PushCase):
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

    def test_euro_invoice_carries_currency_and_rate(self):
        move = self.make_invoice(currency_id=self.eur.id)
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        invoice = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(invoice["CurrencyRef"]["value"], "EUR")
        self.assertAlmostEqual(invoice["ExchangeRate"], 1.25, places=6)
        self.assertEqual(invoice["TotalAmt"], round(move.amount_total, 2))
        self.assertAlmostEqual(invoice["HomeTotalAmt"], round(move.amount_total * 1.25, 2), places=2)
        customer = self.qbo("Customer", invoice["CustomerRef"]["value"])
        self.assertEqual(customer["CurrencyRef"]["value"], "EUR", "the customer is created in the invoice's currency")
