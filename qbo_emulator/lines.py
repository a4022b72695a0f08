"""Transaction lines: sales lines (Invoice, CreditMemo) and expense lines (Bill, Purchase,
VendorCredit), checked and priced as QuickBooks does.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
* ``SalesItemLineDetail``: Amount is required; when both Qty and UnitPrice are given,
  Amount must equal Qty x UnitPrice rounded half up to the cent, else fault 6070;
* ``DiscountLineDetail``: a percentage (``PercentBased``, 8.5 meaning 8.5 %) or an amount;
* ``SubTotalLineDetail``: computed by the server, whatever the client sends;
* ``GroupLineDetail``: its own sales lines; ``DescriptionOnly``: a note.
A transaction holds at most 10,000 lines
(https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features).
"""

from dataclasses import dataclass, field

from . import faults, validation
from .money import ZERO, cents, out, parse
from .tax import Entry

MAX_LINES = 10000
FAR_FUTURE = "9999-12-31"


@dataclass
class Priced:
    lines: list
    entries: list
    subtotal: object = ZERO
    discount: object = ZERO
    discount_lines: list = field(default_factory=list)
    item_qty: dict = field(default_factory=dict)


def _line_list(data):
    lines = data.get("Line")
    if lines in (None, [], ""):
        raise faults.required_param_missing("Line", "Required parameter Line is missing in the request.")
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise faults.invalid_property("Line", "Line")
    if len(lines) > MAX_LINES:
        raise faults.business_validation(f"A transaction can contain at most {MAX_LINES:,} lines.", "Line")
    return lines


def _not_category(element):
    def check(item):
        if item.get("Type") == "Category":
            raise faults.invalid_reference_detail(
                "An item in this transaction is set up as a category instead of a product or service.", element)
    return check


def _quantity_and_price(detail, amount, element):
    qty = parse(detail.get("Qty"), f"{element}.Qty")
    price = parse(detail.get("UnitPrice"), f"{element}.UnitPrice")
    if qty and price and cents(qty * price) != cents(amount):
        raise faults.amount_mismatch(amount, "Line.Amount")
    if qty is not None:
        detail["Qty"] = out(qty)
    if price is not None:
        detail["UnitPrice"] = out(price)
    return qty


def _amount(line, required=True):
    amount = parse(line.get("Amount"), "Line.Amount")
    if amount is None:
        if required:
            raise faults.required_param_missing("Line.Amount",
                                                "Required parameter Line.Amount is missing in the request")
        amount = ZERO
    return amount


def _sales_item(ctx, line, priced, path):
    detail = dict(line.get("SalesItemLineDetail") or {})
    line["SalesItemLineDetail"] = detail
    element = f"{path}.SalesItemLineDetail.ItemRef"
    if not validation.ref_value(detail.get("ItemRef")):
        # A sales line without an item is a note: QuickBooks ignores its amount.
        line.pop("SalesItemLineDetail")
        line["DetailType"] = "DescriptionOnly"
        line["DescriptionLineDetail"] = {}
        line["Amount"] = 0
        return None
    amount = _amount(line)
    item = validation.reference(ctx, detail, "ItemRef", "Item", element=element, check=_not_category(element))
    qty = _quantity_and_price(detail, amount, path)
    if detail.get("ServiceDate") == "":
        # What QuickBooks makes of an empty ServiceDate (python-quickbooks PR #400).
        detail["ServiceDate"] = FAR_FUTURE
    else:
        validation.date(detail, "ServiceDate")
    if not detail.get("ItemAccountRef") and item.get("IncomeAccountRef"):
        detail["ItemAccountRef"] = dict(item["IncomeAccountRef"])
    else:
        validation.reference(ctx, detail, "ItemAccountRef", "Account")
    validation.reference(ctx, detail, "ClassRef", "Class")
    amount = cents(amount)
    line["Amount"] = out(amount)
    if item.get("Type") == "Inventory" and qty:
        priced.item_qty[item["Id"]] = priced.item_qty.get(item["Id"], ZERO) + qty
    entry = Entry(net=amount, code=None, line=line, detail=detail, taxable_default=bool(item.get("Taxable")))
    priced.entries.append(entry)
    return entry


