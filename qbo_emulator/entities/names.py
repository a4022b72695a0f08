"""Customer, Vendor and Employee: the people and organisations a company deals with.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
* DisplayName must be unique across Customer, Vendor and Employee (6240); it may not hold a
  colon, tab or new line; if omitted it is built from Title, GivenName, MiddleName,
  FamilyName and Suffix.
* Sub-customers and jobs: ``Job`` true and ``ParentRef``; ``FullyQualifiedName`` is
  ``Parent:Child``; up to four levels under the top-level customer (``Level`` 0 to 4).
  QuickBooks Projects are customers with ``IsProject`` true under their customer.
* ``Balance`` and ``BalanceWithJobs`` are the open balance, kept by QuickBooks.
* ``CurrencyRef`` cannot change once set.
"""

from .. import faults, objects, validation
from ..money import ZERO, out, parse
from .base import Entity

PERSON_LENGTHS = {
    "DisplayName": 500,
    "Title": 16,
    "GivenName": 100,
    "MiddleName": 100,
    "FamilyName": 100,
    "Suffix": 16,
    "CompanyName": 100,
    "PrintOnCheckName": 110,
    "PrimaryEmailAddr.Address": 100,
    "PrimaryPhone.FreeFormNumber": 30,
    "AlternatePhone.FreeFormNumber": 30,
    "Mobile.FreeFormNumber": 30,
    "Fax.FreeFormNumber": 30,
    "WebAddr.URI": 1000,
}

NAME_PARTS = ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix")
PEOPLE = ("Customer", "Vendor", "Employee")
MAX_CUSTOMER_LEVEL = 4


def display_name(data):
    name = data.get("DisplayName")
    if isinstance(name, str) and name.strip():
        return name.strip()
    parts = [str(data[p]).strip() for p in NAME_PARTS if isinstance(data.get(p), str) and data[p].strip()]
    if not parts:
        return None
    return " ".join(parts)


def check_unique_display_name(ctx, name, entity, object_id):
    for other_entity, other in objects.find_by_name(ctx.db, ctx.realm_id, PEOPLE, name):
        if not (other_entity == entity and other.get("Id") == str(object_id)):
            raise faults.duplicate_name(other["Id"])


# QuickBooks renames a customer, vendor or employee made inactive to "Name (deleted)",
# which frees the name for a new record; making it active again takes the suffix off.
DELETED_SUFFIX = " (deleted)"


class Person(Entity):
    name_field = "DisplayName"
    lengths = PERSON_LENGTHS
    read_only = ("Balance", "BalanceWithJobs", "FullyQualifiedName", "Level")

    def validate(self, ctx, data, old):
        name = display_name(data)
        if name is None:
            raise faults.required_param_missing(
                "DisplayName",
                "Required parameter DisplayName or at least one of Title, GivenName, MiddleName, FamilyName, "
                "Suffix is missing in the request",
            )
        active = validation.boolean(data, "Active", True)
        was_active = old is None or old.get("Active", True) is not False
        if not active and was_active and not name.endswith(DELETED_SUFFIX):
            name += DELETED_SUFFIX
        elif active and not was_active and name.endswith(DELETED_SUFFIX):
            name = name[: -len(DELETED_SUFFIX)]
        data["DisplayName"] = name
        super().validate(ctx, data, old)
        for field in ("DisplayName", *NAME_PARTS, "PrintOnCheckName"):
            validation.no_colon(data, field)
        if old is None or name.lower() != (old.get("DisplayName") or "").lower():
            check_unique_display_name(ctx, name, self.name, old["Id"] if old else None)
        if not data.get("PrintOnCheckName"):
            data["PrintOnCheckName"] = (data.get("CompanyName") or name)[:110]
        self.currency(ctx, data, old)
        return data

    def currency(self, ctx, data, old):
        home = ctx.home_currency
        if old is not None and old.get("CurrencyRef"):
            wanted = validation.ref_value(data.get("CurrencyRef")) or old["CurrencyRef"]["value"]
            if wanted != old["CurrencyRef"]["value"]:
                raise faults.business_validation(
                    f"You can't change the currency of this {self.name.lower()}: once set, CurrencyRef cannot change.",
                    "CurrencyRef",
                )
            data["CurrencyRef"] = old["CurrencyRef"]
            return
        code = validation.ref_value(data.get("CurrencyRef")) or home
        if code != home and not ctx.multicurrency:
            raise faults.business_validation(
                "Multicurrency is not turned on for this company: only the home currency can be used.", "CurrencyRef",
            )
        data["CurrencyRef"] = ctx.currency_ref(code)


