"""Deposit, Transfer and JournalEntry: transactions between accounts, with no customer or
vendor of their own.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/deposit
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/transfer
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/journalentry

* Deposit: ``DepositToAccountRef`` and ``Line`` are required.  A line either carries a
  ``LinkedTxn`` to a Payment or SalesReceipt waiting in Undeposited Funds (its ``Amount`` is
  that transaction's total: the deposit moves it out of Undeposited Funds, the payment then
  lists the deposit in its ``LinkedTxn`` and cannot be changed or deleted until it is
  taken off the deposit, fault 6540), or a ``DepositLineDetail`` with the ``AccountRef``
  the money comes from.  ``TotalAmt`` is the lines less ``CashBack.Amount``.
* Transfer: ``FromAccountRef``, ``ToAccountRef`` (two different accounts) and ``Amount``
  (positive) are required.
* JournalEntry: ``Line`` is required; each line is a ``JournalEntryLineDetail`` with a
  ``PostingType`` (Debit or Credit) and an ``AccountRef``; debits must equal credits.  A
  line on Accounts Receivable needs a customer (``Entity``), on Accounts Payable a vendor.
  ``TotalAmt`` is the sum of the debits.
"""

from .. import faults, objects, validation
from ..money import ZERO, cents, out, parse
from .sales import find_account
from .txn import Transaction

DEPOSITABLE = ("Payment", "SalesReceipt")


class _AccountTransaction(Transaction):
    owner_field = None
    owner_required = False
    voidable = False

    def resolve_owner(self, ctx, data):
        return None


def _positive_amount(line, element):
    amount = parse(line.get("Amount"), element)
    if amount is None:
        raise faults.required_param_missing(element)
    amount = cents(amount)
    if amount < 0:
        raise faults.business_validation("A line amount can't be negative.", element)
    line["Amount"] = out(amount)
    return amount


def _lines(data):
    found = data.get("Line")
    if not isinstance(found, list) or not found:
        raise faults.required_param_missing("Line")
    return found


class Deposit(_AccountTransaction):
    name = "Deposit"

    def compute(self, ctx, data, old, owner):
        account = validation.reference(ctx, data, "DepositToAccountRef", "Account", required=True)
        if account.get("AccountSubType") == "UndepositedFunds" or account.get("AccountType") not in (
                "Bank", "Other Current Asset"):
            raise faults.business_validation(
                "DepositToAccountRef must be a bank or other current asset account other than Undeposited Funds.",
                "DepositToAccountRef")
        undeposited = find_account(ctx, sub_type="UndepositedFunds")
        total = ZERO
        seen = set()
        checked = []
        for index, raw in enumerate(_lines(data)):
            if not isinstance(raw, dict):
                raise faults.invalid_property("Line", "Line")
            line = dict(raw)
            amount = _positive_amount(line, f"Line[{index}].Amount")
            links = line.get("LinkedTxn") or []
            if links:
                link = dict(links[0])
                kind, txn_id = link.get("TxnType"), validation.ref_value(link.get("TxnId"))
                if kind not in DEPOSITABLE:
                    raise faults.invalid_enumeration(f"Line[{index}].LinkedTxn.TxnType", kind)
                txn = ctx.get(kind, txn_id) if txn_id else None
                if txn is None:
                    raise faults.invalid_reference(f"Line[{index}].LinkedTxn.TxnId", txn_id, kind)
                held_by = next((x.get("TxnId") for x in txn.get("LinkedTxn") or [] if x.get("TxnType") == "Deposit"),
                               None)
                if (kind, txn_id) in seen or (held_by and (old is None or str(held_by) != old["Id"])):
                    raise faults.business_validation(f"{kind} {txn_id} has already been deposited.", "LinkedTxn")
                if undeposited is None or validation.ref_value(txn.get("DepositToAccountRef")) != undeposited["Id"]:
                    raise faults.business_validation(
                        f"{kind} {txn_id} is not in Undeposited Funds: only money waiting there can be deposited.",
                        f"Line[{index}].LinkedTxn")
                if amount != parse(txn.get("TotalAmt"), "TotalAmt", ZERO):
                    raise faults.business_validation(
                        f"The deposit line for {kind} {txn_id} must be its full amount "
                        f"({parse(txn.get('TotalAmt'), 'TotalAmt', ZERO):,.2f}).", f"Line[{index}].Amount")
                seen.add((kind, txn_id))
                line["LinkedTxn"] = [{"TxnId": txn_id, "TxnType": kind, "TxnLineId": "0"}]
                line.pop("DepositLineDetail", None)
                line.pop("DetailType", None)
            else:
                detail = dict(line.get("DepositLineDetail") or {})
                validation.reference(ctx, detail, "AccountRef", "Account", element=f"Line[{index}].AccountRef",
                                     required=True)
                validation.reference(ctx, detail, "PaymentMethodRef", "PaymentMethod")
                line["DetailType"] = "DepositLineDetail"
                line["DepositLineDetail"] = detail
            line["Id"] = str(index + 1)
            total += amount
            checked.append(line)
        data["Line"] = checked
        cash_back = data.get("CashBack")
        if isinstance(cash_back, dict) and cash_back.get("Amount") not in (None, ""):
            back = cents(parse(cash_back.get("Amount"), "CashBack.Amount", ZERO))
            validation.reference(ctx, cash_back, "AccountRef", "Account", element="CashBack.AccountRef",
                                 required=True)
            cash_back["Amount"] = out(back)
            total -= back
        if total < 0:
            raise faults.business_validation("The deposit total can't be negative.", "CashBack")
        data["TotalAmt"] = out(cents(total))

    def after_save(self, ctx, new, old):
        super().after_save(ctx, new, old)
        _relink(ctx, new, old)

    def after_delete(self, ctx, obj):
        super().after_delete(ctx, obj)
        _relink(ctx, None, obj)


