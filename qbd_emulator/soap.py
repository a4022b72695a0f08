"""SOAP 1.1 as the Web Connector speaks it: .NET's document/literal web-service client.

A call is an HTTP POST with ``Content-Type: text/xml; charset=utf-8``, ``SOAPAction:
"http://developer.intuit.com/<method>"`` (quotes included) and the parameters as children of
``<method xmlns="http://developer.intuit.com/">`` (WSDL; consolibyte ``dev_qbwc_tester.php``; the
envelope QBWC sends, johnballantyne/qbws#10).  Empty strings go as empty elements (``<hresult />``,
qbwc/quickbooks_api#3).

Answers are read as strictly as .NET reads them; what goes wrong becomes the message .NET's client
raises, which the Web Connector then shows:

* no connection: "Unable to connect to the remote server"; too slow: "The operation has timed out"
  (the client waits 100 s by default, ``WebClientProtocol.Timeout``);
* an answer that is not ``text/xml``: "Client found response content type of '...', but expected
  'text/xml'.";
* not XML: "Response is not well-formed XML." (consolibyte#248);
* a SOAP 1.2 envelope: "Possible SOAP version mismatch: Envelope namespace ... was unexpected.";
* a SOAP Fault (HTTP 500 or 200): its ``faultstring``; another HTTP error: "The request failed with
  HTTP status 404: Not Found.";
* the wrong element or namespace in the body: "There is an error in XML document ...".
"""

import requests
from lxml import etree

NS = "http://developer.intuit.com/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
USER_AGENT = "Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 4.0.30319.42000)"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


class SoapError(Exception):
    """The call failed; ``str()`` is the message the .NET client raises."""


class SoapFault(SoapError):
    """The web service answered with a SOAP Fault."""


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def envelope(method, params):
    parts = []
    for name, value in params:
        value = "" if value is None else str(value)
        parts.append(f"<{name}>{_escape(value)}</{name}>" if value else f"<{name} />")
    inner = "".join(parts)
    call = f'<{method} xmlns="{NS}">{inner}</{method}>' if inner else f'<{method} xmlns="{NS}" />'
    return ('<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP11}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body>{call}</soap:Body></soap:Envelope>')


class SoapClient:
    def __init__(self, url, timeout=100.0, session=None):
        self.url = url
        self.timeout = timeout
        self.http = session or requests.Session()
        self.exchanges = []       # (method, request body, status, response body) for the log

    def call(self, method, params):
        """The ``<methodResult>`` element of the answer, or None when the answer has none."""
        body = envelope(method, params)
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}{method}"',
                   "User-Agent": USER_AGENT}
        try:
            answer = self.http.post(self.url, data=body.encode("utf-8"), headers=headers, timeout=self.timeout,
                                    allow_redirects=False)
        except requests.Timeout as exc:
            raise SoapError("The operation has timed out") from exc
        except requests.ConnectionError as exc:
            raise SoapError("Unable to connect to the remote server") from exc
        self.exchanges.append((method, body, answer.status_code, answer.text))
        content_type = answer.headers.get("Content-Type", "")
        if answer.status_code not in (200, 500):
            raise SoapError(f"The request failed with HTTP status {answer.status_code}: {answer.reason}.")
        if not content_type.lower().startswith("text/xml"):
            if answer.status_code == 500:
                raise SoapError(f"The request failed with HTTP status 500: {answer.reason}.")
            raise SoapError(f"Client found response content type of '{content_type}', but expected 'text/xml'.")
        try:
            root = etree.fromstring(answer.content, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise SoapError("Response is not well-formed XML.") from exc
        namespace = etree.QName(root).namespace
        if namespace == SOAP12:
            raise SoapError(f"Possible SOAP version mismatch: Envelope namespace {SOAP12} was unexpected. "
                            f"Expecting {SOAP11}.")
        if etree.QName(root).localname != "Envelope" or namespace != SOAP11:
            raise SoapError(f"There is an error in XML document (1, 1): <{etree.QName(root).localname} "
                            f"xmlns='{namespace or ''}'> was not expected.")
        body_el = root.find(f"{{{SOAP11}}}Body")
        if body_el is None:
            raise SoapError("There is an error in XML document: the envelope has no Body.")
        children = [c for c in body_el if isinstance(c.tag, str)]
        if not children:
            raise SoapError("There is an error in XML document: the Body is empty.")
        first = children[0]
        if first.tag == f"{{{SOAP11}}}Fault":
            fault = first.findtext("faultstring") or first.findtext(f"{{{SOAP11}}}faultstring") or ""
            raise SoapFault(fault)
        if answer.status_code == 500:
            raise SoapError(f"The request failed with HTTP status 500: {answer.reason}.")
        expected = f"{{{NS}}}{method}Response"
        if first.tag != expected:
            qname = etree.QName(first)
            raise SoapError(f"There is an error in XML document (1, 2): <{qname.localname} "
                            f"xmlns='{qname.namespace or ''}'> was not expected.")
        return first.find(f"{{{NS}}}{method}Result")


def text_of(result):
    """A string result: None when the element is missing (.NET's null), else its text."""
    if result is None:
        return None
    return result.text or ""


def strings_of(result):
    """An ArrayOfString result (authenticate)."""
    if result is None:
        return None
    return [item.text or "" for item in result if item.tag == f"{{{NS}}}string"]


def int_of(result):
    if result is None:
        raise SoapError("There is an error in XML document: the answer has no receiveResponseXMLResult.")
    text = (result.text or "").strip()
    try:
        return int(text)
    except ValueError as exc:
        raise SoapError(f"There is an error in XML document: {text!r} - Input string was not in a correct "
                        "format.") from exc
