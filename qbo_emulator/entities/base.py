"""What every entity shares: which operations it allows, which fields the server owns, and
the hooks each entity fills in with its own rules.

"Any value supplied in a read-only attribute is transient and will be silently overwritten
by QuickBooks data services. No error is returned."
(https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features)
"""

from .. import faults, validation

# Fields QuickBooks owns on every object.
SYSTEM_FIELDS = ("Id", "SyncToken", "MetaData", "domain", "sparse", "status", "time")


class Entity:
    name = ""
    resource = None        # URL segment (lower-case entity name unless set)
    kind = "list"          # "list" (name list), "txn" (transaction) or "company"
    creatable = True
    updatable = True
    deletable = False
    voidable = False
    cdc = True             # reported by change data capture
    webhooks = True        # announced by webhooks
    name_field = None      # the unique name (DisplayName or Name), for name lists
    lengths = {}           # field -> max characters (2050)
    read_only = ()         # fields the server computes; client values are dropped
    keep_on_update = ()    # write-on-create or immutable fields a full update keeps

    def __init__(self):
        if self.resource is None:
            self.resource = self.name.lower()

    # -- the pipeline -------------------------------------------------------------------

    def clean(self, payload):
        """The client's payload without the fields the server owns."""
        data = {k: v for k, v in payload.items() if k not in SYSTEM_FIELDS and k not in self.read_only}
        return data

    def merge(self, old, payload, sparse):
        """The object a write asks for.  A sparse update changes only the fields it names;
        a full update replaces every writable field (omitted ones are cleared)."""
        data = self.clean(payload)
        if sparse:
            merged = {k: v for k, v in old.items() if k not in SYSTEM_FIELDS}
            merged.update(data)
            return merged
        for field in self.keep_on_update:
            if field in old and field not in data:
                data[field] = old[field]
        return data

    def validate(self, ctx, data, old):
        """Check and complete ``data`` (a new object or the merged update); returns it."""
        validation.lengths(data, self.lengths)
        return data

    def after_save(self, ctx, new, old):
        """Side effects of a create or update (balances, linked transactions)."""

    def check_delete(self, ctx, obj):
        if not self.deletable:
            raise faults.unsupported_operation("Delete")

    def after_delete(self, ctx, obj):
        """Side effects of a delete."""

    def void(self, ctx, obj):
        raise faults.unsupported_operation("Void")

    def after_void(self, ctx, new, old):
        """Side effects of a void."""
