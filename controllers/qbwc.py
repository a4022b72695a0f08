"""The QuickBooks Web Connector's SOAP service (SOAP 1.1, document/literal, namespace
http://developer.intuit.com/) at /quickbooks/qbwc; GET serves its WSDL.

Every answer is HTTP 200 ``text/xml``: the Web Connector never retries a call, and an HTTP
error only shows as QBWC1012/QBWC1042.  XML is parsed with entities and network access off.
Neither the password nor the ticket is ever logged."""

import logging
import re
import time

from lxml import etree

from odoo import SUPERUSER_ID, fields, http
from odoo.http import request

from ..models.quickbooks_connection_desktop import QBWC_PATH, QWC_PATH, SUPPORT_PATH
from ..sync.desktop import DesktopSession, new_ticket

_logger = logging.getLogger(__name__)

NS = "http://developer.intuit.com/"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SERVER_VERSION = "Odoo quickbooks_sync 19.0.1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
METHODS = {
    "serverVersion": (), "clientVersion": ("strVersion",), "authenticate": ("strUserName", "strPassword"),
    "sendRequestXML": ("ticket", "strHCPResponse", "strCompanyFileName", "qbXMLCountry", "qbXMLMajorVers",
                       "qbXMLMinorVers"),
    "receiveResponseXML": ("ticket", "response", "hresult", "message"),
    "connectionError": ("ticket", "hresult", "message"), "getLastError": ("ticket",),
    "closeConnection": ("ticket",),
}
# The callbacks' Python names.
HANDLERS = {method: re.sub(r"(?<=[a-z])([A-Z])", r"_\1", method).lower().replace("_x_m_l", "_xml")
            for method in METHODS}


def _envelope(method, result):
    """``result``: a str, an int, or a list of str (ArrayOfString)."""
    env = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soap": SOAP11})
    body = etree.SubElement(env, f"{{{SOAP11}}}Body")
    answer = etree.SubElement(body, f"{{{NS}}}{method}Response", nsmap={None: NS})
    value = etree.SubElement(answer, f"{{{NS}}}{method}Result")
    if isinstance(result, list):
        for item in result:
            etree.SubElement(value, f"{{{NS}}}string").text = item
    else:
        value.text = str(result)
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def _fault(message):
    env = etree.Element(f"{{{SOAP11}}}Envelope", nsmap={"soap": SOAP11})
    body = etree.SubElement(env, f"{{{SOAP11}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP11}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap:Client"
    etree.SubElement(fault, "faultstring").text = message
    return etree.tostring(env, xml_declaration=True, encoding="utf-8")


def _xml(body):
    return request.make_response(body, headers=[("Content-Type", "text/xml; charset=utf-8")], status=200)


def wsdl(url):
    ops = []
    for method, params in METHODS.items():
        ops.append((method, params))
    types = []
    for method, params in ops:
        seq = "".join(f'<s:element minOccurs="0" maxOccurs="1" name="{p}" type="s:string"/>' for p in params)
        result_type = {"authenticate": "tns:ArrayOfString", "receiveResponseXML": "s:int"}.get(method, "s:string")
        occurs = 'minOccurs="1"' if result_type == "s:int" else 'minOccurs="0"'
        types.append(f'<s:element name="{method}"><s:complexType><s:sequence>{seq}</s:sequence></s:complexType>'
                     f'</s:element><s:element name="{method}Response"><s:complexType><s:sequence>'
                     f'<s:element {occurs} maxOccurs="1" name="{method}Result" type="{result_type}"/>'
                     f'</s:sequence></s:complexType></s:element>')
    messages = "".join(
        f'<wsdl:message name="{m}SoapIn"><wsdl:part name="parameters" element="tns:{m}"/></wsdl:message>'
        f'<wsdl:message name="{m}SoapOut"><wsdl:part name="parameters" element="tns:{m}Response"/></wsdl:message>'
        for m, _p in ops)
    port_ops = "".join(
        f'<wsdl:operation name="{m}"><wsdl:input message="tns:{m}SoapIn"/><wsdl:output message="tns:{m}SoapOut"/>'
        f'</wsdl:operation>' for m, _p in ops)
    binding_ops = "".join(
        f'<wsdl:operation name="{m}"><soap:operation soapAction="{NS}{m}" style="document"/>'
        f'<wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>'
        f'</wsdl:operation>' for m, _p in ops)
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="{NS}" targetNamespace="{NS}" '
        'xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/">'
        f'<wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="{NS}">'
        '<s:complexType name="ArrayOfString"><s:sequence><s:element minOccurs="0" maxOccurs="unbounded" '
        'name="string" nillable="true" type="s:string"/></s:sequence></s:complexType>'
        f'{"".join(types)}</s:schema></wsdl:types>{messages}'
        f'<wsdl:portType name="QBWebConnectorSvcSoap">{port_ops}</wsdl:portType>'
        '<wsdl:binding name="QBWebConnectorSvcSoap" type="tns:QBWebConnectorSvcSoap">'
        f'<soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>{binding_ops}</wsdl:binding>'
        '<wsdl:service name="QBWebConnectorSvc"><wsdl:port name="QBWebConnectorSvcSoap" '
        f'binding="tns:QBWebConnectorSvcSoap"><soap:address location="{url}"/></wsdl:port></wsdl:service>'
        '</wsdl:definitions>'
    ).encode()


