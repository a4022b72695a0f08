"""Import first: QuickBooks' customers, vendors and items into Odoo, against a QuickBooks
company seeded with what real books hold (sub-customers two levels deep, inactive records,
customers without email, non-ASCII and over-long names, a product known to both sides) and
an Odoo database with its own look-alikes (two partners with the same name...).

Each test runs the wizard as the admin does (options, preview, apply) and checks what they
would see: the Odoo records, their links to QuickBooks, the sync log."""

from odoo.tests import tagged

from .common import QuickBooksCase
from .import_data import new_bare_realm, seed

LONG_ITEM = "Premium landscaping maintenance package with seasonal planting, pruning, mulching and irrigation chk"
assert len(LONG_ITEM) == 100  # QuickBooks' item name limit


@tagged("post_install", "-at_install")
class TestImportWizard(QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.realm_id = new_bare_realm(cls.emulator, "Import Books")
        emulator, realm = cls.emulator, cls.realm_id
        usa = {"Country": "USA"}
        top = seed(emulator, realm, Customer=[
            {"DisplayName": "Acme Corporation", "CompanyName": "Acme Corporation",
             "PrimaryEmailAddr": {"Address": "billing@acme.example"},
             "PrimaryPhone": {"FreeFormNumber": "(415) 555-0100"},
             "BillAddr": {"Line1": "1 Market St", "City": "San Francisco", "CountrySubDivisionCode": "CA",
                          "PostalCode": "94105", **usa},
             "ShipAddr": {"Line1": "9 Dock Rd", "City": "Oakland", "CountrySubDivisionCode": "CA",
                          "PostalCode": "94607", **usa}},
            {"DisplayName": "Maria Garcia", "PrimaryEmailAddr": {"Address": "maria@garcia.example"}},
            {"DisplayName": "Jean Dupont", "PrimaryPhone": {"FreeFormNumber": "+1 415-555-0199"}},
            {"DisplayName": "Zoë Ångström", "PrimaryEmailAddr": {"Address": "zoe@angstrom.example"}},
            {"DisplayName": "Old Client", "Active": False},
            {"DisplayName": "Twin Name"},
        ])["Customer"]
        cls.q_acme, cls.q_maria, cls.q_jean, cls.q_zoe, cls.q_old, cls.q_twin = top
        cls.q_west = seed(emulator, realm, Customer=[
            {"DisplayName": "Acme West", "Job": True, "ParentRef": {"value": cls.q_acme},
             "PrimaryEmailAddr": {"Address": "billing@acme.example"},  # the parent's, as jobs often have
             "BillAddr": {"Line1": "200 Sunset Blvd", "City": "Los Angeles", "CountrySubDivisionCode": "CA", **usa}},
        ])["Customer"][0]
        cls.q_project, cls.q_twin_job = seed(emulator, realm, Customer=[
            {"DisplayName": "Acme West Warehouse Project", "Job": True, "IsProject": True,
             "ParentRef": {"value": cls.q_west}},
            {"DisplayName": "Twin Name Job", "Job": True, "ParentRef": {"value": cls.q_twin}},
        ])["Customer"]
        # Stored as given (no API checks): what a damaged or migrated company may hold.
        seed(emulator, realm, Customer=[
            {"Id": "9001", "DisplayName": "Orphan Job", "Job": True, "ParentRef": {"value": "8999"}, "Active": True},
        ])
        cls.q_acme_vendor, cls.q_globex = seed(emulator, realm, Vendor=[
            {"DisplayName": "Acme Supplies", "PrimaryEmailAddr": {"Address": "billing@acme.example"}},
            {"DisplayName": "Globex Parts", "CompanyName": "Globex Parts", "AcctNum": "GX-77"},
        ])["Vendor"]
        items = seed(emulator, realm, Item=[
            {"Name": "Consulting", "Type": "Service", "UnitPrice": 150, "IncomeAccountRef": {"value": "1"}},
            {"Name": "Widget", "Type": "NonInventory", "Sku": "WID-1", "UnitPrice": 20, "PurchaseCost": 8,
             "IncomeAccountRef": {"value": "79"}, "ExpenseAccountRef": {"value": "80"}},
            {"Name": "Garden Hose", "Type": "NonInventory", "UnitPrice": 35.5, "PurchaseCost": 12.25,
             "IncomeAccountRef": {"value": "79"}, "ExpenseAccountRef": {"value": "80"}},
            {"Name": "Landscaping", "Type": "Category"},
            {"Name": LONG_ITEM, "Type": "Service", "UnitPrice": 900, "IncomeAccountRef": {"value": "45"}},
            {"Name": "Discontinued Lamp", "Type": "Service", "UnitPrice": 5, "Active": False,
             "IncomeAccountRef": {"value": "1"}},
        ])["Item"]
        cls.q_consulting, cls.q_widget, cls.q_hose, cls.q_category, cls.q_long, cls.q_lamp = items
        seed(emulator, realm, Item=[{"Id": "9100", "Name": "Broken Price", "Type": "Service", "UnitPrice": "n/a",
                                     "Active": True}])

        # Odoo before the import.
        partner = cls.env["res.partner"]
        cls.maria_right = partner.create({"name": "Maria Garcia", "email": "maria@garcia.example", "customer_rank": 1})
        cls.maria_other = partner.create({"name": "Maria Garcia", "email": "mgarcia@other.example",
                                          "customer_rank": 1})
        cls.jean = partner.create({"name": "Jean Dupont", "phone": "415 555 0199"})
        cls.zoe = partner.create({"name": "ZOË ÅNGSTRÖM"})  # another case, same name
        cls.twin_a = partner.create({"name": "Twin Name", "customer_rank": 1})
        cls.twin_b = partner.create({"name": "Twin Name", "customer_rank": 1})
        cls.emily = partner.create({"name": "Emily Platt", "customer_rank": 1})  # a QuickBooks employee's name
        product = cls.env["product.product"]
        cls.consulting = product.create({"name": "Consulting", "type": "service", "list_price": 140})
        cls.gadget = product.create({"name": "Gadget", "default_code": "WID-1", "type": "consu"})
        cls.long_a = product.create({"name": LONG_ITEM + " (spring)", "type": "service"})
        cls.long_b = product.create({"name": LONG_ITEM + " (autumn)", "type": "service"})

    def setUp(self):
        super().setUp()
        self.connect()
        self.connection.action_sync_references()

    # -- helpers -------------------------------------------------------------------------------

    def wizard(self, **options):
        return self.env["quickbooks.import.wizard"].with_context(default_connection_id=self.connection.id).create(
            options)

    def run_wizard(self, **options):
        wizard = self.wizard(**options)
        wizard.action_preview()
        wizard.action_apply()
        return wizard

    def bound(self, entity, qbo_id):
        binding = self.env["quickbooks.binding"].search([
            ("realm_id", "=", self.realm_id), ("qbo_entity", "=", entity), ("qbo_id", "=", qbo_id)])
        if not binding:
            return None
        return self.env[binding.res_model].with_context(active_test=False).browse(binding.res_id)

    def links(self, entity):
        """``{qbo_id: Odoo record}`` of every link of that type in the realm."""
        bindings = self.env["quickbooks.binding"].search([("realm_id", "=", self.realm_id),
                                                           ("qbo_entity", "=", entity)])
        return {b.qbo_id: self.env[b.res_model].with_context(active_test=False).browse(b.res_id) for b in bindings}

    def skipped(self):
        jobs = self.env["quickbooks.sync.job"].search([
            ("connection_id", "=", self.connection.id), ("operation", "=", "import"), ("state", "=", "skipped")])
        return {(job.qbo_entity, job.record_name): job.fault_message for job in jobs}

    # -- match strategies ------------------------------------------------------------------------

    def test_name_or_contact_links_each_look_alike_to_the_right_record(self):
        wizard = self.wizard(match_strategy="name_or_contact")
        self.assertEqual(wizard.duplicate_resolution, "suffix")  # the connection's default
        wizard.action_preview()
        # The preview writes nothing...
        self.assertFalse(self.links("Customer"))
        self.assertEqual(wizard.state, "preview")
        # ...but says what would happen.
        self.assertEqual(wizard.counts["Customer"]["link"], 3)  # Maria, Jean, Zoë
        self.assertEqual(wizard.counts["Item"]["link"], 2)      # Consulting, Widget (by SKU)
        conflicts = {(line.qbo_entity, line.name) for line in wizard.line_ids}
        self.assertIn(("Customer", "Twin Name"), conflicts)
        self.assertIn(("Item", LONG_ITEM), conflicts)  # two Odoo products are that name cut to 100
        self.assertTrue(wizard.preview_file)
        wizard.action_apply()

        self.assertEqual(self.bound("Customer", self.q_maria), self.maria_right, "the email decides between twins")
        self.assertEqual(self.bound("Customer", self.q_jean), self.jean, "the phone, however written")
        self.assertEqual(self.bound("Customer", self.q_zoe), self.zoe, "the name, whatever its case")
        self.assertEqual(self.bound("Item", self.q_consulting), self.consulting)
        self.assertEqual(self.bound("Item", self.q_widget), self.gadget, "the SKU")
        acme = self.bound("Customer", self.q_acme)
        self.assertEqual(self.bound("Vendor", self.q_acme_vendor), acme, "the vendor with the customer's email")
        self.assertTrue(acme.customer_rank and acme.supplier_rank)
        # Linked records are not changed (only marked as customers where they were not).
        self.assertEqual(self.jean.name, "Jean Dupont")
        self.assertEqual(self.consulting.list_price, 140)
        self.assertEqual(self.jean.customer_rank, 1)
        # Undecided conflicts and what depends on them are skipped, with the reason, in the log.
        self.assertIsNone(self.bound("Customer", self.q_twin))
        skipped = self.skipped()
        self.assertIn("Several Odoo records match equally", skipped[("Customer", "Twin Name")])
        self.assertIn("parent customer Twin Name is not imported", skipped[("Customer", "Twin Name Job")])

    def test_email_strategy_links_only_on_email(self):
        self.run_wizard(match_strategy="email")
        self.assertEqual(self.bound("Customer", self.q_maria), self.maria_right)
        self.assertEqual(self.bound("Vendor", self.q_acme_vendor), self.bound("Customer", self.q_acme))
        for qbo_id, look_alike in ((self.q_jean, self.jean), (self.q_zoe, self.zoe), (self.q_twin, self.twin_a)):
            created = self.bound("Customer", qbo_id)
            self.assertTrue(created)
            self.assertNotIn(created, look_alike | self.twin_b)
        # Items have no email: SKU and name still say they are the same.
        self.assertEqual(self.bound("Item", self.q_widget), self.gadget)

    def test_name_and_contact_strategy_needs_both(self):
        self.run_wizard(match_strategy="name_and_contact")
        self.assertEqual(self.bound("Customer", self.q_maria), self.maria_right)
        self.assertEqual(self.bound("Customer", self.q_jean), self.jean)
        self.assertNotEqual(self.bound("Customer", self.q_zoe), self.zoe, "same name but no contact to agree")
        self.assertNotEqual(self.bound("Vendor", self.q_acme_vendor), self.bound("Customer", self.q_acme),
                            "same email but another name")
        # Twin Name has no contact information: no match, so a partner of its own.
        self.assertNotIn(self.bound("Customer", self.q_twin), self.twin_a | self.twin_b)

    def test_never_match_creates_everything(self):
        partners_before = self.env["res.partner"].with_context(active_test=False).search_count([])
        wizard = self.run_wizard(match_strategy="never")
        odoo_records = self.jean | self.zoe | self.maria_right | self.maria_other | self.twin_a | self.twin_b
        for entity, links in (("Customer", self.links("Customer")), ("Vendor", self.links("Vendor"))):
            self.assertFalse(set(links.values()) & set(odoo_records), entity)
        self.assertNotIn(self.consulting, self.links("Item").values())
        # 9 customers (the orphan job is skipped), 2 vendors, and Acme's delivery address.
        self.assertEqual(self.env["res.partner"].with_context(active_test=False).search_count([]),
                         partners_before + 9 + 2 + 1)
        # ...and 5 products (the category and the item without a valid price are skipped).
        self.assertEqual(wizard.counts["total"]["create"], 9 + 2 + 5)

    # -- what is created ---------------------------------------------------------------------------

    def test_created_records_keep_hierarchy_addresses_and_accounts(self):
        self.run_wizard()
        acme = self.bound("Customer", self.q_acme)
        west = self.bound("Customer", self.q_west)
        project = self.bound("Customer", self.q_project)
        self.assertEqual(project.parent_id, west)
        self.assertEqual(west.parent_id, acme)
        self.assertTrue(acme.is_company)
        self.assertEqual((acme.street, acme.city, acme.zip, acme.state_id.code, acme.country_id.code),
                         ("1 Market St", "San Francisco", "94105", "CA", "US"))
        self.assertEqual((acme.email, acme.phone), ("billing@acme.example", "(415) 555-0100"))
        delivery = acme.child_ids.filtered(lambda p: p.type == "delivery")
        self.assertEqual((delivery.street, delivery.city), ("9 Dock Rd", "Oakland"))
        # The sub-customer keeps its own address and does not overwrite its parent's.
        self.assertEqual((west.type, west.city), ("other", "Los Angeles"))
        self.assertEqual(acme.city, "San Francisco")
        self.assertEqual(project.type, "contact")
        globex = self.bound("Vendor", self.q_globex)
        self.assertEqual((globex.supplier_rank, globex.customer_rank, globex.ref), (1, 0, "GX-77"))

        hose = self.bound("Item", self.q_hose)
        self.assertEqual((hose.type, hose.list_price, hose.standard_price), ("consu", 35.5, 12.25))
        cogs = self.env["quickbooks.reference"].search([
            ("realm_id", "=", self.realm_id), ("qbo_entity", "=", "Account"), ("qbo_id", "=", "80")]).account_id
        self.assertTrue(cogs, "QuickBooks' Cost of Goods Sold is linked to Odoo's")
        self.assertEqual(hose.property_account_expense_id, cogs)
        self.assertIsNone(self.bound("Item", self.q_long), "a conflict, left for a person to decide")
        # The default service item can now be chosen among the reference items, with their product.
        reference = self.env["quickbooks.reference"].search([
            ("realm_id", "=", self.realm_id), ("qbo_entity", "=", "Item"), ("qbo_id", "=", self.q_hose)])
        self.assertEqual(reference.product_id, hose)
        # Nothing was queued for QuickBooks while importing.
        self.assertFalse(self.env["quickbooks.sync.job"].search([
            ("connection_id", "=", self.connection.id), ("operation", "!=", "import")]))

    def test_inactive_records_stay_inactive_and_rerunning_creates_nothing(self):
        first = self.run_wizard()
        old = self.bound("Customer", self.q_old)
        lamp = self.bound("Item", self.q_lamp)
        self.assertEqual((old.name, old.active), ("Old Client", False))
        self.assertFalse(lamp.active)
        partners = self.env["res.partner"].with_context(active_test=False).search_count([])
        products = self.env["product.product"].with_context(active_test=False).search_count([])
        bindings = self.env["quickbooks.binding"].search_count([("realm_id", "=", self.realm_id)])

        second = self.run_wizard()

        self.assertEqual(second.counts["total"].get("create", 0), 0)
        self.assertEqual(second.counts["total"].get("link", 0), 0)
        self.assertEqual(second.already_linked, first.to_link + first.to_create)
        self.assertEqual(self.env["res.partner"].with_context(active_test=False).search_count([]), partners)
        self.assertEqual(self.env["product.product"].with_context(active_test=False).search_count([]), products)
        self.assertEqual(self.env["quickbooks.binding"].search_count([("realm_id", "=", self.realm_id)]), bindings)
        self.assertFalse(self.bound("Customer", self.q_old).active)

    def test_bad_records_are_skipped_with_a_reason(self):
        wizard = self.run_wizard()
        skipped = self.skipped()
        self.assertIn("not in QuickBooks' answer", skipped[("Customer", "Orphan Job")])
        self.assertIn("Category items are not imported", skipped[("Item", "Landscaping")])
        self.assertIn("UnitPrice is not a number", skipped[("Item", "Broken Price")])
        self.assertEqual(wizard.state, "done")
        run = wizard.log_job()
        self.assertEqual((run.operation, run.state), ("import", "done"))
        self.assertEqual(run.summary["total"]["skip"], wizard.to_skip)
        self.assertIn("created", wizard.result_summary)
        attachment = self.env["ir.attachment"].search([("res_model", "=", "quickbooks.sync.job"),
                                                      ("res_id", "=", run.id)])
        self.assertIn(b"Orphan Job", attachment.raw)

    # -- decisions and duplicate names ----------------------------------------------------------

    def test_decisions_taken_in_the_preview_are_applied(self):
        self.twin_a.write({"email": "twin.a@example.com", "city": "Boston"})
        self.twin_b.write({"city": "Denver", "ref": "C-12"})
        wizard = self.wizard()
        wizard.action_preview()
        self.assertIn("To link", wizard.summary_html)
        twin = wizard.line_ids.filtered(lambda line: line.name == "Twin Name")
        self.assertEqual(twin.candidate_partner_ids, self.twin_a | self.twin_b)
        # Candidates that share a name show what tells them apart, in the line and the picker.
        self.assertEqual(twin.candidates, "Twin Name (twin.a@example.com, Boston); Twin Name (Denver, ref C-12)")
        self.assertEqual(self.twin_b.with_context(quickbooks_differentiators=True).display_name,
                         "Twin Name (Denver, ref C-12)")
        self.assertEqual(self.twin_b.display_name, "Twin Name")
        twin.write({"decision": "link", "partner_id": self.twin_b.id})
        long_item = wizard.line_ids.filtered(lambda line: line.name == LONG_ITEM)
        long_item.decision = "create"
        wizard.action_apply()
        # After the import, the table's headings say what was done.
        self.assertIn('<th class="text-end o_qbo_head_link">Linked</th>', wizard.summary_html)
        self.assertIn('<th class="text-end o_qbo_head_create">Created</th>', wizard.summary_html)
        self.assertNotIn("To link", wizard.summary_html)
        self.assertEqual(self.bound("Customer", self.q_twin), self.twin_b)
        self.assertEqual(self.bound("Customer", self.q_twin_job).parent_id, self.twin_b)
        created = self.bound("Item", self.q_long)
        self.assertNotIn(created, self.long_a | self.long_b)
        self.assertEqual(created.name, LONG_ITEM)

    def test_duplicate_names_get_a_differentiator(self):
        self.run_wizard(duplicate_resolution="suffix")
        # Odoo records not in QuickBooks whose name QuickBooks already holds (a customer,
        # an employee, or each other once cut to QuickBooks' length) are sent under another.
        self.assertEqual(self.emily.quickbooks_name, "Emily Platt - 2")
        self.assertEqual(self.maria_other.quickbooks_name, "Maria Garcia - 2")
        self.assertEqual({self.twin_a.quickbooks_name, self.twin_b.quickbooks_name},
                         {"Twin Name - 2", "Twin Name - 3"})
        self.assertEqual(self.long_a.quickbooks_name, LONG_ITEM[:96] + " - 2")
        self.assertEqual(self.long_b.quickbooks_name, LONG_ITEM[:96] + " - 3")
        self.assertFalse(self.maria_right.quickbooks_name)
        # Every name QuickBooks will hold is unique, as QuickBooks requires.
        from ..mapping.customer import display_name  # noqa: PLC0415
        from ..mapping.item import item_name  # noqa: PLC0415

        qbo_names = [obj["DisplayName"].casefold() for entity in ("Customer", "Vendor", "Employee")
                     for obj in self.emulator.control("GET", f"objects?realm_id={self.realm_id}&entity={entity}")[
                         "objects"]]
        linked = set(self.links("Customer").values()) | set(self.links("Vendor").values())
        # This company's customers (other test classes commit companies of their own).
        candidates = self.env["res.partner"].search([("customer_rank", ">", 0),
                                                     ("company_id", "in", [False, self.env.company.id])])
        pending = [display_name(p).casefold() for p in candidates if p not in linked]
        self.assertEqual(len(qbo_names + pending), len(set(qbo_names + pending)))
        items = [item_name(p).casefold() for p in (self.long_a | self.long_b)]
        self.assertEqual(len(set(items + [LONG_ITEM.casefold()])), 3)

    def test_manual_resolution_lists_the_clashes(self):
        wizard = self.wizard(duplicate_resolution="manual")
        wizard.action_preview()
        clashes = wizard.line_ids.filtered(lambda line: line.kind == "name")
        self.assertIn("Emily Platt", clashes.mapped("name"))
        wizard.action_apply()
        self.assertFalse(self.emily.quickbooks_name)
