"""The company file over HTTP: the request processor for other processes, the control interface, the
faults it injects, sessions and company files."""

import time

import pytest
import requests
from conftest import Books, message_set, rq

from qbd_emulator import CompanyFile
from qbd_emulator.status import MachineDown, QBError
from qbd_emulator.webconnector import RemoteQuickBooks

ADD = message_set(rq("InvoiceAdd", "<CustomerRef><FullName>Baker Family</FullName></CustomerRef>"
                                   "<RefNumber>LOST-1</RefNumber><InvoiceLineAdd><ItemRef><FullName>Inspection"
                                   "</FullName></ItemRef></InvoiceLineAdd>"))


def test_control_lists_companies_objects_and_counts(served):
    """Raw state for assertions: companies, objects of a kind (deleted ones on request) and counts by
    RefNumber or name, to prove a retry made no duplicate.  Stand-in only (no QuickBooks counterpart)."""
    assert served.control("GET", "health") == {"ok": True}
    companies = served.control("GET", "companies")
    assert companies["companies"][0]["company_name"] == "Bayside Home Services"
    assert companies["open"].endswith("Bayside Home Services.qbw")
    invoices = served.control("GET", "objects?kind=Invoice")
    assert invoices["count"] == 4 and invoices["objects"][0]["RefNumber"] == "1001"
    assert invoices["objects"][0]["_emulator"]["status"] == "live"
    assert served.control("GET", "count?kind=Invoice&ref_number=1003")["count"] == 1
    assert served.control("GET", "count?kind=Customer&name=baker family")["count"] == 1
    baker = next(c for c in served.control("GET", "objects?kind=Customer")["objects"] if c["Name"] == "Baker Family")
    assert baker["Balance"] == "180.13"


def test_control_adds_objects_through_quickbooks_rules(served):
    """Objects added through the control interface follow the requests' rules (all or nothing)."""
    created = served.control("POST", "objects", objects={"Customer": [{"Name": "Seeded One"},
                                                                      {"Name": "Seeded Two"}]})
    assert created["created"] == {"Customer": 2}
    refused = requests.post(f"{served.url}/_qbd/objects", json={"objects": {"Customer": [{"Name": "Seeded Three"},
                                                                                         {"Name": "Seeded One"}]}},
                            timeout=10)
    assert refused.status_code == 400 and "3100" in refused.json()["error"]
    assert served.control("GET", "count?kind=Customer&name=Seeded Three")["count"] == 0


def test_control_runs_qbxml_and_resets_a_company(served):
    """``POST /_qbd/qbxml`` runs a message set as the SDK's test tool does; a reset puts the file back to
    its fixture."""
    answer = served.control("POST", "qbxml", request=message_set(rq("CustomerAdd", "<Name>Before Reset</Name>")))
    assert 'statusCode="0"' in answer["response"]
    bad = served.control("POST", "qbxml", request="<QBXML/>")
    assert bad["hresult"] == "0x80040400"
    served.control("POST", "companies/reset", company="")
    assert served.control("GET", "count?kind=Customer&name=Before Reset")["count"] == 0
    assert served.control("GET", "count?kind=Invoice")["count"] == 4


def test_remote_request_processor_protocol(served):
    """A Web Connector in another process opens a session, sends message sets and ends the session
    over HTTP; an unknown ticket is 0x8004040D "The ticket parameter is invalid." (consolibyte
    Callbacks/SQL/Errors.php)."""
    remote = RemoteQuickBooks(served.url)
    session = remote.begin_session("", "Remote test", "", False)
    assert session["versions"][-1] == "13.0" and session["country"] == "US"
    answer = remote.process_request(session["ticket"], message_set(rq("HostQuery")))
    assert "<ProductName>Intuit QuickBooks Pro 2014</ProductName>" in answer
    remote.end_session(session["ticket"])
    with pytest.raises(QBError) as caught:
        remote.process_request(session["ticket"], message_set(rq("HostQuery")))
    assert caught.value.hresult == "0x8004040D"


def test_no_quickbooks_process_is_could_not_start():
    """A Web Connector that finds no QuickBooks answers 0x80040408 "Could not start QuickBooks."
    (johnballantyne/qbws#9)."""
    with pytest.raises(QBError) as caught:
        RemoteQuickBooks("http://127.0.0.1:9").begin_session("", "x", "", False)
    assert (caught.value.hresult, caught.value.message) == ("0x80040408", "Could not start QuickBooks.")


@pytest.mark.parametrize(("kind", "hresult", "message"), [
    ("not_running", "0x80040408", "Could not start QuickBooks."),
    ("busy", "0x80040414", "A modal dialog box is showing in the QuickBooks user interface. Your application "
                           "cannot access QuickBooks until the user dismisses the dialog box."),
    ("access_denied", "0x80040420", "The QuickBooks user has denied access."),
])
def test_faults_when_a_session_opens(served, company_file, kind, hresult, message):
    """QuickBooks not starting (johnballantyne/qbws#9), a modal dialog left open ("busy"), an
    application the user refused (Conductor's error reference): BeginSession fails with that HRESULT,
    for ``count`` sessions."""
    served.control("POST", "faults", kind=kind, count=1)
    with pytest.raises(QBError) as caught:
        company_file.begin_session("", "Faulty")
    assert (caught.value.hresult, caught.value.message) == (hresult, message)
    company_file.end_session(company_file.begin_session("", "Faulty").ticket)


