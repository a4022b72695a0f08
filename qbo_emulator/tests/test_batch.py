"""The batch endpoint, with python-quickbooks' batch helpers and plain HTTP."""

from conftest import fault_of
from quickbooks.batch import batch_create, batch_delete
from quickbooks.objects.customer import Customer
from quickbooks.objects.invoice import Invoice

BATCH_DOC = "https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch"


def test_batch_with_mixed_success_over_http(company):
    """Each item answers with its own result or Fault, all in an HTTP 200; the Fault has no
    ``time`` of its own.  (Intuit's sample: bid1 6240, bid2 610, bid3 5010, bid4 a query.)
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch#sample-batch-request
    """
    invoice = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [
        {"Amount": 10, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]})
    answer = company.post("batch", {"BatchItemRequest": [
        {"bId": "bid1", "operation": "create", "Vendor": {"DisplayName": "Amy's Bird Sanctuary"}},
        {"bId": "bid2", "operation": "delete", "Invoice": {"Id": "987654", "SyncToken": "0"}},
        {"bId": "bid3", "operation": "update", "Invoice": {"Id": invoice["Id"], "SyncToken": "7", "sparse": True,
                                                           "PrivateNote": "late"}},
        {"bId": "bid4", "Query": "select * from Invoice where TotalAmt > '300.00'"},
        {"bId": "bid5", "operation": "create", "Vendor": {"DisplayName": "Fresh Vendor"}},
    ]})
    assert answer.status_code == 200
    items = {item["bId"]: item for item in answer.json()["BatchItemResponse"]}
    assert list(items) == ["bid1", "bid2", "bid3", "bid4", "bid5"]
    assert items["bid1"]["Fault"]["Error"][0]["code"] == "6240"
    assert items["bid1"]["Fault"]["type"] == "ValidationFault" and "time" not in items["bid1"]["Fault"]
    assert items["bid2"]["Fault"]["Error"][0]["code"] == "610"
    assert items["bid3"]["Fault"]["Error"][0]["Message"] == "Stale Object Error"
    assert all(row["TotalAmt"] > 300 for row in items["bid4"]["QueryResponse"]["Invoice"])
    assert items["bid4"]["QueryResponse"]["startPosition"] == 1
    assert items["bid5"]["Vendor"]["DisplayName"] == "Fresh Vendor"
    assert "time" in answer.json()


def test_python_quickbooks_batch_create_and_delete(company, qb):
    """python-quickbooks sends chunks of 30 with uuid4 bIds and splits successes from faults.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
    """
    customers = []
    for n in range(35):
        customer = Customer()
        customer.DisplayName = f"Batch Customer {n}"
        customers.append(customer)
    clash = Customer()
    clash.DisplayName = "Batch Customer 3"
    result = batch_create([*customers, clash], qb=qb)
    assert len(result.successes) == 35
    assert len(result.faults) == 1
    assert result.faults[0].Error[0].code == "6240"
    assert result.faults[0].original_object.DisplayName == "Batch Customer 3"
    counters = company.counters()
    assert counters["api.batches"] == 2, "36 objects go as two batch requests"
    assert counters["op.Customer.create"] == 36, "every batch item is metered like a call"
    invoices = []
    for _ in range(3):
        invoice = Invoice()
        invoice.CustomerRef = {"value": result.successes[0].Id}
        invoice.Line = [{"Amount": 5, "DetailType": "SalesItemLineDetail",
                         "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]
        invoices.append(invoice.save(qb=qb))
    deleted = batch_delete(invoices, qb=qb)
    assert len(deleted.successes) == 3
    assert company.get(f"invoice/{invoices[0].Id}").status_code == 400


def test_more_than_30_items_is_refused(company):
    """At most 30 payloads in one batch request.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch (business rules)
    """
    items = [{"bId": f"b{n}", "Query": "select * from Term"} for n in range(31)]
    answer = company.post("batch", {"BatchItemRequest": items})
    assert answer.status_code == 400
    assert fault_of(answer)["element"] == "BatchItemRequest"
    assert company.post("batch", {"BatchItemRequest": items[:30]}).status_code == 200


def test_items_do_not_see_objects_created_in_the_same_batch(company):
    """"A newly created customer is not available for a subsequent invoice create operation
    within the same batch operation."
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch (business rules)
    """
    before = company.counters().get("op.Customer.create", 0)
    next_id = str(max(int(c["Id"]) for c in company.objects("Customer") + company.objects("Vendor")
                      + company.objects("Employee")) + 1)
    answer = company.post("batch", {"BatchItemRequest": [
        {"bId": "c", "operation": "create", "Customer": {"DisplayName": "Born In Batch"}},
        {"bId": "i", "operation": "create", "Invoice": {"CustomerRef": {"value": next_id}, "Line": [
            {"Amount": 5, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]}},
    ]})
    items = answer.json()["BatchItemResponse"]
    assert items[0]["Customer"]["Id"] == next_id
    assert items[1]["Fault"]["Error"][0]["code"] == "2500"
    assert company.counters()["op.Customer.create"] == before + 1
    later = company.post("invoice", {"CustomerRef": {"value": next_id}, "Line": [
        {"Amount": 5, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]})
    assert later.status_code == 200, "in the next request the customer is there"


def test_batch_counts_reads_and_writes(company):
    """Benchmarks read the counters: a batch is one HTTP request whose items count as reads
    or writes.
    https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    """
    before = company.counters()
    company.post("batch", {"BatchItemRequest": [
        {"bId": "q1", "Query": "select * from Term"},
        {"bId": "q2", "Query": "select * from Class"},
        {"bId": "w1", "operation": "create", "Class": {"Name": "Batch Class"}},
    ]})
    after = company.counters()
    assert after["api.requests"] - before.get("api.requests", 0) == 1
    assert after["api.reads"] - before.get("api.reads", 0) == 2
    assert after["api.writes"] - before.get("api.writes", 0) == 1
