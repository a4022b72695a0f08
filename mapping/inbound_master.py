"""Customers, vendors and items changed in QuickBooks, compared field by field with Odoo:
plain functions of the QuickBooks object, the Odoo record and the link's snapshot (no I/O).

Each entity module (``inbound_customer.py``, ``inbound_item.py``) describes the fields that
travel both ways as :class:`Key` s and registers an :class:`InboundHandler` with
:func:`register`; the pull worker (sync/pull_master.py) applies what they decide.

**What changed on each side** is told by the link's *snapshot* (``quickbooks.binding.
pull_snapshot``): for every key, the Odoo value and the QuickBooks value (both in Odoo's terms)
when the two sides last agreed (an import, a push, a change applied from QuickBooks).  A key
whose QuickBooks value differs from its snapshot changed in QuickBooks; whose Odoo value
differs changed in Odoo; both, to different values, is a conflict.
"""

_HANDLERS = {}  # QuickBooks entity -> handler

# Conflict policies (Settings, per company).
POLICIES = [
    ("odoo", "Odoo wins"),
    ("quickbooks", "QuickBooks wins"),
    ("recent", "Most recent change wins"),
    ("ask", "Ask (conflict in the Sync Log)"),
]


def normalize(value):
    """Comparable value: empty text and False are the same, text is stripped, amounts rounded."""
    if value is None or value is False or value == "":
        return False
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, str):
        return value.strip() or False
    if hasattr(value, "_name"):  # a record
        return value.id or False
    return value


class Key:
    """One thing that travels both ways: Odoo ``fields`` and the QuickBooks properties
    (``sources``) they come from."""

    def __init__(self, name, label, fields, sources):
        self.name = name
        self.label = label
        self.fields = tuple(fields)
        self.sources = tuple(sources)

    def odoo_value(self, record):
        values = [normalize(record[field]) for field in self.fields]
        return values[0] if len(values) == 1 else values

    def qbo_value(self, values):
        """Its value among the Odoo values mapped from the QuickBooks object."""
        mapped = [normalize(values.get(field, False)) for field in self.fields]
        return mapped[0] if len(mapped) == 1 else mapped

    def write_values(self, value):
        """Odoo values (for ``write``) of a value of this key."""
        if len(self.fields) == 1:
            return {self.fields[0]: value}
        return dict(zip(self.fields, value, strict=True))

    def display(self, record, value):
        """The value as a person reads it."""
        parts = value if isinstance(value, list) else [value]
        shown = []
        for field, part in zip(self.fields, parts, strict=False):
            if part is False:
                continue
            definition = record._fields[field]
            if definition.type == "many2one":
                shown.append(record.env[definition.comodel_name].browse(part).display_name)
            elif definition.type == "float":
                shown.append(f"{part:.2f}")
            else:
                shown.append(str(part))
        return ", ".join(shown)


class InboundHandler:
    entity = None          # QuickBooks entity
    model = None           # Odoo model
    select = "*"           # what a query reads ("*, Sku" for items)
    keys = ()              # Key instances
    use_known = True       # an object read by change data capture is complete

    def to_values(self, obj, ctx):
        """All Odoo values of a new record mapped from ``obj`` (MappingError when it cannot be)."""
        raise NotImplementedError

    def ignored(self, obj):
        """The kind of ``obj`` when it has no Odoo counterpart (a category item: nothing to do,
        not a failure), or None."""
        return None

    def name(self, obj):
        return obj.get("DisplayName") or obj.get("Name") or str(obj.get("Id"))

    def pushed_qbo_values(self, record, binding):
        """What QuickBooks holds right after Odoo sent ``record`` (in Odoo's terms): Odoo's
        values, under the name QuickBooks keeps (a differentiator " - 2" stays there)."""
        values = self.odoo_values(record)
        if binding.qbo_name and "name" in values:
            values["name"] = binding.qbo_name.strip()
        return values

    def taken_values(self, key, value):
        """Odoo values that take QuickBooks' ``value`` of ``key``: a name taken from QuickBooks is
        the name QuickBooks holds, so Odoo's own "name in QuickBooks" is dropped."""
        values = self.key(key).write_values(value)
        if key == "name":
            values["quickbooks_name"] = False
        return values

    # -- comparison ------------------------------------------------------------------------------

    def qbo_values(self, obj, ctx):
        """``{key: value}`` of the QuickBooks object, in Odoo's terms."""
        values = self.to_values(obj, ctx)
        return {key.name: key.qbo_value(values) for key in self.keys}

    def odoo_values(self, record):
        return {key.name: key.odoo_value(record) for key in self.keys}

    def key(self, name):
        for key in self.keys:
            if key.name == name:
                return key
        return None

    def keys_of_source(self, source):
        """Keys fed by a QuickBooks property (a push conflict names properties)."""
        return [key for key in self.keys if source in key.sources]

    def snapshot(self, odoo_values, qbo_values):
        return {name: [odoo_values.get(name, False), qbo_values.get(name, False)] for name in odoo_values}

    def compare(self, snapshot, odoo_now, qbo_now):
        """``(from_qbo, from_odoo, both, agreed)``: keys changed in QuickBooks only (to take),
        in Odoo only (to send), on both sides to different values (conflicts), and on both
        sides to the same value.  A key missing from the snapshot (a link older than it) counts
        as changed on both sides when the two differ."""
        from_qbo, from_odoo, both, agreed = [], [], [], []
        for name, qbo_value in qbo_now.items():
            odoo_value = odoo_now.get(name, False)
            base = (snapshot or {}).get(name)
            if base is None:
                if odoo_value != qbo_value:
                    both.append(name)
                continue
            base_odoo, base_qbo = base[0], base[1]
            qbo_changed = qbo_value != base_qbo
            odoo_changed = odoo_value != base_odoo
            if qbo_changed and odoo_changed:
                (agreed if odoo_value == qbo_value else both).append(name)
            elif qbo_changed and odoo_value != qbo_value:
                from_qbo.append(name)
            elif odoo_changed and odoo_value != qbo_value:
                from_odoo.append(name)
            elif qbo_changed or odoo_changed:
                agreed.append(name)
        return from_qbo, from_odoo, both, agreed


def register(handler_class):
    handler = handler_class()
    _HANDLERS[handler.entity] = handler
    return handler_class


def handler_for(entity):
    return _HANDLERS.get(entity)


def entities():
    return sorted(_HANDLERS)