def test_response_lost_after_commit(served, company_file):
    """QuickBooks commits, then dies before answering: the caller gets RPC_E_SERVERDIED 0x80010007
    ("The call may have executed.", Microsoft COM error codes) and the session is gone (0x80010108
    next).  The invoice exists: only a query by its reference tells."""
    served.control("POST", "faults", kind="response_lost", match={"request": "InvoiceAdd"})
    books = Books(company_file)
    books.raw(rq("HostQuery"))  # another request does not trigger it
    with pytest.raises(QBError) as caught:
        books.qb.process_request(books.session.ticket, ADD)
    assert caught.value.hresult == "0x80010007" and "may have executed" in caught.value.message
    with pytest.raises(QBError) as again:
        books.qb.process_request(books.session.ticket, ADD)
    assert again.value.hresult == "0x80010108"
    assert served.control("GET", "count?kind=Invoice&ref_number=LOST-1")["count"] == 1
    assert served.control("GET", "faults")["faults"] == [], "used once"


def test_crash_after_commit_and_slow_answers(served, tmp_path):
    """``crash``: committed, then the machine goes down (MachineDown: the Web Connector says nothing
    more); ``slow``: committed, answered after ``delay`` seconds."""
    slept = []
    company_file = CompanyFile(str(tmp_path / "slow.sqlite3"), sleep=slept.append)
    company_file.faults.add("crash")
    books = Books(company_file)
    with pytest.raises(MachineDown):
        books.qb.process_request(books.session.ticket, ADD)
    assert company_file.count(books.path, "Invoice", ref_number="LOST-1")["count"] == 1
    company_file.faults.add("slow", delay=45)
    books = Books(company_file)
    assert 'statusCode="0"' in books.raw(rq("HostQuery"))
    assert slept == [45]


def test_status_faults_answer_a_request_with_a_chosen_code(served, company_file):
    """``status``: the matching request is not run and answers the code given, e.g. 3180 "This list
    has been modified by another user", which consolibyte retries (Callbacks/SQL/Errors.php)."""
    served.control("POST", "faults", kind="status", code=3180, match={"request": "CustomerAdd"},
                   message='There was an error when saving a Customer list, element "Busy Co". QuickBooks error '
                           'message: This list has been modified by another user.')
    books = Books(company_file)
    response = books.one(rq("CustomerAdd", "<Name>Busy Co</Name>"))
    assert (response.get("statusCode"), response.get("statusSeverity")) == ("3180", "Error")
    assert books.one(rq("CustomerAdd", "<Name>Busy Co</Name>")).get("statusCode") == "0", "once"


def test_which_company_file_a_session_opens(company_file):
    """BeginSession with "" uses the file open in QuickBooks (none open: 0x80040416); another file
    while one is open: 0x8004040A; an unknown path: 0x80040403 (QBXMLRP2 BeginSession)."""
    other = company_file.create_company(path=r"C:\Books\Other Company.qbw", company_name="Other Company")
    with pytest.raises(QBError) as caught:
        company_file.begin_session(other, "x")
    assert caught.value.hresult == "0x8004040A"
    with pytest.raises(QBError) as caught:
        company_file.begin_session(r"C:\Books\Missing.qbw", "x")
    assert caught.value.hresult == "0x80040403"
    company_file.set_open_company(None)
    with pytest.raises(QBError) as caught:
        company_file.begin_session("", "x")
    assert caught.value.hresult == "0x80040416"
    session = company_file.begin_session(r"c:/books/other company.qbw", "x")
    assert session.company == other, "Windows paths: any case, either slash"


def test_clock_moves_time_modified(served):
    """The control interface moves the company's clock (TimeModified, TxnDate defaults)."""
    served.control("POST", "clock", advance=86400 * 2)
    answer = served.control("POST", "qbxml", request=message_set(rq("CustomerAdd", "<Name>Two Days Later</Name>")))
    stamp = answer["response"].split("<TimeModified>")[1][:10]
    assert stamp == time.strftime("%Y-%m-%d", time.gmtime(served.control("GET", "clock")["now"] - 8 * 3600))


def test_stats_and_sdk_log(served):
    """Counters for benchmarks (message sets, requests per type, sessions, parse errors) and the
    qbsdklog.txt lines that say why a set was refused."""
    served.control("POST", "qbxml", request=message_set(rq("HostQuery"), rq("TermsQuery", request_id="2")))
    served.control("POST", "qbxml", request="<nope")
    counters = served.control("GET", "stats")["counters"]
    assert counters["rq.HostQueryRq"] == 1 and counters["requests"] == 2 and counters["parse_errors"] == 1
    assert "not well-formed" in served.control("GET", "sdklog")["log"][-1]["text"]
