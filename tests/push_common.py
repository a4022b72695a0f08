"""A connected company ready to push: reference data linked, sync defaults set, a US sales tax
mapped to the emulator's "California" tax code (8 %)."""

from odoo import Command, fields

from .common import QuickBooksCase

REFERENCE_ENTITIES = ("Account", "Term", "Class", "Department", "PaymentMethod", "TaxCode", "Item")


class PushCase(QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_class()
        cls.client = cls.connection._client()
        cls.references = cls._load_references()
        company = cls.env.company
        cls.tax_ca = cls.env["account.tax"].create({
            "name": "CA sales tax 8%", "amount": 8.0, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": company.id,
        })
        cls.ref("TaxCode", "California").tax_id = cls.tax_ca
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        cls.bank_journal.write({
            "quickbooks_payment_method_ref_id": cls.ref("PaymentMethod", "Check").id,
            "quickbooks_deposit_account_ref_id": cls.ref("Account", "Checking").id,
        })
        cls.connection.sudo().write({
            "references_synced_at": fields.Datetime.now(),
            "default_income_account_ref_id": cls.ref("Account", "Services").id,
            "default_expense_account_ref_id": cls.ref("Account", "Office Expenses").id,
            "default_item_ref_id": cls.ref("Item", "Services").id,
        })
        cls.connection.sudo().sync_enabled = True

    @classmethod
    def _load_references(cls):
        """What "Sync reference data" produces, built here straight from the emulator."""
        Reference = cls.env["quickbooks.reference"].sudo()
        values = []
        for entity in REFERENCE_ENTITIES:
            rows = cls.client.query(f"select * from {entity} where Active in (true, false) maxresults 1000")
            for row in rows.get(entity, []):
                values.append({
                    "connection_id": cls.connection.id, "realm_id": cls.realm_id, "qbo_entity": entity,
                    "qbo_id": row["Id"], "name": row.get("Name") or row.get("DisplayName"),
                    "fully_qualified_name": row.get("FullyQualifiedName"),
                    "qbo_type": row.get("AccountType") or row.get("Type"), "active": row.get("Active", True),
                })
        return Reference.create(values)

    @classmethod
    def ref(cls, entity, name):
        found = cls.references.filtered(lambda r: r.qbo_entity == entity and r.name == name)
        assert len(found) == 1, f"{entity} {name}: {len(found)} found"
        return found

    def setUp(self):
        super().setUp()
        # QuickBooks keeps what earlier tests sent while Odoo rolls back: each test numbers its
        # invoices in a journal of its own so that DocNumbers never collide across tests.
        PushCase._journal_counter = getattr(PushCase, "_journal_counter", 0) + 1
        # Names QuickBooks requires unique are unique per test for the same reason.
        n = self._journal_counter
        self.customer = self.env["res.partner"].create({
            "name": f"Acme Landscaping Corp {n}", "is_company": True, "email": f"billing{n}@acme-landscaping.example",
            "phone": "+1 415 555 0100", "street": "12 Market Street", "city": "San Francisco", "zip": "94105",
            "country_id": self.env.ref("base.us").id, "state_id": self.env.ref("base.state_us_5").id,
        })
        self.product = self.env["product.product"].create({
            "name": f"Garden design {n}", "type": "service", "list_price": 100.0, "standard_price": 40.0,
            "default_code": f"GD-{n}", "taxes_id": [Command.set(self.tax_ca.ids)],
        })
        self.sale_journal = self.env["account.journal"].create({
            "name": f"QuickBooks test sales {self._journal_counter}",
            "code": f"Q{self._journal_counter:03d}",
            "type": "sale",
            "company_id": self.env.company.id,
            "default_account_id": self.env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1).default_account_id.id,
        })

    # -- helpers -----------------------------------------------------------------------------

    def run_queue(self):
        """Run the queue cron as Odoo would, in transactions of its own."""
        self.env.flush_all()
        processed = self.env["quickbooks.sync.job"]._cron_process_queue(time_budget=120)
        self.env.invalidate_all()
        return processed

    def make_invoice(self, lines=None, partner=None, post=True, move_type="out_invoice", **values):
        lines = lines or [{"product_id": self.product.id, "quantity": 2, "price_unit": 100.0}]
        move = self.env["account.move"].create({
            "move_type": move_type,
            "journal_id": values.pop("journal_id", self.sale_journal.id),
            "partner_id": (partner or self.customer).id,
            "invoice_date": values.pop("invoice_date", fields.Date.today()),
            "invoice_line_ids": [Command.create(line) for line in lines],
            **values,
        })
        if post:
            move.action_post()
        return move

    def sync_basics(self):
        """Send the customer and the product on their own first (to aim faults at invoices)."""
        self.customer.action_quickbooks_sync()
        self.product.action_quickbooks_sync()
        self.run_queue()
        assert self.customer.quickbooks_id and self.product.quickbooks_id

    def qbo(self, entity, qbo_id):
        return self.client.read(entity, qbo_id)

    def qbo_count(self, entity, where=""):
        return self.client.query(f"select count(*) from {entity} {where}").get("totalCount", 0)

    def jobs_of(self, records):
        return self.env["quickbooks.sync.job"].search(
            [("res_model", "=", records._name), ("res_id", "in", records.ids)], order="id")
