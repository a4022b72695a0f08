"""Helpers shared by the entity mappings: limits, text, addresses, amounts."""

import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal

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
COMPANY_NAME_MAX = 100


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


def company_name(record):
    """``(CompanyName, note)``: the company's name as QuickBooks takes it (at most 100
    characters, where the display name may have 500), and, when it had to be shortened, a note
    for the record's Notes that keeps the full name (so that nothing is lost and the shortening
    is said, instead of QuickBooks refusing the whole record with fault 2050)."""
    full = qbo_name(record.name or "", DISPLAY_NAME_MAX)
    short = qbo_name(full, COMPANY_NAME_MAX)
    if short == full:
        return short, ""
    return short, (f"Company name shortened to QuickBooks' {COMPANY_NAME_MAX} characters; "
                   f"in Odoo: {full}")


def kept_differentiator(ctx, record, entity, base, limit):
    """The differentiator (" - 2") QuickBooks' object of ``record`` was given when its name was
    taken, so that an update keeps the name QuickBooks holds instead of asking for the taken
    one again (6240); "" when it has none."""
    link = ctx.binding(record, entity) if ctx is not None else None
    match = re.fullmatch(r"(.*)( - \d+)", (link.qbo_name or "") if link else "")
    if match and qbo_name(base, limit - len(match.group(2))) == match.group(1):
        return match.group(2)
    return ""


def plain_text(html, limit):
    text = html2plaintext(html or "") if html else ""
    return clip(text, limit)


# -- money ---------------------------------------------------------------------------------------
# Amounts are Decimal from Odoo's figures to the payload: a float is read through its shortest
# repr (the number Odoo stored), rounded half up like Odoo's currencies, never with round().

ZERO = Decimal(0)
CENT = Decimal("0.01")
# QuickBooks keeps unit prices to 7 decimals (a stored line of 277.69 for 3 has 92.5633333).
UNIT_PRICE_PLACES = 7
# QuickBooks amounts are "max 15 digits in 10.5 format": every such number travels exactly.
MAX_DIGITS = 15


def decimal(value):
    """``value`` (float, int, str or Decimal) as the Decimal it stands for: 2.675 is 2.675."""
    if isinstance(value, Decimal):
        return value
    if value is None or value is False:
        return ZERO
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def round_to(value, step):
    """Half up (away from zero) to a multiple of ``step`` (0.01, 0.05, 1 ...), as Odoo rounds."""
    step = decimal(step)
    return ((decimal(value) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step).quantize(step)


def amount(value, currency=None):
    """A money amount rounded to ``currency`` (an Odoo res.currency), to the cent without one."""
    step = decimal(currency.rounding) if currency and currency.rounding else CENT
    return round_to(value, step)


def number(value):
    """The JSON number QuickBooks receives for a Decimal: a float whose shortest repr is
    exactly that decimal (so ``json.dumps`` writes it digit for digit), or MappingError."""
    value = decimal(value)
    result = float(value)
    if Decimal(repr(result)) != value or len(value.normalize().as_tuple().digits) > MAX_DIGITS:
        raise MappingError(f"{value} has more digits than QuickBooks keeps (15).",
                           "Check the quantities and prices of the document.")
    return result


def money(value, currency=None):
    """An amount as QuickBooks receives it: rounded to the currency, then an exact JSON number."""
    return number(amount(value, currency))


def unit_price(net, quantity, preferred=None):
    """A unit price such that QuickBooks' rule ``Amount == Qty x UnitPrice`` (rounded half up
    to the cent, else fault 6070) holds for ``net``: Odoo's own price when it does (its
    decimals kept), else ``net / quantity`` to 7 decimals.  None when no such price exists."""
    net, quantity = decimal(net), decimal(quantity)
    if not quantity:
        return None
    whole_digits = len(str(abs(int(net / quantity)))) if net else 1
    step = Decimal(1).scaleb(-max(0, min(UNIT_PRICE_PLACES, MAX_DIGITS - whole_digits)))
    candidates = []
    if preferred is not None:
        candidates.append(decimal(preferred).quantize(step, rounding=ROUND_HALF_UP))
    candidates.append((net / quantity).quantize(step, rounding=ROUND_HALF_UP))
    for price in candidates:
        if (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP) == net:
            return price.normalize() if price != price.to_integral_value() else price.quantize(Decimal(1))
    return None


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


def attachables_query(entity, qbo_id):
    """The query for the Attachables linked to one QuickBooks object."""
    return (f"select * from Attachable where AttachableRef.EntityRef.Type = {quote(entity)} "
            f"and AttachableRef.EntityRef.value = {quote(qbo_id)}")


def quote(value):
    """A string literal of QuickBooks' query language.  python-quickbooks escapes ' but not \\
    (python-quickbooks#319); both are escaped here."""
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def without_empty(payload):
    return {key: value for key, value in payload.items() if value not in (None, "", [], {})}


def fingerprint(payload):
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
