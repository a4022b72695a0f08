from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .quickbooks_connection import DEFAULT_REFERENCE_KINDS
from .quickbooks_reference import kind_domain

# The pickers of the sync defaults: the settings' own fields name the connection and its company.
SETTINGS_DOMAIN = "('connection_id', '=', quickbooks_connection_id), ('realm_id', '=', quickbooks_realm_id)"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    quickbooks_connection_id = fields.Many2one(
        "quickbooks.connection", compute="_compute_quickbooks_connection_id"
    )
    quickbooks_can_edit_app = fields.Boolean(compute="_compute_quickbooks_can_edit_app")
    quickbooks_environment = fields.Selection(
        related="quickbooks_connection_id.environment", readonly=False, string="QuickBooks Environment"
    )
    quickbooks_custom_url = fields.Char(related="quickbooks_connection_id.custom_url", readonly=False)
    quickbooks_client_id = fields.Char(
        related="quickbooks_connection_id.client_id", readonly=False, groups="base.group_system"
    )
    quickbooks_client_secret = fields.Char(
        related="quickbooks_connection_id.client_secret", readonly=False, groups="base.group_system"
    )
    quickbooks_has_client_secret = fields.Boolean(related="quickbooks_connection_id.has_client_secret")
    quickbooks_redirect_uri = fields.Char(related="quickbooks_connection_id.redirect_uri")
    quickbooks_state = fields.Selection(related="quickbooks_connection_id.state")
    quickbooks_status_message = fields.Char(related="quickbooks_connection_id.status_message")
    quickbooks_company_name = fields.Char(related="quickbooks_connection_id.qbo_company_name")
    quickbooks_realm_id = fields.Char(related="quickbooks_connection_id.realm_id")
    quickbooks_previous_realm_id = fields.Char(related="quickbooks_connection_id.previous_realm_id")
    quickbooks_connected_since = fields.Datetime(related="quickbooks_connection_id.connected_since")
    quickbooks_last_sync_at = fields.Datetime(related="quickbooks_connection_id.last_sync_at")
    quickbooks_refresh_token_days_left = fields.Integer(
        related="quickbooks_connection_id.refresh_token_days_left"
    )
    quickbooks_missing_configuration = fields.Char(related="quickbooks_connection_id.missing_configuration")

    # -- sync ---------------------------------------------------------------------------------------
    quickbooks_sync_enabled = fields.Boolean(related="quickbooks_connection_id.sync_enabled", readonly=False)
    quickbooks_sync_missing = fields.Char(related="quickbooks_connection_id.sync_missing")
    quickbooks_auto_push_invoices = fields.Boolean(
        related="quickbooks_connection_id.auto_push_invoices", readonly=False
    )
    quickbooks_auto_push_bills = fields.Boolean(
        related="quickbooks_connection_id.auto_push_bills", readonly=False
    )
    quickbooks_auto_push_partners = fields.Boolean(
        related="quickbooks_connection_id.auto_push_partners", readonly=False
    )
    quickbooks_match_strategy = fields.Selection(related="quickbooks_connection_id.match_strategy", readonly=False)
    quickbooks_duplicate_resolution = fields.Selection(
        related="quickbooks_connection_id.duplicate_resolution", readonly=False
    )
    quickbooks_pull_master_data = fields.Boolean(related="quickbooks_connection_id.pull_master_data", readonly=False)
    quickbooks_pull_conflict_policy = fields.Selection(
        related="quickbooks_connection_id.pull_conflict_policy", readonly=False
    )
    quickbooks_time_rounding = fields.Selection(related="quickbooks_connection_id.time_rounding", readonly=False)
    quickbooks_default_income_account_ref_id = fields.Many2one(
        related="quickbooks_connection_id.default_income_account_ref_id", readonly=False,
        domain=kind_domain(DEFAULT_REFERENCE_KINDS["default_income_account_ref_id"], SETTINGS_DOMAIN),
    )
    quickbooks_default_expense_account_ref_id = fields.Many2one(
        related="quickbooks_connection_id.default_expense_account_ref_id", readonly=False,
        domain=kind_domain(DEFAULT_REFERENCE_KINDS["default_expense_account_ref_id"], SETTINGS_DOMAIN),
    )
    quickbooks_default_item_ref_id = fields.Many2one(
        related="quickbooks_connection_id.default_item_ref_id", readonly=False,
        domain=kind_domain(DEFAULT_REFERENCE_KINDS["default_item_ref_id"], SETTINGS_DOMAIN),
    )
    quickbooks_writeoff_item_ref_id = fields.Many2one(
        related="quickbooks_connection_id.writeoff_item_ref_id", readonly=False
    )
    quickbooks_default_class_ref_id = fields.Many2one(
        related="quickbooks_connection_id.default_class_ref_id", readonly=False,
        domain=kind_domain(DEFAULT_REFERENCE_KINDS["default_class_ref_id"], SETTINGS_DOMAIN),
    )
    quickbooks_default_department_ref_id = fields.Many2one(
        related="quickbooks_connection_id.default_department_ref_id", readonly=False,
        domain=kind_domain(DEFAULT_REFERENCE_KINDS["default_department_ref_id"], SETTINGS_DOMAIN),
    )
    quickbooks_untaxed_tax_code_ref_id = fields.Many2one(
        related="quickbooks_connection_id.untaxed_tax_code_ref_id", readonly=False,
        domain=kind_domain(DEFAULT_REFERENCE_KINDS["untaxed_tax_code_ref_id"], SETTINGS_DOMAIN),
    )
    quickbooks_use_sub_customers = fields.Boolean(
        related="quickbooks_connection_id.use_sub_customers", readonly=False
    )
    quickbooks_is_us = fields.Boolean(compute="_compute_quickbooks_is_us")
    quickbooks_last_reconciliation_id = fields.Many2one(
        "quickbooks.reconciliation", compute="_compute_quickbooks_last_reconciliation_id")
    quickbooks_last_reconciliation_differences = fields.Integer(
        related="quickbooks_last_reconciliation_id.difference_count")
    quickbooks_sync_warnings = fields.Char(related="quickbooks_connection_id.sync_warnings")
    quickbooks_references_synced_at = fields.Datetime(related="quickbooks_connection_id.references_synced_at")
    quickbooks_book_close_date = fields.Date(related="quickbooks_connection_id.book_close_date")
    quickbooks_references_summary = fields.Char(related="quickbooks_connection_id.references_summary")
    quickbooks_references_to_link = fields.Integer(related="quickbooks_connection_id.references_to_link")
    quickbooks_push_cron_id = fields.Many2one(
        "ir.cron",
        default=lambda self: self.env.ref("quickbooks_sync.ir_cron_quickbooks_push", raise_if_not_found=False),
    )
    quickbooks_push_interval_number = fields.Integer(
        related="quickbooks_push_cron_id.interval_number", readonly=False, string="Push every"
    )
    quickbooks_push_interval_type = fields.Selection(
        related="quickbooks_push_cron_id.interval_type", readonly=False, string="Push interval unit"
    )
    quickbooks_reference_cron_id = fields.Many2one(
        "ir.cron",
        default=lambda self: self.env.ref("quickbooks_sync.ir_cron_quickbooks_reference_sync",
                                          raise_if_not_found=False),
    )
    quickbooks_reference_interval_number = fields.Integer(
        related="quickbooks_reference_cron_id.interval_number", readonly=False, string="Reference data every"
    )
    quickbooks_reference_interval_type = fields.Selection(
        related="quickbooks_reference_cron_id.interval_type", readonly=False, string="Reference data interval unit"
    )
    quickbooks_token_cron_id = fields.Many2one(
        "ir.cron",
        default=lambda self: self.env.ref("quickbooks_sync.ir_cron_quickbooks_refresh_tokens",
                                          raise_if_not_found=False),
    )
    quickbooks_token_interval_number = fields.Integer(
        related="quickbooks_token_cron_id.interval_number", readonly=False, string="Renew authorization every"
    )
    quickbooks_token_interval_type = fields.Selection(
        related="quickbooks_token_cron_id.interval_type", readonly=False, string="Renewal interval unit"
    )

    quickbooks_sync_run_id = fields.Many2one("quickbooks.sync.run", compute="_compute_quickbooks_sync_run_id")
    quickbooks_sync_run_state = fields.Selection(related="quickbooks_sync_run_id.state", string="Sync everything state")
    quickbooks_sync_run_progress = fields.Float(related="quickbooks_sync_run_id.progress",
                                                string="Sync everything progress")
    quickbooks_sync_run_sent = fields.Integer(related="quickbooks_sync_run_id.sent_count",
                                              string="Sync everything sent")
    quickbooks_sync_run_pending = fields.Integer(related="quickbooks_sync_run_id.pending_count",
                                                 string="Sync everything to send")
    quickbooks_sync_run_failed = fields.Integer(related="quickbooks_sync_run_id.failed_count",
                                                string="Sync everything failed")
    quickbooks_sync_run_time_left = fields.Char(related="quickbooks_sync_run_id.time_left",
                                                string="Sync everything time left")
    quickbooks_sync_run_finished_at = fields.Datetime(related="quickbooks_sync_run_id.finished_at",
                                                      string="Sync everything finished")

    @api.depends("quickbooks_connection_id")
    def _compute_quickbooks_sync_run_id(self):
        for settings in self:
            connection = settings.quickbooks_connection_id
            settings.quickbooks_sync_run_id = self.env["quickbooks.sync.run"].sudo().search(
                [("connection_id", "=", connection.id)], limit=1) if connection else False

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                if company not in self.env.user.company_ids and any(key.startswith("quickbooks_") for key in vals):
                    raise AccessError(self.env._("You cannot change the QuickBooks settings of %s.", company.name))
        return super().create(vals_list)
    @api.depends("quickbooks_connection_id")
    def _compute_quickbooks_last_reconciliation_id(self):
        for settings in self:
            settings.quickbooks_last_reconciliation_id = self.env["quickbooks.reconciliation"].search([
                ("connection_id", "=", settings.quickbooks_connection_id.id), ("state", "!=", "draft"),
            ], limit=1)

    @api.depends("quickbooks_connection_id")
    def _compute_quickbooks_is_us(self):
        for settings in self:
            settings.quickbooks_is_us = settings.quickbooks_connection_id._is_us()

    @api.depends("company_id")
    @api.depends_context("uid")
    def _compute_quickbooks_connection_id(self):
        for settings in self:
            # Settings name their company; only one of the user's companies shows its connection.
            allowed = self.env.su or settings.company_id in self.env.user.company_ids
            settings.quickbooks_connection_id = settings.company_id._quickbooks_connection() if allowed else False

    @api.depends_context("uid")
    def _compute_quickbooks_can_edit_app(self):
        for settings in self:
            settings.quickbooks_can_edit_app = self.env.is_system()

    def _quickbooks_connection_checked(self):
        """The connection these settings are about, once it is sure the user may use it."""
        self.ensure_one()
        if not self.quickbooks_connection_id:
            raise AccessError(self.env._("You do not have access to the QuickBooks connection of %s.",
                                         self.company_id.name))
        return self.quickbooks_connection_id

    def action_quickbooks_connect(self):
        return self._quickbooks_connection_checked().action_connect(return_to="settings")

    def action_quickbooks_test(self):
        return self._quickbooks_connection_checked().action_test_connection()

    def action_quickbooks_disconnect(self):
        return self._quickbooks_connection_checked().action_open_disconnect_wizard()

    def action_quickbooks_sync_log(self):
        self._quickbooks_connection_checked().check_access("read")
        return self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_sync_job")

    def action_quickbooks_sync_references(self):
        return self._quickbooks_connection_checked().action_sync_references()

    def action_quickbooks_open_references(self):
        return self._quickbooks_connection_checked().action_open_references()

    def action_quickbooks_import(self):
        return self._quickbooks_connection_checked().action_open_import_wizard()

    def action_quickbooks_sync_all(self):
        return self._quickbooks_connection_checked().action_open_sync_all_wizard()

    def action_quickbooks_time_setup(self):
        """Time tracking set-up: employees and projects (QuickBooks managers)."""
        connection = self._quickbooks_connection_checked()
        connection._check_manager_access()
        return {"type": "ir.actions.act_window", "name": self.env._("Time tracking set-up"),
                "res_model": "quickbooks.time.setup.wizard", "view_mode": "form", "target": "new",
                "context": {"default_connection_id": connection.id}}

    def action_quickbooks_open_sync_run(self):
        connection = self._quickbooks_connection_checked()
        connection.check_access("read")
        run = self.quickbooks_sync_run_id
        if not run:
            raise UserError(self.env._("No Sync everything run yet."))
        return {"type": "ir.actions.act_window", "res_model": "quickbooks.sync.run", "res_id": run.id,
                "view_mode": "form", "target": "current"}

    def action_quickbooks_payment_journals(self):
        self._quickbooks_connection_checked().check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_payment_journals")
        action["domain"] = [("type", "in", ("bank", "cash", "credit")), ("company_id", "=", self.company_id.id)]
        return action

    def action_quickbooks_reconcile(self):
        """A new reconciliation of this company (the period can be changed before running it)."""
        connection = self._quickbooks_connection_checked()
        connection.check_access("read")
        self.env["quickbooks.reconciliation"].check_access("create")
        return {
            "type": "ir.actions.act_window", "res_model": "quickbooks.reconciliation", "view_mode": "form",
            "target": "current", "context": {"default_connection_id": connection.id},
        }

    def action_quickbooks_reconciliations(self):
        connection = self._quickbooks_connection_checked()
        connection.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_reconciliation")
        action["domain"] = [("connection_id", "=", connection.id)]
        return action
