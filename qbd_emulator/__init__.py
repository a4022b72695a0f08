"""A QuickBooks Desktop stand-in: a company file that answers qbXML 13.0, and a scripted QuickBooks
Web Connector that drives a web service through real SOAP 1.1 sessions.

Start the company file with ``python -m qbd_emulator quickbooks --port 8090 --control`` and the Web
Connector with ``python -m qbd_emulator webconnector --qwc FILE --password P``; see the README.
It imports nothing from Odoo.
"""

from .companyfile import CompanyFile

__all__ = ["CompanyFile"]
