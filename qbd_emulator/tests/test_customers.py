"""Customers and jobs: ids, names, hierarchy, references, EditSequence, queries and iterators."""

import re

import pytest
from conftest import Books, rq, text

CUSTOMER_ADD = "https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/customeradd"


def test_customer_add_returns_quickbooks_ids_and_defaults(books):
    """A new customer gets a ListID ``<hex counter>-<unix time>`` and an EditSequence that is a Unix
    time (consolibyte#92 capture), FullName = Name at the top level, Sublevel 0, IsActive true,
    Balance and TotalBalance 0.00, JobStatus and PreferredDeliveryMethod None (same capture), and the
    company's default taxable sales tax code when sales tax is on."""
    ret = books.add_customer("Quarry Hill Farms", "<CompanyName>Quarry Hill Farms LLC</CompanyName>"
                                                  "<Phone>510-555-0199</Phone>")
    assert re.fullmatch(r"[0-9A-F]{8}-\d{10}", text(ret, "ListID"))
    assert re.fullmatch(r"\d{10}", text(ret, "EditSequence"))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-08:00", text(ret, "TimeCreated"))
    assert (text(ret, "FullName"), text(ret, "Sublevel"), text(ret, "IsActive")) == \
        ("Quarry Hill Farms", "0", "true")
    assert (text(ret, "Balance"), text(ret, "TotalBalance")) == ("0.00", "0.00")
    assert (text(ret, "JobStatus"), text(ret, "PreferredDeliveryMethod")) == ("None", "None")
    assert text(ret, "SalesTaxCodeRef/FullName") == "Tax"
    order = [child.tag for child in ret]
    assert order.index("ListID") < order.index("Name") < order.index("CompanyName") < order.index("Phone") \
        < order.index("Balance"), "CustomerRet follows the schema's order"


def test_sub_customers_get_the_parent_colon_child_full_name(books):
    """A job's FullName joins its ancestors with ':' (``Jones:Kitchen:Cabinets``) and its Sublevel
    counts them (reference sheet §9; CustomerRet)."""
    parent = books.add_customer("Jones")
    job = books.ret(rq("CustomerAdd", "<Name>Kitchen</Name><ParentRef><FullName>Jones</FullName></ParentRef>"))
    sub = books.ret(rq("CustomerAdd", "<Name>Cabinets</Name>"
                                      f"<ParentRef><ListID>{text(job, 'ListID')}</ListID></ParentRef>"))
    assert (text(job, "FullName"), text(job, "Sublevel")) == ("Jones:Kitchen", "1")
    assert (text(sub, "FullName"), text(sub, "Sublevel")) == ("Jones:Kitchen:Cabinets", "2")
    assert text(job, "ParentRef/ListID") == text(parent, "ListID")


def test_names_are_unique_case_insensitively_except_under_different_parents(books):
    """3100 ``The name "Peter Pan" of the list element is already in use.`` (effective_qb_sync);
    uniqueness is on the FullName, so two jobs may share a name under different customers."""
    books.add_customer("Peter Pan")
    response = books.one(rq("CustomerAdd", "<Name>peter pan</Name>"))
    assert (response.get("statusCode"), response.get("statusSeverity")) == ("3100", "Error")
    assert response.get("statusMessage") == 'The name "peter pan" of the list element is already in use.'
    books.add_customer("Hook")
    for parent in ("Peter Pan", "Hook"):
        books.ok(rq("CustomerAdd", f"<Name>Lagoon</Name><ParentRef><FullName>{parent}</FullName></ParentRef>"))


def test_names_are_shared_with_vendors_employees_and_other_names(books):
    """Customer:Job, Vendor, Employee and Other Names share one name space ("you can have 'John
    Smith' and 'John Q Smith' ... but not 'John Smith' twice", Intuit in-product help), so a
    CustomerQuery can miss a name that CustomerAdd rejects (reference sheet §9)."""
    for name in ("PG&amp;E", "Maria Lopez", "Sam Rivera"):
        assert books.one(rq("CustomerQuery", f"<FullName>{name}</FullName>")).get("statusCode") == "500"
        assert books.one(rq("CustomerAdd", f"<Name>{name}</Name>")).get("statusCode") == "3100"


