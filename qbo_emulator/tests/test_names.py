"""Name lists: Customer, Vendor, Employee, Item, Account, Term, Class, Department,
PaymentMethod and the tax lists, with python-quickbooks objects and plain HTTP."""

import pytest
from conftest import fault_of
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.account import Account
from quickbooks.objects.customer import Customer
from quickbooks.objects.item import Item
from quickbooks.objects.vendor import Vendor

CUSTOMER_DOC = "https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer"


def test_customer_create_read_and_sparse_update_with_python_quickbooks(company, qb):
    """Create answers the object with QuickBooks' defaults; a sparse update changes only what
    it names and increments the SyncToken.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#create-a-customer
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#sparse-update-a-customer
    """
    customer = Customer()
    customer.DisplayName = "King's Groceries"
    customer.GivenName = "James"
    customer.FamilyName = "King"
    customer.CompanyName = "King Groceries"
    saved = customer.save(qb=qb)
    assert saved.Id and saved.SyncToken == "0"
    assert saved.FullyQualifiedName == "King's Groceries"
    assert saved.PrintOnCheckName == "King Groceries"
    assert saved.Balance == 0 and saved.Active is True and saved.Job is False
    assert saved.CurrencyRef.value == "USD"
    assert saved.DefaultTaxCodeRef.value == "2", "a taxable US customer gets the company's default tax code"

    answer = company.post("customer", {"Id": saved.Id, "SyncToken": "0", "sparse": True, "Notes": "Sparse note"})
    assert answer.status_code == 200, answer.text
    updated = answer.json()["Customer"]
    assert updated["SyncToken"] == "1"
    assert updated["Notes"] == "Sparse note"
    assert updated["GivenName"] == "James", "a sparse update keeps the fields it does not name"
    read = Customer.get(saved.Id, qb=qb)
    assert read.Notes == "Sparse note" and read.SyncToken == "1"


def test_full_update_clears_omitted_fields(company):
    """A full update replaces the object: writable fields left out are cleared.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#full-update-a-customer
    """
    created = company.create("Customer", {"DisplayName": "Full Update Co", "Notes": "old", "GivenName": "Ann"})
    answer = company.post("customer", {"Id": created["Id"], "SyncToken": created["SyncToken"],
                                       "DisplayName": "Full Update Co", "GivenName": "Ann"})
    assert answer.status_code == 200
    assert "Notes" not in answer.json()["Customer"]


def test_stale_sync_token_is_fault_5010_with_quickbooks_body(company, qb):
    """Saving an object read before someone else's change fails with 5010.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#5010-stale-object-error
    """
    customer = Customer()
    customer.DisplayName = "Stale Test"
    first = customer.save(qb=qb)
    first.Notes = "one"
    first.save(qb=qb)  # SyncToken 0 -> 1 on the server; python-quickbooks keeps the old one
    first.Notes = "two"
    with pytest.raises(QuickbooksException) as caught:
        first.save(qb=qb)
    assert caught.value.error_code == 5010
    answer = company.post("customer", {"Id": first.Id, "SyncToken": "0", "sparse": True, "Notes": "x"})
    assert answer.status_code == 400
    assert answer.json()["Fault"] == {
        "Error": [{
            "Message": "Stale Object Error",
            "Detail": "Stale Object Error : You and root were working on this at the same time. root finished "
                      "before you did, so your work was not saved.",
            "code": "5010",
            "element": "",
        }],
        "type": "ValidationFault",
    }


def test_display_name_unique_across_customers_vendors_and_employees(company):
    """DisplayName must be unique across Customer, Vendor and Employee (6240; the Detail names
    the Id that holds the name).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#6240-duplicate-name-exists-error
    """
    vendor = company.create("Vendor", {"DisplayName": "Shared Name LLC"})
    answer = company.post("customer", {"DisplayName": "shared name llc"})
    assert answer.status_code == 400
    error = fault_of(answer)
    assert error["code"] == "6240"
    assert error["Message"] == "Duplicate Name Exists Error"
    assert error["Detail"] == f"The name supplied already exists. : Id={vendor['Id']}"
    employee = company.post("employee", {"GivenName": "Shared", "FamilyName": "Name LLC",
                                         "DisplayName": "Shared Name LLC"})
    assert fault_of(employee)["code"] == "6240"


