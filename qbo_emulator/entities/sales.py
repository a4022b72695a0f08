"""Sales: Invoice, CreditMemo and Payment.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment

QuickBooks computes ``TotalAmt`` (lines less discounts plus tax), ``Balance`` (less the
deposit and the payments applied) and the tax; a client's values for them are ignored.
A Payment applies its ``Line[].Amount`` to the invoices (and credit memos) its
``LinkedTxn`` name: it cannot apply more than a transaction's open balance, nor more than
its own ``TotalAmt``; the rest is ``UnappliedAmt``.  Without ``DepositToAccountRef`` the
money goes to Undeposited Funds.
"""

import datetime

from .. import balances, faults, lines, objects, tax, validation
from ..money import ZERO, cents, out, parse
from .txn import Transaction, check_not_deposited

PRINT_STATUSES = ("NotSet", "NeedToPrint", "PrintComplete")
EMAIL_STATUSES = ("NotSet", "NeedToSend", "EmailSent")


def due_date(ctx, txn_date, term):
    start = datetime.date.fromisoformat(txn_date)
    if term is None:
        return txn_date
    if term.get("Type") == "DATE_DRIVEN":
        day = int(term.get("DayOfMonthDue") or 1)
        next_month_days = int(term.get("DueNextMonthDays") or 0)
        year, month = start.year, start.month
        if start.day > day - next_month_days:
            month += 1
            if month > 12:
                year, month = year + 1, 1
        for candidate in range(min(day, 31), 0, -1):
            try:
                return datetime.date(year, month, candidate).isoformat()
            except ValueError:
                continue
    return (start + datetime.timedelta(days=int(term.get("DueDays") or 0))).isoformat()


def find_account(ctx, sub_type=None, account_type=None):
    """The company's first active account of a sub-type (Undeposited Funds, A/R, A/P)."""
    for account in objects.all_of(ctx.db, ctx.realm_id, "Account"):
        if account.get("Active") is False:
            continue
        if sub_type and account.get("AccountSubType") == sub_type:
            return account
        if account_type and account.get("AccountType") == account_type:
            return account
    return None


class SalesForm(Transaction):
    auto_number = True
    doc_pref = "WarnDuplicateInvoiceNumber"
    payment_entity = "Payment"
    lengths = {"DocNumber": 21, "PrivateNote": 4000, "CustomerMemo.value": 1000, "TrackingNum": 31,
               "BillEmail.Address": 100, "BillEmailCc.Address": 200, "BillEmailBcc.Address": 200}
    read_only = Transaction.read_only + ("RemainingCredit", "InvoiceLink", "HomeBalance")

    def compute(self, ctx, data, old, customer):
        priced = lines.sales(ctx, data)
        validation.boolean(data, "ApplyTaxAfterDiscount", False)
        total_tax = tax.apply(ctx, data, priced.entries, priced.subtotal, priced.discount, customer)
        subtotal = sum((entry.net for entry in priced.entries), ZERO)
        data["Line"] = lines.finish_sales_lines(priced)
        total = cents(subtotal - priced.discount + total_tax)
        if total < 0:
            raise faults.business_validation("The transaction total can't be negative.", "Line")
        data["TotalAmt"] = out(total)
        for field, target in (("ClassRef", "Class"), ("DepartmentRef", "Department"),
                              ("DepositToAccountRef", "Account"), ("PaymentMethodRef", "PaymentMethod")):
            validation.reference(ctx, data, field, target)
        for field in ("BillAddr", "ShipAddr"):
            if not data.get(field) and isinstance(customer.get(field), dict):
                data[field] = {k: v for k, v in customer[field].items() if k not in ("Lat", "Long")}
        if not data.get("BillEmail") and isinstance(customer.get("PrimaryEmailAddr"), dict):
            data["BillEmail"] = dict(customer["PrimaryEmailAddr"])
        for field, allowed in (("PrintStatus", PRINT_STATUSES), ("EmailStatus", EMAIL_STATUSES)):
            if data.get(field) in (None, ""):
                data[field] = "NotSet"
            validation.enum(data, field, allowed)
        for field in ("ShipDate",):
            validation.date(data, field)
        data.setdefault("CustomField", [])
        self.keep_payment_links(data, old)
        deposit = cents(parse(data.get("Deposit"), "Deposit", ZERO))
        if deposit < 0 or deposit > total:
            raise faults.business_validation("The deposit can't be more than the transaction total.", "Deposit")
        balance = cents(total - deposit - self.applied(ctx, data, old))
        if balance < 0:
            raise faults.business_validation(
                "The transaction total can't be less than the payments already applied to it.", "Line")
        data["Balance"] = out(balance)
        self.specific(ctx, data, old, customer, deposit)

    def specific(self, ctx, data, old, customer, deposit):
        """Invoice- or credit-memo-only fields."""

    def after_void(self, ctx, new, old):
        super().after_void(ctx, new, old)
        self.unlink_payments(ctx, old)


