"""res.partner <-> Customer.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
"""

from .common import (
    DISPLAY_NAME_MAX,
    PRIVATE_NOTE_MAX,
    address,
    clip,
    email,
    odoo_marker,
    phone,
    qbo_name,
    quote,
    without_empty,
)

ENTITY = "Customer"


def display_name(partner, suffix=""):
    """The DisplayName Odoo gives a partner (unique across customers, vendors and employees in
    QuickBooks; ``suffix`` is the differentiator added on a clash)."""
    base = partner.name or partner.display_name or ""
    if partner.parent_id and not partner.is_company:
        base = partner.name or base
    limit = DISPLAY_NAME_MAX - len(suffix)
    return qbo_name(base, limit) + suffix


def partner_to_customer(partner, ctx, suffix=""):
    invoice_address = partner.address_get(["invoice", "delivery"])
    billing = partner.browse(invoice_address["invoice"])
    shipping = partner.browse(invoice_address["delivery"])
    payload = {
        "DisplayName": display_name(partner, suffix),
        "CompanyName": qbo_name(partner.name or "", DISPLAY_NAME_MAX) if partner.is_company else None,
        "PrimaryEmailAddr": email(partner.email),
        "PrimaryPhone": phone(partner.phone),
        "BillAddr": address(billing),
        "ShipAddr": address(shipping),
        "WebAddr": {"URI": clip(partner.website, 1000)} if partner.website else None,
        "Notes": clip(f"Synced from Odoo {odoo_marker(partner)}", PRIVATE_NOTE_MAX),
        "Active": True,
    }
    if partner.parent_id:
        # Odoo's child contacts are QuickBooks sub-customers (jobs) of their company.
        payload["ParentRef"] = ctx.ref(partner.parent_id, ENTITY)
        payload["Job"] = True
    currency = ctx.customer_currency(partner)
    if currency:
        # QuickBooks keeps one currency per customer, fixed once set (multicurrency companies).
        payload["CurrencyRef"] = {"value": currency}
    return without_empty(payload)


def dependencies(partner):
    """Records that must exist in QuickBooks first."""
    return [(partner.parent_id, ENTITY)] if partner.parent_id else []


def lookup_query(payload):
    """Find the customer again by its unique DisplayName (after a lost answer or a 6240)."""
    return f"select * from Customer where DisplayName = {quote(payload['DisplayName'])} and Active in (true, false)"
