"""``requestid``: a repeated write returns the original answer and creates nothing."""

from conftest import fault_of
from quickbooks.objects.customer import Customer

RID_DOC = "https://blogs.intuit.com/2015/04/06/15346/"


def test_repeated_create_returns_the_original_response(company, qb):
    """"The service sends the same response as it did for the original request" and does not
    create a second object (python-quickbooks: ``save(qb, request_id=...)``).
    https://blogs.intuit.com/2015/04/06/15346/
    """
    customer = Customer()
    customer.DisplayName = "Once Only"
    first = customer.save(qb=qb, request_id="rid-create-1")
    again = Customer()
    again.DisplayName = "Once Only"
    second = again.save(qb=qb, request_id="rid-create-1")
    assert second.Id == first.Id and second.SyncToken == first.SyncToken
    assert company.emulator.control(
        "GET", f"count?realm_id={company.realm}&entity=Customer&display_name=Once Only")["count"] == 1
    assert company.counters()["api.replays"] == 1
    other = company.post("customer", {"DisplayName": "Once Only"})
    assert fault_of(other)["code"] == "6240", "without the requestid the same payload is a new create"


def test_repeated_update_and_delete_are_not_applied_twice(company):
    """A repeated update would otherwise fail as stale (its SyncToken moved on); a repeated
    delete would fail as already deleted.  Both return the first answer.
    https://blogs.intuit.com/2015/04/06/15346/
    """
    invoice = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [
        {"Amount": 10, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "4"}}}]})
    update = {"Id": invoice["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "once"}
    first = company.post("invoice", update, requestid="rid-update-1")
    second = company.post("invoice", update, requestid="rid-update-1")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert company.read("Invoice", invoice["Id"])["SyncToken"] == "1"
    delete = {"Id": invoice["Id"], "SyncToken": "1"}
    assert company.post("invoice", delete, operation="delete", requestid="rid-delete-1").status_code == 200
    repeat = company.post("invoice", delete, operation="delete", requestid="rid-delete-1")
    assert repeat.status_code == 200 and repeat.json()["Invoice"]["status"] == "Deleted"


def test_failed_request_is_not_remembered(company):
    """A refused write wrote nothing; sending it again (fixed) under the same requestid is
    served, not replayed as the fault.
    https://blogs.intuit.com/2015/04/06/15346/
    """
    refused = company.post("customer", {"DisplayName": "Bad:Name"}, requestid="rid-fix-1")
    assert refused.status_code == 400
    fixed = company.post("customer", {"DisplayName": "Good Name"}, requestid="rid-fix-1")
    assert fixed.status_code == 200 and fixed.json()["Customer"]["DisplayName"] == "Good Name"


def test_request_id_longer_than_50_characters_is_refused(company):
    """The requestid is at most 50 characters (36 on a batch).
    https://blogs.intuit.com/2015/04/06/15346/
    """
    answer = company.post("customer", {"DisplayName": "Long Rid"}, requestid="r" * 51)
    assert answer.status_code == 400
    assert fault_of(answer)["element"] == "requestid" and fault_of(answer)["code"] == "2050"
    assert company.post("customer", {"DisplayName": "Long Rid"}, requestid="r" * 50).status_code == 200
    batch = company.post("batch", {"BatchItemRequest": [{"bId": "b1", "Query": "select * from Term"}]},
                         requestid="b" * 37)
    assert fault_of(batch)["code"] == "2050"


def test_request_ids_are_per_company(company, emulator):
    """The id is unique per company: another company may use the same one.
    https://blogs.intuit.com/2015/04/06/15346/
    """
    from conftest import Company  # noqa: PLC0415

    other_realm = emulator.new_realm()
    other = Company(emulator, other_realm, emulator.tokens(other_realm)["access_token"])
    mine = company.post("customer", {"DisplayName": "Per Realm"}, requestid="shared-rid")
    theirs = other.post("customer", {"DisplayName": "Per Realm Too"}, requestid="shared-rid")
    assert theirs.json()["Customer"]["DisplayName"] == "Per Realm Too"
    assert mine.json()["Customer"]["DisplayName"] == "Per Realm"


def test_batch_request_id_replays_the_whole_batch(company):
    """A batch with a requestid answers a repeat with the first answer (bIds at most 10
    characters then).
    https://blogs.intuit.com/2015/04/06/15346/
    """
    body = {"BatchItemRequest": [{"bId": "c1", "operation": "create", "Class": {"Name": "Replay Class"}}]}
    first = company.post("batch", body, requestid="batch-rid-1")
    second = company.post("batch", body, requestid="batch-rid-1")
    assert first.json() == second.json()
    assert "Class" in first.json()["BatchItemResponse"][0]
    long_bid = company.post("batch", {"BatchItemRequest": [{"bId": "b" * 11, "Query": "select * from Term"}]},
                            requestid="batch-rid-2")
    assert fault_of(long_bid)["element"] == "bId"
