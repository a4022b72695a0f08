"""Odoo product -> QuickBooks Desktop service item (ItemServiceAdd / ItemServiceMod)."""

from .common import ITEM_NAME_MAX, DesktopAdapter, latin1, money, name_rule, ref, register, request, sub

ENTITY = "Item"


def item_name(product):
    return name_rule(product.default_code or product.name or "", ITEM_NAME_MAX)


def _sales(parent, tag, product, ctx):
    element = sub(parent, tag)
    sub(element, "Desc", latin1(product.name or "")[:4095])
    sub(element, "Price", money(product.lst_price))
    ref(element, "AccountRef", full_name=ctx.connection.qbd_income_account or "Service Income")


@register
class ItemAdapter(DesktopAdapter):
    entity = ENTITY
    kind = "ItemService"
    order = 10
    marker_field = "SalesOrPurchase/Desc"

    @property
    def query_kind(self):
        return "Item"

    def name_of(self, record, ctx):
        return item_name(record)

    def add(self, record, ctx, request_id):
        element = request("ItemServiceAdd", request_id)
        body = sub(element, "ItemServiceAdd")
        sub(body, "Name", item_name(record))
        _sales(body, "SalesOrPurchase", record, ctx)
        return element

    def mod(self, record, ctx, binding, request_id):
        element = request("ItemServiceMod", request_id)
        body = sub(element, "ItemServiceMod")
        sub(body, "ListID", binding.qbo_id)
        sub(body, "EditSequence", binding.qbo_sync_token)
        sub(body, "Name", item_name(record))
        _sales(body, "SalesOrPurchaseMod", record, ctx)
        return element

    def lookup(self, record, ctx, request_id):
        element = request("ItemQuery", request_id)
        sub(element, "FullName", item_name(record))
        return element

    def ours(self, record, ret):
        # Items carry no notes: a service item of that name is Odoo's product (names are unique).
        return (ret.findtext("Name") or "").lower() == item_name(record).lower()
