"""Odoo partner -> QuickBooks Desktop Customer (CustomerAdd / CustomerMod, qbXML 13.0 order)."""

from ..invoice import customer_partner
from .common import CUSTOMER_NAME_MAX, DesktopAdapter, latin1, marker, name_rule, register, request, sub

ENTITY = "Customer"


def customer_name(partner):
    base = partner.quickbooks_name or partner.name or partner.display_name or ""
    return name_rule(base, CUSTOMER_NAME_MAX)


def _address(parent, tag, partner):
    if not partner or not (partner.street or partner.city or partner.zip):
        return
    element = sub(parent, tag)
    for field, value, limit in (("Addr1", partner.street, 41), ("Addr2", partner.street2, 41),
                                ("City", partner.city, 31), ("State", partner.state_id.code, 21),
                                ("PostalCode", partner.zip, 13), ("Country", partner.country_id.code, 31)):
        sub(element, field, latin1(value or "")[:limit])


def _fields(element, partner, ctx):
    if partner.parent_id:
        ctx.ref(element, "ParentRef", partner.parent_id, ENTITY)
    if partner.is_company:
        sub(element, "CompanyName", name_rule(partner.name, CUSTOMER_NAME_MAX))
    addresses = partner.address_get(["invoice", "delivery"])
    _address(element, "BillAddress", partner.browse(addresses["invoice"]))
    _address(element, "ShipAddress", partner.browse(addresses["delivery"]))
    sub(element, "Phone", latin1(partner.phone or "")[:21])
    sub(element, "Email", (partner.email or "").split(",")[0].strip()[:1023])
    sub(element, "Notes", f"Synced from Odoo {marker(partner)}")


@register
class CustomerAdapter(DesktopAdapter):
    entity = ENTITY
    kind = "Customer"
    order = 10

    def dependencies(self, record, ctx):
        return [(record.parent_id, ENTITY)] if record.parent_id else []

    def name_of(self, record, ctx):
        """Its FullName: a job's carries its parents' (``Parent:Job``)."""
        own = customer_name(record)
        if record.parent_id:
            own = f"{self.name_of(record.parent_id, ctx)}:{own}"
        return ctx.full_name(record, ENTITY, own)

    def add(self, record, ctx, request_id):
        element = request("CustomerAdd", request_id)
        body = sub(element, "CustomerAdd")
        sub(body, "Name", customer_name(record))
        _fields(body, record, ctx)
        return element

    def mod(self, record, ctx, binding, request_id):
        element = request("CustomerMod", request_id)
        body = sub(element, "CustomerMod")
        sub(body, "ListID", binding.qbo_id)
        sub(body, "EditSequence", binding.qbo_sync_token)
        sub(body, "Name", customer_name(record))
        _fields(body, record, ctx)
        return element

    def lookup(self, record, ctx, request_id):
        element = request("CustomerQuery", request_id)
        sub(element, "FullName", self.name_of(record, ctx))
        return element

    def check(self, record, ret, ctx):
        stored = (ret.findtext("Name") or "").lower()
        expected = customer_name(record).lower()
        if stored != expected:
            return record.env._("QuickBooks has the name %(stored)r, Odoo sends %(odoo)r.", stored=stored,
                                odoo=expected)
        return None


def customer_of_move(move, connection):
    return customer_partner(move.partner_id, connection)
