"""Sync defaults and other QuickBooks reference fields hold only references of their kind: the
pickers offer only those, and a saved value of the wrong kind is refused with the reason."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..sync.reference_import import ReferenceImporter
from .push_common import PushCase


@tagged("post_install", "-at_install")
class TestReferenceKinds(PushCase):
    def offered(self, record, field_name, values):
        """What the picker of ``field_name`` offers: its domain, evaluated as the web client does."""
        domain = safe_eval(record._fields[field_name].domain, values)
        return self.env["quickbooks.reference"].search(domain)

    def test_sync_default_pickers_offer_only_fitting_references(self):
        connection = self.connection
        values = {"id": connection.id, "realm_id": connection.realm_id}
        income = self.offered(connection, "default_income_account_ref_id", values)
        self.assertTrue(income)
        self.assertEqual(set(income.mapped("qbo_entity")), {"Account"})
        self.assertLessEqual(set(income.mapped("qbo_type")), {"Income", "Other Income"})
        self.assertIn(self.ref("Account", "Services"), income)
        self.assertNotIn(self.ref("Item", "Services"), income)  # a product named like the account
        expense = self.offered(connection, "default_expense_account_ref_id", values)
        self.assertIn(self.ref("Account", "Office Expenses"), expense)
        self.assertIn(self.ref("Account", "Cost of Goods Sold"), expense)
        self.assertNotIn(self.ref("Account", "Services"), expense)
        classes = self.offered(connection, "default_class_ref_id", values)
        self.assertEqual(sorted(classes.mapped("name")), ["Design", "Landscaping", "Maintenance"])
        self.assertEqual(sorted(self.offered(connection, "default_department_ref_id", values).mapped("name")),
                         ["North", "South"])
        items = self.offered(connection, "default_item_ref_id", values)
        self.assertIn(self.ref("Item", "Services"), items)
        self.assertNotIn(self.ref("Item", "Landscaping products"), items)  # a category cannot be sold
        self.assertEqual(set(self.offered(connection, "untaxed_tax_code_ref_id", values).mapped("qbo_entity")),
                         {"TaxCode"})

        # The settings' pickers name the connection through their own fields.
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.quickbooks_connection_id, connection)
        settings_values = {"quickbooks_connection_id": connection.id, "quickbooks_realm_id": connection.realm_id}
        self.assertEqual(self.offered(settings, "quickbooks_default_class_ref_id", settings_values), classes)
        self.assertEqual(self.offered(settings, "quickbooks_default_income_account_ref_id", settings_values), income)

        # Journals: a deposit account is a bank or other current asset account.
        deposit = self.offered(self.bank_journal, "quickbooks_deposit_account_ref_id",
                               {"company_id": self.env.company.id})
        self.assertIn(self.ref("Account", "Checking"), deposit)
        self.assertIn(self.ref("Account", "Undeposited Funds"), deposit)
        self.assertNotIn(self.ref("Account", "Mastercard"), deposit)

    def test_wrong_kind_refused_with_the_reason(self):
        connection = self.connection.sudo()
        with self.assertRaises(ValidationError) as caught:
            connection.write({"default_class_ref_id": self.ref("Account", "Mastercard").id})
        message = str(caught.exception)
        self.assertIn("Default Class", message)
        self.assertIn("Mastercard", message)
        self.assertIn("QuickBooks Account (Credit Card), not a Class", message)
        connection.invalidate_recordset()
        self.assertFalse(connection.default_class_ref_id)

        with self.assertRaises(ValidationError) as caught:
            connection.write({"default_income_account_ref_id": self.ref("Account", "Office Expenses").id})
        self.assertIn("its QuickBooks type is Expense; it must be of type Income, Other Income",
                      str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            connection.write({"default_income_account_ref_id": self.ref("Item", "Services").id})
        self.assertIn("Product or Service", str(caught.exception))
        with self.assertRaises(ValidationError):
            connection.write({"default_item_ref_id": self.ref("Item", "Landscaping products").id})
        with self.assertRaises(ValidationError):
            self.bank_journal.write({"quickbooks_deposit_account_ref_id": self.ref("Account", "Mastercard").id})
        with self.assertRaises(ValidationError):
            self.bank_journal.write({"quickbooks_payment_method_ref_id": self.ref("Account", "Checking").id})
        with self.assertRaises(ValidationError):
            self.tax_ca.write({"quickbooks_tax_code_ref_id": self.ref("Class", "Design").id})

        # Through the settings as well (what Save does).
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({
                "quickbooks_default_class_ref_id": self.ref("Item", "Design").id}).execute()

        # Inactive in QuickBooks: refused too (QuickBooks refuses it in new transactions).
        maintenance = self.ref("Class", "Maintenance")
        maintenance.sudo().active = False
        with self.assertRaises(ValidationError) as caught:
            connection.write({"default_class_ref_id": maintenance.id})
        self.assertIn("inactive in QuickBooks", str(caught.exception))

        # The right kinds are kept.
        connection.write({"default_class_ref_id": self.ref("Class", "Design").id,
                          "default_department_ref_id": self.ref("Department", "North").id,
                          "default_income_account_ref_id": self.ref("Account", "Design income").id})
        self.assertEqual(connection.default_class_ref_id.name, "Design")

    def test_reference_list_links_through_one_odoo_record_column(self):
        services = self.ref("Account", "Services")
        self.assertEqual(services.odoo_model_id.model, "account.account")
        self.assertIn(["account_type", "in", ["income", "income_other"]], services.odoo_record_domain)
        income_account = self.env["account.account"].search(
            services.odoo_record_domain, limit=1)
        self.assertTrue(income_account)
        self.assertFalse(self.env["account.account"].search(
            services.odoo_record_domain + [("account_type", "=", "liability_credit_card")]))
        services.odoo_record = income_account
        self.assertEqual(services.account_id, income_account)
        self.assertTrue(services.is_linked)
        self.assertEqual(services.odoo_record, income_account)

        design = self.ref("Class", "Design")
        self.assertEqual(design.odoo_model_id.model, "account.analytic.account")
        with self.assertRaises(ValidationError):
            design.odoo_record = income_account  # an account for a class
        california = self.ref("TaxCode", "California")
        self.assertEqual(california.odoo_record, self.tax_ca)
        self.assertEqual(self.ref("PaymentMethod", "Check").odoo_model_id.model, "account.journal")

    def test_to_link_count_is_of_the_company_connected_now(self):
        """The button says as many as the list it opens shows (the summary's count too)."""
        connection = self.connection.sudo()
        connection.invalidate_recordset(["references_to_link"])
        before = connection.references_to_link
        self.env["quickbooks.reference"].sudo().create({
            "connection_id": connection.id, "realm_id": "111111", "qbo_entity": "Account", "qbo_id": "999",
            "name": "Of a QuickBooks company connected before", "qbo_type": "Income"})
        connection.invalidate_recordset(["references_to_link"])
        self.assertEqual(connection.references_to_link, before)
        action = connection.action_open_references()
        shown = self.env["quickbooks.reference"].search(
            action["domain"] + self.env["quickbooks.reference"]._to_link_domain())
        self.assertEqual(len(shown), connection.references_to_link)

    def test_reference_sync_counts_as_last_sync(self):
        """Right after connecting, Sync reference data fills "Last sync" in the settings."""
        self.connection.sudo().last_sync_at = False
        ReferenceImporter(self.connection, notify=False).run()
        self.connection.invalidate_recordset(["last_sync_at"])
        self.assertTrue(self.connection.last_sync_at)
