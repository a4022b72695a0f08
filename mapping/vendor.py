"""res.partner -> Vendor.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendor
"""

from .adapter import Adapter, register
from .common import (
    DISPLAY_NAME_MAX,
    PRIVATE_NOTE_MAX,
    MappingError,
    address,
    clip,
    company_name,
    email,
    kept_differentiator,
    odoo_marker,
    phone,
    qbo_name,
    quote,
    without_empty,
)
from .inbound import clean_text, party_values

ENTITY = "Vendor"


def partner_to_vendor(partner, ctx, suffix=""):
    commercial = partner.commercial_partner_id
    if not suffix:
        suffix = kept_differentiator(ctx, partner, ENTITY, commercial.quickbooks_name or commercial.name or "",
                                     DISPLAY_NAME_MAX)
    company = company_name(commercial) if commercial.is_company else None
    payload = {
        "DisplayName": qbo_name(commercial.quickbooks_name or commercial.name or "",
                                DISPLAY_NAME_MAX - len(suffix)) + suffix,
        "CompanyName": company[0] if company else None,
        "PrimaryEmailAddr": email(commercial.email),
        "PrimaryPhone": phone(commercial.phone),
        "BillAddr": address(commercial),
        "TaxIdentifier": clip(commercial.vat, 20) if commercial.vat else None,
        "AcctNum": clip(commercial.ref, 100) if commercial.ref else None,
        "Active": True,
    }
    payload["Notes"] = clip(" ".join(filter(None, [f"Synced from Odoo {odoo_marker(commercial)}",
                                                   company and company[1]])), PRIVATE_NOTE_MAX)
    currency = ctx.customer_currency(commercial)
    if currency:
        # QuickBooks keeps one currency per vendor, fixed once set: that of its first foreign bill.
        payload["CurrencyRef"] = {"value": currency}
    return without_empty(payload)


def dependencies(partner):
    return []


def lookup_query(payload):
    return f"select * from Vendor where DisplayName = {quote(payload['DisplayName'])} and Active in (true, false)"


# -- QuickBooks -> Odoo ------------------------------------------------------------------------


def vendor_to_partner_values(vendor, ctx):
    values = party_values(vendor, ctx)
    if not values.get("name"):
        raise MappingError(ctx.env._("The vendor has no name in QuickBooks."),
                           ctx.env._("Give it a display name in QuickBooks, then import again."))
    values["supplier_rank"] = 1
    account_number = clean_text(vendor.get("AcctNum"))
    if account_number:
        values["ref"] = account_number
    # QuickBooks masks tax ids in its answers (XXXXXX1234): only a full one is kept.
    tax_id = clean_text(vendor.get("TaxIdentifier"))
    if tax_id and "X" not in tax_id.upper().replace("TAX", ""):
        values["vat"] = tax_id
    term_id = ctx.linked("Term", vendor.get("TermRef"))
    if term_id:
        values["property_supplier_payment_term_id"] = term_id
    return values


@register
class VendorAdapter(Adapter):
    model = "res.partner"
    entities = (ENTITY,)
    name_field = "DisplayName"

    def payload(self, record, ctx, suffix=""):
        return partner_to_vendor(record, ctx, suffix)

    def lookup_query(self, record, payload):
        return lookup_query(payload)
