"""The reconciliation of one QuickBooks company with Odoo's books, for a date range.

Both sides are read in bulk and compared as an accountant would:

* customers and items: linked (and then their name, e-mail, active flag compared), only in
  Odoo, only in QuickBooks;
* each invoice, credit note and payment of the period: total, tax, balance, currency and
  the documents it is linked to (an invoice's payments, the invoices a payment pays and how
  much); a document on one side only is a difference;
* the receivable balance of each linked customer (QuickBooks' Balance, with its jobs, against
  the open receivable items Odoo holds for the customer, in the customer's currency).

QuickBooks is read with queries only, never one object at a time: a ``count(*)`` per entity
(all in one batch request), then 1,000-row pages, up to ``PAGES_PER_REQUEST`` in a batch
request, so that N objects cost ceil(N / 1000) pages; linked documents dated outside the
period are fetched by id lists, 1,000 ids a query.
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
"""

from collections import defaultdict

from ..mapping import customer as customer_map
from ..mapping import item as item_map
from ..mapping import payment as payment_map
from ..mapping.common import ZERO, MappingError, amount, decimal, quote
from ..transport.errors import QuickBooksFault

PAGE_SIZE = 1000
PAGES_PER_REQUEST = 10  # query items per batch request (QuickBooks takes 30; answers stay a few MB)
DOCUMENT_ENTITIES = {"out_invoice": "Invoice", "out_refund": "CreditMemo"}
SECTIONS = [
    ("customer", "Customer"),
    ("item", "Product"),
    ("invoice", "Invoice"),
    ("credit_memo", "Credit Note"),
    ("payment", "Payment"),
    ("receivable", "Receivable Balance"),
]
STATUSES = [
    ("matched", "Same"),
    ("different", "Different"),
    ("only_odoo", "Only in Odoo"),
    ("only_qbo", "Only in QuickBooks"),
]
PRODUCT_ITEM_TYPES = ("Service", "NonInventory", "Inventory")


class QuickBooksReader:
    """Paged bulk reads through the batch endpoint."""

    def __init__(self, client):
        self.client = client
        self.pages = defaultdict(int)  # entity -> query pages read
        self.counts = {}  # entity -> objects QuickBooks counted for the period

    def _run(self, queries):
        """``{key: QueryResponse}`` for ``[(key, statement)]``, as few batch requests as possible."""
        answers = {}
        for start in range(0, len(queries), PAGES_PER_REQUEST):
            chunk = queries[start:start + PAGES_PER_REQUEST]
            items = [{"bId": f"q{start + index}", "Query": statement} for index, (_key, statement) in enumerate(chunk)]
            result = self.client.batch(items)
            for index, (key, statement) in enumerate(chunk):
                answer = result.get(f"q{start + index}") or {}
                fault = answer.get("Fault")
                if fault:
                    error = (fault.get("Error") or [{}])[0]
                    raise QuickBooksFault(
                        f"QuickBooks refused the query {statement!r}: {error.get('Message', '')} "
                        f"{error.get('Detail', '')}".strip(),
                        "", code=str(error.get("code", "")),
                    )
                answers[key] = answer.get("QueryResponse") or {}
        return answers

    def read_all(self, wanted):
        """``{entity: [objects]}`` for ``{entity: where clause}``."""
        # QuickBooks' query language, not SQL; values are quoted by mapping.common.quote.
        counts = self._run([(entity, f"select count(*) from {entity} {where}".strip())  # noqa: S608
                            for entity, where in wanted.items()])
        pages = []
        for entity, where in wanted.items():
            total = int(counts[entity].get("totalCount") or 0)
            self.counts[entity] = total
            for start in range(1, total + 1, PAGE_SIZE):
                statement = f"select * from {entity} {where} startposition {start} maxresults {PAGE_SIZE}"  # noqa: S608
                pages.append(((entity, start), statement))
        result = {entity: [] for entity in wanted}
        for (entity, _start), answer in self._run(pages).items():
            self.pages[entity] += 1
            result[entity].extend(answer.get(entity) or [])
        return result

    def read_ids(self, entity, ids):
        """Objects by id, 1,000 ids a query (documents linked to the period, dated outside it)."""
        ids = sorted(ids)
        queries = []
        for start in range(0, len(ids), PAGE_SIZE):
            listed = ", ".join(quote(i) for i in ids[start:start + PAGE_SIZE])
            queries.append(((entity, start), f"select * from {entity} where Id in ({listed}) "  # noqa: S608
                                             f"maxresults {PAGE_SIZE}"))
        found = []
        for answer in self._run(queries).values():
            self.pages[entity] += 1
            found.extend(answer.get(entity) or [])
        return found


