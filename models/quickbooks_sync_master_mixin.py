from odoo import fields, models
from odoo.tools import html2plaintext

from ..mapping import inbound_master
from .quickbooks_sync_mixin import SYNC_STATES

# Where QuickBooks' web app shows each kind of master data.
APP_PAGES = {
    "Customer": "customerdetail?nameId={}",
    "Vendor": "vendordetail?nameId={}",
    "Item": "items?itemId={}",
}


class QuickbooksSyncMasterMixin(models.AbstractModel):
    """Master data sent to QuickBooks (customers, vendors, products): their QuickBooks ids live in
    links per QuickBooks company, so where they stand is computed from the link of the company
    the record's connection is connected to now and from the record's latest job: the same badge,
    QuickBooks name and link as documents show, without storing anything on the record."""

    _name = "quickbooks.sync.master.mixin"
    _inherit = "quickbooks.sync.mixin"
    _description = "Master data sent to QuickBooks"

    quickbooks_state = fields.Selection(SYNC_STATES, "QuickBooks", compute="_compute_quickbooks_status",
                                        groups="quickbooks_sync.group_quickbooks_user")
    quickbooks_error = fields.Text("QuickBooks Error", compute="_compute_quickbooks_status",
                                   groups="quickbooks_sync.group_quickbooks_user")
    quickbooks_entity = fields.Char("QuickBooks Type", compute="_compute_quickbooks_status",
                                    groups="quickbooks_sync.group_quickbooks_user")
    quickbooks_qbo_name = fields.Char(
        "Known in QuickBooks as", compute="_compute_quickbooks_status", groups="quickbooks_sync.group_quickbooks_user",
        help="The DisplayName (or item Name) QuickBooks holds, e.g. with the differentiator it was given.")
    quickbooks_synced_at = fields.Datetime("Synced to QuickBooks", compute="_compute_quickbooks_status",
                                           groups="quickbooks_sync.group_quickbooks_user")

    def _quickbooks_status_entities(self):
        """The QuickBooks types this model's records are sent as (a partner: Customer, Vendor)."""
        return [self._quickbooks_entity]

    def _compute_quickbooks_status(self):
        status = self._quickbooks_status()
        for record in self:
            state, binding, error = status.get(record.id, ("not_synced", None, False))
            record.quickbooks_state = state
            record.quickbooks_error = error
            record.quickbooks_entity = binding.qbo_entity if binding else False
            record.quickbooks_qbo_name = binding.qbo_name if binding else False
            record.quickbooks_synced_at = binding.synced_at if binding else False

    def _quickbooks_status(self):
        """``{id: (state, binding, error)}``: the link in the connection's current QuickBooks
        company, and the latest job (pending or running: queued; failed: error; conflict)."""
        ids = [record_id for record_id in self.ids if isinstance(record_id, int)]
        if not ids:
            return {}
        entities = self._quickbooks_status_entities()
        bindings = self.env["quickbooks.binding"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", ids), ("qbo_entity", "in", entities),
        ])
        current = {}
        for binding in bindings.sorted(lambda b: entities.index(b.qbo_entity), reverse=True):
            if binding.realm_id == binding.connection_id.realm_id:
                current[binding.res_id] = binding  # the first entity wins (a customer's over its vendor's)
        latest = {}
        jobs = self.env["quickbooks.sync.job"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", ids), ("operation", "=", "push"),
            ("state", "!=", "cancelled"),
        ], order="id desc")
        for job in jobs:
            if job.realm_id and job.realm_id != job.connection_id.realm_id:
                continue
            latest.setdefault(job.res_id, job)
        result = {}
        for record_id in ids:
            binding = current.get(record_id)
            job = latest.get(record_id)
            state, error = ("synced" if binding else "not_synced"), False
            if job and job.state in ("pending", "running"):
                state = "queued"
            elif job and job.state in ("failed", "conflict"):
                state = "error" if job.state == "failed" else "conflict"
                error = " ".join(part for part in (job.fault_message, job.hint) if part)
            result[record_id] = (state, binding, error)
        return result

    def _quickbooks_url_path(self):
        self.ensure_one()
        page = APP_PAGES.get(self.quickbooks_entity or "")
        return page.format(self.quickbooks_id) if page and self.quickbooks_id else None

    def _compute_quickbooks_id_from_bindings(self):
        status = self._quickbooks_status()
        for record in self:
            binding = status.get(record.id, (None, None, None))[1]
            record.quickbooks_id = binding.qbo_id if binding else False

    def _quickbooks_chatter_record(self):
        """Where the record's QuickBooks notes and activities go (a variant's: its template's)."""
        return self

    def _quickbooks_mark_many(self, rows):
        """A record synced: say so in its chatter, with the name and id QuickBooks holds (once
        per change: not again when the record's last note already says it)."""
        self._quickbooks_remember_synced(rows)
        notes = {}
        for record, state, binding, _error in rows:
            if state != "synced" or not binding:
                continue
            target = record._quickbooks_chatter_record()
            if not hasattr(target, "_message_log_batch"):
                continue
            notes.setdefault(target._name, {})[target.id] = self.env._(
                "Sent to QuickBooks as %(entity)s \"%(name)s\" (QuickBooks id %(id)s).",
                entity=binding.qbo_entity, name=binding.qbo_name or record.display_name, id=binding.qbo_id,
            )
        for model, bodies in notes.items():
            self.env.cr.execute(
                "SELECT DISTINCT ON (res_id) res_id, body FROM mail_message WHERE model = %s AND res_id IN %s "
                "ORDER BY res_id, id DESC", (model, tuple(bodies)),
            )
            last = dict(self.env.cr.fetchall())
            new = {res_id: body for res_id, body in bodies.items()
                   if body not in html2plaintext(last.get(res_id) or "")}
            if new:
                self.env[model].browse(list(new)).sudo()._message_log_batch(bodies=new)

    def _quickbooks_remember_synced(self, rows):
        """What both sides hold now that QuickBooks took the record (the link's snapshot): a
        later change from QuickBooks is told apart from Odoo's own (sync/pull_master.py)."""
        for record, state, link, _error in rows:
            handler = inbound_master.handler_for(getattr(link, "qbo_entity", None)) if link else None
            if state != "synced" or handler is None or handler.model != record._name or not getattr(link, "id", None):
                continue
            binding = self.env["quickbooks.binding"].sudo().browse(link.id).exists()
            if not binding:
                continue
            own = record.with_company(binding.connection_id.company_id)
            binding.pull_snapshot = handler.snapshot(handler.odoo_values(own), handler.pushed_qbo_values(own, binding))
