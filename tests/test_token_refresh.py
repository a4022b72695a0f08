"""Access tokens are renewed before they expire and once on a 401; rotated refresh tokens
are kept; a superseded one is dead, in both of the emulator's rotation modes (Intuit's 24-hour
window, and a new value on every refresh).  Odoo's clock is moved with freezegun, the emulator's
through its control API."""

from datetime import datetime, timedelta

from freezegun import freeze_time
from intuitlib.exceptions import AuthClientError

from odoo import fields
from odoo.tests import tagged

from ..transport import crypto
from ..transport.errors import AuthorizationRevokedError
from .common import QuickBooksCase


@tagged("post_install", "-at_install")
class TestTokenRefresh(QuickBooksCase):
    def setUp(self):
        super().setUp()
        self.connect()
        self.addCleanup(self.emulator.reset_clock)

    def refreshes(self):
        """Refreshes the emulator saw during this test."""
        return self.counted("oauth.token.refresh_token")

    def test_fresh_token_is_not_refreshed(self):
        client = self.connection._client()
        client.company_info()
        client.company_info()
        self.assertEqual(self.refreshes(), 0)
        self.assertEqual(client.stats["requests"], 2)

    def test_token_is_refreshed_shortly_before_expiry(self):
        credential = self.credential()
        before = credential.access_token_encrypted
        expires = credential.access_token_expires_at
        with freeze_time(expires - timedelta(seconds=120)):
            info = self.connection._client().company_info()
            now = fields.Datetime.now()
        self.assertEqual(info["CompanyName"], self.qbo_company_name)
        self.assertEqual(self.refreshes(), 1)
        credential.invalidate_recordset()
        self.assertNotEqual(credential.access_token_encrypted, before)
        self.assertEqual(credential.access_token_expires_at, now + timedelta(seconds=3600))
        self.assertEqual(credential.refresh_count, 1)

    def test_token_is_refreshed_once_on_401(self):
        # QuickBooks' clock says the token expired; Odoo's records say it has an hour left.
        self.emulator.advance_clock(3700)
        client = self.connection._client()
        info = client.company_info()
        self.assertEqual(info["CompanyName"], self.qbo_company_name)
        self.assertEqual(client.stats["refreshes_on_401"], 1)
        self.assertEqual(self.refreshes(), 1)

    def test_401_twice_means_reconnect(self):
        # Revoke the access token only (not the refresh token) through the API a user has:
        # disconnecting the app revokes everything, so the refresh fails as well.
        self.emulator.control("POST", "connections/revoke", realm_id=self.realm_id)
        error = self.raised(AuthorizationRevokedError, self.connection._client().company_info)
        self.assertIn("invalid_grant", error.message)
        self.assertEqual(self.state_of(), "reconnect")
        self.assertEqual(self.credential().refresh_error, "invalid_grant")

    def rotation(self, **settings):
        self.emulator.control("POST", "oauth", refresh_token_rotation=settings)
        self.addCleanup(self.emulator.control, "POST", "oauth",
                        refresh_token_rotation={"mode": "window", "window": 86400})

    def test_refresh_inside_intuits_window_keeps_the_same_token(self):
        # Intuit answers the same refresh-token value for 24 hours; each answer is stored and
        # the connection keeps working through the window and after the value changes.
        old_refresh = crypto.decrypt(self.credential().refresh_token_encrypted)
        for _index in range(3):
            self.connection._tokens().refresh(force=True)
            self.assertEqual(crypto.decrypt(self.credential().refresh_token_encrypted), old_refresh)
            self.assertEqual(self.connection._client().company_info()["CompanyName"], self.qbo_company_name)
        self.assertEqual(self.credential().refresh_count, 3)
        self.emulator.advance_clock(86400 + 60)
        self.connection._tokens().refresh(force=True)
        new_refresh = crypto.decrypt(self.credential().refresh_token_encrypted)
        self.assertNotEqual(new_refresh, old_refresh, "after the window Intuit's new value is stored")
        with self.assertRaises(AuthClientError) as caught:
            self.connection._auth_client(refresh_token=old_refresh).refresh()
        self.assertIn(b"invalid_grant", caught.exception.content)
        self.credential().write({"access_token_expires_at": "2000-01-01 00:00:00"})
        self.env.flush_all()
        self.assertEqual(self.connection._client().company_info()["CompanyName"], self.qbo_company_name)

    def test_refresh_rotates_and_the_superseded_token_is_rejected(self):
        self.rotation(mode="always")  # the emulator's strict mode: a new value on every refresh
        old_refresh = crypto.decrypt(self.credential().refresh_token_encrypted)
        self.connection._tokens().refresh(force=True)
        new_refresh = crypto.decrypt(self.credential().refresh_token_encrypted)
        self.assertNotEqual(new_refresh, old_refresh, "Intuit's answer is stored, not the old token")

        # The emulator, like Intuit, refuses the superseded token...
        with self.assertRaises(AuthClientError) as caught:
            self.connection._auth_client(refresh_token=old_refresh).refresh()
        self.assertEqual(caught.exception.status_code, 400)
        self.assertIn(b"invalid_grant", caught.exception.content)

        # ...so a connection that kept it would be dead, and says so.
        self.credential().write({
            "refresh_token_encrypted": crypto.encrypt(old_refresh),
            "access_token_expires_at": "2000-01-01 00:00:00",
        })
        self.env.flush_all()
        self.raised(AuthorizationRevokedError, self.connection._client().company_info)
        self.assertEqual(self.state_of(), "reconnect")

    def test_hard_expiry_is_recorded(self):
        self.connection._tokens().refresh(force=True)
        credential = self.credential()
        self.assertTrue(credential.refresh_token_hard_expires_at, "x_refresh_token_hard_expires_in was asked for")
        self.assertGreater(credential.refresh_token_hard_expires_at, datetime.now() + timedelta(days=4 * 365))
        self.state_of()
        self.assertLessEqual(self.connection.refresh_token_days_left, 101)

    def test_keepalive_cron_renews_tokens_near_expiry(self):
        self.env["quickbooks.connection"]._cron_refresh_tokens()
        self.assertEqual(self.refreshes(), 0, "a refresh token with 100 days left is left alone")
        self.credential().write({"refresh_token_expires_at": fields.Datetime.now() + timedelta(days=10)})
        self.env.flush_all()
        self.env["quickbooks.connection"]._cron_refresh_tokens()
        self.assertEqual(self.refreshes(), 1)
        self.state_of()
        self.assertGreaterEqual(self.connection.refresh_token_days_left, 99)
