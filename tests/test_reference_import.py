"""Sync reference data against the emulator's sample company: what lands in Odoo, what is
linked to Odoo's own records (and what is not), what a second run changes, the sync log."""

import json

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..sync.reference_import import ReferenceImporter
from .common import QuickBooksCase


@tagged("post_install", "-at_install")
class TestReferenceImport(QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        company = cls.company
        # Odoo's side, as an accountant would have it before connecting.
        cls.cash_journal = env["account.journal"].create({"name": "Cash", "type": "cash", "code": "CSHQ"})
        cls.ca_tax = env["account.tax"].create({
            "name": "CA Sales Tax", "amount": 8.0, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": company.id,
        })
        cls.emily = env["res.users"].create({"name": "Emily Platt", "login": "emily.platt@example.com"})
        cls.design = env["account.analytic.account"].create({
            "name": "Design", "plan_id": env["account.analytic.plan"].create({"name": "Departments"}).id,
        })
        account = env["account.account"].with_company(company)
        cls.cogs = account.search([("code", "=", "500000")])
        # An Odoo account whose name is QuickBooks' but whose nature is not: never linked.
        cls.odd_rent = account.create({"code": "612100", "name": "Rent or Lease", "account_type": "asset_current"})

    def setUp(self):
        super().setUp()
        self.connect()

    def references(self, entity):
        return self.env["quickbooks.reference"].with_context(active_test=False).search([
            ("connection_id", "=", self.connection.id), ("realm_id", "=", self.realm_id), ("qbo_entity", "=", entity),
        ])

    def reference(self, entity, name):
        found = self.references(entity).filtered(lambda r: r.name == name)
        self.assertEqual(len(found), 1, f"{entity} {name}")
        return found

    def test_first_sync_lists_everything_and_links_only_certain_matches(self):
        action = self.connection.action_sync_references()
        self.assertEqual(action["params"]["type"], "warning")  # some entries are left to link

        # Every list is there, each entry once, with QuickBooks' facts.
        self.assertEqual(len(self.references("Account")), 29)
        self.assertEqual(len(self.references("Term")), 5)
        self.assertEqual(len(self.references("PaymentMethod")), 7)
        self.assertEqual(len(self.references("TaxCode")), 2)
        self.assertEqual(len(self.references("TaxRate")), 3)
        self.assertEqual(len(self.references("Employee")), 2)
        self.assertEqual(len(self.references("Class")), 3)
        self.assertEqual(len(self.references("Department")), 2)
        self.assertEqual(len(self.references("Item")), 19)
        services = self.reference("Account", "Services")
        self.assertEqual((services.qbo_type, services.qbo_subtype), ("Income", "ServiceFeeIncome"))
        self.assertEqual(self.reference("Term", "Net 30").data["DueDays"], 30)

        # Linked where exactly one Odoo record fits...
        self.assertEqual(self.reference("Account", "Cost of Goods Sold").account_id, self.cogs)
        self.assertEqual(self.reference("Term", "Net 30").payment_term_id.name, "30 Days")
        self.assertEqual(self.reference("Term", "Net 15").payment_term_id.name, "15 Days")
        self.assertEqual(self.reference("Term", "Due on receipt").payment_term_id.name, "Immediate Payment")
        self.assertEqual(self.reference("TaxCode", "California").tax_id, self.ca_tax)  # by its 8 % rate
        self.assertEqual(self.ca_tax.quickbooks_tax_code_ref_id, self.reference("TaxCode", "California"))
        self.assertEqual(self.reference("PaymentMethod", "Cash").journal_id, self.cash_journal)
        self.assertEqual(self.cash_journal.quickbooks_payment_method_ref_id, self.reference("PaymentMethod", "Cash"))
        self.assertEqual(self.reference("Employee", "Emily Platt").user_id, self.emily)
        self.assertEqual(self.reference("Class", "Design").analytic_account_id, self.design)
        # ...and nowhere else: no Odoo record is created or changed for the rest.
        self.assertFalse(self.reference("Account", "Rent or Lease").account_id,
                         "an Odoo asset account is no match for a QuickBooks expense account")
        self.assertFalse(self.reference("TaxCode", "Tucson").tax_id)
        self.assertFalse(self.reference("Term", "Net 60").payment_term_id)
        self.assertFalse(self.reference("PaymentMethod", "Visa").journal_id)
        self.assertEqual(self.odd_rent.name, "Rent or Lease")

        # The settings and the sync log say what happened.
        connection = self.connection
        self.assertTrue(connection.references_synced_at)
        self.assertNotIn("reference data", connection.sync_missing)
        unmatched = self.env["quickbooks.reference"].search_count([
            ("connection_id", "=", connection.id), *self.env["quickbooks.reference"]._to_link_domain()])
        self.assertEqual(connection.references_to_link, unmatched)
        self.assertIn(f"{unmatched} to link", connection.references_summary)
        self.assertTrue(connection.references_summary.startswith("72 new, 0 updated, 0 deactivated"))
        run = connection.references_job_id
        self.assertEqual((run.operation, run.state), ("import", "done"))
        self.assertEqual(run.progress, connection.references_summary)
        self.assertEqual(run.summary["new"], 72)
        self.assertEqual(run.summary["unmatched"], unmatched)
        self.assertIn("payment journals without a QuickBooks payment method: Bank", connection.sync_warnings)

    def test_progress_is_one_notification_replaced_by_each_step(self):
        """A manager clicking Sync reference data sees one progress notification, replaced by
        each list read and closed at the end (not ten stacked ones)."""
        manager = new_test_user(self.env, login="qb_progress_manager",
                                groups="base.group_user,quickbooks_sync.group_quickbooks_manager")
        last = self.env["bus.bus"].sudo().search([], order="id desc", limit=1).id
        self.connection.with_user(manager).action_sync_references()
        sent = [message for message in self.env["bus.bus"].sudo().search([("id", ">", last)], order="id").mapped(
            lambda bus: json.loads(bus.message)) if message["type"].startswith(("quickbooks_sync/", "simple_"))]
        self.assertFalse([m for m in sent if m["type"] == "simple_notification"], "no stacked notifications")
        progress = [m["payload"] for m in sent if m["type"] == "quickbooks_sync/progress"]
        self.assertEqual(len({p["id"] for p in progress}), 1, "one notification for the run")
        self.assertEqual(progress[0]["message"], "Reading Accounts (1 of 9)")
        self.assertGreaterEqual(len(progress), 9)
        self.assertEqual([p["done"] for p in progress], [False] * (len(progress) - 1) + [True], "closed at the end")
        self.assertEqual(progress[-1]["id"], self.connection.references_job_id.id)

    def test_second_sync_reports_changes_and_keeps_links_people_chose(self):
        ReferenceImporter(self.connection, notify=False).run()
        # The admin links Net 60 by hand, and relinks an automatic match elsewhere.
        net60 = self.reference("Term", "Net 60")
        manual_term = self.env["account.payment.term"].search([("name", "=", "45 Days")])
        net60.payment_term_id = manual_term
        net30 = self.reference("Term", "Net 30")
        other_term = self.env["account.payment.term"].search([("name", "=", "21 Days")])
        net30.payment_term_id = other_term
        # Meanwhile, in QuickBooks: an account is made inactive, a class renamed, an account added.
        client = self.connection._client()
        fuel = client.read("Account", self.reference("Account", "Fuel").qbo_id)
        client.update("Account", {"Id": fuel["Id"], "SyncToken": fuel["SyncToken"], "Active": False})
        design = client.read("Class", self.reference("Class", "Design").qbo_id)
        client.update("Class", {"Id": design["Id"], "SyncToken": design["SyncToken"], "Name": "Design Studio"})
        client.create("Account", {"Name": "Consulting Income", "AccountType": "Income", "AcctNum": "400000"})

        summary = ReferenceImporter(self.connection, notify=False).run()

        self.assertEqual((summary["new"], summary["updated"], summary["deactivated"]), (1, 1, 1))
        self.assertFalse(self.reference("Account", "Fuel").active)
        self.assertEqual(self.reference("Class", "Design Studio").qbo_id, design["Id"])
        self.assertEqual(net60.payment_term_id, manual_term)
        self.assertEqual(net30.payment_term_id, other_term)
        # The new account is linked by its number (Odoo's 400000 is "Product Sales").
        self.assertEqual(self.reference("Account", "Consulting Income").account_id.code, "400000")
        self.assertEqual(self.env["quickbooks.sync.job"].search_count([
            ("connection_id", "=", self.connection.id), ("operation", "=", "import"), ("state", "=", "done"),
        ]), 2)

    def test_inactive_defaults_and_missing_tax_mapping_outside_the_us(self):
        ReferenceImporter(self.connection, notify=False).run()
        self.assertEqual(self.connection.sync_missing,
                         "default income account, default service item, default expense account")
        # A Canadian company: every invoice line needs a tax code, so an unmapped tax table blocks.
        ca_realm = self.emulator.new_realm(company_name="Canadian Books", fixture="ca")
        self.connect(realm_id=ca_realm)
        ReferenceImporter(self.connection, notify=False).run()
        self.assertIn("tax mapping", self.connection.sync_missing)
        codes = self.env["quickbooks.reference"].search([
            ("connection_id", "=", self.connection.id), ("realm_id", "=", ca_realm), ("qbo_entity", "=", "TaxCode"),
        ])
        # Set on the tax (Accounting > Taxes), as well as from the reference list.
        self.ca_tax.quickbooks_tax_code_ref_id = codes[:1]
        self.connection.invalidate_recordset(["sync_missing"])
        self.assertNotIn("tax mapping", self.connection.sync_missing)

    def test_admin_creates_what_odoo_lacks(self):
        ReferenceImporter(self.connection, notify=False).run()
        net60 = self.reference("Term", "Net 60")
        maintenance = self.reference("Class", "Maintenance")
        fuel = self.reference("Account", "Fuel")
        (net60 | maintenance).action_create_in_odoo()
        self.assertEqual(net60.payment_term_id.name, "Net 60")
        self.assertEqual(net60.payment_term_id.line_ids.nb_days, 60)
        self.assertEqual(maintenance.analytic_account_id.name, "Maintenance")
        # Odoo needs an account code: an account without a number in QuickBooks is not created.
        with self.assertRaisesRegex(UserError, "no number"):
            fuel.action_create_in_odoo()
        self.assertFalse(fuel.account_id)
        client = self.connection._client()
        fuel_qbo = client.read("Account", fuel.qbo_id)
        client.update("Account", {"Id": fuel_qbo["Id"], "SyncToken": fuel_qbo["SyncToken"], "AcctNum": "6450"})
        ReferenceImporter(self.connection, notify=False).run()
        fuel.action_create_in_odoo()
        self.assertEqual((fuel.account_id.code, fuel.account_id.name, fuel.account_id.account_type),
                         ("6450", "Fuel", "expense"))
