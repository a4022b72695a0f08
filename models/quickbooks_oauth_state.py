import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import hmac as odoo_hmac

STATE_TTL = timedelta(minutes=15)
HMAC_SCOPE = "quickbooks_sync.oauth_state"


class OAuthStateError(Exception):
    """The ``state`` of an OAuth callback is not one we issued to this user, or was used."""


def _hash(nonce):
    return hashlib.sha256(nonce.encode()).hexdigest()


class QuickbooksOauthState(models.Model):
    """One pending authorization: the ``state`` sent to Intuit, bound to a user and a company.

    The state string is ``<nonce>.<signature>``; only the nonce's hash is stored, and the
    signature (HMAC with the database secret) covers the nonce, user, company, connection and
    expiry, so a state cannot be forged, moved to another user or company, or used twice.
    """

    _name = "quickbooks.oauth.state"
    _description = "QuickBooks Authorization Request"

    nonce_hash = fields.Char(required=True, index=True, copy=False)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade")
    expires_at = fields.Datetime(required=True)
    used_at = fields.Datetime()
    return_to = fields.Selection([("settings", "Settings"), ("connection", "Connection")], default="settings")

    def _signature(self, nonce):
        self.ensure_one()
        message = f"{nonce}|{self.user_id.id}|{self.company_id.id}|{self.connection_id.id}|{self.expires_at}"
        return odoo_hmac(self.env(su=True), HMAC_SCOPE, message)

    @api.model
    def _issue(self, connection, return_to="settings"):
        nonce = secrets.token_urlsafe(24)
        record = self.sudo().create({
            "nonce_hash": _hash(nonce),
            "user_id": self.env.user.id,
            "company_id": connection.company_id.id,
            "connection_id": connection.id,
            "expires_at": fields.Datetime.now() + STATE_TTL,
            "return_to": return_to,
        })
        return f"{nonce}.{record._signature(nonce)}"

    @api.model
    def _consume(self, state):
        """The pending request ``state`` belongs to, marked used; raises OAuthStateError."""
        nonce, _, signature = (state or "").partition(".")
        if not nonce or not signature:
            raise OAuthStateError("The authorization response carries no valid state.")
        record = self.sudo().search([("nonce_hash", "=", _hash(nonce))], limit=1)
        if not record or not secrets.compare_digest(record._signature(nonce), signature):
            raise OAuthStateError("The authorization response does not match any request from Odoo.")
        if record.user_id != self.env.user:
            raise OAuthStateError("This authorization was started by another user.")
        if record.expires_at < fields.Datetime.now():
            raise OAuthStateError("This authorization request has expired (15 minutes). Start again.")
        # Single use, even with two callbacks racing: only one UPDATE finds used_at empty.
        self.env.cr.execute(
            "UPDATE quickbooks_oauth_state SET used_at = now() AT TIME ZONE 'UTC' "
            "WHERE id = %s AND used_at IS NULL RETURNING id",
            (record.id,),
        )
        if not self.env.cr.fetchone():
            raise OAuthStateError("This authorization response was already used.")
        record.invalidate_recordset(["used_at"])
        return record

    @api.autovacuum
    def _gc_expired_states(self):
        self.sudo().search([("expires_at", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
