from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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

# The Odoo model of each link field (one "Odoo record" column in the reference data list).
ODOO_LINK_MODELS = [
    ("account.account", "Account"),
    ("account.payment.term", "Payment Terms"),
    ("account.tax", "Tax"),
    ("account.journal", "Journal"),
    ("res.users", "User"),
    ("account.analytic.account", "Analytic Account"),
    ("product.product", "Product"),
]

# What each reference field of the addon may hold: the QuickBooks list, and for accounts and
# items the QuickBooks types that fit (AccountType; item Type).  One place for the pickers'
# domains (``kind_domain``) and the constraints refusing anything else (``_check_kind``).
REFERENCE_KINDS = {
    "income_account": ("Account", ("Income", "Other Income")),
    "expense_account": ("Account", ("Expense", "Other Expense", "Cost of Goods Sold")),
    "deposit_account": ("Account", ("Bank", "Other Current Asset")),
    "sales_item": ("Item", ("Service", "NonInventory", "Inventory")),
    "class": ("Class", None),
    "department": ("Department", None),
    "tax_code": ("TaxCode", None),
    "payment_method": ("PaymentMethod", None),
}

# QuickBooks' account classification of each AccountType (what ``data.classification`` says).
ACCOUNT_CLASSIFICATION = {
    "Bank": "Asset", "Accounts Receivable": "Asset", "Other Current Asset": "Asset", "Fixed Asset": "Asset",
    "Other Asset": "Asset", "Accounts Payable": "Liability", "Credit Card": "Liability",
    "Other Current Liability": "Liability", "Long Term Liability": "Liability", "Equity": "Equity",
    "Income": "Revenue", "Other Income": "Revenue", "Cost of Goods Sold": "Expense", "Expense": "Expense",
    "Other Expense": "Expense",
}

# Odoo account types that fit a QuickBooks account of each classification (the reference data
# list's account picker).
CLASSIFICATION_ACCOUNT_TYPES = {
    "Asset": ["asset_receivable", "asset_cash", "asset_current", "asset_non_current", "asset_prepayments",
              "asset_fixed"],
    "Liability": ["liability_payable", "liability_credit_card", "liability_current", "liability_non_current"],
    "Equity": ["equity", "equity_unaffected"],
    "Revenue": ["income", "income_other"],
    "Expense": ["expense", "expense_other", "expense_depreciation", "expense_direct_cost"],
}


