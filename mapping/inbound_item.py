"""Items changed or created in QuickBooks, as Odoo products: what travels both ways (name,
SKU, sales description, sales price, cost), for sync/pull_master.py.  The values come from the
import's own mapping (item.py)."""

from . import item as item_map
from .inbound_master import InboundHandler, Key, register


@register
class ItemHandler(InboundHandler):
    entity = "Item"
    model = "product.product"
    # QuickBooks leaves Sku out of "select *" (and out of change data capture): items are read
    # again with it.
    select = "*, Sku"
    use_known = False
    keys = (
        Key("name", "Name", ("name",), ("Name",)),
        Key("sku", "Internal reference", ("default_code",), ("Sku",)),
        Key("description", "Sales description", ("description_sale",), ("Description",)),
        Key("price", "Sales price", ("list_price",), ("UnitPrice",)),
        Key("cost", "Cost", ("standard_price",), ("PurchaseCost",)),
    )

    def to_values(self, obj, ctx):
        return item_map.item_to_product_values(obj, ctx)

    def ignored(self, obj):
        item_type = obj.get("Type") or "Service"
        if item_type not in item_map.PRODUCT_TYPES:
            return item_type
        return None

    def name(self, obj):
        return obj.get("Name") or str(obj.get("Id"))
