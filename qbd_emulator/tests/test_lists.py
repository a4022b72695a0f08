"""Items, vendors, and the lists a sales form refers to; the host, the company and its preferences."""

from conftest import rq, text


def test_item_service_add_with_price_account_and_tax_code(books):
    """ItemServiceAdd: Name (31), SalesTaxCodeRef, SalesOrPurchase {Desc, Price, AccountRef}; the Ret
    gives FullName, Sublevel and both ids of each reference (ItemServiceRet, qbxml130.xsd)."""
    ret = books.ret(rq("ItemServiceAdd", "<Name>Gas Line Test</Name><SalesTaxCodeRef><FullName>Non</FullName>"
                                         "</SalesTaxCodeRef><SalesOrPurchase><Desc>Gas line pressure test</Desc>"
                                         "<Price>180</Price><AccountRef><FullName>Service Income</FullName>"
                                         "</AccountRef></SalesOrPurchase>"))
    assert (text(ret, "FullName"), text(ret, "Sublevel")) == ("Gas Line Test", "0")
    assert text(ret, "SalesOrPurchase/Price") == "180.00"
    assert text(ret, "SalesOrPurchase/AccountRef/FullName") == "Service Income"
    assert text(ret, "SalesOrPurchase/AccountRef/ListID")
    assert [child.tag for child in ret.find("SalesOrPurchase")] == ["Desc", "Price", "AccountRef"]


def test_item_name_is_31_characters(books):
    """Item names are 31 characters (ItemServiceAdd Name maxLength 31): 3070."""
    response = books.one(rq("ItemServiceAdd", f"<Name>{'i' * 32}</Name><SalesOrPurchase><AccountRef><FullName>"
                                              "Service Income</FullName></AccountRef></SalesOrPurchase>"))
    assert response.get("statusCode") == "3070"


def test_item_names_are_unique_across_item_types(books):
    """An ItemRef names any item, so names are unique across item types: a non-inventory part cannot
    take a service item's name (3100)."""
    response = books.one(rq("ItemNonInventoryAdd", "<Name>plumbing labor</Name><SalesOrPurchase><AccountRef>"
                                                   "<FullName>Materials Income</FullName></AccountRef>"
                                                   "</SalesOrPurchase>"))
    assert response.get("statusCode") == "3100"


def test_item_needs_an_active_account(books):
    """The item's account must exist and be active (3140); without one QuickBooks cannot save the item
    (the status is not documented; the stand-in answers 3180)."""
    inactive = books.one(rq("ItemServiceAdd", "<Name>Rental</Name><SalesOrPurchase><AccountRef><FullName>"
                                              "Old Equipment Rental</FullName></AccountRef></SalesOrPurchase>"))
    assert inactive.get("statusCode") == "3140"
    missing = books.one(rq("ItemServiceAdd", "<Name>No Account</Name><SalesOrPurchase><Desc>x</Desc>"
                                             "</SalesOrPurchase>"))
    assert missing.get("statusCode") == "3180"


def test_item_service_mod_changes_price_and_edit_sequence(books):
    """ItemServiceMod with SalesOrPurchaseMod changes the price; a stale EditSequence is 3200."""
    item = books.ret(rq("ItemServiceQuery", "<FullName>Inspection</FullName>"))
    body = (f"<ListID>{text(item, 'ListID')}</ListID><EditSequence>{text(item, 'EditSequence')}</EditSequence>"
            "<SalesOrPurchaseMod><Price>135.00</Price></SalesOrPurchaseMod>")
    changed = books.ret(rq("ItemServiceMod", body))
    assert text(changed, "SalesOrPurchase/Price") == "135.00"
    assert text(changed, "SalesOrPurchase/Desc") == "Safety inspection", "unchanged fields stay"
    assert books.one(rq("ItemServiceMod", body)).get("statusCode") == "3200"


def test_item_query_returns_every_item_type(books):
    """ItemQuery returns every item type, each as its own Ret (reference sheet §6)."""
    tags = {child.tag for child in books.ok(rq("ItemQuery"))}
    assert tags == {"ItemServiceRet", "ItemNonInventoryRet", "ItemSalesTaxRet"}
    sub = books.ret(rq("ItemServiceQuery", "<FullName>Repairs:Water Heater</FullName>"))
    assert (text(sub, "Sublevel"), text(sub, "ParentRef/FullName")) == ("1", "Repairs")


def test_item_non_inventory_add_and_query(books):
    """ItemNonInventoryAdd with SalesAndPurchase (income and expense accounts, preferred vendor)."""
    ret = books.ret(rq("ItemNonInventoryAdd", "<Name>Shutoff Valve</Name><ManufacturerPartNumber>SV-12</Manufacturer"
                                              "PartNumber><SalesAndPurchase><SalesDesc>1/2in shutoff valve</SalesDesc>"
                                              "<SalesPrice>24.5</SalesPrice><IncomeAccountRef><FullName>Materials "
                                              "Income</FullName></IncomeAccountRef><PurchaseCost>9.75</PurchaseCost>"
                                              "<ExpenseAccountRef><FullName>Job Materials</FullName></ExpenseAccount"
                                              "Ref><PrefVendorRef><FullName>Bay Plumbing Supply</FullName>"
                                              "</PrefVendorRef></SalesAndPurchase>"))
    assert text(ret, "SalesTaxCodeRef/FullName") == "Tax", "non-inventory parts default to the taxable code"
    assert text(ret, "SalesAndPurchase/SalesPrice") == "24.50"
    found = books.ret(rq("ItemNonInventoryQuery", "<NameFilter><MatchCriterion>StartsWith</MatchCriterion>"
                                                  "<Name>shutoff</Name></NameFilter>"))
    assert text(found, "ManufacturerPartNumber") == "SV-12"


