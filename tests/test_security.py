"""Secrets (client secret, tokens) are readable by system administrators only, and never
reach logs, RPC answers or exports of anyone else."""

import json
import logging

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..transport import crypto
from .common import QuickBooksCase, QuickBooksSetupMixin


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@tagged("post_install", "-at_install")
class TestSecrets(QuickBooksCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="qb_manager_not_admin",
            groups="base.group_user,base.group_allow_export,quickbooks_sync.group_quickbooks_manager",
        )
        cls.user = new_test_user(cls.env, login="qb_user",
                                 groups="base.group_user,quickbooks_sync.group_quickbooks_user")

    def test_manager_cannot_read_secrets_but_can_connect(self):
        connection = self.connection.with_user(self.manager)
        for field in ("client_id", "client_secret", "client_secret_encrypted"):
            with self.assertRaises(AccessError, msg=field):
                connection.read([field])
        self.assertNotIn("client_secret_encrypted", connection.fields_get())
        with self.assertRaises(AccessError):
            self.env["quickbooks.credential"].with_user(self.manager).search([])
        with self.assertRaises(AccessError):
            connection.export_data(["client_secret_encrypted"])
        # What a manager needs is there, without the secrets.
        self.assertIn(connection.read(["state"])[0]["state"], ("disconnected", "connected"))
        self.assertTrue(connection.action_connect()["url"].startswith(self.emulator.url))

    def test_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.connection.with_user(self.user).write({"environment": "production"})
        with self.assertRaises(AccessError):
            self.connection.with_user(self.user).action_connect()

    def test_secrets_are_encrypted_at_rest(self):
        self.connect()
        self.env.cr.execute(
            "SELECT client_secret_encrypted FROM quickbooks_connection WHERE id = %s", (self.connection.id,)
        )
        stored_secret = self.env.cr.fetchone()[0]
        self.assertNotIn(self.client_secret, stored_secret)
        self.assertEqual(crypto.decrypt(stored_secret), self.client_secret)
        self.env.cr.execute(
            "SELECT access_token_encrypted, refresh_token_encrypted FROM quickbooks_credential"
            " WHERE connection_id = %s",
            (self.connection.id,),
        )
        access, refresh = self.env.cr.fetchone()
        self.assertFalse(access.startswith("eyJ") or refresh.startswith("RT1-"))

    def test_secrets_never_reach_the_logs(self):
        capture = _Capture()
        capture.setFormatter(logging.Formatter("%(name)s %(message)s"))
        root = logging.getLogger()
        previous_level = root.level
        root.addHandler(capture)
        root.setLevel(logging.DEBUG)
        try:
            self.connect()
            tokens = self.connection._tokens()
            tokens.refresh(force=True)
            self.connection.action_test_connection()
            secrets = [self.client_secret, tokens.access_token()[0], tokens.refresh_token()]
            self.connection._disconnect()
        finally:
            root.removeHandler(capture)
            root.setLevel(previous_level)
        self.assertTrue(capture.lines, "something was logged")
        for line in capture.lines:
            for secret in secrets:
                self.assertNotIn(secret, line)
            self.assertNotIn("Bearer ", line)


@tagged("post_install", "-at_install")
class TestSecretsOverRpc(QuickBooksSetupMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        new_test_user(cls.env, login="qb_rpc_manager", password="qb_rpc_manager",
                      groups="base.group_user,quickbooks_sync.group_quickbooks_manager")

    def _call(self, model, method, *args, **kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": list(args), "kwargs": kwargs}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_rpc_reads_of_a_manager_carry_no_secret(self):
        self.authenticate("qb_rpc_manager", "qb_rpc_manager")
        answer = self._call("quickbooks.connection", "search_read", [["id", "=", self.connection.id]])
        record = answer["result"][0]
        self.assertEqual(record["custom_url"], self.emulator.url)
        self.assertFalse({"client_id", "client_secret", "client_secret_encrypted"} & set(record))
        self.assertNotIn(self.client_secret, json.dumps(answer))

        denied = self._call("quickbooks.connection", "read", [self.connection.id], ["client_secret_encrypted"])
        self.assertEqual(denied["error"]["data"]["name"], "odoo.exceptions.AccessError")
        denied = self._call("quickbooks.credential", "search_read", [])
        self.assertEqual(denied["error"]["data"]["name"], "odoo.exceptions.AccessError")