class Invoice(SalesForm):
    name = "Invoice"
    voidable = True

    def specific(self, ctx, data, old, customer, deposit):
        from .receipts import estimate_links  # noqa: PLC0415 - receipts builds on this module

        estimate_links(ctx, data, customer["Id"])
        data["Deposit"] = out(deposit)
        term = validation.reference(ctx, data, "SalesTermRef", "Term")
        if term is None:
            default = validation.ref_value(customer.get("SalesTermRef")) or validation.ref_value(
                ctx.pref("SalesFormsPrefs", "DefaultTerms"))
            if default:
                data["SalesTermRef"] = {"value": default}
                term = validation.reference(ctx, data, "SalesTermRef", "Term", allow_inactive=True)
        if data.get("SalesTermRef"):
            data["SalesTermRef"] = {"value": data["SalesTermRef"]["value"]}
        if not validation.date(data, "DueDate"):
            data["DueDate"] = due_date(ctx, data["TxnDate"], term)
        for flag in ("AllowIPNPayment", "AllowOnlinePayment", "AllowOnlineCreditCardPayment", "AllowOnlineACHPayment"):
            validation.boolean(data, flag, False)
            data.setdefault(flag, False)

    def void(self, ctx, obj):
        voided = super().void(ctx, obj)
        voided["LinkedTxn"] = [link for link in voided.get("LinkedTxn") or []
                               if link.get("TxnType") not in ("Payment", "Estimate")]
        return voided

    def after_save(self, ctx, new, old):
        from .receipts import refresh_estimates  # noqa: PLC0415

        super().after_save(ctx, new, old)
        refresh_estimates(ctx, new, old)

    def after_delete(self, ctx, obj):
        from .receipts import refresh_estimates  # noqa: PLC0415

        super().after_delete(ctx, obj)
        refresh_estimates(ctx, None, obj, live=False)


class CreditMemo(SalesForm):
    name = "CreditMemo"
    label = "Credit Memo"
    managed_links = ("RefundReceipt",)

    def applied(self, ctx, data, old):
        applied = super().applied(ctx, data, old)
        if old is not None:
            applied += balances.refunded(ctx, validation.ref_value(old.get("CustomerRef")), old["Id"])[0]
        return applied

    def specific(self, ctx, data, old, customer, deposit):
        data.pop("Deposit", None)
        data["RemainingCredit"] = data["Balance"]


