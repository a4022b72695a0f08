"""Queries: which objects a ``*QueryRq`` selects, in which order, and how each is written back.

* By ``ListID``/``FullName`` (``TxnID``/``RefNumber``): the objects named, active or not, in the
  order asked; a name that matches nothing makes the answer a 500 warning (``The query request has
  not been fully completed...``) with the others still returned.
* By filters: ``ActiveStatus`` defaults to ``ActiveOnly`` (qbXML schema); ``FromModifiedDate``/
  ``ToModifiedDate`` and ``ModifiedDateRangeFilter`` compare with ``TimeModified`` (a value without
  an offset is the QuickBooks PC's local time, jsgoupil/quickbooks-sync#19), both ends included;
  ``NameFilter``/``NameRangeFilter`` on the full name, case-insensitively; ``MaxReturned`` caps.
* Nothing found: status 1, "A query request did not find a matching object in QuickBooks".
* Transactions: ``IncludeLineItems`` and ``IncludeLinkedTxns`` default to false (lines and links
  are left out unless asked for); ``PaidStatus`` on invoices; deleted transactions are gone, voided
  ones are returned with zero amounts.
* ``IncludeRetElement`` names the only top-level elements each Ret keeps; ``OwnerID`` adds the
  private data extensions of that owner (``0``: the public ones).

Lists come in full-name order (a parent before its children); transactions in date order.
"""

import datetime
import json

from . import objects, qbxml, status
from .clock import parse_date, parse_datetime
from .rets import ORDER

LIST_QUERIES = {
    "CustomerQueryRq": ("Customer",),
    "VendorQueryRq": ("Vendor",),
    "ItemServiceQueryRq": ("ItemService",),
    "ItemNonInventoryQueryRq": ("ItemNonInventory",),
    "ItemQueryRq": objects.ITEM_KINDS,
    "AccountQueryRq": ("Account",),
    "TermsQueryRq": ("StandardTerms", "DateDrivenTerms"),
    "ClassQueryRq": ("Class",),
    "SalesTaxCodeQueryRq": ("SalesTaxCode",),
    "ItemSalesTaxQueryRq": ("ItemSalesTax",),
    "PaymentMethodQueryRq": ("PaymentMethod",),
}
TXN_QUERIES = {"InvoiceQueryRq": "Invoice", "CreditMemoQueryRq": "CreditMemo",
               "ReceivePaymentQueryRq": "ReceivePayment"}
CREDIT_NORMAL = {"AccountsPayable", "CreditCard", "Equity", "Income", "LongTermLiability",
                 "OtherCurrentLiability", "OtherIncome"}


def _datetime(ctx, value, field):
    try:
        return parse_datetime(value, ctx.tz)
    except ValueError as exc:
        raise status.invalid_date(value, field) from exc


def _date(value, field):
    try:
        return parse_date(value).isoformat()
    except ValueError as exc:
        raise status.invalid_date(value, field) from exc


def _modified_window(ctx, rq):
    start = _datetime(ctx, rq["FromModifiedDate"], "FromModifiedDate") if rq.get("FromModifiedDate") else None
    end = _datetime(ctx, rq["ToModifiedDate"], "ToModifiedDate") if rq.get("ToModifiedDate") else None
    if end is not None and rq["ToModifiedDate"].strip() and "T" not in rq["ToModifiedDate"]:
        end += 86399  # a bare date includes the whole day
    if start is not None and end is not None and start > end:
        raise status.invalid_date_range()
    return start, end


def _name_match(name, rq):
    name = name.lower()
    if "NameFilter" in rq:
        wanted = rq["NameFilter"]["Name"].lower()
        how = rq["NameFilter"]["MatchCriterion"]
        return (how == "StartsWith" and name.startswith(wanted)) or (how == "Contains" and wanted in name) or \
            (how == "EndsWith" and name.endswith(wanted))
    if "NameRangeFilter" in rq:
        low = rq["NameRangeFilter"].get("FromName", "").lower()
        high = rq["NameRangeFilter"].get("ToName")
        return name >= low and (high is None or name <= high.lower())
    return True


