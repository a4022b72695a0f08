"""A non-US company (Canada: a GST/HST code on every line, QuickBooks computes the tax) and a
foreign-currency invoice."""

from odoo import Command, fields
from odoo.tests import tagged

from .common import QuickBooksCase
from .push_common import REFERENCE_ENTITIES, PushCase


@tagged("post_install", "-at_install")
class TestPushCanada(QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.realm_id = cls.emulator.new_realm(company_name="Maple Books", fixture="ca")
        cls.connect_class()
        cls.client = cls.connection._client()
        Reference = cls.env["quickbooks.reference"].sudo()
        references = Reference
        for entity in REFERENCE_ENTITIES:
            for row in cls.client.query(f"select * from {entity} maxresults 1000").get(entity, []):
                references |= Reference.create({
                    "connection_id": cls.connection.id, "realm_id": cls.realm_id, "qbo_entity": entity,
                    "qbo_id": row["Id"], "name": row.get("Name") or row.get("DisplayName"),
                    "qbo_type": row.get("AccountType") or row.get("Type"),
                })
        cls.references = references
        cls.gst = cls.env["account.tax"].create({"name": "GST 5%", "amount": 5.0, "type_tax_use": "sale"})
        cls.hst = cls.env["account.tax"].create({"name": "HST ON 13%", "amount": 13.0, "type_tax_use": "sale"})
        cls.wrong = cls.env["account.tax"].create({"name": "Mapped to GST but 15%", "amount": 15.0,
                                                   "type_tax_use": "sale"})
        cls._reference("TaxCode", "GST").tax_id = cls.gst
        cls._reference("TaxCode", "HST ON").tax_id = cls.hst
        income = cls.references.filtered(lambda r: r.qbo_entity == "Account" and r.qbo_type == "Income")[:1]
        expense = cls.references.filtered(lambda r: r.qbo_entity == "Account" and r.qbo_type == "Expense")[:1]
        item = cls.references.filtered(lambda r: r.qbo_entity == "Item" and r.qbo_type == "Service")[:1]
        cls.connection.sudo().write({
            "references_synced_at": fields.Datetime.now(), "default_income_account_ref_id": income.id,
            "default_expense_account_ref_id": expense.id, "default_item_ref_id": item.id,
        })
        cls.connection.sudo().sync_enabled = True
        cls.customer = cls.env["res.partner"].create({"name": "Toronto Trading Ltd", "is_company": True})
        cls.wrong.quickbooks_tax_code_ref_id = cls._reference("TaxCode", "GST")
        # The Odoo test company keeps its books in USD; these invoices are in QuickBooks' home
        # currency, as a Canadian company's would be.
        cls.cad = cls.env.ref("base.CAD")
        cls.cad.active = True

    @classmethod
    def _reference(cls, entity, name):
        return cls.references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

    def _invoice(self, lines):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": fields.Date.today(),
            "currency_id": self.cad.id,
            "invoice_line_ids": [Command.create(line) for line in lines],
        })
        move.action_post()
        self.env.flush_all()
        self.env["quickbooks.sync.job"]._cron_process_queue(time_budget=60)
        self.env.invalidate_all()
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
        self.assertEqual(codes, [self._reference("TaxCode", "GST").qbo_id, self._reference("TaxCode", "HST ON").qbo_id])
        self.assertEqual(invoice["GlobalTaxCalculation"], "TaxExcluded")
        self.assertEqual(invoice["TxnTaxDetail"]["TotalTax"], round(move.amount_tax, 2))
        self.assertEqual(invoice["TotalAmt"], round(move.amount_total, 2))

    def test_different_rates_fail_with_both_totals(self):
        move = self._invoice([
            {"name": "Consulting", "quantity": 1, "price_unit": 100.0, "tax_ids": [Command.set(self.wrong.ids)]},
        ])
        job = self.env["quickbooks.sync.job"].search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])
        self.assertEqual(move.quickbooks_state, "error")
        self.assertEqual(job.state, "failed")
        self.assertIn("QuickBooks computed a total of 105.00 CAD", job.fault_message)
        self.assertIn("Odoo has 115.00", job.fault_message)

    def test_a_line_without_tax_is_refused_before_sending(self):
        move = self._invoice([{"name": "Untaxed", "quantity": 1, "price_unit": 10.0, "tax_ids": [Command.clear()]}])
        self.assertEqual(move.quickbooks_state, "error")
        self.assertIn("has no tax", move.quickbooks_error)


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
