"""What the mappings of one batch need, fetched once per batch rather than once per record."""

from collections import defaultdict

from .common import MappingError, MissingDependency


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
        self._currency_hints = {}

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
            for reference in references:
                linked = reference._odoo_record()
                if linked:
                    by_odoo.setdefault((reference.qbo_entity, linked._name, linked.id), reference)
            self._references = by_odoo

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