class QuickbooksWebConnector(http.Controller):

    @http.route(QBWC_PATH, type="http", auth="none", methods=["GET", "POST"], csrf=False, readonly=False)
    def qbwc(self, **_kwargs):
        if request.httprequest.method == "GET":
            return _xml(wsdl(request.httprequest.base_url))
        try:
            root = etree.fromstring(request.httprequest.get_data(), _PARSER)
            body = root.find(f"{{{SOAP11}}}Body")
            call = next(child for child in body if isinstance(child.tag, str))
        except (etree.XMLSyntaxError, TypeError, StopIteration, ValueError):
            return _xml(_fault("The request is not a SOAP 1.1 envelope."))
        method = etree.QName(call).localname
        if method not in METHODS or etree.QName(call).namespace != NS:
            return _xml(_fault(f"Unknown method {method}."))
        params = {etree.QName(child).localname: child.text or "" for child in call if isinstance(child.tag, str)}
        if not request.db:
            _logger.warning("QuickBooks Web Connector call %s without a database (set dbfilter)", method)
            defaults = {"authenticate": ["", "nvu"], "receiveResponseXML": -1}
            return _xml(_envelope(method, defaults.get(method, "")))
        env = request.env(user=SUPERUSER_ID)
        service = WebConnectorService(env)
        started = time.perf_counter()
        try:
            with env.cr.savepoint():
                handler = getattr(service, HANDLERS[method])
                result = handler(*[params.get(name, "") for name in METHODS[method]])
        except Exception:
            _logger.exception("QuickBooks Web Connector call %s failed", method)
            result = {"authenticate": ["", "nvu"], "receiveResponseXML": -1, "connectionError": "done"}.get(
                method, "")
        ticket = params.get("ticket") or (result[0] if method == "authenticate" and result else "")
        session = DesktopSession.find(env, ticket) if ticket else None
        if session:
            session.session.write({"soap_calls": session.session.soap_calls + 1, "odoo_ms": session.session.odoo_ms
                                   + (time.perf_counter() - started) * 1000})
        return _xml(_envelope(method, result))

    @http.route(f"{QWC_PATH}/<int:connection_id>", type="http", auth="user", methods=["GET"])
    def qwc(self, connection_id, **_kwargs):
        connection = request.env["quickbooks.connection"].browse(connection_id).exists()
        if not connection:
            return request.not_found()
        connection._check_manager_access()
        body = connection._qbd_qwc()
        filename = re.sub(r"[^A-Za-z0-9_-]+", "_", connection.company_id.name or "odoo")[:40]
        return request.make_response(body, headers=[
            ("Content-Type", "text/xml; charset=utf-8"),
            ("Content-Disposition", f'attachment; filename="quickbooks_{filename}.qwc"'),
        ])

    @http.route(SUPPORT_PATH, type="http", auth="none", methods=["GET"])
    def support(self, **_kwargs):
        return request.make_response(
            "<html><body><h1>Odoo - QuickBooks Desktop</h1><p>This Odoo sends customers, items, invoices and payments "
            "to QuickBooks Desktop through the QuickBooks Web Connector. See Settings &gt; QuickBooks in Odoo, and "
            "QuickBooks &gt; Sync Log for what was sent.</p></body></html>",
            headers=[("Content-Type", "text/html; charset=utf-8")])