def kind_domain(kind, prefix=""):
    """The domain (a string, for a field's ``domain``) of the active references of ``kind``,
    after ``prefix`` (more leaves, e.g. the connection)."""
    entity, types = REFERENCE_KINDS[kind]
    leaves = [f"('qbo_entity', '=', {entity!r})", "('active', '=', True)"]
    if types:
        leaves.append(f"('qbo_type', 'in', {list(types)!r})")
    return "[" + ", ".join(([prefix] if prefix else []) + leaves) + "]"


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
    odoo_model_id = fields.Many2one("ir.model", "Odoo Model", compute="_compute_odoo_record")
    odoo_record = fields.Reference(
        ODOO_LINK_MODELS, "Odoo record", compute="_compute_odoo_record", inverse="_inverse_odoo_record",
        help="The Odoo counterpart of this QuickBooks entry (the account, payment terms, tax, journal, user, "
             "analytic account or product, by the entry's type).",
    )
    odoo_record_domain = fields.Json(
        compute="_compute_odoo_record", help="What the Odoo record picker offers for this entry's type."
    )
    odoo_account_types = fields.Json(
        compute="_compute_odoo_account_types",
        help="Odoo account types fitting this QuickBooks account's classification (the account picker's domain).",
    )

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
        if not self.env.su and set(vals) - set(ODOO_LINK_FIELD.values()) - {"odoo_record"}:
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

    @api.depends("qbo_entity", "qbo_type", "data")
    def _compute_odoo_account_types(self):
        for reference in self:
            classification = (reference.data or {}).get("classification") or ACCOUNT_CLASSIFICATION.get(
                reference.qbo_type or "")
            reference.odoo_account_types = CLASSIFICATION_ACCOUNT_TYPES.get(classification, [])

    @api.depends("qbo_entity", "qbo_type", "data", "company_id", *set(ODOO_LINK_FIELD.values()))
    def _compute_odoo_record(self):
        models_by_name = {
            model.model: model for model in self.env["ir.model"].sudo().search(
                [("model", "in", [name for name, _label in ODOO_LINK_MODELS])])
        }
        for reference in self:
            field = ODOO_LINK_FIELD.get(reference.qbo_entity)
            comodel = field and self._fields[field].comodel_name
            reference.odoo_model_id = models_by_name.get(comodel, False)
            record = field and reference[field]
            reference.odoo_record = f"{record._name},{record.id}" if record else False
            reference.odoo_record_domain = reference._odoo_record_domain()

    def _odoo_record_domain(self):
        """The Odoo records this entry may be linked to: of its company, and of a fitting kind
        (an account of the classification QuickBooks gives, a sales tax, a payment journal...)."""
        company_id = self.company_id.id or self.env.company.id
        shared = ["|", ("company_id", "=", False), ("company_id", "=", company_id)]
        entity = self.qbo_entity
        if entity == "Account":
            domain = [("company_ids", "in", [company_id])]
            if self.odoo_account_types:
                domain.append(("account_type", "in", self.odoo_account_types))
            return domain
        if entity in ("TaxCode", "TaxRate"):
            return [("company_id", "=", company_id), ("type_tax_use", "=", "sale")]
        if entity == "PaymentMethod":
            return [("company_id", "=", company_id), ("type", "in", ["bank", "cash", "credit"])]
        if entity == "Employee":
            return [("share", "=", False), ("company_ids", "in", [company_id])]
        if entity in ("Term", "Class", "Department", "Item"):
            return shared
        return []

    def _inverse_odoo_record(self):
        for reference in self:
            field = ODOO_LINK_FIELD.get(reference.qbo_entity)
            if not field:
                continue
            record = reference.odoo_record
            comodel = self._fields[field].comodel_name
            if record and record._name != comodel:
                raise ValidationError(self.env._(
                    "A QuickBooks %(type)s is linked to an Odoo %(expected)s, not to \"%(record)s\".",
                    type=dict(REFERENCE_ENTITIES)[reference.qbo_entity],
                    expected=dict(ODOO_LINK_MODELS)[comodel], record=record.display_name,
                ))
            if reference[field] != (record or self.env[comodel]):
                reference[field] = record or False

    def _kind_problem(self, kind, label, connection=None):
        """Why this reference cannot be used as ``label`` (a field of kind ``kind``), in words;
        None when it fits."""
        self.ensure_one()
        entity, types = REFERENCE_KINDS[kind]
        entity_label = dict(REFERENCE_ENTITIES)
        reference = self.sudo()
        what = f"{entity_label.get(reference.qbo_entity, reference.qbo_entity)}"
        if reference.qbo_type:
            what = f"{what} ({reference.qbo_type})"
        if reference.qbo_entity != entity:
            return self.env._(
                "%(field)s cannot be \"%(name)s\": it is a QuickBooks %(what)s, not a %(expected)s. "
                "Choose one of the company's QuickBooks %(expected)s entries.",
                field=label, name=reference.display_name, what=what, expected=entity_label[entity],
            )
        if types and reference.qbo_type not in types:
            return self.env._(
                "%(field)s cannot be \"%(name)s\": its QuickBooks type is %(type)s; it must be of type %(types)s.",
                field=label, name=reference.display_name, type=reference.qbo_type or self.env._("none"),
                types=", ".join(types),
            )
        if not reference.active:
            return self.env._(
                "%(field)s cannot be \"%(name)s\": it is inactive in QuickBooks, which refuses it in new "
                "transactions. Make it active in QuickBooks and sync reference data, or choose another.",
                field=label, name=reference.display_name,
            )
        elsewhere = connection is not None and (
            reference.connection_id != connection or reference.realm_id != connection.realm_id)
        if elsewhere:
            return self.env._(
                "%(field)s cannot be \"%(name)s\": it belongs to another QuickBooks company than the one "
                "%(company)s is connected to. Sync reference data and choose again.",
                field=label, name=reference.display_name, company=connection.company_id.name,
            )
        return None

    @api.model
    def _check_kinds(self, records, fields_kinds, connection_of=None):
        """Refuse (ValidationError, with the reason) any value of ``records``' reference fields
        that is not of its kind: ``fields_kinds`` maps field names to kinds; ``connection_of``
        gives the record's connection, to refuse another QuickBooks company's entries."""
        for record in records:
            for field_name, kind in fields_kinds.items():
                reference = record[field_name]
                if not reference or reference.sudo().company_id != record.company_id:
                    continue  # another company's entry: check_company refuses it
                connection = connection_of(record) if connection_of else None
                problem = reference._kind_problem(kind, record._fields[field_name].string, connection)
                if problem:
                    raise ValidationError(problem)

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
