"""Throttling: 500 requests per minute and 10 per second per realm, 40 batch requests per
minute; HTTP 429 with Fault 3001, sometimes as XML."""

import time

import pytest
from conftest import Company

LIMITS_DOC = "https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles"
THROTTLE_FAULT = {"Error": [{"Message": "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                             "Detail": "The request limit was reached.", "code": "3001", "element": ""}],
                  "type": "SERVICE"}


@pytest.fixture
def limits(emulator):
    """Turn throttling on for one test (the suite runs with it off) and restore it after."""
    def configure(**settings):
        return emulator.control("POST", "limits", **{"enabled": True, "scale": 1, "time_scale": 1,
                                                     "xml_every": 0, **settings})
    yield configure
    emulator.control("POST", "limits", enabled=False, scale=1, time_scale=1, xml_every=4, per_minute=None,
                     per_second=None, batch_per_minute=None, batch_per_minute_realm=None)


def _fire(company, count):
    return [company.get("customer/1").status_code for _ in range(count)]


def test_ten_requests_per_second_then_429_with_fault_3001(company, limits):
    """"10 requests per second, per realm ID and app"; beyond it HTTP 429, Fault 3001.
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    limits()
    statuses = _fire(company, 11)
    assert statuses.count(200) == 10 and statuses[-1] == 429
    answer = company.get("customer/1")
    assert answer.status_code == 429
    assert answer.json()["Fault"] == THROTTLE_FAULT
    assert company.counters()["api.throttled"] >= 2
    time.sleep(1.05)
    assert company.get("customer/1").status_code == 200, "the per-second window slides"


def test_500_per_minute_scaled_and_recovering(company, limits):
    """500 per minute per realm; the limits scale for tests (here 5 per 1.2-second 'minute').
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    snapshot = limits(per_minute=5, per_second=100, time_scale=0.02)
    assert snapshot["per_minute"] == 5 and snapshot["request_cap_seconds"] == pytest.approx(2.4)
    assert _fire(company, 6) == [200] * 5 + [429]
    time.sleep(1.3)
    assert company.get("customer/1").status_code == 200


def test_limits_are_per_realm(company, emulator, limits):
    """The counts are per realm ID: another company is not throttled.
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    limits(per_minute=3, per_second=100)
    assert _fire(company, 4)[-1] == 429
    other_realm = emulator.new_realm()
    other = Company(emulator, other_realm, emulator.tokens(other_realm)["access_token"])
    assert _fire(other, 3) == [200, 200, 200]


def test_40_batch_requests_per_minute(company, limits):
    """"Throttled at 40 Batch requests per minute, per realm ID and app" (scaled to 2 here).
    https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features
    """
    limits(batch_per_minute=2, per_second=100)
    body = {"BatchItemRequest": [{"bId": "1", "Query": "select * from Term"}]}
    assert [company.post("batch", body).status_code for _ in range(3)] == [200, 200, 429]
    assert company.get("customer/1").status_code == 200, "other requests still go through"


def test_some_throttled_answers_are_xml(company, limits):
    """The throttle body sometimes arrives as XML despite Accept: application/json
    (python-quickbooks#83): here every second one.
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    limits(per_minute=1, per_second=100, xml_every=2)
    assert company.get("customer/1").status_code == 200
    first, second = company.get("customer/1"), company.get("customer/1")
    assert first.status_code == second.status_code == 429
    assert first.json()["Fault"]["Error"][0]["code"] == "3001"
    assert second.headers["Content-Type"].startswith("application/xml")
    assert 'code="3001"' in second.text


def test_limits_off(company, emulator, limits):
    """Benchmarks switch the limits off (emulator-only; QuickBooks always throttles:
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles)."""
    limits(enabled=False)
    assert set(_fire(company, 30)) == {200}
    assert emulator.control("GET", "limits")["enabled"] is False


def test_each_batch_operation_counts_against_the_minute(company, limits):
    """"Each batch item is metered as a single API call" against the 500 a minute (scaled
    to 5 here): two batches of three operations do not fit in one minute.
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    limits(per_minute=5, per_second=100, batch_per_minute=100)
    body = {"BatchItemRequest": [{"bId": str(n), "Query": "select * from Term"} for n in range(3)]}
    assert [company.post("batch", body).status_code for _ in range(2)] == [200, 429]