def test_inactive_customers_keep_their_names(books):
    """Inactive elements keep their names (reference sheet §9): Old Town Cafe is inactive."""
    assert books.one(rq("CustomerAdd", "<Name>Old Town Cafe</Name>")).get("statusCode") == "3100"


@pytest.mark.parametrize(("field", "limit"), [("Name", 41), ("CompanyName", 41), ("FirstName", 25),
                                               ("Phone", 21), ("AccountNumber", 99)])
def test_strings_longer_than_the_schema_allows_are_3070(books, field, limit):
    """3070 ``The string "..." in the field "..." is too long.`` (a QuickBooks capture in a qbwc
    parser's fixtures; consolibyte handles 3070), with the schema's lengths (qbxml130.xsd: customer
    Name 41, FirstName 25, Phone 21, AccountNumber 99)."""
    long_value = "x" * (limit + 1)
    if field == "Name":
        body = f"<Name>{long_value}</Name>"
    else:
        body = f"<Name>Len {field}</Name><{field}>{long_value}</{field}>"
    response = books.one(rq("CustomerAdd", body))
    assert response.get("statusCode") == "3070"
    assert response.get("statusMessage") == f'The string "{long_value}" in the field "{field}" is too long.'
    exact = body.replace(long_value, "y" * limit)
    assert books.one(rq("CustomerAdd", exact)).get("statusCode") == "0", "the limit itself is fine"


def test_a_colon_cannot_be_part_of_a_name(books):
    """':' separates the levels of a FullName and cannot appear in a Name (Intuit QBD API reference);
    the status QuickBooks answers is not documented, the stand-in answers 3180."""
    response = books.one(rq("CustomerAdd", "<Name>Jones:Kitchen</Name>"))
    assert response.get("statusCode") == "3180"
    assert "colon" in response.get("statusMessage")


def test_missing_or_inactive_references_are_3140(books):
    """3140 ``There is an invalid reference to QuickBooks ... in the ...`` (effective_qb_sync;
    consolibyte#256): a reference must name an active element."""
    response = books.one(rq("CustomerAdd", "<Name>Refs</Name><TermsRef><FullName>Net 99</FullName></TermsRef>"))
    assert response.get("statusCode") == "3140"
    assert response.get("statusMessage") == \
        'There is an invalid reference to QuickBooks Terms "Net 99" in the Customer.'
    response = books.one(rq("CustomerAdd", "<Name>Refs</Name><SalesRepRef><FullName>KL</FullName></SalesRepRef>"))
    assert response.get("statusCode") == "3140", "the file has no sales reps"
    response = books.one(rq("InvoiceAdd", "<CustomerRef><FullName>Old Town Cafe</FullName></CustomerRef>"))
    assert response.get("statusCode") == "3140", "an inactive customer"


def test_parent_that_does_not_exist_is_3130(books):
    """3130 invalid parent reference (hotglue fixture ``customer-batch-mixed``)."""
    response = books.one(rq("CustomerAdd", "<Name>Orphan</Name><ParentRef><FullName>Nobody</FullName></ParentRef>"))
    assert response.get("statusCode") == "3130"


def test_list_id_wins_over_full_name_in_a_reference(books):
    """"If you specify both FullName and ListID, FullName will be ignored" (""" + CUSTOMER_ADD + """)."""
    terms = books.ret(rq("TermsQuery", "<FullName>Net 30</FullName>"))
    ret = books.add_customer("Ref Wins", f"<TermsRef><ListID>{text(terms, 'ListID')}</ListID>"
                                         "<FullName>Net 15</FullName></TermsRef>")
    assert text(ret, "TermsRef/FullName") == "Net 30"


