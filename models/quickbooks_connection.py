import logging
import re
import time
from datetime import timedelta

import requests
from intuitlib.exceptions import AuthClientError

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..mapping.employee import same_name
from ..mapping.matching import MATCH_STRATEGIES, partner_keys, qbo_party_keys, same_party, same_product
from ..transport import crypto
from ..transport.auth import SCOPES, api_base, app_base, make_auth_client
from ..transport.client import QuickBooksClient, read_company_info
from ..transport.errors import ConfigurationError, QuickBooksError
from ..transport.tokens import TokenManager, oauth_error
from .quickbooks_reference import kind_domain

_logger = logging.getLogger(__name__)

CALLBACK_PATH = "/quickbooks/oauth/callback"
# What decides where tokens and the app's keys are sent: an administrator's setting, and
# changing it forgets the tokens issued so far.
APP_FIELDS = ("environment", "custom_url", "client_id", "client_secret", "client_secret_encrypted")
# QuickBooks company ids (realmId) are numbers; anything else in a callback was not sent by Intuit.
REALM_ID_PATTERN = re.compile(r"[0-9]{1,32}")
# Refresh tokens roll over 100 days; keep idle connections alive well before that.
KEEPALIVE_DAYS = 30
# The sync defaults: their kind of QuickBooks reference (models/quickbooks_reference.py).
DEFAULT_REFERENCE_KINDS = {
    "default_income_account_ref_id": "income_account",
    "default_expense_account_ref_id": "expense_account",
    "default_item_ref_id": "sales_item",
    "default_class_ref_id": "class",
    "default_department_ref_id": "department",
    "untaxed_tax_code_ref_id": "tax_code",
}
CONNECTION_DOMAIN = "('connection_id', '=', id), ('realm_id', '=', realm_id)"


