"""What one write (or one batch item) needs while it runs: the open database transaction,
the realm, the emulator's clock, the company's preferences, and the changes it made (for
webhooks)."""

from datetime import datetime

from . import objects
from .clock import PACIFIC

CURRENCY_NAMES = {
    "USD": "United States Dollar",
    "CAD": "Canadian Dollar",
    "GBP": "British Pound Sterling",
    "EUR": "Euro",
    "AUD": "Australian Dollar",
    "MXN": "Mexican Peso",
    "INR": "Indian Rupee",
    "JPY": "Japanese Yen",
    "CHF": "Swiss Franc",
    "NZD": "New Zealand Dollar",
}


def round_now(epoch):
    """Timestamps are kept to the millisecond, the precision of ``MetaData`` times, so that a
    filter on ``MetaData.LastUpdatedTime`` compares exactly what the client saw."""
    return round(epoch, 3)


class Ctx:
    def __init__(self, emulator, db, realm_id, now=None, args=None):
        self.emulator = emulator
        self.store = emulator.store
        self.db = db
        self.realm_id = realm_id
        self.now = round_now(now if now is not None else emulator.clock.now())
        self.args = args or {}
        self.events = []  # (entity, id, operation) for webhooks, in order
        self.pending = []  # follow-up work an entity queues for after its own save
        self.payload = {}  # the request's own fields (before merging with the stored object)
        self.invisible = set()  # (entity, id) created earlier in the same batch: not visible yet
        self._prefs = None
        self._company = None

    # -- company ------------------------------------------------------------------------

    @property
    def prefs(self):
        if self._prefs is None:
            self._prefs = objects.get(self.db, self.realm_id, "Preferences", 1) or {}
        return self._prefs

    @property
    def company(self):
        if self._company is None:
            self._company = objects.get(self.db, self.realm_id, "CompanyInfo", 1) or {}
        return self._company

    def pref(self, *path, default=None):
        node = self.prefs
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return default
            node = node[key]
        return node

    def other_pref(self, name, default=None):
        """``Preferences.OtherPrefs.NameValue`` entries (duplicate-number warnings ...)."""
        for pair in self.pref("OtherPrefs", "NameValue", default=[]) or []:
            if pair.get("Name") == name:
                return pair.get("Value")
        return default

    @property
    def country(self):
        return (self.company.get("Country") or "US").upper()

    @property
    def is_us(self):
        return self.country in ("US", "USA")

    @property
    def home_currency(self):
        return (self.pref("CurrencyPrefs", "HomeCurrency", default={}) or {}).get("value", "USD")

    @property
    def multicurrency(self):
        return bool(self.pref("CurrencyPrefs", "MultiCurrencyEnabled", default=False))

    def currency_ref(self, code):
        return {"value": code, "name": CURRENCY_NAMES.get(code, code)}

    def today(self):
        return datetime.fromtimestamp(self.now, tz=PACIFIC).date().isoformat()

    # -- objects ------------------------------------------------------------------------

    def get(self, entity, object_id, include_deleted=False):
        return objects.get(self.db, self.realm_id, entity, object_id, include_deleted=include_deleted)

    def row(self, entity, object_id):
        return objects.get_row(self.db, self.realm_id, entity, object_id)

    def changed(self, entity, object_id, operation):
        self.events.append((entity, str(object_id), operation))
