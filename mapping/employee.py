"""hr.employee -> Employee (or Vendor, for contractors and freelancers).

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/employee
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/timeactivity

* A TimeActivity's worker is an Employee (``NameOf`` Employee) or a Vendor (``NameOf`` Vendor).
  Odoo's employees whose type is *Contractor* or *Freelancer* are not on QuickBooks' payroll:
  they are sent as vendors, like time trackers' integrations do for contractors.
* Matching: an Odoo employee is the QuickBooks employee (or vendor) whose DisplayName is the
  same name, compared without regard to case and with runs of spaces taken as one space
  (QuickBooks' own queries and its uniqueness rule ignore case).  The engine looks the name up
  before creating again and when QuickBooks answers 6240 (name taken): the same name is linked,
  nothing is created twice.
"""

import re

from .adapter import Adapter, register
from .common import DISPLAY_NAME_MAX, clip, email, phone, qbo_name, quote, without_empty

EMPLOYEE = "Employee"
VENDOR = "Vendor"
CONTRACTOR_TYPES = ("contractor", "freelance")
NAME_PART_MAX = 100


def entity_of(employee):
    """The QuickBooks entity an Odoo employee is sent as."""
    return VENDOR if employee.sudo().employee_type in CONTRACTOR_TYPES else EMPLOYEE


def same_name(left, right):
    """QuickBooks display names are compared without case, runs of spaces as one."""
    def norm(text):
        return re.sub(r"\s+", " ", (text or "").strip()).casefold()
    return norm(left) == norm(right)


def display_name(employee, suffix=""):
    return qbo_name(employee.name or "", DISPLAY_NAME_MAX - len(suffix)) + suffix


def employee_to_person(employee, ctx, suffix=""):
    employee = employee.sudo()
    name = qbo_name(employee.name or "", DISPLAY_NAME_MAX)
    given, _space, family = name.partition(" ")
    payload = {
        "DisplayName": display_name(employee, suffix),
        "GivenName": clip(given, NAME_PART_MAX) or None,
        "FamilyName": clip(family, NAME_PART_MAX) or None,
        "PrimaryEmailAddr": email(employee.work_email),
        "PrimaryPhone": phone(employee.work_phone),
        "Active": True,  # an archived Odoo employee's entries are still sent
    }
    return without_empty(payload)


def lookup_query(entity, payload):
    return (f"select * from {entity} where DisplayName = {quote(payload['DisplayName'])}"
            " and Active in (true, false)")


@register
class EmployeeAdapter(Adapter):
    model = "hr.employee"
    entities = (EMPLOYEE, VENDOR)
    name_field = "DisplayName"

    def entity(self, record):
        return entity_of(record)

    def payload(self, record, ctx, suffix=""):
        return employee_to_person(record, ctx, suffix)

    def lookup_query(self, record, payload):
        return lookup_query(entity_of(record), payload)

    def matches_lookup(self, record, found):
        return same_name(found.get("DisplayName"), record.name)
