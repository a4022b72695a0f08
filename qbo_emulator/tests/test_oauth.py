"""OAuth 2.0 as Intuit serves it, driven with intuit-oauth (unmodified) and plain HTTP."""

import base64
import subprocess
import sys
import time

import pytest
import requests
from conftest import query_of
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError

REDIRECT = "https://odoo.example.com/quickbooks/oauth/callback"


def auth_client(emulator, client_id, secret, redirect=REDIRECT):
    return AuthClient(client_id, secret, redirect, f"{emulator.url}/.well-known/openid_sandbox_configuration/")


def connect(emulator, realm, scopes=(Scopes.ACCOUNTING,)):
    client_id, secret = emulator.new_app()
    client = auth_client(emulator, client_id, secret)
    location, page = emulator.consent(client.get_authorization_url(list(scopes)), realm)
    params = query_of(location)
    client.get_bearer_token(params["code"], realm_id=params["realmId"])
    return client, params, page


def test_discovery_document_drives_intuitlib(emulator):
    """intuitlib reads six endpoints from the discovery document.
    https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/openid-connect#discovery-document
    """
    client_id, secret = emulator.new_app()
    client = auth_client(emulator, client_id, secret)
    assert client.auth_endpoint == f"{emulator.url}/connect/oauth2"
    assert client.token_endpoint == f"{emulator.url}/oauth2/v1/tokens/bearer"
    assert client.revoke_endpoint == f"{emulator.url}/v2/oauth2/tokens/revoke"
    assert client.user_info_url == f"{emulator.url}/v1/openid_connect/userinfo"
    production = requests.get(f"{emulator.url}/.well-known/openid_configuration", timeout=10).json()
    assert production["token_endpoint"] == client.token_endpoint


def test_consent_lists_the_company_and_redirects_with_code_state_realm(emulator, realm):
    """The redirect carries code, state and realmId (accounting scope).
    https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#step-5-exchange-the-authorization-code-for-access-tokens
    """
    client, params, page = connect(emulator, realm)
    assert "Fidelity Books" in page and realm in page
    assert params["state"] == client.state_token
    assert params["realmId"] == realm
    assert params["code"].startswith("AB")
    assert client.expires_in == 3600
    assert client.x_refresh_token_expires_in == 8726400
    assert client.refresh_token.startswith("RT1-")


def test_cancel_on_the_consent_page_returns_access_denied(emulator, realm):
    """RFC 6749 §4.1.2.1: a refused request comes back with error=access_denied and the state."""
    client_id, secret = emulator.new_app()
    client = auth_client(emulator, client_id, secret)
    location, _page = emulator.consent(client.get_authorization_url([Scopes.ACCOUNTING]), realm, decision="deny")
    assert query_of(location) == {"error": "access_denied", "state": client.state_token}


def test_unknown_client_and_unregistered_redirect_get_an_error_page(emulator):
    """Intuit shows an error page (no redirect) for an unknown client or a redirect URI that
    is not registered on the app's Keys tab."""
    answer = requests.get(f"{emulator.url}/connect/oauth2", params={
        "client_id": "nobody", "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting", "state": "s"}, timeout=10, allow_redirects=False)
    assert answer.status_code == 400 and "Invalid client" in answer.text
    client_id, _secret = emulator.new_app(redirect_uris=["https://registered.example.com/cb"])
    answer = requests.get(f"{emulator.url}/connect/oauth2", params={
        "client_id": client_id, "redirect_uri": REDIRECT, "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting", "state": "s"}, timeout=10, allow_redirects=False)
    assert answer.status_code == 400 and "redirect_uri" in answer.text


def test_authorization_code_is_single_use(emulator, realm):
    """Reusing an authorization code is refused and invalidates what it produced (RFC 6749
    §4.1.2; intuit/oauth-jsclient#173)."""
    client, params, _page = connect(emulator, realm)
    with pytest.raises(AuthClientError) as caught:
        client.get_bearer_token(params["code"], realm_id=realm)
    assert caught.value.status_code == 400 and b"invalid_grant" in caught.value.content
    answer = emulator.api("GET", realm, f"companyinfo/{realm}", token=client.access_token)
    assert answer.status_code == 401


def test_wrong_client_secret_is_invalid_client(emulator, realm):
    """Token endpoint with bad client credentials: HTTP 401 invalid_client."""
    client, _params, _page = connect(emulator, realm)
    bad = auth_client(emulator, client.client_id, "wrong")
    with pytest.raises(AuthClientError) as caught:
        bad.refresh(refresh_token=client.refresh_token)
    assert caught.value.status_code == 401
    assert b"invalid_client" in caught.value.content


@pytest.fixture
def rotation(emulator):
    """Set the refresh-token rotation (mode, window); put Intuit's default back afterwards."""
    yield lambda **settings: emulator.control("POST", "oauth", refresh_token_rotation=settings)
    emulator.control("POST", "oauth", refresh_token_rotation={"mode": "window", "window": 86400})


