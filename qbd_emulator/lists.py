"""List elements: customers and jobs, vendors, items, and the lists a sales form refers to.

Rules, as QuickBooks Desktop applies them:

* ``Name`` is required and unique, case-insensitively, within its space (customers, vendors,
  employees and other names share one; every item type shares another), except that two elements
  may share a name under different parents: uniqueness is on the ``FullName``, which joins the
  ancestors' names with ``:`` (``Jones:Kitchen:Cabinets``), so a name cannot itself hold ``:``.
  A taken name is 3100 (``The name "..." of the list element is already in use.``); inactive
  elements keep their names.
* ``ParentRef`` must name an element of the same list (3130); customers nest up to five levels.
* References to other lists must name an active element (3140).
* A Mod names the element by ``ListID`` (3000 when there is none) and must carry its current
  ``EditSequence`` (3200); only the elements sent change, an empty element clears its field, and the
  ``EditSequence`` and ``TimeModified`` move forward.  Renaming or moving a parent renames the
  ``FullName`` of its descendants.
"""

from . import objects, qbxml, status
from .context import ref_of

MAX_CUSTOMER_DEPTH = 5

# Per kind: the refs it may carry, the uniqueness label used in messages, whether it nests.
LISTS = {
    "Customer": {"refs": ("ClassRef", "CustomerTypeRef", "TermsRef", "SalesRepRef", "SalesTaxCodeRef",
                          "ItemSalesTaxRef", "PreferredPaymentMethodRef", "JobTypeRef", "PriceLevelRef",
                          "CurrencyRef"),
                 "nests": True, "label": "Customer"},
    "Vendor": {"refs": ("ClassRef", "VendorTypeRef", "TermsRef", "BillingRateRef", "SalesTaxCodeRef",
                        "SalesTaxReturnRef", "TaxOnPurchasesAccountRef", "TaxOnSalesAccountRef", "CurrencyRef"),
               "nests": False, "label": "Vendor"},
    "ItemService": {"refs": ("ClassRef", "UnitOfMeasureSetRef", "SalesTaxCodeRef"), "nests": True, "label": "Item"},
    "ItemNonInventory": {"refs": ("ClassRef", "UnitOfMeasureSetRef", "SalesTaxCodeRef"), "nests": True,
                         "label": "Item"},
}

# Elements of an Add that the Ret returns under another name.
RENAMES = {"Contacts": "ContactsRet", "AdditionalNotes": "AdditionalNotesRet", "BarCode": "BarCodeValue"}
# Elements an Add accepts that change what QuickBooks records elsewhere (an opening balance is an
# invoice in QuickBooks): the stand-in answers 530 and records the rest.
NOT_MODELLED = ("OpenBalance", "OpenBalanceDate")


def _validate_name(kind, name):
    if not name or not name.strip():
        raise status.cannot_save(LISTS.get(kind, {}).get("label", kind), name or "",
                                 "A name is required.")
    if ":" in name:
        # The colon separates the levels of a FullName; QuickBooks does not accept it in a Name
        # (Intuit QBD API reference). The status the SDK answers is not documented: the stand-in
        # answers 3180, QuickBooks' "error when saving" code.
        raise status.cannot_save(LISTS.get(kind, {}).get("label", kind), name,
                                 "A name cannot contain a colon (:).")


def _full_name(parent, name):
    return f"{parent['FullName']}:{name}" if parent else name


def _parent(ctx, kind, ref, label):
    target = ctx.lookup(ref, (kind,))
    if target is None or target.get("IsActive") is False:
        raise status.invalid_parent(ref.get("ListID") or ref.get("FullName") or "", label)
    return target


def _key_fields(obj):
    return {"name_key": (obj.get("FullName") or obj["Name"]).lower(),
            "parent_id": (obj.get("ParentRef") or {}).get("ListID"),
            "active": obj.get("IsActive", True)}


def _bools(data, *fields):
    for field in fields:
        if field in data and isinstance(data[field], str):
            data[field] = qbxml.to_bool(data[field], field)