def _max_returned(rq):
    if rq.get("MaxReturned") in (None, ""):
        return None
    value = qbxml.to_int(rq["MaxReturned"], "MaxReturned")
    return max(value, 0)


class Selection:
    """What a query selected, in order: ``keys`` [(kind, id)] (objects are loaded page by page), a
    500 warning if some names were missing."""

    def __init__(self, found, warning=None, max_returned=None):
        self.keys = [(obj["_kind"], obj.get("ListID") or obj.get("TxnID")) if isinstance(obj, dict) else obj
                     for obj in found]
        self.warning = warning
        self.max_returned = max_returned


# -- lists ---------------------------------------------------------------------------------------

def select_list(ctx, kinds, rq, warnings):
    if "ListID" in rq or "FullName" in rq:
        found, missing = [], None
        for value in rq.get("ListID", []):
            obj = objects.get(ctx.db, ctx.company, kinds, value.strip())
            if obj is None:
                missing = missing or value
            else:
                found.append(obj)
        for value in rq.get("FullName", []):
            obj = objects.by_name(ctx.db, ctx.company, kinds, value.strip())
            if obj is None:
                missing = missing or value
            else:
                found.append(obj)
        return Selection(found, status.not_all_found(missing) if missing else None)
    where = ["status = 'live'"]
    params = []
    active = rq.get("ActiveStatus", "ActiveOnly")
    if active == "ActiveOnly":
        where.append("active = 1")
    elif active == "InactiveOnly":
        where.append("active = 0")
    start, end = _modified_window(ctx, rq)
    if start is not None:
        where.append("modified >= ?")
        params.append(int(start))
    if end is not None:
        where.append("modified < ?")
        params.append(int(end) + 1)
    marks = ",".join("?" * len(kinds))
    keys = [(row["kind"], row["id"], row["name_key"]) for row in ctx.db.execute(
        f"SELECT kind, id, name_key FROM objects WHERE company = ? AND kind IN ({marks}) "  # noqa: S608
        f"AND {' AND '.join(where)} ORDER BY name_key, seq", (ctx.company, *kinds, *params))]
    keys = [(kind, object_id) for kind, object_id, name_key in keys if _name_match(name_key or "", rq)]
    needs_data = rq.get("AccountType") or rq.get("PaymentMethodType") or "ClassFilter" in rq
    if needs_data:
        rows = objects.get_many(ctx.db, ctx.company, keys)
        if rq.get("AccountType"):
            rows = [row for row in rows if row.get("AccountType") in rq["AccountType"]]
        if rq.get("PaymentMethodType"):
            rows = [row for row in rows if row.get("PaymentMethodType") in rq["PaymentMethodType"]]
        if "ClassFilter" in rq:
            allowed = _class_ids(ctx, rq["ClassFilter"])
            rows = [row for row in rows if (row.get("ClassRef") or {}).get("ListID") in allowed]
        keys = [(row["_kind"], row["ListID"]) for row in rows]
    if "TotalBalanceFilter" in rq:
        balances = customer_balances(ctx)
        amount = qbxml.cents(qbxml.to_decimal(rq["TotalBalanceFilter"]["Amount"], "Amount"))
        op = rq["TotalBalanceFilter"]["Operator"]
        keys = [key for key in keys if _compare(balances.get(key[1], (0, 0))[1], op, amount)]
    if "CurrencyFilter" in rq:
        warnings.append(status.unsupported_field("CurrencyFilter"))
    return Selection(keys, max_returned=_max_returned(rq))


def _compare(value, op, amount):
    return {"LessThan": value < amount, "LessThanEqual": value <= amount, "Equal": value == amount,
            "GreaterThan": value > amount, "GreaterThanEqual": value >= amount}[op]


