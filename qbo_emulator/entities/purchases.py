"""Purchases: Bill, VendorCredit, Purchase (expense, check, credit-card charge) and
BillPayment.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/bill
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/billpayment
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchase
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendorcredit

* Lines are ``AccountBasedExpenseLineDetail`` (an expense account) or
  ``ItemBasedExpenseLineDetail`` (an item, Qty x UnitPrice = Amount).
* Purchase: ``PaymentType`` (Cash, Check, CreditCard) is required and has no default;
  ``AccountRef`` is the bank or card account paid from.  A sparse update must repeat both
  (qbo-api.md section 4).
* BillPayment: ``PayType`` Check (``CheckPayment.BankAccountRef``) or CreditCard
  (``CreditCardPayment.CCAccountRef``); ``APAccountRef`` must be an Accounts Payable account.
"""

from .. import faults, lines, tax, validation
from ..money import ZERO, cents, out
from .sales import Payment, due_date, find_account
from .txn import Transaction


def _expense_totals(ctx, data):
    priced = lines.expenses(ctx, data)
    total_tax = tax.apply(ctx, data, priced.entries, priced.subtotal, ZERO, purchase=True)
    subtotal = sum((entry.net for entry in priced.entries), ZERO)
    data["Line"] = priced.lines
    for field, target in (("DepartmentRef", "Department"), ("ClassRef", "Class")):
        validation.reference(ctx, data, field, target)
    return cents(subtotal + total_tax)


def _account_of_type(ctx, data, field, account_types, element=None, default=None, required=False):
    if not validation.ref_value(data.get(field)) and default is not None:
        data[field] = {"value": default["Id"]}
    account = validation.reference(ctx, data, field, "Account", element=element, required=required)
    if account is not None and account.get("AccountType") not in account_types:
        raise faults.business_validation(
            f"{element or field} must be an account of type {' or '.join(account_types)}.", element or field)
    return account


class _PayableTransaction(Transaction):
    """What a vendor is owed (Bill) or owes back (VendorCredit): expense lines, posted to
    Accounts Payable, settled by BillPayments."""

    owner_field = "VendorRef"
    owner_entity = "Vendor"
    doc_pref = "WarnDuplicateBillNumber"
    payment_entity = "BillPayment"

    def payable_total(self, ctx, data):
        total = _expense_totals(ctx, data)
        data["TotalAmt"] = out(total)
        _account_of_type(ctx, data, "APAccountRef", ("Accounts Payable",),
                         default=find_account(ctx, account_type="Accounts Payable"))
        return total


class Bill(_PayableTransaction):
    name = "Bill"

    def compute(self, ctx, data, old, vendor):
        from .orders import check_order_links  # noqa: PLC0415 - orders builds on this module

        check_order_links(ctx, data, vendor["Id"])
        total = self.payable_total(ctx, data)
        term = validation.reference(ctx, data, "SalesTermRef", "Term")
        if term is None:
            default = validation.ref_value(vendor.get("TermRef")) or validation.ref_value(
                ctx.pref("VendorAndPurchasesPrefs", "DefaultTerms"))
            if default:
                data["SalesTermRef"] = {"value": default}
                term = validation.reference(ctx, data, "SalesTermRef", "Term", allow_inactive=True)
        if not validation.date(data, "DueDate"):
            data["DueDate"] = due_date(ctx, data["TxnDate"], term)
        self.keep_payment_links(data, old)
        balance = cents(total - self.applied(ctx, data, old))
        if balance < 0:
            raise faults.business_validation("The bill total can't be less than the payments already applied to it.",
                                             "Line")
        data["Balance"] = out(balance)


    def after_save(self, ctx, new, old):
        from .orders import refresh_orders  # noqa: PLC0415

        super().after_save(ctx, new, old)
        refresh_orders(ctx, new, old)

    def after_delete(self, ctx, obj):
        from .orders import refresh_orders  # noqa: PLC0415

        super().after_delete(ctx, obj)
        refresh_orders(ctx, None, obj, live=False)


class VendorCredit(_PayableTransaction):
    name = "VendorCredit"
    label = "Vendor Credit"

    def compute(self, ctx, data, old, vendor):
        total = self.payable_total(ctx, data)
        self.keep_payment_links(data, old)
        data["Balance"] = out(cents(total - self.applied(ctx, data, old)))