class WebConnectorService:
    """The callbacks, one method each (parameter names as in the WSDL)."""

    def __init__(self, env):
        self.env = env

    def server_version(self):
        return SERVER_VERSION

    def client_version(self, version):
        if version and request:
            request.session["qbwc_version"] = version[:32]
        return ""

    def authenticate(self, username, password):
        connection = self.env["quickbooks.connection"].sudo().search([
            ("qbd_username", "=", username or "-"), ("backend", "=", "desktop")], limit=1)
        if not connection or not connection._qbd_check_credentials(username, password):
            _logger.warning("QuickBooks Web Connector: authentication refused for user %r from %s",
                            (username or "")[:64], request.httprequest.remote_addr if request else "?")
            return ["", "nvu"]
        values = {"qbd_last_contact": fields.Datetime.now()}
        version = request.session.get("qbwc_version") if request else None
        if version:
            values["qbd_version"] = version
        connection.write(values)
        DesktopSession.recover(connection)
        if not connection.sync_enabled or not DesktopSession.has_work_for(connection):
            return [new_ticket(), "none"]
        session, ticket = DesktopSession.open(connection)
        _logger.info("QuickBooks Web Connector session %s opened for company %s", session.id,
                     connection.company_id.id)
        return [ticket, ""]

    def _session(self, ticket):
        return DesktopSession.find(self.env, ticket)

    def send_request_xml(self, ticket, hcp_response, company_file, _country, _major, _minor):
        session = self._session(ticket)
        if not session:
            return ""
        connection = session.connection
        values = {"qbd_last_contact": fields.Datetime.now()}
        if company_file:
            values["qbd_company_file"] = company_file[:500]
            session.session.company_file = company_file[:500]
        product = re.search(r"<ProductName>([^<]{1,100})</ProductName>", hcp_response or "")
        if product:
            values["qbd_version"] = f"{(connection.qbd_version or '').split(' / ')[0]} / {product.group(1)}".strip(
                " /")
            session.session.qbwc_version = values["qbd_version"]
        connection.write(values)
        xml = session.next_request()
        if not xml:
            session.session.last_error = session.session.last_error or "Nothing more to send."
        return xml

    def receive_response_xml(self, ticket, response, hresult, message):
        session = self._session(ticket)
        if not session:
            return -1
        return session.apply(response, hresult, message)

    def connection_error(self, ticket, hresult, message):
        session = self._session(ticket)
        if session:
            session.session.write({"state": "failed", "last_error": f"{hresult} {message}".strip()[:2000],
                                   "closed_at": fields.Datetime.now()})
            DesktopSession.recover(session.connection)
        return "done"

    def get_last_error(self, ticket):
        session = DesktopSession.find(self.env, ticket)
        if not session:
            return "Odoo: the session is not valid (expired or unknown ticket)."
        return session.session.last_error or "Nothing more to send."

    def close_connection(self, ticket):
        session = self._session(ticket)
        if not session:
            return "OK"
        record = session.session
        record.write({"state": "done", "closed_at": fields.Datetime.now()})
        return f"Odoo: {record.done_count} sent, {record.error_count} errors"
