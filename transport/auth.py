"""intuit-oauth clients for a connection's environment.

Sandbox and Production use Intuit's discovery documents; a custom URL (the bundled emulator,
or any server that speaks the same protocol) provides its own discovery document and API at
``<url>/.well-known/openid_sandbox_configuration`` and ``<url>/v3``.
"""

from intuitlib.client import AuthClient
from intuitlib.enums import Scopes

SCOPES = [Scopes.ACCOUNTING]

API_BASE = {
    "sandbox": "https://sandbox-quickbooks.api.intuit.com/v3",
    "production": "https://quickbooks.api.intuit.com/v3",
}
APP_URL = {
    "sandbox": "https://sandbox.qbo.intuit.com/app",
    "production": "https://qbo.intuit.com/app",
}
DEFAULT_TIMEOUT = 60


def _custom_base(custom_url):
    return (custom_url or "").strip().rstrip("/")


def discovery_environment(environment, custom_url=None):
    """What intuit-oauth takes as ``environment``: a name, or a discovery document URL."""
    if environment == "custom":
        return f"{_custom_base(custom_url)}/.well-known/openid_sandbox_configuration"
    return environment


def api_base(environment, custom_url=None):
    if environment == "custom":
        return f"{_custom_base(custom_url)}/v3"
    return API_BASE[environment]


def app_base(environment, custom_url=None):
    """Where a person opens QuickBooks objects in a browser."""
    if environment == "custom":
        return f"{_custom_base(custom_url)}/app"
    return APP_URL[environment]


class TimeoutAuthClient(AuthClient):
    """intuit-oauth without timeouts would hang a worker on a dead network; every request
    it makes (discovery, token, revoke) goes through ``request``, so the default goes here."""

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", DEFAULT_TIMEOUT)
        return super().request(method, url, *args, **kwargs)


def make_auth_client(environment, custom_url, client_id, client_secret, redirect_uri, **tokens):
    client = TimeoutAuthClient(
        client_id,
        client_secret,
        redirect_uri,
        discovery_environment(environment, custom_url),
        **tokens,
    )
    # Ask Intuit for the five-year hard expiry of the refresh token as well (opt-in header;
    # intuit-oauth 1.2.6 has no parameter for it, but it is a requests.Session).
    client.headers["x-include-refresh-token-hard-expires-in"] = "true"
    return client
