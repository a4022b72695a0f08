"""A QuickBooks Payment, entered in QuickBooks, as a payment to register in Odoo: plain
functions of the QuickBooks object and Odoo's records (no I/O).

* the invoices it pays are those Odoo sent (found by their link, ``quickbooks.binding``);
* its journal is the payment journal whose QuickBooks deposit account and payment method
  (QuickBooks > Configuration > Payment journals, the mapping the push uses) are the
  payment's; an empty deposit account stands for Undeposited Funds, as in QuickBooks;
* a voided payment is one whose amounts QuickBooks set to zero.
"""

from datetime import datetime, timezone

from .common import MappingError, fingerprint
from .inbound_handler import InboundHandler, register

OWN_MARKER = "[odoo:account.payment:"
ODOO_MARKER = "[odoo:"  # any object Odoo wrote (a payment, a credit note's application)


def is_own(obj):
    """Written by Odoo: its marker is in the private note (a payment, or the payment of no
    money that applies a credit note, ``[odoo:account.move:N][applied]``)."""
    return ODOO_MARKER in (obj.get("PrivateNote") or "")


def credit_applications(obj):
    """``[(credit memo qbo_id, amount)]`` the payment applies."""
    result = {}
    for line in obj.get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            if link.get("TxnType") == "CreditMemo" and link.get("TxnId"):
                key = str(link["TxnId"])
                result[key] = round(result.get(key, 0.0) + float(line.get("Amount") or 0.0), 2)
    return sorted(result.items())


def applications(obj):
    """``[(invoice qbo_id, amount)]``: what the payment applies to each invoice (credit memos
    applied by the same payment are left out: they do not move money)."""
    result = {}
    for line in obj.get("Line") or []:
        for link in line.get("LinkedTxn") or []:
            if link.get("TxnType") == "Invoice" and link.get("TxnId"):
                key = str(link["TxnId"])
                result[key] = round(result.get(key, 0.0) + float(line.get("Amount") or 0.0), 2)
    return sorted(result.items())


def is_voided(obj):
    """QuickBooks keeps a voided payment with its amounts at zero (and says so in its note)."""
    if float(obj.get("TotalAmt") or 0.0) != 0.0:
        return False
    return all(amount == 0.0 for _txn, amount in applications(obj)) or "void" in (obj.get("PrivateNote") or "").lower()


def last_updated(obj):
    """``(text, epoch seconds)`` of MetaData.LastUpdatedTime (QuickBooks writes its offset)."""
    text = ((obj.get("MetaData") or {}).get("LastUpdatedTime")) or ""
    return text, parse_time(text)


def parse_time(text):
    """Seconds since 1970 of a QuickBooks date-time (``2026-11-22T01:02:03.456-08:00``); a
    time without an offset is QuickBooks' Pacific time, as QuickBooks reads it."""
    if not text:
        return 0.0
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        from zoneinfo import ZoneInfo  # noqa: PLC0415

        parsed = parsed.replace(tzinfo=ZoneInfo("America/Los_Angeles"))
    return parsed.timestamp()


