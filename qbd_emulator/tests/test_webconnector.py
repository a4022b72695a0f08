"""The scripted Web Connector against a minimal SOAP web service written here: full sessions, bad
passwords, no work, QuickBooks and server errors, strictness, the .qwc, the stored password, the
scheduler, and the command line over real child processes."""

import json
import subprocess
import sys

import pytest
from conftest import FILE_ID, NS, OWNER_ID, Fault, Raw, message_set, rq

from qbd_emulator import qwc as qwc_module
from qbd_emulator.process import PACKAGE_PARENT, CompanyFileProcess, WebConnectorProcess
from qbd_emulator.webconnector import WebConnector

ADD_CUSTOMER = message_set(rq("CustomerAdd", "<Name>From The Web Service</Name>"))
QUERY_INVOICE = message_set(rq("InvoiceQuery", "<RefNumber>1003</RefNumber>", request_id="q-2"))
GUIDE = "QBWC Programmer's Guide (https://developer-static.intuit.com/qbSDK-current/doc/PDF/QBWC_proguide.pdf)"


def connector(service, company_file, password="s3cret", **options):
    options.setdefault("sleep", lambda _seconds: None)
    return WebConnector(service.qwc(), company_file, password, **options)


def test_full_session_call_sequence_and_parameters(web_service, company_file):
    """serverVersion, clientVersion, authenticate, then sendRequestXML / receiveResponseXML until 100%,
    then closeConnection, whose text the Web Connector shows (""" + GUIDE + """ ch. 2 and 10).  The
    first sendRequestXML carries the HostQuery/CompanyQuery/PreferencesQuery answer, later ones ""; the
    company file path, country and the highest qbXML version come with every call."""
    service = web_service(ADD_CUSTOMER, QUERY_INVOICE)
    result = connector(service, company_file).update_selected()
    assert service.names() == ["serverVersion", "clientVersion", "authenticate", "sendRequestXML",
                               "receiveResponseXML", "sendRequestXML", "receiveResponseXML", "closeConnection"]
    assert (result.status, result.message, result.progress, result.message_sets) == \
        ("Ok", "Processed 2 requests", 100, 2)
    assert service.params("clientVersion") == {"strVersion": "2.3.0.215"}
    assert service.params("authenticate") == {"strUserName": "odoo-test", "strPassword": "s3cret"}
    first, second = service.params("sendRequestXML", 0), service.params("sendRequestXML", 1)
    assert "<HostRet>" in first["strHCPResponse"] and "<CompanyRet>" in first["strHCPResponse"] \
        and "<PreferencesRet>" in first["strHCPResponse"]
    assert second["strHCPResponse"] == ""
    assert first["strCompanyFileName"].endswith("Bayside Home Services.qbw")
    assert (first["qbXMLCountry"], first["qbXMLMajorVers"], first["qbXMLMinorVers"]) == ("US", "13", "0")
    assert first["ticket"] in service.tickets
    received = service.received[0]
    assert (received["hresult"], received["message"]) == ("", "")
    assert '<CustomerAddRs requestID="1" statusCode="0"' in received["response"]
    assert '<InvoiceQueryRs requestID="q-2" statusCode="0"' in service.received[1]["response"]
    assert company_file.count(company_file.open_company(), "Customer", name="From The Web Service")["count"] == 1
    assert company_file.session_list() == [], "the request processor's session is over"


def test_soap_envelope_and_headers_are_the_dotnet_client_s(web_service, company_file):
    """SOAP 1.1 document/literal, ``SOAPAction: "http://developer.intuit.com/<method>"`` with quotes,
    ``Content-Type: text/xml; charset=utf-8`` (WSDL; consolibyte dev_qbwc_tester.php; the envelope
    QBWC sends in johnballantyne/qbws#10)."""
    service = web_service()
    connector(service, company_file).update_selected()
    headers = service.http[0]
    assert headers["Soapaction"] == f'"{NS}serverVersion"'
    assert headers["Content-Type"] == "text/xml; charset=utf-8"
    assert "MS Web Services Client Protocol" in headers["User-Agent"]