def test_customer_mod_needs_the_current_edit_sequence(books, company_file):
    """A Mod must send the current EditSequence; a stale one is 3200 ``The provided edit sequence
    "1416315972" is out-of-date.`` (consolibyte Integrator Errors.php); each edit moves it forward
    (reference sheet §7)."""
    ret = books.add_customer("Edit Me")
    list_id, first = text(ret, "ListID"), text(ret, "EditSequence")
    changed = books.ret(rq("CustomerMod", f"<ListID>{list_id}</ListID><EditSequence>{first}</EditSequence>"
                                          "<Phone>510-555-0111</Phone>"))
    assert int(text(changed, "EditSequence")) > int(first)
    assert text(changed, "Phone") == "510-555-0111" and text(changed, "Name") == "Edit Me", "only what is sent changes"
    stale = books.one(rq("CustomerMod", f"<ListID>{list_id}</ListID><EditSequence>{first}</EditSequence>"
                                        "<Phone>1</Phone>"))
    assert stale.get("statusCode") == "3200"
    assert stale.get("statusMessage") == f'The provided edit sequence "{first}" is out-of-date.'


def test_customer_mod_of_an_unknown_list_id_is_3000(books):
    """3000 ``The given object ID "..." in the field "list id" is invalid.`` (django-quickbooks)."""
    response = books.one(rq("CustomerMod", "<ListID>80009999-1700000000</ListID><EditSequence>1</EditSequence>"))
    assert response.get("statusCode") == "3000"
    assert response.get("statusMessage") == \
        'The given object ID "80009999-1700000000" in the field "list id" is invalid.'


def test_renaming_a_customer_renames_its_jobs_and_an_empty_element_clears_a_field(books):
    """The FullName of descendants follows their parent's Name; sending an empty element clears it."""
    parent = books.add_customer("Old Name", "<Phone>510-555-0100</Phone>")
    books.ok(rq("CustomerAdd", "<Name>Garage</Name><ParentRef><FullName>Old Name</FullName></ParentRef>"))
    books.ok(rq("CustomerMod", f"<ListID>{text(parent, 'ListID')}</ListID>"
                               f"<EditSequence>{text(parent, 'EditSequence')}</EditSequence>"
                               "<Name>New Name</Name><Phone></Phone>"))
    job = books.ret(rq("CustomerQuery", "<FullName>New Name:Garage</FullName>"))
    assert text(job, "ParentRef/FullName") == "New Name"
    renamed = books.ret(rq("CustomerQuery", "<FullName>New Name</FullName>"))
    assert text(renamed, "Phone") is None


def test_query_defaults_to_active_customers_in_full_name_order(books):
    """ActiveStatus defaults to ActiveOnly (qbXML schema); lists come a parent before its jobs."""
    names = [text(r, "FullName") for r in books.ok(rq("CustomerQuery"))]
    assert "Old Town Cafe" not in names
    assert names.index("Castillo Properties") < names.index("Castillo Properties:Unit 12") \
        < names.index("Castillo Properties:Unit 12:Bathroom")
    everyone = [text(r, "FullName") for r in books.ok(rq("CustomerQuery", "<ActiveStatus>All</ActiveStatus>"))]
    assert "Old Town Cafe" in everyone
    inactive = [text(r, "FullName") for r in books.ok(rq("CustomerQuery", "<ActiveStatus>InactiveOnly</ActiveStatus>"))]
    assert inactive == ["Old Town Cafe"]


def test_query_by_list_id_and_full_name_with_a_missing_one_is_a_500_warning(books):
    """By ListID/FullName the named elements come back (active or not) and a name that matches nothing
    makes it 500 "The query request has not been fully completed. There was a required element
    ("...") that could not be found in QuickBooks." with statusSeverity Warn (Intuit status table)."""
    response = books.one(rq("CustomerQuery", "<FullName>Old Town Cafe</FullName><FullName>Nobody</FullName>"))
    assert (response.get("statusCode"), response.get("statusSeverity")) == ("500", "Warn")
    assert '("Nobody")' in response.get("statusMessage")
    assert [text(r, "Name") for r in response] == ["Old Town Cafe"]


