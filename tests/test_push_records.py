"""Customers, vendors and products on their own: created, updated when a synced field changes,
and a synced draft invoice deleted in Odoo deleted in QuickBooks."""

from odoo.tests import tagged

from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestPushRecords(PushCase):
    def test_vendor_goes_as_vendor_and_a_customer_vendor_as_both(self):
        supplier = self.env["res.partner"].create({
            "name": f"Stone Supply {self._journal_counter}", "is_company": True, "supplier_rank": 1,
            "email": "orders@stone.example", "vat": "12-3456789",
        })
        self.customer.write({"customer_rank": 1, "supplier_rank": 1})  # Odoo also buys from this customer
        (supplier | self.customer).action_quickbooks_sync()
        self.run_queue()

        vendor_ids = {b.res_id: b.qbo_id for b in self.env["quickbooks.binding"].search(
            [("res_model", "=", "res.partner"), ("qbo_entity", "=", "Vendor")])}
        vendor = self.qbo("Vendor", vendor_ids[supplier.id])
        self.assertEqual(vendor["DisplayName"], supplier.name)
        self.assertEqual(vendor["TaxIdentifier"], "12-3456789")
        self.assertTrue(self.customer.quickbooks_id, "pushed as a customer")
        both = self.qbo("Vendor", vendor_ids[self.customer.id])
        self.assertEqual(both["DisplayName"], f"{self.customer.name} - 2",
                         "one name for two QuickBooks objects: the vendor gets the differentiator")

    def test_changing_a_synced_field_updates_the_customer(self):
        self.customer.action_quickbooks_sync()
        self.run_queue()
        before = self.qbo("Customer", self.customer.quickbooks_id)

        self.customer.write({"email": "new-billing@acme.example", "comment": "not sent to QuickBooks"})
        self.run_queue()

        after = self.qbo("Customer", self.customer.quickbooks_id)
        self.assertEqual(after["PrimaryEmailAddr"]["Address"], "new-billing@acme.example")
        self.assertEqual(int(after["SyncToken"]), int(before["SyncToken"]) + 1, "a sparse update, not a new customer")
        jobs = self.jobs_of(self.customer)
        self.assertEqual(jobs.mapped("state"), ["done", "done"])

        self.customer.comment = "still not sent"
        self.assertEqual(len(self.jobs_of(self.customer)), 2, "a field QuickBooks does not receive queues nothing")

    def test_product_goes_with_its_mapped_accounts(self):
        income = self.env["account.account"].search([("account_type", "=", "income")], limit=1)
        self.ref("Account", "Landscaping Services").account_id = income
        self.product.property_account_income_id = income
        self.product.action_quickbooks_sync()
        self.run_queue()
        item = self.qbo("Item", self.product.quickbooks_id)
        self.assertEqual(item["IncomeAccountRef"]["value"], self.ref("Account", "Landscaping Services").qbo_id)
        self.assertEqual(item["ExpenseAccountRef"]["value"], self.ref("Account", "Office Expenses").qbo_id,
                         "no mapped expense account: the sync default")
        self.assertEqual(item["UnitPrice"], 100.0)
        self.assertEqual(item["PurchaseCost"], 40.0)

    def test_deleted_synced_draft_is_deleted_in_quickbooks(self):
        move = self.make_invoice()
        self.run_queue()
        qbo_id = move.quickbooks_id
        move.button_draft()
        move.unlink()
        self.run_queue()
        job = self.env["quickbooks.sync.job"].search([("operation", "=", "delete"), ("qbo_id", "=", qbo_id)])
        self.assertEqual(job.state, "done", job.fault_message)
        found = self.emulator.control("GET", f"objects?realm_id={self.realm_id}&entity=Invoice&include_deleted=1")
        status = {obj["Id"]: obj["_emulator"]["status"] for obj in found["objects"]}
        self.assertEqual(status[qbo_id], "deleted")
