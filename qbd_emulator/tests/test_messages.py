"""The message set: what QuickBooks' request processor accepts, refuses as a whole, and how it answers
each request (requestID, status attributes, onError)."""

from conftest import message_set, rq, text

PARSE = "0x80040400"


def test_answer_layout_echoes_request_ids_with_status_attributes(books):
    """Each *Rs echoes its request's requestID next to statusCode/statusSeverity/statusMessage, and
    QuickBooks writes ``<?xml version="1.0" ?>`` then one element per line (consolibyte#92 log;
    qbwc/quickbooks_api#3 capture).
    https://developer.intuit.com/app/developer/qbdesktop/docs/develop/exploring-the-quickbooks-desktop-sdk/status-codes-in-response-messages
    """
    raw = books.raw(rq("HostQuery", request_id="h-1"), rq("TermsQuery", request_id="t-2"))
    assert raw.startswith('<?xml version="1.0" ?>\n<QBXML>\n<QBXMLMsgsRs>\n<HostQueryRs requestID="h-1" '
                          'statusCode="0" statusSeverity="Info" statusMessage="Status OK">\n<HostRet>\n')
    responses = books.send(rq("HostQuery", request_id="h-1"), rq("TermsQuery", request_id="t-2"))
    assert [(r.tag, r.get("requestID")) for r in responses] == [("HostQueryRs", "h-1"), ("TermsQueryRs", "t-2")]


def test_missing_qbxml_processing_instruction_refuses_the_set(books):
    """Without ``<?qbxml version="..."?>`` every request fails (qbwc/qbwc#69); the processor answers
    HRESULT 0x80040400 "QuickBooks found an error when parsing the provided XML text stream."
    (Intuit WCWebService sample, connectionError)."""
    request = '<?xml version="1.0"?><QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq/></QBXMLMsgsRq></QBXML>'
    error = _refused(books, request)
    assert (error.hresult, error.message) == (PARSE, "QuickBooks found an error when parsing the provided XML "
                                                     "text stream.")
    assert "processing instruction" in books.qb.sdklog(books.path)[-1]["text"], "qbsdklog.txt says why"


def test_version_newer_than_the_company_supports_is_refused(books):
    """HostQuery lists the SupportedQBXMLVersion values; qbXML 16.0 is QuickBooks 2023's, not this
    2014 file's (Intuit "SDK compatibility with QuickBooks releases")."""
    versions = [v.text for v in books.ret(rq("HostQuery")).findall("SupportedQBXMLVersion")]
    assert versions[-1] == "13.0" and "2.0" in versions
    assert books.refused(rq("HostQuery"), version="16.0").hresult == PARSE
    assert books.ok(rq("HostQuery"), version="7.0") is not None


def test_elements_out_of_schema_order_refuse_the_whole_set(books):
    """Element order is enforced: a wrong order gives 0x80040400 for the set, and nothing runs, not
    even the well-formed requests before it (qbwc/qbxml#14)."""
    good = rq("CustomerAdd", "<Name>Order First</Name>")
    swapped = rq("CustomerAdd", "<CompanyName>Co</CompanyName><Name>Order Wrong</Name>", request_id="2")
    assert books.refused(good + swapped).hresult == PARSE
    assert not [c for c in books.objects("Customer") if c["Name"] == "Order First"]


def test_unknown_elements_missing_required_ones_and_bad_enums_are_parse_errors(books):
    """The schema decides: an element the request does not have, a required one missing (CustomerAdd
    needs Name) or a value outside an enumeration refuse the set (qbxmlops130.xsd)."""
    assert books.refused(rq("CustomerAdd", "<Name>X</Name><Balance>1.00</Balance>")).hresult == PARSE
    assert books.refused(rq("CustomerAdd", "<CompanyName>No Name</CompanyName>")).hresult == PARSE
    assert books.refused(rq("CustomerQuery", "<ActiveStatus>Some</ActiveStatus>")).hresult == PARSE
    assert books.refused(rq("TermsQuery", iterator="Start")).hresult == PARSE, "TermsQuery has no iterator"


def test_on_error_is_required_and_checked(books):
    """``onError`` is required: continueOnError, rollbackOnError or stopOnError (qbxmlops130.xsd)."""
    request = '<?qbxml version="13.0"?><QBXML><QBXMLMsgsRq><HostQueryRq/></QBXMLMsgsRq></QBXML>'
    assert _refused(books, request).hresult == PARSE
    assert books.refused(rq("HostQuery"), on_error="ignoreErrors").hresult == PARSE


def test_stop_on_error_stops_at_the_first_failure(books):
    """stopOnError: requests after a failure are not processed (reference sheet, [XSD] ops); the ones
    before stay saved."""
    responses = books.send(rq("CustomerAdd", "<Name>Stop One</Name>", "1"),
                           rq("CustomerAdd", "<Name>Baker Family</Name>", "2"),
                           rq("CustomerAdd", "<Name>Stop Three</Name>", "3"))
    assert [(r.get("requestID"), r.get("statusCode")) for r in responses] == [("1", "0"), ("2", "3100")]
    names = {c["Name"] for c in books.objects("Customer")}
    assert "Stop One" in names and "Stop Three" not in names


