import base64
from html import escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from ..mapping.matching import MATCH_STRATEGIES
from ..transport.errors import QuickBooksError

_lt = LazyTranslate(__name__)
ENTITY_LABELS = {"Customer": _lt("Customers"), "Vendor": _lt("Vendors"), "Item": _lt("Products and services")}
COLUMNS = [
    ("linked", _lt("Already linked")), ("link", _lt("To link")), ("create", _lt("To create")),
    ("skip", _lt("To skip")), ("conflict", _lt("Need a decision")), ("renamed", _lt("Renamed")),
    ("name_conflicts", _lt("Names to fix")),
]
# After the import, the same columns say what was done.
DONE_LABELS = {
    "linked": _lt("Already linked"), "link": _lt("Linked"), "create": _lt("Created"), "skip": _lt("Skipped"),
    "conflict": _lt("Left undecided"), "renamed": _lt("Renamed"), "name_conflicts": _lt("Names to fix"),
}


class QuickbooksImportWizard(models.TransientModel):
    """Import first: bring QuickBooks' customers, vendors and products into Odoo, linked to
    the Odoo records that are the same, before anything is sent the other way."""

    _name = "quickbooks.import.wizard"
    _description = "Import from QuickBooks"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="connection_id.company_id")
    qbo_company_name = fields.Char(related="connection_id.qbo_company_name")
    backend = fields.Selection(related="connection_id.backend")
    qbd_read_at = fields.Datetime("Lists read from QuickBooks Desktop", compute="_compute_qbd_read_at")
    state = fields.Selection(
        [("options", "Options"), ("preview", "Preview"), ("done", "Done")], default="options", required=True,
    )
    import_customers = fields.Boolean("Customers", default=True)
    import_vendors = fields.Boolean("Vendors", default=True)
    import_items = fields.Boolean("Products and services", default=True)
    include_inactive = fields.Boolean(
        "Include inactive records", default=True,
        help="Inactive QuickBooks records are imported archived, so that their history can be linked later.",
    )
    match_strategy = fields.Selection(MATCH_STRATEGIES, required=True, default="name_or_contact")
    duplicate_resolution = fields.Selection(
        [("suffix", "Add a differentiator (\"John Smith - 2\")"), ("manual", "Leave for manual resolution")],
        string="Duplicate names", required=True, default="suffix",
    )
    counts = fields.Json(readonly=True)
    summary_html = fields.Html(compute="_compute_summary_html", sanitize=True)
    to_link = fields.Integer(readonly=True)
    to_create = fields.Integer(readonly=True)
    already_linked = fields.Integer(readonly=True)
    to_skip = fields.Integer(readonly=True)
    conflict_count = fields.Integer("Conflicts", readonly=True)
    rename_count = fields.Integer("Renamed", readonly=True)
    line_ids = fields.One2many("quickbooks.import.wizard.line", "wizard_id", string="Decisions")
    preview_file = fields.Binary("List", readonly=True, attachment=False)
    preview_filename = fields.Char(readonly=True)
    result_summary = fields.Char(readonly=True)
    # The run's log entry is committed by a transaction of its own while this one is open: a
    # foreign key to it would not see it under REPEATABLE READ, so the id is kept plain.
    log_job_ref = fields.Integer("Sync log entry", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        connection = self.env["quickbooks.connection"].browse(values.get("connection_id"))
        if not connection:
            connection = self.env.company._quickbooks_connection()
            values["connection_id"] = connection.id
        # The company's settings are the defaults; the wizard may try others.
        if "match_strategy" in fields_list and connection.match_strategy:
            values["match_strategy"] = connection.match_strategy
        if "duplicate_resolution" in fields_list and connection.duplicate_resolution:
            values["duplicate_resolution"] = connection.duplicate_resolution
        if connection.backend == "desktop" and "import_vendors" in fields_list:
            values["import_vendors"] = False  # QuickBooks Desktop: customers and items only
        return values

    @api.depends("connection_id")
    def _compute_qbd_read_at(self):
        from ..sync.desktop_import import latest_snapshot  # noqa: PLC0415 - the service imports the models

        for wizard in self:
            job = None
            if wizard.connection_id.backend == "desktop":
                job, _snapshot = latest_snapshot(wizard.connection_id.sudo())
            wizard.qbd_read_at = job.done_at if job else False

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        wizards.connection_id._check_manager_access()
        return wizards

    @api.depends("counts", "state")
    def _compute_summary_html(self):
        for wizard in self:
            counts = wizard.counts or {}
            rows = [entity for entity in ("Customer", "Vendor", "Item") if entity in counts]
            if not rows:
                wizard.summary_html = False
                continue
            done = wizard.state == "done"
            labels = [(key, self.env._(DONE_LABELS[key] if done else label)) for key, label in COLUMNS]
            head = "".join(f"<th class='text-end o_qbo_head_{key}'>{escape(str(label))}</th>" for key, label in labels)
            body = ""
            for entity in [*rows, "total"]:
                row = counts.get(entity, {})
                label = self.env._("Total") if entity == "total" else str(ENTITY_LABELS[entity])
                cells = "".join(f"<td class='text-end o_qbo_{key}'>{int(row.get(key, 0))}</td>" for key, _l in COLUMNS)
                tag = "th" if entity == "total" else "td"
                body += f"<tr class='o_qbo_row_{entity}'><{tag}>{escape(label)}</{tag}>{cells}</tr>"
            wizard.summary_html = (
                "<table class='table table-sm o_quickbooks_import_summary'>"
                f"<thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>"
            )

    # -- steps -----------------------------------------------------------------------------------

    def _kinds(self):
        kinds = [kind for kind, chosen in (("customers", self.import_customers), ("vendors", self.import_vendors),
                                           ("items", self.import_items)) if chosen]
        if not kinds:
            raise UserError(self.env._("Choose at least one list to import."))
        return kinds

    def _decisions(self):
        decisions = {}
        for line in self.line_ids.filtered(lambda line: line.kind == "match" and line.decision):
            is_party = line.qbo_entity in ("Customer", "Vendor")
            target = line.partner_id.id if is_party else line.product_id.id
            candidates = line.candidate_partner_ids if is_party else line.candidate_product_ids
            if line.decision == "link" and (not target or target not in candidates.ids):
                # Only one of the records the match offered (of this company) can be linked.
                continue
            decisions[(line.qbo_entity, line.qbo_id)] = (line.decision, target)
        return decisions

    def _importer(self):
        from ..sync.record_import import RecordImporter  # noqa: PLC0415 - the service imports the models

        self.connection_id._check_manager_access()
        if not self.connection_id.realm_id:
            raise UserError(self.env._("Connect %s to QuickBooks first.", self.company_id.name))
        return RecordImporter(
            self.connection_id, kinds=self._kinds(), strategy=self.match_strategy,
            duplicate_resolution=self.duplicate_resolution, include_inactive=self.include_inactive,
            decisions=self._decisions(), snapshot=self._desktop_snapshot(),
        )

    def _desktop_snapshot(self):
        """QuickBooks Desktop: the lists the last Web Connector session read (None for Online)."""
        from ..sync.desktop_import import latest_snapshot  # noqa: PLC0415 - the service imports the models

        connection = self.connection_id.sudo()
        if connection.backend != "desktop":
            return None
        if not connection._qbd_import_offered():
            raise UserError(self.env._(
                "The import from QuickBooks Desktop is no longer offered: ongoing sync has already sent records to "
                "QuickBooks Desktop, and importing now could link them twice."))
        if self.import_vendors:
            raise UserError(self.env._("Vendors are not imported from QuickBooks Desktop; untick them."))
        _job, snapshot = latest_snapshot(connection)
        if snapshot is None:
            raise UserError(self.env._(
                "QuickBooks Desktop's lists have not been read yet: in Settings > QuickBooks, click Read at the next "
                "session, let the Web Connector run (or Update Selected there), then preview again."))
        return snapshot

    def _show_counts(self, importer):
        counts = importer.counts()
        total = counts.get("total", {})
        self.write({
            "counts": counts,
            "to_link": total.get("link", 0),
            "to_create": total.get("create", 0),
            "already_linked": total.get("linked", 0),
            "to_skip": total.get("skip", 0),
            "conflict_count": total.get("conflict", 0) + total.get("name_conflicts", 0),
            "rename_count": total.get("renamed", 0),
        })

    def action_preview(self):
        """Read QuickBooks, match, and show what applying would do; nothing is written."""
        self.ensure_one()
        importer = self._importer()
        try:
            importer.fetch().plan()
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
        self._show_counts(importer)
        previous = {(line.qbo_entity, line.qbo_id, line.odoo_res_id): line for line in self.line_ids}
        lines = []
        for entry in importer.conflicts():
            is_party = entry.entity in ("Customer", "Vendor")
            real = [key for key in entry.scores if isinstance(key, int)]
            old = previous.get((entry.entity, entry.qbo_id or False, entry.record_id or 0))
            lines.append({
                "qbo_entity": entry.entity,
                "qbo_id": entry.qbo_id or False,
                "name": entry.name,
                "reason": entry.reason,
                "kind": "match" if entry.qbo_id else "name",
                "odoo_res_id": entry.record_id or 0,
                "candidate_partner_ids": [(6, 0, real if is_party else [])],
                "candidate_product_ids": [(6, 0, real if not is_party else [])],
                "decision": old.decision if old else False,
                "partner_id": old.partner_id.id if old and old.partner_id.id in real else False,
                "product_id": old.product_id.id if old and old.product_id.id in real else False,
            })
        self.line_ids = [(5, 0, 0)] + [(0, 0, values) for values in lines]
        self.write({
            "state": "preview",
            "preview_file": base64.b64encode(importer.csv_bytes()),
            "preview_filename": f"quickbooks-import-preview-{fields.Date.today()}.csv",
        })
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.connection_id._check_manager_access()
        self.state = "options"
        return self._reopen()

    def action_apply(self):
        """Link, create, log; re-running it later creates nothing for what is linked."""
        self.ensure_one()
        importer = self._importer()
        try:
            counts = importer.run()
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
        self._show_counts(importer)
        self.write({
            "state": "done",
            "result_summary": importer.summary_text(counts),
            "log_job_ref": importer.job.id,
            "preview_file": base64.b64encode(importer.csv_bytes()),
            "preview_filename": f"quickbooks-import-{fields.Date.today()}.csv",
        })
        self.line_ids = [(5, 0, 0)]
        return self._reopen()

    def log_job(self):
        self.ensure_one()
        return self.env["quickbooks.sync.job"].browse(self.log_job_ref).exists()

    def action_open_log(self):
        self.ensure_one()
        self.connection_id._check_manager_access()
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_sync_job")
        action["domain"] = [("connection_id", "=", self.connection_id.id), ("operation", "=", "import"),
                            ("id", ">=", self.log_job_ref)]
        action["context"] = {}
        return action

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import from QuickBooks"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class QuickbooksImportWizardLine(models.TransientModel):
    """A record the import cannot decide alone."""

    _name = "quickbooks.import.wizard.line"
    _description = "QuickBooks import: decision"
    _order = "qbo_entity, name, id"

    wizard_id = fields.Many2one("quickbooks.import.wizard", required=True, ondelete="cascade")
    qbo_entity = fields.Char("Type", readonly=True)
    qbo_id = fields.Char("QuickBooks ID", readonly=True)
    name = fields.Char(readonly=True)
    reason = fields.Char(readonly=True)
    kind = fields.Selection([("match", "Several matches"), ("name", "Name already used")], readonly=True)
    odoo_res_id = fields.Integer("Odoo record", readonly=True)
    candidate_partner_ids = fields.Many2many("res.partner", string="Candidate contacts", readonly=True)
    candidate_product_ids = fields.Many2many("product.product", string="Candidate products", readonly=True)
    decision = fields.Selection([("link", "Link to"), ("create", "Create new"), ("skip", "Skip")])
    partner_id = fields.Many2one("res.partner", "Link to contact", domain="[('id', 'in', candidate_partner_ids)]")
    product_id = fields.Many2one("product.product", "Link to product", domain="[('id', 'in', candidate_product_ids)]")
    candidates = fields.Char("Candidates", compute="_compute_candidates",
                             help="The Odoo records it could be, with what tells them apart.")

    @api.depends("candidate_partner_ids", "candidate_product_ids")
    def _compute_candidates(self):
        for line in self:
            parts = []
            for partner in line.candidate_partner_ids.sorted("id"):
                details = partner._quickbooks_differentiators()
                parts.append(f"{partner.name} ({details})" if details else partner.name)
            for product in line.candidate_product_ids.sorted("id"):
                details = ", ".join(filter(None, [
                    product.default_code and self.env._("ref %s", product.default_code),
                    product.barcode, product.categ_id.name]))
                parts.append(f"{product.name} ({details})" if details else product.name)
            line.candidates = "; ".join(parts)

    @api.onchange("partner_id", "product_id")
    def _onchange_target(self):
        for line in self:
            if line.partner_id or line.product_id:
                line.decision = "link"
