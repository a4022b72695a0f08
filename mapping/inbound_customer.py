"""Customers and vendors changed or created in QuickBooks, as Odoo partners: what travels
both ways (name, email, phone, website, billing address; a vendor's account number), for
sync/pull_master.py.  The values come from the import's own mappings (customer.py, vendor.py).
"""

from . import customer as customer_map
from . import vendor as vendor_map
from .inbound_master import InboundHandler, Key, register

ADDRESS = ("street", "street2", "city", "zip", "state_id", "country_id")
PARTY_KEYS = (
    Key("name", "Name", ("name",), ("DisplayName", "CompanyName", "GivenName", "FamilyName")),
    Key("email", "Email", ("email",), ("PrimaryEmailAddr",)),
    Key("phone", "Phone", ("phone",), ("PrimaryPhone", "Mobile", "AlternatePhone")),
    Key("website", "Website", ("website",), ("WebAddr",)),
    Key("address", "Address", ADDRESS, ("BillAddr",)),
)


class PartyHandler(InboundHandler):
    model = "res.partner"
    keys = PARTY_KEYS


@register
class CustomerHandler(PartyHandler):
    entity = "Customer"

    def to_values(self, obj, ctx):
        return customer_map.customer_to_partner_values(obj, ctx)


@register
class VendorHandler(PartyHandler):
    entity = "Vendor"
    keys = (*PARTY_KEYS, Key("ref", "Account number", ("ref",), ("AcctNum",)))

    def to_values(self, obj, ctx):
        return vendor_map.vendor_to_partner_values(obj, ctx)
