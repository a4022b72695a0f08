"""Secrets (client secret, tokens) are readable by system administrators only, and never
reach logs, RPC answers, exports, the sync log or the chatter of anyone else; only an
administrator decides where they are sent."""

import json
import logging

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from ..transport import crypto
from .common import QuickBooksCase, QuickBooksSetupMixin, RecordingServer
from .push_common import PushCase


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

    def test_manager_reads_every_field_and_finds_no_secret(self):
        self.connect()
        tokens = self.connection._tokens()
        secrets = [self.client_secret, tokens.access_token()[0], tokens.refresh_token()]
        self.env.invalidate_all()
        connection = self.connection.with_user(self.manager)
        everything = json.dumps(connection.read(), default=str)  # every field the manager may read
        everything += json.dumps(connection.fields_get(), default=str)
        for secret in secrets:
            self.assertNotIn(secret, everything)
        self.assertNotIn("client_id", connection.fields_get())
        self.assertFalse(connection.read(["can_edit_app"])[0]["can_edit_app"], "the settings show it read-only")
        self.assertTrue(self.connection.with_user(self.env.ref("base.user_admin")).can_edit_app)

    def test_only_an_administrator_changes_where_tokens_go(self):
        """Environment, URL, client ID and secret decide where the secret and the tokens are
        sent: a manager who is not an administrator cannot change them; an administrator can,
        and the tokens issued so far are forgotten (the company connects again)."""
        attacker = RecordingServer()
        self.addCleanup(attacker.stop)
        admin = self.env.ref("base.user_admin")
        app = {"environment": "custom", "custom_url": self.emulator.url, "client_id": self.client_id,
               "client_secret": self.client_secret}
        changes = [{"custom_url": attacker.url}, {"environment": "production"},
                   {"client_id": "ABanotherapp"}, {"client_secret": "another-secret"}]
        for values in changes:
            self.connect()
            tokens = self.connection._tokens()
            secrets = [self.client_secret, tokens.access_token()[0], tokens.refresh_token()]
            with self.assertRaises(AccessError, msg=f"a manager changed {values}"):
                self.connection.with_user(self.manager).write(values)
            self.assertEqual(self.state_of(), "connected")

            # The same values again (a settings form saves them all) change nothing.
            self.connection.with_user(self.manager).write({"custom_url": self.emulator.url})
            self.connection.with_user(admin).write(app)
            self.assertEqual(self.state_of(), "connected")

            self.connection.with_user(admin).write(values)

            self.assertEqual(self.state_of(), "disconnected", f"{values}: the company must connect again")
            self.assertFalse(self.credential().refresh_token_encrypted)
            self.assertFalse(self.credential().access_token_encrypted)
            self.assertEqual(self.connection.realm_id, self.realm_id, "QuickBooks ids are kept")
            result = self.connection.with_user(admin).action_test_connection()
            self.assertIn("not connected", result["params"]["message"])
            self.assertFalse(attacker.received(*secrets), "a secret reached the new URL")
            self.connection.with_user(admin).write(app)

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


@tagged("post_install", "-at_install")
class TestNoTokenLeavesForAnotherServer(QuickBooksSetupMixin, HttpCase):
    """Issue 8: a QuickBooks manager who is not an administrator sets the emulator URL to a
    server of their own and runs Test Connection, over JSON-RPC.  That server must receive
    neither the app's client secret nor a token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_quickbooks()
        new_test_user(cls.env, login="qb_url_manager", password="qb_url_manager",
                      groups="base.group_user,quickbooks_sync.group_quickbooks_manager")

    def _call(self, model, method, *args):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {
                "model": model, "method": method, "args": list(args), "kwargs": {}}}),
            headers={"Content-Type": "application/json"},
        )
        return response.json()

    def test_manager_cannot_point_the_connection_at_their_server(self):
        self.connect()
        tokens = self.connection._tokens()
        secrets = [self.client_secret, tokens.access_token()[0], tokens.refresh_token()]
        stored = self.credential().read(["access_token_encrypted", "refresh_token_encrypted", "realm_id"])
        attacker = RecordingServer()
        self.addCleanup(attacker.stop)
        self.authenticate("qb_url_manager", "qb_url_manager")

        answers = [
            self._call("res.config.settings", "create", {"quickbooks_custom_url": attacker.url}),
            self._call("quickbooks.connection", "write", [self.connection.id], {"custom_url": attacker.url}),
        ]
        # What the attacker did next.
        test = self._call("quickbooks.connection", "action_test_connection", [self.connection.id])

        self.assertFalse(attacker.received(*secrets), "the client secret or a token reached the attacker's server")
        for answer in answers:
            self.assertEqual(answer.get("error", {}).get("data", {}).get("name"), "odoo.exceptions.AccessError",
                             answer)
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.custom_url, self.emulator.url)
        self.assertEqual(self.connection.environment, "custom")
        self.assertEqual(self.credential().read(["access_token_encrypted", "refresh_token_encrypted", "realm_id"]),
                         stored)
        self.assertEqual(test["result"]["params"]["type"], "success", "the connection still works")


@tagged("post_install", "-at_install")
class TestSecretsStayOutOfTheSyncLog(PushCase):
    """What the sync writes where people look (job payloads and answers, errors, the chatter,
    the database log) never holds the client secret or a token, whatever happens."""

    def test_no_secret_in_jobs_messages_or_logs(self):
        self.sync_basics()
        invoice = self.make_invoice()
        self.run_queue()
        self.assertEqual(invoice.quickbooks_state, "synced")
        tokens = self.connection._tokens()
        secrets = {self.client_secret, tokens.access_token()[0], tokens.refresh_token()}
        # The access token is refused, and renewing it fails: Intuit no longer knows the
        # secret Odoo has (rotated at Intuit).  The job fails with that reason.
        self.credential().write({"access_token_expires_at": "2000-01-01 00:00:00"})
        self.emulator.register_app_secret(self.client_id, "rotated-at-intuit")
        self.addCleanup(self.emulator.register_app_secret, self.client_id, self.client_secret)
        failing = self.make_invoice()
        self.run_queue()
        failed_jobs = self.jobs_of(failing)
        self.assertIn("invalid_client", " ".join(failed_jobs.mapped("fault_message")))

        jobs = self.env["quickbooks.sync.job"].sudo().search([("connection_id", "=", self.connection.id)])
        texts = [json.dumps(jobs.read(["payload", "response", "fault_message", "hint", "fault_code",
                                       "conflict_details", "record_name"]), default=str)]
        texts += self.env["mail.message"].sudo().search([]).mapped(lambda m: str(m.body or ""))
        texts += self.env["ir.logging"].sudo().search([]).mapped("message")
        texts += [str(invoice.quickbooks_error), str(failing.quickbooks_error)]
        for secret in secrets:
            self.assertFalse([text for text in texts if secret in text])
