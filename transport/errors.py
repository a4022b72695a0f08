"""Errors raised by the transport layer, each with a message a user can act on.

QuickBooks fault codes are classified on ``(code, message)`` because some codes carry two
meanings (5010 is a stale SyncToken or a closed period, 6210 a duplicate number or a closed
period).  See ``../shared/reference/qbo-api.md`` section 5 and
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
"""


class QuickBooksError(Exception):
    """Base class.  ``message`` says what happened, ``hint`` what to do about it."""

    retryable = False
    reconnect_needed = False

    def __init__(self, message, hint="", *, code="", detail="", http_status=None, intuit_tid=""):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = str(code or "")
        self.detail = detail or ""
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


def hint_for(code, message=""):
    code = str(code or "").lstrip("0")
    if code == "5010" and "period" in message.lower():
        return HINTS["6210"]
    if code == "6210" and "duplicate" in message.lower():
        return HINTS["6140"]
    return HINTS.get(code, "")
