"""``POST /v3/company/<realmId>/taxservice/taxcode``: the only way to create tax codes (and
new tax rates) through the API.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/taxservice
https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales

Request ``{"TaxCode": "name", "TaxRateDetails": [...]}``; each detail either names an
existing rate (``TaxRateId``) or defines a new one (``TaxRateName``, ``RateValue``,
``TaxAgencyId``), and says whether it applies on ``Sales`` (default) or ``Purchase``.  The
answer echoes the request with ``TaxCodeId`` and each ``TaxRateId`` filled in.  The name
must be new (6240); an unknown agency or rate is 2500.
"""

import json

from werkzeug.wrappers import Response

from . import faults, objects, validation
from .clock import iso_time
from .context import Ctx
from .money import parse


def create_tax_code(emulator, request, realm_id, payload):
    name = validation.text(payload, "TaxCode", 100, required=True).strip()
    details = payload.get("TaxRateDetails")
    if not isinstance(details, list) or not details:
        raise faults.required_param_missing("TaxRateDetails")
    with emulator.store.write() as db:
        ctx = Ctx(emulator, db, realm_id)
        for _entity, other in objects.find_by_name(db, realm_id, ("TaxCode",), name):
            raise faults.duplicate_name(other["Id"])
        sales, purchases, answered = [], [], []
        for index, raw in enumerate(details):
            detail = dict(raw) if isinstance(raw, dict) else {}
            applicable = detail.get("TaxApplicableOn") or "Sales"
            if applicable not in ("Sales", "Purchase"):
                raise faults.invalid_enumeration(f"TaxRateDetails[{index}].TaxApplicableOn", applicable)
            detail["TaxApplicableOn"] = applicable
            if validation.ref_value(detail.get("TaxRateId")):
                rate = ctx.get("TaxRate", detail["TaxRateId"])
                if rate is None:
                    raise faults.invalid_reference(f"TaxRateDetails[{index}].TaxRateId", detail["TaxRateId"], "TaxRate")
            else:
                rate = _new_rate(ctx, detail, index)
                detail["TaxRateId"] = rate["Id"]
            detail["TaxRateId"] = str(rate["Id"])
            entry = {"TaxRateRef": {"value": rate["Id"], "name": rate["Name"]}, "TaxTypeApplicable": "TaxOnAmount",
                     "TaxOrder": len(sales if applicable == "Sales" else purchases)}
            (sales if applicable == "Sales" else purchases).append(entry)
            answered.append(detail)
        code = objects.insert(db, emulator.store, realm_id, "TaxCode", {
            "Name": name, "Description": name, "Active": True, "Hidden": False, "Taxable": True,
            "TaxGroup": len(details) > 1, "SalesTaxRateList": {"TaxRateDetail": sales},
            "PurchaseTaxRateList": {"TaxRateDetail": purchases}}, ctx.now)
    body = json.dumps({"TaxCode": name, "TaxCodeId": code["Id"], "TaxRateDetails": answered,
                       "time": iso_time(emulator.clock.now())})
    return Response(body, content_type="application/json;charset=UTF-8")


def _new_rate(ctx, detail, index):
    element = f"TaxRateDetails[{index}]"
    rate_name = validation.text(detail, "TaxRateName", 100, element=f"{element}.TaxRateName", required=True)
    value = parse(detail.get("RateValue"), f"{element}.RateValue")
    if value is None:
        raise faults.required_param_missing(f"{element}.RateValue")
    agency_id = validation.ref_value(detail.get("TaxAgencyId"))
    if agency_id is None:
        raise faults.required_param_missing(f"{element}.TaxAgencyId")
    if ctx.get("TaxAgency", agency_id) is None:
        raise faults.invalid_reference(f"{element}.TaxAgencyId", agency_id, "TaxAgency")
    for _entity, other in objects.find_by_name(ctx.db, ctx.realm_id, ("TaxRate",), rate_name):
        raise faults.duplicate_name(other["Id"])
    detail["RateValue"] = float(value)
    return objects.insert(ctx.db, ctx.store, ctx.realm_id, "TaxRate", {
        "Name": rate_name, "Description": rate_name, "Active": True, "RateValue": float(value),
        "AgencyRef": {"value": agency_id}, "SpecialTaxType": "NONE", "DisplayType": "ReadOnly",
        "EffectiveTaxRate": [{"RateValue": float(value), "EffectiveDate": iso_time(ctx.now)}]}, ctx.now)