def _check_unique(ctx, kind, full_name, except_id=None):
    taken = objects.name_taken(ctx.db, ctx.company, objects.SPACES[kind], full_name, except_id)
    if taken is not None:
        raise status.name_in_use(full_name)


def _resolve_refs(ctx, kind, data, where):
    for element in LISTS[kind]["refs"]:
        if element in data:
            data[element], _ = ctx.resolve(element, data[element], where)


def _format_prices(block):
    for field in ("Price", "SalesPrice", "PurchaseCost"):
        if field in block and block[field] != "":
            block[field] = qbxml.fmt_price(qbxml.to_decimal(block[field], field, places=5))
    if "PricePercent" in block:
        block["PricePercent"] = qbxml.fmt_number(qbxml.to_decimal(block["PricePercent"], "PricePercent", places=5))


def _item_accounts(ctx, data, where, label, name):
    """SalesOrPurchase needs an account; SalesAndPurchase an income and an expense account."""
    if "SalesOrPurchase" in data:
        block = data["SalesOrPurchase"]
        _format_prices(block)
        if "AccountRef" not in block:
            raise status.cannot_save(label, name, "An account must be assigned to this item.")
        block["AccountRef"], _ = ctx.resolve("AccountRef", block["AccountRef"], where)
    if "SalesAndPurchase" in data:
        block = data["SalesAndPurchase"]
        _format_prices(block)
        for element in ("IncomeAccountRef", "ExpenseAccountRef"):
            if element not in block:
                raise status.cannot_save(label, name, f"An account must be assigned to this item ({element}).")
        for element in ("IncomeAccountRef", "ExpenseAccountRef", "PrefVendorRef", "PurchaseTaxCodeRef"):
            if element in block:
                block[element], _ = ctx.resolve(element, block[element], where)


def add(ctx, kind, data, warnings):
    """CustomerAdd, VendorAdd, ItemServiceAdd, ItemNonInventoryAdd: the new element's Ret."""
    ctx.require_writable()
    label = LISTS[kind]["label"]
    where = {"Customer": "Customer", "Vendor": "Vendor"}.get(kind, "Item")
    name = data.get("Name", "")
    _validate_name(kind, name)
    for field in NOT_MODELLED:
        if field in data:
            data.pop(field)
            warnings.append(status.unsupported_field(field))
    parent = None
    if "ParentRef" in data:
        parent = _parent(ctx, kind, data["ParentRef"], label)
        if kind == "Customer" and parent.get("Sublevel", 0) + 1 > MAX_CUSTOMER_DEPTH - 1:
            raise status.invalid_parent(parent["FullName"], label)
    full_name = _full_name(parent, name)
    _check_unique(ctx, kind, full_name)
    _bools(data, "IsActive", "IsStatementWithParent", "IsTaxIncluded", "IsVendorEligibleFor1099",
           "IsSalesTaxAgency", "IsTaxTrackedOnPurchases", "IsTaxTrackedOnSales", "IsTaxOnTax")
    _resolve_refs(ctx, kind, data, where)
    if kind.startswith("Item"):
        _item_accounts(ctx, data, where, "Items", name)
    for field in ("CreditLimit",):
        if field in data:
            data[field] = qbxml.fmt_amount(qbxml.to_decimal(data[field], field))
    list_id = ctx.list_id()
    obj = {"ListID": list_id, "TimeCreated": ctx.stamp(), "TimeModified": ctx.stamp(),
           "EditSequence": objects.next_edit_sequence(ctx.now), "Name": name}
    if LISTS[kind]["nests"]:
        obj["FullName"] = full_name
    obj["IsActive"] = data.pop("IsActive", True)
    if parent is not None:
        obj["ParentRef"] = ref_of(parent)
        obj["Sublevel"] = parent.get("Sublevel", 0) + 1
    elif LISTS[kind]["nests"]:
        obj["Sublevel"] = 0
    for key, value in data.items():
        if key in ("Name", "ParentRef"):
            continue
        obj[RENAMES.get(key, key)] = value
    _defaults(ctx, kind, obj)
    _stamp_children(ctx, obj)
    objects.save(ctx.store, ctx.db, ctx.company, kind, obj, ctx.now, key_fields=_key_fields(obj))
    ctx.forget()
    return obj


