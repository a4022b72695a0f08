"""Many QuickBooks companies on one Odoo (issue 17): which company a worker serves next.

Three committed companies, connected as far as the queue can tell (no QuickBooks is called
here); the shared rate limiter's log (``quickbooks_rate_event``) says how much of QuickBooks'
current minute each company has used."""

from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

REALMS = ("scale-test-a", "scale-test-b", "scale-test-c")


@tagged("post_install", "-at_install")
class TestQueueAcrossCompanies(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection_ids, cls.company_ids, cls.partner_ids = {}, [], {}
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for realm in REALMS:
                company = env["res.company"].create({"name": f"QuickBooks {realm}"})
                connection = company._quickbooks_connection()
                cr.execute("UPDATE quickbooks_connection SET realm_id = %s, sync_enabled = TRUE WHERE id = %s",
                           (realm, connection.id))
                cr.execute("UPDATE quickbooks_credential SET refresh_token_encrypted = 'x' WHERE connection_id = %s",
                           (connection.id,))
                partners = env["res.partner"].create([{"name": f"{realm} partner {i}"} for i in range(300)])
                cls.connection_ids[realm] = connection.id
                cls.company_ids.append(company.id)
                cls.partner_ids[realm] = partners.ids

    @classmethod
    def tearDownClass(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["quickbooks.sync.job"].search([("connection_id", "in", list(cls.connection_ids.values()))]).unlink()
            for realm in REALMS:
                env["res.partner"].browse(cls.partner_ids[realm]).unlink()
            companies = env["res.company"].browse(cls.company_ids)
            partners = companies.partner_id
            companies.unlink()
            partners.unlink()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.addCleanup(self._clean)

    def _clean(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM quickbooks_sync_job WHERE connection_id IN %s",
                       (tuple(self.connection_ids.values()),))
            cr.execute("DELETE FROM quickbooks_rate_event WHERE realm_id IN %s", (REALMS,))

    def _in_transaction(self, func):
        with self.registry.cursor() as cr:
            return func(api.Environment(cr, SUPERUSER_ID, {}))

    def enqueue(self, realm, count, start=0, interactive=False):
        def run(env):
            connection = env["quickbooks.connection"].browse(self.connection_ids[realm])
            partners = env["res.partner"].browse(self.partner_ids[realm][start:start + count])
            return env["quickbooks.sync.job"]._enqueue(connection, partners, qbo_entity="Customer", trigger=False,
                                                      interactive=interactive).ids
        return self._in_transaction(run)

    def used(self, realm, weight):
        """As if ``weight`` operations had just been sent to that company."""
        self._in_transaction(lambda env: env.cr.execute(
            "INSERT INTO quickbooks_rate_event (realm_id, at, weight, is_batch)"
            " VALUES (%s, extract(epoch FROM clock_timestamp()), %s, TRUE)", (realm, weight)))

    def claim(self, limit=90):
        """One worker's claim; the jobs are then finished (as a worker would), and what they
        sent counted against their company's minute.  Returns ``(realm, job count)``."""
        def run(env):
            jobs = env["quickbooks.sync.job"]._claim(limit=limit)
            if not jobs:
                return None, 0, []
            realm = jobs.connection_id.realm_id
            ids = jobs.ids
            jobs.write({"state": "done", "done_at": fields.Datetime.now()})
            return realm, len(ids), ids
        realm, count, ids = self._in_transaction(run)
        if realm:
            self.used(realm, count)
        return realm, count, ids

    def test_a_company_whose_minute_is_used_up_waits_while_another_sends(self):
        self.enqueue(REALMS[0], 50)
        self.enqueue(REALMS[1], 20)
        self.used(REALMS[0], 490)
        realm, count, _ids = self.claim()
        self.assertEqual((realm, count), (REALMS[1], 20), "the company with room goes")
        realm, count, _ids = self.claim()
        self.assertIsNone(realm, "nothing else can be sent now: the worker waits for room instead")
        wait = self._in_transaction(lambda env: env["quickbooks.sync.job"]._waiting_for_room())
        self.assertGreater(wait, 50, "until the first of company A's requests leaves the minute")
        self.assertLessEqual(wait, 61)

    def test_at_most_the_room_left_is_claimed(self):
        self.enqueue(REALMS[0], 90)
        self.used(REALMS[0], 465)
        realm, count, _ids = self.claim()
        self.assertEqual((realm, count), (REALMS[0], 30), "495 a minute, 465 used: 30 can go now")

    def test_no_company_starves_behind_a_large_backlog(self):
        self.enqueue(REALMS[0], 300)
        self.enqueue(REALMS[1], 30)
        self.enqueue(REALMS[2], 30)
        order = [self.claim() for _round in range(4)]
        served = [realm for realm, _count, _ids in order]
        self.assertEqual(sorted(served[:3]), sorted(REALMS), f"each company within the first three claims: {served}")
        self.assertEqual(served[3], REALMS[0])

    def test_the_company_that_used_least_of_its_minute_goes_first(self):
        self.enqueue(REALMS[0], 10)
        self.enqueue(REALMS[1], 10)
        self.used(REALMS[0], 200)
        self.used(REALMS[1], 50)
        self.assertEqual(self.claim()[0], REALMS[1])
        self.assertEqual(self.claim()[0], REALMS[0])

    def test_a_click_overtakes_the_background_backlog(self):
        """Thousands of background jobs wait for company A; a person clicks Sync on one record
        (of A too): it goes in the next claim, before A's backlog and before company B."""
        self.enqueue(REALMS[0], 250)
        self.enqueue(REALMS[1], 5)
        clicked = self.enqueue(REALMS[0], 1, start=280, interactive=True)
        realm, _count, ids = self.claim(limit=30)
        self.assertEqual(realm, REALMS[0])
        self.assertIn(clicked[0], ids)

    def test_a_click_on_a_waiting_record_moves_it_ahead_now(self):
        """The record is already queued in the background, even backing off after a failure:
        the click makes that same job (no second one) due now and first."""
        self.enqueue(REALMS[0], 200)
        partner_id = self.partner_ids[REALMS[0]][150]
        job_id = self._in_transaction(lambda env: env["quickbooks.sync.job"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", partner_id)]).id)
        later = fields.Datetime.now() + timedelta(minutes=30)
        self._in_transaction(lambda env: env["quickbooks.sync.job"].browse(job_id).write({"next_attempt_at": later}))
        again = self.enqueue(REALMS[0], 1, start=150, interactive=True)
        self.assertEqual(again, [job_id], "the same job")
        realm, _count, ids = self.claim(limit=30)
        self.assertIn(job_id, ids)