PURCHASE_ACCOUNT_TYPES = {
    "Cash": ("Bank", "Other Current Asset"),
    "Check": ("Bank",),
    "CreditCard": ("Credit Card",),
}


class Purchase(Transaction):
    name = "Purchase"
    owner_field = "EntityRef"
    owner_entity = ("Vendor", "Customer", "Employee")
    owner_required = False
    lengths = {"DocNumber": 21, "PrivateNote": 4000}

    label = "Check"  # only check numbers are checked for duplicates

    def merge(self, old, payload, sparse):
        if sparse:
            for field in ("PaymentType", "AccountRef"):
                if not payload.get(field):
                    raise faults.required_param_missing(field)
        return super().merge(old, payload, sparse)

    def resolve_owner(self, ctx, data):
        owner = validation.reference(ctx, data, "EntityRef", self.owner_entity)
        if owner is not None and "type" not in data["EntityRef"]:
            for entity in self.owner_entity:
                row = ctx.row(entity, owner["Id"])
                if row is not None and row["name"] == (owner.get("DisplayName") or "").lower():
                    data["EntityRef"]["type"] = entity
                    break
        return owner

    def duplicate_warning(self, ctx, data):
        # QuickBooks warns about duplicate check numbers, not expense reference numbers.
        return data.get("PaymentType") == "Check" and str(
            ctx.other_pref("WarnDuplicateCheckNumber", "false")).lower() == "true"

    def currency(self, ctx, data, owner):
        super().currency(ctx, data, owner if owner and owner.get("CurrencyRef") else None)

    def compute(self, ctx, data, old, owner):
        kind = data.get("PaymentType")
        if kind in (None, ""):
            raise faults.required_param_missing("PaymentType")
        validation.enum(data, "PaymentType", tuple(PURCHASE_ACCOUNT_TYPES))
        _account_of_type(ctx, data, "AccountRef", PURCHASE_ACCOUNT_TYPES[kind], required=True)
        credit = validation.boolean(data, "Credit", False)
        if credit and kind != "CreditCard":
            raise faults.business_validation("Credit is only valid on a credit card purchase.", "Credit")
        if kind != "CreditCard":
            data.pop("Credit", None)
        if data.get("PrintStatus") in (None, ""):
            data["PrintStatus"] = "NotSet"
        validation.enum(data, "PrintStatus", ("NotSet", "NeedToPrint", "PrintComplete"))
        validation.reference(ctx, data, "PaymentMethodRef", "PaymentMethod")
        total = _expense_totals(ctx, data)
        data["TotalAmt"] = out(total)


class BillPayment(Payment):
    name = "BillPayment"
    label = "Bill Payment"
    owner_field = "VendorRef"
    owner_entity = "Vendor"
    lengths = {"DocNumber": 21, "PrivateNote": 4000}
    read_only = ("HomeTotalAmt",)
    targets = ("Bill", "VendorCredit")
    credit_targets = ("VendorCredit",)

    def duplicate_warning(self, ctx, data):
        return data.get("PayType") == "Check" and str(
            ctx.other_pref("WarnDuplicateCheckNumber", "false")).lower() == "true"

    def accounts(self, ctx, data):
        kind = data.get("PayType")
        if kind in (None, ""):
            raise faults.required_param_missing("PayType")
        validation.enum(data, "PayType", ("Check", "CreditCard"))
        if kind == "Check":
            detail = dict(data.get("CheckPayment") or {})
            _account_of_type(ctx, detail, "BankAccountRef", ("Bank",), element="CheckPayment.BankAccountRef",
                             required=True)
            if detail.get("PrintStatus") in (None, ""):
                detail["PrintStatus"] = "NotSet"
            data["CheckPayment"] = detail
            data.pop("CreditCardPayment", None)
        else:
            detail = dict(data.get("CreditCardPayment") or {})
            _account_of_type(ctx, detail, "CCAccountRef", ("Credit Card",), element="CreditCardPayment.CCAccountRef",
                             required=True)
            data["CreditCardPayment"] = detail
            data.pop("CheckPayment", None)
        _account_of_type(ctx, data, "APAccountRef", ("Accounts Payable",),
                         default=find_account(ctx, account_type="Accounts Payable"))

    def unapplied(self, data, amount):
        # A bill payment has no UnappliedAmt attribute in QuickBooks' schema.
        data.pop("UnappliedAmt", None)
