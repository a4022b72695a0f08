"""QuickBooks Desktop through the Web Connector (issue 16), end to end over real HTTP: the
stand-in's scripted Web Connector (qbd_emulator) loads the setup file Odoo serves, calls Odoo's
SOAP service at /quickbooks/qbwc, and runs what Odoo sends against the stand-in's company file.
Each test asserts what the company file holds (not what Odoo believes) and what the record shows."""

import base64
import csv
import io
import itertools

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..mapping.qbxml.common import name_rule
from ..qbd_emulator.process import CompanyFileProcess, WebConnectorProcess

_counter = itertools.count(1)


@tagged("post_install", "-at_install")
class TestQuickBooksDesktopSync(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quickbooks = CompanyFileProcess()
        cls.addClassCleanup(cls.quickbooks.stop)
        company = cls.env.company
        if not cls.env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1):
            cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        cls.connection = company._quickbooks_connection().sudo()
        cls.connection.write({"backend": "desktop"})

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.password = self.connection._qbd_set_password()
        self.connection.write({"sync_enabled": True, "auto_push_partners": True, "auto_push_invoices": False})
        n = next(_counter)
        self.n = n
        self.customer = self.env["res.partner"].create({
            "name": f"Bayview Dental Group {n}", "is_company": True, "email": f"office{n}@bayview.example",
            "phone": "+1 415 555 0100", "street": "1 Main Street", "city": "Oakland", "zip": "94601",
            "customer_rank": 1,
        })
        self.product = self.env["product.product"].create({
            "name": f"Drain cleaning {n}", "type": "service", "list_price": 150.0, "default_code": f"DRAIN-{n}",
            "taxes_id": [Command.clear()],
        })
        self.env.flush_all()

    # -- helpers -------------------------------------------------------------------------------

    def qwc_text(self):
        self.authenticate("admin", "admin")
        answer = self.url_open(f"/quickbooks/qbwc/setup/{self.connection.id}")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("attachment", answer.headers.get("Content-Disposition", ""))
        self.logout()
        return answer.text

    def web_connector(self, password=None):
        connector = WebConnectorProcess(self.qwc_text(), password or self.password, self.quickbooks.url)
        self.addCleanup(connector.stop)
        return connector

    def run_session(self, connector):
        self.env.flush_all()
        # The Web Connector is another process: Odoo's test server serves it (no test cookie).
        with self.allow_requests(all_requests=True):
            result = connector.update_selected()
        self.env.invalidate_all()
        return result

    def invoice(self, partner=None, quantity=2, price=150.0):
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": (partner or self.customer).id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": quantity,
                                                 "price_unit": price, "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    def pay(self, move):
        journal = self.env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", move.company_id.id)],
                                                     limit=1)
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids).create({"journal_id": journal.id})
        return wizard._create_payments()

    def qb_customer(self, name):
        found = [c for c in self.quickbooks.objects("Customer") if c.get("Name") == name]
        self.assertEqual(len(found), 1, f"QuickBooks should hold one customer {name!r}")
        return found[0]

    def qb_invoices(self, move):
        """The company file's invoices carrying this invoice's marker (Odoo's numbers repeat
        across tests, which roll back, while the company file keeps everything)."""
        marker = f"[odoo:account.move:{move.id}]"
        return [i for i in self.quickbooks.objects("Invoice") if marker in (i.get("Memo") or "")]

    def jobs(self, record):
        return self.env["quickbooks.sync.job"].sudo().search([("res_model", "=", record._name),
                                                              ("res_id", "=", record.id)])

    # -- 1. setup file, password ---------------------------------------------------------------

    def test_setup_file_loaded_and_password(self):
        qwc = self.qwc_text()
        root = etree.fromstring(qwc.encode())
        self.assertEqual(root.findtext("AppURL"), f"{self.base_url()}/quickbooks/qbwc")
        self.assertEqual(root.findtext("QBType"), "QBFS")
        self.assertEqual(root.findtext("Scheduler/RunEveryNMinutes"), "2")
        self.assertEqual(root.findtext("OwnerID"), self.connection.qbd_owner_id)
        self.assertEqual(root.findtext("FileID"), self.connection.qbd_file_id)
        self.assertTrue(root.findtext("AppSupport").startswith(self.base_url()))
        self.assertNotIn(self.password, qwc)
        self.assertTrue(self.connection.sudo().qbd_password_hash.startswith("pbkdf2_sha256$"))
        # The button shows the password once, in an unsaved dialog: nothing keeps it but the hash.
        action = self.connection.action_qbd_new_password()
        shown = action["context"]["default_password"]
        self.assertEqual(len(shown), 24)
        self.assertTrue(self.connection._qbd_check_credentials(self.connection.qbd_username, shown))
        self.assertFalse(self.connection._qbd_check_credentials(self.connection.qbd_username, self.password))
        self.assertFalse(self.env["quickbooks.qbwc.password.wizard"].search([]))
        self.password = shown
        # The WSDL is served.
        wsdl = self.url_open("/quickbooks/qbwc?wsdl")
        self.assertIn("text/xml", wsdl.headers["Content-Type"])
        self.assertIn(b"QBWebConnectorSvcSoap", wsdl.content)

        wrong = WebConnectorProcess(qwc, "not-the-password", self.quickbooks.url)
        self.addCleanup(wrong.stop)
        with self.assertLogs("odoo.addons.quickbooks_sync.controllers.qbwc", "WARNING") as logs:
            refused = self.run_session(wrong)
        self.assertEqual(refused["status"], "Error", refused)
        self.assertIn("Authentication failed", refused["message"])
        self.assertNotIn("not-the-password", "\n".join(logs.output))
        self.assertNotIn("not-the-password", wrong.log())

        # The right password, nothing queued: "none".
        self.env["quickbooks.sync.job"].sudo().search([("state", "=", "pending")]).write({"state": "cancelled"})
        accepted = self.run_session(self.web_connector())
        self.assertEqual(accepted["status"], "Ok", accepted)
        self.assertIn("No data exchange required", accepted["message"])
        self.assertTrue(self.connection.qbd_last_contact)
        self.assertIn("2.3", self.connection.qbd_version or "")

    # -- 2. an invoice with its payment ---------------------------------------------------------

    def test_invoice_with_payment_synced_from_the_invoice_button(self):
        connector = self.web_connector()
        move = self.invoice()
        payment = self.pay(move)
        move.action_quickbooks_sync()
        self.assertEqual(move.quickbooks_state, "queued")
        result = self.run_session(connector)
        self.assertEqual(result["status"], "Ok", result)
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        ref = move.quickbooks_doc_number
        self.assertLessEqual(len(ref), 11)
        invoices = self.qb_invoices(move)
        self.assertEqual(len(invoices), 1)
        self.assertEqual(invoices[0]["RefNumber"], ref)
        self.assertIn(move.name, invoices[0]["Memo"])
        self.assertEqual(invoices[0]["TxnID"], move.quickbooks_id)
        # The payment followed its invoice, applied to it, in the same session.
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        qb_payments = [p for p in self.quickbooks.objects("ReceivePayment") if p.get("TxnID") == payment.quickbooks_id]
        self.assertEqual(len(qb_payments), 1)
        self.assertEqual(qb_payments[0]["TotalAmount"], "300.00")
        invoice_now = [i for i in self.quickbooks.objects("Invoice") if i.get("TxnID") == move.quickbooks_id][0]
        self.assertEqual(invoice_now["BalanceRemaining"], "0.00")
        self.assertEqual(self.qb_customer(self.customer.name)["ListID"], self.customer.quickbooks_id)
        # The Sync Log shows the qbXML sent and received.
        job = self.jobs(move).filtered(lambda j: j.state == "done")
        self.assertIn("<InvoiceAdd>", job.payload)
        self.assertIn("InvoiceRet", job.response)
        self.assertIn("Odoo:", result["message"])

    # -- 3. edits: a Mod with the EditSequence, a stale one recovered -----------------------------

    def test_customer_edit_sent_as_mod(self):
        connector = self.web_connector()
        self.customer.action_quickbooks_sync()
        self.run_session(connector)
        before = self.qb_customer(self.customer.name)
        self.customer.write({"phone": "+1 510 555 0199"})
        job = self.jobs(self.customer).filtered(lambda j: j.state == "pending")
        self.assertTrue(job, "the edit is queued")
        self.run_session(connector)
        after = self.qb_customer(self.customer.name)
        self.assertEqual(after["ListID"], before["ListID"])
        self.assertEqual(after["Phone"], "+1 510 555 0199")
        self.assertNotEqual(after["EditSequence"], before["EditSequence"])
        self.assertIn("<CustomerMod>", job.payload)
        self.assertIn(f"<EditSequence>{before['EditSequence']}</EditSequence>", job.payload)
        self.assertEqual(job.state, "done")

    def test_stale_edit_sequence_requeried_and_sent_again(self):
        connector = self.web_connector()
        self.customer.action_quickbooks_sync()
        self.run_session(connector)
        stored = self.qb_customer(self.customer.name)
        # Someone edits the customer in QuickBooks Desktop: Odoo's EditSequence is stale.
        self.quickbooks.control("POST", "clock", advance=5)
        changed = self.quickbooks.qbxml(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
            f'<CustomerModRq requestID="1"><CustomerMod><ListID>{stored["ListID"]}</ListID>'
            f'<EditSequence>{stored["EditSequence"]}</EditSequence><Fax>415 555 0000</Fax></CustomerMod>'
            '</CustomerModRq></QBXMLMsgsRq></QBXML>')
        self.assertIn('statusCode="0"', changed["response"])
        self.customer.write({"phone": "+1 650 555 0123"})
        self.run_session(connector)
        after = self.qb_customer(self.customer.name)
        self.assertEqual(after["Phone"], "+1 650 555 0123")
        self.assertEqual(after["Fax"], "415 555 0000", "QuickBooks' own change is kept")
        job = self.jobs(self.customer).sorted("id")[-1]
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(job.fault_code, False)
        self.assertGreaterEqual(job.attempts, 2)

    def qb_txn(self, kind, txn_id):
        found = [t for t in self.quickbooks.objects(kind) if t.get("TxnID") == txn_id]
        self.assertEqual(len(found), 1, f"QuickBooks should hold one {kind} {txn_id}")
        return found[0]

    def test_invoice_edit_sent_as_mod(self):
        connector = self.web_connector()
        move = self.invoice()
        move.action_quickbooks_sync()
        self.run_session(connector)
        before = self.qb_txn("Invoice", move.quickbooks_id)
        self.assertEqual(before["Subtotal"], "300.00")
        move.button_draft()
        move.invoice_line_ids.write({"quantity": 3})
        move.action_post()
        self.assertEqual(move.quickbooks_state, "queued")
        self.run_session(connector)
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        after = self.qb_txn("Invoice", move.quickbooks_id)
        self.assertEqual(after["Subtotal"], "450.00")
        self.assertEqual(len(after["InvoiceLineRet"]) if isinstance(after["InvoiceLineRet"], list) else 1, 1,
                         "the line was replaced, not added to")
        self.assertNotEqual(after["EditSequence"], before["EditSequence"])
        self.assertEqual(len(self.qb_invoices(move)), 1)
        job = self.jobs(move).sorted("id")[-1]
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertIn("<InvoiceMod>", job.payload)
        self.assertIn(f"<EditSequence>{before['EditSequence']}</EditSequence>", job.payload)

    def test_invoice_edit_with_a_stale_edit_sequence_is_sent_again(self):
        connector = self.web_connector()
        move = self.invoice()
        move.action_quickbooks_sync()
        self.run_session(connector)
        stored = self.qb_txn("Invoice", move.quickbooks_id)
        # Someone changes the invoice in QuickBooks Desktop: Odoo's EditSequence is stale.
        self.quickbooks.control("POST", "clock", advance=5)
        changed = self.quickbooks.qbxml(
            '<?xml version="1.0"?><?qbxml version="13.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">'
            f'<InvoiceModRq requestID="1"><InvoiceMod><TxnID>{stored["TxnID"]}</TxnID>'
            f'<EditSequence>{stored["EditSequence"]}</EditSequence><PONumber>PO-77</PONumber></InvoiceMod>'
            '</InvoiceModRq></QBXMLMsgsRq></QBXML>')
        self.assertIn('statusCode="0"', changed["response"])
        move.button_draft()
        move.invoice_line_ids.write({"price_unit": 175.0})
        move.action_post()
        self.run_session(connector)
        after = self.qb_txn("Invoice", move.quickbooks_id)
        self.assertEqual(after["Subtotal"], "350.00")
        self.assertEqual(after["PONumber"], "PO-77", "QuickBooks' own change is kept")
        job = self.jobs(move).sorted("id")[-1]
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertGreaterEqual(job.attempts, 3, "the Mod, the query, the Mod again")
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)

    def test_payment_edit_sent_as_mod_and_taken_off_an_invoice(self):
        connector = self.web_connector()
        move = self.invoice()
        payment = self.pay(move)
        move.action_quickbooks_sync()
        self.run_session(connector)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        first = self.qb_txn("ReceivePayment", payment.quickbooks_id)
        # Reset to draft, dated otherwise, confirmed again: the same QuickBooks payment, changed.
        payment.action_draft()
        payment.date = fields.Date.subtract(fields.Date.today(), days=3)
        payment.action_post()
        self.run_session(connector)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        changed = self.qb_txn("ReceivePayment", payment.quickbooks_id)
        self.assertEqual(changed["TxnDate"], payment.date.isoformat())
        self.assertEqual(changed["TotalAmount"], "300.00")
        self.assertNotEqual(changed["EditSequence"], first["EditSequence"])
        self.assertEqual(self.qb_txn("Invoice", move.quickbooks_id)["BalanceRemaining"], "0.00")
        job = self.jobs(payment).sorted("id")[-1]
        self.assertIn("<ReceivePaymentMod>", job.payload)
        self.assertEqual(len([p for p in self.quickbooks.objects("ReceivePayment")
                              if f"[odoo:account.payment:{payment.id}]" in (p.get("Memo") or "")]), 1)
        # Unreconciled in Odoo: QuickBooks takes it off the invoice (0.00), the money stays unused.
        move.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable") \
            .remove_move_reconcile()
        self.run_session(connector)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        unapplied = self.qb_txn("ReceivePayment", payment.quickbooks_id)
        self.assertEqual(unapplied["UnusedPayment"], "300.00")
        self.assertNotIn("AppliedToTxnRet", unapplied)
        self.assertEqual(self.qb_txn("Invoice", move.quickbooks_id)["BalanceRemaining"], "300.00")
        self.assertIn("<PaymentAmount>0.00</PaymentAmount>", self.jobs(payment).sorted("id")[-1].payload)

    def test_payment_edit_answered_3200_is_read_again_and_sent_once_more(self):
        connector = self.web_connector()
        move = self.invoice()
        payment = self.pay(move)
        move.action_quickbooks_sync()
        self.run_session(connector)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        # Changed in QuickBooks between Odoo's read and its Mod: QuickBooks answers 3200 once.
        self.quickbooks.inject("status", match={"request": "ReceivePaymentMod"}, code=3200,
                               message='The provided edit sequence "1" is out-of-date.')
        payment.action_draft()
        payment.date = fields.Date.subtract(fields.Date.today(), days=1)
        payment.action_post()
        self.run_session(connector)
        job = self.jobs(payment).sorted("id")[-1]
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(payment.quickbooks_state, "synced", payment.quickbooks_error)
        self.assertEqual(self.qb_txn("ReceivePayment", payment.quickbooks_id)["TxnDate"], payment.date.isoformat())
        # Twice in a row: not a third time; the job says why and what to do.
        self.quickbooks.inject("status", count=2, match={"request": "ReceivePaymentMod"}, code=3200,
                               message='The provided edit sequence "1" is out-of-date.')
        payment.action_draft()
        payment.date = fields.Date.today()
        payment.action_post()
        self.run_session(connector)
        job = self.jobs(payment).sorted("id")[-1]
        self.assertEqual(job.state, "failed")
        self.assertEqual(job.fault_code, "3200")
        self.assertIn("re-read", job.hint)
        self.assertEqual(payment.quickbooks_state, "error")
        self.assertNotEqual(self.qb_txn("ReceivePayment", payment.quickbooks_id)["TxnDate"],
                            payment.date.isoformat(), "not marked synced, and QuickBooks did not change")

    def test_credit_note_sent_as_credit_memo(self):
        connector = self.web_connector()
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.customer.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 80.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        refund.action_post()
        refund.action_quickbooks_sync()
        self.run_session(connector)
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        memo = self.qb_txn("CreditMemo", refund.quickbooks_id)
        self.assertEqual((memo["TotalAmount"], memo["CreditRemaining"]), ("80.00", "80.00"))
        self.assertEqual(memo["RefNumber"], refund.quickbooks_doc_number)
        self.assertIn(f"[odoo:account.move:{refund.id}]", memo["Memo"])
        self.assertEqual(self.qb_customer(self.customer.name)["Balance"], "-80.00")
        # Cancelled in Odoo: voided in QuickBooks Desktop.
        refund.button_draft()
        refund.button_cancel()
        self.run_session(connector)
        voided = [m for m in self.quickbooks.objects("CreditMemo") if m.get("TxnID") == refund.quickbooks_id]
        self.assertEqual(voided[0]["_emulator"]["status"], "voided")
        self.assertEqual(self.qb_customer(self.customer.name)["Balance"], "0.00")

    def test_credit_note_applied_to_an_invoice_and_unapplied(self):
        connector = self.web_connector()
        move = self.invoice()
        refund = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.customer.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 80.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        refund.action_post()
        receivable = (move.line_ids | refund.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable")
        receivable.reconcile()
        self.assertEqual(move.amount_residual, 220.0)
        move.action_quickbooks_sync()
        refund.action_quickbooks_sync()
        result = self.run_session(connector)
        self.assertEqual(result["status"], "Ok", result)
        self.assertEqual(refund.quickbooks_state, "synced", refund.quickbooks_error)
        memo = self.qb_txn("CreditMemo", refund.quickbooks_id)
        self.assertEqual(memo["CreditRemaining"], "0.00", "the credit is used on the invoice")
        self.assertEqual(self.qb_txn("Invoice", move.quickbooks_id)["BalanceRemaining"], "220.00")
        application = [p for p in self.quickbooks.objects("ReceivePayment")
                       if f"[odoo:account.move:{refund.id}]" in (p.get("Memo") or "")]
        self.assertEqual(len(application), 1)
        self.assertEqual(application[0]["TotalAmount"], "0.00")
        job = self.jobs(refund).filtered(lambda j: j.qbo_entity == "Payment")
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertIn("<SetCredit>", job.payload)
        self.assertEqual(refund.quickbooks_id, memo["TxnID"], "the credit note shows its credit memo")
        # Unreconciled in Odoo: the application is deleted there, the credit is available again.
        receivable.remove_move_reconcile()
        self.run_session(connector)
        self.assertFalse([p for p in self.quickbooks.objects("ReceivePayment")
                          if p.get("TxnID") == application[0]["TxnID"]])
        self.assertEqual(self.qb_txn("CreditMemo", refund.quickbooks_id)["CreditRemaining"], "80.00")
        self.assertEqual(self.qb_txn("Invoice", move.quickbooks_id)["BalanceRemaining"], "300.00")

    def test_deleted_payment_deleted_in_quickbooks(self):
        connector = self.web_connector()
        move = self.invoice()
        payment = self.pay(move)
        move.action_quickbooks_sync()
        self.run_session(connector)
        txn_id = payment.quickbooks_id
        self.assertTrue(txn_id)
        payment.action_draft()
        payment.unlink()
        job = self.env["quickbooks.sync.job"].sudo().search([("operation", "=", "delete"), ("qbo_id", "=", txn_id)])
        self.assertEqual(job.state, "pending")
        self.run_session(connector)
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertIn("<TxnDelType>ReceivePayment</TxnDelType>", job.payload)
        self.assertFalse([p for p in self.quickbooks.objects("ReceivePayment") if p.get("TxnID") == txn_id])
        self.assertEqual(self.qb_txn("Invoice", move.quickbooks_id)["BalanceRemaining"], "300.00",
                         "the invoice it paid is open again")

    def test_sessions_listed_for_managers(self):
        connector = self.web_connector()
        self.customer.action_quickbooks_sync()
        self.run_session(connector)
        session = self.env["quickbooks.qbwc.session"].search([("connection_id", "=", self.connection.id)], limit=1)
        self.assertEqual(session.state, "done")
        self.assertGreaterEqual(session.request_count, 1)
        self.assertEqual(session.response_count, session.request_count)
        self.assertIn("2.3", session.qbwc_version)
        self.assertTrue(session.company_file.endswith(".qbw"))
        action = self.env.ref("quickbooks_sync.action_quickbooks_qbwc_session")
        self.assertEqual(action.res_model, "quickbooks.qbwc.session")
        menu = self.env.ref("quickbooks_sync.menu_quickbooks_qbwc_session")
        self.assertEqual(menu.group_ids, self.env.ref("quickbooks_sync.group_quickbooks_manager"))

    # -- 4. exactly once: a session dies between send and receive -------------------------------

    def test_session_killed_between_send_and_receive_duplicates_nothing(self):
        connector = self.web_connector()
        move = self.invoice()
        move.action_quickbooks_sync()
        self.quickbooks.inject("crash", match={"request": "InvoiceAdd"})
        first = self.run_session(connector)
        self.assertNotEqual(first["status"], "Ok", first)
        self.assertNotEqual(move.quickbooks_state, "synced")
        committed = self.qb_invoices(move)
        self.assertEqual(len(committed), 1, "QuickBooks committed the invoice before the PC went down")
        second = self.run_session(connector)
        self.assertEqual(second["status"], "Ok", second)
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        held = self.qb_invoices(move)
        self.assertEqual(len(held), 1, "the invoice was linked, not added again")
        self.assertEqual(held[0]["TxnID"], move.quickbooks_id)
        customers = [c for c in self.quickbooks.objects("Customer") if c.get("Name") == self.customer.name]
        self.assertEqual(len(customers), 1)

    def test_response_lost_after_commit_duplicates_nothing(self):
        connector = self.web_connector()
        self.customer.action_quickbooks_sync()
        self.quickbooks.inject("response_lost", match={"request": "CustomerAdd"})
        self.run_session(connector)
        job = self.jobs(self.customer).sorted("id")[-1]
        self.assertEqual(job.state, "pending")
        self.assertTrue(job.uncertain)
        self.run_session(connector)
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertEqual(self.qb_customer(self.customer.name)["ListID"], self.customer.quickbooks_id)

    # -- 5. names: lengths, Latin-1, ':' -------------------------------------------------------------

    def test_long_name_and_non_latin1_text(self):
        connector = self.web_connector()
        partner = self.env["res.partner"].create({
            "name": f"Жуков: Plumbing & Heating Contractors of Greater Oakland {self.n}", "is_company": True,
            "customer_rank": 1, "street": "Straße 5 – Łódź",
        })
        move = self.invoice(partner=partner)
        move.action_quickbooks_sync()
        result = self.run_session(connector)
        self.assertEqual(result["status"], "Ok", result)
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        expected = name_rule(partner.name, 41)
        # Cut to 41 characters (then the trailing space), ':' as '-', Cyrillic as '?'.
        self.assertEqual(expected, "?????- Plumbing & Heating Contractors of")
        self.assertGreater(len(partner.name), 41)
        held = self.qb_customer(expected)
        self.assertEqual(held["ListID"], partner.quickbooks_id)
        self.assertEqual(held["BillAddress"]["Addr1"], "Straße 5 ? ?ódz")
        self.assertEqual(partner.quickbooks_binding_ids.qbo_name, expected)

    # -- 6. a name QuickBooks already has for someone else; a cancelled invoice voided ------------

    def test_duplicate_name_gets_a_differentiator(self):
        connector = self.web_connector()
        name = f"Harbor Plumbing {self.n}"
        self.quickbooks.control("POST", "objects", objects={"Customer": [{"Name": name, "Phone": "555 0000"}]})
        partner = self.env["res.partner"].create({"name": name, "is_company": True, "customer_rank": 1})
        partner.action_quickbooks_sync()
        self.run_session(connector)
        self.assertEqual(partner.quickbooks_name, f"{name} - 2")
        held = self.qb_customer(f"{name} - 2")
        self.assertEqual(held["ListID"], partner.quickbooks_id)
        self.assertIn(f"[odoo:res.partner:{partner.id}]", held["Notes"])
        self.assertNotIn("[odoo:", self.qb_customer(name).get("Notes") or "", "QuickBooks' own customer untouched")
        # Names are shared with vendors, employees and other names: CustomerQuery cannot see them.
        maria = self.env["res.partner"].create({"name": "Maria Lopez", "customer_rank": 1})
        maria.action_quickbooks_sync()
        self.run_session(connector)
        self.assertEqual(maria.quickbooks_name, "Maria Lopez - 2")
        self.assertEqual(self.qb_customer("Maria Lopez - 2")["ListID"], maria.quickbooks_id)

    def test_cancelled_invoice_voided(self):
        connector = self.web_connector()
        move = self.invoice()
        move.action_quickbooks_sync()
        self.run_session(connector)
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        move.button_draft()
        move.button_cancel()
        self.run_session(connector)
        held = self.qb_invoices(move)
        self.assertEqual(len(held), 1)
        self.assertEqual(held[0]["_emulator"]["status"], "voided")
        self.assertTrue(self.jobs(move).filtered(lambda j: j.operation == "void" and j.state == "done"))

    # -- 7. the one-time import, with each match strategy -----------------------------------------

    def read_lists(self):
        """Read at the next session: the Web Connector reads QuickBooks Desktop's lists; nothing
        is linked or created in Odoo yet."""
        self.quickbooks.control("POST", "companies/reset")
        # Nothing else queued: the import comes before ongoing sync.
        self.env["quickbooks.sync.job"].sudo().search([("state", "=", "pending")]).write({"state": "cancelled"})
        self.assertTrue(self.connection.qbd_import_offered)
        self.connection.action_qbd_import()
        partners_before = self.env["res.partner"].search_count([])
        result = self.run_session(self.web_connector())
        self.assertEqual(result["status"], "Ok", result)
        job = self.env["quickbooks.sync.job"].sudo().search([("qbo_entity", "=", "DesktopImport")], limit=1)
        self.assertEqual(job.state, "done", job.fault_message)
        self.assertIn("Read 15 customers and jobs, 15 items and 5 vendor names", job.fault_message)
        self.assertEqual(self.env["res.partner"].search_count([]), partners_before, "the read creates nothing")
        self.assertFalse(self.import_bindings(), "the read links nothing")
        return job

    def import_bindings(self):
        return self.env["quickbooks.binding"].sudo().search([("realm_id", "=", self.connection.realm_id),
                                                             ("origin", "=", "import")])

    def preview(self, strategy, resolution="suffix"):
        wizard = self.env["quickbooks.import.wizard"].create({
            "connection_id": self.connection.id, "match_strategy": strategy, "duplicate_resolution": resolution})
        self.assertFalse(wizard.import_vendors, "QuickBooks Desktop: customers and items")
        self.assertTrue(wizard.qbd_read_at)
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertFalse(self.import_bindings(), "the preview writes nothing")
        return wizard

    def plan_rows(self, wizard):
        """``{name: (action, reason)}`` of the preview's downloadable list."""
        text = base64.b64decode(wizard.preview_file).decode("utf-8-sig")
        return {row["Name"]: (row["Action"], row["Reason"]) for row in csv.DictReader(io.StringIO(text))}

    def import_with(self, strategy):
        self.read_lists()
        wizard = self.preview(strategy)
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        return wizard

    def linked_to(self, name, entity="Customer"):
        """The Odoo record linked to the company file's list element of that full name."""
        kind = "Customer" if entity == "Customer" else "ItemService"
        held = [o for o in self.quickbooks.objects(kind) if o.get("FullName") == name]
        self.assertEqual(len(held), 1, name)
        binding = self.env["quickbooks.binding"].sudo().search([
            ("realm_id", "=", self.connection.realm_id), ("qbo_entity", "=", entity),
            ("qbo_id", "=", held[0]["ListID"])])
        self.assertEqual(len(binding), 1, f"{name} is linked once")
        return self.env[binding.res_model].browse(binding.res_id)

    def test_import_match_by_email(self):
        kim = self.env["res.partner"].create({"name": "Kim A.", "email": "KIM.anderson@example.com"})
        bakers = self.env["res.partner"].create({"name": "Baker Family"})
        drain = self.env["product.product"].create({"name": "Drain Cleaning", "type": "service"})
        wizard = self.import_with("email")
        self.assertEqual(self.linked_to("Anderson, Kim"), kim)
        self.assertNotEqual(self.linked_to("Baker Family"), bakers, "a name alone does not match by email")
        kitchen = self.linked_to("Anderson, Kim:Kitchen Remodel")
        self.assertEqual(kitchen.parent_id, kim, "a job is created under its customer")
        self.assertEqual(self.linked_to("Drain Cleaning", "Item"), drain, "items match by name")
        self.assertEqual(self.linked_to("Plumbing Labor", "Item").list_price, 95.0)
        self.assertIn("linked", wizard.result_summary)
        self.assertTrue(self.connection.qbd_import_offered, "importing is not ongoing sync")
        # Ongoing sync sends the test's customer: the import is not offered again.
        self.customer.action_quickbooks_sync()
        self.run_session(self.web_connector())
        self.assertEqual(self.customer.quickbooks_state, "synced", self.customer.quickbooks_error)
        self.assertFalse(self.connection.qbd_import_offered)
        with self.assertRaises(UserError):
            self.connection.action_qbd_import()
        with self.assertRaises(UserError):
            self.env["quickbooks.import.wizard"].create({"connection_id": self.connection.id}).action_preview()

    def test_import_match_by_name_or_contact(self):
        bakers = self.env["res.partner"].create({"name": "baker  family"})
        ito = self.env["res.partner"].create({"name": "Ken Ito", "phone": "+1 (510) 555-0138"})
        self.import_with("name_or_contact")
        self.assertEqual(self.linked_to("Baker Family"), bakers)
        self.assertEqual(self.linked_to("Ito, Ken"), ito, "matched by phone")

    def test_import_match_by_name_and_contact(self):
        dunns = self.env["res.partner"].create({"name": "Dunn's Diner", "phone": "510.555.0114"})
        jensen = self.env["res.partner"].create({"name": "Jensen Dental"})
        self.import_with("name_and_contact")
        self.assertEqual(self.linked_to("Dunn's Diner"), dunns)
        created = self.linked_to("Jensen Dental")
        self.assertNotEqual(created, jensen, "the name without a matching email or phone is not enough")
        self.assertEqual(created.name, "Jensen Dental")

    def test_import_preview_then_apply(self):
        """The preview says what would be linked, created, skipped, and which Odoo records get a
        differentiator because QuickBooks Desktop already holds their name (a vendor's here)."""
        bakers = self.env["res.partner"].create({"name": "Baker Family", "email": "bakers@example.com"})
        twins = self.env["res.partner"].create([{"name": "Jensen Dental", "phone": "510 555 7000"},
                                                {"name": "jensen dental", "phone": "510 555 7001"}])
        supplier = self.env["res.partner"].create({"name": "Bay Plumbing Supply", "customer_rank": 1})
        unread = self.env["quickbooks.import.wizard"].create({"connection_id": self.connection.id})
        self.assertFalse(unread.qbd_read_at)
        with self.assertRaises(UserError):
            unread.action_preview()  # nothing read yet
        self.read_lists()
        wizard = self.preview("name_or_contact")
        rows = self.plan_rows(wizard)
        self.assertEqual(rows["Baker Family"][0], "Link")
        self.assertEqual(rows["Castillo Properties"][0], "Create")
        self.assertEqual(rows["Jensen Dental"][0], "Needs a decision", "two Odoo records match equally")
        self.assertEqual(rows["Bay Plumbing Supply"][0], "Rename in QuickBooks")
        self.assertIn("Bay Plumbing Supply - 2", rows["Bay Plumbing Supply"][1])
        self.assertEqual(wizard.counts["Item"].get("create"), 12, "service and non-inventory items")
        self.assertEqual(rows["Alameda County"][0], "Skip", "a sales tax item is no product")
        self.assertGreaterEqual(wizard.to_link, 1)
        self.assertEqual(wizard.line_ids.filtered(lambda line: line.name == "Jensen Dental").candidate_partner_ids,
                         twins)
        # The person decides: link Jensen Dental to the first one.
        wizard.line_ids.filtered(lambda line: line.name == "Jensen Dental").write(
            {"decision": "link", "partner_id": twins[0].id})
        wizard.action_apply()
        self.assertEqual(self.linked_to("Baker Family"), bakers)
        self.assertEqual(self.linked_to("Jensen Dental"), twins[0])
        self.assertEqual(self.linked_to("Castillo Properties:Unit 4B").parent_id,
                         self.linked_to("Castillo Properties"))
        self.assertEqual(supplier.quickbooks_name, "Bay Plumbing Supply - 2")
        # Sent later, the supplier arrives under its differentiator; the vendor is untouched.
        supplier.action_quickbooks_sync()
        self.run_session(self.web_connector())
        self.assertEqual(self.qb_customer("Bay Plumbing Supply - 2")["ListID"], supplier.quickbooks_id)
        # A job imported is referred to by its full name in QuickBooks.
        unit = self.linked_to("Castillo Properties:Unit 4B")
        self.assertEqual(unit.quickbooks_binding_ids.qbo_name, "Castillo Properties:Unit 4B")

    def test_import_preview_manual_names(self):
        self.env["res.partner"].create({"name": "Mission Auto Care", "customer_rank": 1})
        self.read_lists()
        rows = self.plan_rows(self.preview("email", resolution="manual"))
        self.assertEqual(rows["Mission Auto Care"][0], "Needs a decision")