def test_the_file_id_is_stamped_into_the_company_file_once(web_service, company_file):
    """The FileID is "a GUID we stamp in the file on your behalf (using your OwnerID) as a private data
    extension to the Company object" (Intuit WCWebService readme): a CompanyQuery with the OwnerID
    shows it, in the HCP answer of the next sessions too."""
    service = web_service(ADD_CUSTOMER)
    connector(service, company_file).update_selected()
    answer = company_file.process(message_set(rq("CompanyQuery", f"<OwnerID>{OWNER_ID}</OwnerID>")))
    assert f"<DataExtValue>{FILE_ID}</DataExtValue>" in answer
    service.queue.append(QUERY_INVOICE)
    connector(service, company_file).update_selected()
    assert f"<DataExtValue>{FILE_ID}</DataExtValue>" in service.params("sendRequestXML", 1)["strHCPResponse"]
    assert answer.count("<DataExtRet>") == 1


def test_bad_password_is_authentication_failed(web_service, company_file):
    """authenticate answering ``nvu``: the Web Connector shows "Authentication failed" (the red status
    integrators document, e.g. Connex's help), calls closeConnection and sends nothing (reference
    sheet §1)."""
    service = web_service(ADD_CUSTOMER)
    result = connector(service, company_file, password="wrong").update_selected()
    assert (result.status, result.message) == ("Error", "Authentication failed")
    assert service.names() == ["serverVersion", "clientVersion", "authenticate", "closeConnection"]
    assert service.queue == [ADD_CUSTOMER]


@pytest.mark.parametrize("word", ["none", "NONE"])
def test_no_work_is_no_data_exchange_required(web_service, company_file, word):
    """authenticate answering ``none`` (any case: RappidDevelopment/quickbooks-js#15 sends NONE): "No
    data exchange required", QuickBooks is not opened (reference sheet §3)."""
    service = web_service()
    service.answers["authenticate"] = lambda **_: ["T-1", word]
    result = connector(service, company_file).update_selected()
    assert (result.status, result.message) == ("Ok", "No data exchange required")
    assert "sendRequestXML" not in service.names() and service.names()[-1] == "closeConnection"
    assert company_file.stats().get("sessions") is None


def test_server_error_mid_session_ends_it_with_qbwc1042(web_service, company_file):
    """A web service that throws in receiveResponseXML (ASP.NET answers HTTP 500 with a SOAP Fault):
    "QBWC1042: ReceiveResponseXML failed / Error message: ..." (consolibyte#248); the Web Connector never
    retries a call and calls nothing more (reference sheet §4).  What QuickBooks committed stays."""
    service = web_service(ADD_CUSTOMER, QUERY_INVOICE)

    def explode(**_params):
        raise Fault("Server was unable to process request. ---> Object reference not set to an instance of an "
                    "object.")

    service.answers["receiveResponseXML"] = explode
    result = connector(service, company_file).update_selected()
    assert result.status == "Error"
    assert result.message == ("QBWC1042: ReceiveResponseXML failed\nError message: Server was unable to process "
                              "request. ---> Object reference not set to an instance of an object.")
    assert service.names()[-1] == "receiveResponseXML"
    assert company_file.count(company_file.open_company(), "Customer", name="From The Web Service")["count"] == 1


def test_plain_http_500_in_send_request_xml(web_service, company_file):
    """An HTML error page instead of SOAP: .NET's "The request failed with HTTP status 500: ...", shown
    as "SendRequestXML failed" (johnballantyne/qbws#3)."""
    service = web_service(ADD_CUSTOMER)
    service.answers["sendRequestXML"] = lambda **_: Raw("<html>Traceback</html>", 500, "text/html")
    result = connector(service, company_file).update_selected()
    assert result.message.startswith("SendRequestXML failed\nError message: The request failed with HTTP status 500")


