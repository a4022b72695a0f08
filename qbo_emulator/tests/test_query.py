"""The query endpoint: the query language subset clients use, paging, counts, and the rules
QuickBooks applies to name lists."""

import pytest
from conftest import fault_of
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item

QUERY_DOC = "https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries"


@pytest.fixture(scope="module")
def big_company(emulator):
    """A company with 2,500 extra customers (created through the API's own rules)."""
    realm_id = emulator.new_realm(company_name="Paging Books")
    customers = [{"DisplayName": f"Paging Customer {n:05d}", "CompanyName": f"Paging {n % 7}",
                  "Notes": "even" if n % 2 == 0 else "odd"} for n in range(2500)]
    answer = emulator.control("POST", f"realms/{realm_id}/objects", objects={"Customer": customers})
    assert answer["created"] == {"Customer": 2500}
    from conftest import Company  # noqa: PLC0415

    return Company(emulator, realm_id, emulator.tokens(realm_id)["access_token"])


def test_paging_over_2500_customers_with_startposition_and_maxresults(big_company):
    """STARTPOSITION is 1-based, MAXRESULTS at most 1000; pages never overlap and together
    hold every customer once.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries#pagination
    """
    assert big_company.query("select count(*) from Customer").json()["QueryResponse"] == {"totalCount": 2528}
    seen = []
    start = 1
    while True:
        answer = big_company.query(f"select * from Customer STARTPOSITION {start} MAXRESULTS 1000")  # noqa: S608 - a QuickBooks query
        body = answer.json()["QueryResponse"]
        if not body:
            break
        assert body["startPosition"] == start
        assert body["maxResults"] == len(body["Customer"]) <= 1000
        seen.extend(c["Id"] for c in body["Customer"])
        start += 1000
    assert len(seen) == len(set(seen)) == 2528
    assert seen == sorted(seen, key=int), "without ORDERBY rows come in Id order"


def test_default_page_is_100_and_maxresults_is_capped_at_1000(big_company):
    """Without MAXRESULTS a page holds 100 rows; more than 1000 is answered with 1000.
    https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features (1,000 entities per query)
    """
    assert len(big_company.rows("select * from Customer")) == 100
    assert len(big_company.rows("select * from Customer maxresults 5000")) == 1000


def test_python_quickbooks_where_filter_count_and_all(big_company, emulator):
    """python-quickbooks sends ``ORDERBY ... STARTPOSITION ... MAXRESULTS`` (where) and
    ``ORDER BY`` (all) as POST bodies with Content-Type application/text.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    """
    from conftest import library_client  # noqa: PLC0415

    qb = library_client(emulator, big_company.realm, big_company.token)
    page = Customer.where("CompanyName = 'Paging 3'", order_by="DisplayName DESC", start_position=1,
                          max_results=10, qb=qb)
    assert len(page) == 10
    names = [c.DisplayName for c in page]
    assert names == sorted(names, reverse=True)
    assert all(c.CompanyName == "Paging 3" for c in page)
    assert Customer.count("CompanyName = 'Paging 3'", qb=qb) == len([n for n in range(2500) if n % 7 == 3])
    assert len(Customer.all(order_by="Id", max_results=7, qb=qb)) == 7
    items = Item.all(max_results=100, qb=qb)  # SELECT *, Sku FROM Item
    assert any(item.Sku == "PMP-01" for item in items)


