"""res.partner -> Vendor.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendor
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

ENTITY = "Vendor"


def partner_to_vendor(partner, ctx, suffix=""):
    commercial = partner.commercial_partner_id
    payload = {
        "DisplayName": qbo_name(commercial.name or "", DISPLAY_NAME_MAX - len(suffix)) + suffix,
        "CompanyName": qbo_name(commercial.name or "", DISPLAY_NAME_MAX) if commercial.is_company else None,
        "PrimaryEmailAddr": email(commercial.email),
        "PrimaryPhone": phone(commercial.phone),
        "BillAddr": address(commercial),
        "TaxIdentifier": clip(commercial.vat, 20) if commercial.vat else None,
        "AcctNum": clip(commercial.ref, 100) if commercial.ref else None,
        "Active": True,
    }
    payload["Notes"] = clip(f"Synced from Odoo {odoo_marker(commercial)}", PRIVATE_NOTE_MAX)
    return without_empty(payload)


def dependencies(partner):
    return []


def lookup_query(payload):
    return f"select * from Vendor where DisplayName = {quote(payload['DisplayName'])} and Active in (true, false)"
