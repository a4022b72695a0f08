"""SalesReceipt, RefundReceipt and Estimate: sales forms with lines and tax like an invoice.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/refundreceipt
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/estimate

* SalesReceipt: ``Line`` is required; paid at once, so ``Balance`` is 0; the money goes to
  ``DepositToAccountRef``, Undeposited Funds when none is given (a Deposit moves it out).
  ``CustomerRef`` is optional.
* RefundReceipt: ``Line`` and ``DepositToAccountRef`` (the account the refund is paid
  from) are required.  A refund receipt linked to a credit memo (``LinkedTxn`` of type
  CreditMemo) pays that credit back: the credit memo's ``Balance``/``RemainingCredit`` go
  down by the refund's ``TotalAmt`` (never below zero: a refund larger than the credit left
  is refused), and the credit memo lists the refund in its own ``LinkedTxn``.
* Estimate: ``CustomerRef`` and ``Line`` required; ``TxnStatus`` Pending, Accepted, Closed
  or Rejected (Pending by default).  An invoice that names the estimate in its
  ``LinkedTxn`` closes it (``TxnStatus`` Closed, the invoice in the estimate's
  ``LinkedTxn``); deleting or voiding that invoice opens it again.
"""

from .. import balances, faults, objects, validation
from ..money import ZERO, parse
from .sales import SalesForm, find_account
from .txn import check_not_deposited


def _undeposited(ctx, data):
    if not validation.ref_value(data.get("DepositToAccountRef")):
        undeposited = find_account(ctx, sub_type="UndepositedFunds")
        if undeposited:
            data["DepositToAccountRef"] = {"value": undeposited["Id"]}


class _Receipt(SalesForm):
    owner_required = False
    voidable = True
    payment_entity = None

    def compute(self, ctx, data, old, customer):
        super().compute(ctx, data, old, customer or {})

    def applied(self, ctx, data, old):
        return ZERO


class SalesReceipt(_Receipt):
    name = "SalesReceipt"
    label = "Sales Receipt"
    managed_links = ("Deposit",)

    def validate(self, ctx, data, old):
        _undeposited(ctx, data)
        return super().validate(ctx, data, old)

    def specific(self, ctx, data, old, customer, deposit):
        data.pop("Deposit", None)
        data["Balance"] = 0
        validation.reference(ctx, data, "PaymentMethodRef", "PaymentMethod")
        if old is not None:
            check_not_deposited(old)

    def check_delete(self, ctx, obj):
        check_not_deposited(obj)
        super().check_delete(ctx, obj)

    def void(self, ctx, obj):
        check_not_deposited(obj)
        return super().void(ctx, obj)


class RefundReceipt(_Receipt):
    name = "RefundReceipt"
    label = "Refund Receipt"
    auto_number = True
    doc_pref = None

    def validate(self, ctx, data, old):
        if not validation.ref_value(data.get("DepositToAccountRef")):
            raise faults.required_param_missing("DepositToAccountRef")
        return super().validate(ctx, data, old)

    def specific(self, ctx, data, old, customer, deposit):
        data.pop("Deposit", None)
        data["Balance"] = 0
        validation.reference(ctx, data, "PaymentMethodRef", "PaymentMethod")
        total = parse(data.get("TotalAmt"), "TotalAmt", ZERO)
        for link in data.get("LinkedTxn") or []:
            if link.get("TxnType") != "CreditMemo":
                continue
            memo_id = validation.ref_value(link.get("TxnId"))
            memo = ctx.get("CreditMemo", memo_id) if memo_id else None
            if memo is None:
                raise faults.invalid_reference("LinkedTxn.TxnId", memo_id, "CreditMemo")
            if not customer or validation.ref_value(memo.get("CustomerRef")) != customer.get("Id"):
                raise faults.business_validation(
                    f"Credit memo {memo_id} belongs to another customer; a refund receipt can only refund its "
                    "own customer's credit.", "LinkedTxn")
            available = parse(memo.get("Balance"), "Balance", ZERO) + balances.refund_of(old, memo_id)
            if total > available:
                raise faults.business_validation(
                    f"The refund ({total:,.2f}) is more than the credit left on credit memo {memo_id} "
                    f"({available:,.2f}).", "LinkedTxn")
            link["TxnId"] = memo_id

    def after_save(self, ctx, new, old):
        super().after_save(ctx, new, old)
        refresh_credit_memos(ctx, new, old)

    def after_delete(self, ctx, obj):
        super().after_delete(ctx, obj)
        refresh_credit_memos(ctx, None, obj)

    def after_void(self, ctx, new, old):
        super().after_void(ctx, new, old)
        refresh_credit_memos(ctx, new, old)


