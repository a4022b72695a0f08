"""QuickBooks Desktop list elements -> the shape the import-first planner reads
(sync/record_import.py, written for QuickBooks Online's JSON): one conversion per list, so that
the Desktop import previews, matches, resolves duplicate names and applies exactly as Online's.

A Desktop customer's ``Name`` is its own (a job's without its parents); ``FullName`` carries the
parents (``Parent:Job``), which QuickBooks Online calls ``FullyQualifiedName``."""

from .common import text_of

# Desktop item Ret -> QuickBooks Online item Type (what mapping/item.py imports; others skipped).
ITEM_TYPES = {
    "ItemServiceRet": "Service", "ItemNonInventoryRet": "NonInventory", "ItemInventoryRet": "Inventory",
    "ItemOtherChargeRet": "OtherCharge", "ItemInventoryAssemblyRet": "Assembly", "ItemSubtotalRet": "Subtotal",
    "ItemDiscountRet": "Discount", "ItemPaymentRet": "Payment", "ItemSalesTaxRet": "SalesTax",
    "ItemSalesTaxGroupRet": "SalesTaxGroup", "ItemGroupRet": "Group", "ItemFixedAssetRet": "FixedAsset",
}


def _address(ret, tag):
    address = ret.find(tag)
    if address is None:
        return None
    out = {f"Line{n}": text_of(address, f"Addr{n}") for n in range(1, 6) if text_of(address, f"Addr{n}")}
    for qbd, qbo in (("City", "City"), ("State", "CountrySubDivisionCode"), ("PostalCode", "PostalCode"),
                     ("Country", "Country")):
        if text_of(address, qbd):
            out[qbo] = text_of(address, qbd)
    return out or None


def _phone(value):
    return {"FreeFormNumber": value} if value else None


def customer_obj(ret):
    """A ``CustomerRet`` as a QuickBooks Online Customer."""
    parent = text_of(ret, "ParentRef/ListID")
    obj = {
        "Id": text_of(ret, "ListID"),
        "SyncToken": text_of(ret, "EditSequence"),
        "DisplayName": text_of(ret, "Name"),
        "FullyQualifiedName": text_of(ret, "FullName") or text_of(ret, "Name"),
        "CompanyName": text_of(ret, "CompanyName") or None,
        "GivenName": text_of(ret, "FirstName") or None,
        "FamilyName": text_of(ret, "LastName") or None,
        "PrimaryEmailAddr": {"Address": text_of(ret, "Email")} if text_of(ret, "Email") else None,
        "PrimaryPhone": _phone(text_of(ret, "Phone")),
        "Mobile": _phone(text_of(ret, "Mobile")),
        "AlternatePhone": _phone(text_of(ret, "AltPhone")),
        "BillAddr": _address(ret, "BillAddress"),
        "ShipAddr": _address(ret, "ShipAddress"),
        "Notes": text_of(ret, "Notes") or None,
        "Active": text_of(ret, "IsActive") != "false",
        "Job": bool(parent),
        "ParentRef": {"value": parent} if parent else None,
    }
    return {key: value for key, value in obj.items() if value is not None}


def item_obj(ret):
    """An ``Item*Ret`` as a QuickBooks Online Item (its Desktop kind in ``Type``)."""
    sales = ret.find("SalesOrPurchase")
    both = ret.find("SalesAndPurchase")
    if sales is not None:
        price, desc = text_of(sales, "Price"), text_of(sales, "Desc")
    elif both is not None:
        price, desc = text_of(both, "SalesPrice"), text_of(both, "SalesDesc")
    else:
        price, desc = text_of(ret, "SalesPrice"), text_of(ret, "SalesDesc")
    tag = ret.tag if isinstance(ret.tag, str) else ""
    obj = {
        "Id": text_of(ret, "ListID"),
        "SyncToken": text_of(ret, "EditSequence"),
        "Name": text_of(ret, "Name"),
        "FullyQualifiedName": text_of(ret, "FullName") or text_of(ret, "Name"),
        "Type": ITEM_TYPES.get(tag, tag[:-3] if tag.endswith("Ret") else tag),
        "UnitPrice": price or None,
        "Description": desc or None,
        "Active": text_of(ret, "IsActive") != "false",
    }
    return {key: value for key, value in obj.items() if value is not None}


def name_of(ret):
    """The name a Vendor, Employee or Other Name ``Ret`` holds in the shared name space."""
    return text_of(ret, "Name") or text_of(ret, "FullName")