def test_quickbooks_errors_reach_the_service_as_hresult_and_message(web_service, company_file):
    """When QuickBooks cannot process the request, receiveResponseXML gets an empty response with the
    HRESULT and message (NodeGeeks/loopback-connector-quickbooks#14: 0x80040400 "QuickBooks found an
    error when parsing the provided XML text stream."); a negative answer makes the Web Connector call
    getLastError and closeConnection and show the error (reference sheet §1)."""
    service = web_service("<QBXML><not-qbxml/></QBXML>")
    result = connector(service, company_file).update_selected()
    assert service.received == [{"response": "", "hresult": "0x80040400",
                                 "message": "QuickBooks found an error when parsing the provided XML text stream."}]
    assert service.names()[-3:] == ["receiveResponseXML", "getLastError", "closeConnection"]
    assert (result.status, result.message) == ("Error", "QuickBooks could not process the request.")


def test_response_lost_after_commit_reaches_the_service_as_server_died(web_service, company_file):
    """QuickBooks commits the invoice and dies before answering: the service hears RPC_E_SERVERDIED
    0x80010007 "... The call may have executed." (Microsoft COM error codes); the invoice is in the file
    once, and only a query by its reference can tell."""
    invoice = message_set(rq("InvoiceAdd", "<CustomerRef><FullName>Baker Family</FullName></CustomerRef><RefNumber>"
                                           "ODOO-42</RefNumber><InvoiceLineAdd><ItemRef><FullName>Inspection"
                                           "</FullName></ItemRef></InvoiceLineAdd>"))
    service = web_service(invoice)
    company_file.faults.add("response_lost", match={"request": "InvoiceAdd"})
    connector(service, company_file).update_selected()
    assert service.received[0]["hresult"] == "0x80010007"
    assert "may have executed" in service.received[0]["message"]
    assert company_file.count(company_file.open_company(), "Invoice", ref_number="ODOO-42")["count"] == 1


def test_machine_down_between_send_and_receive(web_service, company_file):
    """The PC dies after QuickBooks committed: the web service hears nothing more of the session, no
    receiveResponseXML, no closeConnection (its ticket stays open); the next session starts afresh."""
    service = web_service(ADD_CUSTOMER)
    company_file.faults.add("crash", match={"request": "CustomerAdd"})
    web_connector = connector(service, company_file)
    result = web_connector.update_selected()
    assert result.status == "Crashed"
    assert service.names()[-1] == "sendRequestXML"
    service.queue[0] = QUERY_INVOICE
    assert web_connector.update_selected().status == "Ok"
    assert company_file.count(company_file.open_company(), "Customer", name="From The Web Service")["count"] == 1


def test_connection_error_done_and_retry(web_service, company_file):
    """When QuickBooks cannot open the file the Web Connector calls connectionError(ticket, hresult,
    message): "done" ends the session; another answer names a file to try again, "a couple of times"
    at most (""" + GUIDE + """ ch. 10)."""
    service = web_service(ADD_CUSTOMER)
    company_file.faults.add("busy")
    result = connector(service, company_file).update_selected()
    assert service.params("connectionError")["hresult"] == "0x80040414"
    assert result.status == "Error" and result.message.startswith("A modal dialog box is showing")
    assert "sendRequestXML" not in service.names() and service.names()[-1] == "closeConnection"

    retry = web_service(ADD_CUSTOMER)
    retry.answers["connectionError"] = ""
    company_file.faults.add("not_running")
    result = connector(retry, company_file).update_selected()
    assert retry.names().count("connectionError") == 1 and result.status == "Ok"

    stubborn = web_service(ADD_CUSTOMER)
    stubborn.answers["connectionError"] = ""
    company_file.faults.add("not_running", count=5)
    result = connector(stubborn, company_file).update_selected()
    assert stubborn.names().count("connectionError") == 3 and result.message == "Could not start QuickBooks."


def test_empty_request_get_last_error_noop_then_work(web_service, company_file):
    """sendRequestXML "" makes the Web Connector call getLastError; "NoOp" makes it wait five seconds
    and ask again (reference sheet §1; johnballantyne/qbws#2 uses it for asynchronous work)."""
    service = web_service(ADD_CUSTOMER)
    answers = iter(["", ADD_CUSTOMER])
    service.answers["sendRequestXML"] = lambda **_: next(answers)
    service.answers["getLastError"] = "NoOp"
    waits = []
    result = connector(service, company_file, sleep=waits.append).update_selected()
    assert waits == [5.0]
    assert service.names()[3:7] == ["sendRequestXML", "getLastError", "sendRequestXML", "receiveResponseXML"]
    assert result.status == "Ok"


