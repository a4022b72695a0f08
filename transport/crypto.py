"""Encryption of secrets at rest (OAuth tokens, the app's client secret).

The key comes from the Odoo server configuration, never from the database, so a database
dump alone does not reveal QuickBooks access:

* ``quickbooks_encryption_key = <key>`` in ``odoo.conf``, or
* the ``QUICKBOOKS_ENCRYPTION_KEY`` environment variable.

The key is a Fernet key (44 URL-safe base64 characters).  Several keys separated by commas
allow rotation: the first encrypts, every one of them decrypts.
"""

import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from odoo.tools import config

from .errors import EncryptionKeyError

CONFIG_OPTION = "quickbooks_encryption_key"
ENV_VARIABLE = "QUICKBOOKS_ENCRYPTION_KEY"

HOW_TO = (
    "Add 'quickbooks_encryption_key = <key>' to the [options] section of the Odoo configuration "
    "file (or set the QUICKBOOKS_ENCRYPTION_KEY environment variable) and restart Odoo. Generate a "
    "key with: python3 -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\""
)


def _configured_keys():
    raw = config.get(CONFIG_OPTION) or os.environ.get(ENV_VARIABLE) or ""
    return [key.strip() for key in str(raw).split(",") if key.strip()]


def is_configured():
    return bool(_configured_keys())


def require_key():
    """Raise the explanation of how to configure the key when there is none (or a bad one)."""
    _fernet()


def _fernet():
    keys = _configured_keys()
    if not keys:
        raise EncryptionKeyError(
            "QuickBooks secrets are stored encrypted with a key from the Odoo server configuration, "
            "and no key is configured.",
            HOW_TO,
        )
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise EncryptionKeyError(
            "The QuickBooks encryption key in the server configuration is not a valid Fernet key "
            "(44 URL-safe base64 characters).",
            HOW_TO,
        ) from exc


def encrypt(plaintext):
    if not plaintext:
        return False
    return _fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext):
    if not ciphertext:
        return False
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise EncryptionKeyError(
            "The stored QuickBooks secrets were encrypted with another key than the one configured now.",
            "Put the previous key back (you may list several keys, comma-separated), or enter the client "
            "secret again and reconnect.",
        ) from exc
