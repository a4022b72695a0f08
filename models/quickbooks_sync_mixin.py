from odoo import fields, models
from odoo.exceptions import AccessError

SYNC_STATES = [
    ("not_synced", "Not synced"),
    ("queued", "Queued"),
    ("synced", "Synced"),
    ("error", "Error"),
    ("conflict", "Conflict"),
]


class QuickbooksSyncMixin(models.AbstractModel):
    """What every record sent to QuickBooks has: its links, a Sync action, and a state."""

    _name = "quickbooks.sync.mixin"
    _description = "Sent to QuickBooks"
    _quickbooks_entity = None  # default QuickBooks type of the model's records
    _quickbooks_synced_fields = frozenset()  # fields whose change QuickBooks must receive
    _quickbooks_auto_push_option = "auto_push_partners"  # the connection's switch for automatic sending

    quickbooks_binding_ids = fields.One2many(
        "quickbooks.binding", "res_id", string="QuickBooks Links",
        domain=lambda self: [("res_model", "=", self._name)],
        groups="quickbooks_sync.group_quickbooks_user",
    )

    def _compute_quickbooks_id_from_bindings(self):
        """``quickbooks_id`` of master data: the id in the QuickBooks company each link's
        connection is connected to now (links to an earlier company are not shown)."""
        bindings = self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("qbo_entity", "=", self._quickbooks_entity),
        ])
        current = {b.res_id: b.qbo_id for b in bindings if b.realm_id == b.connection_id.realm_id}
        for record in self:
            record.quickbooks_id = current.get(record.id, False)

    def _quickbooks_bound(self):
        """The records of ``self`` linked to QuickBooks (one query)."""
        if not self.ids:
            return self.browse()
        self.env.cr.execute(
            "SELECT DISTINCT res_id FROM quickbooks_binding WHERE res_model = %s AND res_id IN %s",
            (self._name, tuple(self.ids)),
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _quickbooks_auto_push(self):
        """Queue the records whose company sends them automatically; returns those records."""
        queued = self.browse()
        if self.env.context.get("quickbooks_pull"):
            return queued  # registered from QuickBooks' own change (sync/pull.py): never sent back
        option = self.env.context.get("quickbooks_auto_push_option") or self._quickbooks_auto_push_option
        for record, connection in self._quickbooks_connection().items():
            if connection.realm_id and connection.sync_enabled and connection[option]:
                queued |= record
        if queued:
            queued._quickbooks_enqueue()
        return queued

    def _quickbooks_after_write(self, vals):
        """A linked record changed a field QuickBooks receives: queue it (unless importing)."""
        if self._quickbooks_synced_fields.intersection(vals) and not self.env.context.get("quickbooks_import"):
            self._quickbooks_bound()._quickbooks_auto_push()

    def _quickbooks_connection(self):
        """The QuickBooks connection of each record's company: ``{record: connection}``."""
        result = {}
        by_company = {}
        for record in self:
            company = record._quickbooks_company()
            if company:
                if company not in by_company:
                    by_company[company] = company._quickbooks_connection().sudo()
                result[record] = by_company[company]
        return result

    def _quickbooks_company(self):
        self.ensure_one()
        return self.company_id if "company_id" in self and self.company_id else self.env.company

    def _quickbooks_mark(self, state, binding=None, error=None):
        """Show the same sync outcome on every record of ``self``."""
        self._quickbooks_mark_many([(record, state, binding, error) for record in self])

    def _quickbooks_mark_many(self, rows):
        """Show each record's sync outcome, ``rows`` of ``(record, state, binding, error)``;
        documents store it (quickbooks.sync.document.mixin)."""

    def _quickbooks_enqueue(self, operation="push", qbo_entity=None, qbo_ids=None):
        """Queue these records for their company's QuickBooks connection; returns the jobs."""
        jobs = self.env["quickbooks.sync.job"]
        by_connection = {}
        for record, connection in self._quickbooks_connection().items():
            by_connection.setdefault(connection, self.browse())
            by_connection[connection] |= record
        for connection, records in by_connection.items():
            if not connection.realm_id:
                continue
            jobs |= jobs.sudo()._enqueue(connection, records, operation=operation,
                                         qbo_entity=qbo_entity or self._quickbooks_entity, qbo_ids=qbo_ids)
        return jobs

    def action_quickbooks_sync(self):
        """The "Sync to QuickBooks" button (form and list)."""
        self._quickbooks_check_user()
        # A person waits for it: it goes before the company's background work.
        jobs = self.with_context(quickbooks_interactive=True)._quickbooks_enqueue()
        self.browse(sorted({job.res_id for job in jobs}))._quickbooks_mark("queued")
        message = self.env._("%s record(s) queued for QuickBooks.", len(jobs))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "info", "message": message,
                       "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
        }

    def _quickbooks_check_user(self):
        """A QuickBooks user sends the records they may read, each to its own company's
        QuickBooks (record rules: the user's companies); checked before anything is queued."""
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_user"):
            raise AccessError(self.env._("Only QuickBooks users can send records to QuickBooks."))
        self.check_access("read")