def test_empty_request_with_a_message_ends_the_session(web_service, company_file):
    """sendRequestXML "" and a getLastError text: the session ends showing it, after closeConnection."""
    service = web_service(ADD_CUSTOMER)
    service.answers["sendRequestXML"] = ""
    service.answers["getLastError"] = "Odoo has no connection for this company file."
    result = connector(service, company_file).update_selected()
    assert (result.status, result.message) == ("Error", "Odoo has no connection for this company file.")
    assert service.names()[-2:] == ["getLastError", "closeConnection"]


@pytest.mark.parametrize(("answer", "status", "goes_on"), [
    ("", "Ok", True), ("W:Please upgrade soon", "Ok", True), ("E:This web service needs QBWC 2.3", "Error", False),
    ("O:2.4.0.0", "Error", False)])
def test_client_version_answers(web_service, company_file, answer, status, goes_on):
    """clientVersion: "" go on; "W:" a warning the user may accept; "E:" stop with that error; "O:"
    a newer Web Connector is required (""" + GUIDE + """ ch. 10; Intuit WCWebService sample)."""
    service = web_service()
    service.answers["clientVersion"] = answer
    result = connector(service, company_file).update_selected()
    assert result.status == status
    assert ("authenticate" in service.names()) is goes_on
    if answer.startswith("W:"):
        assert result.warnings == ["Please upgrade soon"]
    if answer.startswith("E:"):
        assert result.message == "This web service needs QBWC 2.3"


def test_authenticate_postpone_and_minimum_interval(web_service, company_file):
    """authRet[2] postpones the update by that many seconds ("Update postponed by application", guide
    p. 63 as quoted in johnballantyne/qbws#2); authRet[3] is the minimum run-every interval."""
    service = web_service(ADD_CUSTOMER)
    service.answers["authenticate"] = lambda **_: ["T-2", "", "300", "900"]
    result = connector(service, company_file).update_selected()
    assert (result.status, result.message, result.postpone_seconds, result.every_min_seconds) == \
        ("Postponed", "Update postponed by application", 300, 900)
    assert "sendRequestXML" not in service.names()


