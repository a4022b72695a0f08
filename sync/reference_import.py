"""Sync reference data: QuickBooks' lists (accounts, terms, classes, locations, payment
methods, tax codes and rates, employees, items) into ``quickbooks.reference``, matched to
their Odoo counterparts where the match is unambiguous.

* Every list is read in full, inactive entries included (``Active IN (true, false)``), 1,000
  rows per query as QuickBooks allows.
* Entries are upserted by QuickBooks id: new, updated (name, number, type, active flag, facts),
  deactivated (made inactive in QuickBooks, or gone from a list that allows deleting).
* Matching only ever *links*: it fills an empty link with the one Odoo record that fits, never
  changes a link someone chose, and never creates or changes anything in Odoo's chart of
  accounts, taxes, terms or journals.  An Odoo record already linked to another entry of the
  same list is not offered twice; a key shared by two candidates on either side is no match.
"""

import logging
from collections import defaultdict

from odoo import fields
from odoo.tools import LazyTranslate

from ..mapping.matching import normalize_email, normalize_name
from ..transport.errors import QuickBooksError
from .progress import ImportRun, lock_connection

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

PAGE_SIZE = 1000

# Read in this order: tax rates before tax codes (a code's rate is the sum of its rates).
ENTITIES = ["Account", "Term", "Class", "Department", "PaymentMethod", "TaxRate", "TaxCode", "Employee", "Item"]
LABELS = {
    "Account": _lt("Accounts"), "Term": _lt("Terms"), "Class": _lt("Classes"), "Department": _lt("Locations"),
    "PaymentMethod": _lt("Payment methods"), "TaxRate": _lt("Tax rates"), "TaxCode": _lt("Tax codes"),
    "Employee": _lt("Employees"), "Item": _lt("Products and services"),
}
# QuickBooks' account classification -> Odoo's account internal group.
CLASSIFICATION_GROUP = {
    "Asset": "asset", "Liability": "liability", "Equity": "equity", "Revenue": "income", "Expense": "expense",
}
# Tracked fields of a reference; a change in any of them counts as an update.
TRACKED = ("name", "fully_qualified_name", "qbo_type", "qbo_subtype", "acct_num", "active", "data")


def _ref_value(obj, key):
    ref = obj.get(key) or {}
    return ref.get("value") if isinstance(ref, dict) else None


