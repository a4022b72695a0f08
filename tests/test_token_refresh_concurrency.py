"""Token refreshes under real concurrency: separate PostgreSQL transactions, real threads.

These tests commit their data (a company of their own) and remove it afterwards, because
row locks and commits are exactly what they check."""

import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from ..transport import crypto
from .common import EmulatorProcess, connect_committed_company


@tagged("post_install", "-at_install")
class TestTokenRefreshConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = EmulatorProcess.start_for(cls)
        cls.realm_id = cls.emulator.new_realm(company_name="Concurrency Books")
        connect_committed_company(cls, cls.realm_id, "QuickBooks concurrency test company")

    def _committed(self, func):
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {}))

    def _expire_access_token(self):
        self._committed(lambda env: env["quickbooks.credential"].search(
            [("connection_id", "=", self.connection_id)]
        ).write({"access_token_expires_at": fields.Datetime.now() - timedelta(minutes=1)}))

    def _refreshes(self):
        return self.emulator.counters(self.realm_id).get("oauth.token.refresh_token", 0)

    def test_two_workers_refresh_once(self):
        self._expire_access_token()
        before = self._refreshes()
        barrier = threading.Barrier(2)
        results, errors = [], []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    tokens = env["quickbooks.connection"].browse(self.connection_id)._tokens()
                    barrier.wait(10)
                    results.append(tokens.access_token())
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        self.assertFalse(errors, errors)
        self.assertEqual(self._refreshes() - before, 1, "exactly one refresh reached Intuit")
        self.assertEqual(len(results), 2)
        self.assertEqual(results[0], results[1], "both workers use the one new token")
        info = self._committed(
            lambda env: env["quickbooks.connection"].browse(self.connection_id)._client().company_info()
        )
        self.assertEqual(info["CompanyName"], "Concurrency Books", "the stored token is valid")

    def test_rolled_back_job_keeps_the_rotated_token(self):
        # Strict rotation (a new value on every refresh), so that the refresh this job makes
        # hands out a value the rollback could lose.
        self.emulator.control("POST", "oauth", refresh_token_rotation={"mode": "always"})
        self.addCleanup(self.emulator.control, "POST", "oauth", refresh_token_rotation={"mode": "window"})
        self._expire_access_token()
        old_refresh = self._committed(lambda env: crypto.decrypt(env["quickbooks.credential"].search(
            [("connection_id", "=", self.connection_id)]).refresh_token_encrypted))

        with self.registry.cursor() as cr:  # a sync job that fails after talking to QuickBooks
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["quickbooks.connection"].browse(self.connection_id)._client().company_info()
            env["quickbooks.connection"].browse(self.connection_id).write({"last_sync_at": fields.Datetime.now()})
            cr.rollback()

        stored = self._committed(lambda env: crypto.decrypt(env["quickbooks.credential"].search(
            [("connection_id", "=", self.connection_id)]).refresh_token_encrypted))
        self.assertNotEqual(stored, old_refresh, "the rotated refresh token survived the rollback")
        # ...and it is the one Intuit accepts now.
        self._expire_access_token()
        info = self._committed(
            lambda env: env["quickbooks.connection"].browse(self.connection_id)._client().company_info()
        )
        self.assertEqual(info["CompanyName"], "Concurrency Books")
