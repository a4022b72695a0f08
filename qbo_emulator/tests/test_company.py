"""The company itself: CompanyInfo and Preferences, read with python-quickbooks objects and
with plain HTTP."""

import warnings

from conftest import fault_of
from quickbooks import QuickBooks
from quickbooks.objects.company_info import CompanyInfo
from quickbooks.objects.preferences import Preferences


class _Session:
    """python-quickbooks' session needs only ``access_token`` and ``request``."""

    def __init__(self, token):
        import requests  # noqa: PLC0415

        self.access_token = token
        self._http = requests.Session()

    def request(self, *args, **kwargs):
        return self._http.request(*args, **kwargs)


def library_client(emulator, realm, token):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = QuickBooks(company_id=realm, minorversion=75)
    client.api_url_v3 = f"{emulator.url}/v3"  # the documented URL attribute, not a patch
    client.session = _Session(token)
    return client


def test_companyinfo_read_with_python_quickbooks(emulator, realm):
    """GET /v3/company/<realmId>/companyinfo/<realmId>
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companyinfo#read-companyinfo
    """
    token = emulator.tokens(realm)["access_token"]
    info = CompanyInfo.get(realm, qb=library_client(emulator, realm, token))
    assert info.CompanyName.startswith("Fidelity Books")
    assert info.Country == "US"
    assert info.CompanyAddr.Country == "USA", "company address country is ISO alpha-3 since 2025-10-31"
    assert info.Id == "1"


def test_companyinfo_by_query(emulator, realm):
    """select * from CompanyInfo, as GET ?query= and as a POST body (application/text).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companyinfo#query-companyinfo
    """
    token = emulator.tokens(realm)["access_token"]
    by_get = emulator.api("GET", realm, "query", token=token, params={"query": "select * from CompanyInfo"})
    assert by_get.status_code == 200
    body = by_get.json()
    assert body["QueryResponse"]["CompanyInfo"][0]["CompanyName"].startswith("Fidelity Books")
    assert body["QueryResponse"]["startPosition"] == 1
    assert "time" in body
    by_post = emulator.api("POST", realm, "query", token=token, data="SELECT * FROM CompanyInfo",
                           headers={"Content-Type": "application/text"})
    assert by_post.json()["QueryResponse"]["CompanyInfo"] == body["QueryResponse"]["CompanyInfo"]


def test_preferences_carry_the_home_currency(emulator, realm):
    """Preferences.CurrencyPrefs.HomeCurrency names the company's currency.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences
    """
    token = emulator.tokens(realm)["access_token"]
    prefs = Preferences.get(qb=library_client(emulator, realm, token))
    assert prefs.CurrencyPrefs.HomeCurrency.value == "USD"


def test_companyinfo_unauthenticated_is_401_for_the_library(emulator, realm):
    """An unknown token is 401; python-quickbooks raises AuthorizationException.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    import pytest  # noqa: PLC0415
    from quickbooks.exceptions import AuthorizationException  # noqa: PLC0415

    with pytest.raises(AuthorizationException) as caught:
        CompanyInfo.get(realm, qb=library_client(emulator, realm, "x" * 40))
    assert caught.value.error_code == 401


def test_seed_data_like_an_intuit_sandbox(company):
    """A sandbox company comes with estimates, sales receipts, time activities, customer
    types, a budget and email message preferences, as Intuit's sample company does; customer
    types and budgets are read-only through the API.
    https://developer.intuit.com/app/developer/qbo/docs/develop/sandboxes/manage-your-sandboxes
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customertype
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/budget
    """
    estimates = company.rows("select * from Estimate")
    assert {e["TxnStatus"] for e in estimates} == {"Pending", "Accepted"}
    assert all(e["TotalAmt"] > 0 for e in estimates)
    receipts = company.rows("select * from SalesReceipt")
    assert len(receipts) == 2 and all(r["Balance"] == 0 and r["DepositToAccountRef"]["value"] == "4" for r in receipts)
    times = company.rows("select * from TimeActivity")
    assert {t["BillableStatus"] for t in times} == {"Billable", "NotBillable"}
    assert [t["Name"] for t in company.rows("select * from CustomerType orderby Name")] == ["Commercial", "Residential"]
    budget = company.rows("select * from Budget")[0]
    assert budget["BudgetType"] == "ProfitAndLoss" and len(budget["BudgetDetail"]) == 9
    assert company.read("Budget", budget["Id"])["Name"] == "Budget FY2026"
    assert company.post("customertype", {"Name": "Wholesale"}).status_code == 400
    assert company.post("budget", {"Name": "Another"}).status_code == 400
    prefs = company.get("preferences").json()["Preferences"]
    assert prefs["EmailMessagesPrefs"]["InvoiceMessage"]["Subject"]


def test_recurring_transactions_read_query_and_delete(company, qb):
    """RecurringTransaction wraps its template (Invoice...) with RecurringInfo; it can be
    read, queried and deleted (python-quickbooks sends the whole object to delete).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/recurringtransaction
    """
    answer = company.get("recurringtransaction/1")
    assert answer.status_code == 200, answer.text
    template = answer.json()["RecurringTransaction"]["Invoice"]
    assert template["Id"] == "1" and template["RecurringInfo"]["RecurType"] == "Automated"
    assert template["RecurringInfo"]["ScheduleInfo"]["IntervalType"] == "Monthly"
    rows = company.rows("select * from RecurringTransaction")
    assert [r["Invoice"]["Id"] for r in rows] == ["1"]
    from quickbooks.objects.recurringtransaction import RecurringTransaction  # noqa: PLC0415

    found = RecurringTransaction.all(qb=qb)
    assert len(found) == 1
    stale = company.post("recurringtransaction", {"Invoice": {"Id": "1", "SyncToken": "7"}}, operation="delete")
    assert stale.status_code == 400 and fault_of(stale)["code"] == "5010"
    deleted = company.post("recurringtransaction", answer.json()["RecurringTransaction"], operation="delete")
    assert deleted.status_code == 200 and deleted.json()["RecurringTransaction"]["status"] == "Deleted"
    assert company.get("recurringtransaction/1").status_code == 400
    assert company.post("recurringtransaction", {"Invoice": {"CustomerRef": {"value": "1"}}}).status_code == 400
