"""Figures QuickBooks keeps current as transactions come and go.

* A customer's ``Balance`` is what it owes: open invoices, less open credit memos and
  unapplied payments; ``BalanceWithJobs`` adds its sub-customers'.  A vendor's ``Balance``
  is its open bills less open vendor credits.  These change without a new SyncToken.
* Payments (``Line[].LinkedTxn``) lower the ``Balance`` of the invoices and credit memos they
  apply to; bill payments do the same for bills and vendor credits.  The linked
  transaction lists the payment in its own ``LinkedTxn`` and gets a new SyncToken.
* Refund receipts linked to a credit memo lower its ``Balance`` (``RemainingCredit``) as
  payments do, and are listed in its ``LinkedTxn``.
* Inventory items' ``QtyOnHand`` goes down when they are invoiced and up when they are
  bought (bills, purchases) or credited.
"""

from . import objects
from .money import ZERO, cents, out, parse

# How much each transaction adds to its owner's balance.
CONTRIBUTION = {
    "Invoice": ("Customer", "Balance", 1),
    "CreditMemo": ("Customer", "Balance", -1),
    "Payment": ("Customer", "UnappliedAmt", -1),
    "Bill": ("Vendor", "Balance", 1),
    "VendorCredit": ("Vendor", "Balance", -1),
}

# Inventory movement per transaction: sign applied to the lines' quantities.
STOCK_SIGN = {"Invoice": -1, "CreditMemo": 1, "Bill": 1, "Purchase": 1, "VendorCredit": -1, "SalesReceipt": -1,
              "RefundReceipt": 1}

# Which transactions a payment entity may apply, and the owner they must share.
APPLIES_TO = {
    "Payment": ("Invoice", "CreditMemo"),
    "BillPayment": ("Bill", "VendorCredit"),
}


def _owner_id(obj, field):
    ref = (obj or {}).get(field)
    return str(ref["value"]) if isinstance(ref, dict) and ref.get("value") is not None else None


def _contribution(entity, obj):
    if obj is None:
        return None, ZERO
    _owner, field, sign = CONTRIBUTION[entity]
    owner_field = objects.OWNER_REFS[entity]
    return _owner_id(obj, owner_field), sign * parse(obj.get(field), field, ZERO)


def owner_balances(ctx, entity, new, old):
    """Move the owner's balance by what this change did to the transaction's open amount."""
    if entity not in CONTRIBUTION:
        return
    owner_entity = CONTRIBUTION[entity][0]
    old_owner, old_amount = _contribution(entity, old)
    new_owner, new_amount = _contribution(entity, new)
    if old_owner == new_owner:
        if old_owner and new_amount != old_amount:
            _add_to_owner(ctx, owner_entity, new_owner, new_amount - old_amount)
        return
    if old_owner and old_amount:
        _add_to_owner(ctx, owner_entity, old_owner, -old_amount)
    if new_owner and new_amount:
        _add_to_owner(ctx, owner_entity, new_owner, new_amount)


def _add_to_owner(ctx, owner_entity, owner_id, delta):
    owner = ctx.get(owner_entity, owner_id)
    if owner is None:
        return
    owner["Balance"] = out(cents(parse(owner.get("Balance"), "Balance", ZERO) + delta))
    if owner_entity == "Customer":
        seen = set()
        while owner is not None and owner["Id"] not in seen:
            seen.add(owner["Id"])
            owner["BalanceWithJobs"] = out(cents(parse(owner.get("BalanceWithJobs"), "BalanceWithJobs", ZERO) + delta))
            objects.save(ctx.db, ctx.realm_id, "Customer", owner, ctx.now, bump_token=False)
            parent = owner.get("ParentRef")
            owner = ctx.get("Customer", parent["value"]) if isinstance(parent, dict) else None
    else:
        objects.save(ctx.db, ctx.realm_id, owner_entity, owner, ctx.now, bump_token=False)


def stock(ctx, entity, new_qty, old_qty):
    """Apply the change in inventory quantities between two versions of a transaction."""
    sign = STOCK_SIGN.get(entity)
    if sign is None:
        return
    for item_id in set(new_qty) | set(old_qty):
        delta = sign * (new_qty.get(item_id, ZERO) - old_qty.get(item_id, ZERO))
        if not delta:
            continue
        item = ctx.get("Item", item_id)
        if item is None or item.get("Type") != "Inventory":
            continue
        item["QtyOnHand"] = out(parse(item.get("QtyOnHand"), "QtyOnHand", ZERO) + delta)
        objects.save(ctx.db, ctx.realm_id, "Item", item, ctx.now, bump_token=False)


