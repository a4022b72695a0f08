"""qbXML on the wire: reading a request message set, writing QuickBooks' response, converting values.

Reading (``read_message_set``) does what QuickBooks' request processor does before it runs anything,
and refuses the whole set with HRESULT 0x80040400 when the text is not qbXML:

* the ``<?qbxml version="13.0"?>`` processing instruction is required (qbwc/qbwc#69: without it
  every request failed) and must name a version this QuickBooks supports (``HostQuery`` lists them);
* ``<QBXML><QBXMLMsgsRq onError="...">`` with ``onError`` one of ``stopOnError``,
  ``continueOnError``, ``rollbackOnError`` (required by the schema);
* every request follows its content model (``spec.py``).
* **Latin-1 only.**  QuickBooks Desktop stores text in ISO-8859-1.  Tested on QuickBooks 2015
  (qbwc/qbxml#8, J. Barnabe): Latin-1 text (French, Spanish accents) goes in and comes back
  intact; Chinese, Greek or Cyrillic characters sent as they are make QuickBooks answer "found an
  error with the XML"; the same characters sent as character references (``&#1046;``) are accepted
  but stored, and returned, as question marks.  consolibyte's ``QuickBooks_Cast`` writes non-ASCII
  as ``&#NNN;`` for that reason and warns about text pasted from Word (curly quotes, dashes: they
  are outside Latin-1 too).  The stand-in does exactly that: a raw character above U+00FF refuses
  the set, a referenced one becomes ``?``.

Writing follows QuickBooks' own layout (consolibyte#92, qbwc/quickbooks_api#3 captures): an XML
declaration ``<?xml version="1.0" ?>``, then one element per line, no indentation, and an error
``*Rs`` as an empty element.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from lxml import etree

from . import status
from .status import QBError

ON_ERROR = ("stopOnError", "continueOnError", "rollbackOnError")
_PI = re.compile(r'version\s*=\s*"([^"]*)"')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False,
                          load_dtd=False)


class MessageSet:
    def __init__(self, version, on_error, requests, attributes):
        self.version = version
        self.on_error = on_error
        self.requests = requests          # lxml elements, in order
        self.attributes = attributes      # newMessageSetID / oldMessageSetID


def parse_error(detail):
    return status.qb_error(status.PARSE_ERROR, detail)


def read_message_set(text, supported_versions):
    """The request text (str or bytes) -> MessageSet, or QBError 0x80040400."""
    if isinstance(text, bytes):
        try:
            text = _decode(text)
        except UnicodeDecodeError as exc:
            raise parse_error(f"the request is not in its declared encoding: {exc}") from exc
    if not text or not text.strip():
        raise parse_error("the request is empty")
    outside = next((ch for ch in text if ord(ch) > 0xFF), None)
    if outside is not None:
        raise parse_error(f"character U+{ord(outside):04X} {outside!r} is outside ISO-8859-1 (Latin-1); "
                          "QuickBooks Desktop stores text in Latin-1 only")
    # The request processor receives a string: whatever encoding the declaration names is moot.
    body = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        root = etree.fromstring(body.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise parse_error(f"the request is not well-formed XML: {exc}") from exc
    version = None
    node = root.getprevious()
    while node is not None:
        if isinstance(node, etree._ProcessingInstruction) and node.target == "qbxml":
            match = _PI.search(node.text or "")
            version = match.group(1) if match else ""
        node = node.getprevious()
    if version is None:
        raise parse_error('the <?qbxml version="..."?> processing instruction is missing')
    if version not in supported_versions:
        raise parse_error(f"qbXML version {version!r} is not supported by this QuickBooks "
                          f"(HostQuery lists {', '.join(supported_versions)})")
    if root.tag != "QBXML":
        raise parse_error(f"the root element is <{root.tag}>, not <QBXML>")
    children = [child for child in root if isinstance(child.tag, str)]
    if len(children) != 1 or children[0].tag != "QBXMLMsgsRq":
        names = ", ".join(f"<{c.tag}>" for c in children) or "nothing"
        raise parse_error(f"<QBXML> must hold one <QBXMLMsgsRq> (found {names}); sign-on messages are "
                          "QuickBooks Online Edition only")
    msgs = children[0]
    on_error = msgs.get("onError")
    if on_error not in ON_ERROR:
        raise parse_error(f"QBXMLMsgsRq needs onError= {' | '.join(ON_ERROR)} (got {on_error!r})")
    extra = {k: v for k, v in msgs.attrib.items() if k != "onError"}
    unknown = set(extra) - {"newMessageSetID", "oldMessageSetID", "responseData"}
    if unknown:
        raise parse_error(f"QBXMLMsgsRq: attribute {sorted(unknown)[0]!r} is not allowed")
    if msgs.text and msgs.text.strip():
        raise parse_error("QBXMLMsgsRq: text is not allowed")
    requests = [child for child in msgs if isinstance(child.tag, str)]
    return MessageSet(version, on_error, requests, extra)


def _decode(data):
    match = re.match(rb'\s*<\?xml[^>]*encoding\s*=\s*["\']([A-Za-z0-9_.-]+)["\']', data)
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8"
    return data.decode(encoding)


def latin1(value):
    """Text QuickBooks can keep: referenced characters above U+00FF become '?'."""
    if isinstance(value, str):
        if any(ord(ch) > 0xFF for ch in value):
            return "".join(ch if ord(ch) <= 0xFF else "?" for ch in value)
        return value
    if isinstance(value, dict):
        return {k: latin1(v) for k, v in value.items()}
    if isinstance(value, list):
        return [latin1(v) for v in value]
    return value


# -- values ---------------------------------------------------------------------------------------

CENT = Decimal("0.01")


def to_bool(value, field):
    text = value.strip().lower()
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise status.invalid_boolean(value, field)


def to_decimal(value, field, places=2):
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,13}(\.\d{0,%d})?" % places, text):
        raise status.invalid_amount(value, field)
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already checked it
        raise status.invalid_amount(value, field) from exc


def to_int(value, field):
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        raise status.invalid_amount(value, field)
    return int(text)


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt_amount(value):
    return f"{money(value):.2f}"


def fmt_price(value):
    """Prices and rates: at least two decimals, at most five (PRICETYPE)."""
    value = Decimal(value).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP).normalize()
    text = f"{value:f}"
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def fmt_number(value):
    """Quantities and percentages: as few decimals as needed (``2``, ``8.25``)."""
    value = Decimal(value).quantize(Decimal("0.00001"), rounding=ROUND_HALF_UP).normalize()
    text = f"{value:f}"
    return text


def fmt_bool(value):
    return "true" if value else "false"


def cents(value):
    return int(money(value) * 100)


def from_cents(value):
    return Decimal(value) / 100


# -- writing responses ------------------------------------------------------------------------------

def _escape_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attr(text):
    return _escape_text(text).replace('"', "&quot;")


def render_value(name, value, out, order=None):
    """Append lines for one element (scalars, dicts, lists of either)."""
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value:
            value = _escape_text(value)
        out.append(f"<{name}>{value}</{name}>")
    elif kind is dict:
        out.append(f"<{name}>")
        if order is None:
            for key, item in value.items():
                if key[0] != "_":
                    render_value(key, item, out)
        else:
            for key in order:
                if key in value:
                    render_value(key, value[key], out)
        out.append(f"</{name}>")
    elif kind is list:
        for item in value:
            render_value(name, item, out)
    elif kind is bool:
        out.append(f"<{name}>{fmt_bool(value)}</{name}>")
    elif value is not None:
        out.append(f"<{name}>{_escape_text(str(value))}</{name}>")


class Response:
    """One ``*Rs``: its status attributes and its ``*Ret`` elements (already rendered lines)."""

    def __init__(self, name, request_id=None):
        self.name = name
        self.request_id = request_id
        self.code = 0
        self.severity = status.INFO
        self.message = status.OK
        self.extra = {}
        self.lines = []

    def set_status(self, code, message, severity=None):
        self.code = int(code)
        self.message = message
        self.severity = severity or status.severity_of(self.code)

    def render(self, out):
        attrs = []
        if self.request_id is not None:
            attrs.append(f'requestID="{_escape_attr(self.request_id)}"')
        attrs += [f'statusCode="{self.code}"', f'statusSeverity="{self.severity}"',
                  f'statusMessage="{_escape_attr(self.message)}"']
        attrs += [f'{k}="{_escape_attr(str(v))}"' for k, v in self.extra.items()]
        if self.lines:
            out.append(f"<{self.name} {' '.join(attrs)}>")
            out.extend(self.lines)
            out.append(f"</{self.name}>")
        else:
            out.append(f"<{self.name} {' '.join(attrs)} />")


def render_message_set(responses):
    out = ['<?xml version="1.0" ?>', "<QBXML>", "<QBXMLMsgsRs>"]
    for response in responses:
        response.render(out)
    out += ["</QBXMLMsgsRs>", "</QBXML>"]
    return "\n".join(out) + "\n"


def error_response(name, request_id, error):
    response = Response(name, request_id)
    response.set_status(error.code, error.message, error.severity)
    return response


__all__ = ["QBError", "MessageSet", "Response", "read_message_set", "render_message_set"]