def _deposited(deposit):
    return {(link.get("TxnType"), str(link.get("TxnId")))
            for line in (deposit or {}).get("Line") or [] for link in line.get("LinkedTxn") or []}


def _relink(ctx, new, old):
    """The payments and sales receipts a deposit holds list it in their ``LinkedTxn``."""
    deposit_id = (new or old)["Id"]
    held = _deposited(new)
    for kind, txn_id in sorted(held | _deposited(old)):
        txn = ctx.get(kind, txn_id)
        if txn is None:
            continue
        links = [x for x in txn.get("LinkedTxn") or []
                 if not (x.get("TxnType") == "Deposit" and str(x.get("TxnId")) == deposit_id)]
        if (kind, txn_id) in held:
            links.append({"TxnId": deposit_id, "TxnType": "Deposit"})
        if links == (txn.get("LinkedTxn") or []):
            continue
        txn["LinkedTxn"] = links
        objects.save(ctx.db, ctx.realm_id, kind, txn, ctx.now)
        ctx.changed(kind, txn_id, "Update")


class Transfer(_AccountTransaction):
    name = "Transfer"

    def compute(self, ctx, data, old, owner):
        source = validation.reference(ctx, data, "FromAccountRef", "Account", required=True)
        target = validation.reference(ctx, data, "ToAccountRef", "Account", required=True)
        if source["Id"] == target["Id"]:
            raise faults.business_validation("You can't transfer money to the same account.", "ToAccountRef")
        amount = parse(data.get("Amount"), "Amount")
        if amount is None:
            raise faults.required_param_missing("Amount")
        amount = cents(amount)
        if amount <= 0:
            raise faults.business_validation("You must set a transaction amount.", "Amount")
        data["Amount"] = out(amount)
        data.pop("TotalAmt", None)

    def home_amounts(self, ctx, data):
        data.pop("HomeTotalAmt", None)


class JournalEntry(_AccountTransaction):
    name = "JournalEntry"
    label = "Journal Entry"
    read_only = ("TotalAmt", "HomeTotalAmt")

    def compute(self, ctx, data, old, owner):
        debit = credit = ZERO
        checked = []
        for index, raw in enumerate(_lines(data)):
            if not isinstance(raw, dict):
                raise faults.invalid_property("Line", "Line")
            line = dict(raw)
            if line.get("DetailType") == "DescriptionOnly":
                checked.append(line)
                continue
            amount = _positive_amount(line, f"Line[{index}].Amount")
            line["DetailType"] = "JournalEntryLineDetail"
            detail = dict(line.get("JournalEntryLineDetail") or {})
            validation.enum(detail, "PostingType", ("Debit", "Credit"), required=True,
                            element=f"Line[{index}].JournalEntryLineDetail.PostingType")
            account = validation.reference(ctx, detail, "AccountRef", "Account",
                                           element=f"Line[{index}].JournalEntryLineDetail.AccountRef", required=True)
            self._entity(ctx, detail, account, index)
            for field, target in (("ClassRef", "Class"), ("DepartmentRef", "Department")):
                validation.reference(ctx, detail, field, target)
            line["JournalEntryLineDetail"] = detail
            line.setdefault("Id", str(index))
            if detail["PostingType"] == "Debit":
                debit += amount
            else:
                credit += amount
            checked.append(line)
        if debit != credit:
            # Intuit's JournalEntry page: "the sum of debits must equal the sum of credits".
            raise faults.business_validation(
                f"Transaction is not balanced: debits {debit:,.2f}, credits {credit:,.2f}.", "Line")
        data["Line"] = checked
        validation.boolean(data, "Adjustment", False)
        data["TotalAmt"] = out(cents(debit))

    @staticmethod
    def _entity(ctx, detail, account, index):
        entity = detail.get("Entity")
        ref = entity.get("EntityRef") if isinstance(entity, dict) else None
        kind = account.get("AccountType")
        needed = {"Accounts Receivable": "Customer", "Accounts Payable": "Vendor"}.get(kind)
        if needed and not validation.ref_value(ref):
            name = "customer" if needed == "Customer" else "vendor"
            raise faults.business_validation(
                f"When you use {kind}, you must choose a {name} in the Name field.",
                f"Line[{index}].JournalEntryLineDetail.Entity")
        if validation.ref_value(ref):
            entity_type = entity.get("Type") or needed or "Customer"
            if entity_type not in ("Customer", "Vendor", "Employee"):
                raise faults.invalid_enumeration(f"Line[{index}].JournalEntryLineDetail.Entity.Type", entity_type)
            holder = {"EntityRef": ref}
            validation.reference(ctx, holder, "EntityRef", entity_type, required=True,
                                 element=f"Line[{index}].JournalEntryLineDetail.Entity.EntityRef")
            detail["Entity"] = {"Type": entity_type, "EntityRef": holder["EntityRef"]}
