from odoo import api, fields, models


class QuickbooksBinding(models.Model):
    """The link between one Odoo record and one QuickBooks object, in one QuickBooks company.

    Bindings are keyed by realm: when a company is reconnected to another QuickBooks company,
    the old links stay (for the record) but every look-up filters on the connection's current
    realm, so an id of one QuickBooks company can never be sent to another.
    """

    _name = "quickbooks.binding"
    _description = "QuickBooks Link"
    _order = "id desc"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    realm_id = fields.Char("QuickBooks Company ID", required=True)
    res_model = fields.Char("Odoo Model", required=True)
    res_id = fields.Many2oneReference("Odoo Record", model_field="res_model", required=True)
    qbo_entity = fields.Char("QuickBooks Type", required=True, help="Customer, Vendor, Item, Invoice...")
    qbo_id = fields.Char("QuickBooks ID", required=True)
    qbo_sync_token = fields.Char("SyncToken", help="QuickBooks' version of the object when Odoo last wrote or read it.")
    qbo_name = fields.Char("QuickBooks Name", help="DisplayName, Name or DocNumber in QuickBooks.")
    synced_at = fields.Datetime("Last Sync")
    synced_hash = fields.Char(help="Fingerprint of the last payload sent, to skip updates that change nothing.")
    verified_hash = fields.Char(
        help="The fingerprint of the payload whose result in QuickBooks was checked against Odoo and agreed "
             "(totals, tax, balance). Empty: what QuickBooks holds has not been verified, and the next sync reads "
             "and checks it before calling the record synced.",
    )
    synced_payload = fields.Text(
        help="The last payload sent (JSON): on a stale SyncToken, what Odoo changed since is told apart "
             "from what changed in QuickBooks.",
    )
    pull_snapshot = fields.Json(
        help="Customers, vendors, items: per field, the Odoo value and QuickBooks' value (in Odoo's terms) when "
             "both sides last agreed, to tell what changed on which side since (sync/pull_master.py).",
    )
    origin = fields.Selection(
        [("import", "Linked from QuickBooks"), ("push", "Created from Odoo")], default="push", required=True
    )

    _record_uniq = models.UniqueIndex(
        "(realm_id, res_model, res_id, qbo_entity)",
        "This Odoo record is already linked to an object of that type in this QuickBooks company.",
    )
    _record_idx = models.Index("(res_model, res_id)")
    _qbo_uniq = models.UniqueIndex(
        "(realm_id, qbo_entity, qbo_id)",
        "This QuickBooks object is already linked to another Odoo record.",
    )

    @api.depends("res_model", "res_id", "qbo_entity", "qbo_name", "qbo_id")
    def _compute_display_name(self):
        for binding in self:
            binding.display_name = f"{binding.qbo_entity} {binding.qbo_name or binding.qbo_id}"

    @api.model
    def _lookup(self, connection, res_model, res_ids, qbo_entity):
        """``{res_id: binding}`` for the given records in the connection's current realm (one query)."""
        if not res_ids or not connection.realm_id:
            return {}
        bindings = self.sudo().search([
            ("realm_id", "=", connection.realm_id),
            ("res_model", "=", res_model),
            ("res_id", "in", list(res_ids)),
            ("qbo_entity", "=", qbo_entity),
        ])
        return {binding.res_id: binding for binding in bindings}

    @api.model
    def _committed_qbo_ids(self, records, qbo_entity):
        """``{record id: id of its object}`` in its company's QuickBooks, as committed now.  Links
        are written by the ledger in transactions of their own (sync/ledger.py): a queue worker's
        snapshot may predate the link of an object created in this very run, by it or another."""
        if not records:
            return {}
        with self.env.registry.cursor() as cr:
            cr.execute(
                """SELECT b.res_id, b.qbo_id FROM quickbooks_binding b
                     JOIN quickbooks_connection c ON c.id = b.connection_id AND c.realm_id = b.realm_id
                    WHERE b.res_model = %s AND b.res_id IN %s AND b.qbo_entity = %s""",
                (records._name, tuple(records.ids), qbo_entity),
            )
            return dict(cr.fetchall())

    @api.model
    def _lookup_qbo(self, connection, qbo_entity, qbo_ids):
        """``{qbo_id: binding}`` in the connection's current realm (one query)."""
        if not qbo_ids or not connection.realm_id:
            return {}
        bindings = self.sudo().search([
            ("realm_id", "=", connection.realm_id),
            ("qbo_entity", "=", qbo_entity),
            ("qbo_id", "in", list(qbo_ids)),
        ])
        return {binding.qbo_id: binding for binding in bindings}

    @api.model
    def _bind(self, connection, record, qbo_entity, qbo_object, origin="push", payload_hash=None):
        """Link ``record`` to the QuickBooks object just written or read (create or update)."""
        record.ensure_one()
        values = {
            "qbo_id": str(qbo_object["Id"]),
            "qbo_sync_token": str(qbo_object.get("SyncToken", "")),
            "qbo_name": qbo_object.get("DocNumber") or qbo_object.get("DisplayName") or qbo_object.get("Name") or "",
            "synced_at": fields.Datetime.now(),
        }
        if payload_hash is not None:
            values["synced_hash"] = payload_hash
        binding = self._lookup(connection, record._name, [record.id], qbo_entity).get(record.id)
        if binding:
            binding.write(values)
            return binding
        return self.sudo().create(dict(
            values,
            connection_id=connection.id,
            realm_id=connection.realm_id,
            res_model=record._name,
            res_id=record.id,
            qbo_entity=qbo_entity,
            origin=origin,
        ))