def _defaults(ctx, kind, obj):
    """What QuickBooks fills in on a new element."""
    if kind == "Customer":
        if ctx.sales_tax_on() and "SalesTaxCodeRef" not in obj:
            code = ctx.pref("SalesTaxPreferences", "DefaultTaxableSalesTaxCodeRef")
            if code:
                obj["SalesTaxCodeRef"] = dict(code)
        obj.setdefault("JobStatus", "None")
        obj.setdefault("PreferredDeliveryMethod", "None")
    elif kind == "Vendor":
        obj.setdefault("IsVendorEligibleFor1099", False)
    elif kind in ("ItemService", "ItemNonInventory") and ctx.sales_tax_on() and "SalesTaxCodeRef" not in obj:
        pref = "DefaultNonTaxableSalesTaxCodeRef" if kind == "ItemService" else "DefaultTaxableSalesTaxCodeRef"
        code = ctx.pref("SalesTaxPreferences", pref)
        if code:
            obj["SalesTaxCodeRef"] = dict(code)


def _stamp_children(ctx, obj):
    """Contacts and notes get ids of their own in the Ret."""
    for contact in obj.get("ContactsRet", []):
        if "ListID" not in contact:
            contact_id = ctx.list_id()
            ordered = {"ListID": contact_id, "TimeCreated": ctx.stamp(), "TimeModified": ctx.stamp(),
                       "EditSequence": objects.next_edit_sequence(ctx.now)}
            ordered.update(contact)
            contact.clear()
            contact.update(ordered)
    for index, note in enumerate(obj.get("AdditionalNotesRet", []), start=1):
        if "NoteID" not in note:
            ordered = {"NoteID": str(index), "Date": ctx.today().isoformat()}
            ordered.update(note)
            note.clear()
            note.update(ordered)


def find_for_mod(ctx, kind, data):
    list_id = data["ListID"].strip()
    obj = objects.get(ctx.db, ctx.company, kind, list_id)
    if obj is None:
        raise status.invalid_object_id(list_id)
    if data["EditSequence"].strip() != obj["EditSequence"]:
        raise status.stale_edit_sequence(data["EditSequence"])
    return obj


MOD_RENAMES = {"ContactsMod": "ContactsRet", "AdditionalNotesMod": "AdditionalNotesRet",
               "SalesOrPurchaseMod": "SalesOrPurchase", "SalesAndPurchaseMod": "SalesAndPurchase",
               "BarCode": "BarCodeValue"}