def item_quantities(obj):
    """``{item id: quantity}`` of the inventory lines of a stored transaction."""
    result = {}
    for line in (obj or {}).get("Line") or []:
        for key in ("SalesItemLineDetail", "ItemBasedExpenseLineDetail"):
            detail = line.get(key)
            if isinstance(detail, dict) and isinstance(detail.get("ItemRef"), dict) and detail.get("Qty"):
                item_id = str(detail["ItemRef"]["value"])
                result[item_id] = result.get(item_id, ZERO) + parse(detail["Qty"], "Qty", ZERO)
        group = line.get("GroupLineDetail")
        if isinstance(group, dict):
            for item_id, qty in item_quantities({"Line": group.get("Line") or []}).items():
                result[item_id] = result.get(item_id, ZERO) + qty
    return result


def applications(payment):
    """``{(entity, id): amount}`` a payment applies, from its ``Line[].LinkedTxn``."""
    result = {}
    for line in (payment or {}).get("Line") or []:
        amount = parse(line.get("Amount"), "Line.Amount", ZERO)
        for link in line.get("LinkedTxn") or []:
            key = (link.get("TxnType"), str(link.get("TxnId")))
            result[key] = result.get(key, ZERO) + amount
    return result


def applied_to(ctx, payment_entity, owner_id, target_entity, target_id, exclude_id=None):
    """Total other payments of this owner apply to one transaction."""
    total = ZERO
    for payment in objects.owned_by(ctx.db, ctx.realm_id, payment_entity, owner_id):
        if exclude_id is not None and payment["Id"] == str(exclude_id):
            continue
        total += applications(payment).get((target_entity, str(target_id)), ZERO)
    return total


def linked_memos(obj):
    """The credit memos a refund receipt pays back."""
    return {str(link.get("TxnId")) for link in (obj or {}).get("LinkedTxn") or []
            if link.get("TxnType") == "CreditMemo"}


def refund_of(receipt, memo_id):
    """What a refund receipt pays back on one credit memo."""
    if receipt and str(memo_id) in linked_memos(receipt):
        return parse(receipt.get("TotalAmt"), "TotalAmt", ZERO)
    return ZERO


def refunded(ctx, customer_id, memo_id):
    """Live refund receipts of a customer that pay back a credit memo: ``(total, links)``."""
    total, links = ZERO, []
    if not customer_id:
        return total, links
    for receipt in sorted(objects.owned_by(ctx.db, ctx.realm_id, "RefundReceipt", customer_id),
                          key=lambda r: int(r["Id"])):
        amount = refund_of(receipt, memo_id)
        if amount:
            total += amount
            links.append({"TxnId": receipt["Id"], "TxnType": "RefundReceipt"})
    return total, links


def refresh_targets(ctx, payment_entity, owner_ids, targets):
    """Recompute ``Balance`` and ``LinkedTxn`` of the transactions in ``targets`` (pairs of
    entity and id) from every live payment of their owner."""
    if not targets:
        return
    payments = []
    for owner_id in {o for o in owner_ids if o}:
        payments.extend(objects.owned_by(ctx.db, ctx.realm_id, payment_entity, owner_id))
    for target_entity, target_id in sorted(targets):
        target = ctx.get(target_entity, target_id)
        if target is None:
            continue
        applied = ZERO
        links = []
        for payment in sorted(payments, key=lambda p: int(p["Id"])):
            amount = applications(payment).get((target_entity, str(target_id)))
            if amount:
                applied += amount
                links.append({"TxnId": payment["Id"], "TxnType": payment_entity})
        managed = {payment_entity}
        if target_entity == "CreditMemo":
            refund, refund_links = refunded(ctx, _owner_id(target, "CustomerRef"), target_id)
            applied += refund
            links += refund_links
            managed.add("RefundReceipt")
        total = parse(target.get("TotalAmt"), "TotalAmt", ZERO)
        deposit = parse(target.get("Deposit"), "Deposit", ZERO)
        balance = cents(total - deposit - applied)
        others = [link for link in target.get("LinkedTxn") or [] if link.get("TxnType") not in managed]
        if out(balance) == target.get("Balance") and others + links == (target.get("LinkedTxn") or []):
            continue
        old = dict(target)
        target["Balance"] = out(balance)
        if "HomeBalance" in target:
            rate = parse(target.get("ExchangeRate"), "ExchangeRate", None) or 1
            target["HomeBalance"] = out(cents(balance * rate))
        if target_entity == "CreditMemo":
            target["RemainingCredit"] = out(balance)
        target["LinkedTxn"] = others + links
        saved = objects.save(ctx.db, ctx.realm_id, target_entity, target, ctx.now)
        owner_balances(ctx, target_entity, saved, old)
        ctx.changed(target_entity, target_id, "Update")
