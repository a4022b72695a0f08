"""HostQuery, CompanyQuery, PreferencesQuery and the company's private data (DataExtAdd).

The Web Connector runs the first three itself and hands their answer to the web service in the
first ``sendRequestXML`` (``strHCPResponse``, QBWC Programmer's Guide ch. 2); ``HostRet`` lists the
``SupportedQBXMLVersion``s a client may use (consolibyte wiki, sendRequestXML).  The Web Connector
stamps the .qwc's ``FileID`` into the company file as a private data extension of the Company
(owned by the .qwc's ``OwnerID``), so that a ``CompanyQuery`` with that ``OwnerID`` shows which file
the service talks to (Intuit WCWebService sample, readme).
"""

import json

from . import qbxml, status
from .rets import ORDER


def host_ret(ctx):
    host = ctx.info.get("host", {})
    data = {
        "ProductName": host.get("ProductName", "Intuit QuickBooks Pro 2014"),
        "MajorVersion": str(host.get("MajorVersion", "24")),
        "MinorVersion": str(host.get("MinorVersion", "0")),
        "Country": host.get("Country", "US"),
        "SupportedQBXMLVersion": list(supported_versions(ctx.info)),
        "IsAutomaticLogin": bool(host.get("IsAutomaticLogin", False)),
        "QBFileMode": host.get("QBFileMode", "SingleUser"),
    }
    out = []
    qbxml.render_value("HostRet", data, out)
    return out


def supported_versions(info):
    host = info.get("host", {})
    return tuple(host.get("SupportedQBXMLVersion") or DEFAULT_VERSIONS)


DEFAULT_VERSIONS = ("1.0", "1.1", "2.0", "2.1", "3.0", "4.0", "4.1", "5.0", "6.0", "7.0", "8.0", "9.0", "10.0",
                    "11.0", "12.0", "13.0")


def company_ret(ctx, rq):
    company = dict(ctx.info.get("company", {}))
    owners = rq.get("OwnerID") or []
    extensions = [ext for ext in ctx.info.get("data_ext", []) if ext.get("OwnerID") in owners]
    if extensions:
        company["DataExtRet"] = extensions
    order = ORDER["CompanyRet"]
    include = rq.get("IncludeRetElement")
    if include:
        order = tuple(key for key in order if key in include)
    out = []
    qbxml.render_value("CompanyRet", {key: company[key] for key in order if key in company}, out)
    return out


def preferences_ret(ctx, rq):
    prefs = dict(ctx.info.get("preferences", {}))
    include = rq.get("IncludeRetElement")
    if include:
        prefs = {key: value for key, value in prefs.items() if key in include}
    out = []
    qbxml.render_value("PreferencesRet", prefs, out)
    return out


def data_ext_add(ctx, rq):
    """DataExtAdd of a private extension on the Company (``OtherDataExtType`` Company); other
    targets need a DataExtDef this stand-in does not keep."""
    ctx.require_writable()
    if rq.get("OtherDataExtType") != "Company":
        raise status.not_enabled("data extensions on lists and transactions in this stand-in")
    owner = rq["OwnerID"].strip()
    if owner == "0":
        raise status.not_enabled("public data extensions need a DataExtDef in this stand-in")
    name = rq["DataExtName"]
    extensions = ctx.info.setdefault("data_ext", [])
    if any(ext["OwnerID"] == owner and ext["DataExtName"].lower() == name.lower() for ext in extensions):
        raise status.StatusError(3180, f"There was an error when saving a Company data extension {name!r}. "
                                       "QuickBooks error message: The data extension already exists.")
    ret = {"OwnerID": owner, "DataExtName": name, "DataExtType": "STR255TYPE", "DataExtValue": rq["DataExtValue"]}
    extensions.append(ret)
    ctx.db.execute("UPDATE companies SET info = ? WHERE path = ?", (json.dumps(ctx.info), ctx.company))
    out = []
    qbxml.render_value("DataExtRet", ret, out)
    return out
