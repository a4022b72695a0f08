from datetime import timedelta

from odoo import fields, models

from ..transport import crypto


class QuickbooksCredential(models.Model):
    """The OAuth tokens of one connection, encrypted.

    Readable by system administrators only (and then only as ciphertext); the transport reads
    and writes these rows through its own committed transaction (see transport/tokens.py).
    """

    _name = "quickbooks.credential"
    _description = "QuickBooks OAuth Tokens"

    connection_id = fields.Many2one("quickbooks.connection", required=True, ondelete="cascade", index=True)
    realm_id = fields.Char("Authorized Company ID", help="The QuickBooks company these tokens were issued for.")
    access_token_encrypted = fields.Text(copy=False, exportable=False)
    refresh_token_encrypted = fields.Text(copy=False, exportable=False)
    access_token_expires_at = fields.Datetime(copy=False)
    refresh_token_expires_at = fields.Datetime(copy=False)
    refresh_token_hard_expires_at = fields.Datetime(
        copy=False, help="Intuit's five-year limit: after it, only a new authorization helps."
    )
    refreshed_at = fields.Datetime(copy=False)
    refresh_count = fields.Integer(copy=False)
    refresh_error = fields.Char(copy=False, help="Set when Intuit refused to renew the tokens (invalid_grant).")

    _connection_uniq = models.Constraint("UNIQUE(connection_id)", "A connection has one set of tokens.")

    def _store_tokens(self, auth_client, now, refreshed=True):
        self.ensure_one()
        values = {
            "access_token_encrypted": crypto.encrypt(auth_client.access_token),
            "refresh_token_encrypted": crypto.encrypt(auth_client.refresh_token),
            "access_token_expires_at": now + timedelta(seconds=int(auth_client.expires_in or 3600)),
            "refresh_token_expires_at": now + timedelta(seconds=int(auth_client.x_refresh_token_expires_in or 0)),
            "refresh_error": False,
        }
        hard = getattr(auth_client, "x_refresh_token_hard_expires_in", None)
        if hard:
            values["refresh_token_hard_expires_at"] = now + timedelta(seconds=int(hard))
        if refreshed:
            values.update(refreshed_at=now, refresh_count=self.refresh_count + 1)
        self.write(values)

    def _forget(self):
        self.write({
            "access_token_encrypted": False,
            "refresh_token_encrypted": False,
            "access_token_expires_at": False,
            "refresh_token_expires_at": False,
            "refresh_token_hard_expires_at": False,
            "refresh_error": False,
        })
