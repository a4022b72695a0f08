"""QuickBooks Desktop as a company's second backend: the Web Connector's setup file, its
password and what it last reported.  (The Online fields and flow stay in quickbooks_connection.py.)"""

import base64
import hashlib
import hmac
import logging
import secrets
import string
import urllib.parse
import uuid
from datetime import timedelta
from xml.sax.saxutils import escape

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

QBWC_PATH = "/quickbooks/qbwc"
QWC_PATH = "/quickbooks/qbwc/setup"
SUPPORT_PATH = "/quickbooks/qbwc/support"
RUN_EVERY_MINUTES = 2
PBKDF2_ROUNDS = 200_000
SILENT_AFTER = timedelta(days=1)


def hash_password(password, salt=None):
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), PBKDF2_ROUNDS)
    return f"pbkdf2_sha256${PBKDF2_ROUNDS}${salt}${base64.b64encode(digest).decode()}"


def check_password(password, stored):
    try:
        _scheme, rounds, salt, expected = (stored or "").split("$")
    except ValueError:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", (password or "").encode("utf-8"), salt.encode("ascii"), int(rounds))
    return hmac.compare_digest(base64.b64encode(digest).decode(), expected)


def new_guid():
    return "{" + str(uuid.uuid4()).upper() + "}"


class QuickbooksConnectionDesktop(models.Model):
    _inherit = "quickbooks.connection"

    backend = fields.Selection(
        [("online", "QuickBooks Online"), ("desktop", "QuickBooks Desktop")], default="online", required=True,
        string="QuickBooks", help="QuickBooks Online (Intuit's API, OAuth) or QuickBooks Desktop (the QuickBooks "
                                  "Web Connector calls Odoo every two minutes).",
    )
    qbd_username = fields.Char("Web Connector User", readonly=True, copy=False)
    qbd_password_hash = fields.Char(groups="base.group_system", copy=False, readonly=True, exportable=False)
    qbd_has_password = fields.Boolean("Password set", compute="_compute_qbd_status")
    qbd_owner_id = fields.Char("OwnerID", readonly=True, copy=False)
    qbd_file_id = fields.Char("FileID", readonly=True, copy=False)
    qbd_last_contact = fields.Datetime("Last Web Connector contact", readonly=True, copy=False)
    qbd_version = fields.Char("Web Connector version", readonly=True, copy=False)
    qbd_company_file = fields.Char("Company file", readonly=True, copy=False)
    qbd_silent = fields.Boolean("Web Connector silent", compute="_compute_qbd_status",
                                help="The Web Connector has not called Odoo for a day.")
    qbd_import_offered = fields.Boolean("One-time import offered", compute="_compute_qbd_import_offered")
    qbd_income_account = fields.Char(
        "Income account (Desktop)", default="Service Income",
        help="Full name of the QuickBooks Desktop income account of the items Odoo creates there.",
    )

    def _compute_qbd_status(self):
        now = fields.Datetime.now()
        for connection in self:
            connection.qbd_has_password = bool(connection.sudo().qbd_password_hash)
            connection.qbd_silent = bool(
                connection.backend == "desktop" and connection.qbd_username
                and (not connection.qbd_last_contact or now - connection.qbd_last_contact > SILENT_AFTER)
            )

    # -- setup --------------------------------------------------------------------------------

    def _qbd_ensure_identity(self):
        """Web Connector user, OwnerID and FileID, created once per connection; the FileID
        names the company file Odoo's links of this connection belong to."""
        for connection in self.sudo():
            values = {}
            if not connection.qbd_username:
                values["qbd_username"] = f"odoo-{connection.company_id.id}-{secrets.token_hex(3)}"
            if not connection.qbd_owner_id:
                values["qbd_owner_id"] = new_guid()
            if not connection.qbd_file_id:
                values["qbd_file_id"] = new_guid()
            file_id = values.get("qbd_file_id") or connection.qbd_file_id
            if connection.backend == "desktop" and connection.realm_id != self._qbd_realm(file_id):
                if connection.realm_id:
                    values["previous_realm_id"] = connection.realm_id
                values["realm_id"] = self._qbd_realm(file_id)
            if values:
                connection.write(values)

    @staticmethod
    def _qbd_realm(file_id):
        return f"QBD{file_id}"

    def _qbd_base_url(self):
        base = (self.env["ir.config_parameter"].sudo().get_param("web.base.url") or "").rstrip("/")
        parsed = urllib.parse.urlsplit(base)
        if parsed.hostname not in ("localhost", "127.0.0.1", "::1") and parsed.scheme == "http":
            # The Web Connector refuses plain HTTP except on the PC itself (QBWC1051).
            base = urllib.parse.urlunsplit(("https", parsed.netloc, parsed.path, "", ""))
        return base

    def _qbd_qwc(self):
        """The .qwc setup file the user adds to the Web Connector."""
        self.ensure_one()
        self._qbd_ensure_identity()
        base = self._qbd_base_url()
        host = urllib.parse.urlsplit(base).hostname or "odoo"
        values = {
            "AppName": f"Odoo {self.company_id.name} ({host})"[:100],
            "AppID": "",
            "AppURL": f"{base}{QBWC_PATH}",
            "AppDescription": "Odoo sends customers, items, invoices and payments to QuickBooks",
            "AppSupport": f"{base}{SUPPORT_PATH}",
            "UserName": self.qbd_username,
            "OwnerID": self.qbd_owner_id,
            "FileID": self.qbd_file_id,
            "QBType": "QBFS",
        }
        body = "".join(f"  <{tag}>{escape(value)}</{tag}>\n" for tag, value in values.items())
        return ('<?xml version="1.0"?>\n<QBWCXML>\n' + body
                + f"  <Scheduler>\n    <RunEveryNMinutes>{RUN_EVERY_MINUTES}</RunEveryNMinutes>\n  </Scheduler>\n"
                "  <IsReadOnly>false</IsReadOnly>\n</QBWCXML>\n")

    def _qbd_set_password(self):
        """A new Web Connector password: stored hashed, returned to be shown once."""
        self.ensure_one()
        alphabet = string.ascii_letters + string.digits
        password = "".join(secrets.choice(alphabet) for _i in range(24))
        self.sudo().write({"qbd_password_hash": hash_password(password)})
        _logger.info("New QuickBooks Web Connector password for company %s by user %s",
                     self.company_id.id, self.env.uid)
        return password

    def _qbd_check_credentials(self, username, password):
        self.ensure_one()
        return bool(username) and username == self.qbd_username and check_password(
            password, self.sudo().qbd_password_hash)

    def action_qbd_download_setup(self):
        """Download setup file (.qwc) for the Web Connector."""
        self._check_manager_access()
        self.ensure_one()
        if self.backend != "desktop":
            raise UserError(self.env._("Choose QuickBooks Desktop first."))
        self._qbd_ensure_identity()
        return {"type": "ir.actions.act_url", "url": f"{QWC_PATH}/{self.id}", "target": "download"}

    def action_qbd_new_password(self):
        """Generate the Web Connector password, shown once (stored hashed)."""
        self._check_manager_access()
        self.ensure_one()
        if self.backend != "desktop":
            raise UserError(self.env._("Choose QuickBooks Desktop first."))
        self._qbd_ensure_identity()
        # Shown in an unsaved dialog: the password travels once in this answer, never stored.
        return {
            "type": "ir.actions.act_window", "res_model": "quickbooks.qbwc.password.wizard",
            "view_mode": "form", "target": "new", "name": self.env._("Web Connector password"),
            "context": {"default_connection_id": self.id, "default_password": self._qbd_set_password()},
        }

    def _qbd_import_offered(self):
        """The one-time import is offered until ongoing sync has sent something."""
        self.ensure_one()
        return not self.env["quickbooks.sync.job"].sudo().search_count([
            ("connection_id", "=", self.id), ("state", "=", "done"), ("realm_id", "=", self.realm_id),
            ("qbo_entity", "!=", "DesktopImport"), ("operation", "!=", "import"),
        ], limit=1)

    def _compute_qbd_import_offered(self):
        for connection in self:
            connection.qbd_import_offered = connection.backend == "desktop" and connection._qbd_import_offered()

    def action_qbd_import(self):
        """Read customers and items from QuickBooks Desktop at the next Web Connector session
        (once, before ongoing sync starts); Import from QuickBooks previews and applies them."""
        self._check_manager_access()
        self.ensure_one()
        if self.backend != "desktop" or not self.realm_id:
            raise UserError(self.env._("Choose QuickBooks Desktop and download the setup file first."))
        if not self._qbd_import_offered():
            raise UserError(self.env._(
                "The one-time import from QuickBooks Desktop is no longer offered: ongoing sync has already sent "
                "records to QuickBooks, and importing now could link them twice."))
        self.env["quickbooks.sync.job"].sudo()._enqueue(self.sudo(), self.sudo(), qbo_entity="DesktopImport",
                                                        trigger=False)
        return self._notification("info", self.env._("QuickBooks Desktop import"), self.env._(
            "Customers and items will be read at the next Web Connector session (every two minutes, or Update "
            "Selected in the Web Connector). Then Import from QuickBooks shows what would be linked, created and "
            "skipped before anything is written."))

    @api.model_create_multi
    def create(self, vals_list):
        connections = super().create(vals_list)
        connections.filtered(lambda c: c.backend == "desktop")._qbd_ensure_identity()
        return connections

    def write(self, vals):
        result = super().write(vals)
        if vals.get("backend") == "desktop":
            self._qbd_ensure_identity()
        return result