def test_query_that_finds_nothing_is_status_1(books):
    """1: "A query request did not find a matching object in QuickBooks" (Info; Intuit status table)."""
    response = books.one(rq("CustomerQuery", "<NameFilter><MatchCriterion>StartsWith</MatchCriterion>"
                                             "<Name>zzz</Name></NameFilter>"))
    assert (response.get("statusCode"), response.get("statusSeverity"), len(response)) == ("1", "Info", 0)
    assert response.get("statusMessage") == "A query request did not find a matching object in QuickBooks"


def test_name_filters_max_returned_and_include_ret_element(books):
    """NameFilter (StartsWith/Contains/EndsWith), NameRangeFilter, MaxReturned and IncludeRetElement
    (CustomerQuery in qbxmlops130.xsd)."""
    contains = [text(r, "FullName") for r in books.ok(rq("CustomerQuery", "<NameFilter><MatchCriterion>Contains"
                                                                          "</MatchCriterion><Name>unit</Name>"
                                                                          "</NameFilter>"))]
    assert contains == ["Castillo Properties:Unit 12", "Castillo Properties:Unit 12:Bathroom",
                        "Castillo Properties:Unit 4B"]
    ranged = [text(r, "FullName") for r in books.ok(rq("CustomerQuery", "<NameRangeFilter><FromName>b</FromName>"
                                                                        "<ToName>c</ToName></NameRangeFilter>"))]
    assert ranged == ["Baker Family"]
    capped = books.ok(rq("CustomerQuery", "<MaxReturned>2</MaxReturned><IncludeRetElement>ListID</IncludeRetElement>"
                                          "<IncludeRetElement>Name</IncludeRetElement>"))
    assert len(capped) == 2 and [child.tag for child in capped[0]] == ["ListID", "Name"]


def test_from_modified_date_selects_what_changed(books, company_file):
    """FromModifiedDate compares with TimeModified; a date-time without an offset is the QuickBooks
    PC's local time (jsgoupil/quickbooks-sync#19)."""
    company_file.clock.advance(3600)
    changed = books.add_customer("Changed Later")
    stamp = text(changed, "TimeModified")
    local = stamp[:19]  # without the -08:00
    found = [text(r, "Name") for r in books.ok(rq("CustomerQuery", f"<FromModifiedDate>{local}</FromModifiedDate>"))]
    assert found == ["Changed Later"]
    later = f"{stamp[:-6]}-11:00"  # the same wall-clock time three hours further west: later
    assert books.one(rq("CustomerQuery", f"<FromModifiedDate>{later}</FromModifiedDate>")).get("statusCode") == "1"
    assert books.one(rq("CustomerQuery", "<FromModifiedDate>2030-13-45</FromModifiedDate>")).get("statusCode") == "3020"


def test_total_balance_includes_jobs(books):
    """TotalBalance adds the jobs' balances to the customer's own (CustomerRet Balance/TotalBalance):
    the seeded Castillo Properties job gets an invoice."""
    books.ok(rq("InvoiceAdd", "<CustomerRef><FullName>Castillo Properties:Unit 4B</FullName></CustomerRef>"
                              "<InvoiceLineAdd><ItemRef><FullName>Drain Cleaning</FullName></ItemRef>"
                              "</InvoiceLineAdd>"))
    parent = books.ret(rq("CustomerQuery", "<FullName>Castillo Properties</FullName>"))
    job = books.ret(rq("CustomerQuery", "<FullName>Castillo Properties:Unit 4B</FullName>"))
    assert (text(parent, "Balance"), text(parent, "TotalBalance")) == ("0.00", "150.00")
    assert (text(job, "Balance"), text(job, "TotalBalance")) == ("150.00", "150.00")
    over = [text(r, "FullName") for r in books.ok(rq("CustomerQuery", "<TotalBalanceFilter><Operator>GreaterThan"
                                                                     "</Operator><Amount>149.99</Amount>"
                                                                     "</TotalBalanceFilter>"))]
    assert "Castillo Properties" in over and "Castillo Properties:Unit 4B" in over


