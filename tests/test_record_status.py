"""Customers, vendors and products show where they stand in QuickBooks as invoices do (badge,
the name and id QuickBooks holds, a link, chatter), product failures on the product form; and a
later success supersedes a record's earlier failures in the Sync Log and closes their activities."""

from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestRecordStatus(PushCase):
    def notes(self, record):
        return [message.body for message in record.message_ids]

    def test_customer_shows_its_quickbooks_name_id_and_link(self):
        # QuickBooks already has someone else of that name: Odoo's customer becomes "... - 2".
        self.client.create("Customer", {"DisplayName": self.customer.name,
                                        "PrimaryEmailAddr": {"Address": "someone.else@example.com"}})
        self.connection.sudo().match_strategy = "email"
        self.assertEqual(self.customer.quickbooks_state, "not_synced")
        self.assertFalse(self.customer.quickbooks_url)

        self.customer.action_quickbooks_sync()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.quickbooks_state, "queued")
        self.run_queue()

        customer = self.customer
        self.assertEqual(customer.quickbooks_state, "synced", customer.quickbooks_error)
        qbo = self.qbo("Customer", customer.quickbooks_id)
        self.assertEqual(qbo["DisplayName"], f"{customer.name} - 2")
        self.assertEqual(customer.quickbooks_qbo_name, f"{customer.name} - 2")
        self.assertEqual(customer.quickbooks_entity, "Customer")
        self.assertEqual(customer.quickbooks_url,
                         f"{self.connection._app_base()}/customerdetail?nameId={customer.quickbooks_id}")
        self.assertEqual(customer.action_open_quickbooks()["url"], customer.quickbooks_url)
        self.assertIn(f"Sent to QuickBooks as Customer \"{customer.name} - 2\" (QuickBooks id "
                      f"{customer.quickbooks_id}).", str(self.notes(customer)[0]))

        # Synced again without a change: no second identical note.
        count = len(customer.message_ids)
        customer.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(len(customer.message_ids), count, [(m.body, m.message_type) for m in customer.message_ids])

    def test_vendor_only_shows_its_vendor(self):
        supplier = self.env["res.partner"].create({
            "name": f"Stone Supply {self._journal_counter}", "is_company": True, "supplier_rank": 1})
        supplier.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(supplier.quickbooks_state, "synced", supplier.quickbooks_error)
        self.assertEqual(supplier.quickbooks_entity, "Vendor")
        self.assertEqual(self.qbo("Vendor", supplier.quickbooks_id)["DisplayName"], supplier.name)
        self.assertIn("vendordetail?nameId=", supplier.quickbooks_url)

    def test_product_failure_then_success_on_the_product_form(self):
        template = self.product.product_tmpl_id
        self.client.create("Item", {"Name": self.product.name, "Type": "Service",
                                    "IncomeAccountRef": {"value": self.ref("Account", "Services").qbo_id}})
        self.connection.sudo().write({"match_strategy": "never", "duplicate_resolution": "manual"})

        template.action_quickbooks_sync()  # the product form's button
        self.run_queue()
        failed = self.jobs_of(self.product)
        self.assertEqual(failed.state, "failed")
        self.assertEqual(template.quickbooks_state, "error")
        self.assertIn("6240", template.quickbooks_error)
        # Posted where the product form shows it: on the template, with an activity.
        self.assertIn("Sync to QuickBooks failed", str(self.notes(template)[0]))
        self.assertTrue(failed.activity_id)
        self.assertEqual(failed.activity_id.res_model, "product.template")
        self.assertEqual(failed.activity_id.res_id, template.id)

        # Fixed: differentiators allowed; the product is sent again from its form.
        self.connection.sudo().duplicate_resolution = "suffix"
        template.action_quickbooks_sync()
        self.run_queue()
        template.invalidate_recordset()
        self.assertEqual(template.quickbooks_state, "synced", template.quickbooks_error)
        self.assertEqual(template.quickbooks_qbo_name, f"{self.product.name} - 2")
        self.assertEqual(self.qbo("Item", template.quickbooks_id)["Name"], f"{self.product.name} - 2")
        self.assertIn("Sent to QuickBooks as Item", str(self.notes(template)[0]))
        self.assertTrue(template.quickbooks_url)

        # The failure is history now: out of the default Sync Log view, its activity done.
        jobs = self.jobs_of(self.product)
        self.assertEqual(jobs.mapped("state"), ["failed", "done"])
        self.assertEqual(failed.superseded_by_id, jobs[1])
        self.assertFalse(failed.activity_id.active, "done")
        self.assertFalse(template.activity_ids)
        self.assertNotIn(failed, self.default_sync_log())

    def default_sync_log(self):
        """The jobs the Sync Log shows when opened (its default filters)."""
        Job = self.env["quickbooks.sync.job"]
        view = self.env.ref("quickbooks_sync.quickbooks_sync_job_view_search")
        action = self.env.ref("quickbooks_sync.action_quickbooks_sync_job")
        self.assertIn("'search_default_failed': 1", action.context)
        filters = {node.get("name"): node.get("domain") for node in etree.fromstring(view.arch).iter("filter")}
        domain = ["|", "|"] + [leaf for name in ("pending", "failed", "conflict")
                               for leaf in (["&"] * (len(safe_eval(filters[name])) - 1) + safe_eval(filters[name]))]
        return Job.search(domain)

    def test_invoice_failure_then_success_leaves_no_failed_row_and_no_activity(self):
        other_tax = self.env["account.tax"].create({"name": f"Unmapped 8% {self._journal_counter}", "amount": 8.0,
                                                    "type_tax_use": "sale"})
        move = self.make_invoice(lines=[{"product_id": self.product.id, "quantity": 1, "price_unit": 10.0,
                                         "tax_ids": [Command.set(other_tax.ids)]}])
        self.run_queue()
        failed = self.jobs_of(move)
        self.assertEqual(failed.state, "failed")
        self.assertIn(failed, self.default_sync_log())
        activity = failed.activity_id
        self.assertTrue(activity)
        self.assertEqual(activity.res_id, move.id)

        other_tax.quickbooks_tax_code_ref_id = self.ref("TaxCode", "California")
        move.action_quickbooks_sync()
        self.run_queue()
        self.assertEqual(move.quickbooks_state, "synced", move.quickbooks_error)
        self.assertNotIn(failed, self.default_sync_log())
        self.assertEqual(failed.state, "failed", "kept as history")
        self.assertTrue(failed.superseded_by_id)
        self.assertFalse(activity.active, "done")
        self.assertFalse(move.activity_ids.filtered(lambda a: a.summary == "Fix the QuickBooks sync"))