def _class_ids(ctx, flt):
    classes = objects.rows(ctx.db, ctx.company, ("Class",), "status = 'live'")
    if "ListID" in flt:
        return set(flt["ListID"])
    if "FullName" in flt:
        wanted = {name.lower() for name in flt["FullName"]}
        return {c["ListID"] for c in classes if c["FullName"].lower() in wanted}
    root = flt.get("ListIDWithChildren") or flt.get("FullNameWithChildren")
    base = next((c for c in classes if c["ListID"] == root or c["FullName"].lower() == root.lower()), None)
    if base is None:
        return set()
    prefix = base["FullName"].lower() + ":"
    return {c["ListID"] for c in classes if c["ListID"] == base["ListID"] or c["FullName"].lower().startswith(prefix)}


# -- transactions --------------------------------------------------------------------------------

def select_txn(ctx, kind, rq, warnings):
    if "TxnID" in rq or "RefNumber" in rq or "RefNumberCaseSensitive" in rq:
        found, missing = [], None
        for value in rq.get("TxnID", []):
            obj = objects.get(ctx.db, ctx.company, kind, value.strip())
            if obj is None:
                missing = missing or value
            else:
                found.append(obj)
        for value in rq.get("RefNumber", []):
            matches = objects.rows(ctx.db, ctx.company, (kind,),
                                   "ref_number = ? COLLATE NOCASE AND status != 'deleted'",
                                   (value.strip(),), order="txn_date, seq")
            if not matches:
                missing = missing or value
            found.extend(matches)
        for value in rq.get("RefNumberCaseSensitive", []):
            matches = objects.rows(ctx.db, ctx.company, (kind,), "ref_number = ? AND status != 'deleted'",
                                   (value.strip(),), order="txn_date, seq")
            if not matches:
                missing = missing or value
            found.extend(matches)
        return Selection(found, status.not_all_found(missing) if missing else None)
    where, params = ["status != 'deleted'"], []
    if "ModifiedDateRangeFilter" in rq:
        start, end = _modified_window(ctx, rq["ModifiedDateRangeFilter"])
        if start is not None:
            where.append("modified >= ?")
            params.append(int(start))
        if end is not None:
            where.append("modified < ?")
            params.append(int(end) + 1)
    if "TxnDateRangeFilter" in rq:
        low, high = _txn_dates(ctx, rq["TxnDateRangeFilter"])
        if low:
            where.append("txn_date >= ?")
            params.append(low)
        if high:
            where.append("txn_date <= ?")
            params.append(high)
    if "EntityFilter" in rq:
        ids = _customer_ids(ctx, rq["EntityFilter"])
        where.append(f"customer_id IN ({','.join('?' * len(ids))})" if ids else "0")
        params.extend(ids)
    if kind == "Invoice" and rq.get("PaidStatus") == "PaidOnly":
        where.append("open_cents <= 0")
    elif kind == "Invoice" and rq.get("PaidStatus") == "NotPaidOnly":
        where.append("open_cents > 0")
    rows = objects.rows(ctx.db, ctx.company, (kind,), " AND ".join(where), params, order="txn_date, seq")
    if "RefNumberFilter" in rq:
        flt = rq["RefNumberFilter"]
        wanted = flt["RefNumber"].lower()
        how = flt["MatchCriterion"]
        rows = [r for r in rows if _match_text((r.get("RefNumber") or "").lower(), how, wanted)]
    if "RefNumberRangeFilter" in rq:
        low = rq["RefNumberRangeFilter"].get("FromRefNumber")
        high = rq["RefNumberRangeFilter"].get("ToRefNumber")
        rows = [r for r in rows if _in_ref_range(r.get("RefNumber") or "", low, high)]
    if "AccountFilter" in rq:
        warnings.append(status.unsupported_field("AccountFilter"))
    if "CurrencyFilter" in rq:
        warnings.append(status.unsupported_field("CurrencyFilter"))
    return Selection(rows, max_returned=_max_returned(rq))


