"""Helpers shared by the entity mappings: limits, text, addresses, amounts."""

import hashlib
import json
import re

from odoo.tools import html2plaintext

# Field limits as Intuit documents them for QuickBooks Online
# (https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer, .../item,
# .../invoice); see ../shared/reference/qbo-api.md section 9.
DISPLAY_NAME_MAX = 500
ITEM_NAME_MAX = 100
DOC_NUMBER_MAX = 21
CUSTOMER_MEMO_MAX = 1000
PRIVATE_NOTE_MAX = 4000
DESCRIPTION_MAX = 4000
ADDRESS_LINE_MAX = 500
CITY_MAX = 255
POSTAL_CODE_MAX = 30
PHONE_MAX = 30
EMAIL_MAX = 100
PAYMENT_REF_MAX = 21
SKU_MAX = 100


class MappingError(Exception):
    """The record cannot be sent as it is; ``hint`` says what to change in Odoo."""

    def __init__(self, message, hint=""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class MissingDependency(Exception):
    """A record this one refers to has no QuickBooks id yet (push it first)."""

    def __init__(self, record, qbo_entity):
        super().__init__(f"{record._name},{record.id} needs a {qbo_entity} in QuickBooks first")
        self.record = record
        self.qbo_entity = qbo_entity


def clip(text, limit):
    text = (text or "").strip()
    return text[:limit] if len(text) > limit else text


def qbo_name(text, limit):
    """A name QuickBooks accepts: no colon (it separates levels), tab or newline, and not too long."""
    text = re.sub(r"[:\t\r\n]+", " ", text or "")
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text[:limit].rstrip()


def plain_text(html, limit):
    text = html2plaintext(html or "") if html else ""
    return clip(text, limit)


def money(amount):
    """Two decimals, as QuickBooks stores amounts."""
    return round(float(amount or 0.0) + 0.0, 2)


def unit_price(subtotal, quantity):
    """A unit price such that QuickBooks' check ``Amount == Qty x UnitPrice`` holds to the cent
    (discounts and tax-included prices leave Odoo with a subtotal that is not a round product)."""
    if not quantity:
        return money(subtotal)
    return round(float(subtotal) / float(quantity), 7)


def address(partner):
    if not partner:
        return None
    lines = [line for line in (partner.street, partner.street2) if line]
    result = {
        "Line1": clip(lines[0], ADDRESS_LINE_MAX) if lines else "",
        "Line2": clip(lines[1], ADDRESS_LINE_MAX) if len(lines) > 1 else "",
        "City": clip(partner.city, CITY_MAX),
        "CountrySubDivisionCode": partner.state_id.code or "",
        "PostalCode": clip(partner.zip, POSTAL_CODE_MAX),
        "Country": partner.country_id.code or "",
    }
    result = {key: value for key, value in result.items() if value}
    return result or None


def email(value):
    value = (value or "").strip()
    return {"Address": clip(value.split(",")[0], EMAIL_MAX)} if value else None


def phone(value):
    value = (value or "").strip()
    return {"FreeFormNumber": clip(value, PHONE_MAX)} if value else None


def odoo_marker(record):
    """Kept in PrivateNote / Notes so that an object can be found again after a lost answer."""
    return f"[odoo:{record._name}:{record.id}]"


def quote(value):
    """A string literal of QuickBooks' query language.  python-quickbooks escapes ' but not \\
    (python-quickbooks#319); both are escaped here."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def without_empty(payload):
    return {key: value for key, value in payload.items() if value not in (None, "", [], {})}


def fingerprint(payload):
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
