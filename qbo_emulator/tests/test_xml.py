"""``Accept: application/xml``: answers and faults in QuickBooks' XML (the v3 schema,
namespace http://schema.intuit.com/finance/v3).
https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features#xml-and-json
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes (XML fault form)
"""

import xml.etree.ElementTree as ET

from test_transactions import line, new_customer

NS = {"q": "http://schema.intuit.com/finance/v3"}
XML = {"Accept": "application/xml"}


def xml_of(answer):
    assert answer.headers["Content-Type"].startswith("application/xml"), answer.headers
    root = ET.fromstring(answer.content)  # noqa: S314 - the test emulator's own answer
    assert root.tag == "{http://schema.intuit.com/finance/v3}IntuitResponse"
    assert root.get("time")
    return root


def test_read_and_create_answer_xml(company):
    customer = new_customer(company, "Xml Customer")
    created = company.request("POST", "invoice", params={"minorversion": 75}, headers=XML,
                              json={"CustomerRef": {"value": customer["Id"]}, "DocNumber": "X-1",
                                    "Line": [line(1, 120.5)]})
    assert created.status_code == 200
    invoice = xml_of(created).find("q:Invoice", NS)
    assert invoice.get("domain") == "QBO" and invoice.get("sparse") == "false"
    invoice_id = invoice.find("q:Id", NS).text
    answer = company.request("GET", f"invoice/{invoice_id}", params={"minorversion": 75}, headers=XML)
    invoice = xml_of(answer).find("q:Invoice", NS)
    assert invoice.find("q:DocNumber", NS).text == "X-1"
    assert float(invoice.find("q:TotalAmt", NS).text) == 120.5
    ref = invoice.find("q:CustomerRef", NS)
    assert ref.text == customer["Id"] and ref.get("name") == "Xml Customer"
    lines = invoice.findall("q:Line", NS)  # the sales line, then QuickBooks' subtotal line
    assert [x.find("q:DetailType", NS).text for x in lines] == ["SalesItemLineDetail", "SubTotalLineDetail"]
    assert lines[0].find("q:SalesItemLineDetail/q:ItemRef", NS).text == "1"
    # JSON stays the default.
    assert company.get(f"invoice/{invoice_id}").json()["Invoice"]["DocNumber"] == "X-1"


def test_query_answers_xml(company):
    answer = company.request("POST", "query", data="select * from Customer where Id in ('1', '2')",
                             params={"minorversion": 75}, headers={**XML, "Content-Type": "application/text"})
    response = xml_of(answer).find("q:QueryResponse", NS)
    assert response.get("startPosition") == "1" and response.get("maxResults") == "2"
    assert [c.find("q:Id", NS).text for c in response.findall("q:Customer", NS)] == ["1", "2"]
    count = company.request("POST", "query", data="select count(*) from Customer", params={"minorversion": 75},
                            headers={**XML, "Content-Type": "application/text"})
    assert int(xml_of(count).find("q:QueryResponse", NS).get("totalCount")) >= 2


def test_faults_answer_xml(company):
    """A fault in XML: <Fault type="ValidationFault"><Error code="610"><Message/><Detail/>."""
    answer = company.request("GET", "invoice/999999", params={"minorversion": 75}, headers=XML)
    assert answer.status_code == 400
    fault = xml_of(answer).find("q:Fault", NS)
    assert fault.get("type") == "ValidationFault"
    error = fault.find("q:Error", NS)
    assert error.get("code") == "610" and error.find("q:Message", NS).text == "Object Not Found"
    answer = company.request("POST", "query", data="select * from Invoice where Line = '1'",
                             params={"minorversion": 75}, headers={**XML, "Content-Type": "application/text"})
    assert answer.status_code == 400
    assert xml_of(answer).find("q:Fault/q:Error", NS).get("code") == "4001"
    answer = company.emulator.api("GET", company.realm, f"companyinfo/{company.realm}", headers=XML)
    assert answer.status_code == 401
    assert xml_of(answer).find("q:Fault/q:Error", NS).get("code") == "3200"


def test_batch_and_cdc_answer_xml(company):
    """<BatchItemResponse bId=".."> per item; <CDCResponse><QueryResponse> per entity."""
    answer = company.request("POST", "batch", params={"minorversion": 75}, headers=XML, json={"BatchItemRequest": [
        {"bId": "a", "Query": "select * from Customer where Id = '1'"},
        {"bId": "b", "operation": "create", "Customer": {"DisplayName": ""}}]})
    items = xml_of(answer).findall("q:BatchItemResponse", NS)
    assert [item.get("bId") for item in items] == ["a", "b"]
    assert items[0].find("q:QueryResponse/q:Customer/q:Id", NS).text == "1"
    assert items[1].find("q:Fault", NS).get("type") == "ValidationFault"
    assert items[1].find("q:Fault/q:Error", NS).get("code") and items[1].find("q:Fault/q:Error/q:Message", NS).text
    since = company.get(f"companyinfo/{company.realm}").json()["time"]
    answer = company.request("GET", "cdc", params={"minorversion": 75, "entities": "Customer,Invoice",
                                                   "changedSince": since}, headers=XML)
    responses = xml_of(answer).findall("q:CDCResponse/q:QueryResponse", NS)
    assert len(responses) == 2
