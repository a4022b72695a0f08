"""Change data capture."""

from datetime import datetime, timedelta

from conftest import fault_of
from quickbooks.cdc import change_data_capture
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

CDC_DOC = "https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture"


def _since(company):
    """A changedSince just before now, in the emulator's clock."""
    now = company.get(f"companyinfo/{company.realm}").json()["time"]
    return now


def _invoice(company, amount=10):
    return company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [
        {"Amount": amount, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]})


def test_cdc_returns_changes_and_deletes(company, clock):
    """Created and updated objects come back whole; deleted ones as ``status: Deleted``.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    """
    clock(1)
    since = _since(company)
    clock(1)
    kept = _invoice(company, 20)
    dropped = _invoice(company, 30)
    company.post("invoice", {"Id": dropped["Id"], "SyncToken": "0"}, operation="delete")
    customer = company.create("Customer", {"DisplayName": "CDC Customer"})
    answer = company.get("cdc", entities="Invoice,Customer,Payment", changedSince=since)
    assert answer.status_code == 200
    body = answer.json()
    responses = body["CDCResponse"][0]["QueryResponse"]
    assert len(responses) == 3
    invoices = {row["Id"]: row for row in responses[0]["Invoice"]}
    assert invoices[kept["Id"]]["TotalAmt"] == 20
    assert invoices[dropped["Id"]]["status"] == "Deleted"
    assert set(invoices[dropped["Id"]]) == {"domain", "status", "Id", "MetaData"}
    assert [c["Id"] for c in responses[1]["Customer"]] == [customer["Id"]]
    assert responses[1]["startPosition"] == 1 and responses[1]["maxResults"] == 1
    assert responses[2] == {}, "an entity without changes comes back as {}"
    assert "time" in body


def test_cdc_with_python_quickbooks(company, qb, clock):
    """python-quickbooks sends changedSince as %Y-%m-%dT%H:%M:%S and reads each entity's list.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    """
    clock(1)
    since = datetime.fromisoformat(_since(company)).replace(tzinfo=None)
    clock(1)
    made = _invoice(company, 55)
    result = change_data_capture([Invoice, Customer], since, qb=qb)
    assert [invoice.Id for invoice in result.Invoice] == [made["Id"]]
    assert result.Invoice[0].TotalAmt == 55
    assert not hasattr(result, "Customer")


def test_entities_left_out_of_cdc(company, clock):
    """TimeActivity, TaxCode, TaxRate, TaxAgency (and JournalCode) are not covered.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    """
    clock(1)
    since = _since(company)
    clock(1)
    company.create("TimeActivity", {"NameOf": "Employee", "EmployeeRef": {"value": "54"}, "ItemRef": {"value": "2"},
                                    "Hours": 1})
    company.create("TaxAgency", {"DisplayName": "Left Out Agency"})
    answer = company.get("cdc", entities="TimeActivity,TaxAgency,TaxCode,TaxRate,JournalCode", changedSince=since)
    assert answer.json()["CDCResponse"][0]["QueryResponse"] == [{}, {}, {}, {}, {}]


def test_cdc_looks_back_30_days_at_most(company):
    """The look-back period is 30 days.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    The refusal's wording as QuickBooks sends it: Wish-Org/QuickBooksSharp#19.
    """
    now = datetime.fromisoformat(_since(company))
    too_old = (now - timedelta(days=31)).isoformat(timespec="seconds")
    answer = company.get("cdc", entities="Invoice", changedSince=too_old)
    fault = fault_of(answer)
    assert answer.status_code == 400 and fault["element"] == "changedSince"
    assert fault["Detail"] == (f"Operation cdc with changedSince date {too_old} which is older than fixed days "
                               "is not supported.")
    fine = (now - timedelta(days=29)).isoformat(timespec="seconds")
    assert company.get("cdc", entities="Invoice", changedSince=fine).status_code == 200
    assert fault_of(company.get("cdc", entities="Invoice"))["code"] == "2020"


def test_cdc_answers_at_most_1000_objects_oldest_first(company, clock, emulator):
    """At most 1,000 objects per answer across all entities; asking again from the last one
    continues.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    """
    clock(1)
    since = _since(company)
    clock(1)
    emulator.control("POST", f"realms/{company.realm}/objects",
                     objects={"Customer": [{"DisplayName": f"Bulk {n}"} for n in range(700)]})
    clock(1)
    emulator.control("POST", f"realms/{company.realm}/objects",
                     objects={"Vendor": [{"DisplayName": f"Bulk Vendor {n}"} for n in range(600)]})
    answer = company.get("cdc", entities="Customer,Vendor", changedSince=since).json()
    customers, vendors = answer["CDCResponse"][0]["QueryResponse"]
    assert len(customers["Customer"]) == 700
    assert len(vendors["Vendor"]) == 300
    last = vendors["Vendor"][-1]["MetaData"]["LastUpdatedTime"]
    rest = company.get("cdc", entities="Vendor", changedSince=last).json()["CDCResponse"][0]["QueryResponse"][0]
    assert len(rest["Vendor"]) == 600, "all vendors share one timestamp: asking from it gets them all"


def test_cdc_lists_deleted_objects_after_the_others(company, clock):
    """"Objects are grouped by type and then in order of last updated time within the group.
    Objects deleted within the look-back period are returned after active objects."
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/changedatacapture
    """
    clock(1)
    since = _since(company)
    clock(1)
    dropped = _invoice(company, 30)
    company.post("invoice", {"Id": dropped["Id"], "SyncToken": "0"}, operation="delete")
    clock(1)
    later = _invoice(company, 40)
    rows = company.get("cdc", entities="Invoice", changedSince=since).json()["CDCResponse"][0]["QueryResponse"][0]
    assert [(r["Id"], r.get("status")) for r in rows["Invoice"]] == [(later["Id"], None), (dropped["Id"], "Deleted")]