@tagged("post_install", "-at_install")
class TestSyncDisconnected(PushCase):
    def test_sync_while_disconnected_says_why_and_waits(self):
        self.connection._disconnect()
        action = self.customer.action_quickbooks_sync()
        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertIn(f"{self.env.company.name} is not connected to QuickBooks", params["message"])
        self.assertIn("Connect to QuickBooks", params["message"])
        self.assertIn("1 record waits in the QuickBooks queue.", params["message"])
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.quickbooks_state, "queued")
        self.assertIn("is not connected to QuickBooks", self.customer.quickbooks_not_connected)
        self.assertEqual(self.jobs_of(self.customer).state, "pending")


@tagged("post_install", "-at_install")
class TestSyncLogBulkActions(PushCase):
    def test_bulk_actions_say_what_they_left_alone_and_why(self):
        self.customer.action_quickbooks_sync()
        self.run_queue()
        done = self.jobs_of(self.customer).filtered(lambda job: job.state == "done")[-1:]
        self.assertTrue(done)
        failed_run = self.env["quickbooks.sync.job"].sudo()._log_import(
            self.connection, "Sync reference data", qbo_entity="References", state="failed")
        self.product.action_quickbooks_sync()
        pending = self.jobs_of(self.product).filtered(lambda job: job.state == "pending")
        self.assertEqual(len(pending), 1)

        answer = (done | pending).action_cancel()
        self.assertEqual(pending.state, "cancelled")
        self.assertEqual(done.state, "done")
        self.assertEqual(answer["params"]["title"], "1 of 2 cancelled; left alone:")
        self.assertIn(f"{done.display_name}: done: QuickBooks has it already", answer["params"]["message"])

        answer = (done | failed_run).action_retry()
        self.assertEqual(answer["params"]["title"], "0 of 2 retried; left alone:")
        self.assertIn("Sync reference data: a run of its own: start it again from Settings > QuickBooks",
                      answer["params"]["message"])
        self.assertIn("done: nothing to retry", answer["params"]["message"])
        # A failed reference-data run can be dismissed.
        self.assertIs(failed_run.action_cancel(), True)
        self.assertEqual(failed_run.state, "cancelled")
