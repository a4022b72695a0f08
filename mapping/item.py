"""product.product -> Item (Service or NonInventory).

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
"""

from .adapter import Adapter, register
from .common import (
    DESCRIPTION_MAX,
    ITEM_NAME_MAX,
    SKU_MAX,
    MappingError,
    clip,
    kept_differentiator,
    money,
    qbo_name,
    quote,
    without_empty,
)
from .inbound import amount, clean_text

ENTITY = "Item"


def item_name(product, suffix=""):
    # Not "[SKU] Name": the code travels as Sku, and an item imported from QuickBooks keeps its name.
    base = product.quickbooks_name or product.with_context(display_default_code=False).display_name or ""
    return qbo_name(base, ITEM_NAME_MAX - len(suffix)) + suffix


def _account_ref(ctx, account, default_field, label):
    reference = ctx.reference_for("Account", account) if account else None
    return (reference or ctx.default(default_field, label))._as_ref()


def product_to_item(product, ctx, suffix=""):
    company = ctx.company
    product = product.with_company(company)
    income = product.property_account_income_id or product.categ_id.property_account_income_categ_id
    expense = product.property_account_expense_id or product.categ_id.property_account_expense_categ_id
    if not suffix:
        suffix = kept_differentiator(ctx, product, ENTITY, item_name(product), ITEM_NAME_MAX)
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


# -- QuickBooks -> Odoo ------------------------------------------------------------------------

# Item types that become Odoo products; Category, Group and Bundle items are not products.
PRODUCT_TYPES = {"Service": "service", "NonInventory": "consu", "Inventory": "consu"}


def item_to_product_values(item, ctx):
    item_type = item.get("Type") or "Service"
    if item_type not in PRODUCT_TYPES:
        raise MappingError(
            ctx.env._("%s items are not imported as products.", item_type),
            ctx.env._("Categories, groups and bundles have no Odoo counterpart; their products are imported."),
        )
    name = clean_text(item.get("Name"))
    if not name:
        raise MappingError(ctx.env._("The item has no name in QuickBooks."))
    values = {
        "name": name,
        "type": PRODUCT_TYPES[item_type],
        "default_code": clean_text(item.get("Sku")) or False,
        "description_sale": (item.get("Description") or "").strip() or False,
        "description_purchase": (item.get("PurchaseDesc") or "").strip() or False,
        "list_price": amount(item, "UnitPrice", ctx),
        "standard_price": amount(item, "PurchaseCost", ctx),
        "sale_ok": True,
        "purchase_ok": bool(item.get("PurchaseCost") or item.get("ExpenseAccountRef") or item.get("PurchaseDesc")),
        "active": item.get("Active", True) is not False,
        "company_id": ctx.company.id,
    }
    income = ctx.linked("Account", item.get("IncomeAccountRef"))
    if income:
        values["property_account_income_id"] = income
    expense = ctx.linked("Account", item.get("ExpenseAccountRef"))
    if expense:
        values["property_account_expense_id"] = expense
    return {key: value for key, value in values.items() if value is not False or key in ("active", "purchase_ok")}


@register
class ItemAdapter(Adapter):
    model = "product.product"
    entities = (ENTITY,)
    name_field = "Name"

    def payload(self, record, ctx, suffix=""):
        return product_to_item(record, ctx, suffix)

    def lookup_query(self, record, payload):
        return lookup_query(payload)
