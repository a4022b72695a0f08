"""product.product -> Item (Service or NonInventory).

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
"""

from .common import DESCRIPTION_MAX, ITEM_NAME_MAX, SKU_MAX, clip, money, qbo_name, quote, without_empty

ENTITY = "Item"


def item_name(product, suffix=""):
    return qbo_name(product.display_name or product.name or "", ITEM_NAME_MAX - len(suffix)) + suffix


def _account_ref(ctx, account, default_field, label):
    reference = ctx.reference_for("Account", account) if account else None
    return (reference or ctx.default(default_field, label))._as_ref()


def product_to_item(product, ctx, suffix=""):
    company = ctx.company
    product = product.with_company(company)
    income = product.property_account_income_id or product.categ_id.property_account_income_categ_id
    expense = product.property_account_expense_id or product.categ_id.property_account_expense_categ_id
    payload = {
        "Name": item_name(product, suffix),
        "Type": "Service" if product.type == "service" else "NonInventory",
        "Sku": clip(product.default_code, SKU_MAX) if product.default_code else None,
        "Description": clip(product.description_sale or "", DESCRIPTION_MAX) or None,
        "UnitPrice": money(product.list_price),
        "PurchaseCost": money(product.standard_price),
        "IncomeAccountRef": _account_ref(ctx, income, "default_income_account_ref_id", "default income account"),
        "ExpenseAccountRef": _account_ref(ctx, expense, "default_expense_account_ref_id", "default expense account"),
        "Active": bool(product.active),
    }
    if ctx.is_us:
        payload["Taxable"] = bool(product.taxes_id.filtered(lambda tax: tax.company_id == company))
    return without_empty(payload)


def dependencies(product):
    return []


def lookup_query(payload):
    return f"select * from Item where Name = {quote(payload['Name'])} and Active in (true, false)"
