from odoo import fields, models
from odoo.exceptions import AccessError, UserError

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

    quickbooks_url = fields.Char("Open in QuickBooks", compute="_compute_quickbooks_url")
    quickbooks_not_connected = fields.Char(
        "QuickBooks connection problem", compute="_compute_quickbooks_not_connected",
        help="Why the record's company cannot send to QuickBooks now (shown beside the badge).")

    def _quickbooks_url_path(self):
        """Where QuickBooks' web app shows this record (``invoice?txnId=42``...), or None."""
        return None

    def _compute_quickbooks_url(self):
        for record in self:
            path = record._quickbooks_url_path() if record.id else None
            company = record._quickbooks_company() if path else None
            connection = self.env["quickbooks.connection"].sudo().search(
                [("company_id", "=", company.id)], limit=1) if company else None
            # QuickBooks Desktop has no web page to open.
            online = connection and connection.backend == "online"
            record.quickbooks_url = f"{connection._app_base()}/{path}" if online else False

    def action_open_quickbooks(self):
        """The "Open in QuickBooks" link: QuickBooks' own page of the record."""
        self.ensure_one()
        self.check_access("read")
        if not self.quickbooks_url:
            raise UserError(self.env._("%s is not in QuickBooks yet.", self.display_name))
        return {"type": "ir.actions.act_url", "url": self.quickbooks_url, "target": "new"}

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

    def _quickbooks_not_connected(self):
        """Why this record's company cannot send to QuickBooks now, in words with what to do;
        None when it is connected."""
        self.ensure_one()
        company = self._quickbooks_company()
        if not company:
            return None
        # Searched, not created: this is also computed while a form is read.
        connection = self.env["quickbooks.connection"].sudo().search([("company_id", "=", company.id)], limit=1)
        if connection.state == "connected":
            return None
        if connection.state == "reconnect":
            return self.env._(
                "%(company)s's QuickBooks authorization has ended: a QuickBooks manager must connect again "
                "(Settings > QuickBooks > Connect to QuickBooks); it is sent then.", company=company.name)
        return self.env._(
            "%(company)s is not connected to QuickBooks: a QuickBooks manager must connect it (Settings > "
            "QuickBooks > Connect to QuickBooks) before anything is sent.", company=company.name)

    def _compute_quickbooks_not_connected(self):
        reasons = {}
        for record in self:
            company = record._quickbooks_company()
            if company not in reasons:
                reasons[company] = record._quickbooks_not_connected() or False
            record.quickbooks_not_connected = reasons[company]

    def action_quickbooks_sync(self):
        """The "Sync to QuickBooks" button (form and list)."""
        self._quickbooks_check_user()
        # A person waits for it: it goes before the company's background work.
        jobs = self.with_context(quickbooks_interactive=True)._quickbooks_enqueue()
        self.browse(sorted({job.res_id for job in jobs}))._quickbooks_mark("queued")
        problems = {record._quickbooks_not_connected() for record in self} - {None}
        if problems:
            # Queued (sent once connected), but nothing is sent now: say so, and what to do.
            queued = ""
            if len(jobs) == 1:
                queued = self.env._("1 record waits in the QuickBooks queue.")
            elif jobs:
                queued = self.env._("%s records wait in the QuickBooks queue.", len(jobs))
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {"type": "warning", "sticky": True, "title": self.env._("Not sent to QuickBooks"),
                           "message": " ".join([*sorted(problems), queued]).strip(),
                           "next": {"type": "ir.actions.client", "tag": "soft_reload"}},
            }
        if len(jobs) == 1:
            message = self.env._("1 record queued for QuickBooks.")
        else:
            message = self.env._("%s records queued for QuickBooks.", len(jobs))
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