def test_vendor_add_and_query(books):
    """VendorAdd: a Vendor has no FullName; its name lives in the shared name space."""
    ret = books.ret(rq("VendorAdd", "<Name>Rooter Pros</Name><CompanyName>Rooter Pros Inc</CompanyName>"
                                    "<VendorAddress><Addr1>9 Pipe Rd</Addr1><City>Oakland</City></VendorAddress>"))
    assert text(ret, "FullName") is None and text(ret, "Balance") == "0.00"
    assert books.one(rq("VendorAdd", "<Name>Baker Family</Name>")).get("statusCode") == "3100"
    names = [text(r, "Name") for r in books.ok(rq("VendorQuery", "<ActiveStatus>All</ActiveStatus>"))]
    assert "Rooter Pros" in names and "Mission Auto Care" in names


def test_terms_classes_tax_codes_and_payment_methods(books):
    """TermsQuery returns StandardTermsRet and DateDrivenTermsRet; ClassQuery nests; SalesTaxCodeQuery
    says which codes are taxable; PaymentMethodQuery filters by type (qbxmlops130.xsd)."""
    terms = books.ok(rq("TermsQuery"))
    assert {child.tag for child in terms} == {"StandardTermsRet", "DateDrivenTermsRet"}
    assert [text(c, "FullName") for c in books.ok(rq("ClassQuery"))] == ["Commercial", "Commercial:Remodel",
                                                                          "Residential"]
    codes = {text(c, "Name"): text(c, "IsTaxable") for c in books.ok(rq("SalesTaxCodeQuery"))}
    assert codes == {"Non": "false", "Res": "false", "Tax": "true"}
    cards = [text(m, "Name") for m in books.ok(rq("PaymentMethodQuery", "<PaymentMethodType>Visa</PaymentMethodType>"
                                                                        "<PaymentMethodType>MasterCard"
                                                                        "</PaymentMethodType>"))]
    assert cards == ["MasterCard", "Visa"]
    rates = {text(i, "Name"): text(i, "TaxRate") for i in books.ok(rq("ItemSalesTaxQuery"))}
    assert rates["Alameda County"] == "10.25" and rates["San Francisco"] == "8.625"


def test_account_query_filters_by_type_and_shows_balances(books):
    """AccountQuery by AccountType; balances come from the transactions: A/R holds what customers owe,
    Undeposited Funds the payments not yet deposited (AccountRet Balance)."""
    receivable = books.ret(rq("AccountQuery", "<AccountType>AccountsReceivable</AccountType>"))
    customers_own = sum(float(c["Balance"]) for c in books.objects("Customer"))
    assert float(text(receivable, "Balance")) == round(customers_own, 2) > 0
    undeposited = books.ret(rq("AccountQuery", "<FullName>Undeposited Funds</FullName>"))
    assert text(undeposited, "Balance") == "883.12", "the two seeded payments"
    income = [text(a, "FullName") for a in books.ok(rq("AccountQuery", "<AccountType>Income</AccountType>"))]
    assert income == ["Materials Income", "Service Income", "Service Income:Labor"]


def test_host_query_says_product_country_and_versions(books):
    """HostRet: ProductName, MajorVersion, Country and every SupportedQBXMLVersion; the Web Connector
    passes the highest one as qbXMLMajorVers/qbXMLMinorVers (reference sheet §1, §3)."""
    host = books.ret(rq("HostQuery"))
    assert (text(host, "ProductName"), text(host, "Country"), text(host, "MajorVersion")) == \
        ("Intuit QuickBooks Pro 2014", "US", "24")
    assert [v.text for v in host.findall("SupportedQBXMLVersion")][-1] == "13.0"


def test_company_query_shows_the_company_and_owner_data(books):
    """CompanyRet with the company's name and address; private data (the Web Connector's FileID) is
    returned only to its OwnerID (Intuit WCWebService readme)."""
    owner = "{6B063959-81B0-4622-85D6-F548C8CCB517}"
    company = books.ret(rq("CompanyQuery"))
    assert text(company, "CompanyName") == "Bayside Home Services"
    assert text(company, "Address/City") == "Oakland"
    books.ok(rq("DataExtAdd", f"<OwnerID>{owner}</OwnerID><DataExtName>FileID</DataExtName>"
                              "<OtherDataExtType>Company</OtherDataExtType>"
                              "<DataExtValue>{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}</DataExtValue>"))
    assert books.ret(rq("CompanyQuery")).find("DataExtRet") is None
    mine = books.ret(rq("CompanyQuery", f"<OwnerID>{owner}</OwnerID>"))
    assert text(mine, "DataExtRet/DataExtValue") == "{90A44FB5-33D9-4815-AC85-BC87A7E7D1EB}"


def test_preferences_query_shows_sales_tax_defaults(books):
    """PreferencesRet/SalesTaxPreferences names the default sales tax item and codes."""
    prefs = books.ret(rq("PreferencesQuery"))
    assert text(prefs, "SalesTaxPreferences/DefaultItemSalesTaxRef/FullName") == "Alameda County"
    assert text(prefs, "SalesTaxPreferences/DefaultItemSalesTaxRef/ListID")
    assert text(prefs, "MultiCurrencyPreferences/IsMultiCurrencyOn") == "false"
