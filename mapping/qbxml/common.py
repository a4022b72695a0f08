"""What every qbXML entity mapping shares: QuickBooks Desktop's name rules, text encoding,
the message set, and the adapter interface the Web Connector session (sync/desktop.py) uses.

Name rules (visible in the Sync Log and on the link, reversible: Odoo keeps the original):
- ``:`` separates a job from its parent in QuickBooks' full names, so it cannot appear in a
  name: it becomes ``-``;
- QuickBooks keeps text in ISO-8859-1: an accented character outside Latin-1 loses its accent
  (``ő`` -> ``o``), any other (Cyrillic, Greek, Chinese...) becomes ``?`` in names; in other
  text (descriptions, memos) it is sent as a character reference, which QuickBooks stores as ``?``;
- names are cut to QuickBooks' lengths (customer 41, item 31) and a document number longer
  than RefNumber's 11 characters keeps its last 11 characters without separators; the full
  number stays in the memo.
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree

QBXML_VERSION = "13.0"
CUSTOMER_NAME_MAX = 41
ITEM_NAME_MAX = 31
INVOICE_REF_MAX = 11
PAYMENT_REF_MAX = 20
MEMO_MAX = 4095
ADAPTERS = {}
_BEYOND_LATIN1 = re.compile("[^\x00-\xff]")


def register(adapter_class):
    """Keyed by the job's entity, or by ``(model, entity)`` for an adapter of one model only."""
    key = (adapter_class.model, adapter_class.entity) if adapter_class.model else adapter_class.entity
    ADAPTERS[key] = adapter_class()
    return adapter_class


def adapter_for(res_model, entity):
    """The adapter of a job's record and entity, or None."""
    return ADAPTERS.get((res_model, entity)) or ADAPTERS.get(entity)


def latin1(text):
    """Text QuickBooks Desktop can store: characters outside Latin-1 without their accent when
    that leaves a Latin-1 character, else ``?``."""
    out = []
    for char in text or "":
        if ord(char) <= 0xFF:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)
        kept = "".join(c for c in base if ord(c) <= 0xFF and not unicodedata.combining(c))
        out.append(kept or "?")
    return "".join(out)


def name_rule(text, limit):
    """A list element's Name by QuickBooks Desktop's rules (see the module's docstring)."""
    name = latin1((text or "").replace(":", "-"))
    name = " ".join(name.split())
    return name[:limit].rstrip()


def ref_number(number, limit):
    number = latin1(number or "")
    if len(number) <= limit:
        return number
    return re.sub(r"[\s/\-_.]", "", number)[-limit:]


def marker(record):
    """Kept in Notes / Memo: finds the object again after a lost answer (there is no
    idempotency key in QuickBooks Desktop)."""
    return f"[odoo:{record._name}:{record.id}]"


