"""A connected company ready to push: reference data linked, sync defaults set, a US sales tax
mapped to the emulator's "California" tax code (8 %)."""

from odoo import Command, fields

from ..sync.reference_import import reference_values
from .common import QuickBooksCase

REFERENCE_ENTITIES = ("Account", "Term", "Class", "Department", "PaymentMethod", "TaxRate", "TaxCode", "Item")


def load_references(connection, client):
    """What "Sync reference data" produces (the same fields and facts: tax codes' rates, rates'
    percentages), built here straight from the emulator."""
    Reference = connection.env["quickbooks.reference"].sudo()
    values = []
    for entity in REFERENCE_ENTITIES:
        rows = client.query(f"select * from {entity} where Active in (true, false) maxresults 1000")
        for row in rows.get(entity, []):
            values.append(dict(reference_values(entity, row), connection_id=connection.id,
                               realm_id=connection.realm_id, qbo_entity=entity, qbo_id=str(row["Id"])))
    return Reference.create(values)


class PushSetupMixin:
    """Reference data, tax mapping and sync defaults on an already connected company."""

    @classmethod
    def setup_push(cls):
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
        return load_references(cls.connection, cls.client)

    @classmethod
    def ref(cls, entity, name):
        found = cls.references.filtered(lambda r: r.qbo_entity == entity and r.name == name)
        assert len(found) == 1, f"{entity} {name}: {len(found)} found"
        return found


class PushCase(PushSetupMixin, QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connect_class()
        cls.setup_push()

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


class CanadaPushCase(PushCase):
    """A Canadian company: Odoo books in CAD connected to the emulator's ``ca`` QuickBooks
    company (GST 5 %, HST ON 13 %, PST BC 7 %, zero-rated, exempt and out-of-scope codes).
    ``tax_ca`` is HST ON here, so that PushCase's customer and product serve as they are."""

    @classmethod
    def setUpClass(cls):
        super(PushCase, cls).setUpClass()  # QuickBooksCase: an emulator, nothing connected yet
        cad = cls.env.ref("base.CAD")
        cad.active = True
        company = cls.env["res.company"].create({
            "name": "Maple Books Ltd", "currency_id": cad.id, "country_id": cls.env.ref("base.ca").id,
        })
        cls.env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        company.currency_id = cad  # the generic chart brings USD
        cls.env.user.company_ids |= company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.company = company
        cls.realm_id = cls.emulator.new_realm(company_name="Maple Books", fixture="ca")
        cls.connection = company._quickbooks_connection().with_env(cls.env)
        cls.connection.sudo().write({"environment": "custom", "custom_url": cls.emulator.url,
                                     "client_id": cls.client_id, "client_secret": cls.client_secret})
        cls.connect_class()
        cls.client = cls.connection._client()
        cls.references = cls._load_references()

        def tax(name, amount, code=None, **values):
            record = cls.env["account.tax"].create({
                "name": name, "amount": amount, "amount_type": "percent", "type_tax_use": "sale",
                "company_id": company.id, **values})
            if code:
                record.quickbooks_tax_code_ref_id = cls.ref("TaxCode", code)
            return record

        cls.gst = tax("GST 5%", 5.0, "GST")
        cls.hst = tax("HST ON 13%", 13.0, "HST ON")
        cls.pst = tax("PST BC 7%", 7.0)
        cls.ref("TaxRate", "PST BC").tax_id = cls.pst
        cls.ref("TaxRate", "GST").tax_id = cls.gst
        cls.zero_rated = tax("Zero-rated 0%", 0.0, "Zero-rated")
        cls.exempt = tax("Exempt 0%", 0.0, "Exempt")
        cls.tax_ca = cls.hst
        cls.bank_journal = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1)
        income = cls.references.filtered(lambda r: r.qbo_entity == "Account" and r.qbo_type == "Income")[:1]
        expense = cls.references.filtered(lambda r: r.qbo_entity == "Account" and r.qbo_type == "Expense")[:1]
        item = cls.references.filtered(lambda r: r.qbo_entity == "Item" and r.qbo_type == "Service")[:1]
        cls.connection.sudo().write({
            "references_synced_at": fields.Datetime.now(), "default_income_account_ref_id": income.id,
            "default_expense_account_ref_id": expense.id, "default_item_ref_id": item.id,
            "untaxed_tax_code_ref_id": cls.ref("TaxCode", "Out of Scope").id,
        })
        cls.connection.sudo().sync_enabled = True
