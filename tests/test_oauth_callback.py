"""The OAuth 2.0 round trip through the real callback controller, over real HTTP."""

import logging

import requests

from odoo.tests import HttpCase, new_test_user, tagged

from ..transport import crypto
from .common import QuickBooksSetupMixin, query_params


@tagged("post_install", "-at_install")
class TestOAuthCallback(QuickBooksSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()

    def setUp(self):
        super().setUp()
        # Intuit sends the browser back to the redirect URI built from web.base.url.
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.authenticate("admin", "admin")

    def _start(self, user=None):
        if user:
            return self.connection.with_user(user).action_connect()["url"]
        # The admin's way in: the Connect button of the settings block.
        settings = self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")).create({})
        return settings.action_quickbooks_connect()["url"]

    def test_round_trip_connects_the_company(self):
        url = self._start()
        params = query_params(url)
        self.assertEqual(params["redirect_uri"], f"{self.base_url()}/quickbooks/oauth/callback")
        self.assertEqual(params["scope"], "com.intuit.quickbooks.accounting")
        callback, consent_page = self.emulator.approve_consent(url, self.realm_id)
        self.assertIn(self.qbo_company_name, consent_page, "the consent page lists the company")
        self.assertTrue(callback.startswith(f"{self.base_url()}/quickbooks/oauth/callback?"))

        response = self.url_open(callback, allow_redirects=False)

        self.assertEqual(response.status_code, 303, response.text[:500])
        self.assertIn("/odoo/action-quickbooks_sync.action_quickbooks_settings", response.headers["Location"])
        connection = self.connection.sudo()
        connection.invalidate_recordset()
        self.assertEqual(connection.state, "connected")
        self.assertEqual(connection.realm_id, self.realm_id)
        self.assertEqual(connection.qbo_company_name, self.qbo_company_name)
        self.assertEqual(connection.status_message, f"Connected to {self.qbo_company_name}")
        self.assertEqual(connection.qbo_home_currency, "USD")
        self.assertTrue(connection.connected_since)
        self.assertGreaterEqual(connection.refresh_token_days_left, 99)
        credential = self.credential()
        self.assertTrue(credential.access_token_encrypted.startswith("gAAAA"), "tokens are stored encrypted")
        self.assertNotIn("eyJ", credential.access_token_encrypted)
        self.assertEqual(self.counted("oauth.token.authorization_code"), 1)

    def test_replayed_state_is_refused(self):
        callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
        self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 303)
        stored = self.credential().access_token_encrypted

        replay = self.url_open(callback, allow_redirects=False)

        self.assertEqual(replay.status_code, 400)
        self.assertIn("already used", replay.text)
        self.credential().invalidate_recordset()
        self.assertEqual(self.credential().access_token_encrypted, stored, "the replay stored nothing")
        self.assertEqual(self.counted("oauth.token.authorization_code"), 1,
                         "the replayed code was never sent to Intuit")

    def test_forged_state_is_refused_and_stores_nothing(self):
        callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
        params = query_params(callback)
        nonce, _dot, signature = params["state"].partition(".")
        forged = callback.replace(params["state"], f"{nonce}.{'0' * len(signature)}")

        response = self.url_open(forged, allow_redirects=False)

        self.assertEqual(response.status_code, 400)
        self.assertIn("does not match any request from Odoo", response.text)
        self.assertFalse(self.credential().access_token_encrypted)
        self.assertEqual(self.connection.sudo().state, "disconnected")
        self.assertFalse(self.counted("oauth.token.authorization_code"))

    def test_state_of_another_user_is_refused(self):
        other = new_test_user(self.env, login="qb_other_manager", password="qb_other_manager",
                              groups="base.group_user,quickbooks_sync.group_quickbooks_manager")
        callback, _page = self.emulator.approve_consent(self._start(user=other), self.realm_id)

        response = self.url_open(callback, allow_redirects=False)  # the admin's session

        self.assertEqual(response.status_code, 400)
        self.assertIn("started by another user", response.text)
        self.assertFalse(self.credential().access_token_encrypted)

    def test_denied_consent_changes_nothing(self):
        callback, _page = self.emulator.approve_consent(self._start(), self.realm_id, decision="deny")
        self.assertEqual(query_params(callback)["error"], "access_denied")

        response = self.url_open(callback, allow_redirects=False)

        self.assertEqual(response.status_code, 400)
        self.assertIn("did not authorize Odoo (access_denied)", response.text)
        self.assertFalse(self.credential().access_token_encrypted)
        self.assertFalse(self.connection.sudo().realm_id)

    # -- issue 8: a callback is a URL anyone can change, and logs keep URLs -------------------------

    def _connected(self):
        """Connected through the real round trip; returns what is stored."""
        callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
        self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 303)
        return self._stored()

    def _stored(self):
        self.env.invalidate_all()
        connection = self.connection.sudo()
        return {
            "connection": connection.read(["realm_id", "previous_realm_id", "qbo_company_name", "connected_by_id",
                                           "connected_since"])[0],
            "credential": self.credential().read(["realm_id", "access_token_encrypted", "refresh_token_encrypted",
                                                  "refresh_error"])[0],
        }

    def _works(self, stored):
        """The stored authorization still opens the company (its access token, as stored)."""
        token = crypto.decrypt(stored["credential"]["access_token_encrypted"])
        realm = stored["connection"]["realm_id"]
        answer = requests.get(f"{self.emulator.url}/v3/company/{realm}/companyinfo/{realm}", timeout=30,
                              headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
        return answer.status_code == 200

    def test_tampered_realm_stores_nothing(self):
        """Consent given for one QuickBooks company, ``realmId`` changed on the way back: the
        new tokens do not open the company named, so nothing is stored, the previous
        connection is intact, and the tokens Intuit issued are withdrawn."""
        stored = self._connected()
        other_realm = self.emulator.new_realm(company_name="Someone else's books")
        revoked_before = self.counted("oauth.revoke")
        callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
        tampered = callback.replace(f"realmId={self.realm_id}", f"realmId={other_realm}")
        self.assertNotEqual(tampered, callback)

        response = self.url_open(tampered, allow_redirects=False)

        self.assertEqual(response.status_code, 400, response.text[:300])
        self.assertIn(f"did not confirm that this authorization is for company {other_realm}", response.text)
        self.assertIn("Nothing was changed", response.text)
        self.assertEqual(self._stored(), stored)
        self.assertTrue(self._works(stored), "the previous connection still works")
        self.assertEqual(self.counted("oauth.token.authorization_code"), 2, "the code was exchanged once")
        self.assertEqual(self.counted("oauth.revoke"), revoked_before + 1, "the unused tokens were revoked")

    def test_realm_that_is_not_a_company_id_is_refused_before_the_code_is_used(self):
        stored = self._connected()
        for bogus in ("../../../v3/company/1", "9130 OR 1=1", "-1"):
            callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
            params = query_params(callback)
            forged = callback.replace(f"realmId={params['realmId']}",
                                      "realmId=" + requests.utils.quote(bogus, safe=""))
            response = self.url_open(forged, allow_redirects=False)
            self.assertEqual(response.status_code, 400, bogus)
            self.assertIn("does not carry a valid company ID", response.text)
            self.assertEqual(self._stored(), stored, bogus)
        self.assertEqual(self.counted("oauth.token.authorization_code"), 1, "no code but the first was exchanged")

    def test_callback_url_from_a_log_cannot_be_replayed(self):
        """Someone who reads a callback URL in a log (another Odoo user, here) replays it:
        refused, nothing changes, and Intuit never sees the code again (the state is single
        use and bound to the user who started; the code is single use at Intuit and worth
        nothing without the client secret)."""
        callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
        self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 303)
        stored = self._stored()
        new_test_user(self.env, login="qb_log_reader", password="qb_log_reader",
                      groups="base.group_user,quickbooks_sync.group_quickbooks_manager")

        for login in ("qb_log_reader", "admin"):
            self.authenticate(login, login)
            replay = self.url_open(callback, allow_redirects=False)
            self.assertEqual(replay.status_code, 400, login)
            self.assertEqual(self._stored(), stored, login)
        self.authenticate(None, None)
        anonymous = self.url_open(callback, allow_redirects=False)
        self.assertIn("/web/login", anonymous.headers.get("Location", ""), "anonymous visitors are sent to log in")
        self.assertEqual(self._stored(), stored)
        self.assertEqual(self.counted("oauth.token.authorization_code"), 1, "the code reached Intuit once")
        self.assertTrue(self._works(stored))

    def test_odoo_log_keeps_no_code_or_state(self):
        lines = []

        class Capture(logging.Handler):
            def emit(self, record):
                lines.append(record.getMessage())

        werkzeug = logging.getLogger("werkzeug")
        handler = Capture(level=logging.DEBUG)
        previous = werkzeug.level
        werkzeug.addHandler(handler)
        werkzeug.setLevel(logging.INFO)
        try:
            callback, _page = self.emulator.approve_consent(self._start(), self.realm_id)
            self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 303)
        finally:
            werkzeug.removeHandler(handler)
            werkzeug.setLevel(previous)
        params = query_params(callback)
        logged = [line for line in lines if "/quickbooks/oauth/callback" in line]
        self.assertTrue(logged, f"the request was logged: {lines}")
        for line in logged:
            self.assertNotIn(params["code"], line)
            self.assertNotIn(params["state"].partition(".")[0], line)
            self.assertIn("code=[redacted]", line)
