"""QuickBooks companies for the import tests, seeded through the emulator's control API."""

import uuid

from ..qbo_emulator.realms import load_fixture

REFERENCE_LISTS = ("CompanyInfo", "Preferences", "Account", "Term", "PaymentMethod", "Class", "Department",
                   "TaxAgency", "TaxRate", "TaxCode", "Employee")


def reference_only_fixture(country="us"):
    """The emulator's sample company with its lists (accounts, terms, taxes, employees...)
    but no customers, vendors, items or transactions: each test class brings its own."""
    data = load_fixture(country)
    data["objects"] = {entity: rows for entity, rows in data["objects"].items() if entity in REFERENCE_LISTS}
    return data


def new_bare_realm(emulator, company_name, country="us"):
    realm_id = str(9130000000000000 + uuid.uuid4().int % 10**15)
    emulator.control("POST", "realms", fixture=reference_only_fixture(country), realm_id=realm_id,
                     company_name=company_name)
    return realm_id


def seed(emulator, realm_id, **objects):
    """Create objects through the API's own rules (those without ``Id``) or store them as
    given (those with one); returns ``{entity: [ids]}``."""
    return emulator.control("POST", f"realms/{realm_id}/objects", objects=objects)["ids"]
