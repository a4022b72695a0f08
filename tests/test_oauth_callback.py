"""The OAuth 2.0 round trip through the real callback controller, over real HTTP."""

from odoo.tests import HttpCase, new_test_user, tagged

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
