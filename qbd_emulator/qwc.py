"""The .qwc file a web service hands its users, read as the Web Connector reads it when the user
chooses "Add an application".

Elements (QBWC Programmer's Guide ch. 4, table 4-1; jsgoupil ``WebConnectorQWCModel.cs``; Intuit's
WCWebService ``HTTPSWebService.qwc``), in any order:

* required: ``AppName``, ``AppID`` (may be empty), ``AppURL``, ``AppDescription``, ``AppSupport``,
  ``UserName``, ``OwnerID``, ``FileID``, ``QBType``;
* optional: ``Scheduler`` (``RunEveryNMinutes`` or ``RunEveryNSeconds``, the first one wins),
  ``IsReadOnly``, ``Style`` (``Document``, ``DocWrapped``, ``RPC``), ``AuthFlags``,
  ``PersonalDataPref``, ``UnattendedModePref``, ``Notify``, ``AppDisplayName``, ``AppUniqueName``,
  ``CertURL``.

The Web Connector refuses: a file that is not XML; a missing required element; an ``AppURL`` that is
not HTTPS, except on localhost ("If you don't use HTTPS, the web connector won't connect", guide
ch. 4; QBWC1051 "... is not on a secure (https) server", RappidDevelopment/quickbooks-js#26); an
``AppSupport`` on another domain than ``AppURL`` (guide ch. 4); ``OwnerID``/``FileID`` that are not
GUIDs in braces (consolibyte ``QWC.php``; jsgoupil formats them ``Guid:B``).  The stand-in also
refuses ``QBType`` QBPOS and ``Style`` RPC, which it does not play.
"""

import re
import urllib.parse

from lxml import etree

REQUIRED = ("AppName", "AppID", "AppURL", "AppDescription", "AppSupport", "UserName", "OwnerID", "FileID",
            "QBType")
OPTIONAL = ("Scheduler", "IsReadOnly", "Style", "AuthFlags", "PersonalDataPref", "UnattendedModePref", "Notify",
            "AppDisplayName", "AppUniqueName", "CertURL")
GUID = re.compile(r"\{[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
ADD_FAILED = "QBWC1039: There was a problem adding the application. Check QBWCLog.txt for details."


class QWCError(Exception):
    """The Web Connector would not add this application; the message is what it shows."""


class QWC:
    def __init__(self, fields, scheduler_seconds):
        self.fields = fields
        self.app_name = fields["AppName"]
        self.app_id = fields.get("AppID", "")
        self.app_url = fields["AppURL"]
        self.app_description = fields.get("AppDescription", "")
        self.app_support = fields["AppSupport"]
        self.user_name = fields["UserName"]
        self.owner_id = fields["OwnerID"]
        self.file_id = fields["FileID"]
        self.qb_type = fields["QBType"]
        self.scheduler_seconds = scheduler_seconds
        self.is_read_only = fields.get("IsReadOnly", "false").strip().lower() == "true"
        self.style = fields.get("Style", "Document") or "Document"
        self.unique_name = fields.get("AppUniqueName") or self.app_name

    def describe(self):
        return {"AppName": self.app_name, "AppURL": self.app_url, "UserName": self.user_name,
                "OwnerID": self.owner_id, "FileID": self.file_id, "QBType": self.qb_type,
                "RunEverySeconds": self.scheduler_seconds, "IsReadOnly": self.is_read_only, "Style": self.style}


def load(source, allow_http=False):
    """A QWC from a path or the file's text (bytes or str); QWCError with QBWC's message otherwise."""
    if isinstance(source, str) and not source.lstrip().startswith("<"):
        with open(source, "rb") as handle:
            data = handle.read()
    else:
        data = source.encode("utf-8") if isinstance(source, str) else source
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data.lstrip(b"\xef\xbb\xbf")), parser)
    except etree.XMLSyntaxError as exc:
        raise QWCError(f"{ADD_FAILED}\nThe file is not well-formed XML: {exc}") from exc
    if root.tag != "QBWCXML":
        raise QWCError(f"{ADD_FAILED}\nThe root element is <{root.tag}>, not <QBWCXML>.")
    fields, scheduler = {}, None
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "Scheduler":
            for item in child:
                if item.tag in ("RunEveryNMinutes", "RunEveryNSeconds") and scheduler is None:
                    try:
                        value = int((item.text or "").strip())
                    except ValueError as exc:
                        raise QWCError(f"{ADD_FAILED}\n{item.tag} must be a whole number.") from exc
                    if value <= 0:
                        raise QWCError(f"{ADD_FAILED}\n{item.tag} must be positive.")
                    scheduler = value * (60 if item.tag == "RunEveryNMinutes" else 1)
            continue
        fields.setdefault(child.tag, (child.text or "").strip())
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        raise QWCError(f"{ADD_FAILED}\nThe file has no <{missing[0]}> element.")
    for name in ("AppName", "AppURL", "AppSupport", "UserName", "QBType"):
        if not fields[name]:
            raise QWCError(f"{ADD_FAILED}\n<{name}> is empty.")
    url = urllib.parse.urlparse(fields["AppURL"])
    if url.scheme not in ("http", "https") or not url.hostname:
        raise QWCError(f"{ADD_FAILED}\nAppURL {fields['AppURL']!r} is not a web address.")
    if url.scheme == "http" and url.hostname not in LOOPBACK and not allow_http:
        raise QWCError(f"QBWC1051: The web service {fields['AppURL']} is not on a secure (https) server.")
    support = urllib.parse.urlparse(fields["AppSupport"])
    if (support.hostname or "").lower() != url.hostname.lower():
        raise QWCError(f"{ADD_FAILED}\nAppSupport {fields['AppSupport']!r} must be on the same domain as "
                       f"AppURL ({url.hostname}).")
    for name in ("OwnerID", "FileID"):
        if not GUID.fullmatch(fields[name]):
            raise QWCError(f"{ADD_FAILED}\n{name} {fields[name]!r} is not a GUID in braces "
                           "({XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}).")
    if fields["QBType"] != "QBFS":
        raise QWCError(f"{ADD_FAILED}\nQBType {fields['QBType']!r}: this Web Connector stand-in plays QuickBooks "
                       "Financial Software (QBFS) only.")
    style = fields.get("Style") or "Document"
    if style not in ("Document", "DocWrapped", "RPC"):
        raise QWCError(f"{ADD_FAILED}\nStyle {style!r} is not Document, DocWrapped or RPC.")
    if style == "RPC":
        raise QWCError(f"{ADD_FAILED}\nStyle RPC: this Web Connector stand-in speaks document/literal SOAP only.")
    return QWC(fields, scheduler)
