"""How a change made in QuickBooks to one kind of object is applied in Odoo, for the pull
engine (sync/pull.py).

Each entity that comes back defines its handler beside its mapping (``inbound_payment``,
``inbound_invoice``...) and registers it with :func:`register`; the engine only knows this
interface: which entities change data capture and webhooks ask for, which changes are worth a
job, and how one object is applied.
"""

_HANDLERS = {}  # QuickBooks entity -> handler


class InboundHandler:
    entity = None  # the QuickBooks entity

    def enabled(self, connection):
        """Whether ``connection`` brings this entity back (its options in Settings)."""
        return bool(connection.pull_payments)

    def label(self, job, obj):
        """The Sync Log entry's name."""
        return f"{self.entity} {job.qbo_id}"

    def changes(self, engine, env, objects):
        """``{qbo_id: operation}`` of the objects (as change data capture read them, deleted
        ones with ``status: Deleted``) that Odoo should look at."""
        return {str(obj["Id"]): "Delete" if obj.get("status") == "Deleted" else "Update" for obj in objects}

    def linked_ids(self, engine, env):
        """Ids of objects Odoo holds a link to and would act on if QuickBooks deleted them:
        looked for after a gap longer than change data capture's 30 days."""
        return []

    def skip_notification(self, env, connection, operations):
        """The ids of notified objects not worth a job (``operations``: ``{qbo_id: operation}``)."""
        return set()

    def apply(self, engine, env, job, obj):
        """Make Odoo agree with ``obj`` (None: deleted); ``(state, message, hint)`` or
        ``(state, message, hint, conflict rows)``."""
        raise NotImplementedError


def register(cls):
    _HANDLERS[cls.entity] = cls()
    return cls


def add(handler_):
    """Register a handler instance (one class serving several entities)."""
    _HANDLERS[handler_.entity] = handler_
    return handler_


def handler(entity):
    return _HANDLERS.get(entity)


def entities():
    """Registered entities, in a stable order."""
    return sorted(_HANDLERS)


def canonical(name):
    """QuickBooks' entity name from a notification's spelling (``creditmemo`` -> ``CreditMemo``)."""
    lowered = str(name or "").lower()
    return next((entity for entity in _HANDLERS if entity.lower() == lowered), None)
