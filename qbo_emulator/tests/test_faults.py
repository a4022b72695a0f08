"""Faults on demand (the control API) and the authentication faults, with QuickBooks' codes
and bodies."""

import time
import xml.etree.ElementTree as ET

import pytest
import requests
from conftest import fault_of
from quickbooks.exceptions import AuthorizationException, QuickbooksException, SevereException
from quickbooks.objects.customer import Customer

ERRORS_DOC = "https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes"


def inject(company, fault, count=1, **extra):
    return company.emulator.control("POST", "faults", realm_id=company.realm, fault=fault, count=count, **extra)


def test_injected_500_then_the_request_succeeds(company, qb):
    """500: "An application error has occurred while processing your request" (SystemFault,
    10000); "resubmit the request once".
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    inject(company, "500", match={"entity": "Customer", "operation": "read"})
    first = company.get("customer/1")
    assert first.status_code == 500
    assert first.json()["Fault"]["type"] == "SystemFault"
    assert fault_of(first)["code"] == "10000"
    assert fault_of(first)["Message"] == "An application error has occurred while processing your request"
    assert company.get("customer/1").status_code == 200, "the rule was for one request"
    inject(company, "500")
    with pytest.raises(SevereException) as caught:
        Customer.get(1, qb=qb)
    assert caught.value.error_code == 10000


def test_injected_503_and_match_by_operation(company):
    """503: the service is unavailable; rules match method, entity and operation.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    inject(company, "503", count=2, match={"method": "POST", "entity": "Invoice", "operation": "create"})
    assert company.get("customer/1").status_code == 200, "a read does not match"
    payload = {"CustomerRef": {"value": "2"}, "Line": [
        {"Amount": 3, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]}
    assert company.post("invoice", payload).status_code == 503
    assert company.post("invoice", payload).status_code == 503
    assert company.post("invoice", payload).status_code == 200
    assert company.emulator.control("GET", "faults")["faults"] == []


def test_injected_429_json_and_xml_bodies(company, qb):
    """429 Fault 3001 ThrottleExceeded; sometimes as XML despite Accept: application/json, which
    python-quickbooks cannot read (QuickbooksException 10000).
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    inject(company, "429")
    answer = company.get("customer/1")
    assert answer.status_code == 429
    assert answer.json()["Fault"] == {"Error": [{
        "Message": "message=ThrottleExceeded; errorCode=003001; statusCode=429",
        "Detail": "The request limit was reached.", "code": "3001", "element": ""}], "type": "SERVICE"}
    inject(company, "429_xml")
    xml_answer = company.get("customer/1")
    assert xml_answer.status_code == 429
    assert xml_answer.headers["Content-Type"].startswith("application/xml")
    root = ET.fromstring(xml_answer.text)  # noqa: S314 - our own emulator's answer
    error = root.find("{http://schema.intuit.com/finance/v3}Fault/{http://schema.intuit.com/finance/v3}Error")
    assert error.get("code") == "3001"
    inject(company, "429_xml")
    with pytest.raises(QuickbooksException) as caught:
        Customer.get(1, qb=qb)
    assert caught.value.error_code == 10000


def test_xml_fault_body_for_a_business_fault(company):
    """The same faults can arrive as XML: ``<IntuitResponse><Fault type><Error code element>``.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    inject(company, "xml", match={"entity": "Customer"})
    answer = company.post("customer", {"DisplayName": "Bad:Colon"})
    assert answer.status_code == 400
    root = ET.fromstring(answer.text)  # noqa: S314
    ns = "{http://schema.intuit.com/finance/v3}"
    assert root.tag == f"{ns}IntuitResponse" and root.get("time")
    fault = root.find(f"{ns}Fault")
    assert fault.get("type") == "ValidationFault"
    assert fault.find(f"{ns}Error").get("code") == "6000"


def test_read_timeout_holds_the_answer_after_the_write(company):
    """A read timeout: the write is committed, the answer comes later than the client waits.
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles (120-second limit)
    """
    inject(company, "timeout", delay=2, match={"entity": "Customer", "operation": "create"})
    with pytest.raises(requests.exceptions.ReadTimeout):
        company.emulator.api("POST", company.realm, "customer", token=company.token,
                             json={"DisplayName": "Slow Create"}, timeout=0.5)
    requests_count = company.emulator.control(
        "GET", f"count?realm_id={company.realm}&entity=Customer&display_name=Slow Create")["count"]
    assert requests_count == 1, "the object was created although the client gave up"


def test_timeout_beyond_the_request_cap_is_a_504(company, emulator):
    """Requests that take longer than 120 seconds time out (cap scaled for the test).
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    emulator.control("POST", "limits", time_scale=0.01)  # the cap becomes 1.2 s
    try:
        inject(company, "timeout", delay=5, match={"entity": "Customer", "operation": "read"})
        started = time.monotonic()
        answer = company.get("customer/1")
        assert answer.status_code == 504
        assert time.monotonic() - started < 4
    finally:
        emulator.control("POST", "limits", time_scale=1)


def test_dropped_connection_after_commit_then_requestid_retry_makes_no_duplicate(company):
    """The response is lost after the write committed; retrying with the same requestid
    returns the original answer and creates nothing more.
    https://blogs.intuit.com/2015/04/06/15346/
    """
    inject(company, "drop_after_commit", match={"entity": "Invoice", "operation": "create"})
    payload = {"CustomerRef": {"value": "2"}, "DocNumber": "DROP-1", "Line": [
        {"Amount": 8, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]}
    with pytest.raises(requests.exceptions.ConnectionError):
        company.post("invoice", payload, requestid="drop-rid-1")
    count = company.emulator.control("GET", f"count?realm_id={company.realm}&entity=Invoice&doc_number=DROP-1")
    assert count["count"] == 1, "the invoice exists although the client saw a connection error"
    retry = company.post("invoice", payload, requestid="drop-rid-1")
    assert retry.status_code == 200 and retry.json()["Invoice"]["Id"] == count["ids"][0]
    again = company.emulator.control("GET", f"count?realm_id={company.realm}&entity=Invoice&doc_number=DROP-1")
    assert again["count"] == 1


def test_dropped_connection_before_anything_is_done(company):
    """A connection lost before the request was served leaves nothing behind.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    inject(company, "drop", match={"entity": "Customer", "operation": "create"})
    with pytest.raises(requests.exceptions.ConnectionError):
        company.post("customer", {"DisplayName": "Never Made"})
    assert company.emulator.control(
        "GET", f"count?realm_id={company.realm}&entity=Customer&display_name=Never Made")["count"] == 0


def test_expired_token_is_401_3200_and_revoked_access_is_401(company, emulator, clock):
    """Expired access token: 401, code 3200, Intuit's gateway body with lower-case keys.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    clock(3601)
    answer = company.get("customer/1")
    assert answer.status_code == 401
    error = answer.json()["fault"]["error"][0]
    assert error["code"] == "3200"
    assert error["message"] == "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    assert answer.json()["fault"]["type"] == "AUTHENTICATION"
    from conftest import library_client  # noqa: PLC0415

    with pytest.raises(AuthorizationException):
        Customer.get(1, qb=library_client(emulator, company.realm, company.token))


def test_token_for_another_company_is_403_3100(company, emulator):
    """A token that cannot reach this company: 403, code 3100 (ApplicationAuthorizationFailed).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    other = emulator.new_realm()
    answer = emulator.api("GET", other, "customer/1", token=company.token)
    assert answer.status_code == 403
    error = answer.json()["fault"]["error"][0]
    assert error["code"] == "3100"
    assert error["message"] == "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403"


def test_unknown_fault_kind_is_refused_by_the_control_api(company):
    """The control API checks its input (emulator-only, no Intuit counterpart)."""
    answer = requests.post(f"{company.emulator.url}/_emulator/faults", json={"fault": "418"}, timeout=5)
    assert answer.status_code == 400 and "unknown fault" in answer.json()["error"]


def test_random_faults_at_a_rate_for_soaks(company):
    """A soak's rule: about one matching request in four meets a fault picked among several
    kinds; the others pass untouched and do not use up the rule (emulator feature, no Intuit
    source: it stands for an unreliable network and a busy QuickBooks)."""
    inject(company, ["500", "503", "429"], count=10_000, rate=0.25, match={"entity": "Customer", "operation": "read"})
    statuses = [company.get("customer/1").status_code for _ in range(400)]
    failed = [status for status in statuses if status != 200]
    assert 50 <= len(failed) <= 150, f"about a quarter failed: {len(failed)}"
    assert set(failed) == {500, 503, 429}, "every kind was picked"
    rule = company.emulator.control("GET", "faults")["faults"][0]
    assert rule["fired"] == len(failed)
    assert rule["remaining"] == 10_000 - len(failed)
    assert sorted(rule["fault"]) == ["429", "500", "503"]
    assert rule["rate"] == 0.25
