"""What the mappings of one batch need, fetched once per batch rather than once per record."""

from collections import defaultdict

from .common import MappingError, MissingDependency, decimal

# Odoo move types and the QuickBooks documents they become (DocNumbers are unique per type).
DOCUMENT_ENTITIES = {"out_invoice": "Invoice", "out_refund": "CreditMemo", "in_invoice": "Bill",
                     "in_refund": "VendorCredit", "in_receipt": "Purchase"}


class MappingContext:
    def __init__(self, env, connection, ledger=None):
        self.env = env
        self.connection = connection
        self.ledger = ledger  # sync.ledger.Ledger: links as committed now (else read in this transaction)
        self._blocked = set()
        self.company = connection.company_id
        self.is_us = (connection.qbo_country or "").upper() in ("US", "USA")
        self.home_currency = connection.qbo_home_currency or self.company.currency_id.name
        self._bindings = defaultdict(dict)
        self._loaded = defaultdict(set)
        self._references = None
        self._by_entity = None
        self._currency_hints = {}
        self._doc_pending = {}  # move id -> (entity, number) not checked against Odoo yet
        self._doc_taken = defaultdict(dict)  # (entity, number) -> {move id: name} of the company's documents
        self._doc_loaded = set()  # numbers already looked up in Odoo (once per batch, not per document)
        self._doc_claimed = {}  # (entity, number) -> move id mapped in this batch

    @property
    def use_sub_customers(self):
        return bool(self.connection.use_sub_customers)

    # -- QuickBooks ids of Odoo records -----------------------------------------------------------

    def load_bindings(self, records, qbo_entity):
        """Fetch, in one query, the links of ``records`` not looked up yet."""
        key = (records._name, qbo_entity)
        missing = set(records.ids) - self._loaded[key]
        if missing:
            if self.ledger is not None:
                found = self.ledger.links(records._name, missing, qbo_entity)
            else:
                found = self.env["quickbooks.binding"]._lookup(self.connection, records._name, missing, qbo_entity)
            self._bindings[key].update(found)
            self._loaded[key] |= missing

    def binding(self, record, qbo_entity):
        self.load_bindings(record, qbo_entity)
        return self._bindings[(record._name, qbo_entity)].get(record.id)

    def remember(self, record, qbo_entity, binding):
        self._bindings[(record._name, qbo_entity)][record.id] = binding
        self._loaded[(record._name, qbo_entity)].add(record.id)

    def block(self, record, qbo_entity):
        """The record's QuickBooks object must not be referred to (it differs from Odoo)."""
        self._blocked.add((record._name, record.id, qbo_entity))

    def ref(self, record, qbo_entity):
        """``{"value": id}`` of the record's QuickBooks object; MissingDependency when it has none
        (or one that must not be used)."""
        binding = self.binding(record, qbo_entity)
        if not binding or (record._name, record.id, qbo_entity) in self._blocked:
            raise MissingDependency(record, qbo_entity)
        return {"value": binding.qbo_id}

    # -- currencies ------------------------------------------------------------------------------------

    def check_currency(self, currency):
        """Amounts in another currency than QuickBooks' home one need an exchange rate to it,
        which Odoo only knows when its company currency is that home currency."""
        home = self.home_currency
        if currency.name != home and self.company.currency_id.name != home:
            raise MappingError(
                self.env._("Odoo's company currency (%(odoo)s) is not QuickBooks' home currency (%(qbo)s).",
                           odoo=self.company.currency_id.name, qbo=home),
                self.env._("Connect this company to a QuickBooks company with the same home currency, or send "
                           "documents in %s only.", home),
            )

    def hint_currency(self, partner, currency):
        """A customer is created in the currency of the first invoice that needs it."""
        if currency and currency.name != self.home_currency:
            self._currency_hints.setdefault(partner.id, currency.name)

    def customer_currency(self, partner):
        return self._currency_hints.get(partner.id)

    # -- reference data ----------------------------------------------------------------------------

    def _load_references(self):
        if self._references is None:
            references = self.env["quickbooks.reference"].sudo().search([
                ("connection_id", "=", self.connection.id),
                ("realm_id", "=", self.connection.realm_id),
            ])
            by_odoo = {}
            by_entity = defaultdict(dict)
            for reference in references:
                by_entity[reference.qbo_entity][reference.qbo_id] = reference
                linked = reference._odoo_record()
                if linked:
                    by_odoo.setdefault((reference.qbo_entity, linked._name, linked.id), reference)
            self._references = by_odoo
            self._by_entity = by_entity

    def reference_for(self, qbo_entity, odoo_record):
        """The active QuickBooks reference linked to ``odoo_record`` (an account, a tax...)."""
        if not odoo_record:
            return None
        self._load_references()
        reference = self._references.get((qbo_entity, odoo_record._name, odoo_record.id))
        return reference if reference and reference.active else None

    def default(self, field_name, label):
        reference = self.connection[field_name]
        if not reference:
            raise MappingError(
                self.env._("No %s is set for QuickBooks.", label),
                self.env._("Choose it under Settings > QuickBooks > Sync defaults."),
            )
        if not reference.active:
            raise MappingError(
                self.env._("The %(label)s %(name)s is inactive in QuickBooks.", label=label, name=reference.name),
                self.env._("Reactivate it in QuickBooks or choose another one in the sync defaults."),
            )
        return reference

    def tax_code(self, tax):
        reference = tax.quickbooks_tax_code_ref_id
        if reference and reference.realm_id != self.connection.realm_id:
            reference = None
        reference = reference or self.reference_for("TaxCode", tax)
        if not reference:
            raise MappingError(
                self.env._("The tax %s is not mapped to a QuickBooks tax code.", tax.display_name),
                self.env._("Link it under QuickBooks > Configuration > Reference data (Tax Codes)."),
            )
        return reference

    # -- tax codes and their rates (non-US tax detail, several taxes on a line) -----------------------

    def code_rates(self, code, purchase=False):
        """QuickBooks ids of the sales (or purchase) tax rates of a TaxCode reference, in
        QuickBooks' order."""
        return list((code.data or {}).get("purchase_rates" if purchase else "sales_rates") or [])

    def rate_percent(self, rate_id):
        self._load_references()
        reference = self._by_entity["TaxRate"].get(str(rate_id))
        value = (reference.data or {}).get("rate") if reference else None
        return decimal(value) if value is not None else None

    def code_percent(self, code, purchase=False):
        """The combined percentage of a tax code (its rates added), None when one is unknown."""
        values = [self.rate_percent(rate_id) for rate_id in self.code_rates(code, purchase)]
        if any(value is None for value in values):
            return None
        return sum(values, decimal(0))

    def code_for_rates(self, rate_ids, purchase=False):
        """The active tax code whose sales (purchase) rates are exactly ``rate_ids`` (one only), or None."""
        self._load_references()
        wanted = set(rate_ids)
        found = [code for code in self._by_entity["TaxCode"].values()
                 if code.active and set(self.code_rates(code, purchase)) == wanted]
        return found[0] if len(found) == 1 else None

    def _own_code(self, tax):
        reference = tax.quickbooks_tax_code_ref_id
        if reference and reference.realm_id != self.connection.realm_id:
            reference = None
        return reference or self.reference_for("TaxCode", tax)

    def rate_of_tax(self, tax, purchase=False):
        """The QuickBooks rate an Odoo tax stands for, without a code to choose from: the rate
        linked to it, or the only rate of its own tax code.  None when neither says."""
        linked = self.reference_for("TaxRate", tax)
        if linked:
            return linked.qbo_id
        own = self._own_code(tax)
        rates = self.code_rates(own, purchase) if own else []
        return rates[0] if len(rates) == 1 else None

    def rate_in_code(self, tax, code, purchase=False):
        """Which rate of ``code`` the Odoo tax ``tax`` (a tax line's tax) is."""
        rates = self.code_rates(code, purchase)
        own = self.rate_of_tax(tax, purchase)
        if own in rates:
            return own
        if len(rates) == 1:
            return rates[0]
        if tax.amount_type == "percent":
            same = [rate_id for rate_id in rates if self.rate_percent(rate_id) == decimal(tax.amount)]
            if len(same) == 1:
                return same[0]
        if not rates:
            raise MappingError(
                self.env._("The QuickBooks tax code %(code)s has no tax rate, but Odoo charges %(tax)s with it: "
                           "QuickBooks would record no tax.", code=code.name, tax=tax.display_name),
                self.env._("Map %s to a QuickBooks tax code that carries its rate.", tax.display_name),
            )
        raise MappingError(
            self.env._("Which rate of the QuickBooks tax code %(code)s is the Odoo tax %(tax)s cannot be told.",
                       code=code.name, tax=tax.display_name),
            self.env._("Link %s to its QuickBooks tax rate under QuickBooks > Configuration > Reference data "
                       "(Tax Rates).", tax.display_name),
        )

    def untaxed_ref(self):
        """The TaxCodeRef of a line QuickBooks must not tax: NON in the US, elsewhere the code
        chosen for untaxed lines."""
        return {"value": "NON"} if self.is_us else self.untaxed_code()._as_ref()

    def untaxed_code(self):
        reference = self.connection.untaxed_tax_code_ref_id
        if not reference or not reference.active or reference.realm_id != self.connection.realm_id:
            raise MappingError(
                self.env._("QuickBooks needs a tax code on every line here, and no code is set for lines "
                           "without tax."),
                self.env._("Choose the tax code for untaxed lines under Settings > QuickBooks > Sync defaults "
                           "(e.g. Out of Scope or Exempt), or put a tax on the line."),
            )
        return reference

    # -- document numbers ----------------------------------------------------------------------------

    def claim_doc_number(self, move, number):
        """Announce the DocNumber a document will be sent with (before mapping the batch), so
        that the numbers already used are looked up once for the whole batch."""
        entity = DOCUMENT_ENTITIES.get(move.move_type)
        if entity and number not in self._doc_loaded and move.id not in self._doc_pending:
            self._doc_pending[move.id] = (entity, number)

    def _load_doc_numbers(self):
        pending = self._doc_pending
        if not pending:
            return
        numbers = sorted({number for _entity, number in pending.values()})
        wanted = set(numbers)
        self._doc_pending = {}
        self._doc_loaded |= wanted
        self.env["account.move"].flush_model(["name", "quickbooks_doc_number", "move_type", "state", "company_id"])
        self.env.cr.execute(
            """SELECT id, name, move_type, state, quickbooks_doc_number FROM account_move
                WHERE company_id = %s AND move_type IN %s
                  AND (name = ANY(%s) OR quickbooks_doc_number = ANY(%s))""",
            (self.company.id, tuple(DOCUMENT_ENTITIES), numbers, numbers),
        )
        for move_id, name, move_type, state, sent in self.env.cr.fetchall():
            entity = DOCUMENT_ENTITIES[move_type]
            if sent:
                self._doc_taken[(entity, sent)][move_id] = name
            if name in wanted and state != "cancel":
                # A document whose own name is that number is sent with it (a cancelled one
                # never sent stays out of QuickBooks).
                self._doc_taken[(entity, name)][move_id] = name

    def doc_number_user(self, move, number):
        """The name of another document of this company that has, or will be sent with, the
        same DocNumber; None when the number is free."""
        entity = DOCUMENT_ENTITIES.get(move.move_type)
        self.claim_doc_number(move, number)
        self._load_doc_numbers()
        others = [name for move_id, name in self._doc_taken.get((entity, number), {}).items() if move_id != move.id]
        if others:
            return sorted(others)[0]
        claimed = self._doc_claimed.setdefault((entity, number), move.id)
        if claimed != move.id:
            return self.env["account.move"].browse(claimed).name
        return None
