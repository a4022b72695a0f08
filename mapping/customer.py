"""res.partner <-> Customer.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
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
from .inbound import party_values

ENTITY = "Customer"


def display_name(partner, suffix=""):
    """The DisplayName Odoo gives a partner (unique across customers, vendors and employees in
    QuickBooks; ``suffix`` is the differentiator added on a clash)."""
    # The import wizard may have reserved another name in QuickBooks (a differentiator).
    base = partner.quickbooks_name or partner.name or partner.display_name or ""
    if partner.parent_id and not partner.is_company:
        base = partner.name or base
    limit = DISPLAY_NAME_MAX - len(suffix)
    return qbo_name(base, limit) + suffix


def partner_to_customer(partner, ctx, suffix=""):
    invoice_address = partner.address_get(["invoice", "delivery"])
    billing = partner.browse(invoice_address["invoice"])
    shipping = partner.browse(invoice_address["delivery"])
    if not suffix:
        suffix = kept_differentiator(ctx, partner, ENTITY, display_name(partner), DISPLAY_NAME_MAX)
    company = company_name(partner) if partner.is_company else None
    payload = {
        "DisplayName": display_name(partner, suffix),
        "CompanyName": company[0] if company else None,
        "PrimaryEmailAddr": email(partner.email),
        "PrimaryPhone": phone(partner.phone),
        "BillAddr": address(billing),
        "ShipAddr": address(shipping),
        "WebAddr": {"URI": clip(partner.website, 1000)} if partner.website else None,
        "Notes": clip(" ".join(filter(None, [f"Synced from Odoo {odoo_marker(partner)}", company and company[1]])),
                      PRIVATE_NOTE_MAX),
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


# -- QuickBooks -> Odoo ------------------------------------------------------------------------


def parent_id_of(customer):
    """QuickBooks id of the parent of a sub-customer or project, or None."""
    if not (customer.get("Job") or customer.get("IsProject")):
        return None
    value = (customer.get("ParentRef") or {}).get("value")
    return str(value) if value else None


def customer_to_partner_values(customer, ctx):
    """res.partner values of a QuickBooks customer (the importer sets ``parent_id`` for
    sub-customers and projects, which stay a hierarchy in Odoo)."""
    values = party_values(customer, ctx)
    if not values.get("name"):
        raise MappingError(ctx.env._("The customer has no name in QuickBooks."),
                           ctx.env._("Give it a display name in QuickBooks, then import again."))
    values["customer_rank"] = 1
    term_id = ctx.linked("Term", customer.get("SalesTermRef"))
    if term_id:
        values["property_payment_term_id"] = term_id
    shipping = ctx.address_values(customer.get("ShipAddr"))
    billing = ctx.address_values(customer.get("BillAddr"))
    if shipping and shipping != billing:
        values["child_ids"] = [(0, 0, dict(shipping, type="delivery", company_id=ctx.company.id,
                                           active=values["active"]))]
    return values


@register
class CustomerAdapter(Adapter):
    model = "res.partner"
    entities = (ENTITY,)
    name_field = "DisplayName"

    def payload(self, record, ctx, suffix=""):
        return partner_to_customer(record, ctx, suffix)

    def dependencies(self, record):
        return dependencies(record)

    def lookup_query(self, record, payload):
        return lookup_query(payload)
