"""The company itself: CompanyInfo and Preferences, read with python-quickbooks objects and
with plain HTTP."""

import warnings

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