@pytest.mark.parametrize(("method", "answer", "message"), [
    ("authenticate", Raw("<soap:Envelope>oops"), "Response is not well-formed XML."),
    ("authenticate", Raw('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope">'
                         "<soap:Body/></soap:Envelope>"),
     "Possible SOAP version mismatch: Envelope namespace http://www.w3.org/2003/05/soap-envelope was unexpected."),
    ("authenticate", Raw("<ok/>", 200, "text/html; charset=utf-8"),
     "Client found response content type of 'text/html; charset=utf-8', but expected 'text/xml'."),
    ("authenticate", Raw('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                         '<soap:Body><authenticateResponse xmlns="http://tempuri.org/"/></soap:Body></soap:Envelope>'),
     "There is an error in XML document"),
    ("authenticate", ["only-a-ticket"], "Index was outside the bounds of the array."),
])
def test_strict_about_soap_answers_before_authentication(web_service, company_file, method, answer, message):
    """QBWC is strict about the envelope (jsgoupil/quickbooks-sync#62, #66): what .NET's client cannot
    read fails the session, "QBWC1012: Authentication failed due to following error message."
    (consolibyte#240) with .NET's message."""
    service = web_service(ADD_CUSTOMER)
    service.answers[method] = answer
    result = connector(service, company_file).update_selected()
    assert result.status == "Error"
    assert result.message.startswith("QBWC1012: Authentication failed due to following error message.\n")
    assert message in result.message
    assert service.names()[-1] == method


def test_strict_about_send_and_receive_answers(web_service, company_file):
    """A sendRequestXML answer without its Result is .NET's null: "Object reference not set to an
    instance of an object." (johnballantyne/qbws#3); a receiveResponseXML answer that is not an int:
    QBWC1042 (consolibyte#248)."""
    service = web_service(ADD_CUSTOMER)
    service.answers["sendRequestXML"] = Raw(
        '<?xml version="1.0"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>'
        f'<sendRequestXMLResponse xmlns="{NS}"/></soap:Body></soap:Envelope>')
    result = connector(service, company_file).update_selected()
    assert result.message == ("SendRequestXML failed\nError message: Object reference not set to an instance of an "
                              "object.")
    service = web_service(ADD_CUSTOMER)
    service.answers["receiveResponseXML"] = "fifty"
    result = connector(service, company_file).update_selected()
    assert result.message.startswith("QBWC1042: ReceiveResponseXML failed\nError message: There is an error in XML")


def test_a_fault_in_server_version_does_not_stop_the_session(web_service, company_file):
    """serverVersion is informational ("More Information" in QBWC): a web service without it (a SOAP
    Fault) still gets its session."""
    service = web_service(ADD_CUSTOMER)

    def missing(**_params):
        raise Fault("Server did not recognize the value of HTTP Header SOAPAction: serverVersion.")

    service.answers["serverVersion"] = missing
    assert connector(service, company_file).update_selected().status == "Ok"


def test_a_web_service_slower_than_the_web_connector_waits(web_service, company_file):
    """.NET's client gives up after its timeout (100 s by default, WebClientProtocol.Timeout): "The
    operation has timed out", and the session ends there."""
    import time  # noqa: PLC0415

    service = web_service(ADD_CUSTOMER)
    service.answers["sendRequestXML"] = lambda **_: (time.sleep(1.0), ADD_CUSTOMER)[1]
    result = connector(service, company_file, soap_timeout=0.3).update_selected()
    assert result.message == "SendRequestXML failed\nError message: The operation has timed out"


def test_read_only_applications_cannot_write(web_service, company_file):
    """``IsReadOnly`` true in the .qwc: the application reads only; a write is refused (3260,
    "Insufficient permission level to perform this action.", consolibyte Errors.php)."""
    service = web_service(ADD_CUSTOMER)
    web_connector = WebConnector(service.qwc(IsReadOnly="true"), company_file, "s3cret")
    web_connector.update_selected()
    assert 'statusCode="3260"' in service.received[0]["response"]


def test_unreachable_web_service(company_file, web_service):
    """Nobody listening at AppURL: "Unable to connect to the remote server" (.NET WebException),
    during authentication (QBWC1012)."""
    service = web_service()
    service.stop()
    result = connector(service, company_file, soap_timeout=2).update_selected()
    assert result.message == ("QBWC1012: Authentication failed due to following error message.\nUnable to connect "
                              "to the remote server")


def test_password_is_stored_and_never_logged(web_service, company_file, tmp_path):
    """QBWC keeps the password once typed (encrypted in the registry, reference sheet §5): later runs
    need none; it never appears in the log.  Without one there is no session."""
    service = web_service(ADD_CUSTOMER, QUERY_INVOICE)
    state = tmp_path / "wc.json"
    first = connector(service, company_file, password="s3cret", state_path=state, log_path=tmp_path / "QWCLog.txt")
    first.update_selected()
    assert "s3cret" not in state.read_text()
    again = connector(service, company_file, password=None, state_path=state, log_path=tmp_path / "QWCLog.txt")
    assert again.update_selected().status == "Ok"
    log = (tmp_path / "QWCLog.txt").read_text()
    assert "s3cret" not in log
    assert "QBWebConnector.SOAPWebService.do_serverVersion() : *** Calling serverVersion()." in log
    blank = connector(service, company_file, password=None, state_path=tmp_path / "other.json")
    result = blank.update_selected()
    assert result.status == "Error" and result.message.startswith("Password is blank")


def test_scheduler_runs_sessions_every_interval(web_service, company_file):
    """Auto-Run: a session now, then every RunEveryNMinutes/RunEveryNSeconds (the first one wins,
    reference sheet §5), until stopped."""
    service = web_service(*[ADD_CUSTOMER.replace("From The Web Service", f"Scheduled {n}") for n in range(3)])
    service.answers["receiveResponseXML"] = lambda **params: (service.received.append(params), service.queue.pop(0),
                                                              100)[-1]
    results = []
    web_connector = connector(service, company_file)
    web_connector.run(every_seconds=0.01, sessions=4, on_result=results.append)
    assert [r.message for r in results] == ["Processed 1 requests", "Processed 2 requests", "Processed 3 requests",
                                            "No data exchange required"]


@pytest.mark.parametrize(("override", "message"), [
    ({"AppURL": "http://odoo.example.com/qbwc", "AppSupport": "http://odoo.example.com/s"},
     "QBWC1051: The web service http://odoo.example.com/qbwc is not on a secure (https) server."),
    ({"FileID": None}, "The file has no <FileID> element."),
    ({"OwnerID": "6B063959-81B0-4622-85D6-F548C8CCB517"}, "is not a GUID in braces"),
    ({"QBType": "QBPOS"}, "QBFS"),
    ({"AppSupport": "https://intuit.com/support"}, "must be on the same domain"),
    ({"Style": "RPC"}, "document/literal"),
])
def test_qwc_is_checked_as_the_web_connector_adds_it(web_service, override, message):
    """HTTPS except on localhost ("If you don't use HTTPS, the web connector won't connect"; QBWC1051,
    RappidDevelopment/quickbooks-js#26), AppSupport on AppURL's domain, every required element, GUIDs in
    braces (""" + GUIDE + """ ch. 4; consolibyte QWC.php)."""
    service = web_service()
    with pytest.raises(qwc_module.QWCError) as caught:
        qwc_module.load(service.qwc(**override))
    assert message in str(caught.value)


def test_qwc_scheduler_and_fields(web_service):
    """Scheduler: RunEveryNMinutes or RunEveryNSeconds, the first wins; tag order does not matter."""
    service = web_service()
    text = service.qwc().replace("</QBWCXML>", "<Scheduler><RunEveryNMinutes>2</RunEveryNMinutes>"
                                               "<RunEveryNSeconds>10</RunEveryNSeconds></Scheduler>"
                                               "<IsReadOnly>false</IsReadOnly></QBWCXML>")
    loaded = qwc_module.load(text)
    assert (loaded.scheduler_seconds, loaded.owner_id, loaded.is_read_only) == (120, OWNER_ID, False)
    with pytest.raises(qwc_module.QWCError):
        qwc_module.load("<QBWCXML><AppName>")


def test_command_line_and_child_processes_over_http(web_service, tmp_path):
    """As the addon's tests will run them: the company file and the Web Connector as child processes,
    real HTTP between all three; ``python -m qbd_emulator webconnector --qwc FILE --password P`` runs one
    session (Update Selected) and prints its result."""
    quickbooks = CompanyFileProcess()
    try:
        service = web_service(ADD_CUSTOMER)
        qwc_path = tmp_path / "app.qwc"
        qwc_path.write_text(service.qwc())
        done = subprocess.run([sys.executable, "-m", "qbd_emulator", "webconnector", "--qwc", str(qwc_path),
                               "--password", "s3cret", "--quickbooks", quickbooks.url, "--once", "--json",
                               "--state", str(tmp_path / "state.json")],
                              cwd=PACKAGE_PARENT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout.strip().splitlines()[-1])["status"] == "Ok"
        assert quickbooks.count("Customer", name="From The Web Service")["count"] == 1

        service.queue.append(QUERY_INVOICE)
        web_connector = WebConnectorProcess(service.qwc(), "s3cret", quickbooks.url)
        try:
            result = web_connector.update_selected()
            assert (result["status"], result["progress"], result["message_sets"]) == ("Ok", 100, 1)
            assert web_connector.sessions()[0]["ticket"] == result["ticket"]
            quickbooks.inject("busy")
            service.queue.append(QUERY_INVOICE)
            assert web_connector.update_selected()["qb_errors"][0]["hresult"] == "0x80040414"
            assert "do_authenticate" in web_connector.log()
        finally:
            web_connector.stop()
    finally:
        quickbooks.stop()