def test_display_name_built_from_name_parts_and_colon_refused(company):
    """Without DisplayName, QuickBooks builds it from Title, GivenName, MiddleName, FamilyName and
    Suffix; DisplayName may not contain a colon.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
    """
    created = company.create("Customer", {"Title": "Dr", "GivenName": "Ada", "FamilyName": "Lovelace"})
    assert created["DisplayName"] == "Dr Ada Lovelace"
    assert fault_of(company.post("customer", {"DisplayName": "Bad:Name"}))["code"] == "6000"
    missing = company.post("customer", {"Notes": "no name at all"})
    assert fault_of(missing)["code"] == "2020"


def test_length_limit_is_fault_2050_with_supplied_length(company):
    """Strings longer than documented are refused with 2050 naming the element.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer (GivenName: max 100)
    """
    answer = company.post("customer", {"DisplayName": "Long Given Name", "GivenName": "x" * 101})
    assert answer.status_code == 400
    assert fault_of(answer) == {
        "Message": "String length is either shorter or longer than supported by specification",
        "Detail": "String length specified does not match the supported length. Min:0 Max:100 supported. "
                  "Supplied length:101",
        "code": "2050",
        "element": "GivenName",
    }


def test_sub_customers_fully_qualified_name_and_five_levels(company):
    """Jobs: Job true and ParentRef; FullyQualifiedName is Parent:Child; at most four levels
    below the top customer.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
    """
    parent = company.create("Customer", {"DisplayName": "Level 0"})
    ids = [parent["Id"]]
    for level in range(1, 5):
        child = company.create("Customer", {"DisplayName": f"Level {level}", "Job": True,
                                            "ParentRef": {"value": ids[-1]}})
        assert child["Level"] == level
        ids.append(child["Id"])
    assert child["FullyQualifiedName"] == "Level 0:Level 1:Level 2:Level 3:Level 4"
    assert child["Job"] is True
    too_deep = company.post("customer", {"DisplayName": "Level 5", "Job": True, "ParentRef": {"value": ids[-1]}})
    assert too_deep.status_code == 400 and fault_of(too_deep)["code"] == "6180"
    renamed = company.post("customer", {"Id": parent["Id"], "SyncToken": parent["SyncToken"], "sparse": True,
                                        "DisplayName": "Top"})
    assert renamed.status_code == 200
    assert company.read("Customer", ids[-1])["FullyQualifiedName"] == "Top:Level 1:Level 2:Level 3:Level 4"


