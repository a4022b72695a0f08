"""Deciding whether an Odoo record and a QuickBooks object are the same party or product.

Used by the import wizard (to link instead of duplicating) and by the push engine (a 6240
"name already used" links the existing object when the strategy says it is the same one).
Normalisation is shared so both agree.
"""

import re
import unicodedata

MATCH_STRATEGIES = [
    ("email", "By email"),
    ("name_or_contact", "By name, or by email or phone"),
    ("name_and_contact", "By name and by email or phone"),
    ("never", "Never match (always create)"),
]


def normalize_name(text):
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"\s+", " ", text).strip()


def normalize_email(text):
    text = (text or "").strip().casefold()
    return text if "@" in text else ""


def normalize_phone(text):
    digits = re.sub(r"\D", "", text or "")
    # Compare the last nine digits: country prefixes and trunk zeros are written every which way.
    return digits[-9:] if len(digits) >= 7 else ""


def partner_keys(partner):
    return {
        "name": normalize_name(partner.name),
        "email": normalize_email(partner.email),
        "phones": {p for p in (normalize_phone(partner.phone), normalize_phone(getattr(partner, "mobile", "")))
                   if p},
    }


def qbo_party_keys(obj):
    phones = {normalize_phone((obj.get(key) or {}).get("FreeFormNumber")) for key in ("PrimaryPhone", "Mobile")}
    return {
        "name": normalize_name(obj.get("DisplayName") or obj.get("CompanyName") or ""),
        "email": normalize_email((obj.get("PrimaryEmailAddr") or {}).get("Address")),
        "phones": {p for p in phones if p},
    }


def same_party(odoo_keys, qbo_keys, strategy):
    """Do these two parties match under ``strategy``?"""
    if strategy == "never":
        return False
    same_email = bool(odoo_keys["email"]) and odoo_keys["email"] == qbo_keys["email"]
    same_phone = bool(odoo_keys["phones"] & qbo_keys["phones"])
    same_name = bool(odoo_keys["name"]) and odoo_keys["name"] == qbo_keys["name"]
    if strategy == "email":
        return same_email
    if strategy == "name_or_contact":
        return same_name or same_email or same_phone
    if strategy == "name_and_contact":
        return same_name and (same_email or same_phone)
    raise ValueError(f"unknown match strategy {strategy!r}")


def same_product(product, item, strategy):
    if strategy == "never":
        return False
    sku = (product.default_code or "").strip().casefold()
    if sku and sku == (item.get("Sku") or "").strip().casefold():
        return True
    return normalize_name(product.display_name) == normalize_name(item.get("Name"))
