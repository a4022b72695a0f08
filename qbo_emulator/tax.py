"""Sales tax, computed by the server from the lines' tax codes, as QuickBooks does.

US companies (https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales):
each sales line says ``TaxCodeRef`` ``TAX`` or ``NON``; one ``TxnTaxDetail.TxnTaxCodeRef``
(a TaxCode holding one or more TaxRates) is applied to the taxable lines.  Sandbox
companies do not run Automated Sales Tax, and a ``TxnTaxDetail.TotalTax`` sent by the
client overrides the computed total (the difference lands on the last tax line).

Other countries (https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales):
every line names a TaxCode (GST, HST, VAT ...); ``GlobalTaxCalculation`` says whether line
amounts exclude tax (``TaxExcluded``), include it (``TaxInclusive``) or carry none
(``NotApplicable``).  A line without a tax code is refused ("Make sure all your
transactions have a GST/HST rate before you save.", 6000).

* Each rate of the lines' codes is applied to the total of the lines it covers and
  rounded once (``TaxLine.Amount`` = ``NetAmountTaxable`` x ``TaxPercent``), as QuickBooks
  stores it: a document rounded line by line elsewhere can differ by cents.
* ``TaxInclusive``: the line's gross is ``SalesItemLineDetail.TaxInclusiveAmt`` ("The total
  amount of the line item including tax", invoice reference), else its ``Amount``.
  QuickBooks keeps the net in ``Amount`` (gross x 100 / (100 + the code's rates), to the
  cent), the gross in ``TaxInclusiveAmt`` and a unit price on the net to 7 decimals; the
  tax is computed on the nets like any other, so ``TotalAmt`` (nets + tax) can be a cent
  away from the grosses (a 100.00 HST-inclusive price: 88.50 + 11.51 = 100.01).  That is
  what stored QuickBooks Online invoices of a tax-inclusive company show (Amount 277.69,
  TaxInclusiveAmt 305.46, UnitPrice 92.5633333 for 3; TotalTax = NetAmountTaxable x 10 %).
* The client may supply the tax: ``TxnTaxDetail`` "can be calculated by QuickBooks business
  logic or you may supply it when adding a transaction" (invoice reference, TxnTaxDetail).
  A ``TaxLine`` sent with the request keeps its ``Amount`` for its rate; QuickBooks records
  ``TaxLineDetail.OverrideDeltaAmount``, "the difference between the actual tax and the
  overridden amount supplied by the user" (here: supplied minus computed), and
  ``TotalTax`` is the sum of the tax lines.  The rate must be "one of the rates in the
  referenced tax code's rate list" and "any given rate may only be listed once" (invoice
  reference, TaxLineDetail.TaxRateRef): otherwise 6000.  Rates the client leaves out are
  computed; a ``TotalTax`` alone is not an override outside the US.  Only the request's own
  ``TxnTaxDetail`` counts: a sparse update that leaves it out has the tax computed again.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from . import faults, validation
from .money import ZERO, cents, out, parse

# QuickBooks stores unit prices to 7 decimals (e.g. 92.5633333).
UNIT_PRICE_STEP = Decimal("0.0000001")


@dataclass
class Entry:
    """One taxable line: its net amount, its tax code, and the line itself."""

    net: object
    code: object
    line: dict
    detail: dict
    taxable_default: bool = False
    gross: object = None
    rates: list = field(default_factory=list)


def _rate_list(taxcode, purchase):
    key = "PurchaseTaxRateList" if purchase else "SalesTaxRateList"
    return ((taxcode.get(key) or {}).get("TaxRateDetail")) or []


def _rates(ctx, taxcode, purchase):
    result = []
    for detail in _rate_list(taxcode, purchase):
        rate_id = validation.ref_value(detail.get("TaxRateRef"))
        rate = ctx.get("TaxRate", rate_id) if rate_id else None
        if rate is not None:
            result.append((rate_id, parse(rate.get("RateValue"), "RateValue", ZERO)))
    return result


def _tax_line(rate_id, percent, net, amount):
    return {
        "Amount": out(amount),
        "DetailType": "TaxLineDetail",
        "TaxLineDetail": {
            "TaxRateRef": {"value": rate_id},
            "PercentBased": True,
            "TaxPercent": out(percent),
            "NetAmountTaxable": out(net),
        },
    }


def _client_total_tax(ctx):
    detail = ctx.payload.get("TxnTaxDetail")
    if isinstance(detail, dict) and detail.get("TotalTax") not in (None, ""):
        return cents(parse(detail["TotalTax"], "TxnTaxDetail.TotalTax"))
    return None


def using_sales_tax(ctx):
    return bool(ctx.pref("TaxPrefs", "UsingSalesTax", default=False))


def apply(ctx, data, entries, subtotal, discount, customer=None, purchase=False):
    """Set ``data["TxnTaxDetail"]``; returns the total tax.  For tax-inclusive lines the
    entries' ``net`` (and the lines' ``Amount``) become the amounts before tax."""
    if ctx.is_us:
        if purchase:
            # US purchases carry no sales tax of their own.
            data.pop("TxnTaxDetail", None)
            return ZERO
        return _us_sales(ctx, data, entries, subtotal, discount, customer)
    return _global(ctx, data, entries, purchase)


def _us_sales(ctx, data, entries, subtotal, discount, customer):
    customer_taxable = customer is None or customer.get("Taxable", True) is not False
    for entry in entries:
        code = validation.ref_value(entry.detail.get("TaxCodeRef"))
        if code is None:
            code = "TAX" if (entry.taxable_default and customer_taxable) else "NON"
        if code not in ("TAX", "NON"):
            raise faults.business_validation("Valid Line TaxCodes for US should be TAX or NON",
                                             "Line.SalesItemLineDetail.TaxCodeRef")
        entry.code = code
        entry.detail["TaxCodeRef"] = {"value": code}
    if not using_sales_tax(ctx):
        data["TxnTaxDetail"] = {"TotalTax": 0}
        return ZERO
    taxable = sum((e.net for e in entries if e.code == "TAX"), ZERO)
    if data.get("ApplyTaxAfterDiscount") and subtotal and discount:
        taxable -= cents(discount * taxable / subtotal)
    holder = dict(data.get("TxnTaxDetail") or {})
    code_ref = validation.ref_value(holder.get("TxnTaxCodeRef"))
    if code_ref is None and customer is not None and customer_taxable:
        code_ref = validation.ref_value(customer.get("DefaultTaxCodeRef"))
        if code_ref:
            holder["TxnTaxCodeRef"] = {"value": code_ref}
    detail = {}
    tax_lines = []
    total = ZERO
    if code_ref is not None:
        taxcode = validation.reference(ctx, holder, "TxnTaxCodeRef", "TaxCode", element="TxnTaxDetail.TxnTaxCodeRef")
        detail["TxnTaxCodeRef"] = {"value": taxcode["Id"]}
        for rate_id, percent in _rates(ctx, taxcode, purchase=False):
            amount = cents(taxable * percent / 100)
            total += amount
            tax_lines.append([rate_id, percent, taxable, amount])
    override = _client_total_tax(ctx)
    if override is not None and override != total:
        if tax_lines:
            tax_lines[-1][3] += override - total
        total = override
    detail["TotalTax"] = out(total)
    if tax_lines:
        detail["TaxLine"] = [_tax_line(*line) for line in tax_lines]
    data["TxnTaxDetail"] = detail
    return total


def _global(ctx, data, entries, purchase):
    if data.get("GlobalTaxCalculation") in (None, ""):
        data["GlobalTaxCalculation"] = "TaxExcluded"
    mode = validation.enum(data, "GlobalTaxCalculation", ("TaxExcluded", "TaxInclusive", "NotApplicable"))
    if not using_sales_tax(ctx) or mode == "NotApplicable":
        for entry in entries:
            if validation.ref_value(entry.detail.get("TaxCodeRef")):
                validation.reference(ctx, entry.detail, "TaxCodeRef", "TaxCode")
        data["TxnTaxDetail"] = {"TotalTax": 0}
        return ZERO
    buckets = {}
    for entry in entries:
        if not validation.ref_value(entry.detail.get("TaxCodeRef")):
            label = "VAT" if ctx.country in ("GB", "UK", "IE", "FR") else "GST/HST"
            raise faults.business_validation(f"Make sure all your transactions have a {label} rate before you save.",
                                             "TaxCodeRef")
        taxcode = validation.reference(ctx, entry.detail, "TaxCodeRef", "TaxCode")
        entry.detail["TaxCodeRef"] = {"value": taxcode["Id"]}
        rates = _rates(ctx, taxcode, purchase)
        if mode == "TaxInclusive":
            _inclusive_line(entry, sum((p for _r, p in rates), ZERO))
        for rate_id, percent in rates:
            bucket = buckets.setdefault(rate_id, [rate_id, percent, ZERO, ZERO])
            bucket[2] += entry.net
    supplied = _client_tax_lines(ctx, buckets)
    total = ZERO
    tax_lines = []
    for rate_id, percent, net, _amount in buckets.values():
        # Each rate on the total of the lines it applies to, rounded once (not line by line).
        computed = cents(net * percent / 100)
        amount = supplied.get(rate_id, computed)
        line = _tax_line(rate_id, percent, net, amount)
        if amount != computed:
            line["TaxLineDetail"]["OverrideDeltaAmount"] = out(amount - computed)
        tax_lines.append(line)
        total += amount
    detail = {"TotalTax": out(total)}
    if tax_lines:
        detail["TaxLine"] = tax_lines
    data["TxnTaxDetail"] = detail
    return total


def _inclusive_line(entry, combined):
    """TaxInclusive: the line's gross is ``TaxInclusiveAmt`` (else its ``Amount``); QuickBooks
    keeps the net in ``Amount``, the gross in ``TaxInclusiveAmt``, and a unit price on the net
    (to 7 decimals, as QuickBooks stores it)."""
    given = parse(entry.detail.get("TaxInclusiveAmt"), "TaxInclusiveAmt")
    gross = cents(given) if given else entry.net
    entry.net = cents(gross * 100 / (100 + combined))
    entry.gross = gross
    entry.line["Amount"] = out(entry.net)
    entry.detail["TaxInclusiveAmt"] = out(gross)
    qty = parse(entry.detail.get("Qty"), "Qty")
    if qty:
        entry.detail["UnitPrice"] = out((entry.net / qty).quantize(UNIT_PRICE_STEP, rounding=ROUND_HALF_UP))


def _client_tax_lines(ctx, buckets):
    """The tax amounts the client supplied per rate (``TxnTaxDetail.TaxLine``), checked as
    Intuit documents them: a TaxLine names a rate of the tax codes on the lines, each rate
    at most once.  Only the request's own TxnTaxDetail counts (not one stored earlier)."""
    detail = ctx.payload.get("TxnTaxDetail")
    if not isinstance(detail, dict):
        return {}
    tax_lines = detail.get("TaxLine")
    if tax_lines in (None, "", []):
        return {}
    if not isinstance(tax_lines, list) or not all(isinstance(line, dict) for line in tax_lines):
        raise faults.invalid_property("TxnTaxDetail.TaxLine", "TxnTaxDetail.TaxLine")
    supplied = {}
    for index, line in enumerate(tax_lines):
        element = f"TxnTaxDetail.TaxLine[{index}]"
        line_detail = line.get("TaxLineDetail")
        rate_id = validation.ref_value((line_detail or {}).get("TaxRateRef")) if isinstance(line_detail, dict) else None
        if rate_id is None:
            raise faults.required_param_missing(f"{element}.TaxLineDetail.TaxRateRef")
        if rate_id not in buckets:
            raise faults.business_validation(
                f"The tax rate {rate_id} in TxnTaxDetail is not a rate of the tax codes on the transaction's lines.",
                f"{element}.TaxLineDetail.TaxRateRef")
        if rate_id in supplied:
            raise faults.business_validation(f"The tax rate {rate_id} is listed more than once in TxnTaxDetail.",
                                             f"{element}.TaxLineDetail.TaxRateRef")
        amount = parse(line.get("Amount"), f"{element}.Amount")
        if amount is not None:
            supplied[rate_id] = cents(amount)
    return supplied
