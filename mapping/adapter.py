"""How one kind of Odoo record becomes one kind of QuickBooks object, for the push engine.

Each entity's mapping module defines its adapter beside its mapping functions and registers it
with :func:`register`; the engine (sync/engine.py) only knows this interface.  A new document
type is a new mapping module with its adapter, not a change to the engine.
"""

from .common import MappingError

_ADAPTERS = {}  # (Odoo model, QuickBooks entity) -> adapter
_DEFAULT = {}  # Odoo model -> adapter choosing the entity per record


class Adapter:
    model = None  # the Odoo model
    entities = ()  # the QuickBooks entities it writes
    name_field = None  # DisplayName / Name: unique in QuickBooks, so 6240 can happen
    # An object a record owns besides its own (a credit note's application, a payment's
    # write-off): only ever asked for by its entity, never the one that sends the record.
    owned = False
    # An owned object applying a credit document (a credit note, a vendor refund) to others:
    # the move type it applies, and whether a record has anything applied.
    applies_move_type = None

    def has_applications(self, record):
        return False

    def entity(self, record):
        """The QuickBooks entity of ``record`` (None: the record is not sent)."""
        return self.entities[0] if self.entities else None

    def payload(self, record, ctx, suffix=""):
        raise NotImplementedError

    def prepare(self, record, ctx):
        """Tell the context what this record implies for the records pushed on its behalf."""

    def dependencies(self, record):
        """``[(record, entity)]`` that must exist in QuickBooks first."""
        return []

    def lookup_query(self, record, payload):
        """A query that finds the object again (after a lost answer, a 6240 or a 6140), or None."""
        return None

    def matches_lookup(self, record, found):
        """Is an object the look-up found the one Odoo sent?"""
        return True

    def check(self, record, stored):
        """Does what QuickBooks stored equal Odoo's books?  None, or a message with both figures."""
        return None

    def attachments(self, record):
        """Files (ir.attachment) to attach to the record's object once it is written and
        checked (an expense's receipts), or None."""
        return None

    @property
    def checks(self):
        """Whether what QuickBooks stores must be checked before the record is called synced."""
        return type(self).check is not Adapter.check

    def deleted(self, record):
        """Its QuickBooks object was deleted while the record stays in Odoo (a payment reset to
        draft): the record no longer shows a link."""
        if "quickbooks_state" in record._fields:
            record._quickbooks_forget_link()

    def mark_many(self, rows):
        """Show the sync outcome on the records: ``rows`` of ``(record, state, link, error)``."""
        if rows:
            rows[0][0]._quickbooks_mark_many(rows)


def register(adapter_class):
    """Class decorator: make an adapter known to the engine."""
    adapter = adapter_class()
    for entity in adapter.entities:
        _ADAPTERS[(adapter.model, entity)] = adapter
    _DEFAULT.setdefault(adapter.model, adapter)
    return adapter_class


def adapter_for(record, qbo_entity=None):
    """The adapter sending ``record`` as ``qbo_entity`` (or as its model's default entity)."""
    if qbo_entity and (record._name, qbo_entity) in _ADAPTERS:
        return _ADAPTERS[(record._name, qbo_entity)]
    adapter = _DEFAULT.get(record._name)
    if adapter is None:
        raise MappingError(f"{record._description} records are not sent to QuickBooks.")
    if qbo_entity is None:
        entity = adapter.entity(record)
        if entity is None:
            # Several adapters share a model (customer and vendor documents are both account.move):
            # the one that sends this record.
            for (model, _entity), other in _ADAPTERS.items():
                if model == record._name and other is not adapter and not other.owned and other.entity(record):
                    return other
        if entity and (record._name, entity) in _ADAPTERS:
            return _ADAPTERS[(record._name, entity)]
    return adapter


def application_adapter(record):
    """The owned adapter that applies ``record`` (a credit note, a vendor refund) to the
    documents it settles, or None."""
    for (model, _entity), adapter in _ADAPTERS.items():
        if model == record._name and adapter.owned and adapter.applies_move_type \
                and adapter.applies_move_type == getattr(record, "move_type", None):
            return adapter
    return None


def adapters():
    return dict(_ADAPTERS)