class Payment(Transaction):
    name = "Payment"
    voidable = True
    lengths = {"PaymentRefNum": 21, "PrivateNote": 4000}
    read_only = ("UnappliedAmt", "HomeTotalAmt")
    targets = ("Invoice", "CreditMemo")
    credit_targets = ("CreditMemo",)

    def compute(self, ctx, data, old, customer):
        if old is not None:
            check_not_deposited(old)
        total = parse(data.get("TotalAmt"), "TotalAmt")
        if total is None:
            # handling-common-errors, 6000: "You must set a transaction amount."
            raise faults.business_validation("You must set a transaction amount.", "TotalAmt")
        total = cents(total)
        if total < 0:
            raise faults.business_validation("The payment amount can't be negative.", "TotalAmt")
        data["TotalAmt"] = out(total)
        self.accounts(ctx, data)
        applied = self.apply_lines(ctx, data, old, customer)
        if applied > total:
            raise faults.business_validation(
                f"The amount applied to transactions ({applied:,.2f}) is more than the payment amount "
                f"({total:,.2f}).", "Line")
        self.unapplied(data, total - applied)

    def accounts(self, ctx, data):
        if not validation.ref_value(data.get("DepositToAccountRef")):
            undeposited = find_account(ctx, sub_type="UndepositedFunds")
            if undeposited:
                data["DepositToAccountRef"] = {"value": undeposited["Id"]}
        validation.reference(ctx, data, "DepositToAccountRef", "Account")
        validation.reference(ctx, data, "PaymentMethodRef", "PaymentMethod")
        validation.reference(ctx, data, "ARAccountRef", "Account")
        validation.boolean(data, "ProcessPayment", False)
        data.setdefault("ProcessPayment", False)

    def unapplied(self, data, amount):
        data["UnappliedAmt"] = out(cents(amount))

    def apply_lines(self, ctx, data, old, owner):
        """Check every ``Line[].LinkedTxn``; returns the net amount applied."""
        previous = balances.applications(old) if old else {}
        wanted = {}
        checked = []
        for index, raw in enumerate(data.get("Line") or []):
            if not isinstance(raw, dict):
                raise faults.invalid_property("Line", "Line")
            line = dict(raw)
            amount = cents(parse(line.get("Amount"), "Line.Amount", ZERO))
            if amount < 0:
                raise faults.business_validation("A payment line amount can't be negative.", f"Line[{index}].Amount")
            line["Amount"] = out(amount)
            links = []
            for link in line.get("LinkedTxn") or []:
                kind = link.get("TxnType")
                if kind not in self.targets:
                    raise faults.invalid_enumeration(f"Line[{index}].LinkedTxn.TxnType", kind)
                target_id = validation.ref_value(link.get("TxnId"))
                if target_id is None:
                    raise faults.required_param_missing(f"Line[{index}].LinkedTxn.TxnId")
                row = ctx.row(kind, target_id)
                if row is None:
                    raise faults.invalid_reference(f"Line[{index}].LinkedTxn.TxnId", target_id, kind)
                if row["status"] == "deleted":
                    raise faults.deleted_transaction()
                target = ctx.get(kind, target_id)
                if validation.ref_value(target.get(self.owner_field)) != owner["Id"]:
                    raise faults.business_validation(
                        f"{kind} {target_id} belongs to another {self.owner_entity.lower()}; a payment can only be "
                        f"applied to its own {self.owner_entity.lower()}'s transactions.", f"Line[{index}].LinkedTxn")
                key = (kind, target_id)
                wanted[key] = wanted.get(key, ZERO) + amount
                links.append({"TxnId": target_id, "TxnType": kind})
            line["LinkedTxn"] = links
            checked.append(line)
        net = ZERO
        for (kind, target_id), amount in wanted.items():
            target = ctx.get(kind, target_id)
            available = parse(target.get("Balance"), "Balance", ZERO) + previous.get((kind, target_id), ZERO)
            if amount > available:
                raise faults.business_validation(
                    f"The payment applies {amount:,.2f} to {kind} {target_id}, more than its open balance of "
                    f"{available:,.2f}.", "Line.Amount")
            net += -amount if kind in self.credit_targets else amount
        data["Line"] = checked
        return net

    def after_save(self, ctx, new, old):
        super().after_save(ctx, new, old)
        self.refresh(ctx, new, old)

    def after_delete(self, ctx, obj):
        super().after_delete(ctx, obj)
        self.refresh(ctx, None, obj)

    def check_delete(self, ctx, obj):
        check_not_deposited(obj)
        super().check_delete(ctx, obj)

    def void(self, ctx, obj):
        check_not_deposited(obj)
        return super().void(ctx, obj)

    def after_void(self, ctx, new, old):
        self.after_save(ctx, new, old)

    def refresh(self, ctx, new, old):
        targets = set(balances.applications(new)) | set(balances.applications(old))
        owners = {validation.ref_value((obj or {}).get(self.owner_field)) for obj in (new, old)}
        balances.refresh_targets(ctx, self.name, owners, targets)