def test_iterators_page_through_2500_customers(books, company_file):
    """``iterator="Start"`` with MaxReturned returns a page, ``iteratorRemainingCount`` and an
    ``iteratorID``; ``iterator="Continue"`` with that id the next page, until nothing remains
    (qbXML schema; consolibyte#92 capture; consolibyte example_web_connector_import.php)."""
    company_file.add_objects(books.path, {"Customer": [{"Name": f"Bulk Customer {n:04d}",
                                                        "CompanyName": f"Bulk {n % 7}"} for n in range(2500)]})
    seen, pages = [], 0
    response = books.one(rq("CustomerQuery", "<MaxReturned>1000</MaxReturned><ActiveStatus>All</ActiveStatus>",
                            iterator="Start"))
    total = len(books.objects("Customer"))
    while True:
        pages += 1
        assert response.get("statusCode") == "0"
        seen += [text(r, "ListID") for r in response]
        remaining = int(response.get("iteratorRemainingCount"))
        assert remaining == total - len(seen)
        iterator_id = response.get("iteratorID")
        assert re.fullmatch(r"\{[0-9a-f-]{36}\}", iterator_id)
        if remaining == 0:
            break
        response = books.one(rq("CustomerQuery", "<MaxReturned>1000</MaxReturned>", iterator="Continue",
                                iteratorID=iterator_id))
    assert pages == 3 and len(seen) == len(set(seen)) == total


def test_iterators_belong_to_their_session_and_expire(books, company_file):
    """Iterators are "only valid for the current QuickBooks session" and the application that
    started them (Intuit qbXML reference, PriceAdjustmentQuery); a stale one is 3391 ``The iteratorID
    "{...}" is not valid.`` (consolibyte#183).  ``iterator="Stop"`` ends one early."""
    first = books.one(rq("CustomerQuery", "<MaxReturned>5</MaxReturned>", iterator="Start"))
    iterator_id = first.get("iteratorID")
    other = Books(company_file)
    response = other.one(rq("CustomerQuery", "<MaxReturned>5</MaxReturned>", iterator="Continue",
                            iteratorID=iterator_id))
    assert response.get("statusCode") == "3391"
    assert response.get("statusMessage") == f'The iteratorID "{iterator_id}" is not valid.'
    stopped = books.one(rq("CustomerQuery", iterator="Stop", iteratorID=iterator_id))
    assert stopped.get("statusCode") == "0"
    after = books.one(rq("CustomerQuery", "<MaxReturned>5</MaxReturned>", iterator="Continue", iteratorID=iterator_id))
    assert after.get("statusCode") == "3391"


def test_iterator_snapshot_skips_what_was_deleted_meanwhile(books):
    """The iterator fixes its result set when it starts; transactions deleted since are not returned
    and the remaining count still adds up."""
    start = books.one(rq("InvoiceQuery", "<MaxReturned>1</MaxReturned>", iterator="Start"))
    remaining = int(start.get("iteratorRemainingCount"))
    everything = [text(r, "TxnID") for r in books.ok(rq("InvoiceQuery"))]
    books.ok(rq("TxnDel", f"<TxnDelType>Invoice</TxnDelType><TxnID>{everything[-1]}</TxnID>"))
    rest = books.one(rq("InvoiceQuery", "<MaxReturned>100</MaxReturned>", iterator="Continue",
                        iteratorID=start.get("iteratorID")))
    assert rest.get("iteratorRemainingCount") == "0"
    assert len(rest) == remaining - 1