def refresh_credit_memos(ctx, new, old):
    memos = balances.linked_memos(new) | balances.linked_memos(old)
    owners = {validation.ref_value((obj or {}).get("CustomerRef")) for obj in (new, old)}
    if memos:
        balances.refresh_targets(ctx, "Payment", owners, {("CreditMemo", memo_id) for memo_id in memos})


class Estimate(SalesForm):
    name = "Estimate"
    doc_pref = None
    payment_entity = None
    read_only = SalesForm.read_only + ("Balance",)

    def validate(self, ctx, data, old):
        data = super().validate(ctx, data, old)
        data.pop("Balance", None)
        data.pop("HomeBalance", None)
        return data

    def specific(self, ctx, data, old, customer, deposit):
        data.pop("Deposit", None)
        status = data.get("TxnStatus")
        if status in (None, ""):
            data["TxnStatus"] = (old or {}).get("TxnStatus") or "Pending"
        validation.enum(data, "TxnStatus", ("Pending", "Accepted", "Closed", "Rejected"))
        for field in ("ExpirationDate", "AcceptedDate"):
            validation.date(data, field)
        # The invoices that closed it are QuickBooks' to list.
        data["LinkedTxn"] = [link for link in (old or {}).get("LinkedTxn") or [] if link.get("TxnType") == "Invoice"]


def estimate_links(ctx, invoice, customer_id):
    """Check the estimates an invoice names in its ``LinkedTxn``."""
    for link in (invoice.get("LinkedTxn") or []):
        if link.get("TxnType") != "Estimate":
            continue
        estimate_id = validation.ref_value(link.get("TxnId"))
        estimate = ctx.get("Estimate", estimate_id) if estimate_id else None
        if estimate is None:
            raise faults.invalid_reference("LinkedTxn.TxnId", estimate_id, "Estimate")
        if validation.ref_value(estimate.get("CustomerRef")) != customer_id:
            raise faults.business_validation(
                f"Estimate {estimate_id} belongs to another customer.", "LinkedTxn")
        link["TxnId"] = estimate_id


def _estimates(invoice):
    return {str(link.get("TxnId")) for link in (invoice or {}).get("LinkedTxn") or []
            if link.get("TxnType") == "Estimate"}


def refresh_estimates(ctx, new, old, live=True):
    """Close the estimates an invoice links to; reopen the ones it no longer does."""
    invoice_id = (new or old)["Id"]
    now_linked = _estimates(new) if live else set()
    for estimate_id in sorted(now_linked | _estimates(old)):
        estimate = ctx.get("Estimate", estimate_id)
        if estimate is None:
            continue
        links = [link for link in estimate.get("LinkedTxn") or []
                 if not (link.get("TxnType") == "Invoice" and str(link.get("TxnId")) == invoice_id)]
        if estimate_id in now_linked:
            links.append({"TxnId": invoice_id, "TxnType": "Invoice"})
        status = estimate.get("TxnStatus")
        if any(link.get("TxnType") == "Invoice" for link in links):
            status = "Closed"
        elif status == "Closed":
            status = "Pending"
        if links == (estimate.get("LinkedTxn") or []) and status == estimate.get("TxnStatus"):
            continue
        estimate["LinkedTxn"] = links
        estimate["TxnStatus"] = status
        objects.save(ctx.db, ctx.realm_id, "Estimate", estimate, ctx.now)
        ctx.changed("Estimate", estimate_id, "Update")