def _money_text(value, currency_name=""):
    return f"{decimal(value):.2f}{(' ' + currency_name) if currency_name else ''}"


class Reconciler:
    def __init__(self, connection, date_from, date_to, client):
        self.env = connection.env
        self.connection = connection
        self.company = connection.company_id
        self.realm_id = connection.realm_id
        self.home = connection.qbo_home_currency or self.company.currency_id.name
        self.date_from = date_from
        self.date_to = date_to
        self.reader = QuickBooksReader(client)
        self.lines = []
        self._bindings = None

    # -- both sides ---------------------------------------------------------------------------

    def run(self):
        period = (f"where TxnDate >= {quote(self.date_from.isoformat())} "
                  f"and TxnDate <= {quote(self.date_to.isoformat())}")
        self.qbo = self.reader.read_all({
            "Customer": "where Active in (true, false)",
            "Item": "where Active in (true, false)",
            "Invoice": period,
            "CreditMemo": period,
            "Payment": period,
        })
        self._load_bindings()
        self._customers()
        self._items()
        self._documents()
        self._payments()
        self._receivables()
        return self.lines

    def _load_bindings(self):
        bindings = self.env["quickbooks.binding"].sudo().search_read(
            [("realm_id", "=", self.realm_id),
             ("qbo_entity", "in", ["Customer", "Item", "Invoice", "CreditMemo", "Payment"])],
            ["res_model", "res_id", "qbo_entity", "qbo_id", "qbo_name"],
        )
        self.by_qbo = {}
        self.by_odoo = {}
        for row in bindings:
            self.by_qbo[(row["qbo_entity"], row["qbo_id"])] = row
            self.by_odoo[(row["res_model"], row["res_id"], row["qbo_entity"])] = row

    def qbo_id(self, record, entity):
        row = self.by_odoo.get((record._name, record.id, entity))
        return row["qbo_id"] if row else None

    def add(self, section, status, odoo=None, entity=None, qbo=None, differences=(), **values):
        """One line of the report (``values``: currency, odoo_amount, qbo_amount, odoo_balance,
        qbo_balance, and qbo_id / qbo_name when the QuickBooks object itself is not at hand)."""
        qbo = qbo or {}
        qbo_id = values.pop("qbo_id", None)
        qbo_name = values.pop("qbo_name", None)
        currency = values.pop("currency", None)
        self.lines.append({
            "section": section,
            "status": status,
            "res_model": odoo._name if odoo else False,
            "res_id": odoo.id if odoo else False,
            "odoo_name": (odoo.display_name if odoo else False) or False,
            "qbo_entity": entity or False,
            "qbo_id": str(qbo.get("Id") or qbo_id or "") or False,
            "qbo_name": qbo.get("DocNumber") or qbo.get("DisplayName") or qbo.get("Name") or qbo_name or False,
            "currency_name": currency or False,
            "difference": "; ".join(differences) or False,
            **values,
        })

    # -- customers and items ----------------------------------------------------------------------

    @staticmethod
    def _same_name(expected, found, bound_name):
        """The name Odoo sends, or that name with the differentiator QuickBooks made it take."""
        return found == expected or (found == bound_name and (found or "").startswith(f"{expected} - "))

    def _customers(self):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        qbo_customers = {str(obj["Id"]): obj for obj in self.qbo["Customer"]}
        linked_ids = {row["res_id"] for (model, _id, entity), row in self.by_odoo.items()
                      if model == "res.partner" and entity == "Customer"}
        partners = Partner.browse(linked_ids) | Partner.search([
            ("customer_rank", ">", 0), ("active", "=", True), ("parent_id", "=", False),
            ("company_id", "in", (False, self.company.id)),
        ])
        seen = set()
        for partner in partners:
            qbo_id = self.qbo_id(partner, "Customer")
            obj = qbo_customers.get(qbo_id) if qbo_id else None
            if not qbo_id:
                self.add("customer", "only_odoo", partner, "Customer", differences=["not in QuickBooks"])
                continue
            seen.add(qbo_id)
            if obj is None:
                self.add("customer", "different", partner, "Customer", qbo_id=qbo_id,
                         differences=["linked QuickBooks customer not found (deleted?)"])
                continue
            expected = customer_map.display_name(partner)
            problems = []
            bound = self.by_qbo.get(("Customer", qbo_id), {}).get("qbo_name")
            if not self._same_name(expected, obj.get("DisplayName"), bound):
                problems.append(f"name: QuickBooks {obj.get('DisplayName')!r}, Odoo {expected!r}")
            odoo_email = (partner.email or "").split(",")[0].strip().lower()
            qbo_email = ((obj.get("PrimaryEmailAddr") or {}).get("Address") or "").strip().lower()
            if odoo_email != qbo_email:
                problems.append(f"e-mail: QuickBooks {qbo_email or '-'}, Odoo {odoo_email or '-'}")
            if obj.get("Active") is False and partner.active:
                problems.append("inactive in QuickBooks")
            self.add("customer", "different" if problems else "matched", partner, "Customer", obj, problems)
        for qbo_id, obj in qbo_customers.items():
            if qbo_id not in seen and obj.get("Active", True) is not False and ("Customer", qbo_id) not in self.by_qbo:
                self.add("customer", "only_qbo", None, "Customer", obj, ["not in Odoo"],
                         qbo_balance=decimal(obj.get("Balance")))

    def _items(self):
        Product = self.env["product.product"].sudo().with_context(active_test=False)
        qbo_items = {str(obj["Id"]): obj for obj in self.qbo["Item"] if obj.get("Type") in PRODUCT_ITEM_TYPES}
        linked_ids = {row["res_id"] for (model, _id, entity), row in self.by_odoo.items()
                      if model == "product.product" and entity == "Item"}
        products = Product.browse(linked_ids) | Product.search([
            ("sale_ok", "=", True), ("active", "=", True), ("company_id", "in", (False, self.company.id)),
        ])
        seen = set()
        for product in products.with_company(self.company):
            qbo_id = self.qbo_id(product, "Item")
            if not qbo_id:
                self.add("item", "only_odoo", product, "Item", differences=["not in QuickBooks"])
                continue
            seen.add(qbo_id)
            obj = qbo_items.get(qbo_id)
            if obj is None:
                self.add("item", "different", product, "Item", qbo_id=qbo_id,
                         differences=["linked QuickBooks item not found"])
                continue
            expected = item_map.item_name(product)
            bound = self.by_qbo.get(("Item", qbo_id), {}).get("qbo_name")
            problems = []
            if not self._same_name(expected, obj.get("Name"), bound):
                problems.append(f"name: QuickBooks {obj.get('Name')!r}, Odoo {expected!r}")
            if obj.get("Active") is False and product.active:
                problems.append("inactive in QuickBooks")
            self.add("item", "different" if problems else "matched", product, "Item", obj, problems)
        for qbo_id, obj in qbo_items.items():
            if qbo_id not in seen and obj.get("Active", True) is not False and ("Item", qbo_id) not in self.by_qbo:
                self.add("item", "only_qbo", None, "Item", obj, ["not in Odoo"])

    # -- documents ------------------------------------------------------------------------------

    def _fetch_missing(self, entity, found, wanted_ids):
        missing = set(wanted_ids) - set(found)
        if missing:
            for obj in self.reader.read_ids(entity, missing):
                found[str(obj["Id"])] = obj

    def _without_entry_paid(self, moves):
        """``{invoice id: amount}`` that payments registered without a journal entry pay (Odoo
        keeps the invoice open until the bank reconciliation; QuickBooks applies them)."""
        paid = defaultdict(lambda: ZERO)
        payments = moves.matched_payment_ids.filtered(
            lambda payment: not payment.move_id and payment.state in ("in_process", "paid")
            and payment.partner_type == "customer" and payment.payment_type == "inbound")
        for payment in payments:
            try:
                for app in payment_map.applications(payment):
                    paid[app.invoice.id] += app.invoice_amount
            except MappingError:
                continue
        return paid

    def _payments_of(self, moves):
        """``{invoice id: customer payments reconciled with it}`` (one query), and those
        registered on it without a journal entry."""
        result = defaultdict(set)
        if moves:
            self.env.cr.execute(
                """SELECT DISTINCT doc_line.move_id, pay.id
                     FROM account_move_line doc_line
                     JOIN account_partial_reconcile part
                       ON part.debit_move_id = doc_line.id OR part.credit_move_id = doc_line.id
                     JOIN account_move_line pay_line
                       ON pay_line.id IN (part.debit_move_id, part.credit_move_id) AND pay_line.id != doc_line.id
                     JOIN account_move pay_move ON pay_move.id = pay_line.move_id
                     JOIN account_payment pay ON pay.id = pay_move.origin_payment_id
                    WHERE doc_line.move_id IN %s AND pay.partner_type = 'customer'""",
                (tuple(moves.ids),),
            )
            for move_id, payment_id in self.env.cr.fetchall():
                result[move_id].add(payment_id)
            self.env.cr.execute(
                """SELECT rel.invoice_id, pay.id FROM account_move__account_payment rel
                     JOIN account_payment pay ON pay.id = rel.payment_id
                    WHERE rel.invoice_id IN %s AND pay.move_id IS NULL AND pay.state IN ('in_process', 'paid')""",
                (tuple(moves.ids),),
            )
            for move_id, payment_id in self.env.cr.fetchall():
                result[move_id].add(payment_id)
        return result

    def _documents(self):
        Move = self.env["account.move"].sudo()
        qbo_docs = {entity: {str(obj["Id"]): obj for obj in self.qbo[entity]} for entity in ("Invoice", "CreditMemo")}
        moves = Move.search([
            ("company_id", "=", self.company.id), ("move_type", "in", list(DOCUMENT_ENTITIES)),
            ("invoice_date", ">=", self.date_from), ("invoice_date", "<=", self.date_to),
            ("state", "in", ("posted", "cancel")),
        ])
        linked = [row["res_id"] for entity in ("Invoice", "CreditMemo") for qbo_id in qbo_docs[entity]
                  for row in [self.by_qbo.get((entity, qbo_id))] if row and row["res_model"] == "account.move"]
        moves |= Move.browse(linked).exists()
        for entity in ("Invoice", "CreditMemo"):
            self._fetch_missing(entity, qbo_docs[entity],
                                [self.qbo_id(move, entity) for move in moves
                                 if DOCUMENT_ENTITIES.get(move.move_type) == entity and self.qbo_id(move, entity)])
        paid_without_entry = self._without_entry_paid(moves)
        payments_of = self._payments_of(moves)
        Payment = self.env["account.payment"].sudo()
        seen = defaultdict(set)
        for move in moves:
            entity = DOCUMENT_ENTITIES[move.move_type]
            section = "invoice" if entity == "Invoice" else "credit_memo"
            currency = move.currency_id
            qbo_id = self.qbo_id(move, entity)
            voided = move.state == "cancel"
            odoo_total = ZERO if voided else amount(move.amount_total, currency)
            odoo_balance = ZERO if voided else amount(move.amount_residual, currency) - paid_without_entry[move.id]
            values = {"currency": currency.name, "odoo_amount": odoo_total, "odoo_balance": odoo_balance}
            if not qbo_id:
                if voided:
                    continue
                self.add(section, "only_odoo", move, entity, differences=[
                    "not in QuickBooks" + (f" ({move.quickbooks_error})" if move.quickbooks_error else "")], **values)
                continue
            seen[entity].add(qbo_id)
            obj = qbo_docs[entity].get(qbo_id)
            if obj is None:
                self.add(section, "different", move, entity, qbo_id=qbo_id,
                         differences=[f"linked QuickBooks {entity} {qbo_id} not found (deleted?)"], **values)
                continue
            problems = []
            code = currency.name
            found_total = decimal(obj.get("TotalAmt"))
            found_balance = decimal(obj.get("Balance"))
            found_tax = decimal((obj.get("TxnTaxDetail") or {}).get("TotalTax"))
            odoo_tax = ZERO if voided else amount(move.amount_tax, currency)
            if found_total != odoo_total:
                problems.append(f"total: QuickBooks {_money_text(found_total, code)}, Odoo {_money_text(odoo_total)}")
            if found_tax != odoo_tax:
                problems.append(f"tax: QuickBooks {_money_text(found_tax, code)}, Odoo {_money_text(odoo_tax)}")
            if found_balance != odoo_balance:
                problems.append(f"balance: QuickBooks {_money_text(found_balance, code)}, "
                                f"Odoo {_money_text(odoo_balance)}")
            qbo_currency = (obj.get("CurrencyRef") or {}).get("value") or self.home
            if qbo_currency != code:
                problems.append(f"currency: QuickBooks {qbo_currency}, Odoo {code}")
            problems += self._links(obj, Payment.browse(sorted(payments_of[move.id])))
            self.add(section, "different" if problems else "matched", move, entity, obj, problems,
                     qbo_amount=found_total, qbo_balance=found_balance, **values)
        for entity in ("Invoice", "CreditMemo"):
            section = "invoice" if entity == "Invoice" else "credit_memo"
            for qbo_id, obj in qbo_docs[entity].items():
                if qbo_id not in seen[entity] and (entity, qbo_id) not in self.by_qbo:
                    self.add(section, "only_qbo", None, entity, obj, ["not in Odoo"],
                             currency=(obj.get("CurrencyRef") or {}).get("value") or self.home,
                             qbo_amount=decimal(obj.get("TotalAmt")), qbo_balance=decimal(obj.get("Balance")))

    def _links(self, obj, payments):
        """A document's payments: QuickBooks' LinkedTxn against Odoo's reconciled payments."""
        found = {str(link.get("TxnId")) for link in obj.get("LinkedTxn") or [] if link.get("TxnType") == "Payment"}
        expected = {}
        unsent = []
        for payment in payments:
            if payment.state not in ("in_process", "paid"):
                continue
            qbo_id = self.qbo_id(payment, "Payment")
            if qbo_id:
                expected[qbo_id] = payment
            else:
                unsent.append(payment.name)
        problems = []
        if unsent:
            problems.append(f"payments not in QuickBooks: {', '.join(sorted(unsent))}")
        missing = sorted(set(expected) - found)
        if missing:
            problems.append("payments not applied in QuickBooks: " + ", ".join(expected[i].name for i in missing))
        extra = sorted(found - set(expected))
        if extra:
            problems.append("payments applied only in QuickBooks: " + ", ".join(extra))
        return problems

    def _payments(self):
        Payment = self.env["account.payment"].sudo()
        qbo_payments = {str(obj["Id"]): obj for obj in self.qbo["Payment"]}
        payments = Payment.search([
            ("company_id", "=", self.company.id), ("partner_type", "=", "customer"), ("payment_type", "=", "inbound"),
            ("date", ">=", self.date_from), ("date", "<=", self.date_to),
            ("state", "in", ("in_process", "paid", "canceled")),
        ])
        linked = [row["res_id"] for qbo_id in qbo_payments for row in [self.by_qbo.get(("Payment", qbo_id))]
                  if row and row["res_model"] == "account.payment"]
        payments |= Payment.browse(linked).exists()
        self._fetch_missing("Payment", qbo_payments, [self.qbo_id(payment, "Payment") for payment in payments
                                                      if self.qbo_id(payment, "Payment")])
        # What each payment's figures read, fetched for all of them at once (not payment by payment).
        lines = payments.move_id.line_ids
        lines.account_id.fetch(["account_type"])
        partials = lines.matched_debit_ids
        partials.fetch(["debit_move_id", "debit_amount_currency", "credit_amount_currency"])
        partials.debit_move_id.move_id.fetch(["move_type", "currency_id", "state"])
        seen = set()
        for payment in payments:
            qbo_id = self.qbo_id(payment, "Payment")
            canceled = payment.state == "canceled"
            try:
                figures = None if canceled else payment_map.payment_figures(payment)
            except MappingError as exc:
                figures, reason = None, exc.message
            else:
                reason = None
            currency = figures.currency if figures else payment.currency_id
            odoo_total = figures.total if figures else ZERO if canceled else amount(payment.amount, currency)
            odoo_unapplied = odoo_total - sum((value for _invoice, value in (figures.lines if figures else [])), ZERO)
            values = {"currency": currency.name, "odoo_amount": odoo_total, "odoo_balance": odoo_unapplied}
            if not qbo_id:
                if canceled:
                    continue
                self.add("payment", "only_odoo", payment, "Payment", differences=[
                    "not in QuickBooks" + (f" ({reason or payment.quickbooks_error})"
                                           if reason or payment.quickbooks_error else "")], **values)
                continue
            seen.add(qbo_id)
            obj = qbo_payments.get(qbo_id)
            if obj is None:
                self.add("payment", "different", payment, "Payment", qbo_id=qbo_id,
                         differences=[f"linked QuickBooks payment {qbo_id} not found (deleted?)"], **values)
                continue
            code = currency.name
            problems = [f"QuickBooks cannot hold it as Odoo does: {reason}"] if reason else []
            found_total = decimal(obj.get("TotalAmt"))
            if found_total != odoo_total:
                problems.append(f"amount: QuickBooks {_money_text(found_total, code)}, Odoo {_money_text(odoo_total)}")
            qbo_currency = (obj.get("CurrencyRef") or {}).get("value") or self.home
            if qbo_currency != code:
                problems.append(f"currency: QuickBooks {qbo_currency}, Odoo {code}")
            applied = defaultdict(lambda: ZERO)
            for line in obj.get("Line") or []:
                for link in line.get("LinkedTxn") or []:
                    applied[(link.get("TxnType"), str(link.get("TxnId")))] += decimal(line.get("Amount"))
            expected = defaultdict(lambda: ZERO)
            names = {}
            for invoice, value in (figures.lines if figures else []):
                invoice_qbo = self.qbo_id(invoice, "Invoice")
                if not invoice_qbo:
                    problems.append(f"pays {invoice.name}, which is not in QuickBooks")
                    continue
                expected[("Invoice", invoice_qbo)] += value
                names[("Invoice", invoice_qbo)] = invoice.name
            for key in sorted(set(expected) | set(applied)):
                if expected[key] != applied[key]:
                    label = names.get(key) or f"{key[0]} {key[1]}"
                    problems.append(f"applied to {label}: QuickBooks {_money_text(applied[key], code)}, "
                                    f"Odoo {_money_text(expected[key])}")
            self.add("payment", "different" if problems else "matched", payment, "Payment", obj, problems,
                     qbo_amount=found_total, qbo_balance=decimal(obj.get("UnappliedAmt")), **values)
        for qbo_id, obj in qbo_payments.items():
            if qbo_id not in seen and ("Payment", qbo_id) not in self.by_qbo:
                self.add("payment", "only_qbo", None, "Payment", obj, ["not in Odoo"],
                         currency=(obj.get("CurrencyRef") or {}).get("value") or self.home,
                         qbo_amount=decimal(obj.get("TotalAmt")), qbo_balance=decimal(obj.get("UnappliedAmt")))

    # -- receivables ------------------------------------------------------------------------------

    def _odoo_receivables(self, partner_ids):
        """``{partner id: {currency name: open amount}}``: open receivable items of the
        companies' customers, less payments registered without a journal entry."""
        result = defaultdict(lambda: defaultdict(lambda: ZERO))
        if not partner_ids:
            return result
        self.env["account.move.line"].flush_model(["amount_residual_currency", "parent_state", "partner_id"])
        self.env.cr.execute(
            """SELECT partner.commercial_partner_id, currency.name, SUM(line.amount_residual_currency)
                 FROM account_move_line line
                 JOIN account_account account ON account.id = line.account_id
                 JOIN res_partner partner ON partner.id = line.partner_id
                 JOIN res_currency currency ON currency.id = line.currency_id
                WHERE line.company_id = %s AND line.parent_state = 'posted'
                  AND account.account_type = 'asset_receivable' AND NOT line.reconciled
                  AND partner.commercial_partner_id IN %s
                GROUP BY partner.commercial_partner_id, currency.name""",
            (self.company.id, tuple(partner_ids)),
        )
        for partner_id, currency, value in self.env.cr.fetchall():
            result[partner_id][currency] += decimal(value)
        self.env.cr.execute(
            """SELECT partner.commercial_partner_id, currency.name, SUM(pay.amount)
                 FROM account_payment pay
                 JOIN res_partner partner ON partner.id = pay.partner_id
                 JOIN res_currency currency ON currency.id = pay.currency_id
                WHERE pay.company_id = %s AND pay.move_id IS NULL AND pay.state IN ('in_process', 'paid')
                  AND pay.partner_type = 'customer' AND pay.payment_type = 'inbound'
                  AND partner.commercial_partner_id IN %s
                GROUP BY partner.commercial_partner_id, currency.name""",
            (self.company.id, tuple(partner_ids)),
        )
        for partner_id, currency, value in self.env.cr.fetchall():
            result[partner_id][currency] -= decimal(value)
        return result

    def _receivables(self):
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        qbo_customers = {str(obj["Id"]): obj for obj in self.qbo["Customer"]}
        linked = {}
        for (model, res_id, entity), row in self.by_odoo.items():
            if model == "res.partner" and entity == "Customer" and row["qbo_id"] in qbo_customers:
                linked[res_id] = qbo_customers[row["qbo_id"]]
        partners = Partner.browse(list(linked)).exists()
        commercial = partners.filtered(lambda partner: partner.commercial_partner_id == partner)
        odoo = self._odoo_receivables(commercial.ids)
        currencies = {currency.name: currency for currency in self.env["res.currency"].with_context(
            active_test=False).search([])}
        for partner in commercial:
            obj = linked[partner.id]
            currency_name = (obj.get("CurrencyRef") or {}).get("value") or self.home
            qbo_balance = decimal(obj.get("BalanceWithJobs") if obj.get("BalanceWithJobs") is not None
                                  else obj.get("Balance"))
            by_currency = {code: value for code, value in odoo[partner.id].items() if value}
            odoo_balance = amount(by_currency.pop(currency_name, ZERO), currencies.get(currency_name))
            if not qbo_balance and not odoo_balance and not by_currency:
                continue
            problems = []
            if qbo_balance != odoo_balance:
                problems.append(f"receivable: QuickBooks {_money_text(qbo_balance, currency_name)}, "
                                f"Odoo {_money_text(odoo_balance)}")
            for code, value in sorted(by_currency.items()):
                problems.append(f"Odoo also has {_money_text(value, code)} open in {code}, which this QuickBooks "
                                f"customer ({currency_name}) cannot hold")
            self.add("receivable", "different" if problems else "matched", partner, "Customer", obj, problems,
                     currency=currency_name, odoo_balance=odoo_balance, qbo_balance=qbo_balance)