def test_refresh_rotates_and_a_superseded_token_is_rejected(emulator, realm, rotation):
    """Strict mode (``--refresh-token-rotation always``): a new value on every refresh, and
    "always store the latest refresh token": the previous one answers invalid_grant.
    https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/faq
    """
    rotation(mode="always")
    client, _params, _page = connect(emulator, realm)
    first_refresh, first_access = client.refresh_token, client.access_token
    client.refresh()
    assert client.refresh_token != first_refresh
    assert client.access_token != first_access
    with pytest.raises(AuthClientError) as caught:
        client.refresh(refresh_token=first_refresh)
    assert caught.value.status_code == 400
    assert b"invalid_grant" in caught.value.content
    assert emulator.counters(realm)["oauth.token.refresh_rejected"] == 1


def test_refresh_token_kept_for_the_window_then_rotated(emulator, realm, clock):
    """Intuit's rotation: "the refresh token value changes every 24 hours" -- each refresh
    inside that window answers the same value with a fresh 100-day expiry
    (x_refresh_token_expires_in 8726400); after it a new value is issued, and once handed out
    the superseded value answers invalid_grant ("always store the latest refresh token").
    https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/faq
    https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#refresh-the-token
    """
    assert emulator.control("GET", "oauth")["refresh_token_rotation"] == {"mode": "window", "window": 86400}
    client, _params, _page = connect(emulator, realm)
    original = client.refresh_token
    accesses = {client.access_token}
    for _index in range(10):
        clock(3 * 3600 // 2 + 60)  # ten refreshes, 91 minutes apart: 15 h 10 min in all
        client.refresh(refresh_token=original)
        assert client.refresh_token == original
        assert client.x_refresh_token_expires_in == 8726400, "each refresh rolls the 100-day expiry"
        assert client.access_token not in accesses
        accesses.add(client.access_token)
        answer = emulator.api("GET", realm, f"companyinfo/{realm}", token=client.access_token)
        assert answer.status_code == 200
    counters = emulator.counters(realm)
    assert counters["oauth.token.refresh_token_kept"] == 10
    clock(9 * 3600)  # the window (24 h since the value was issued) has passed
    client.refresh(refresh_token=original)
    renewed = client.refresh_token
    assert renewed != original and renewed.startswith("RT1-")
    with pytest.raises(AuthClientError) as caught:
        client.refresh(refresh_token=original)
    assert caught.value.status_code == 400 and b"invalid_grant" in caught.value.content
    # The new value starts a window of its own.
    client.refresh(refresh_token=renewed)
    assert client.refresh_token == renewed


def test_refresh_window_is_compressible(emulator, realm, rotation, clock):
    """The window is configurable (``--refresh-token-window`` / the control API), so a test
    can let "24 hours" pass in seconds; an invalid setting is refused."""
    assert rotation(window=60)["refresh_token_rotation"] == {"mode": "window", "window": 60}
    client, _params, _page = connect(emulator, realm)
    original = client.refresh_token
    client.refresh()
    assert client.refresh_token == original
    clock(61)
    client.refresh()
    assert client.refresh_token != original
    with pytest.raises(AuthClientError):
        client.refresh(refresh_token=original)
    bad = requests.post(f"{emulator.url}/_emulator/oauth", json={"refresh_token_rotation": {"mode": "daily"}},
                        timeout=10)
    assert bad.status_code == 400 and "mode" in bad.json()["error"]


def test_hard_expiry_only_when_asked_for(emulator, realm):
    """x_refresh_token_hard_expires_in is opt-in, with the header
    x-include-refresh-token-hard-expires-in: true (intuit/oauth-jsclient HardExpiresTest.js)."""
    client, _params, _page = connect(emulator, realm)
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    plain = requests.post(f"{emulator.url}/oauth2/v1/tokens/bearer", timeout=10,
                          headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
                          data={"grant_type": "refresh_token", "refresh_token": client.refresh_token}).json()
    assert "x_refresh_token_hard_expires_in" not in plain
    assert plain["token_type"] == "bearer"
    asked = requests.post(f"{emulator.url}/oauth2/v1/tokens/bearer", timeout=10,
                          headers={"Authorization": f"Basic {basic}", "Accept": "application/json",
                                   "x-include-refresh-token-hard-expires-in": "true"},
                          data={"grant_type": "refresh_token", "refresh_token": plain["refresh_token"]}).json()
    assert 4 * 365 * 86400 < asked["x_refresh_token_hard_expires_in"] <= 5 * 365 * 86400


def test_access_token_expires_after_an_hour(emulator, realm, clock):
    """Access tokens live 3600 s; then 401 with the gateway's lower-case fault body, code 3200.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors
    """
    token = emulator.tokens(realm)["access_token"]
    assert emulator.api("GET", realm, f"companyinfo/{realm}", token=token).status_code == 200
    clock(3601)
    answer = emulator.api("GET", realm, f"companyinfo/{realm}", token=token)
    assert answer.status_code == 401
    error = answer.json()["fault"]["error"][0]
    assert error["code"] == "3200"
    assert error["message"] == "message=AuthenticationFailed; errorCode=003200; statusCode=401"
    assert error["detail"].startswith("Token expired")
    assert answer.json()["fault"]["type"] == "AUTHENTICATION"


def test_missing_token_is_401(emulator, realm):
    """No Authorization header: 401, code 3200.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    answer = emulator.api("GET", realm, f"companyinfo/{realm}")
    assert answer.status_code == 401
    assert answer.json()["fault"]["error"][0]["code"] == "3200"
    assert answer.headers["intuit_tid"]


def test_token_of_another_company_is_403_3100(emulator, realm):
    """403 ApplicationAuthorizationFailed (code 3100) when the token cannot reach the realm."""
    other = emulator.new_realm()
    token = emulator.tokens(realm)["access_token"]
    answer = emulator.api("GET", other, f"companyinfo/{other}", token=token)
    assert answer.status_code == 403
    error = answer.json()["fault"]["error"][0]
    assert error["code"] == "3100"
    assert "ApplicationAuthorizationFailed" in error["message"]


def test_development_keys_cannot_reach_a_production_company(emulator, realm):
    """Development keys reach sandbox companies only (403, code 3100).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
    """
    token = emulator.tokens(realm)["access_token"]
    emulator.control("POST", f"realms/{realm}", environment="production")
    answer = emulator.api("GET", realm, f"companyinfo/{realm}", token=token)
    assert answer.status_code == 403
    assert answer.json()["fault"]["error"][0]["code"] == "3100"


def test_revoke_disconnects_the_company(emulator, realm):
    """Revoking the refresh token disconnects the app: the access token and the refresh
    token both stop working.
    https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0#revoke-token-disconnect
    """
    client, _params, _page = connect(emulator, realm)
    access = client.access_token
    assert client.revoke() is True
    assert emulator.api("GET", realm, f"companyinfo/{realm}", token=access).status_code == 401
    with pytest.raises(AuthClientError):
        client.refresh()
    assert emulator.counters(realm)["oauth.revoke"] == 1


def test_userinfo_needs_the_openid_scope(emulator, realm):
    """https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/openid-connect#obtaining-user-profile-information"""
    client, _params, _page = connect(emulator, realm, scopes=(Scopes.ACCOUNTING, Scopes.OPENID, Scopes.EMAIL))
    info = client.get_user_info().json()
    assert info["email"] and info["emailVerified"] is True and info["sub"]
    plain, _params, _page = connect(emulator, realm)
    with pytest.raises(AuthClientError) as caught:
        plain.get_user_info()
    assert caught.value.status_code == 403


def test_cli_serves_a_realm_with_a_static_token_and_keeps_state(tmp_path):
    """``python -m qbo_emulator --port P --realm R --token T``; state survives a restart."""
    db = tmp_path / "state.sqlite3"
    token = "static-token-for-scripts-0123456789"

    def start():
        process = subprocess.Popen(
            [sys.executable, "-m", "qbo_emulator", "--port", "0", "--db", str(db), "--realm", "4620816365",
             "--token", token], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = process.stdout.readline()
        return process, line.strip().rsplit(":", 1)[1]

    for _run in range(2):
        process, port = start()
        try:
            answer = requests.get(f"http://127.0.0.1:{port}/v3/company/4620816365/companyinfo/4620816365",
                                  headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                                  timeout=10)
            assert answer.status_code == 200
            assert answer.json()["CompanyInfo"]["CompanyName"] == "Sandbox Company_US_1"
            assert requests.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=10).status_code == 404, \
                "the control API is off unless --control"
        finally:
            process.terminate()
            process.wait(10)
        time.sleep(0.1)


def test_cli_refuses_a_token_its_api_would_refuse(tmp_path):
    """``--token`` shorter than 20 characters would start, then answer 401 "Malformed bearer
    token" to every call made with it: refused at start-up instead, with the reason."""
    db = tmp_path / "state.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "qbo_emulator", "--port", "0", "--db", str(db), "--realm", "4620816365",
         "--token", "mytoken"], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "--token must be 20 to 4096 characters" in result.stderr
    assert "7 given" in result.stderr
    assert "listening" not in result.stdout
    assert not db.exists(), "nothing was started or created"


def test_app_disconnected_inside_quickbooks_is_403_3100(emulator, realm):
    """When the company disconnects the app (QuickBooks > Settings > Apps), calls with a
    still-unexpired access token answer 403 ApplicationAuthorizationFailed (code 3100) and the
    refresh token answers invalid_grant; a token the app revoked itself is simply unknown (401).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes#id1
    """
    client, _params, _page = connect(emulator, realm)
    emulator.control("POST", "connections/revoke", realm_id=realm)
    answer = emulator.api("GET", realm, f"companyinfo/{realm}", token=client.access_token)
    assert answer.status_code == 403
    error = answer.json()["fault"]["error"][0]
    assert error["code"] == "3100"
    assert "ApplicationAuthorizationFailed" in error["message"]
    with pytest.raises(AuthClientError) as caught:
        client.refresh()
    assert b"invalid_grant" in caught.value.content
