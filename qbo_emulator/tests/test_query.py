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


def test_default_page_is_100_and_maxresults_above_1000_is_refused(big_company):
    """Without MAXRESULTS a page holds 100 rows; 1000 is the most a page holds, and asking
    for more is refused (fault 4001), not capped.
    https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features (1,000 entities per query)
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    """
    assert len(big_company.rows("select * from Customer")) == 100
    assert len(big_company.rows("select * from Customer maxresults 1000")) == 1000
    answer = big_company.query("select * from Customer maxresults 5000")
    assert answer.status_code == 400
    error = fault_of(answer)
    assert error["code"] == "4001" and error["Message"] == "Invalid query"
    assert "5000" in error["Detail"] and "1000" in error["Detail"]


def test_filter_or_sort_on_a_property_that_is_not_queryable_is_4001(company, qb):
    """Only the attributes each entity page marks filterable/sortable may appear in WHERE and
    ORDERBY; anything else (an unknown name, Line, an address, DepartmentRef on a Bill) is
    fault 4001 naming the property -- never an empty page.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/bill
    """
    for text, name in [("select * from Customer where Nickname = 'x'", "Nickname"),
                       ("select * from Customer where BillAddr.City = 'Austin'", "BillAddr.City"),
                       ("select * from Invoice where Line.Amount > 5", "Line.Amount"),
                       ("select * from Bill where DepartmentRef = '1'", "DepartmentRef"),
                       ("select * from Item orderby Description", "Description"),
                       ("select count(*) from Invoice where PrivateNote like '%a%'", "PrivateNote")]:
        answer = company.query(text)
        assert answer.status_code == 400, text
        error = fault_of(answer)
        assert error["code"] == "4001", text
        assert f"'{name}'" in error["Detail"], error
    # Documented filterable properties still work, whatever their case.
    assert company.query("select * from Customer where displayname like '%a%' orderby DisplayName").status_code == 200
    assert company.query("select * from Invoice where Balance > '0' and TxnDate >= '2020-01-01' "
                         "and MetaData.LastUpdatedTime > '2020-01-01T00:00:00Z' orderby Id desc").status_code == 200
    # python-quickbooks surfaces the fault as a ValidationException carrying 4001.
    from quickbooks.exceptions import QuickbooksException  # noqa: PLC0415
    from quickbooks.objects.customer import Customer as QBCustomer  # noqa: PLC0415

    with pytest.raises(QuickbooksException) as caught:
        QBCustomer.filter(Nickname="x", qb=qb)
    assert caught.value.error_code == 4001


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
    both = big_company.rows("select * from Customer where DisplayName like '%0001%' and CompanyName = 'Paging 3' "
                            "maxresults 1000")
    assert [c["Id"] for c in both] == [c["Id"] for c in contains if c.get("CompanyName") == "Paging 3"]
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
    """``SELECT Id, DisplayName`` answers only those fields; ORDERBY works on any sortable field.
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


def test_minorversion_below_75_is_served_as_75_and_an_unknown_one_is_refused(company):
    """Since August 2025 minor versions 1-74 are ignored and answered as 75 (as is a request
    without one); 75 is the latest. A value that is no minor version is refused, naming the
    parameter, instead of being served silently.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/minor-versions
    https://blogs.intuit.com/2025/01/21/changes-to-our-accounting-api-that-may-impact-your-application/
    """
    for value in ("75", "40", "1"):
        answer = company.request("GET", f"companyinfo/{company.realm}", params={"minorversion": value})
        assert answer.status_code == 200, value
    assert company.request("GET", f"companyinfo/{company.realm}").status_code == 200
    for value in ("76", "999", "abc", "0", ""):
        answer = company.request("POST", "query", data="select * from Customer", params={"minorversion": value},
                                 headers={"Content-Type": "application/text"})
        assert answer.status_code == 400, value
        error = fault_of(answer)
        assert error["element"] == "minorversion" and "minorversion" in error["Detail"], error