class Customer(Person):
    name = "Customer"
    lengths = dict(PERSON_LENGTHS, Notes=2000, ResaleNum=16, BusinessNumber=10, GSTIN=15)

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        self.hierarchy(ctx, data, old)
        validation.boolean(data, "BillWithParent", False)
        # A QuickBooks Project is a customer object under its customer (IsProject, with
        # ParentRef and Job).  Projects are made in QuickBooks' UI or its Projects API; the
        # stand-in takes IsProject on writes so that tests can build them (a stated choice).
        if validation.boolean(data, "IsProject", False) and not data.get("ParentRef"):
            raise faults.business_validation("A project belongs to a customer: ParentRef is required.", "ParentRef")
        validation.boolean(data, "Job", bool(data.get("ParentRef")))
        taxable = validation.boolean(data, "Taxable")
        validation.reference(ctx, data, "SalesTermRef", "Term")
        validation.reference(ctx, data, "PaymentMethodRef", "PaymentMethod")
        validation.reference(ctx, data, "ARAccountRef", "Account")
        if ctx.is_us:
            # A US customer is taxable unless told otherwise, and gets the company's default
            # sales tax code (Intuit's create sample answers DefaultTaxCodeRef "2").
            if taxable is None:
                data["Taxable"] = True
            if data["Taxable"] and not data.get("DefaultTaxCodeRef"):
                default = ctx.pref("TaxPrefs", "TaxGroupCodeRef")
                if default:
                    data["DefaultTaxCodeRef"] = {"value": str(default.get("value"))}
        if data.get("DefaultTaxCodeRef"):
            validation.reference(ctx, data, "DefaultTaxCodeRef", "TaxCode")
            data["DefaultTaxCodeRef"] = {"value": data["DefaultTaxCodeRef"]["value"]}
        data.setdefault("PreferredDeliveryMethod", "Print")
        if data.get("PreferredDeliveryMethod") == "":
            data["PreferredDeliveryMethod"] = "Print"
        validation.enum(data, "PreferredDeliveryMethod", ("Print", "Email", "None"))
        validation.date(data, "OpenBalanceDate")
        balance = parse(old.get("Balance"), "Balance", ZERO) if old else ZERO
        with_jobs = parse(old.get("BalanceWithJobs"), "BalanceWithJobs", ZERO) if old else ZERO
        data["Balance"] = out(balance)
        data["BalanceWithJobs"] = out(with_jobs)
        return data

    def hierarchy(self, ctx, data, old):
        parent = None
        if validation.ref_value(data.get("ParentRef")):
            parent = validation.reference(ctx, data, "ParentRef", "Customer", element="ParentRef")
            ancestor, seen = parent, set()
            while ancestor is not None:
                if old is not None and ancestor["Id"] == old["Id"]:
                    raise faults.business_validation("A customer cannot be its own parent or the parent of its parent.",
                                                     "ParentRef")
                seen.add(ancestor["Id"])
                ref = validation.ref_value(ancestor.get("ParentRef"))
                ancestor = ctx.get("Customer", ref) if ref and ref not in seen else None
            level = int(parent.get("Level") or 0) + 1
            if level > MAX_CUSTOMER_LEVEL:
                raise faults.validation(
                    "6180", "Sub Level Limit Error",
                    "You can only have 5 levels of sub-customers: a customer and four levels of sub-customers or jobs "
                    "under it.",
                    "ParentRef",
                )
            data["Level"] = level
            data["FullyQualifiedName"] = f"{parent['FullyQualifiedName']}:{data['DisplayName']}"
            data["ParentRef"] = {"value": parent["Id"]}
        else:
            data.pop("ParentRef", None)
            data["Level"] = 0
            data["FullyQualifiedName"] = data["DisplayName"]
        if old is not None and old.get("FullyQualifiedName") != data["FullyQualifiedName"]:
            ctx.pending.append(("rename_children", old["Id"], data["FullyQualifiedName"], data["Level"]))

    def after_save(self, ctx, new, old):
        for task in list(ctx.pending):
            if task[0] == "rename_children" and task[1] == new["Id"]:
                ctx.pending.remove(task)
                rename_children(ctx, new["Id"], new["FullyQualifiedName"], int(new.get("Level") or 0))


def rename_children(ctx, parent_id, parent_fqn, parent_level):
    """A parent's new name flows into its sub-customers' FullyQualifiedName (QuickBooks keeps
    the hierarchy's names current without a new SyncToken on the children)."""
    rows = ctx.db.execute(
        "SELECT data FROM objects WHERE realm_id = ? AND entity = 'Customer' AND status != 'deleted'"
        " AND json_extract(data, '$.ParentRef.value') = ?",
        (ctx.realm_id, str(parent_id)),
    ).fetchall()
    for row in rows:
        child = objects._row_to_object(row)
        child["FullyQualifiedName"] = f"{parent_fqn}:{child['DisplayName']}"
        child["Level"] = parent_level + 1
        objects.save(ctx.db, ctx.realm_id, "Customer", child, ctx.now, bump_token=False)
        rename_children(ctx, child["Id"], child["FullyQualifiedName"], child["Level"])


class Vendor(Person):
    name = "Vendor"
    lengths = dict(PERSON_LENGTHS, AcctNum=100, TaxIdentifier=20, Notes=2000)

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        validation.boolean(data, "Vendor1099", False)
        validation.reference(ctx, data, "TermRef", "Term")
        validation.reference(ctx, data, "APAccountRef", "Account")
        for empty_default in ("Type", "TaxReportingBasis", "TaxIdentifier", "AcctNum"):
            if data.get(empty_default) == "":
                data.pop(empty_default)
        data["Balance"] = out(parse(old.get("Balance"), "Balance", ZERO) if old else ZERO)
        return data


class Employee(Person):
    name = "Employee"
    lengths = dict(PERSON_LENGTHS, EmployeeNumber=100, SSN=100)
    read_only = ()

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        validation.boolean(data, "BillableTime", False)
        validation.boolean(data, "Organization", False)
        for field in ("HiredDate", "ReleasedDate", "BirthDate"):
            validation.date(data, field)
        if data.get("EmployeeNumber") == "":
            data.pop("EmployeeNumber")
        data.pop("Balance", None)
        return data

    def currency(self, ctx, data, old):
        data.pop("CurrencyRef", None)  # employees are not kept in a currency
