"""The queue under real concurrency: separate PostgreSQL transactions and threads.

These tests commit a company of their own (with its connection) and delete it afterwards:
unique indexes, SKIP LOCKED and row locks only show their worth across transactions."""

import threading
from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..models.quickbooks_sync_job import DEAD_JOB_GRACE
from ..transport.ratelimit import WINDOW_GUARD, RateLimiter


@tagged("post_install", "-at_install")
class TestQueueConcurrency(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env["res.company"].create({"name": "QuickBooks queue test company"})
            connection = company._quickbooks_connection()
            # A connected company, as far as the queue can tell (no QuickBooks is called here).
            cr.execute("UPDATE quickbooks_connection SET realm_id = 'queue-test', sync_enabled = TRUE WHERE id = %s",
                       (connection.id,))
            cr.execute("UPDATE quickbooks_credential SET refresh_token_encrypted = 'x' WHERE connection_id = %s",
                       (connection.id,))
            partners = env["res.partner"].create([{"name": f"Queue partner {i}"} for i in range(40)])
            cls.company_id, cls.connection_id, cls.partner_ids = company.id, connection.id, partners.ids

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["quickbooks.sync.job"].search([("connection_id", "=", cls.connection_id)]).unlink()
            env["res.partner"].browse(cls.partner_ids).unlink()
            company = env["res.company"].browse(cls.company_id)
            partner = company.partner_id
            company.unlink()
            partner.unlink()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._delete_jobs)

    def _delete_jobs(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM quickbooks_sync_job WHERE connection_id = %s", (self.connection_id,))

    def _in_transaction(self, func):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return func(env)

    def _enqueue(self, env, partner_ids):
        connection = env["quickbooks.connection"].browse(self.connection_id)
        return env["quickbooks.sync.job"]._enqueue(connection, env["res.partner"].browse(partner_ids),
                                                   qbo_entity="Customer", trigger=False).ids

    def _count(self, state=None):
        def count(env):
            domain = [("connection_id", "=", self.connection_id)] + ([("state", "=", state)] if state else [])
            return env["quickbooks.sync.job"].search_count(domain)
        return self._in_transaction(count)

    def test_one_pending_job_per_record_even_when_enqueued_concurrently(self):
        barrier = threading.Barrier(4)
        errors = []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    barrier.wait(10)
                    self._enqueue(env, self.partner_ids[:10])
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertFalse(errors, errors)
        self.assertEqual(self._count("pending"), 10, "four concurrent saves of ten records queue ten jobs")

        # Once a job is running, a new change queues a new job (the newest values must go too).
        self._in_transaction(lambda env: env.cr.execute(
            "UPDATE quickbooks_sync_job SET state = 'running' WHERE connection_id = %s AND res_id = %s",
            (self.connection_id, self.partner_ids[0])))
        self._in_transaction(lambda env: self._enqueue(env, self.partner_ids[:1]))
        self.assertEqual(self._count("pending"), 10)
        self.assertEqual(self._count(), 11)

    def test_two_workers_never_claim_the_same_job(self):
        self._in_transaction(lambda env: self._enqueue(env, self.partner_ids))
        claimed = {0: [], 1: []}
        barrier = threading.Barrier(2)

        def worker(number):
            barrier.wait(10)
            def claim(jobs):
                ids = jobs._claim(limit=3).ids
                # Keep the claim uncommitted a moment: the other worker meets locked rows and
                # must skip them, not wait for them or take them too.
                threading.Event().wait(0.05)
                return ids

            while True:
                with self.registry.cursor() as cr:
                    ids = api.Environment(cr, SUPERUSER_ID, {})["quickbooks.sync.job"]._in_new_transaction(claim)
                if not ids:
                    return
                claimed[number].extend(ids)

        threads = [threading.Thread(target=worker, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        everything = claimed[0] + claimed[1]
        self.assertEqual(len(everything), 40)
        self.assertEqual(len(set(everything)), 40, "no job was claimed twice")
        self.assertTrue(claimed[0] and claimed[1], "both workers got work")
        self.assertEqual(self._count("running"), 40)

    def test_jobs_of_a_killed_worker_are_requeued_and_live_ones_are_not(self):
        self._in_transaction(lambda env: self._enqueue(env, self.partner_ids[:4]))
        claimed = self._in_transaction(lambda env: env["quickbooks.sync.job"]._claim(limit=4).ids)
        self.assertEqual(len(claimed), 4)
        # Both "workers" started long ago; the first is still alive and holds its two jobs.
        self._in_transaction(lambda env: env.cr.execute(
            "UPDATE quickbooks_sync_job SET started_at = %s WHERE id IN %s",
            (fields.Datetime.now() - DEAD_JOB_GRACE - timedelta(seconds=5), tuple(claimed))))
        live_cr = self.registry.cursor()
        try:
            live = api.Environment(live_cr, SUPERUSER_ID, {})["quickbooks.sync.job"].browse(claimed[:2])
            live._lock_claimed()

            requeued = self._in_transaction(lambda env: env["quickbooks.sync.job"]._requeue_dead_jobs())
        finally:
            live_cr.rollback()
            live_cr.close()

        self.assertEqual(sorted(requeued), sorted(claimed[2:]), "only the dead worker's jobs went back")

        def states(env):
            return {job.id: (job.state, job.uncertain) for job in env["quickbooks.sync.job"].browse(claimed)}
        result = self._in_transaction(states)
        self.assertEqual(result[claimed[2]], ("pending", True), "requeued, flagged for a look-up before create")
        self.assertEqual(result[claimed[0]], ("running", False))

    def test_nothing_is_claimed_for_a_disconnected_company(self):
        self._in_transaction(lambda env: self._enqueue(env, self.partner_ids[:2]))
        self._in_transaction(lambda env: env.cr.execute(
            "UPDATE quickbooks_credential SET refresh_error = 'invalid_grant' WHERE connection_id = %s",
            (self.connection_id,)))
        try:
            claimed = self._in_transaction(lambda env: env["quickbooks.sync.job"]._claim().ids)
        finally:
            self._in_transaction(lambda env: env.cr.execute(
                "UPDATE quickbooks_credential SET refresh_error = NULL WHERE connection_id = %s",
                (self.connection_id,)))
        self.assertEqual(claimed, [])

    def test_rate_limiter_is_shared_across_workers(self):
        """Three requests per second: the fourth, from another "worker", must wait."""
        delays = []
        limits = ((1.0, 3, "requests"),)

        def sleep(seconds):
            delays.append(seconds)
            threading.Event().wait(seconds)

        realm = "rate-limit-test"
        first = RateLimiter(self.registry, realm, limits, sleep=sleep)
        second = RateLimiter(self.registry, realm, limits, sleep=sleep)
        for _ in range(2):
            first.wait()
        second.wait()
        self.assertEqual(delays, [], "three fit in the window")
        first.wait()
        self.assertEqual(len(delays), 1, "the fourth waited")
        self.assertGreater(delays[0], 0.3)
        self.assertLessEqual(delays[0], 1.0 + WINDOW_GUARD + 0.01)
        self._in_transaction(lambda env: env.cr.execute(
            "DELETE FROM quickbooks_rate_event WHERE realm_id = %s", (realm,)))

    def test_queued_jobs_belong_to_their_company(self):
        """Jobs are inserted in SQL (for ON CONFLICT): the company, which record rules filter
        on, must be set all the same, or users would not see their company's sync log."""
        job_ids = self._in_transaction(lambda env: self._enqueue(env, self.partner_ids[:1]))
        companies = self._in_transaction(lambda env: env["quickbooks.sync.job"].browse(job_ids).company_id.ids)
        self.assertEqual(companies, [self.company_id])

    def test_sync_log_retry_and_cancel_many_at_once(self):
        """The Sync Log's bulk Retry puts failed jobs back in the queue, without ever leaving two
        pending jobs for one record; bulk Cancel stops pending ones but not a running one."""
        def run(env):
            jobs_model = env["quickbooks.sync.job"]
            failed = jobs_model.browse(self._enqueue(env, self.partner_ids[:3]))
            failed.write({"state": "failed", "attempts": 5, "fault_code": "6000", "fault_message": "Bad"})
            # Meanwhile the first partner changed again and has a fresh pending job.
            fresh = jobs_model.browse(self._enqueue(env, self.partner_ids[:1]))
            self.assertNotIn(fresh, failed)

            failed.action_retry()
            changed_again = failed.filtered(lambda job: job.res_id == self.partner_ids[0])
            others = failed - changed_again
            self.assertEqual(changed_again.state, "cancelled", "a second pending job for the same record")
            self.assertEqual(others.mapped("state"), ["pending", "pending"])
            self.assertEqual(others.mapped("attempts"), [0, 0])
            self.assertFalse(any(others.mapped("fault_code")), "the old fault still shows")
            self.assertEqual(fresh.state, "pending")

            fresh.state = "running"
            with self.assertRaises(UserError):
                (others | fresh).action_cancel()
            others.action_cancel()
            self.assertEqual(others.mapped("state"), ["cancelled", "cancelled"])
            self.assertEqual(fresh.state, "running")
        self._in_transaction(run)
