import csv
import io
import logging
import time
from collections import Counter
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..sync.reconcile import SECTIONS, STATUSES, Reconciler
from ..transport.errors import QuickBooksError
from ..transport.ratelimit import RateLimiter, parse_limits

_logger = logging.getLogger(__name__)

DEFAULT_DAYS = 90
EXPORT_COLUMNS = [
    ("section", "Section"), ("status", "Status"), ("odoo_name", "Odoo record"), ("qbo_entity", "QuickBooks type"),
    ("qbo_name", "QuickBooks number / name"), ("qbo_id", "QuickBooks ID"), ("currency_name", "Currency"),
    ("odoo_amount", "Odoo amount"), ("qbo_amount", "QuickBooks amount"), ("odoo_balance", "Odoo balance"),
    ("qbo_balance", "QuickBooks balance"), ("difference", "Difference"), ("qbo_url", "Open in QuickBooks"),
]
MAX_LOGGED_DIFFERENCES = 200


class QuickbooksReconciliation(models.Model):
    """One comparison of a QuickBooks company with Odoo's books for a period: customers and
    items, every invoice, credit note and payment, and each customer's receivable balance.
    Run on demand (Settings > QuickBooks, QuickBooks > Reconciliation) or by the daily job;
    each run leaves an entry in the Sync Log and, when the books differ, an activity for a
    QuickBooks manager."""

    _name = "quickbooks.reconciliation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "QuickBooks Reconciliation"
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    connection_id = fields.Many2one(
        "quickbooks.connection", required=True, ondelete="cascade", index=True,
        default=lambda self: self.env.company._quickbooks_connection(),
    )
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    realm_id = fields.Char("QuickBooks Company ID", readonly=True)
    date_from = fields.Date("From", required=True, default=lambda self: self._default_date_from())
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)
    state = fields.Selection(
        [("draft", "Not run"), ("done", "Done"), ("failed", "Failed")], default="draft", required=True, readonly=True,
    )
    trigger = fields.Selection([("manual", "On demand"), ("cron", "Daily job")], default="manual", readonly=True)
    run_at = fields.Datetime("Run at", readonly=True)
    duration = fields.Float("Seconds", readonly=True, digits=(16, 1))
    http_requests = fields.Integer("QuickBooks requests", readonly=True)
    query_pages = fields.Integer("Query pages", readonly=True)
    difference_count = fields.Integer("Differences", readonly=True)
    summary = fields.Json("Counts", readonly=True)
    summary_html = fields.Html("Summary", compute="_compute_summary_html", sanitize=True)
    error = fields.Text(readonly=True)
    job_id = fields.Many2one("quickbooks.sync.job", "Sync Log entry", readonly=True, ondelete="set null")
    line_ids = fields.One2many("quickbooks.reconciliation.line", "reconciliation_id", string="Lines", readonly=True)

    @api.model
    def _default_date_from(self):
        days = int(self.env["ir.config_parameter"].sudo().get_param("quickbooks_sync.reconcile_days", DEFAULT_DAYS))
        return fields.Date.context_today(self) - timedelta(days=days)

    @api.depends("company_id", "date_from", "date_to")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("%(company)s, %(start)s to %(end)s", company=run.company_id.name or "",
                                  start=run.date_from or "", end=run.date_to or "")

    @api.depends("summary", "difference_count", "state")
    def _compute_summary_html(self):
        sections = dict(SECTIONS)
        statuses = [key for key, _label in STATUSES]
        labels = dict(STATUSES)
        for run in self:
            counts = (run.summary or {}).get("counts") or {}
            if not counts:
                run.summary_html = False
                continue
            head = "".join(f"<th class='text-end'>{labels[s]}</th>" for s in statuses)
            rows = "".join(
                f"<tr><td>{sections[key]}</td>"
                + "".join(f"<td class='text-end'>{(counts.get(key) or {}).get(s, 0)}</td>" for s in statuses)
                + f"<td class='text-end'><strong>{(counts.get(key) or {}).get('differences', 0)}</strong></td></tr>"
                for key, _label in SECTIONS
            )
            run.summary_html = (
                f"<table class='table table-sm o_quickbooks_reconciliation_summary'><thead><tr><th/>{head}"
                f"<th class='text-end'>{self.env._('Differences')}</th></tr></thead><tbody>{rows}</tbody></table>"
            )

    # -- running ----------------------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise UserError(self.env._("Only QuickBooks managers can run a reconciliation."))

    def action_run(self):
        self.check_access("write")
        self._check_manager()
        for run in self:
            if run.date_from > run.date_to:
                raise UserError(self.env._("The period ends before it starts."))
            run.sudo()._run()
        return True

    def _run(self):
        """Read both sides, compare, keep the lines; log the run and tell a manager."""
        self.ensure_one()
        connection = self.connection_id.sudo()
        if not connection.realm_id:
            raise UserError(self.env._("%s is not connected to QuickBooks.", connection.company_id.name))
        started = time.monotonic()
        params = self.env["ir.config_parameter"].sudo()
        client = None
        try:
            client = connection._client(
                pacer=RateLimiter(self.env.registry, connection.realm_id,
                                  parse_limits(params.get_param("quickbooks_sync.rate_limits"))),
                timeout=float(params.get_param("quickbooks_sync.http_timeout", 120)),
            )
            reconciler = Reconciler(connection, self.date_from, self.date_to, client)
            lines = reconciler.run()
        except QuickBooksError as exc:
            self.write({"state": "failed", "error": f"{exc.message} {exc.hint or ''}".strip(),
                        "run_at": fields.Datetime.now(), "duration": time.monotonic() - started,
                        "realm_id": connection.realm_id})
            self._log(connection, failed=exc)
            return
        self.line_ids.unlink()
        self.env["quickbooks.reconciliation.line"].create([dict(line, reconciliation_id=self.id) for line in lines])
        counts = {}
        for section, _label in SECTIONS:
            section_lines = self.line_ids.filtered(lambda line, section=section: line.section == section)
            by_status = Counter(section_lines.mapped("status"))
            counts[section] = dict(by_status, differences=len(section_lines.filtered("is_difference")))
        differences = sum(section["differences"] for section in counts.values())
        self.write({
            "state": "done", "error": False, "run_at": fields.Datetime.now(), "realm_id": connection.realm_id,
            "duration": time.monotonic() - started, "difference_count": differences,
            "http_requests": client.stats["requests"], "query_pages": sum(reconciler.reader.pages.values()),
            "summary": {"counts": counts, "pages": dict(reconciler.reader.pages),
                        "quickbooks_objects": dict(reconciler.reader.counts)},
        })
        self._log(connection)
        self._notify()

    def _summary_text(self):
        counts = (self.summary or {}).get("counts") or {}
        parts = [f"{counts[key]['differences']} {label.lower()}" for key, label in SECTIONS
                 if (counts.get(key) or {}).get("differences")]
        if not self.difference_count:
            return self.env._("QuickBooks and Odoo agree for %s.", self.name)
        return self.env._("%(count)s differences between QuickBooks and Odoo for %(name)s (%(parts)s).",
                          count=self.difference_count, name=self.name, parts=", ".join(parts))

    def _log(self, connection, failed=None):
        """The run's entry in the Sync Log: opening it opens this report."""
        now = fields.Datetime.now()
        values = {
            "connection_id": connection.id, "realm_id": connection.realm_id, "res_model": self._name,
            "res_id": self.id, "record_name": self.name[:200], "operation": "reconcile", "attempts": 1,
            "started_at": now, "done_at": now,
        }
        if failed is not None:
            values.update(state="failed", fault_message=failed.message, hint=failed.hint or False,
                          fault_code=failed.code or False)
        else:
            differences = self.line_ids.filtered("is_difference")
            listed = "\n".join(
                f"[{line.section}] {line.odoo_name or line.qbo_name or line.qbo_id}: {line.difference}"
                for line in differences[:MAX_LOGGED_DIFFERENCES]
            )
            if len(differences) > MAX_LOGGED_DIFFERENCES:
                listed += "\n" + self.env._("... and %s more in the report.",
                                            len(differences) - MAX_LOGGED_DIFFERENCES)
            values.update(
                state="failed" if differences else "done",
                fault_message=self._summary_text() if differences else False,
                hint=self.env._("Open the reconciliation report: each line opens the Odoo record and the QuickBooks "
                                "object.") if differences else False,
                payload=listed or False,
                summary=self.summary,
            )
        self.job_id = self.env["quickbooks.sync.job"].sudo().create(values)

    def _notify(self):
        """An activity for a QuickBooks manager when the books differ; earlier runs' activities of
        the same company are closed (the newest run is the one to look at)."""
        earlier = self.search([("connection_id", "=", self.connection_id.id), ("id", "<", self.id)])
        earlier.sudo().activity_feedback(["mail.mail_activity_data_todo"],
                                         feedback=self.env._("Superseded by a newer reconciliation."))
        if not self.difference_count:
            return
        group = self.env.ref("quickbooks_sync.group_quickbooks_manager")
        manager = self.env.user if group in self.env.user.all_group_ids and not self.env.user._is_superuser() \
            else group.sudo().all_user_ids.filtered(lambda user: not user.share and user.active)[:1]
        if manager:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo", summary=self.env._("QuickBooks and Odoo differ"),
                note=self._summary_text(), user_id=manager.id,
            )

    @api.model
    def _cron_reconcile(self):
        """Daily: every company that syncs is reconciled for the last days (system parameter
        ``quickbooks_sync.reconcile_days``, 90 by default), each in a transaction of its own."""
        connections = self.env["quickbooks.connection"].sudo().search([
            ("sync_enabled", "=", True), ("realm_id", "!=", False), ("backend", "=", "online"),
        ])
        for connection_id in connections.ids:
            try:
                with self.env.registry.cursor() as cr:
                    env = self.env(cr=cr)
                    connection = env["quickbooks.connection"].sudo().browse(connection_id)
                    run = env[self._name].sudo().create({
                        "connection_id": connection.id, "trigger": "cron",
                        "date_from": env[self._name]._default_date_from(),
                    })
                    run._run()
            except Exception:  # one company's trouble must not stop the others
                _logger.exception("QuickBooks reconciliation of connection %s failed", connection_id)

    # -- looking and downloading ------------------------------------------------------------------

    def action_view_lines(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_reconciliation_line")
        action["domain"] = [("reconciliation_id", "=", self.id)]
        action["context"] = {"search_default_differences": 1, "search_default_group_section": 1}
        return action

    def _rows(self):
        labels = {"section": dict(SECTIONS), "status": dict(STATUSES)}
        for line in self.line_ids.sorted(lambda line: ([key for key, _l in SECTIONS].index(line.section), line.id)):
            yield [labels[field][line[field]] if field in labels else
                   (line[field] if line[field] not in (False, None) else "") for field, _label in EXPORT_COLUMNS]

    def _download(self, name, data, mimetype):
        attachment = self.env["ir.attachment"].create({
            "name": name, "raw": data, "mimetype": mimetype, "res_model": self._name, "res_id": self.id,
        })
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    def _file_name(self, extension):
        return f"quickbooks-reconciliation-{self.company_id.name}-{self.date_from}-{self.date_to}.{extension}".replace(
            " ", "-")

    def action_download_csv(self):
        self.ensure_one()
        self.check_access("read")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([label for _field, label in EXPORT_COLUMNS])
        writer.writerows(self._rows())
        return self._download(self._file_name("csv"), out.getvalue().encode(), "text/csv")

    def action_download_xlsx(self):
        self.ensure_one()
        self.check_access("read")
        import xlsxwriter  # noqa: PLC0415 - shipped with Odoo, only needed here

        out = io.BytesIO()
        book = xlsxwriter.Workbook(out, {"in_memory": True})
        bold = book.add_format({"bold": True})
        money = book.add_format({"num_format": "#,##0.00"})
        sheet = book.add_worksheet(self.env._("Reconciliation"))
        sheet.write_row(0, 0, [label for _field, label in EXPORT_COLUMNS], bold)
        money_columns = {index for index, (field, _label) in enumerate(EXPORT_COLUMNS) if field.endswith(("_amount",
                                                                                                        "_balance"))}
        for row_index, row in enumerate(self._rows(), start=1):
            for column, value in enumerate(row):
                if column in money_columns and value != "":
                    sheet.write_number(row_index, column, float(value), money)
                else:
                    sheet.write(row_index, column, value)
        sheet.autofilter(0, 0, max(len(self.line_ids), 1), len(EXPORT_COLUMNS) - 1)
        sheet.freeze_panes(1, 0)
        summary = book.add_worksheet(self.env._("Summary"))
        summary.write_row(0, 0, [self.name, self._summary_text()], bold)
        counts = (self.summary or {}).get("counts") or {}
        summary.write_row(2, 0, ["", *[label for _key, label in STATUSES], self.env._("Differences")], bold)
        for index, (key, label) in enumerate(SECTIONS, start=3):
            section = counts.get(key) or {}
            summary.write_row(index, 0, [label, *[section.get(status, 0) for status, _l in STATUSES],
                                         section.get("differences", 0)])
        book.close()
        return self._download(self._file_name("xlsx"), out.getvalue(),
                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