def test_name_lists_cannot_be_deleted_but_can_be_made_inactive(company, qb):
    """Name lists are deactivated, never deleted; an inactive customer is renamed
    "Name (deleted)" (which frees its name) and queries hide it unless they filter on Active.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#delete-a-customer
    """
    created = company.create("Customer", {"DisplayName": "Soon Inactive"})
    delete = company.post("customer", {"Id": created["Id"], "SyncToken": "0"}, operation="delete")
    assert delete.status_code == 400 and fault_of(delete)["code"] == "500"
    answer = company.post("customer", {"Id": created["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    inactive = answer.json()["Customer"]
    assert inactive["Active"] is False and inactive["DisplayName"] == "Soon Inactive (deleted)"
    assert company.rows("select * from Customer where Id = '%s'" % created["Id"]) == []  # noqa: S608 - a QuickBooks query
    assert len(company.rows("select * from Customer where Id = '%s' and Active = false" % created["Id"])) == 1  # noqa: S608 - a QuickBooks query
    assert company.create("Customer", {"DisplayName": "Soon Inactive"})["DisplayName"] == "Soon Inactive"
    assert Customer.get(created["Id"], qb=qb).Active is False, "an inactive customer can still be read by id"


def test_inactive_reference_is_610_and_missing_reference_is_2500(company):
    """A transaction naming an inactive customer gets 610; an id that does not exist, 2500.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#610-object-not-found
    """
    customer = company.create("Customer", {"DisplayName": "Inactive Buyer"})
    company.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Active": False})
    line = [{"Amount": 10, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": {"ItemRef": {"value": "1"}}}]
    inactive = company.post("invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": line})
    assert inactive.status_code == 400
    assert fault_of(inactive) == {
        "Message": "Object Not Found",
        "Detail": "Object Not Found : Something you're trying to use has been made inactive. Check the fields "
                  "with accounts, customers, items, vendors or employees.",
        "code": "610",
        "element": "CustomerRef",
    }
    missing = company.post("invoice", {"CustomerRef": {"value": "999999"}, "Line": line})
    error = fault_of(missing)
    assert error["code"] == "2500" and error["Message"] == "Invalid Reference Id"
    assert error["Detail"] == "Invalid Reference Id : Names element id 999999 not found"


def test_vendor_and_employee(company, qb):
    """Vendor and Employee share the person rules (DisplayName, PrintOnCheckName).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendor
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/employee
    """
    vendor = Vendor()
    vendor.DisplayName = "Stone Supplier"
    vendor.CompanyName = "Stone Supplier Inc"
    saved = vendor.save(qb=qb)
    assert saved.Vendor1099 is False and saved.Balance == 0
    assert saved.PrintOnCheckName == "Stone Supplier Inc"
    employee = company.create("Employee", {"GivenName": "Grace", "FamilyName": "Hopper"})
    assert employee["DisplayName"] == "Grace Hopper"
    assert "CurrencyRef" not in employee


def test_item_types_and_their_accounts(company, qb):
    """Service items need an income account, inventory items an asset account, quantity and
    start date; a category cannot be sold.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#2020-required-param-missing
    """
    item = Item()
    item.Name = "Hedge Design"
    item.Type = "Service"
    item.IncomeAccountRef = Account.get(82, qb=qb).to_ref()
    saved = item.save(qb=qb)
    assert saved.IncomeAccountRef.name == "Design income"
    assert saved.TrackQtyOnHand is False
    assert Item.filter(Name="Hedge Design", qb=qb)[0].Id == saved.Id
    dup = Item()
    dup.Name = "hedge design"
    dup.Type = "Service"
    dup.IncomeAccountRef = Account.get(82, qb=qb).to_ref()
    with pytest.raises(QuickbooksException) as caught:
        dup.save(qb=qb)
    assert caught.value.error_code == 6240
    no_income = company.post("item", {"Name": "No Income", "Type": "Service"})
    assert fault_of(no_income)["code"] == "2020"
    no_asset = company.post("item", {"Name": "Lantern", "Type": "Inventory", "IncomeAccountRef": {"value": "79"},
                                     "ExpenseAccountRef": {"value": "80"}, "QtyOnHand": 5,
                                     "InvStartDate": "2025-01-01"})
    assert fault_of(no_asset) == {
        "Message": "Required param missing, need to supply the required value for the API",
        "Detail": "Required parameter is missing in the request. An inventory assetaccount is required if you are "
                  "tracking inventory quantities for this product.",
        "code": "2020",
        "element": "AssetAccountRef",
    }
    category = company.create("Item", {"Name": "Outdoor", "Type": "Category"})
    lamp = company.create("Item", {"Name": "Lamp", "Type": "NonInventory", "IncomeAccountRef": {"value": "79"},
                                   "ParentRef": {"value": category["Id"]}})
    assert lamp["FullyQualifiedName"] == "Outdoor:Lamp" and lamp["SubItem"] is True
    sold = company.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [{
        "Amount": 5, "DetailType": "SalesItemLineDetail",
        "SalesItemLineDetail": {"ItemRef": {"value": category["Id"]}}}]})
    assert fault_of(sold)["Detail"] == ("Invalid Reference Id : An item in this transaction is set up as a category "
                                        "instead of a product or service.")


def test_duplicate_item_name_is_6240(company):
    """Item names are unique.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
    """
    first = company.create("Item", {"Name": "Mulch", "Type": "Service", "IncomeAccountRef": {"value": "45"}})
    again = company.post("item", {"Name": "MULCH", "Type": "Service", "IncomeAccountRef": {"value": "45"}})
    assert fault_of(again)["code"] == "6240"
    assert fault_of(again)["Detail"] == f"The name supplied already exists. : Id={first['Id']}"


def test_account_classification_and_sub_accounts(company):
    """Classification follows AccountType; sub-accounts carry Parent:Child; names are unique.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
    """
    account = company.create("Account", {"Name": "Petty Cash", "AccountType": "Bank"})
    assert account["Classification"] == "Asset" and account["AccountSubType"] == "CashOnHand"
    assert account["CurrentBalance"] == 0 and account["CurrencyRef"]["value"] == "USD"
    sub = company.create("Account", {"Name": "Drawer", "AccountType": "Bank", "ParentRef": {"value": account["Id"]}})
    assert sub["FullyQualifiedName"] == "Petty Cash:Drawer" and sub["SubAccount"] is True
    dup = company.post("account", {"Name": "Petty Cash", "AccountType": "Bank"})
    assert fault_of(dup)["code"] == "6240"
    quote = company.post("account", {"Name": 'Bad "Name"', "AccountType": "Bank"})
    assert fault_of(quote)["code"] == "6000"
    bad_type = company.post("account", {"Name": "Odd", "AccountType": "Piggy Bank"})
    assert fault_of(bad_type)["code"] == "2170"


def test_term_class_department_payment_method(company):
    """The small lists, with their own defaults and limits (Term and PaymentMethod names: 31).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/term
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/paymentmethod
    """
    term = company.create("Term", {"Name": "Net 45", "DueDays": 45})
    assert term["Type"] == "STANDARD" and term["DueDays"] == 45
    assert fault_of(company.post("term", {"Name": "x" * 32}))["code"] == "2050"
    klass = company.create("Class", {"Name": "Retail"})
    assert klass["FullyQualifiedName"] == "Retail" and klass["SubClass"] is False
    department = company.create("Department", {"Name": "East"})
    assert department["SubDepartment"] is False
    method = company.create("PaymentMethod", {"Name": "Wire"})
    assert method["Type"] == "NON_CREDIT_CARD"


def test_tax_codes_and_rates_are_read_only_tax_agencies_can_be_created(company):
    """TaxCode and TaxRate are read-only through the accounting API; TaxAgency can be created.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/taxcode
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/taxagency
    """
    codes = company.rows("select * from TaxCode")
    assert {c["Name"] for c in codes} >= {"California", "Tucson"}
    rate = company.read("TaxRate", "3")
    assert rate["RateValue"] == 8 and rate["AgencyRef"]["value"] == "1"
    refused = company.post("taxcode", {"Name": "New code"})
    assert refused.status_code == 400 and fault_of(refused)["code"] == "500"
    agency = company.create("TaxAgency", {"DisplayName": "County Tax Office"})
    assert agency["TaxTrackedOnSales"] is True


def test_company_info_and_preferences_updates(company):
    """CompanyInfo and Preferences are updated with their SyncToken; the close-the-books date
    and multicurrency cannot be changed through the API.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
    """
    prefs = company.get("preferences").json()["Preferences"]
    answer = company.post("preferences", {"Id": prefs["Id"], "SyncToken": prefs["SyncToken"], "sparse": True,
                                          "SalesFormsPrefs": {"CustomTxnNumbers": False},
                                          "AccountingInfoPrefs": {"BookCloseDate": "2030-01-01"},
                                          "CurrencyPrefs": {"MultiCurrencyEnabled": True}})
    assert answer.status_code == 200, answer.text
    saved = answer.json()["Preferences"]
    assert saved["SalesFormsPrefs"]["CustomTxnNumbers"] is False
    assert saved["SalesFormsPrefs"]["DefaultTerms"] == {"value": "3"}, "other settings of the section stay"
    assert "BookCloseDate" not in saved["AccountingInfoPrefs"]
    assert saved["CurrencyPrefs"]["MultiCurrencyEnabled"] is False
    info = company.get(f"companyinfo/{company.realm}").json()["CompanyInfo"]
    renamed = company.post("companyinfo", {"Id": "1", "SyncToken": info["SyncToken"], "sparse": True,
                                           "CompanyName": "Renamed Books"})
    assert renamed.json()["CompanyInfo"]["CompanyName"] == "Renamed Books"
    assert renamed.json()["CompanyInfo"]["Country"] == "US"
