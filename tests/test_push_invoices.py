"""Customer invoices, their customers and items, as QuickBooks receives them (US company)."""

import requests

from odoo import Command
from odoo.tests import tagged

from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestPushInvoice(PushCase):
    def test_posted_invoice_arrives_in_quickbooks_to_the_cent(self):
        move = self.make_invoice(
            lines=[
                {"product_id": self.product.id, "quantity": 2, "price_unit": 100.0},
                {"name": "Site visit", "quantity": 1, "price_unit": 30.0, "tax_ids": [Command.clear()]},
                {"display_type": "line_note", "name": "Thank you for your business"},
                {"product_id": self.product.id, "quantity": 3, "price_unit": 15.50, "discount": 10.0},
            ],
            narration="<p>Payable by check</p>",
        )
        self.assertEqual(move.quickbooks_state, "queued", "posting queues the invoice")
        job = self.jobs_of(move)
        self.assertEqual(job.state, "pending")

        self.run_queue()

        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(move.quickbooks_state, "synced")
        self.assertEqual(move.quickbooks_doc_number, move.name)
        invoice = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(invoice["DocNumber"], move.name)
        self.assertEqual(invoice["TotalAmt"], round(move.amount_total, 2))
        self.assertEqual(invoice["TxnTaxDetail"]["TotalTax"], round(move.amount_tax, 2))
        self.assertEqual(invoice["TxnTaxDetail"]["TxnTaxCodeRef"]["value"], self.ref("TaxCode", "California").qbo_id)
        self.assertEqual(invoice["DueDate"], move.invoice_date_due.isoformat())
        self.assertEqual(invoice["CustomerMemo"]["value"], "Payable by check")
        self.assertEqual(invoice["BillEmail"]["Address"], self.customer.email)
        lines = [line for line in invoice["Line"] if line["DetailType"] != "SubTotalLineDetail"]
        self.assertEqual([line["DetailType"] for line in lines],
                         ["SalesItemLineDetail", "SalesItemLineDetail", "DescriptionOnly", "SalesItemLineDetail"])
        first, site_visit, note, discounted = lines
        self.assertEqual(first["Amount"], 200.0)
        self.assertEqual(first["SalesItemLineDetail"]["Qty"], 2)
        self.assertEqual(first["SalesItemLineDetail"]["UnitPrice"], 100.0)
        self.assertEqual(first["SalesItemLineDetail"]["TaxCodeRef"]["value"], "TAX")
        self.assertEqual(site_visit["SalesItemLineDetail"]["ItemRef"]["value"], self.ref("Item", "Services").qbo_id,
                         "a line without product uses the default service item")
        self.assertEqual(site_visit["SalesItemLineDetail"]["TaxCodeRef"]["value"], "NON")
        self.assertEqual(note["Description"], "Thank you for your business")
        self.assertEqual(discounted["Amount"], 41.85)
        self.assertIn("discount 10%", discounted["Description"])

        customer = self.qbo("Customer", invoice["CustomerRef"]["value"])
        self.assertEqual(customer["DisplayName"], self.customer.name)
        self.assertEqual(customer["PrimaryEmailAddr"]["Address"], self.customer.email)
        self.assertEqual(customer["BillAddr"]["City"], "San Francisco")
        item = self.qbo("Item", first["SalesItemLineDetail"]["ItemRef"]["value"])
        self.assertEqual(item["Name"], self.product.name, "the code goes as Sku, not into the name")
        self.assertEqual(item["Sku"], self.product.default_code)
        self.assertEqual(item["Type"], "Service")
        self.assertEqual(item["IncomeAccountRef"]["value"], self.ref("Account", "Services").qbo_id)
        self.assertIn("Sent to QuickBooks as Invoice", move.message_ids[0].body)

    def test_open_in_quickbooks_opens_the_invoice_on_the_emulator(self):
        # The link the form's "Open in QuickBooks" button follows answers with the invoice
        # (the emulator's company view answers QuickBooks' own /app/invoice?txnId= path).
        move = self.make_invoice()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced")
        action = move.action_open_quickbooks()
        self.assertEqual(action["url"], move.quickbooks_url)
        self.assertTrue(move.quickbooks_url.startswith(f"{self.connection.custom_url.rstrip('/')}/app/invoice?txnId="))
        page = requests.get(move.quickbooks_url, timeout=30)
        self.assertEqual(page.status_code, 200, page.text[:300])
        self.assertIn(move.name, page.text)
        self.assertIn(f"&quot;Id&quot;: &quot;{move.quickbooks_id}&quot;", page.text)

    def test_sync_button_on_many_invoices_sends_each_once(self):
        moves = self.env["account.move"]
        self.connection.sudo().auto_push_invoices = False
        for _index in range(3):
            moves |= self.make_invoice()
        self.assertEqual(set(moves.mapped("quickbooks_state")), {"not_synced"})
        before = self.qbo_count("Invoice")

        moves.action_quickbooks_sync()
        moves.action_quickbooks_sync()  # a second click queues nothing more
        self.assertEqual(len(self.jobs_of(moves)), 3)
        self.run_queue()

        self.assertEqual(set(moves.mapped("quickbooks_state")), {"synced"})
        self.assertEqual(self.qbo_count("Invoice") - before, 3)
        self.assertEqual(self.qbo_count("Customer", f"where DisplayName = '{self.customer.name}'"), 1,
                         "the customer was created once for the three invoices")

    def test_reposted_invoice_is_updated_not_duplicated(self):
        move = self.make_invoice()
        self.run_queue()
        first = self.qbo("Invoice", move.quickbooks_id)
        move.button_draft()
        move.invoice_line_ids[0].quantity = 5
        move.action_post()
        self.run_queue()

        updated = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(updated["Id"], first["Id"])
        self.assertEqual(int(updated["SyncToken"]), int(first["SyncToken"]) + 1)
        self.assertEqual(updated["TotalAmt"], round(move.amount_total, 2))
        self.assertEqual(self.qbo_count("Invoice", f"where DocNumber = '{move.name}'"), 1)

    def test_cancelled_invoice_is_voided(self):
        move = self.make_invoice()
        self.run_queue()
        move.button_draft()
        move.button_cancel()
        self.run_queue()
        invoice = self.qbo("Invoice", move.quickbooks_id)
        self.assertEqual(invoice["TotalAmt"], 0)
        self.assertIn("Voided", invoice.get("PrivateNote", ""))

    def test_credit_note_becomes_a_credit_memo(self):
        refund = self.make_invoice(move_type="out_refund")
        self.run_queue()
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        memo = self.qbo("CreditMemo", refund.quickbooks_id)
        self.assertEqual(memo["TotalAmt"], round(refund.amount_total, 2))
        self.assertEqual(memo["DocNumber"], refund.name)
