"""Connecting, testing and disconnecting a company, against the emulator over HTTP."""

import requests

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QuickBooksCase, encryption_key


@tagged("post_install", "-at_install")
class TestConnection(QuickBooksCase):
    def _test_message(self):
        action = self.connection.action_test_connection()
        return action["params"]["type"], action["params"]["message"]

    def _expire_access_token(self):
        self.credential().write({"access_token_expires_at": "2000-01-01 00:00:00"})
        self.env.flush_all()

    def test_settings_show_what_is_missing_before_connecting(self):
        connection = self.env.company._quickbooks_connection()
        connection.sudo().write({"client_id": False, "client_secret_encrypted": False})
        self.assertEqual(connection.state, "not_configured")
        self.assertIn("client ID", connection.missing_configuration)
        self.assertIn("client secret", connection.missing_configuration)
        with self.assertRaisesRegex(UserError, "client ID, client secret is missing"):
            connection.action_connect()

    def test_connect_without_encryption_key_says_so(self):
        with encryption_key(""), self.assertRaises(UserError) as caught:
            self.connection.action_connect()
        self.assertIn("no key is configured", str(caught.exception))
        self.assertIn("quickbooks_encryption_key", str(caught.exception))
        pending = self.env["quickbooks.oauth.state"].sudo().search([("connection_id", "=", self.connection.id)])
        self.assertFalse(pending, "no authorization was started")

    def test_test_connection_success(self):
        self.connect()
        kind, message = self._test_message()
        self.assertEqual(kind, "success")
        self.assertIn(f"Connected to {self.qbo_company_name} (company ID {self.realm_id})", message)

    def test_test_connection_bad_credentials(self):
        self.connect()
        # The secret was rotated at Intuit: Odoo's is no longer the app's.  (Changing it in
        # Odoo would forget the tokens: see test_security.)
        self.emulator.register_app_secret(self.client_id, "rotated-at-intuit")
        self.addCleanup(self.emulator.register_app_secret, self.client_id, self.client_secret)
        # The next call must renew the token, which is when Intuit checks the keys.
        self._expire_access_token()
        kind, message = self._test_message()
        self.assertEqual(kind, "danger")
        self.assertIn("rejected the app's client ID or client secret (invalid_client)", message)
        self.assertEqual(self.state_of(), "connected", "bad keys are fixable: the authorization is kept")

    def test_test_connection_revoked_access(self):
        self.connect()
        # The user disconnects the app inside QuickBooks (Settings > Apps).
        self.emulator.control("POST", "connections/revoke", realm_id=self.realm_id)
        kind, message = self._test_message()
        self.assertEqual(kind, "danger")
        self.assertIn("no longer accepts this connection's authorization (invalid_grant)", message)
        self.assertIn("Connect to QuickBooks", message)
        self.assertEqual(self.state_of(), "reconnect")

    def test_test_connection_network_failure(self):
        self.connect()
        # The connection is closed before QuickBooks answers.  (Pointing the connection at
        # another URL would forget the tokens: see test_security.)
        self.emulator.control("POST", "faults", realm_id=self.realm_id, fault="drop", count=1)
        kind, message = self._test_message()
        self.assertEqual(kind, "danger")
        self.assertIn("Could not reach QuickBooks (ConnectionError)", message)

    def test_test_connection_wrong_environment(self):
        self.connect()
        # Development keys reach sandbox companies only; this company is now a real one.
        self.emulator.control("POST", f"realms/{self.realm_id}", environment="production")
        self.addCleanup(self.emulator.control, "POST", f"realms/{self.realm_id}", environment="sandbox")
        kind, message = self._test_message()
        self.assertEqual(kind, "danger")
        self.assertIn("refused this app access to company", message)
        self.assertIn("code 3100", message)
        self.assertIn("the environment does not match", message)

    def test_disconnect_revokes_and_keeps_ids(self):
        self.connect()
        access_token = self.connection._tokens().access_token()[0]

        wizard = self.env["quickbooks.disconnect.wizard"].create({"connection_id": self.connection.id})
        result = wizard.action_disconnect()

        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.counted("oauth.revoke"), 1)
        self.assertEqual(self.state_of(), "disconnected")
        self.assertEqual(self.connection.realm_id, self.realm_id, "the QuickBooks company id is kept")
        self.assertFalse(self.credential().refresh_token_encrypted)
        answer = requests.get(f"{self.emulator.url}/v3/company/{self.realm_id}/companyinfo/{self.realm_id}",
                              headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
                              timeout=10)
        self.assertEqual(answer.status_code, 401, "Intuit was told: the old token is dead")
        with self.assertRaisesRegex(Exception, "not connected"):
            self.connection._client().company_info()

    def test_reconnect_same_realm_resumes_other_realm_is_fenced(self):
        self.connect()
        self.env["quickbooks.disconnect.wizard"].create({"connection_id": self.connection.id}).action_disconnect()
        self.connect()
        self.assertEqual(self.state_of(), "connected")
        self.assertFalse(self.connection.previous_realm_id)

        other_realm = self.emulator.new_realm(company_name="Another Books")
        self.connect(realm_id=other_realm)
        self.assertEqual(self.connection.realm_id, other_realm)
        self.assertEqual(self.connection.previous_realm_id, self.realm_id)
        self.assertEqual(self.connection.qbo_company_name, "Another Books")

    def test_tokens_of_another_realm_are_never_used(self):
        self.connect()
        # Simulate a connection record whose realm and stored authorization disagree.
        self.connection.sudo().realm_id = self.emulator.new_realm(company_name="Not this one")
        self.env.flush_all()
        with self.assertRaisesRegex(Exception, "belongs to QuickBooks company"):
            self.connection._client().company_info()

