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


# -- indexes for bulk matching (the import wizard) ---------------------------------------------
#
# Built once from every candidate Odoo record, then asked once per QuickBooks object: matching
# N objects costs N dictionary look-ups, never N searches.

# How much each agreeing key counts when several candidates match: the best-supported
# candidate wins; a tie is a conflict for a person to decide.  For parties the exact name
# outweighs email and phone together: under "name or contact" a record of that very name is the
# one, ahead of one that merely shares a phone or email (then email, then phone break ties).
# For products the SKU comes first, then the name.
NAME_SCORE, EMAIL_SCORE, PHONE_SCORE = 8, 4, 2
SKU_SCORE, PRODUCT_NAME_SCORE = 4, 1


def email_keys(text):
    """Every address in an email field ("a@x.com, b@y.com" holds two)."""
    return {key for key in (normalize_email(part) for part in re.split(r"[,;\s]+", text or "")) if key}


def qbo_party_index_keys(obj):
    """``(names, emails, phones)`` of a QuickBooks Customer, Vendor or Employee."""
    names = {normalize_name(obj.get(key)) for key in ("DisplayName", "CompanyName") if obj.get(key)}
    phones = {normalize_phone((obj.get(key) or {}).get("FreeFormNumber"))
              for key in ("PrimaryPhone", "Mobile", "AlternatePhone")}
    return ({n for n in names if n}, email_keys((obj.get("PrimaryEmailAddr") or {}).get("Address")),
            {p for p in phones if p})


class PartyIndex:
    """Odoo partners by normalised name, email and phone.  Keys of entries are partner ids, or
    any other hashable for records planned but not created yet."""

    def __init__(self):
        self.by_name = {}
        self.by_email = {}
        self.by_phone = {}
        self.active = {}

    def add(self, key, names, emails, phones, active=True):
        self.active[key] = active
        for table, values in ((self.by_name, names), (self.by_email, emails), (self.by_phone, phones)):
            for value in values:
                if value:
                    table.setdefault(value, []).append(key)

    def candidates(self, names, emails, phones, strategy, exclude=(), active_only=False):
        """``{key: score}`` of the entries that match under ``strategy``."""
        if strategy == "never":
            return {}

        def hits(table, values):
            found = set()
            for value in values:
                found.update(table.get(value, ()))
            return found

        by_email = hits(self.by_email, emails)
        by_phone = hits(self.by_phone, phones)
        by_name = hits(self.by_name, names)
        if strategy == "email":
            keys = by_email
        elif strategy == "name_or_contact":
            keys = by_name | by_email | by_phone
        elif strategy == "name_and_contact":
            keys = by_name & (by_email | by_phone)
        else:
            raise ValueError(f"unknown match strategy {strategy!r}")
        return {
            key: EMAIL_SCORE * (key in by_email) + PHONE_SCORE * (key in by_phone) + NAME_SCORE * (key in by_name)
            for key in keys
            if key not in exclude and (self.active.get(key, True) or not active_only)
        }


class ProductIndex:
    """Odoo products by internal reference (SKU) and name."""

    def __init__(self):
        self.by_sku = {}
        self.by_name = {}
        self.active = {}

    def add(self, key, names, sku, active=True):
        self.active[key] = active
        if sku:
            self.by_sku.setdefault(sku, []).append(key)
        for name in names:
            if name:
                self.by_name.setdefault(name, []).append(key)

    def candidates(self, name, sku, strategy, exclude=(), active_only=False):
        """Items have no email or phone: every strategy but "never" matches on SKU, then name."""
        if strategy == "never":
            return {}
        scores = {}
        for key in self.by_sku.get(sku, ()) if sku else ():
            scores[key] = scores.get(key, 0) + SKU_SCORE
        for key in self.by_name.get(name, ()) if name else ():
            scores[key] = scores.get(key, 0) + PRODUCT_NAME_SCORE
        return {key: score for key, score in scores.items()
                if key not in exclude and (self.active.get(key, True) or not active_only)}


def best_candidate(scores):
    """The one best-scoring key, or None when there is none or a tie."""
    if not scores:
        return None
    top = max(scores.values())
    best = [key for key, score in scores.items() if score == top]
    return best[0] if len(best) == 1 else None


def normalize_sku(text):
    return (text or "").strip().casefold()