def _match_text(text, how, wanted):
    return (how == "StartsWith" and text.startswith(wanted)) or (how == "Contains" and wanted in text) or \
        (how == "EndsWith" and text.endswith(wanted))


def _in_ref_range(ref, low, high):
    """QuickBooks compares numeric reference numbers as numbers."""
    def key(value):
        return (0, int(value), "") if value.isdigit() else (1, 0, value.lower())
    return (low is None or key(ref) >= key(low)) and (high is None or key(ref) <= key(high))


def _txn_dates(ctx, flt):
    if "DateMacro" in flt:
        today = ctx.today()
        macro = flt["DateMacro"]
        if macro == "All":
            return None, None
        if macro == "Today":
            return today.isoformat(), today.isoformat()
        if macro == "Yesterday":
            day = today - datetime.timedelta(days=1)
            return day.isoformat(), day.isoformat()
        if macro.startswith("ThisMonth"):
            return today.replace(day=1).isoformat(), today.isoformat()
        if macro.startswith("ThisCalendarYear") or macro.startswith("ThisFiscalYear"):
            return today.replace(month=1, day=1).isoformat(), today.isoformat()
        if macro == "LastMonth":
            end = today.replace(day=1) - datetime.timedelta(days=1)
            return end.replace(day=1).isoformat(), end.isoformat()
        raise status.not_enabled(f"DateMacro {macro} in this stand-in")
    low = _date(flt["FromTxnDate"], "FromTxnDate") if flt.get("FromTxnDate") else None
    high = _date(flt["ToTxnDate"], "ToTxnDate") if flt.get("ToTxnDate") else None
    if low and high and low > high:
        raise status.invalid_date_range()
    return low, high


def _customer_ids(ctx, flt):
    customers = objects.rows(ctx.db, ctx.company, ("Customer",), "status = 'live'")
    if "ListID" in flt:
        return list(flt["ListID"])
    if "FullName" in flt:
        wanted = {name.lower() for name in flt["FullName"]}
        return [c["ListID"] for c in customers if c["FullName"].lower() in wanted]
    root = flt.get("ListIDWithChildren") or flt.get("FullNameWithChildren")
    base = next((c for c in customers if c["ListID"] == root or c["FullName"].lower() == root.lower()), None)
    if base is None:
        return []
    prefix = base["FullName"].lower() + ":"
    return [c["ListID"] for c in customers
            if c["ListID"] == base["ListID"] or c["FullName"].lower().startswith(prefix)]


# -- balances ------------------------------------------------------------------------------------

def customer_balances(ctx):
    """ListID -> (Balance, TotalBalance) in cents for every customer that has one (others: 0): open
    invoices less open credits and unused payments; the total adds every sub-customer's."""
    own = {}
    for row in ctx.db.execute(
            "SELECT customer_id, kind, SUM(open_cents) AS cents FROM objects WHERE company = ? "
            "AND kind IN ('Invoice', 'CreditMemo', 'ReceivePayment') AND status = 'live' "
            "GROUP BY customer_id, kind", (ctx.company,)):
        sign = 1 if row["kind"] == "Invoice" else -1
        own[row["customer_id"]] = own.get(row["customer_id"], 0) + sign * row["cents"]
    parents = {}

    def parent_of(customer_id):
        if customer_id not in parents:
            row = ctx.db.execute("SELECT parent_id FROM objects WHERE company = ? AND kind = 'Customer' AND id = ?",
                                 (ctx.company, customer_id)).fetchone()
            parents[customer_id] = row["parent_id"] if row else None
        return parents[customer_id]

    total = {}
    for customer_id, cents in own.items():
        node, depth = customer_id, 0
        while node is not None and depth < 10:
            total[node] = total.get(node, 0) + cents
            node = parent_of(node)
            depth += 1
    return {customer_id: (own.get(customer_id, 0), cents) for customer_id, cents in total.items()}