class QuickbooksConnection(models.Model):
    """The link between one Odoo company and one QuickBooks Online company (realm)."""

    _name = "quickbooks.connection"
    _description = "QuickBooks Online Connection"
    _order = "company_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", index=True, default=lambda self: self.env.company
    )
    environment = fields.Selection(
        [("sandbox", "Sandbox"), ("production", "Production"), ("custom", "Emulator / custom URL")],
        required=True, default="sandbox",
        help="Sandbox: Intuit's sandbox companies with your app's development keys. Production: real companies "
             "with production keys. Custom: the bundled QuickBooks Online emulator or another server speaking "
             "the same protocol.",
    )
    custom_url = fields.Char(
        "Custom URL", help="Root URL of a QuickBooks Online emulator, e.g. http://localhost:8089"
    )
    can_edit_app = fields.Boolean(
        compute="_compute_can_edit_app",
        help="Only administrators choose where QuickBooks tokens and the app's keys are sent.",
    )
    client_id = fields.Char("Client ID", groups="base.group_system", copy=False)
    client_secret_encrypted = fields.Char(groups="base.group_system", copy=False, exportable=False)
    client_secret = fields.Char(
        "Client Secret", compute="_compute_client_secret", inverse="_inverse_client_secret",
        groups="base.group_system", exportable=False,
        help="Stored encrypted with the key from the server configuration; never shown again once saved.",
    )
    has_client_secret = fields.Boolean(compute="_compute_configuration")
    missing_configuration = fields.Char(compute="_compute_configuration")
    redirect_uri = fields.Char("Redirect URI", compute="_compute_redirect_uri")

    realm_id = fields.Char("QuickBooks Company ID", readonly=True, copy=False, index=True)
    previous_realm_id = fields.Char(
        readonly=True, copy=False,
        help="The QuickBooks company this Odoo company was connected to before. Links to it are kept "
             "but never used with the current company.",
    )
    qbo_company_name = fields.Char("QuickBooks Company", readonly=True, copy=False)
    qbo_country = fields.Char("QuickBooks Country", readonly=True, copy=False)
    qbo_home_currency = fields.Char("QuickBooks Home Currency", readonly=True, copy=False)
    connected_since = fields.Datetime(readonly=True, copy=False)
    connected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    last_sync_at = fields.Datetime("Last Sync", readonly=True, copy=False)

    state = fields.Selection(
        [("not_configured", "Not configured"), ("disconnected", "Not connected"),
         ("connected", "Connected"), ("reconnect", "Reconnection needed")],
        compute="_compute_token_status",
    )
    status_message = fields.Char(compute="_compute_token_status")
    refresh_token_expires_at = fields.Datetime(compute="_compute_token_status")
    refresh_token_days_left = fields.Integer(compute="_compute_token_status")

    # -- sync defaults: chosen up front so that a push never fails for lack of a reference --------
    reference_ids = fields.One2many("quickbooks.reference", "connection_id", string="Reference Data")
    references_synced_at = fields.Datetime("Reference data synced", readonly=True, copy=False)
    book_close_date = fields.Date(
        "Books closed through", readonly=True, copy=False,
        help="QuickBooks' closing date (Preferences > AccountingInfoPrefs > BookCloseDate), as read by the last "
             "Sync reference data or learnt from QuickBooks' refusal: time dated on or before it is refused before "
             "anything is sent.",
    )
    references_summary = fields.Char("Last reference sync", readonly=True, copy=False)
    references_job_id = fields.Many2one(
        "quickbooks.sync.job", "Last reference sync run", compute="_compute_references_job_id",
        help="Its Sync Log entry (written by a transaction of its own while the sync runs, hence no stored link).",
    )
    references_to_link = fields.Integer("Reference data to link", compute="_compute_references_to_link")
    sync_warnings = fields.Char("To review before syncing", compute="_compute_sync_missing")
    sync_enabled = fields.Boolean(
        "Sync active", copy=False,
        help="Push queued records to QuickBooks and pull changes back. Can only be switched on once "
             "nothing is missing.",
    )
    default_income_account_ref_id = fields.Many2one(
        "quickbooks.reference", "Default Income Account", check_company=True,
        domain=kind_domain("income_account", CONNECTION_DOMAIN),
        help="Income account of items Odoo creates in QuickBooks when the product has none mapped.",
    )
    default_expense_account_ref_id = fields.Many2one(
        "quickbooks.reference", "Default Expense Account", check_company=True,
        domain=kind_domain("expense_account", CONNECTION_DOMAIN),
        help="Expense account for vendor bills and expenses lines without a mapped account.",
    )
    default_item_ref_id = fields.Many2one(
        "quickbooks.reference", "Default Service Item", check_company=True,
        domain=kind_domain("sales_item", CONNECTION_DOMAIN),
        help="QuickBooks item used for invoice lines without a product.",
    )
    writeoff_item_ref_id = fields.Many2one(
        "quickbooks.reference", "Write-off Item", check_company=True,
        domain="[('connection_id', '=', id), ('qbo_entity', '=', 'Item'), ('active', '=', True)]",
        help="QuickBooks item of the credit memo that carries a payment's write-off or early-payment discount "
             "(the default service item when empty).",
    )
    default_class_ref_id = fields.Many2one(
        "quickbooks.reference", "Default Class", check_company=True,
        domain=kind_domain("class", CONNECTION_DOMAIN),
    )
    default_department_ref_id = fields.Many2one(
        "quickbooks.reference", "Default Location", check_company=True,
        domain=kind_domain("department", CONNECTION_DOMAIN),
    )
    untaxed_tax_code_ref_id = fields.Many2one(
        "quickbooks.reference", "Tax Code for Untaxed Lines",
        domain=kind_domain("tax_code", CONNECTION_DOMAIN),
        help="Outside the US QuickBooks wants a tax code on every line: the one given to invoice lines "
             "without a tax in Odoo and to cash-rounding lines (e.g. Out of Scope, or Exempt).",
    )
    use_sub_customers = fields.Boolean(
        "Contacts as sub-customers",
        help="Send an invoice addressed to a contact person to that person's QuickBooks sub-customer (job) of "
             "the company. Off: invoices and payments go to the company's customer (the commercial partner), "
             "the contact only receives the invoice by email.",
    )
    sync_missing = fields.Char("Missing before sync", compute="_compute_sync_missing")
    match_strategy = fields.Selection(
        MATCH_STRATEGIES, default="name_or_contact", required=True,
        help="How an Odoo record and a QuickBooks one are recognised as the same, when importing and when "
             "QuickBooks says a name is already used.",
    )
    duplicate_resolution = fields.Selection(
        [("suffix", "Add a differentiator (\"John Smith - 2\")"), ("manual", "Leave for manual resolution")],
        default="suffix", required=True,
        help="When a name QuickBooks requires to be unique is taken by a different record.",
    )
    auto_push_invoices = fields.Boolean(
        "Send invoices when posted", default=True,
        help="Queue customer invoices, credit notes and payments for QuickBooks as soon as they are posted.",
    )
    auto_push_bills = fields.Boolean(
        "Send vendor bills when posted", default=False,
        help="Queue vendor bills, refunds and receipts, and vendor payments, for QuickBooks as soon as they are "
             "posted.",
    )
    auto_push_partners = fields.Boolean(
        "Send customers and products when changed", default=True,
        help="Queue customers and products when they are created or when a field sent to QuickBooks changes.",
    )

    time_rounding = fields.Selection(
        [("none", "None (to the minute)"), ("6", "Up to 6 minutes"), ("15", "Up to 15 minutes"),
         ("30", "Up to 30 minutes")],
        "Timesheet rounding", default="none", required=True,
        help="How the time of a timesheet entry is rounded when it is sent to QuickBooks as a time activity.",
    )

    _company_uniq = models.Constraint("UNIQUE(company_id)", "A company has a single QuickBooks connection.")

    # -- computed fields -------------------------------------------------------------------------

    @api.depends("company_id", "realm_id", "qbo_company_name")
    def _compute_display_name(self):
        for connection in self:
            name = connection.company_id.name or ""
            if connection.qbo_company_name:
                name = f"{name} → {connection.qbo_company_name}"
            connection.display_name = name

    @api.depends_context("uid")
    def _compute_can_edit_app(self):
        allowed = self.env.is_system()
        for connection in self:
            connection.can_edit_app = allowed

    def _compute_client_secret(self):
        # The secret goes in, never out: the field always reads empty.
        for connection in self:
            connection.client_secret = False

    def _inverse_client_secret(self):
        for connection in self:
            secret = (connection.client_secret or "").strip()
            if secret and secret != connection._stored_secret():
                connection.client_secret_encrypted = crypto.encrypt(secret)

    @api.depends("environment", "custom_url")
    def _compute_configuration(self):
        for connection in self:
            connection.has_client_secret = bool(connection.sudo().client_secret_encrypted)
            connection.missing_configuration = ", ".join(connection._missing_configuration())

    def _missing_configuration(self):
        self.ensure_one()
        secrets = self.sudo()
        missing = []
        if not secrets.client_id:
            missing.append(self.env._("client ID"))
        if not secrets.client_secret_encrypted:
            missing.append(self.env._("client secret"))
        if self.environment == "custom" and not self.custom_url:
            missing.append(self.env._("custom URL"))
        if not crypto.is_configured():
            missing.append(self.env._("encryption key in the server configuration"))
        return missing

    @api.depends("references_synced_at")
    def _compute_references_job_id(self):
        for connection in self:
            connection.references_job_id = self.env["quickbooks.sync.job"].sudo().search([
                ("connection_id", "=", connection.id), ("operation", "=", "import"),
                ("qbo_entity", "=", "References"),
            ], order="id desc", limit=1)

    @api.depends("realm_id", "references_synced_at", "default_income_account_ref_id", "default_item_ref_id",
                 "default_expense_account_ref_id")
    def _compute_sync_missing(self):
        for connection in self:
            connection.sync_missing = ", ".join(connection._sync_missing())
            connection.sync_warnings = ", ".join(connection._sync_warnings())

    @api.depends("realm_id", "references_synced_at")
    def _compute_references_to_link(self):
        # Of the QuickBooks company connected now, as the last sync's summary counts them.
        counts = {(connection.id, realm): count for connection, realm, count in
                  self.env["quickbooks.reference"].sudo()._read_group(
                      [("connection_id", "in", self.ids), *self.env["quickbooks.reference"]._to_link_domain()],
                      groupby=["connection_id", "realm_id"], aggregates=["__count"])}
        for connection in self:
            connection.references_to_link = counts.get((connection.id, connection.realm_id), 0)

    def _sync_missing(self):
        """What must be set before records can be pushed, in words for the settings view."""
        self.ensure_one()
        missing = []
        if self.backend == "desktop":
            # QuickBooks Desktop: the Web Connector needs its setup file and password only.
            if not self.realm_id:
                missing.append(self.env._("the Web Connector setup file (Download setup file)"))
            if not self.sudo().qbd_password_hash:
                missing.append(self.env._("a Web Connector password"))
            return missing
        if not self.realm_id:
            missing.append(self.env._("a connected QuickBooks company"))
        if not self.references_synced_at:
            missing.append(self.env._("reference data (click Sync reference data)"))
        if not self.default_income_account_ref_id:
            missing.append(self.env._("default income account"))
        if not self.default_item_ref_id:
            missing.append(self.env._("default service item"))
        if not self.default_expense_account_ref_id:
            missing.append(self.env._("default expense account"))
        if self.references_synced_at and not self._is_us() and not self._tax_codes_linked():
            # Outside the US every invoice line carries a tax code: nothing could be sent.
            missing.append(self.env._("tax mapping (link Odoo's sales taxes to QuickBooks tax codes)"))
        return missing

    def _sync_warnings(self):
        """Gaps that fail only the records concerned (shown, not blocking)."""
        self.ensure_one()
        if not self.realm_id or not self.references_synced_at or self.backend == "desktop":
            return []
        warnings = []
        linked_taxes = self._tax_codes_linked()
        taxes = self.env["account.tax"].sudo().search([
            ("company_id", "=", self.company_id.id), ("type_tax_use", "=", "sale"),
        ]) - linked_taxes
        if taxes:
            warnings.append(self.env._("sales taxes without a QuickBooks tax code: %s",
                                       ", ".join(taxes[:5].mapped("name")) + (" ..." if len(taxes) > 5 else "")))
        journals = self.env["account.journal"].sudo().search([
            ("company_id", "=", self.company_id.id), ("type", "in", ("bank", "cash")),
            ("quickbooks_payment_method_ref_id", "=", False),
        ])
        if journals:
            warnings.append(self.env._("payment journals without a QuickBooks payment method: %s",
                                       ", ".join(journals.mapped("name"))))
        return warnings

    def _is_us(self):
        return (self.qbo_country or "").upper() in ("US", "USA")

    def _tax_codes_linked(self):
        """Odoo taxes with a QuickBooks tax code of the current company: set on the tax, or
        linked from the tax code's reference entry."""
        references = self.env["quickbooks.reference"].sudo().search([
            ("connection_id", "=", self.id), ("realm_id", "=", self.realm_id), ("qbo_entity", "=", "TaxCode"),
            ("active", "=", True),
        ])
        taxes = self.env["account.tax"].sudo().with_context(active_test=False).search([
            ("quickbooks_tax_code_ref_id", "in", references.ids),
        ])
        return taxes | references.tax_id

    @api.constrains(*DEFAULT_REFERENCE_KINDS)
    def _check_default_references(self):
        """A sync default of the wrong kind (Class = a credit-card account) would fail every
        record that uses it: refused when saved, with the reason, however it is written."""
        self.env["quickbooks.reference"]._check_kinds(self, DEFAULT_REFERENCE_KINDS, lambda connection: connection)

    @api.constrains("sync_enabled")
    def _check_sync_enabled(self):
        for connection in self.filtered("sync_enabled"):
            missing = connection._sync_missing()
            if missing:
                raise ValidationError(self.env._(
                    "Sync cannot be switched on for %(company)s yet. Missing: %(missing)s.",
                    company=connection.company_id.name, missing=", ".join(missing),
                ))

    def _compute_redirect_uri(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for connection in self:
            connection.redirect_uri = f"{base.rstrip('/')}{CALLBACK_PATH}"

    @api.depends("realm_id", "qbo_company_name")
    def _compute_token_status(self):
        credentials = {
            c.connection_id.id: c
            for c in self.env["quickbooks.credential"].sudo().search([("connection_id", "in", self.ids)])
        }
        now = fields.Datetime.now()
        for connection in self:
            credential = credentials.get(connection.id)
            expires = False
            if credential and credential.refresh_token_encrypted:
                candidates = [d for d in (credential.refresh_token_expires_at,
                                          credential.refresh_token_hard_expires_at) if d]
                expires = min(candidates) if candidates else False
            connection.refresh_token_expires_at = expires
            connection.refresh_token_days_left = max((expires - now).days, 0) if expires else 0
            if credential and credential.refresh_token_encrypted and connection.realm_id:
                if credential.refresh_error or (expires and expires <= now):
                    connection.state = "reconnect"
                    connection.status_message = self.env._(
                        "QuickBooks no longer accepts this connection. Connect again to resume syncing."
                    )
                else:
                    connection.state = "connected"
                    connection.status_message = self.env._(
                        "Connected to %s", connection.qbo_company_name or connection.realm_id
                    )
            elif connection._missing_configuration():
                connection.state = "not_configured"
                connection.status_message = self.env._(
                    "Missing: %s", ", ".join(connection._missing_configuration())
                )
            else:
                connection.state = "disconnected"
                connection.status_message = self.env._("Not connected to QuickBooks.")

    # -- life cycle ------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        connections = super().create(vals_list)
        self.env["quickbooks.credential"].sudo().create([{"connection_id": c.id} for c in connections])
        return connections

    def write(self, vals):
        changed = self._app_changes(vals)
        if changed and not self.env.is_system():
            raise AccessError(self.env._(
                "Only an administrator can change the QuickBooks environment, the emulator URL or the app's "
                "client ID and secret: they decide where Odoo sends its QuickBooks tokens."
            ))
        result = super().write(vals)
        if changed:
            changed._drop_authorization()
        return result

    def _app_changes(self, vals):
        """The connections of ``self`` whose environment, URL or app keys ``vals`` changes
        (writing the same values again, as the settings form does, changes nothing)."""
        if not any(field in vals for field in APP_FIELDS):
            return self.browse()

        def norm(value):
            return (value or "").strip() if isinstance(value, str) else (value or "")

        new_secret = norm(vals.get("client_secret")) or None
        if "client_secret_encrypted" in vals:
            new_secret = self._decrypt_or_none(vals["client_secret_encrypted"]) or ""
        changed = self.browse()
        for connection in self:
            current = connection.sudo()
            if any(field in vals and norm(vals[field]) != norm(current[field])
                   for field in ("environment", "custom_url", "client_id")):
                changed |= connection
            elif new_secret is not None and new_secret != connection._stored_secret():
                changed |= connection
        return changed

    @staticmethod
    def _decrypt_or_none(ciphertext):
        try:
            return crypto.decrypt(ciphertext) or ""
        except QuickBooksError:
            return None

    def _stored_secret(self):
        """The client secret stored now ("" if none, None if unreadable with the configured key)."""
        return self._decrypt_or_none(self.sudo().client_secret_encrypted)

    def _drop_authorization(self):
        """The environment, URL or app keys changed: the tokens were issued to the previous
        ones, so forget them (in the same transaction as the change) and any authorization
        started before it; the company connects again."""
        credentials = self.env["quickbooks.credential"].sudo().search([
            ("connection_id", "in", self.ids), ("refresh_token_encrypted", "!=", False),
        ])
        credentials._forget()
        self.env["quickbooks.oauth.state"].sudo().search([
            ("connection_id", "in", self.ids), ("used_at", "=", False),
        ]).unlink()
        self.sudo().write({"connected_since": False})
        for connection in credentials.connection_id:
            _logger.warning(
                "QuickBooks app or environment of company %s changed by user %s: its authorization was "
                "forgotten; connect again", connection.company_id.id, self.env.uid,
            )

    # -- helpers used by the transport -------------------------------------------------------------

    def _api_base(self):
        self.ensure_one()
        return api_base(self.environment, self.custom_url)

    def _app_base(self):
        self.ensure_one()
        return app_base(self.environment, self.custom_url)

    def _auth_client(self, **tokens):
        """An intuit-oauth client with this connection's app keys (reads the secret as superuser)."""
        self.ensure_one()
        crypto.require_key()
        missing = self._missing_configuration()
        if missing:
            raise ConfigurationError(
                self.env._("QuickBooks is not fully configured for %(company)s: %(missing)s is missing.",
                           company=self.company_id.name, missing=", ".join(missing)),
                self.env._("Fill it in under Settings > QuickBooks."),
            )
        secrets = self.sudo()
        return make_auth_client(
            self.environment, self.custom_url, secrets.client_id.strip(),
            crypto.decrypt(secrets.client_secret_encrypted), self.redirect_uri, **tokens,
        )

    def _tokens(self):
        self.ensure_one()
        return TokenManager(self.env.registry, self.id)

    def _client(self, **options):
        """The API client for this company; raises if it is not connected."""
        self.ensure_one()
        return QuickBooksClient(self.env.registry, self.sudo(), **options)

    def _check_manager_access(self):
        """Refuse, before anything happens, anyone but a QuickBooks manager allowed to change
        each of these connections (record rules: the connection of one of their companies)."""
        if self.env.su:
            return
        if not self.env.user.has_group("quickbooks_sync.group_quickbooks_manager"):
            raise AccessError(self.env._("Only QuickBooks managers can connect, configure or disconnect QuickBooks."))
        self.check_access("write")

    @staticmethod
    def _notification(kind, title, message, sticky=False, next_action=None):
        params = {"type": kind, "title": title, "message": message, "sticky": sticky}
        if next_action:
            params["next"] = next_action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}

    # -- connect ---------------------------------------------------------------------------------------

    def action_connect(self, return_to="connection"):
        """Start the OAuth 2.0 authorization-code flow: off to Intuit's consent page."""
        self.ensure_one()
        self._check_manager_access()
        try:
            auth_client = self._auth_client()
        except (AuthClientError, requests.RequestException) as exc:
            raise UserError(oauth_error(exc).user_message()) from exc
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
        state = self.env["quickbooks.oauth.state"]._issue(self, return_to=return_to)
        url = auth_client.get_authorization_url(SCOPES, state_token=state)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _complete_authorization(self, code, realm_id):
        """The callback's second half: exchange the code, check with the new access token that
        it opens the QuickBooks company the callback names, and only then keep the tokens.
        The ``realmId`` of a callback is a query parameter anyone can change; a failure
        stores nothing and leaves the previous connection as it was."""
        self.ensure_one()
        self._check_manager_access()
        if not REALM_ID_PATTERN.fullmatch(realm_id or ""):
            raise QuickBooksError(
                self.env._("QuickBooks' answer does not carry a valid company ID. Nothing was changed."),
                self.env._("Start again from Connect to QuickBooks."),
            )
        auth_client = self._auth_client()
        try:
            auth_client.get_bearer_token(code, realm_id=realm_id)
        except (AuthClientError, requests.RequestException) as exc:
            raise oauth_error(exc) from exc
        try:
            info = read_company_info(self._api_base(), realm_id, auth_client.access_token)
        except QuickBooksError:
            # Tokens for some other company, or none that work: never kept, and withdrawn.
            self._revoke_quietly(auth_client)
            _logger.warning("QuickBooks authorization for company %s refused: it does not open QuickBooks "
                            "company %s", self.company_id.id, realm_id)
            raise
        self._tokens().store_authorization(auth_client, realm_id)
        values = {
            "realm_id": realm_id,
            "connected_since": fields.Datetime.now(),
            "connected_by_id": self.env.user.id,
        }
        if self.realm_id and self.realm_id != realm_id:
            # Another QuickBooks company: every id stored so far belongs to the old realm and
            # is keyed by it, so none of them can reach the new company.
            values["previous_realm_id"] = self.realm_id
            _logger.warning(
                "Company %s switched from QuickBooks company %s to %s", self.company_id.id, self.realm_id, realm_id
            )
        self.sudo().write(values)
        self._refresh_company_info(info)
        return self

    @staticmethod
    def _revoke_quietly(auth_client):
        try:
            auth_client.revoke(token=auth_client.refresh_token)
        except (AuthClientError, requests.RequestException) as exc:
            _logger.warning("Could not revoke an unused QuickBooks authorization: %s", oauth_error(exc).message)

    def _refresh_company_info(self, info=None):
        client = self._client()
        info = info or client.company_info()
        values = {
            "qbo_company_name": info.get("CompanyName") or info.get("LegalName") or "",
            "qbo_country": info.get("Country") or "",
        }
        try:
            prefs = client.preferences()
            values["qbo_home_currency"] = (prefs.get("CurrencyPrefs") or {}).get("HomeCurrency", {}).get("value", "")
        except QuickBooksError as exc:
            _logger.info("Could not read QuickBooks preferences: %s", exc.message)
        self.sudo().write(values)
        return info

    # -- test ------------------------------------------------------------------------------------------

    def action_test_connection(self):
        self.ensure_one()
        self._check_manager_access()
        title = self.env._("QuickBooks connection test")
        if not self.realm_id or self.state in ("not_configured", "disconnected"):
            return self._notification("warning", title, self.env._("%s is not connected to QuickBooks.",
                                                                   self.company_id.name))
        started = time.monotonic()
        try:
            info = self._client(timeout=30, max_attempts=1).company_info()
        except QuickBooksError as exc:
            return self._notification("danger", title, exc.user_message(), sticky=True)
        elapsed = int((time.monotonic() - started) * 1000)
        self.sudo().write({"qbo_company_name": info.get("CompanyName") or self.qbo_company_name})
        message = self.env._(
            "Connected to %(name)s (company ID %(realm)s). QuickBooks answered in %(ms)s ms.",
            name=info.get("CompanyName"), realm=self.realm_id, ms=elapsed,
        )
        return self._notification("success", title, message)

    # -- disconnect ------------------------------------------------------------------------------------

    def action_open_disconnect_wizard(self):
        self.ensure_one()
        self._check_manager_access()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Disconnect from QuickBooks"),
            "res_model": "quickbooks.disconnect.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_connection_id": self.id},
        }

    def _disconnect(self):
        """Revoke at Intuit, forget the tokens, keep every QuickBooks id.  Returns a warning
        when Intuit could not be told (the tokens are forgotten anyway)."""
        self.ensure_one()
        self._check_manager_access()
        tokens = self._tokens()
        warning = ""
        refresh_token = tokens.refresh_token()
        if refresh_token:
            try:
                self._auth_client().revoke(token=refresh_token)
            except (AuthClientError, requests.RequestException) as exc:
                error = oauth_error(exc)
                warning = self.env._(
                    "Intuit could not be told to revoke the authorization (%s). Odoo forgot its tokens anyway; "
                    "to be thorough, remove the app in QuickBooks under Settings > Apps.", error.message,
                )
            except QuickBooksError as exc:
                warning = exc.user_message()
        tokens.forget()
        self.sudo().write({"connected_since": False})
        _logger.info("Company %s disconnected from QuickBooks company %s", self.company_id.id, self.realm_id)
        return warning

    def _quickbooks_last_reconciliation_note(self):
        """What "Sync everything now" says about the last reconciliation (the advice: one
        reconciliation pass before the first big push)."""
        self.ensure_one()
        last = self.env["quickbooks.reconciliation"].sudo().search([
            ("connection_id", "=", self.id), ("state", "in", ("done", "failed"))], order="id desc", limit=1)
        if not last:
            return self.env._("No reconciliation has been run yet: run one (Settings > QuickBooks > Reconcile now) "
                              "before the first big push, to see what QuickBooks already has.")
        when = fields.Datetime.to_string(last.run_at or last.create_date)
        if last.state == "failed":
            return self.env._("The last reconciliation, on %(when)s, could not finish: %(error)s",
                              when=when, error=last.error or "")
        if not last.difference_count:
            return self.env._("Last reconciliation on %s: QuickBooks and Odoo agree.", when)
        return self.env._("Last reconciliation on %(when)s: %(count)s differences; look at them before sending "
                          "everything.", when=when, count=last.difference_count)

    def action_open_sync_all_wizard(self):
        self.ensure_one()
        self._check_manager_access()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sync everything now"),
            "res_model": "quickbooks.sync.all.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_connection_id": self.id},
        }

    def _is_same_party(self, record, qbo_object):
        """Does the match strategy say that ``record`` and ``qbo_object`` are the same?"""
        self.ensure_one()
        if record._name == "res.partner":
            return same_party(partner_keys(record), qbo_party_keys(qbo_object), self.match_strategy)
        if record._name == "product.product":
            return same_product(record, qbo_object, self.match_strategy)
        if record._name == "hr.employee":
            # The same name (without case, runs of spaces as one): time trackers match people so.
            return same_name(record.name, qbo_object.get("DisplayName"))
        return False

    # -- reference data and import -----------------------------------------------------------

    def action_sync_references(self):
        """The "Sync reference data" button: read QuickBooks' lists now, then say what changed."""
        self.ensure_one()
        self._check_manager_access()
        from ..sync.reference_import import ReferenceImporter  # noqa: PLC0415 - the service imports the models

        title = self.env._("QuickBooks reference data")
        try:
            summary = ReferenceImporter(self).run()
        except QuickBooksError as exc:
            raise UserError(exc.user_message()) from exc
        message = self.env._(
            "%(new)s new, %(updated)s updated, %(deactivated)s deactivated; %(unmatched)s still to link to Odoo.",
            **{key: summary[key] for key in ("new", "updated", "deactivated", "unmatched")},
        )
        reload_page = {"type": "ir.actions.client", "tag": "soft_reload"}
        return self._notification("success" if not summary["unmatched"] else "warning", title, message,
                                  sticky=bool(summary["unmatched"]), next_action=reload_page)

    def action_open_references(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("quickbooks_sync.action_quickbooks_reference")
        action["domain"] = [("connection_id", "=", self.id), ("realm_id", "=", self.realm_id)]
        action["context"] = {"search_default_to_link": 1, "active_test": True}
        return action

    def action_open_import_wizard(self):
        self.ensure_one()
        self._check_manager_access()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import from QuickBooks"),
            "res_model": "quickbooks.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_connection_id": self.id},
        }

    @api.model
    def _cron_sync_references(self):
        """Daily refresh of every connected company's reference data (each in its own transaction)."""
        from ..sync.reference_import import ReferenceImporter  # noqa: PLC0415

        for connection_id in self.sudo().search([("realm_id", "!=", False), ("backend", "=", "online")]).ids:
            with self.env.registry.cursor() as cr:
                connection = self.with_env(self.env(cr=cr)).sudo().browse(connection_id)
                if connection.state != "connected":
                    continue
                try:
                    ReferenceImporter(connection, notify=False).run()
                except (QuickBooksError, UserError) as exc:
                    cr.rollback()
                    _logger.warning("QuickBooks reference sync failed for %s: %s", connection.display_name, exc)

    # -- demo ----------------------------------------------------------------------------------------

    @api.model
    def _demo_configure_emulator(self):
        """Demo data: point the main company at the bundled emulator and its demo app keys.
        The secret is only stored when an encryption key is configured (``make run`` sets one)."""
        from ..qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET  # noqa: PLC0415

        connection = self.env.ref("base.main_company")._quickbooks_connection().sudo()
        connection.write({
            "environment": "custom",
            "custom_url": "http://localhost:8089",
            "client_id": DEFAULT_CLIENT_ID,
        })
        if crypto.is_configured():
            connection.client_secret = DEFAULT_CLIENT_SECRET

    # -- crons --------------------------------------------------------------------------------------------

    @api.model
    def _cron_refresh_tokens(self):
        """Renew authorizations before they lapse, so that an idle company stays connected."""
        horizon = fields.Datetime.now() + timedelta(days=KEEPALIVE_DAYS)
        for connection in self.sudo().search([("realm_id", "!=", False), ("backend", "=", "online")]):
            if connection.state != "connected" or not connection.refresh_token_expires_at:
                continue
            if connection.refresh_token_expires_at > horizon:
                continue
            try:
                connection._tokens().refresh(force=True)
            except QuickBooksError as exc:
                _logger.warning("QuickBooks keep-alive refresh failed for %s: %s", connection.display_name, exc)