def test_continue_on_error_answers_every_request(books):
    """continueOnError returns one *Rs per request, errors and successes mixed (hotglue fixture
    ``customer-batch-mixed.response.xml``: 0, 3100, 3250, 3130, 0)."""
    responses = books.send(rq("CustomerAdd", "<Name>Go One</Name>", "1"),
                           rq("CustomerAdd", "<Name>Baker Family</Name>", "2"),
                           rq("CustomerAdd", "<Name>Job</Name><ParentRef><FullName>Nobody</FullName></ParentRef>", "3"),
                           rq("CustomerAdd", "<Name>Go Four</Name>", "4"), on_error="continueOnError")
    assert [r.get("statusCode") for r in responses] == ["0", "3100", "3130", "0"]
    assert [r.get("statusSeverity") for r in responses] == ["Info", "Error", "Error", "Info"]


def test_rollback_on_error_does_not_roll_back(books):
    """"QuickBooks does not support rollbackOnError" (jsgoupil/quickbooks-sync README): it stops like
    stopOnError and keeps what ran."""
    responses = books.send(rq("CustomerAdd", "<Name>Kept Anyway</Name>", "1"),
                           rq("CustomerAdd", "<Name>Baker Family</Name>", "2"),
                           rq("CustomerAdd", "<Name>Never Run</Name>", "3"), on_error="rollbackOnError")
    assert len(responses) == 2
    assert "Kept Anyway" in {c["Name"] for c in books.objects("Customer")}


def test_a_failed_request_leaves_nothing_behind(books):
    """A refused request saves nothing (its 3140 comes after the customer was looked up)."""
    before = len(books.objects("Invoice"))
    response = books.one(rq("InvoiceAdd", "<CustomerRef><FullName>Baker Family</FullName></CustomerRef>"
                                          "<InvoiceLineAdd><ItemRef><FullName>Plumbing Labor</FullName></ItemRef>"
                                          "</InvoiceLineAdd><InvoiceLineAdd><ItemRef><FullName>No Such Item"
                                          "</FullName></ItemRef></InvoiceLineAdd>"))
    assert response.get("statusCode") == "3140"
    assert len(books.objects("Invoice")) == before


def test_request_id_longer_than_fifty_characters_is_1060(books):
    """1060: "The request ID ... is invalid, possibly too long, max 50 chars." (Intuit status table)."""
    response = books.one(rq("HostQuery", request_id="x" * 51))
    assert response.get("statusCode") == "1060"


def test_real_requests_the_stand_in_does_not_serve_are_1030_and_made_up_ones_parse_errors(books):
    """EstimateAdd is qbXML 13.0 but not played here: 1030 "Unsupported message" for that request only
    (Intuit status table); a name that is not qbXML refuses the set."""
    responses = books.send(rq("EstimateQuery"), rq("HostQuery", request_id="2"), on_error="continueOnError")
    assert [r.get("statusCode") for r in responses] == ["1030", "0"]
    assert books.refused(rq("CustomerFetch")).hresult == PARSE


def test_text_the_processor_cannot_read_is_refused(books):
    """Not XML, or empty: 0x80040400."""
    assert _refused(books, "this is not XML").hresult == PARSE
    assert _refused(books, "").hresult == PARSE


def test_latin1_text_round_trips(books):
    """ISO-8859-1 text (French, Spanish accents) goes in and comes back intact (qbwc/qbxml#8,
    tested on QuickBooks 2015)."""
    ret = books.add_customer("Crème Brûlée Café", "<Notes>Señor Muñoz, Größe</Notes>")
    assert text(ret, "Name") == "Crème Brûlée Café"
    assert text(ret, "Notes") == "Señor Muñoz, Größe"


def test_characters_outside_latin1_are_refused_raw_and_become_question_marks_referenced(books):
    """Characters outside ISO-8859-1 sent as they are: "QuickBooks found an error with the XML";
    sent as character references they are accepted and kept as question marks, in QuickBooks and in
    later responses (qbwc/qbxml#8; consolibyte#36).  Word's curly quotes are outside Latin-1 too."""
    assert books.refused(rq("CustomerAdd", "<Name>Иван Петров</Name>")).hresult == PARSE
    assert books.refused(rq("CustomerAdd", "<Name>O\u2019Brien</Name>")).hresult == PARSE
    ret = books.add_customer("&#1048;&#1074;&#1072;&#1085; Co")
    assert text(ret, "Name") == "???? Co"
    again = books.ret(rq("CustomerQuery", f"<ListID>{text(ret, 'ListID')}</ListID>"))
    assert text(again, "FullName") == "???? Co"


def test_encoding_declaration_does_not_matter_to_the_request_processor(company_file, books):
    """The request processor receives a string (ProcessRequest's BSTR): an ISO-8859-1 declaration
    changes nothing, bytes are read in their declared encoding."""
    request = message_set(rq("CustomerAdd", "<Name>Zoë Declared</Name>")).replace("utf-8", "ISO-8859-1")
    assert "statusCode=\"0\"" in books.qb.process_request(books.session.ticket, request)
    as_bytes = message_set(rq("CustomerAdd", "<Name>Zoë Bytes</Name>")).replace("utf-8", "ISO-8859-1")
    answer = books.qb.process_request(books.session.ticket, as_bytes.encode("iso-8859-1"))
    assert "<Name>Zoë Bytes</Name>" in answer


def _refused(books, request):
    import pytest  # noqa: PLC0415

    from qbd_emulator.status import QBError  # noqa: PLC0415

    with pytest.raises(QBError) as caught:
        books.qb.process_request(books.session.ticket, request)
    return caught.value