def mod(ctx, kind, data, warnings):
    """CustomerMod, ItemServiceMod: the changed element's Ret."""
    ctx.require_writable()
    label = LISTS[kind]["label"]
    where = {"Customer": "Customer", "Vendor": "Vendor"}.get(kind, "Item")
    obj = find_for_mod(ctx, kind, data)
    changes = {k: v for k, v in data.items() if k not in ("ListID", "EditSequence")}
    old_full_name = obj.get("FullName") or obj["Name"]
    name = changes.pop("Name", obj["Name"])
    _validate_name(kind, name)
    parent = None
    if "ParentRef" in changes:
        ref = changes.pop("ParentRef")
        if ref.get("ListID") or ref.get("FullName"):
            parent = _parent(ctx, kind, ref, label)
            ancestor = parent
            while ancestor is not None:
                if ancestor["ListID"] == obj["ListID"]:
                    raise status.invalid_parent(parent["FullName"], label)
                up = (ancestor.get("ParentRef") or {}).get("ListID")
                ancestor = objects.get(ctx.db, ctx.company, kind, up) if up else None
    elif obj.get("ParentRef"):
        parent = objects.get(ctx.db, ctx.company, kind, obj["ParentRef"]["ListID"])
    full_name = _full_name(parent, name)
    if full_name.lower() != old_full_name.lower():
        _check_unique(ctx, kind, full_name, except_id=obj["ListID"])
    _bools(changes, "IsActive", "IsStatementWithParent", "IsTaxIncluded", "IsVendorEligibleFor1099",
           "ForceUOMChange")
    for element in LISTS[kind]["refs"]:
        if element in changes and isinstance(changes[element], dict):
            if changes[element].get("ListID") or changes[element].get("FullName"):
                changes[element], _ = ctx.resolve(element, changes[element], where)
            else:
                changes[element] = ""
    obj["Name"] = name
    if LISTS[kind]["nests"]:
        obj["FullName"] = full_name
        if parent is not None:
            obj["ParentRef"] = ref_of(parent)
            obj["Sublevel"] = parent.get("Sublevel", 0) + 1
        else:
            obj.pop("ParentRef", None)
            obj["Sublevel"] = 0
    changes.pop("ForceUOMChange", None)
    for key, value in changes.items():
        target = MOD_RENAMES.get(key, key)
        if key in ("SalesOrPurchaseMod", "SalesAndPurchaseMod"):
            _merge_sales(ctx, obj, target, value, where, name)
        elif value == "" or value == {}:
            obj.pop(target, None)
        else:
            obj[target] = value
    _stamp_children(ctx, obj)
    obj["TimeModified"] = ctx.stamp()
    obj["EditSequence"] = objects.next_edit_sequence(ctx.now, obj["EditSequence"])
    objects.save(ctx.store, ctx.db, ctx.company, kind, obj, ctx.now, key_fields=_key_fields(obj))
    if LISTS[kind]["nests"] and full_name != old_full_name:
        _rename_descendants(ctx, kind, obj)
    ctx.forget()
    return obj


def _merge_sales(ctx, obj, target, changes, where, name):
    other = "SalesAndPurchase" if target == "SalesOrPurchase" else "SalesOrPurchase"
    if other in obj:
        raise status.cannot_save("Items", name, f"This item keeps its information in {other}; send "
                                                f"{other}Mod.")
    block = dict(obj.get(target, {}))
    changes = dict(changes)
    changes.pop("ApplyAccountRefToExistingTxns", None)
    changes.pop("ApplyIncomeAccountRefToExistingTxns", None)
    changes.pop("ApplyExpenseAccountRefToExistingTxns", None)
    _format_prices(changes)
    for element in ("AccountRef", "IncomeAccountRef", "ExpenseAccountRef", "PrefVendorRef", "PurchaseTaxCodeRef"):
        if element in changes:
            changes[element], _ = ctx.resolve(element, changes[element], where)
    if "Price" in changes:
        block.pop("PricePercent", None)
    if "PricePercent" in changes:
        block.pop("Price", None)
    block.update(changes)
    order = ("Desc", "Price", "PricePercent", "AccountRef") if target == "SalesOrPurchase" else \
        ("SalesDesc", "SalesPrice", "IncomeAccountRef", "PurchaseDesc", "PurchaseCost", "PurchaseTaxCodeRef",
         "ExpenseAccountRef", "PrefVendorRef")
    obj[target] = {key: block[key] for key in order if key in block and block[key] != ""}


def _rename_descendants(ctx, kind, parent):
    for child in objects.rows(ctx.db, ctx.company, (kind,), "parent_id = ? AND status = 'live'",
                              (parent["ListID"],)):
        child["FullName"] = f"{parent['FullName']}:{child['Name']}"
        child["ParentRef"] = ref_of(parent)
        child["Sublevel"] = parent.get("Sublevel", 0) + 1
        objects.save(ctx.store, ctx.db, ctx.company, kind, child, ctx.now, key_fields=_key_fields(child))
        _rename_descendants(ctx, kind, child)