def money(value):
    return str(Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def quantity(value):
    return format(Decimal(str(value or 0)).normalize(), "f")


def sub(parent, tag, text=None):
    """Append ``<tag>text</tag>`` (nothing when ``text`` is empty; ``text`` None: an aggregate)."""
    if text is None:
        return etree.SubElement(parent, tag)
    if text == "":
        return None
    element = etree.SubElement(parent, tag)
    element.text = str(text)
    return element


def ref(parent, tag, list_id=None, full_name=None):
    element = etree.SubElement(parent, tag)
    if list_id:
        sub(element, "ListID", list_id)
    else:
        sub(element, "FullName", full_name)
    return element


def request(name, request_id):
    """An ``<{name}Rq requestID=...>`` element."""
    return etree.Element(f"{name}Rq", requestID=str(request_id))


def message_set(requests, on_error="continueOnError"):
    """The qbXML text of a message set: ``<?qbxml version?>`` first (mandatory), each request
    answered (continueOnError: one failure is its record's own)."""
    root = etree.Element("QBXML")
    msgs = etree.SubElement(root, "QBXMLMsgsRq", onError=on_error)
    for element in requests:
        msgs.append(element)
    body = etree.tostring(root, encoding="unicode")
    body = _BEYOND_LATIN1.sub(lambda m: f"&#{ord(m.group())};", body)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{QBXML_VERSION}"?>\n{body}'


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def parse_response(text):
    """``[(rs_element)]`` of a qbXML response message set (entities and network off)."""
    data = (text or "").encode("utf-8")
    data = re.sub(rb"^\s*<\?xml[^>]*\?>", b"", data)
    root = etree.fromstring(data.strip(), _PARSER)
    msgs = root.find("QBXMLMsgsRs")
    return [child for child in (msgs if msgs is not None else []) if isinstance(child.tag, str)]


def text_of(element, path):
    found = element.find(path) if element is not None else None
    return found.text if found is not None and found.text is not None else ""


class DesktopError(Exception):
    """A record cannot be sent as it is: the message and what to do."""

    def __init__(self, message, hint=""):
        super().__init__(message)
        self.message = message
        self.hint = hint


class DesktopAdapter:
    """How one kind of Odoo record is written to QuickBooks Desktop.

    ``ctx`` is the session's :class:`sync.desktop.DesktopContext` (links, names of records
    added earlier in the same message)."""

    entity = None        # the job's qbo_entity
    model = None         # only for this Odoo model (another adapter serves the entity's other models)
    owns_record = True   # the object is the record's own (its badge and link show it), not an extra one
    kind = None          # qbXML object: Customer, ItemService, Invoice, ReceivePayment
    is_list = True       # list element (ListID, Name) or transaction (TxnID, RefNumber)
    order = 10           # lower goes first in a message
    needs_ids_of = ()    # entities whose ids must be known before this one is sent (not only names)
    reads_before_mod = False  # a Mod needs what QuickBooks holds now (``ctx.current_ret``): queried first

    def dependencies(self, record, ctx):
        """``[(record, entity)]`` that must exist in QuickBooks first."""
        return []

    def refused(self, record):
        """A :class:`DesktopError` when this record is never sent to QuickBooks Desktop, else None."""
        return None

    def add(self, record, ctx, request_id):
        raise NotImplementedError

    def mod(self, record, ctx, binding, request_id):
        raise NotImplementedError

    def current(self, job, binding):
        """The object as QuickBooks holds it, when this job just queried it (``refresh``), else None."""
        if not job.response or binding is None:
            return None
        try:
            rs = etree.fromstring(job.response.encode("utf-8"), _PARSER)
        except etree.XMLSyntaxError:
            return None
        if rs.tag != f"{self.query_kind}QueryRs":
            return None
        for ret in rs:
            if isinstance(ret.tag, str) and ret.tag.endswith("Ret") and text_of(
                    ret, "ListID" if self.is_list else "TxnID") == binding.qbo_id:
                return ret
        return None

    def lookup(self, record, ctx, request_id):
        """A query that finds the object Odoo may have added already (lost answer)."""
        raise NotImplementedError

    def refresh(self, binding, request_id):
        """A query by id: the current EditSequence after a 3200."""
        element = request(f"{self.query_kind}Query", request_id)
        sub(element, "ListID" if self.is_list else "TxnID", binding.qbo_id)
        return element

    @property
    def query_kind(self):
        return self.kind

    def ours(self, record, ret):
        """Whether an object QuickBooks returned is this record's (its marker)."""
        return marker(record) in (text_of(ret, self.marker_field) or "")

    marker_field = "Notes"

    def name_of(self, record, ctx):
        """The name or number the object carries in QuickBooks."""
        raise NotImplementedError

    def ids_of(self, ret):
        """``(id, edit_sequence, name)`` of a ``*Ret``."""
        if self.is_list:
            return text_of(ret, "ListID"), text_of(ret, "EditSequence"), text_of(ret, "FullName") or text_of(
                ret, "Name")
        return text_of(ret, "TxnID"), text_of(ret, "EditSequence"), text_of(ret, "RefNumber")

    def check(self, record, ret, ctx):
        """``None`` when what QuickBooks stored agrees with Odoo, else the difference in words."""
        return None
