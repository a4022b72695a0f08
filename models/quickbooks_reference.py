from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

REFERENCE_ENTITIES = [
    ("Account", "Account"),
    ("Term", "Term"),
    ("Class", "Class"),
    ("Department", "Location"),
    ("PaymentMethod", "Payment Method"),
    ("TaxCode", "Tax Code"),
    ("TaxRate", "Tax Rate"),
    ("Employee", "Employee"),
    ("Item", "Product or Service"),
]

# Lists whose entries the sync needs linked to Odoo (the others are optional refinements).
TO_LINK_ENTITIES = ["Account", "Term", "PaymentMethod", "TaxCode"]

# Which Odoo field links each kind of QuickBooks reference to its Odoo counterpart.
ODOO_LINK_FIELD = {
    "Account": "account_id",
    "Term": "payment_term_id",
    "TaxCode": "tax_id",
    "TaxRate": "tax_id",
    "PaymentMethod": "journal_id",
    "Employee": "user_id",
    "Class": "analytic_account_id",
    "Department": "analytic_account_id",
    "Item": "product_id",
}


# QuickBooks' AccountType -> Odoo's account type, for accounts the admin creates from QuickBooks'.
ACCOUNT_TYPES = {
    "Bank": "asset_cash",
    "Accounts Receivable": "asset_receivable",
    "Other Current Asset": "asset_current",
    "Fixed Asset": "asset_fixed",
    "Other Asset": "asset_non_current",
    "Accounts Payable": "liability_payable",
    "Credit Card": "liability_credit_card",
    "Other Current Liability": "liability_current",
    "Long Term Liability": "liability_non_current",
    "Equity": "equity",
    "Income": "income",
    "Other Income": "income_other",
    "Cost of Goods Sold": "expense_direct_cost",
    "Expense": "expense",
    "Other Expense": "expense",
}