def subtree_balance(ctx, customer):
    """(Balance, TotalBalance) in cents of one customer: cheaper than every customer's at once."""
    prefix = customer["FullName"].lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"
    ids = [row["id"] for row in ctx.db.execute(
        "SELECT id FROM objects WHERE company = ? AND kind = 'Customer' AND status = 'live' "
        "AND (id = ? OR name_key LIKE ? ESCAPE '\\')", (ctx.company, customer["ListID"], prefix))]
    own = total = 0
    marks = ",".join("?" * len(ids))
    for row in ctx.db.execute(
            f"SELECT customer_id, kind, SUM(open_cents) AS cents FROM objects WHERE company = ? "  # noqa: S608
            f"AND kind IN ('Invoice', 'CreditMemo', 'ReceivePayment') AND status = 'live' AND customer_id IN ({marks}) "
            "GROUP BY customer_id, kind", (ctx.company, *ids)):
        cents = row["cents"] if row["kind"] == "Invoice" else -row["cents"]
        total += cents
        if row["customer_id"] == customer["ListID"]:
            own += cents
    return own, total


def account_balances(ctx):
    """ListID -> balance in cents, from every live transaction's postings (debits positive)."""
    balances = {}
    for row in ctx.db.execute("SELECT data FROM objects WHERE company = ? AND kind IN "
                              "('Invoice', 'CreditMemo', 'ReceivePayment') AND status = 'live'", (ctx.company,)):
        for account, cents in json.loads(row["data"]).get("_postings", []):
            if account:
                balances[account] = balances.get(account, 0) + cents
    return balances


# -- writing Rets --------------------------------------------------------------------------------

class Renderer:
    """Writes Rets for one response, computing balances once."""

    def __init__(self, ctx, rq=None, many=False):
        self.ctx = ctx
        self.rq = rq or {}
        self.many = many
        self._customer_balances = None
        self._account_balances = None

    def lines(self, obj):
        kind = obj["_kind"]
        name = f"{kind}Ret"
        data = dict(obj)
        if kind == "Customer":
            if not self.many:
                own, total = subtree_balance(self.ctx, obj)
            else:
                if self._customer_balances is None:
                    self._customer_balances = customer_balances(self.ctx)
                own, total = self._customer_balances.get(obj["ListID"], (0, 0))
            data["Balance"] = qbxml.fmt_amount(qbxml.from_cents(own))
            data["TotalBalance"] = qbxml.fmt_amount(qbxml.from_cents(total))
        elif kind == "Vendor":
            data["Balance"] = "0.00"
        elif kind == "Account":
            if self._account_balances is None:
                self._account_balances = account_balances(self.ctx)
            cents = self._account_balances.get(obj["ListID"], 0)
            if obj.get("AccountType") in CREDIT_NORMAL:
                cents = -cents
            data["Balance"] = qbxml.fmt_amount(qbxml.from_cents(cents))
            data["TotalBalance"] = data["Balance"]
        if kind in ("Invoice", "CreditMemo"):
            if not _flag(self.rq, "IncludeLineItems"):
                data.pop(f"{kind}LineRet", None)
            if not _flag(self.rq, "IncludeLinkedTxns"):
                data.pop("LinkedTxn", None)
        owners = self.rq.get("OwnerID")
        if owners:
            extensions = [ext for ext in obj.get("DataExtRet", []) if ext.get("OwnerID", "0") in owners]
            if extensions:
                data["DataExtRet"] = extensions
            else:
                data.pop("DataExtRet", None)
        else:
            data.pop("DataExtRet", None)
        order = ORDER.get(name, tuple(data))
        include = self.rq.get("IncludeRetElement")
        if include:
            order = tuple(key for key in order if key in include)
        out = []
        qbxml.render_value(name, {key: data[key] for key in order if key in data}, out)
        return out


def _flag(rq, field):
    value = rq.get(field)
    return bool(value) and qbxml.to_bool(value, field)

