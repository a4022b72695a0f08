from odoo import api, fields, models

from .quickbooks_sync_mixin import SYNC_STATES


class QuickbooksSyncDocumentMixin(models.AbstractModel):
    """Documents sent to QuickBooks (invoices, credit notes, payments): one QuickBooks object
    each, whose sync state, id and last error are stored on the document itself, where its
    list and form show them.  (Master data keeps its ids in links per QuickBooks company.)"""

    _name = "quickbooks.sync.document.mixin"
    _inherit = "quickbooks.sync.mixin"
    _description = "Document sent to QuickBooks"

    quickbooks_state = fields.Selection(SYNC_STATES, "QuickBooks", default="not_synced", copy=False, index=True,
                                        readonly=True)
    quickbooks_id = fields.Char("QuickBooks ID", copy=False, readonly=True)
    quickbooks_error = fields.Text("QuickBooks Error", copy=False, readonly=True)
    quickbooks_synced_at = fields.Datetime("Synced to QuickBooks", copy=False, readonly=True)

    def _quickbooks_app_page(self):
        """The page of QuickBooks' web app that shows this document (``invoice``...), or None."""
        raise NotImplementedError

    def _quickbooks_url_path(self):
        page = self._quickbooks_app_page()
        return f"{page}?txnId={self.quickbooks_id}" if page and self.quickbooks_id else None

    @api.depends("quickbooks_id")
    def _compute_quickbooks_url(self):
        return super()._compute_quickbooks_url()

    def _quickbooks_mark_many(self, rows):
        self._quickbooks_store_states(rows)

    def _quickbooks_forget_link(self):
        """The document's QuickBooks object is gone (deleted there on Odoo's request)."""
        if not self:
            return
        columns = ["quickbooks_state", "quickbooks_id", "quickbooks_error", "quickbooks_synced_at"]
        self.flush_recordset(columns)
        self.env.cr.execute(
            f'UPDATE "{self._table}" SET quickbooks_state = %s, quickbooks_id = NULL, '  # noqa: S608 - own table
            "quickbooks_error = NULL, quickbooks_synced_at = NULL WHERE id IN %s",
            ("not_synced", tuple(self.ids)),
        )
        self.invalidate_recordset(columns)

    def _quickbooks_store_states(self, rows, with_number=False):
        """Write the stored sync fields, all rows in one SQL update: they are bookkeeping of
        the sync, and ``account.move.write`` would re-synchronise each invoice's accounting
        lines and track the change (most of a push's cost, measured)."""
        if not rows:
            return
        now = fields.Datetime.now()
        columns = ["quickbooks_state", "quickbooks_id", "quickbooks_error", "quickbooks_synced_at"]
        if with_number:
            columns.append("quickbooks_doc_number")
        records = self.browse([record.id for record, *_rest in rows])
        records.flush_recordset(columns)
        values = []
        for record, state, binding, error in rows:
            synced = state == "synced"
            row = [
                record.id, state,
                binding.qbo_id if binding else record.quickbooks_id or None,
                None if synced else (error or record.quickbooks_error or None),
                now if synced else record.quickbooks_synced_at or None,
            ]
            if with_number:
                row.append(binding.qbo_name if binding else record.quickbooks_doc_number or None)
            values.append(tuple(row))
        assignments = ", ".join(f'"{column}" = v.{column}' for column in columns)
        casts = ["int", "varchar", "varchar", "text", "timestamp"] + (["varchar"] if with_number else [])
        placeholders = ",".join("(" + ",".join(f"%s::{cast}" for cast in casts) + ")" for _row in values)
        self.env.cr.execute(
            f'UPDATE "{self._table}" AS t SET {assignments} FROM (VALUES {placeholders})'  # noqa: S608 - own columns
            f' AS v(id, {", ".join(columns)}) WHERE t.id = v.id',
            [item for row in values for item in row],
        )
        records.invalidate_recordset(columns)
