"""The control API (tests, demos, benchmarks), persistence and concurrency."""

import concurrent.futures
import threading

import requests
from conftest import RunningEmulator
from werkzeug.serving import make_server

from qbo_emulator import Emulator
from qbo_emulator.limits import Limits


def test_objects_and_count_show_raw_state_including_deleted(company, emulator):
    """Raw state for assertions: every object of an entity (deleted ones on request) and
    counts by DocNumber or name, to prove a retry made no duplicate.  Emulator-only (no
    Intuit counterpart); deleted transactions are kept because change data capture reports them:
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    """
    line = [{"Amount": 4, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]
    kept = company.create("Invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "RAW-1", "Line": line})
    gone = company.create("Invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "RAW-2", "Line": line})
    company.post("invoice", {"Id": gone["Id"], "SyncToken": "0"}, operation="delete")
    live = {o["Id"]: o["_emulator"]["status"] for o in company.objects("Invoice")}
    everything = {o["Id"]: o["_emulator"]["status"] for o in company.objects("Invoice", include_deleted=True)}
    assert kept["Id"] in live and gone["Id"] not in live
    assert everything[gone["Id"]] == "deleted"
    count = emulator.control("GET", f"count?realm_id={company.realm}&entity=Invoice&doc_number=RAW-1")
    assert count == {"realm_id": company.realm, "entity": "Invoice", "count": 1, "ids": [kept["Id"]]}
    assert emulator.control("GET", f"count?realm_id={company.realm}&entity=Invoice&doc_number=RAW-2")["count"] == 0
    by_name = emulator.control("GET", f"count?realm_id={company.realm}&entity=Customer&display_name=cool cars")
    assert by_name["count"] == 1


def test_preferences_patch_reaches_what_the_api_cannot(company):
    """The control API plays the QuickBooks UI for what the API cannot change: close the books
    (handling-common-errors, 6210), turn multicurrency on (manage-multiple-currencies).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#6210-account-period-closed
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies
    """
    answer = company.preferences({"AccountingInfoPrefs": {"BookCloseDate": "2025-01-31"},
                                  "CurrencyPrefs": {"MultiCurrencyEnabled": True}})
    prefs = answer["Preferences"]
    assert prefs["AccountingInfoPrefs"]["BookCloseDate"] == "2025-01-31"
    assert prefs["AccountingInfoPrefs"]["TrackDepartments"] is True, "a patch merges"
    assert prefs["CurrencyPrefs"] == {"MultiCurrencyEnabled": True, "HomeCurrency": {"value": "USD"}}
    read = company.get("preferences").json()["Preferences"]
    assert read["SyncToken"] == prefs["SyncToken"] == "1"


def test_add_objects_to_a_company_and_reset_it(company, emulator):
    """Seed more objects into an existing company (with fixed Ids or through the API rules),
    then reset it to its fixture.  Emulator-only; objects created without an Id follow the
    API's rules, e.g. 6240 for a duplicate DisplayName:
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#6240-duplicate-name-exists-error
    """
    answer = emulator.control("POST", f"realms/{company.realm}/objects", objects={
        "Term": [{"Id": "40", "Name": "Net 90", "DueDays": 90, "Type": "STANDARD"}],
        "Customer": [{"DisplayName": "Seeded One", "SalesTermRef": {"value": "40"}}],
    })
    assert answer["created"] == {"Term": 1, "Customer": 1}
    seeded = company.read("Customer", answer["ids"]["Customer"][0])
    assert seeded["SalesTermRef"]["name"] == "Net 90"
    refused = requests.post(f"{emulator.url}/_emulator/realms/{company.realm}/objects",
                            json={"objects": {"Customer": [{"DisplayName": "Seeded One"}]}}, timeout=10)
    assert refused.status_code == 400 and refused.json()["fault"]["Fault"]["Error"][0]["code"] == "6240"
    emulator.control("POST", f"realms/{company.realm}/reset")
    assert company.get(f"customer/{seeded['Id']}").status_code == 400
    assert company.read("Customer", "1")["DisplayName"] == "Amy's Bird Sanctuary"
    assert company.get("customer/1").status_code == 200, "the company's tokens survive a reset"


def test_stats_count_requests_reads_writes_and_operations(company):
    """Benchmarks read api.requests, api.reads, api.writes and per-entity operation counts
    (reads, queries and CDC are the metered "CorePlus" calls; every batch item is metered).
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    before = company.counters()
    company.get("customer/1")
    company.query("select * from Term")
    company.create("Class", {"Name": "Counted"})
    after = company.counters()

    def delta(name):
        return after.get(name, 0) - before.get(name, 0)

    assert delta("api.requests") == 3
    assert delta("api.reads") == 2 and delta("api.writes") == 1
    assert delta("op.Customer.read") == 1 and delta("op.query") == 1 and delta("op.Class.create") == 1


def test_state_persists_across_restarts(tmp_path):
    """State lives in SQLite: objects, tokens and requestid answers survive a restart (a
    requestid is remembered by the company, not by the server process).
    https://blogs.intuit.com/2015/04/06/15346/
    """
    path = str(tmp_path / "persist.sqlite3")
    first = Emulator(path, control_enabled=True, limits=Limits(enabled=False))
    first.ensure_realm("4620816365")
    first.register_token("4620816365", "persistent-token-0123456789")
    server = make_server("127.0.0.1", 0, first, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/v3/company/4620816365"
    headers = {"Authorization": "Bearer persistent-token-0123456789", "Accept": "application/json"}
    created = requests.post(f"{url}/customer?requestid=persist-1", json={"DisplayName": "Persisted"},
                            headers=headers, timeout=10).json()["Customer"]
    server.shutdown()
    server.server_close()
    first.webhooks.stop()
    first.store.close()

    second = Emulator(path, control_enabled=True, limits=Limits(enabled=False))
    server = make_server("127.0.0.1", 0, second, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/v3/company/4620816365"
    try:
        read = requests.get(f"{url}/customer/{created['Id']}", headers=headers, timeout=10)
        assert read.status_code == 200 and read.json()["Customer"]["DisplayName"] == "Persisted"
        replay = requests.post(f"{url}/customer?requestid=persist-1", json={"DisplayName": "Persisted"},
                               headers=headers, timeout=10)
        assert replay.json()["Customer"]["Id"] == created["Id"]
    finally:
        server.shutdown()
        server.server_close()
        second.webhooks.stop()


def test_concurrent_writes_are_safe(company):
    """A threaded server: concurrent creates all land once; concurrent updates with the same
    SyncToken let exactly one through (the others get 5010).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#5010-stale-object-error
    """
    names = [f"Concurrent {n}" for n in range(80)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda name: company.post("customer", {"DisplayName": name}).status_code, names))
    assert statuses == [200] * 80
    ids = {c["Id"] for c in company.rows("select * from Customer where DisplayName like 'Concurrent %' "
                                         "maxresults 1000")}
    assert len(ids) == 80
    target = company.create("Customer", {"DisplayName": "Contended"})

    def update(n):
        answer = company.post("customer", {"Id": target["Id"], "SyncToken": "0", "sparse": True, "Notes": str(n)})
        return answer.status_code, answer.json()

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(update, range(8)))
    assert sorted(status for status, _ in results) == [200] + [400] * 7
    assert {body["Fault"]["Error"][0]["code"] for status, body in results if status == 400} == {"5010"}
    assert company.read("Customer", target["Id"])["SyncToken"] == "1"


def test_control_api_is_off_unless_enabled(tmp_path):
    """``/_emulator/`` answers 404 unless the emulator runs with --control (emulator-only: a real
    QuickBooks has no such path)."""
    running = RunningEmulator(tmp_path)
    running.app.control_enabled = False
    try:
        assert requests.get(f"{running.url}/_emulator/health", timeout=5).status_code == 404
    finally:
        running.stop()


def test_companies_from_an_older_emulator_get_the_new_lists(tmp_path):
    """A database written before the fixtures held lists (part 1: CompanyInfo and Preferences
    only) is topped up on start, so an existing demo company keeps working (emulator-only)."""
    path = str(tmp_path / "older.sqlite3")
    first = Emulator(path, limits=Limits(enabled=False))
    with first.store.write() as db:
        db.execute("DELETE FROM objects WHERE entity NOT IN ('CompanyInfo', 'Preferences')")
        first.store.set_meta(db, "fixtures_version", 1)
    first.store.close()
    second = Emulator(path, limits=Limits(enabled=False))
    with second.store.read() as db:
        customers = db.execute("SELECT COUNT(*) FROM objects WHERE entity = 'Customer'").fetchone()[0]
        invoices = db.execute("SELECT COUNT(*) FROM objects WHERE entity = 'Invoice'").fetchone()[0]
        prefs = db.execute("SELECT COUNT(*) FROM objects WHERE entity = 'Preferences'").fetchone()[0]
    assert customers == 28 and invoices == 3 and prefs == 1
