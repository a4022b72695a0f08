"""Reference sync and the import wizard in real, separate transactions, as a server runs them.

An import writes its Sync Log entry from a transaction of its own while the import's own
transaction is open (REPEATABLE READ): the other test classes share one test transaction and
cannot see what that means.  Here each click is its own committed transaction, in a company
of its own, archived at the end."""

from odoo import api
from odoo.tests import TransactionCase, tagged

from .common import EmulatorProcess, connect_committed_company
from .import_data import new_bare_realm, seed


@tagged("post_install", "-at_install")
class TestImportInRealTransactions(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulator = EmulatorProcess.start_for(cls)
        cls.realm_id = new_bare_realm(cls.emulator, "Committed Books")
        seed(cls.emulator, cls.realm_id, Customer=[
            {"DisplayName": "Committed Customer", "PrimaryEmailAddr": {"Address": "c@committed.example"}},
        ])
        connect_committed_company(cls, cls.realm_id, "QuickBooks import company")

    @classmethod
    def _as_admin(cls, func):
        """One click: a transaction of its own, committed at the end."""
        with cls.registry.cursor() as cr:
            return func(api.Environment(cr, cls.admin_id, {"allowed_company_ids": [cls.company_id]}))

    @classmethod
    def _connection(cls, env):
        return env["quickbooks.connection"].browse(cls.connection_id)

    def test_sync_reference_data_button(self):
        self._as_admin(lambda env: self._connection(env).action_sync_references())

        def check(env):
            connection = self._connection(env)
            self.assertTrue(connection.references_synced_at)
            self.assertIn("new", connection.references_summary)
            self.assertEqual(connection.references_job_id.state, "done")
            self.assertTrue(env["quickbooks.reference"].search_count([("connection_id", "=", connection.id)]))
        self._as_admin(check)

    def test_import_wizard_preview_then_apply(self):
        wizard_id = self._as_admin(lambda env: env["quickbooks.import.wizard"].with_context(
            default_connection_id=self.connection_id).create({}).id)
        self._as_admin(lambda env: env["quickbooks.import.wizard"].browse(wizard_id).action_preview())
        self._as_admin(lambda env: env["quickbooks.import.wizard"].browse(wizard_id).action_apply())

        def check(env):
            wizard = env["quickbooks.import.wizard"].browse(wizard_id)
            self.assertEqual(wizard.state, "done")
            self.assertEqual(wizard.log_job().state, "done")
            partner = env["res.partner"].search([("email", "=", "c@committed.example")])
            self.assertEqual(partner.name, "Committed Customer")
            self.assertTrue(partner.quickbooks_id)
        self._as_admin(check)
