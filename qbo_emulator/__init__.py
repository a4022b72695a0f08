"""A QuickBooks Online emulator: OAuth 2.0 and the Accounting API v3 over real HTTP.

Run it with ``python -m qbo_emulator --port 8089``; see the README for the control API.
It imports nothing from Odoo, so anyone can use it to try a QuickBooks client.
"""

from .app import Emulator
from .realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "Emulator"]
