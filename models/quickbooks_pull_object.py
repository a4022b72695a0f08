from odoo import api, fields, models


class QuickbooksPullObject(models.Model):
    """A QuickBooks object whose changes come back into Odoo (a payment entered in QuickBooks):
    what Odoo applied of it last.  Its incoming jobs point at it, so that one object has at
    most one incoming job waiting (the Sync Log's unique index on pending jobs), however many
    notifications say it changed; and a change older than the one applied is never applied
    over it (notifications and change data capture may arrive out of order)."""

    _name = "quickbooks.pull.object"
    _description = "QuickBooks Object Pulled into Odoo"
    _order = "id desc"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    realm_id = fields.Char("QuickBooks Company ID", required=True)
    qbo_entity = fields.Char("QuickBooks Type", required=True)
    qbo_id = fields.Char("QuickBooks ID", required=True)
    qbo_name = fields.Char("QuickBooks Number")
    last_updated = fields.Char(
        "Last change applied", help="QuickBooks' MetaData.LastUpdatedTime of the version applied in Odoo.")
    last_updated_epoch = fields.Float(help="The same, as seconds since 1970, to compare versions.")
    sync_token = fields.Char("SyncToken applied")
    res_model = fields.Char("Odoo Model")
    res_id = fields.Many2oneReference("Odoo Record", model_field="res_model")
    applied_partial_ids = fields.Json(
        "Reconciliations made", help="The reconciliations Odoo made for the credits this payment applies.")
    applied_hash = fields.Char(help="Fingerprint of the version whose credits are applied in Odoo.")
    status = fields.Selection(
        [("new", "Not applied yet"), ("applied", "Applied"), ("removed", "Voided or deleted in QuickBooks"),
         ("flagged", "Flagged on the Odoo record"), ("ignored", "Not for Odoo")],
        default="new", required=True,
    )

    _qbo_uniq = models.UniqueIndex("(realm_id, qbo_entity, qbo_id)", "One entry per QuickBooks object.")

    @api.depends("qbo_entity", "qbo_id", "qbo_name")
    def _compute_display_name(self):
        for record in self:
            record.display_name = f"{record.qbo_entity} {record.qbo_name or record.qbo_id}"

    @api.model
    def _ensure(self, connection, qbo_entity, qbo_ids):
        """``{qbo_id: id}`` for these objects, created when missing (one statement, safe
        against concurrent callers)."""
        qbo_ids = sorted({str(qbo_id) for qbo_id in qbo_ids})
        if not qbo_ids:
            return {}
        self.env.flush_all()
        now = fields.Datetime.now()
        rows = [(connection.id, connection.company_id.id, connection.realm_id, qbo_entity, qbo_id, "new",
                 self.env.uid, now, self.env.uid, now) for qbo_id in qbo_ids]
        self.env.cr.execute(
            "INSERT INTO quickbooks_pull_object (connection_id, company_id, realm_id, qbo_entity, qbo_id, status,"  # noqa: S608 - placeholders only
            " create_uid, create_date, write_uid, write_date)"
            f" VALUES {','.join(['%s'] * len(rows))}"
            " ON CONFLICT (realm_id, qbo_entity, qbo_id) DO NOTHING",
            rows,
        )
        self.env.cr.execute(
            "SELECT qbo_id, id FROM quickbooks_pull_object WHERE realm_id = %s AND qbo_entity = %s AND qbo_id IN %s",
            (connection.realm_id, qbo_entity, tuple(qbo_ids)),
        )
        return dict(self.env.cr.fetchall())

    def _odoo_record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env or not self.res_id:
            return None
        return self.env[self.res_model].browse(self.res_id).exists() or None