def reference_values(entity, obj):
    """The fields of a ``quickbooks.reference`` for one QuickBooks list entry."""
    name = obj.get("DisplayName") if entity == "Employee" else obj.get("Name")
    name = (name or obj.get("FullyQualifiedName") or str(obj.get("Id"))).strip()
    values = {
        "name": name,
        "fully_qualified_name": obj.get("FullyQualifiedName") or False,
        "qbo_type": False,
        "qbo_subtype": False,
        "acct_num": False,
        "active": obj.get("Active", True) is not False,
    }
    data = {}
    if entity == "Account":
        values.update(qbo_type=obj.get("AccountType") or False, qbo_subtype=obj.get("AccountSubType") or False,
                      acct_num=obj.get("AcctNum") or False)
        data = {"classification": obj.get("Classification"), "currency": _ref_value(obj, "CurrencyRef"),
                "parent": _ref_value(obj, "ParentRef")}
    elif entity == "Term":
        values["qbo_type"] = obj.get("Type") or False
        data = {key: obj.get(key) for key in ("DueDays", "DiscountPercent", "DiscountDays", "DayOfMonthDue",
                                              "DueNextMonthDays", "DiscountDayOfMonth") if obj.get(key) is not None}
    elif entity in ("Class", "Department"):
        data = {"parent": _ref_value(obj, "ParentRef")}
    elif entity == "PaymentMethod":
        values["qbo_type"] = obj.get("Type") or False
    elif entity == "TaxRate":
        values["qbo_type"] = obj.get("SpecialTaxType") or False
        data = {"rate": obj.get("RateValue"), "agency": _ref_value(obj, "AgencyRef")}
    elif entity == "TaxCode":
        values["qbo_type"] = "group" if obj.get("TaxGroup") else ("taxable" if obj.get("Taxable") else "exempt")
        rates = ((obj.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
        purchase = ((obj.get("PurchaseTaxRateList") or {}).get("TaxRateDetail")) or []
        data = {"sales_rates": [_ref_value(r, "TaxRateRef") for r in rates if _ref_value(r, "TaxRateRef")],
                "purchase_rates": [_ref_value(r, "TaxRateRef") for r in purchase if _ref_value(r, "TaxRateRef")],
                "description": obj.get("Description")}
    elif entity == "Employee":
        data = {"email": (obj.get("PrimaryEmailAddr") or {}).get("Address"),
                "given_name": obj.get("GivenName"), "family_name": obj.get("FamilyName")}
    elif entity == "Item":
        values.update(qbo_type=obj.get("Type") or False, acct_num=obj.get("Sku") or False)
        data = {"unit_price": obj.get("UnitPrice"), "income_account": _ref_value(obj, "IncomeAccountRef"),
                "expense_account": _ref_value(obj, "ExpenseAccountRef")}
    values["data"] = {key: value for key, value in data.items() if value not in (None, "", [])} or False
    return values


def _unique_pairs(qbo_keys, odoo_keys, compatible=None):
    """``{reference: odoo_id}`` for keys that name exactly one entry on each side.

    ``qbo_keys``: ``{reference: key}``; ``odoo_keys``: ``{key: [odoo records]}``;
    ``compatible(reference, record)`` filters the Odoo candidates of a reference."""
    by_key = defaultdict(list)
    for reference, key in qbo_keys.items():
        if key:
            by_key[key].append(reference)
    pairs = {}
    for key, references in by_key.items():
        if len(references) != 1:
            continue
        reference = references[0]
        candidates = {record for record in odoo_keys.get(key) or []
                      if compatible is None or compatible(reference, record)}
        if len(candidates) == 1:
            pairs[reference] = next(iter(candidates)).id
    return pairs


class ReferenceImporter:
    """Reads one connection's reference lists from QuickBooks and matches them to Odoo."""

    def __init__(self, connection, client=None, notify=True):
        connection.ensure_one()
        self.origin = connection
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.company = self.connection.company_id
        self.client = client
        self.notify = notify
        self.counts = {"new": 0, "updated": 0, "deactivated": 0, "unchanged": 0, "matched": 0}
        self.per_entity = {}

    # -- the run -----------------------------------------------------------------------------

    def run(self):
        """Read every list, upsert, match; returns the summary (also kept on the connection)."""
        connection = self.connection
        lock_connection(connection)
        run = ImportRun(self.origin, self.env._("Sync reference data"), qbo_entity="References",
                        notify=self.notify).start()
        try:
            client = self.client or connection._client()
            total = len(ENTITIES)
            for position, entity in enumerate(ENTITIES, start=1):
                label = str(LABELS[entity])
                run.step(self.env._("Reading %(list)s (%(n)s of %(total)s)", list=label, n=position, total=total),
                         notify=True)
                select = "*, Sku" if entity == "Item" else "*"
                rows = list(client.query_all(
                    f"select {select} from {entity} where Active IN (true, false)",  # noqa: S608
                    entity, page_size=PAGE_SIZE,
                ))
                self.per_entity[entity] = self._upsert(entity, rows)
            # The books' closing date: what is dated on or before it is refused before sending.
            prefs = client.preferences()
            close_date = (prefs.get("AccountingInfoPrefs") or {}).get("BookCloseDate") or False
            run.step(self.env._("Matching with Odoo"))
            self.counts["matched"] = self.match()
            summary = self.summary()
            now = fields.Datetime.now()
            connection.write({
                "book_close_date": close_date and fields.Date.to_date(close_date[:10]),
                "references_synced_at": now,
                "references_summary": self.summary_text(summary),
                # "Last sync" in the settings: reading QuickBooks' lists is a sync too.
                "last_sync_at": max(now, connection.last_sync_at or now),
            })
            self.env.flush_all()
        except QuickBooksError as exc:
            run.fail(exc.message, exc.hint)
            raise
        except Exception as exc:
            run.fail(str(exc), self.env._("Unexpected error; see the server log."))
            raise
        run.finish(summary, self.summary_text(summary))
        return summary

    def summary(self):
        references = self.env["quickbooks.reference"].sudo()
        unmatched = references.search_count(self._unmatched_domain())
        return dict(self.counts, unmatched=unmatched,
                    lists=dict(self.per_entity))

    def _unmatched_domain(self):
        return [("connection_id", "=", self.connection.id), ("realm_id", "=", self.connection.realm_id),
                ("active", "=", True), ("is_linked", "=", False),
                ("qbo_entity", "in", ["Account", "Term", "PaymentMethod", "TaxCode"])]

    def summary_text(self, summary):
        return self.env._(
            "%(new)s new, %(updated)s updated, %(deactivated)s deactivated, %(unmatched)s to link",
            new=summary["new"], updated=summary["updated"], deactivated=summary["deactivated"],
            unmatched=summary["unmatched"],
        )

    # -- upsert ------------------------------------------------------------------------------

    def _upsert(self, entity, rows):
        connection = self.connection
        model = self.env["quickbooks.reference"].sudo().with_context(active_test=False)
        existing = {
            reference.qbo_id: reference
            for reference in model.search([
                ("connection_id", "=", connection.id), ("realm_id", "=", connection.realm_id),
                ("qbo_entity", "=", entity),
            ])
        }
        counts = {"new": 0, "updated": 0, "deactivated": 0, "unchanged": 0}
        to_create = []
        seen = set()
        for obj in rows:
            qbo_id = str(obj.get("Id") or "")
            if not qbo_id or qbo_id in seen:
                continue
            seen.add(qbo_id)
            values = reference_values(entity, obj)
            reference = existing.get(qbo_id)
            if reference is None:
                to_create.append(dict(values, connection_id=connection.id, realm_id=connection.realm_id,
                                      qbo_entity=entity, qbo_id=qbo_id))
                counts["new"] += 1
                continue
            changed = {key: value for key, value in values.items() if (reference[key] or False) != value}
            if not changed:
                counts["unchanged"] += 1
                continue
            if reference.active and changed.get("active") is False:
                counts["deactivated"] += 1
            else:
                counts["updated"] += 1
            reference.write(changed)
        if to_create:
            model.create(to_create)
        # Name lists cannot be deleted in QuickBooks, only made inactive; an entry that is no
        # longer listed at all (a tax code removed by Intuit) is kept inactive for history.
        gone = model.browse([r.id for qbo_id, r in existing.items() if qbo_id not in seen and r.active])
        if gone:
            gone.write({"active": False})
            counts["deactivated"] += len(gone)
        for key, value in counts.items():
            self.counts[key] += value
        return counts

    # -- matching ------------------------------------------------------------------------------

    def _unlinked(self, entity, field):
        return self.env["quickbooks.reference"].sudo().search([
            ("connection_id", "=", self.connection.id), ("realm_id", "=", self.connection.realm_id),
            ("qbo_entity", "=", entity), ("active", "=", True), (field, "=", False),
        ])

    def _taken(self, entity, field):
        """Odoo ids already linked to an entry of this list (they are not offered again)."""
        rows = self.env["quickbooks.reference"].sudo().with_context(active_test=False)._read_group(
            [("connection_id", "=", self.connection.id), ("realm_id", "=", self.connection.realm_id),
             ("qbo_entity", "=", entity), (field, "!=", False)],
            groupby=[field],
        )
        return {record.id for (record,) in rows}

    def _link(self, entity, field, pairs):
        # write() keeps the Odoo side in step (a tax's code, a journal's payment method).
        for reference, odoo_id in pairs.items():
            reference.write({field: odoo_id})
        return len(pairs)

    def match(self):
        """Fill empty links where exactly one Odoo record fits; returns how many were linked."""
        return sum(method() for method in (
            self._match_accounts, self._match_terms, self._match_tax_codes, self._match_tax_rates,
            self._match_payment_methods, self._match_employees, self._match_analytic, self._match_items,
        ))

    def _pairs_in_order(self, references, field, entity, odoo_records, keyers, compatible=None):
        """Try each ``(qbo key, odoo keys)`` pair of functions in turn on what is still unmatched."""
        taken = self._taken(entity, field)
        candidates = odoo_records.filtered(lambda record: record.id not in taken)
        linked = 0
        remaining = references
        for qbo_key, odoo_key in keyers:
            odoo_keys = defaultdict(list)
            for record in candidates:
                for key in set(odoo_key(record)):
                    if key:
                        odoo_keys[key].append(record)
            pairs = _unique_pairs({reference: qbo_key(reference) for reference in remaining}, odoo_keys, compatible)
            linked += self._link(entity, field, pairs)
            used = set(pairs.values())
            candidates = candidates.filtered(lambda record, used=used: record.id not in used)
            remaining = remaining.filtered(lambda reference, pairs=pairs: reference not in pairs)
        return linked

    def _match_accounts(self):
        """By number, then by name; QuickBooks' classification must agree with Odoo's group."""
        references = self._unlinked("Account", "account_id")
        if not references:
            return 0
        company = self.company
        accounts = self.env["account.account"].with_company(company).sudo().search(
            self.env["account.account"]._check_company_domain(company)
        )

        def compatible(reference, account):
            group = CLASSIFICATION_GROUP.get((reference.data or {}).get("classification"))
            return not group or not account.internal_group or account.internal_group == group

        return self._pairs_in_order(references, "account_id", "Account", accounts, [
            (lambda r: (r.acct_num or "").strip().casefold(), lambda a: [(a.code or "").strip().casefold()]),
            (lambda r: normalize_name(r.name), lambda a: [normalize_name(a.name)]),
        ], compatible=compatible)

    def _match_terms(self):
        references = self._unlinked("Term", "payment_term_id")
        if not references:
            return 0
        terms = self.env["account.payment.term"].sudo().search(
            self.env["account.payment.term"]._check_company_domain(self.company)
        )

        def due_days(term):
            lines = term.line_ids
            if (len(lines) == 1 and lines.value == "percent" and lines.delay_type == "days_after"
                    and not term.early_discount):
                return [f"days:{lines.nb_days}"]
            return []

        def qbo_due_days(reference):
            data = reference.data or {}
            if reference.qbo_type == "STANDARD" and data.get("DueDays") is not None and not data.get("DiscountPercent"):
                return f"days:{int(data['DueDays'])}"
            return None

        return self._pairs_in_order(references, "payment_term_id", "Term", terms, [
            (lambda r: normalize_name(r.name), lambda t: [normalize_name(t.name)]),
            (qbo_due_days, due_days),
        ])

    def _sale_taxes(self):
        return self.env["account.tax"].sudo().search([
            *self.env["account.tax"]._check_company_domain(self.company), ("type_tax_use", "=", "sale"),
        ])

    def _match_tax_codes(self):
        references = self._unlinked("TaxCode", "tax_id")
        if not references:
            return 0
        rates = {
            reference.qbo_id: (reference.data or {}).get("rate")
            for reference in self.env["quickbooks.reference"].sudo().with_context(active_test=False).search([
                ("connection_id", "=", self.connection.id), ("realm_id", "=", self.connection.realm_id),
                ("qbo_entity", "=", "TaxRate"),
            ])
        }

        def code_rate(reference):
            # US "TAX" / "NON" are pseudo codes without rates: never matched by rate.
            ids = (reference.data or {}).get("sales_rates") or []
            values = [rates.get(rate_id) for rate_id in ids]
            if not values or any(value is None for value in values):
                return None
            return f"rate:{round(sum(float(v) for v in values), 4)}"

        def tax_rate(tax):
            if tax.amount_type == "percent":
                return [f"rate:{round(tax.amount, 4)}"]
            if tax.amount_type == "group" and all(c.amount_type == "percent" for c in tax.children_tax_ids):
                return [f"rate:{round(sum(tax.children_tax_ids.mapped('amount')), 4)}"]
            return []

        taxes = self._sale_taxes()
        # A tax already given a code (on the tax itself) is not offered to another code.
        taxes = taxes.filtered(lambda tax: not tax.quickbooks_tax_code_ref_id
                               or tax.quickbooks_tax_code_ref_id.realm_id != self.connection.realm_id)
        return self._pairs_in_order(references, "tax_id", "TaxCode", taxes, [
            (lambda r: normalize_name(r.name), lambda t: [normalize_name(t.name)]),
            (code_rate, tax_rate),
        ])

    def _match_tax_rates(self):
        references = self._unlinked("TaxRate", "tax_id")
        if not references:
            return 0
        return self._pairs_in_order(references, "tax_id", "TaxRate", self._sale_taxes(), [
            (lambda r: normalize_name(r.name), lambda t: [normalize_name(t.name)]),
        ])

    def _match_payment_methods(self):
        references = self._unlinked("PaymentMethod", "journal_id")
        if not references:
            return 0
        journals = self.env["account.journal"].sudo().search([
            ("company_id", "=", self.company.id), ("type", "in", ("bank", "cash", "credit")),
        ])
        linked = self._pairs_in_order(references, "journal_id", "PaymentMethod", journals, [
            (lambda r: normalize_name(r.name), lambda j: [normalize_name(j.name)]),
        ])
        return linked

    def _match_employees(self):
        references = self._unlinked("Employee", "user_id")
        if not references:
            return 0
        users = self.env["res.users"].sudo().search([
            ("share", "=", False), ("company_ids", "in", self.company.id),
        ])

        def qbo_full_name(reference):
            data = reference.data or {}
            return normalize_name(" ".join(p for p in (data.get("given_name"), data.get("family_name")) if p))

        return self._pairs_in_order(references, "user_id", "Employee", users, [
            (lambda r: normalize_name(r.name), lambda u: [normalize_name(u.name)]),
            (qbo_full_name, lambda u: [normalize_name(u.name)]),
            (lambda r: normalize_email((r.data or {}).get("email")),
             lambda u: [normalize_email(u.email), normalize_email(u.login)]),
        ])

    def _match_analytic(self):
        accounts = self.env["account.analytic.account"].sudo().search(
            self.env["account.analytic.account"]._check_company_domain(self.company)
        )
        linked = 0
        for entity in ("Class", "Department"):
            references = self._unlinked(entity, "analytic_account_id")
            if references:
                linked += self._pairs_in_order(references, "analytic_account_id", entity, accounts, [
                    (lambda r: normalize_name(r.name), lambda a: [normalize_name(a.name)]),
                ])
        return linked

    def _match_items(self):
        """Items are linked to the products the import wizard linked or created (bindings)."""
        references = self._unlinked("Item", "product_id")
        if not references:
            return 0
        bindings = self.env["quickbooks.binding"]._lookup_qbo(self.connection, "Item", references.mapped("qbo_id"))
        linked = 0
        for reference in references:
            binding = bindings.get(reference.qbo_id)
            if binding and binding.res_model == "product.product":
                reference.product_id = binding.res_id
                linked += 1
        return linked
