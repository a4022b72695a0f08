"""Field checks shared by every entity, each answering with the fault QuickBooks uses.

* lengths: 2050 "String length is either shorter or longer than supported by specification";
* missing required values: 2020; values outside an enumeration: 2170;
* references: a missing or deleted target is 2500 "Invalid Reference Id", an inactive one
  610 "Object Not Found" (https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors).

References come back with the ``name`` QuickBooks fills in from the target object.
"""

import re

from . import faults

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Which field of a target names it inside a reference.
REF_NAME_FIELD = {
    "Customer": "DisplayName",
    "Vendor": "DisplayName",
    "Employee": "DisplayName",
    "TaxAgency": "DisplayName",
}


def empty(value):
    return value is None or value == "" or value == {} or value == []


def text(data, field, max_length, element=None, required=False):
    """Check a string field; "" counts as absent (python-quickbooks sends "" for unset strings)."""
    value = data.get(field)
    element = element or field
    if empty(value):
        if required:
            raise faults.required_param_missing(element)
        return None
    if not isinstance(value, str):
        value = str(value)
        data[field] = value
    if max_length is not None and len(value) > max_length:
        raise faults.string_too_long(element, max_length, len(value))
    return value


def nested_text(data, field, key, max_length, element=None):
    """``CustomerMemo.value``, ``PrimaryEmailAddr.Address`` and the like."""
    node = data.get(field)
    if isinstance(node, dict):
        return text(node, key, max_length, element or f"{field}.{key}")
    return None


def lengths(data, limits):
    for field, max_length in limits.items():
        if "." in field:
            outer, inner = field.split(".", 1)
            nested_text(data, outer, inner, max_length, field)
        else:
            text(data, field, max_length)


def no_colon(data, field):
    value = data.get(field)
    if isinstance(value, str) and (":" in value or "\t" in value or "\n" in value):
        raise faults.business_validation(f"{field} cannot contain a colon (:), a tab or a new line.", field)


def boolean(data, field, default=None):
    value = data.get(field)
    if value is None or value == "":
        if default is not None:
            data[field] = default
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        data[field] = value.lower() == "true"
        return data[field]
    raise faults.invalid_property(field, field)


def enum(data, field, allowed, default=None, required=False, element=None):
    value = data.get(field)
    element = element or field
    if value is None:
        if required:
            raise faults.required_param_missing(element)
        if default is not None:
            data[field] = default
        return default
    if value not in allowed:
        raise faults.invalid_enumeration(element, value)
    return value


def date(data, field, element=None, default=None):
    """A ``YYYY-MM-DD`` date; "" is absent."""
    value = data.get(field)
    if value is None or value == "":
        if default is not None:
            data[field] = default
        else:
            data.pop(field, None)
        return default
    if not isinstance(value, str) or not _DATE.match(value[:10]):
        raise faults.invalid_property(element or field, element or field)
    data[field] = value[:10]
    return data[field]


def ref_value(ref):
    if isinstance(ref, dict):
        value = ref.get("value")
    else:
        value = ref
    if value is None or value == "":
        return None
    return str(value)


def reference(ctx, data, field, target, element=None, required=False, allow_inactive=False, check=None):
    """Resolve ``data[field]`` (``{"value": id}``) to a live ``target`` object and fill its name.

    Returns the target object, or None when the reference is absent and not required.
    ``target`` may be a tuple of entities (``EntityRef`` of a Purchase)."""
    element = element or field
    raw = data.get(field)
    value = ref_value(raw)
    if value is None:
        if required:
            raise faults.required_param_missing(element)
        data.pop(field, None)
        return None
    targets = target if isinstance(target, tuple) else (target,)
    typed = len(targets) > 1  # EntityRef: QuickBooks answers its "type"; other refs drop it
    if isinstance(raw, dict) and raw.get("type") and typed:
        wanted = str(raw["type"])
        targets = tuple(t for t in targets if t.lower() == wanted.lower()) or targets
    obj = None
    found_entity = targets[0]
    for candidate in targets:
        row = ctx.row(candidate, value)
        if row is not None and row["status"] != "deleted":
            obj = ctx.get(candidate, value)
            found_entity = candidate
            break
    if obj is None or (found_entity, value) in ctx.invisible:
        raise faults.invalid_reference(element, value, targets[0])
    if obj.get("Active") is False and not allow_inactive:
        raise faults.inactive_reference(element)
    if check is not None:
        check(obj)
    name_field = REF_NAME_FIELD.get(found_entity)
    name = obj.get(name_field) if name_field else (obj.get("FullyQualifiedName") or obj.get("Name"))
    resolved = {"value": value}
    if name is not None:
        resolved["name"] = name
    if typed:
        resolved["type"] = found_entity
    data[field] = resolved
    return obj
