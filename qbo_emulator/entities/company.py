"""The company itself: CompanyInfo and Preferences.  One of each per realm (Id 1); they can
be read and updated, never created or deleted.

Some preferences can only change in the QuickBooks UI, never through the API:
multicurrency (which cannot be turned off once on, and the home currency never changes;
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies)
and the books' close date (handling-common-errors, 6210).  The API silently keeps them, as
it does any read-only attribute; the control API (``POST /_emulator/preferences``) plays
the part of the UI.
"""

import copy

from .base import SYSTEM_FIELDS, Entity

# Preference paths the API cannot change.
PREFERENCES_UI_ONLY = (
    ("CurrencyPrefs",),
    ("AccountingInfoPrefs", "BookCloseDate"),
    ("TaxPrefs", "PartnerTaxEnabled"),
)


def deep_merge(base, patch):
    """Merge ``patch`` into a copy of ``base``.  Lists of ``{"Name", "Value"}`` pairs (the
    ``NameValue`` lists of Preferences and CompanyInfo) merge by Name; other lists replace."""
    result = copy.deepcopy(base)
    for key, value in patch.items():
        current = result.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            result[key] = deep_merge(current, value)
        elif _is_name_value_list(value) and _is_name_value_list(current):
            merged = {pair["Name"]: dict(pair) for pair in current}
            for pair in value:
                merged[pair["Name"]] = dict(pair)
            result[key] = list(merged.values())
        else:
            result[key] = copy.deepcopy(value)
    return result


def _is_name_value_list(value):
    return isinstance(value, list) and all(isinstance(p, dict) and "Name" in p for p in value)


def _get_path(data, path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _set_path(data, path, value):
    for key in path[:-1]:
        data = data.setdefault(key, {})
    if value is None:
        data.pop(path[-1], None)
    else:
        data[path[-1]] = copy.deepcopy(value)


class CompanyInfo(Entity):
    name = "CompanyInfo"
    kind = "company"
    creatable = False
    cdc = False
    webhooks = False
    lengths = {"CompanyName": 1024, "LegalName": 1024}
    read_only = ("Country", "CompanyStartDate", "SupportedLanguages", "NameValue")

    def merge(self, old, payload, sparse):
        data = {k: v for k, v in old.items() if k not in SYSTEM_FIELDS}
        data.update(self.clean(payload))
        return data


class Preferences(Entity):
    name = "Preferences"
    kind = "company"
    creatable = False
    cdc = False
    webhooks = False

    def merge(self, old, payload, sparse):
        # Preferences are a tree of sections; a write changes the sections it names.
        base = {k: v for k, v in old.items() if k not in SYSTEM_FIELDS}
        merged = deep_merge(base, self.clean(payload))
        for path in PREFERENCES_UI_ONLY:
            _set_path(merged, path, _get_path(base, path))
        return merged