def sales(ctx, data):
    """Check and price the lines of an Invoice or CreditMemo."""
    priced = Priced(lines=[], entries=[])
    body, discounts = [], []
    for index, raw in enumerate(_line_list(data)):
        line = dict(raw)
        kind = line.get("DetailType")
        path = f"Line[{index}]"
        if kind == "SubTotalLineDetail":
            continue
        if kind == "SalesItemLineDetail":
            entry = _sales_item(ctx, line, priced, path)
            if entry is not None:
                priced.subtotal += entry.net
        elif kind == "GroupLineDetail":
            group = dict(line.get("GroupLineDetail") or {})
            line["GroupLineDetail"] = group
            validation.reference(ctx, group, "GroupItemRef", "Item", element=f"{path}.GroupLineDetail.GroupItemRef")
            inner_total = ZERO
            inner_lines = []
            for inner_index, inner in enumerate(group.get("Line") or []):
                inner = dict(inner)
                if inner.get("DetailType") != "SalesItemLineDetail":
                    raise faults.invalid_enumeration(f"{path}.Line[{inner_index}].DetailType", inner.get("DetailType"))
                entry = _sales_item(ctx, inner, priced, f"{path}.Line[{inner_index}]")
                if entry is not None:
                    inner_total += entry.net
                inner_lines.append(inner)
            group["Line"] = inner_lines
            line["Amount"] = out(inner_total)
            priced.subtotal += inner_total
        elif kind == "DiscountLineDetail":
            discounts.append(line)
            continue
        elif kind == "DescriptionOnly":
            line.setdefault("DescriptionLineDetail", {})
            line["Amount"] = out(parse(line.get("Amount"), "Line.Amount", ZERO))
        elif kind in (None, ""):
            raise faults.required_param_missing(f"{path}.DetailType")
        else:
            raise faults.invalid_enumeration(f"{path}.DetailType", kind)
        body.append(line)
    for line in discounts:
        detail = dict(line.get("DiscountLineDetail") or {})
        line["DiscountLineDetail"] = detail
        percent_based = validation.boolean(detail, "PercentBased", False)
        if percent_based:
            percent = parse(detail.get("DiscountPercent"), "DiscountLineDetail.DiscountPercent", ZERO)
            amount = cents(priced.subtotal * percent / 100)
            detail["DiscountPercent"] = out(percent)
        else:
            amount = cents(_amount(line))
            detail.pop("DiscountPercent", None)
        if not detail.get("DiscountAccountRef"):
            default = ctx.pref("SalesFormsPrefs", "DefaultDiscountAccount")
            if default:
                detail["DiscountAccountRef"] = {"value": str(default)}
        validation.reference(ctx, detail, "DiscountAccountRef", "Account")
        line["Amount"] = out(amount)
        priced.discount += amount
    priced.discount_lines = discounts
    priced.lines = body
    return priced


def finish_sales_lines(priced):
    """Number the lines and add the subtotal line QuickBooks always returns."""
    lines = _numbered(priced.lines + priced.discount_lines)
    body = [line for line in lines if line.get("DetailType") != "DiscountLineDetail"]
    discounts = [line for line in lines if line.get("DetailType") == "DiscountLineDetail"]
    subtotal = sum((parse(line["Amount"], "Amount", ZERO) for line in body
                    if line.get("DetailType") in ("SalesItemLineDetail", "GroupLineDetail")), ZERO)
    return body + [{"Amount": out(subtotal), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}] + discounts


def _numbered(lines):
    used = set()
    for line in lines:
        value = str(line.get("Id") or "")
        if value.isdigit() and value not in used:
            used.add(value)
        else:
            line.pop("Id", None)
    next_id = 1
    for number, line in enumerate(lines, start=1):
        if "Id" not in line:
            while str(next_id) in used:
                next_id += 1
            line["Id"] = str(next_id)
            used.add(str(next_id))
        line["LineNum"] = number
    return lines


EXPENSE_KINDS = ("AccountBasedExpenseLineDetail", "ItemBasedExpenseLineDetail")
BILLABLE = ("Billable", "NotBillable", "HasBeenBilled")


def expenses(ctx, data):
    """Check and price the lines of a Bill, VendorCredit or Purchase."""
    priced = Priced(lines=[], entries=[])
    for index, raw in enumerate(_line_list(data)):
        line = dict(raw)
        kind = line.get("DetailType")
        path = f"Line[{index}]"
        if kind not in EXPENSE_KINDS:
            if kind in (None, ""):
                raise faults.required_param_missing(f"{path}.DetailType")
            raise faults.invalid_enumeration(f"{path}.DetailType", kind)
        detail = dict(line.get(kind) or {})
        line[kind] = detail
        amount = _amount(line)
        taxable_default = False
        if kind == "AccountBasedExpenseLineDetail":
            validation.reference(ctx, detail, "AccountRef", "Account", element=f"{path}.{kind}.AccountRef",
                                 required=True)
        else:
            element = f"{path}.{kind}.ItemRef"
            item = validation.reference(ctx, detail, "ItemRef", "Item", element=element, required=True,
                                        check=_not_category(element))
            qty = _quantity_and_price(detail, amount, path)
            if item.get("Type") == "Inventory" and qty:
                priced.item_qty[item["Id"]] = priced.item_qty.get(item["Id"], ZERO) + qty
        validation.reference(ctx, detail, "ClassRef", "Class")
        validation.reference(ctx, detail, "CustomerRef", "Customer")
        if detail.get("BillableStatus") == "" or detail.get("BillableStatus") is None:
            detail.pop("BillableStatus", None)
        else:
            validation.enum(detail, "BillableStatus", BILLABLE)
        amount = cents(amount)
        line["Amount"] = out(amount)
        priced.entries.append(Entry(net=amount, code=None, line=line, detail=detail, taxable_default=taxable_default))
        priced.subtotal += amount
        priced.lines.append(line)
    priced.lines = _numbered(priced.lines)
    return priced
