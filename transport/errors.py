"""Errors raised by the transport layer, each with a message a user can act on.

QuickBooks fault codes are classified on ``(code, message)`` because some codes carry two
meanings (5010 is a stale SyncToken or a closed period, 6210 a duplicate number or a closed
period).  See ``../shared/reference/qbo-api.md`` section 5 and
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
"""

import re


class QuickBooksError(Exception):
    """Base class.  ``message`` says what happened, ``hint`` what to do about it."""

    retryable = False
    reconnect_needed = False

    def __init__(self, message, hint="", *, code="", detail="", http_status=None, intuit_tid="", element=""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = str(code or "")
        self.detail = detail or ""
        self.element = element or ""
        self.http_status = http_status
        self.intuit_tid = intuit_tid or ""

    def user_message(self):
        parts = [self.message]
        if self.hint:
            parts.append(self.hint)
        return " ".join(parts)

    def __str__(self):
        return self.user_message()


class NotConnectedError(QuickBooksError):
    """The company has no usable QuickBooks connection (never connected or disconnected)."""


class ConfigurationError(QuickBooksError):
    """Missing client id or secret, missing emulator URL, or no encryption key."""


class EncryptionKeyError(ConfigurationError):
    pass


class NetworkError(QuickBooksError):
    """QuickBooks could not be reached (DNS, refused connection, TLS, timeout)."""

    retryable = True


class CredentialsError(QuickBooksError):
    """Intuit rejected the app's client id or secret (``invalid_client``)."""


class AuthorizationRevokedError(QuickBooksError):
    """The refresh token is dead (``invalid_grant``) or access was revoked: reconnect."""

    reconnect_needed = True


class EnvironmentMismatchError(QuickBooksError):
    """403 / 3100 or a discovery URL that is not Intuit's: the environment does not match."""


class QuickBooksFault(QuickBooksError):
    """A fault QuickBooks returned for a request (validation, business rule, server error)."""

    def __init__(self, message, hint="", **kwargs):
        super().__init__(message, hint, **kwargs)
        code = self.code.lstrip("0")
        self.retryable = code in RETRYABLE_CODES or (self.http_status or 0) >= 500


class ThrottledError(QuickBooksFault):
    """HTTP 429 / fault 3001: QuickBooks' rate limit was reached."""

    retryable = True


RETRYABLE_CODES = {"3001", "10000"}

# Plain-language hints for the faults a sync meets, keyed by QuickBooks code.
HINTS = {
    "610": "A record this one refers to is inactive or was deleted in QuickBooks. "
           "Reactivate it in QuickBooks or link another record, then retry.",
    "2020": "A field QuickBooks requires is empty. Fill it in Odoo and retry.",
    "2050": "A text is longer than QuickBooks allows. Shorten it in Odoo and retry.",
    "2170": "A value is not one QuickBooks accepts for that field.",
    "2500": "A reference (customer, item, account, tax code...) does not exist in QuickBooks. "
            "Check the mapping under QuickBooks settings, then retry.",
    "3001": "QuickBooks' rate limit was reached. The sync waits and retries by itself.",
    "3100": "QuickBooks refused this app access to the company: the environment does not match "
            "(a sandbox company needs the Sandbox environment and development keys; a real company "
            "needs Production and production keys), or the app was disconnected in QuickBooks. "
            "Check the environment, then reconnect.",
    "3200": "The access token was refused. Reconnect to QuickBooks if this persists.",
    "4000": "QuickBooks could not parse a query. Report this as a bug with the sync log entry.",
    "5010": "The record was changed in QuickBooks since Odoo last read it. The sync re-reads and "
            "retries; if both sides changed the same fields, resolve the conflict by hand.",
    "6000": "QuickBooks refused the record for a business rule; its message says which.",
    "6140": "That document number is already used in QuickBooks. Change the number in Odoo, or "
            "link the existing QuickBooks document.",
    "6190": "The QuickBooks subscription has a billing problem; sign in to QuickBooks to fix it.",
    "6210": "The books are closed in QuickBooks for that date. Change the closing date in "
            "QuickBooks (Account and settings > Advanced) or date the document later.",
    "6240": "Another customer, vendor or employee in QuickBooks already has this name. Rename one "
            "of them or link the existing record.",
    "6540": "The payment is part of a QuickBooks deposit and cannot be changed.",
    "10000": "QuickBooks had an internal error. The sync retries by itself; if it persists, a "
             "reference may be inactive.",
}


# QuickBooks' field names, as faults name them ("element", or inside the message), and the
# label a person sees for the same thing in Odoo.  A fault's text is shown with these labels
# (the code stays for support): "Due Date", not "DueDate".
FIELD_LABELS = {
    "DisplayName": "Name", "CompanyName": "Company name", "GivenName": "First name", "FamilyName": "Last name",
    "MiddleName": "Middle name", "Title": "Title", "Suffix": "Suffix", "PrintOnCheckName": "Name on checks",
    "PrimaryEmailAddr": "Email", "PrimaryPhone": "Phone", "Mobile": "Mobile", "AlternatePhone": "Phone",
    "Fax": "Fax", "WebAddr": "Website", "Notes": "Notes", "AcctNum": "Reference", "TaxIdentifier": "Tax ID",
    "BillAddr": "Invoice address", "ShipAddr": "Delivery address", "Line1": "Street", "Line2": "Street 2",
    "City": "City", "CountrySubDivisionCode": "State", "PostalCode": "ZIP", "Country": "Country",
    "Name": "Name", "Sku": "Internal reference", "Description": "Description", "UnitPrice": "Sales price",
    "PurchaseCost": "Cost", "IncomeAccountRef": "Income account", "ExpenseAccountRef": "Expense account",
    "AssetAccountRef": "Inventory account", "DocNumber": "Number", "TxnDate": "Date", "DueDate": "Due Date",
    "ShipDate": "Delivery date", "PrivateNote": "Internal note", "CustomerMemo": "Terms and conditions",
    "CustomerRef": "Customer", "VendorRef": "Vendor", "EmployeeRef": "Employee", "ItemRef": "Product",
    "AccountRef": "Account", "APAccountRef": "Payable account", "ARAccountRef": "Receivable account",
    "DepositToAccountRef": "Journal", "PaymentMethodRef": "Payment method", "SalesTermRef": "Payment terms",
    "TaxCodeRef": "Tax", "ClassRef": "Class", "DepartmentRef": "Location", "CurrencyRef": "Currency",
    "ExchangeRate": "Exchange rate", "Qty": "Quantity", "Amount": "Amount", "TotalAmt": "Total",
    "PaymentRefNum": "Payment reference", "Hours": "Hours", "Minutes": "Minutes", "HourlyRate": "Hourly rate",
    "BillableStatus": "Billable", "ParentRef": "Parent company",
}
_FIELD_WORDS = re.compile(r"\b(" + "|".join(sorted(FIELD_LABELS, key=len, reverse=True)) + r")\b")


def field_label(element):
    """The label a person sees for QuickBooks' field ``element`` ("Line.SalesItemLineDetail.
    ItemRef" -> "Product"); the element itself when it is not known."""
    parts = [part for part in re.split(r"[./]", element or "") if part]
    for part in reversed(parts):
        part = re.sub(r"\[\d+\]$", "", part)
        if part in FIELD_LABELS:
            return FIELD_LABELS[part]
    return parts[-1] if parts else ""


def with_labels(text):
    """``text`` with QuickBooks' field names replaced by the labels people see in Odoo.  Only
    names of two words or more run together (``DueDate``, ``DisplayName``) are replaced: a plain
    word ("Name", "City", "Amount") reads the same either way."""
    return _FIELD_WORDS.sub(
        lambda match: FIELD_LABELS[match.group(1)] if re.search(r"[a-z][A-Z]", match.group(1)) else match.group(1),
        text or "")


def fault_text(code, message, detail, element=""):
    """The message of a QuickBooks fault, in the words of Odoo's screens: the field it is about
    named by its label (2050 says which text is too long and its limit)."""
    code = str(code or "").lstrip("0") or str(code or "")
    label = field_label(element)
    if code == "2050":
        limit = re.search(r"Max:(\d+)", detail or "")
        supplied = re.search(r"Supplied length:(\d+)", detail or "")
        if label and limit:
            given = f", {supplied.group(1)} given" if supplied else ""
            return (f"QuickBooks fault 2050: the {label} is too long for QuickBooks "
                    f"(at most {limit.group(1)} characters{given}).")
    short = with_labels(message.split(";")[0]) if message else "QuickBooks error"
    text = f"QuickBooks fault {code} ({short})" + (f": {with_labels(detail)}" if detail else ".")
    if label and label not in text:
        text = f"{text if text.endswith('.') else text + '.'} Field: {label}."
    return text


def hint_for(code, message="", element=""):
    label = field_label(element)
    if str(code or "").lstrip("0") == "2050" and label:
        return f"Shorten the {label} in Odoo and retry."
    return _hint_for(code, message)


def _hint_for(code, message=""):
    code = str(code or "").lstrip("0")
    if code == "5010" and "period" in message.lower():
        return HINTS["6210"]
    if code == "6210" and "duplicate" in message.lower():
        return HINTS["6140"]
    return HINTS.get(code, "")
