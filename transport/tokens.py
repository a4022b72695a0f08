"""One valid access token per connection, shared by every worker.

Intuit rotates refresh tokens and rejects a superseded one with ``invalid_grant``, so two
workers refreshing at once would kill the connection, and a refresh whose new token is lost
(say, in a sync job's transaction that later rolls back) would kill it too.  Hence:

* tokens live in ``quickbooks.credential`` and are only ever read and written through a
  cursor of our own, committed at once, never through the caller's transaction;
* a refresh takes ``SELECT ... FOR UPDATE`` on the credential row; a worker that waited for
  the lock finds the token already refreshed and uses it instead of refreshing again (under
  REPEATABLE READ the waiting transaction gets a serialization failure: we start a new one,
  which sees the committed token);
* the access token is refreshed when it has less than ``REFRESH_MARGIN`` seconds to live,
  and once more when QuickBooks answers 401 (:meth:`TokenManager.access_token` with
  ``rejected=``).
"""

import contextlib
import logging
from datetime import timedelta

import requests
from intuitlib.exceptions import AuthClientError
from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, fields

from . import crypto
from .errors import (
    AuthorizationRevokedError,
    CredentialsError,
    EnvironmentMismatchError,
    NetworkError,
    NotConnectedError,
    QuickBooksError,
)

_logger = logging.getLogger(__name__)

REFRESH_MARGIN = 300
LOCK_ATTEMPTS = 5


def oauth_error(exc):
    """Turn an intuit-oauth failure into one of our errors, with what to do about it."""
    if isinstance(exc, requests.RequestException):
        return NetworkError(
            f"Could not reach Intuit's sign-in service: {exc.__class__.__name__}.",
            "Check that this Odoo server can open HTTPS connections to Intuit (or that the emulator URL is right).",
        )
    status = getattr(exc, "status_code", None)
    content = getattr(exc, "content", b"") or b""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    tid = getattr(exc, "intuit_tid", "") or ""
    if status == 401 or "invalid_client" in content:
        return CredentialsError(
            "Intuit rejected the app's client ID or client secret (invalid_client).",
            "Copy them again from the Keys & credentials page of your Intuit developer app, and make sure "
            "they are the keys of the environment selected here.",
            code="invalid_client", http_status=status, intuit_tid=tid,
        )
    if "invalid_grant" in content:
        return AuthorizationRevokedError(
            "QuickBooks no longer accepts this connection's authorization (invalid_grant): it was revoked, "
            "expired, or replaced by a newer one.",
            "Click 'Connect to QuickBooks' to authorize Odoo again.",
            code="invalid_grant", http_status=status, intuit_tid=tid,
        )
    if status == 404:
        return EnvironmentMismatchError(
            "The QuickBooks environment URL does not answer like Intuit's sign-in service (HTTP 404).",
            "Check the environment and, for a custom URL, that it points at the emulator's root.",
            http_status=status,
        )
    return QuickBooksError(
        f"Intuit's sign-in service answered HTTP {status}.",
        "Try again later; if it persists, check Intuit's status page.",
        http_status=status, intuit_tid=tid, detail=content[:500],
    )


class TokenManager:
    def __init__(self, registry, connection_id):
        self.registry = registry
        self.connection_id = connection_id

    @contextlib.contextmanager
    def _env(self):
        """A transaction of our own, committed when the block ends without error."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def _credential(self, env, lock=False):
        if lock:
            env.cr.execute(
                "SELECT id FROM quickbooks_credential WHERE connection_id = %s FOR UPDATE",
                (self.connection_id,),
            )
        else:
            env.cr.execute("SELECT id FROM quickbooks_credential WHERE connection_id = %s", (self.connection_id,))
        row = env.cr.fetchone()
        if not row:
            raise NotConnectedError("This company has no QuickBooks credentials.", "Connect to QuickBooks first.")
        return env["quickbooks.credential"].browse(row[0])

    @staticmethod
    def _usable(credential, now, margin=REFRESH_MARGIN):
        return (
            credential.access_token_encrypted
            and credential.access_token_expires_at
            and credential.access_token_expires_at > now + timedelta(seconds=margin)
        )

    @staticmethod
    def _check_connected(credential):
        if not credential.refresh_token_encrypted:
            raise NotConnectedError(
                "This company is not connected to QuickBooks.", "Click 'Connect to QuickBooks' in the settings."
            )
        if credential.refresh_error:
            raise AuthorizationRevokedError(
                f"QuickBooks refused to renew this connection ({credential.refresh_error}).",
                "Click 'Connect to QuickBooks' to authorize Odoo again.",
                code=credential.refresh_error,
            )

    # -- public API --------------------------------------------------------------------------

    def access_token(self, rejected=None):
        """A valid access token and the realm it belongs to: ``(token, realm_id)``.

        ``rejected`` is a token QuickBooks just answered 401 to: it is refreshed even if its
        stored expiry says it is still valid (unless another worker already replaced it)."""
        with self._env() as env:
            credential = self._credential(env)
            self._check_connected(credential)
            now = fields.Datetime.now()
            if self._usable(credential, now):
                token = crypto.decrypt(credential.access_token_encrypted)
                if token != rejected:
                    return token, credential.realm_id
        return self.refresh(stale=rejected)

    def refresh(self, stale=None, force=False):
        """Refresh under the row lock; returns ``(token, realm_id)``.  Unless ``force``, a
        token another worker refreshed while we waited is returned and Intuit is not called."""
        for _attempt in range(LOCK_ATTEMPTS):
            try:
                return self._refresh_locked(stale, force)
            except SerializationFailure:
                # The row changed after our snapshot began: someone refreshed. Look again.
                continue
        raise QuickBooksError("Could not lock the QuickBooks credentials to refresh them.", "Try again.")

    def _refresh_locked(self, stale, force):
        with self._env() as env:
            credential = self._credential(env, lock=True)
            self._check_connected(credential)
            now = fields.Datetime.now()
            if not force and self._usable(credential, now):
                current = crypto.decrypt(credential.access_token_encrypted)
                if current != stale:
                    return current, credential.realm_id
            connection = env["quickbooks.connection"].browse(self.connection_id)
            auth_client = connection._auth_client(
                refresh_token=crypto.decrypt(credential.refresh_token_encrypted)
            )
            try:
                auth_client.refresh()
            except (AuthClientError, requests.RequestException) as exc:
                error = oauth_error(exc)
                _logger.warning(
                    "QuickBooks token refresh failed for connection %s: %s", self.connection_id, error.message
                )
                if isinstance(error, AuthorizationRevokedError):
                    # Permanent: remember it (committed with this transaction) so that workers
                    # stop calling Intuit with a dead token and the settings say "reconnect".
                    credential.write({"refresh_error": error.code})
                    env.cr.commit()
                raise error from exc
            credential._store_tokens(auth_client, now)
            _logger.info("QuickBooks access token refreshed for connection %s", self.connection_id)
            return auth_client.access_token, credential.realm_id

    def store_authorization(self, auth_client, realm_id):
        """Keep the tokens of a fresh authorization (the OAuth callback)."""
        with self._env() as env:
            credential = self._credential(env, lock=True)
            credential.write({"realm_id": realm_id, "refresh_error": False, "refresh_count": 0})
            credential._store_tokens(auth_client, fields.Datetime.now(), refreshed=False)

    def refresh_token(self):
        """The current refresh token (to revoke it), or None."""
        with self._env() as env:
            credential = self._credential(env)
            return crypto.decrypt(credential.refresh_token_encrypted) or None

    def forget(self):
        with self._env() as env:
            self._credential(env, lock=True)._forget()