class QuickbooksReference(models.Model):
    """A QuickBooks list entry (account, term, class, tax code...) of one connected company,
    and the Odoo record it stands for, when there is one.

    Imported by "Sync reference data"; nothing in Odoo's chart of accounts is created or
    changed without the admin choosing it.
    """

    _name = "quickbooks.reference"
    _description = "QuickBooks Reference Data"
    _order = "qbo_entity, fully_qualified_name, name, id"
    _check_company_auto = True

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    realm_id = fields.Char("QuickBooks Company ID", required=True)
    qbo_entity = fields.Selection(REFERENCE_ENTITIES, "QuickBooks Type", required=True)
    qbo_id = fields.Char("QuickBooks ID", required=True)
    name = fields.Char(required=True)
    fully_qualified_name = fields.Char("Full Name")
    qbo_type = fields.Char("Type", help="AccountType, Item Type, tax code kind...")
    qbo_subtype = fields.Char("Detail Type")
    acct_num = fields.Char("Account Number")
    active = fields.Boolean(default=True, help="Inactive in QuickBooks: kept for history, never sent.")
    data = fields.Json(help="Other facts the sync needs (rate, due days, classification...).")

    account_id = fields.Many2one("account.account", "Odoo Account", index="btree_not_null",
                                 check_company=True)
    payment_term_id = fields.Many2one("account.payment.term", "Odoo Payment Terms", check_company=True)
    tax_id = fields.Many2one("account.tax", "Odoo Tax", check_company=True)
    journal_id = fields.Many2one("account.journal", "Odoo Journal", check_company=True)
    user_id = fields.Many2one("res.users", "Odoo User")
    analytic_account_id = fields.Many2one("account.analytic.account", "Odoo Analytic Account", check_company=True)
    product_id = fields.Many2one("product.product", "Odoo Product", check_company=True)
    is_linked = fields.Boolean("Linked", compute="_compute_is_linked", store=True)

    _qbo_uniq = models.UniqueIndex("(realm_id, qbo_entity, qbo_id)", "This QuickBooks object is already listed.")

    @api.depends(*set(ODOO_LINK_FIELD.values()), "qbo_entity")
    def _compute_is_linked(self):
        for reference in self:
            field = ODOO_LINK_FIELD.get(reference.qbo_entity)
            reference.is_linked = bool(field and reference[field])

    @api.depends("qbo_entity", "name", "fully_qualified_name", "acct_num")
    def _compute_display_name(self):
        for reference in self:
            name = reference.fully_qualified_name or reference.name or ""
            if reference.acct_num:
                name = f"{reference.acct_num} {name}"
            reference.display_name = name

    @api.model
    def _to_link_domain(self):
        """Active entries of the lists the sync relies on, not linked to Odoo yet."""
        return [("active", "=", True), ("is_linked", "=", False), ("qbo_entity", "in", TO_LINK_ENTITIES)]

    def write(self, vals):
        if not self.env.su and set(vals) - set(ODOO_LINK_FIELD.values()):
            raise AccessError(self.env._(
                "QuickBooks reference data is read from QuickBooks (Sync reference data): only its links "
                "to Odoo records can be changed."
            ))
        result = super().write(vals)
        if vals.get("tax_id"):
            # Invoices read the code from the tax: fill it where the tax has none yet.
            for reference in self.filtered(lambda r: r.qbo_entity == "TaxCode" and r.tax_id):
                if not reference.tax_id.quickbooks_tax_code_ref_id:
                    reference.tax_id.quickbooks_tax_code_ref_id = reference
        if vals.get("journal_id"):
            # Payments read the method from their journal: keep the journal's setting in step
            # when it has none yet (a journal may deliberately use another method).
            for reference in self.filtered(lambda r: r.qbo_entity == "PaymentMethod" and r.journal_id):
                if not reference.journal_id.quickbooks_payment_method_ref_id:
                    reference.journal_id.quickbooks_payment_method_ref_id = reference
        return result

    def action_open_odoo_record(self):
        self.ensure_one()
        self.check_access("read")
        record = self._odoo_record()
        if not record:
            raise UserError(self.env._("%s is not linked to an Odoo record yet.", self.display_name))
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "target": "current"}

    def action_create_in_odoo(self):
        """Create the Odoo counterpart of the selected, unlinked entries, and link it: what the
        admin chooses for QuickBooks terms, classes, locations and numbered accounts (nothing
        is ever created in Odoo's chart of accounts otherwise)."""
        self.check_access("write")
        creatable = {"Account", "Term", "Class", "Department"}
        todo = self.filtered(lambda r: r.qbo_entity in creatable and not r.is_linked)
        unnumbered = todo.filtered(lambda r: r.qbo_entity == "Account" and not r.acct_num)
        if unnumbered:
            raise UserError(self.env._(
                "These QuickBooks accounts have no number, which Odoo needs as the account code: %s. "
                "Number them in QuickBooks (and sync again), or create the accounts in Odoo and link them.",
                ", ".join(unnumbered.mapped("name")),
            ))
        for reference in todo:
            reference[ODOO_LINK_FIELD[reference.qbo_entity]] = reference._create_odoo_counterpart()
        return {"type": "ir.actions.client", "tag": "soft_reload"}

    def _create_odoo_counterpart(self):
        self.ensure_one()
        company = self.company_id
        if self.qbo_entity == "Account":
            account_type = ACCOUNT_TYPES.get(self.qbo_type)
            if not account_type:
                raise UserError(self.env._("QuickBooks account type %(type)s of %(name)s has no Odoo equivalent.",
                                           type=self.qbo_type, name=self.name))
            return self.env["account.account"].with_company(company).create({
                "code": self.acct_num, "name": self.name, "account_type": account_type,
                "company_ids": [(6, 0, company.ids)],
            })
        if self.qbo_entity == "Term":
            days = int((self.data or {}).get("DueDays") or 0)
            return self.env["account.payment.term"].create({
                "name": self.name, "company_id": company.id,
                "line_ids": [(0, 0, {"value": "percent", "value_amount": 100.0, "delay_type": "days_after",
                                     "nb_days": days})],
            })
        if self.qbo_entity == "Class":
            plan_name = self.env._("QuickBooks Classes")
        else:
            plan_name = self.env._("QuickBooks Locations")
        plans = self.env["account.analytic.plan"]
        plan = plans.search([("name", "=", plan_name)], limit=1) or plans.create({"name": plan_name})
        return self.env["account.analytic.account"].create({
            "name": self.name, "plan_id": plan.id, "company_id": company.id,
        })

    def _odoo_record(self):
        self.ensure_one()
        field = ODOO_LINK_FIELD.get(self.qbo_entity)
        return self[field] if field else None

    def _as_ref(self):
        """The QuickBooks reference object: ``{"value": id, "name": name}``."""
        self.ensure_one()
        return {"value": self.qbo_id, "name": self.name}
