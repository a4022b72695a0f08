"""What one request sees of its company file: the database transaction, the clock, the company's
preferences, and the rules every request shares (references, names, lengths)."""

import json

from . import objects, status
from .clock import local_date, parse_offset, stamp

# The list a reference element points to, and the word QuickBooks uses for it in 3140 messages.
# Lists the stand-in does not keep (sales reps, customer types, templates, currencies...) are empty
# in its company files: a reference to them is an invalid reference, as in a file that has none.
REFS = {
    "CustomerRef": (("Customer",), "Customer"),
    "ClassRef": (("Class",), "Class"),
    "TermsRef": (("StandardTerms", "DateDrivenTerms"), "Terms"),
    "SalesTaxCodeRef": (("SalesTaxCode",), "SalesTaxCode"),
    "CustomerSalesTaxCodeRef": (("SalesTaxCode",), "SalesTaxCode"),
    "ItemSalesTaxRef": (("ItemSalesTax",), "ItemSalesTax"),
    "PreferredPaymentMethodRef": (("PaymentMethod",), "PaymentMethod"),
    "PaymentMethodRef": (("PaymentMethod",), "PaymentMethod"),
    "ItemRef": (objects.ITEM_KINDS, "Item"),
    "AccountRef": (("Account",), "Account"),
    "IncomeAccountRef": (("Account",), "Account"),
    "ExpenseAccountRef": (("Account",), "Account"),
    "ARAccountRef": (("Account",), "Account"),
    "DepositToAccountRef": (("Account",), "Account"),
    "PrefVendorRef": (("Vendor",), "Vendor"),
    "VendorRef": (("Vendor",), "Vendor"),
    "TaxVendorRef": (("Vendor",), "Vendor"),
}


class Ctx:
    def __init__(self, company_file, db, company, session=None, now=None):
        self.qb = company_file
        self.store = company_file.store
        self.db = db
        self.company = company
        self.session = session
        self.now = company_file.clock.now() if now is None else now
        row = db.execute("SELECT info FROM companies WHERE path = ?", (company,)).fetchone()
        self.info = json.loads(row["info"]) if row else {}
        self.tz = parse_offset(self.info.get("timezone", "-08:00"))
        self.read_only = bool(session and session.read_only)
        self._lookups = {}
        self._specials = None

    # -- time and ids ------------------------------------------------------------------------------

    def stamp(self, epoch=None):
        return stamp(self.now if epoch is None else epoch, self.tz)

    def today(self):
        return local_date(self.now, self.tz)

    def list_id(self):
        return objects.new_list_id(self.store, self.db, self.company, self.now)

    def txn_id(self):
        return objects.new_txn_id(self.store, self.db, self.company, self.now)

    # -- preferences ------------------------------------------------------------------------------

    def pref(self, *path, default=None):
        node = self.info.get("preferences", {})
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    def sales_tax_on(self):
        return self.pref("SalesTaxPreferences") is not None

    # -- references --------------------------------------------------------------------------------

    def lookup(self, ref, kinds):
        """The object a Ref names: by ListID when it has one ("if you specify both FullName and
        ListID, FullName will be ignored", Intuit CustomerAdd reference), else by FullName.
        Remembered for the message set, until a list element changes."""
        kinds = tuple(kinds)
        if ref.get("ListID"):
            key = (kinds, "id", ref["ListID"].strip())
        elif ref.get("FullName"):
            key = (kinds, "name", ref["FullName"].strip().lower())
        else:
            return None
        if key not in self._lookups:
            if key[1] == "id":
                self._lookups[key] = objects.get(self.db, self.company, kinds, key[2])
            else:
                self._lookups[key] = objects.by_name(self.db, self.company, kinds, ref["FullName"].strip())
        return self._lookups[key]

    def get_list(self, kind, list_id):
        """A list element by ListID (remembered like ``lookup``)."""
        return self.lookup({"ListID": list_id}, (kind,) if isinstance(kind, str) else kind) if list_id else None

    def forget(self):
        """A list element changed: what was looked up may be stale."""
        self._lookups.clear()
        self._specials = None

    def special_account(self, special):
        """The company's A/R, Undeposited Funds or Sales Tax Payable account."""
        if self._specials is None:
            self._specials = {}
            for row in objects.rows(self.db, self.company, ("Account",), "status = 'live'"):
                if row.get("SpecialAccountType"):
                    self._specials.setdefault(row["SpecialAccountType"], row)
        return self._specials.get(special)

    def resolve(self, element, ref, where, require_active=True):
        """A resolved reference ``{"ListID", "FullName"}`` and its object, or 3140."""
        kinds, label = REFS.get(element, ((), element[:-3] if element.endswith("Ref") else element))
        target = self.lookup(ref, kinds) if kinds else None
        if target is None or (require_active and target.get("IsActive") is False):
            shown = ref.get("ListID") or ref.get("FullName") or ""
            raise status.invalid_reference(label, shown, where)
        return ref_of(target), target

    def resolve_all(self, data, elements, where):
        """Resolve the named Ref elements present in ``data`` in place; returns their objects."""
        found = {}
        for element in elements:
            if element in data and isinstance(data[element], dict):
                data[element], found[element] = self.resolve(element, data[element], where)
        return found

    def require_writable(self):
        if self.read_only:
            raise status.StatusError(3260, "Insufficient permission level to perform this action.")


def ref_of(obj):
    full_name = obj.get("FullName") or obj.get("Name")
    return {"ListID": obj.get("ListID"), "FullName": full_name}