def test_filters_on_indexed_and_other_fields_agree(big_company):
    """=, <, >, <=, >=, IN and LIKE on Id, DisplayName and unindexed fields; AND only.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries#query-operations-and-syntax
    """
    like = big_company.rows("select * from Customer where DisplayName like 'Paging Customer 0001%' maxresults 1000")
    assert len(like) == 10
    contains = big_company.rows("select * from Customer where DisplayName like '%0001%' maxresults 1000")
    both = big_company.rows("select * from Customer where DisplayName like '%0001%' and Notes = 'odd' maxresults 1000")
    assert [c["Id"] for c in both] == [c["Id"] for c in contains if c.get("Notes") == "odd"]
    assert both, "the AND of an indexed and an unindexed condition finds rows"
    ids = [c["Id"] for c in like[:3]]
    in_ids = big_company.rows(f"select * from Customer where Id in ('{ids[0]}', '{ids[1]}', '{ids[2]}')")  # noqa: S608 - a QuickBooks query
    assert sorted(c["Id"] for c in in_ids) == sorted(ids)
    greater = big_company.rows(f"select * from Customer where Id > '{ids[0]}' and Id <= '{ids[2]}'")  # noqa: S608 - a QuickBooks query
    assert [c["Id"] for c in greater] == ids[1:]
    exact = big_company.rows("select * from Customer where DisplayName = 'paging customer 00042'")
    assert [c["DisplayName"] for c in exact] == ["Paging Customer 00042"], "names compare case-insensitively"
    # The same question on an unindexed field (Python path) and an indexed one (SQL path):
    by_company = big_company.rows("select * from Customer where CompanyName = 'Paging 5' orderby DisplayName "
                                  "startposition 3 maxresults 4")
    by_index = [c for c in big_company.rows("select * from Customer where DisplayName like 'Paging Customer%' "
                                            "orderby DisplayName maxresults 1000") if c["CompanyName"] == "Paging 5"]
    assert [c["Id"] for c in by_company] == [c["Id"] for c in by_index[2:6]]


def test_select_fields_and_orderby_balance(company):
    """``SELECT Id, DisplayName`` answers only those fields; ORDERBY works on any field.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    """
    rows = company.rows("select Id, DisplayName from Customer where Id = '1'")
    assert set(rows[0]) <= {"Id", "DisplayName", "SyncToken", "MetaData", "domain", "sparse"}
    assert "Balance" not in rows[0]
    by_balance = company.rows("select * from Invoice orderby TotalAmt desc")
    totals = [row["TotalAmt"] for row in by_balance]
    assert totals == sorted(totals, reverse=True)


def test_last_updated_time_filter(company, clock):
    """``MetaData.LastUpdatedTime`` filters find what changed after a moment.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#query-a-customer
    """
    before = company.create("Customer", {"DisplayName": "Before Mark"})
    clock(60)
    after = company.create("Customer", {"DisplayName": "After Mark"})
    mark = before["MetaData"]["LastUpdatedTime"]
    changed = company.rows(f"select * from Customer where MetaData.LastUpdatedTime > '{mark}'")  # noqa: S608 - a QuickBooks query
    assert [c["Id"] for c in changed] == [after["Id"]]
    same = company.rows(f"select * from Customer where MetaData.LastUpdatedTime >= '{mark}'")  # noqa: S608 - a QuickBooks query
    assert {c["Id"] for c in same} == {before["Id"], after["Id"]}


def test_inactive_rows_are_hidden_unless_the_query_filters_on_active(company):
    """Name lists: inactive objects appear only when the query filters on Active.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer (Active)
    """
    customer = company.create("Customer", {"DisplayName": "Gone Quiet"})
    company.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    assert customer["Id"] not in {c["Id"] for c in company.rows("select * from Customer maxresults 1000")}
    both = company.rows("select * from Customer where Active in (true, false) maxresults 1000")
    assert customer["Id"] in {c["Id"] for c in both}
    count_all = company.query("select count(*) from Customer where Active in (true, false)").json()
    count_active = company.query("select count(*) from Customer").json()
    assert count_all["QueryResponse"]["totalCount"] == count_active["QueryResponse"]["totalCount"] + 1


def test_query_faults_are_4000(company):
    """Malformed queries, OR, and unknown entities are refused with 4000 "Error parsing query".
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    for text in ("select * from Customer where DisplayName = 'a' or Id = '1'", "select from", "select * from Nothing",
                 "select * from Customer where"):
        answer = company.query(text)
        assert answer.status_code == 400, text
        assert fault_of(answer)["code"] == "4000" and fault_of(answer)["Message"] == "Error parsing query"


def test_empty_result_is_an_empty_query_response(company):
    """No rows: ``{"QueryResponse": {}}``.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    """
    answer = company.query("select * from Customer where DisplayName = 'nobody at all'")
    assert answer.json()["QueryResponse"] == {}
