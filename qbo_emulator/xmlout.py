"""XML answers, for a client that sends ``Accept: application/xml``.

QuickBooks speaks XML as well as JSON (the v3 schema, ``IntuitRestServiceDef.xsd``): an answer
is ``<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="...">`` holding the
entity (``<Invoice domain="QBO" sparse="false">``), a ``<QueryResponse startPosition=".."
maxResults="..">``, a ``<BatchItemResponse bId="..">`` or a ``<CDCResponse>``; a reference is
an element whose text is the id and whose ``name`` (and ``type``) are attributes
(``<CustomerRef name="Amy's Bird Sanctuary">1</CustomerRef>``); repeated elements stand for
JSON arrays; faults are ``<Fault type=".."><Error code=".."><Message/><Detail/></Error></Fault>``.
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#xml-and-json
"""

import json
from xml.sax.saxutils import escape, quoteattr

NAMESPACE = "http://schema.intuit.com/finance/v3"
# JSON keys that QuickBooks' XML carries as attributes of their element.
ATTRIBUTES = {"domain", "sparse", "startPosition", "maxResults", "totalCount", "bId", "type", "status", "code",
              "element"}
_REF_ATTRIBUTES = ("name", "type")


def wants_xml(request):
    accept = request.headers.get("Accept", "")
    if "xml" not in accept:
        return False
    return request.accept_mimetypes.best_match(["application/json", "application/xml", "text/xml"]) != \
        "application/json"


def _scalar(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def _element(name, value, out):
    if isinstance(value, list):
        for item in value:
            _element(name, item, out)
        return
    if isinstance(value, dict):
        if "value" in value and all(not isinstance(v, (dict, list)) for v in value.values()):
            attrs = "".join(f" {key}={quoteattr(_scalar(value[key]))}" for key in _REF_ATTRIBUTES if key in value)
            out.append(f"<{name}{attrs}>{escape(_scalar(value['value']))}</{name}>")
            return
        attrs = "".join(f" {key}={quoteattr(_scalar(v))}" for key, v in value.items()
                        if key in ATTRIBUTES and not isinstance(v, (dict, list)))
        out.append(f"<{name}{attrs}>")
        for key, child in value.items():
            if key in ATTRIBUTES and not isinstance(child, (dict, list)):
                continue
            _element(key, child, out)
        out.append(f"</{name}>")
        return
    out.append(f"<{name}>{escape(_scalar(value))}</{name}>")


def from_json(text):
    """The XML form of a JSON answer of the Accounting API."""
    payload = json.loads(text)
    time_text = payload.pop("time", "") if isinstance(payload, dict) else ""
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
           f"<IntuitResponse xmlns={quoteattr(NAMESPACE)} time={quoteattr(_scalar(time_text))}>"]
    for key, value in (payload.items() if isinstance(payload, dict) else ()):
        if key == "CDCResponse":
            # [{"QueryResponse": [{"Customer": [...]}, {}]}]: one <QueryResponse> per entity asked.
            for response in value:
                out.append("<CDCResponse>")
                for query_response in response.get("QueryResponse", []):
                    _element("QueryResponse", query_response, out)
                out.append("</CDCResponse>")
        else:
            _element(key, value, out)
    out.append("</IntuitResponse>")
    return "".join(out)