def utc_naive(epoch):
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def qbo_time(moment):
    """A naive UTC datetime as QuickBooks wants it in ``changedSince`` and queries: with its
    offset, so that QuickBooks does not read it as Pacific time."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + "+00:00"


def signature(obj):
    """What of the payment Odoo registers: a change of anything else changes nothing in Odoo."""
    credits = credit_applications(obj)
    return fingerprint({
        **({"credits": credits} if credits else {}),
        "total": round(float(obj.get("TotalAmt") or 0.0), 2),
        "date": obj.get("TxnDate"),
        "ref": obj.get("PaymentRefNum") or "",
        "deposit": (obj.get("DepositToAccountRef") or {}).get("value"),
        "method": (obj.get("PaymentMethodRef") or {}).get("value"),
        "applied": applications(obj),
        "voided": is_voided(obj),
    })


def find_journal(env, company, obj):
    """The payment journal of ``company`` mapped to the payment's deposit account and payment
    method; MappingError (with what to do) when none or several fit."""
    deposit = str((obj.get("DepositToAccountRef") or {}).get("value") or "")
    method = str((obj.get("PaymentMethodRef") or {}).get("value") or "")
    journals = env["account.journal"].sudo().search(
        [("company_id", "=", company.id), ("type", "in", ("bank", "cash"))], order="sequence, id")
    deposit_ref = env["quickbooks.reference"].sudo().with_context(active_test=False).search([
        ("company_id", "=", company.id), ("qbo_entity", "=", "Account"), ("qbo_id", "=", deposit)], limit=1)
    undeposited = deposit_ref.qbo_subtype == "UndepositedFunds" or not deposit

    def deposit_fits(journal):
        ref = journal.quickbooks_deposit_account_ref_id
        return ref.qbo_id == deposit if ref else undeposited

    def method_fits(journal):
        return (journal.quickbooks_payment_method_ref_id.qbo_id or "") == method

    # The deposit account decides (a journal without one sends to, and so stands for,
    # Undeposited Funds); the payment method breaks ties; an explicit deposit account first.
    for candidates in (journals.filtered(lambda j: deposit_fits(j) and method_fits(j)),
                       journals.filtered(lambda j: deposit_fits(j) and j.quickbooks_deposit_account_ref_id),
                       journals.filtered(deposit_fits)):
        if candidates:
            return candidates[0]
    method_ref = env["quickbooks.reference"].sudo().with_context(active_test=False).search([
        ("company_id", "=", company.id), ("qbo_entity", "=", "PaymentMethod"), ("qbo_id", "=", method)], limit=1)
    raise MappingError(
        env._("No payment journal in Odoo for QuickBooks deposit account %(account)s (payment method %(method)s).",
              account=deposit_ref.name or deposit or env._("Undeposited Funds"),
              method=method_ref.name or method or env._("none")),
        env._("Set the journal's QuickBooks deposit account under QuickBooks > Configuration > Payment journals, "
              "then Retry this entry."),
    )


def payment_values(obj):
    """What the registration wizard receives, besides the journal and the invoices."""
    total = round(sum(amount for _txn, amount in applications(obj)), 2)
    return {
        "amount": total,
        "payment_date": obj.get("TxnDate"),
        "communication": obj.get("PaymentRefNum") or f"QuickBooks payment {obj.get('Id')}",
    }


@register
class PaymentHandler(InboundHandler):
    """QuickBooks payments (and credit memos applied by them) come back as registered,
    reconciled payments; the work is the pull engine's (``PullEngine._apply_payment``)."""

    entity = "Payment"

    def label(self, job, obj):
        reference = obj.get("PaymentRefNum") if obj else None
        return f"{self.entity} {job.qbo_id}" + (f" ({reference})" if reference else "")

    def changes(self, engine, env, objects):
        ids = [str(obj["Id"]) for obj in objects]
        links = env["quickbooks.binding"].search([
            ("realm_id", "=", engine.realm_id), ("qbo_entity", "=", self.entity), ("qbo_id", "in", ids)])
        tokens = {link.qbo_id: (link.origin, link.qbo_sync_token) for link in links}
        changes = {}
        for obj in objects:
            qbo_id = str(obj["Id"])
            deleted = obj.get("status") == "Deleted"
            origin, token = tokens.get(qbo_id, (None, None))
            if not deleted and (is_own(obj) or (origin == "push" and token == str(obj.get("SyncToken", "")))):
                continue  # Odoo's own payment, as Odoo sent it
            changes[qbo_id] = "Delete" if deleted else "Update"
        return changes

    def skip_notification(self, env, connection, operations):
        """Odoo's own payments, as Odoo wrote them (voided or deleted in QuickBooks: looked at)."""
        own = {link.qbo_id for link in env["quickbooks.binding"].sudo().search([
            ("realm_id", "=", connection.realm_id), ("qbo_entity", "=", self.entity),
            ("qbo_id", "in", list(operations)), ("origin", "=", "push")])}
        return {qbo_id for qbo_id in own if operations[qbo_id] not in ("Delete", "Void")}

    def linked_ids(self, engine, env):
        """Payments registered from QuickBooks and still live in Odoo."""
        links = env["quickbooks.binding"].search_read([
            ("realm_id", "=", engine.realm_id), ("qbo_entity", "=", self.entity), ("origin", "=", "import"),
            ("res_model", "=", "account.payment")], ["res_id", "qbo_id"])
        live = set(env["account.payment"].search([
            ("id", "in", [link["res_id"] for link in links]), ("state", "!=", "canceled")]).ids)
        return [link["qbo_id"] for link in links if link["res_id"] in live and link["qbo_id"].isdigit()]

    def apply(self, engine, env, job, obj):
        return engine._apply_payment(env, job, obj)
