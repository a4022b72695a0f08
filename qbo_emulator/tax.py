"""Sales tax, computed by the server from the lines' tax codes, as QuickBooks does.

US companies (https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales):
each sales line says ``TaxCodeRef`` ``TAX`` or ``NON``; one ``TxnTaxDetail.TxnTaxCodeRef``
(a TaxCode holding one or more TaxRates) is applied to the taxable lines.  Sandbox
companies do not run Automated Sales Tax, and a ``TxnTaxDetail.TotalTax`` sent by the
client overrides the computed total (the difference lands on the last tax line).

Other countries (https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales):
every line names a TaxCode (GST, HST, VAT ...); ``GlobalTaxCalculation`` says whether line
amounts exclude tax (``TaxExcluded``), include it (``TaxInclusive``: QuickBooks keeps the net
in ``Amount`` and the gross in ``TaxInclusiveAmt``) or carry none (``NotApplicable``).
A line without a tax code is refused ("Make sure all your transactions have a GST/HST
rate before you save.", 6000).
"""

from dataclasses import dataclass, field

from . import faults, validation
from .money import ZERO, cents, out, parse


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
    gross_total = net_total = ZERO
    for entry in entries:
        if not validation.ref_value(entry.detail.get("TaxCodeRef")):
            label = "VAT" if ctx.country in ("GB", "UK", "IE", "FR") else "GST/HST"
            raise faults.business_validation(f"Make sure all your transactions have a {label} rate before you save.",
                                             "TaxCodeRef")
        taxcode = validation.reference(ctx, entry.detail, "TaxCodeRef", "TaxCode")
        entry.detail["TaxCodeRef"] = {"value": taxcode["Id"]}
        rates = _rates(ctx, taxcode, purchase)
        combined = sum((p for _r, p in rates), ZERO)
        if mode == "TaxInclusive":
            given = parse(entry.detail.get("TaxInclusiveAmt"), "TaxInclusiveAmt")
            gross = cents(given) if given else entry.net
            entry.net = cents(gross * 100 / (100 + combined))
            entry.gross = gross
            entry.line["Amount"] = out(entry.net)
            entry.detail["TaxInclusiveAmt"] = out(gross)
            gross_total += gross
            net_total += entry.net
        for rate_id, percent in rates:
            bucket = buckets.setdefault(rate_id, [rate_id, percent, ZERO, ZERO])
            bucket[2] += entry.net
    total = ZERO
    for bucket in buckets.values():
        bucket[3] = cents(bucket[2] * bucket[1] / 100)
        total += bucket[3]
    if mode == "TaxInclusive" and buckets:
        # The gross amounts are what the customer pays: the tax is what is left of them.
        wanted = gross_total - net_total
        last = list(buckets.values())[-1]
        last[3] += wanted - total
        total = wanted
    detail = {"TotalTax": out(total)}
    if buckets:
        detail["TaxLine"] = [_tax_line(*bucket) for bucket in buckets.values()]
    data["TxnTaxDetail"] = detail
    return total
