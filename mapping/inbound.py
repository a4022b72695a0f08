"""What the QuickBooks -> Odoo mappings need, looked up once per import rather than per record:
countries and states, and the Odoo records QuickBooks' accounts and terms are linked to.

The entity mappings (``customer.customer_to_partner_values``, ``vendor.vendor_to_partner_values``,
``item.item_to_product_values``) are plain functions of a QuickBooks object and this context;
they raise :class:`~.common.MappingError` when a record cannot be imported, with the reason.
"""

import re

from .common import MappingError
from .matching import normalize_name

# QuickBooks writes countries every which way: ISO alpha-2, alpha-3 (company addresses since
# 2025-10-31, see qbo-api.md section 8) or the name.  Alpha-3 codes of the countries QuickBooks
# Online is sold in, and of their neighbours; others are found by alpha-2 code or name.
ALPHA3 = {
    "USA": "US", "CAN": "CA", "MEX": "MX", "GBR": "GB", "IRL": "IE", "AUS": "AU", "NZL": "NZ", "IND": "IN",
    "FRA": "FR", "DEU": "DE", "ESP": "ES", "ITA": "IT", "NLD": "NL", "BEL": "BE", "CHE": "CH", "AUT": "AT",
    "PRT": "PT", "SWE": "SE", "NOR": "NO", "DNK": "DK", "FIN": "FI", "POL": "PL", "ZAF": "ZA", "SGP": "SG",
    "HKG": "HK", "MYS": "MY", "PHL": "PH", "BRA": "BR", "ARG": "AR", "CHN": "CN", "JPN": "JP", "ARE": "AE",
}
DELETED_SUFFIX = " (deleted)"
COUNTRY_ALIASES = {"united states of america": "US", "u.s.a.": "US", "u.s.": "US", "uk": "GB",
                   "united kingdom": "GB", "great britain": "GB", "england": "GB"}


class ImportContext:
    def __init__(self, env, connection):
        self.env = env
        self.connection = connection
        self.company = connection.company_id
        self._countries = None
        self._states = None
        self._references = None

    # -- countries and states --------------------------------------------------------------

    def _load_countries(self):
        if self._countries is None:
            self._countries = {}
            self._states = {}
            for country in self.env["res.country"].sudo().search_fetch([], ["code", "name"]):
                self._countries[country.code.upper()] = country.id
                self._countries[normalize_name(country.name)] = country.id
                en_name = country.with_context(lang="en_US").name
                self._countries[normalize_name(en_name)] = country.id
            for state in self.env["res.country.state"].sudo().search_fetch([], ["code", "name", "country_id"]):
                self._states[(state.country_id.id, state.code.upper())] = state.id
                self._states[(state.country_id.id, normalize_name(state.name))] = state.id

    def country_id(self, text):
        text = (text or "").strip()
        if not text:
            return False
        self._load_countries()
        upper = text.upper()
        code = ALPHA3.get(upper) or COUNTRY_ALIASES.get(text.casefold()) or upper
        return self._countries.get(code) or self._countries.get(normalize_name(text)) or False

    def state_id(self, country_id, text):
        text = (text or "").strip()
        if not text or not country_id:
            return False
        self._load_countries()
        return self._states.get((country_id, text.upper())) or self._states.get((country_id, normalize_name(text))) \
            or False

    # -- linked reference data -----------------------------------------------------------------

    def _load_references(self):
        if self._references is None:
            self._references = {}
            references = self.env["quickbooks.reference"].sudo().with_context(active_test=False).search([
                ("connection_id", "=", self.connection.id), ("realm_id", "=", self.connection.realm_id),
                ("qbo_entity", "in", ("Account", "Term")),
            ])
            for reference in references:
                record = reference._odoo_record()
                if record:
                    self._references[(reference.qbo_entity, reference.qbo_id)] = record.id

    def linked(self, qbo_entity, ref):
        """The Odoo id linked to a QuickBooks reference object ``{"value": id}``, or False."""
        value = (ref or {}).get("value") if isinstance(ref, dict) else None
        if not value:
            return False
        self._load_references()
        return self._references.get((qbo_entity, str(value)), False)

    def address_values(self, address):
        """Odoo address fields of a QuickBooks PhysicalAddress (``BillAddr``, ``ShipAddr``)."""
        address = address or {}
        lines = [(address.get(f"Line{n}") or "").strip() for n in range(1, 6)]
        lines = [line for line in lines if line]
        country_id = self.country_id(address.get("Country")) or (
            self.company.country_id.id if address.get("CountrySubDivisionCode") else False
        )
        values = {
            "street": lines[0] if lines else False,
            "street2": ", ".join(lines[1:]) if len(lines) > 1 else False,
            "city": (address.get("City") or "").strip() or False,
            "zip": (address.get("PostalCode") or "").strip() or False,
            "country_id": country_id,
            "state_id": self.state_id(country_id, address.get("CountrySubDivisionCode")),
        }
        return {key: value for key, value in values.items() if value}


def clean_text(text):
    """One line of text: no control characters, single spaces."""
    text = re.sub(r"[\x00-\x1f\x7f]+", " ", text or "")
    return re.sub(r"\s{2,}", " ", text).strip()


def party_values(obj, ctx):
    """What a Customer and a Vendor have in common, as res.partner values."""
    name = clean_text(obj.get("DisplayName") or obj.get("CompanyName") or " ".join(
        part for part in (obj.get("GivenName"), obj.get("FamilyName")) if part
    ))
    phone = next((
        clean_text((obj.get(key) or {}).get("FreeFormNumber"))
        for key in ("PrimaryPhone", "Mobile", "AlternatePhone")
        if clean_text((obj.get(key) or {}).get("FreeFormNumber"))
    ), False)
    active = obj.get("Active", True) is not False
    if not active and name.endswith(DELETED_SUFFIX):
        # QuickBooks renames what it deactivates "Name (deleted)" to free the name.
        name = name[: -len(DELETED_SUFFIX)].strip() or name
    values = {
        "name": name,
        "is_company": bool(clean_text(obj.get("CompanyName"))),
        "email": clean_text((obj.get("PrimaryEmailAddr") or {}).get("Address")) or False,
        "phone": phone,
        "website": clean_text((obj.get("WebAddr") or {}).get("URI")) or False,
        "comment": (obj.get("Notes") or "").strip() or False,
        "active": active,
        "company_id": ctx.company.id,
    }
    values.update(ctx.address_values(obj.get("BillAddr")))
    return {key: value for key, value in values.items() if value is not False or key == "active"}


def amount(obj, key, ctx):
    """A number QuickBooks sent, or MappingError when it is not one."""
    value = obj.get(key)
    if value in (None, ""):
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise MappingError(ctx.env._("%(field)s is not a number: %(value)s.", field=key, value=value)) from exc
