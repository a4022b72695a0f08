"""Import-first: customers, vendors and items from QuickBooks Online into Odoo, linked to the
Odoo records that are the same, created otherwise, and never twice.

Three steps, the first two shared by the wizard's preview and its apply:

1. **fetch** every customer, vendor and item of the QuickBooks company, inactive ones
   included, 1,000 per query (QuickBooks' maximum);
2. **plan**, in memory and without writing anything: each QuickBooks record is *already
   linked* (a binding exists in this realm), to *link* (the match strategy finds exactly one
   best Odoo record), to *create*, to *skip* (with the reason), or a *conflict* that a person
   decides (several Odoo records match equally well).  Matching asks indexes built once
   (``mapping.matching.PartyIndex`` / ``ProductIndex``), never one search per record.  Then
   duplicate names: an Odoo record that will be sent to QuickBooks later but whose name is
   already used there (display names are unique across customers, vendors and employees,
   item names among items) gets a differentiator ("John Smith - 2") or is listed for a person
   to rename, as the admin chose;
3. **apply**: creates in batches (``create([...])``), parents before sub-customers, with the
   auto-push hooks off (context ``quickbooks_import``); links through bindings per realm;
   records the run, every skipped record and its reason in the sync log, with the full list
   attached.  A record that cannot be created is skipped with the error, the rest goes on.
"""

import csv
import io
import logging
from collections import defaultdict

from odoo import fields

from ..mapping import customer as customer_map
from ..mapping import inbound_master
from ..mapping import item as item_map
from ..mapping import vendor as vendor_map
from ..mapping.common import DISPLAY_NAME_MAX, ITEM_NAME_MAX, MappingError, qbo_name
from ..mapping.inbound import ImportContext, clean_text
from ..mapping.matching import (
    PartyIndex,
    ProductIndex,
    best_candidate,
    email_keys,
    normalize_name,
    normalize_phone,
    normalize_sku,
    qbo_party_index_keys,
)
from .progress import ImportRun, lock_connection

_logger = logging.getLogger(__name__)

PAGE_SIZE = 1000
CREATE_BATCH = 500
KINDS = {"customers": "Customer", "vendors": "Vendor", "items": "Item"}
# QuickBooks leaves an item's Sku out of "select *" unless asked for (python-quickbooks' Item.all()
# does the same).
SELECT = {"Customer": "*", "Vendor": "*", "Item": "*, Sku"}
MODEL_OF = {"Customer": "res.partner", "Vendor": "res.partner", "Employee": "res.partner", "Item": "product.product"}
# Writes of an import must not queue anything for QuickBooks, nor fill the chatter.
IMPORT_CONTEXT = {
    "quickbooks_import": True, "tracking_disable": True, "mail_create_nolog": True,
    "mail_create_nosubscribe": True, "mail_notrack": True,
}
MAX_LEVELS = 6  # QuickBooks nests sub-customers five levels below the top


def partner_label(partner):
    """A partner's name with what tells it apart from namesakes (email, city, reference)."""
    details = [part for part in (partner.email, partner.city, partner.ref and f"ref {partner.ref}") if part]
    return f"{partner.name} ({', '.join(details)})" if details else partner.name


class Entry:
    """One line of the plan: a QuickBooks record (or, for a name clash, an Odoo record)."""

    __slots__ = ("action", "active", "entity", "hint", "level", "name", "new_name", "obj", "parent", "qbo_id",
                 "reason", "record_id", "scores", "target", "values")

    def __init__(self, entity, qbo_id, name, obj=None, active=True):
        self.entity = entity
        self.qbo_id = qbo_id
        self.name = name
        self.obj = obj
        self.active = active
        self.action = None       # linked | link | create | skip | conflict | rename
        self.target = None       # Odoo id (or a planned record's key) for linked / link
        self.scores = {}
        self.reason = ""
        self.hint = ""
        self.parent = None       # QuickBooks id of the parent customer
        self.level = 0
        self.values = None
        self.record_id = None    # Odoo record, once created or linked
        self.new_name = None     # for rename

    def set(self, action, reason="", hint="", target=None):
        self.action = action
        self.reason = reason
        self.hint = hint
        if target is not None:
            self.target = target
        return self


class RecordImporter:
    def __init__(self, connection, kinds=("customers", "vendors", "items"), strategy=None,
                 duplicate_resolution=None, include_inactive=True, decisions=None, client=None, notify=True,
                 snapshot=None):
        connection.ensure_one()
        self.origin = connection
        self.connection = connection.sudo()
        self.env = self.connection.env
        self.company = self.connection.company_id
        self.entities = [KINDS[kind] for kind in KINDS if kind in kinds]
        self.strategy = strategy or self.connection.match_strategy
        self.duplicate_resolution = duplicate_resolution or self.connection.duplicate_resolution
        self.include_inactive = include_inactive
        self.decisions = decisions or {}
        self.client = client
        self.notify = notify
        # QuickBooks Desktop: the lists a Web Connector session read (sync/desktop_import.py),
        # in Online's shape, instead of the API.
        self.snapshot = snapshot
        self.qbo = {}
        self.names = {}
        self.entries = {entity: [] for entity in ("Customer", "Vendor", "Item")}
        self.renames = []
        self.planned = False
        self.created = {}     # (entity, qbo_id) -> Odoo id of records created by this run
        self.queries = 0

    # -- 1. fetch -----------------------------------------------------------------------------

    def fetch(self, run=None):
        if self.snapshot is not None:
            for entity in self.entities:
                self.qbo[entity] = list(self.snapshot.get(entity) or [])
            for entity, names in (self.snapshot.get("names") or {}).items():
                self.names[entity] = list(names)
            return self
        client = self.client or self.connection._client()
        before = client.stats.get("requests", 0)
        for entity in self.entities:
            if run:
                run.step(self.env._("Reading %s from QuickBooks", self._label(entity)), notify=True)
            self.qbo[entity] = list(client.query_all(
                f"select {SELECT[entity]} from {entity} where Active IN (true, false)",  # noqa: S608
                entity, page_size=PAGE_SIZE,
            ))
        if {"Customer", "Vendor"} & set(self.entities):
            # Display names are unique across customers, vendors and employees: read the names
            # of the lists not imported, to know every name already taken.
            for entity in ("Customer", "Vendor", "Employee"):
                if entity not in self.qbo:
                    rows = client.query_all(
                        f"select Id, DisplayName from {entity} where Active IN (true, false)",  # noqa: S608
                        entity, page_size=PAGE_SIZE,
                    )
                    self.names[entity] = [row.get("DisplayName") for row in rows]
        self.queries = client.stats.get("requests", 0) - before
        return self

    def _label(self, entity):
        return {"Customer": self.env._("customers"), "Vendor": self.env._("vendors"),
                "Item": self.env._("products and services")}[entity]

    # -- 2. plan --------------------------------------------------------------------------------

    def plan(self):
        self.ctx = ImportContext(self.env, self.connection)
        self._load_bindings()
        if {"Customer", "Vendor"} & set(self.entities):
            self._build_party_index()
        if "Item" in self.entities:
            self._build_product_index()
        for entity in ("Customer", "Vendor"):
            if entity in self.entities:
                self._plan_parties(entity)
        if "Item" in self.entities:
            self._plan_items()
        self._plan_names()
        self.planned = True
        return self

    def _load_bindings(self):
        """``{entity: {qbo_id: res_id}}`` of this realm, bindings to deleted records dropped."""
        self.bound = {}
        self.stale_bindings = self.env["quickbooks.binding"]
        bindings = self.env["quickbooks.binding"].sudo().search([
            ("realm_id", "=", self.connection.realm_id),
            ("qbo_entity", "in", ["Customer", "Vendor", "Item"]),
        ])
        existing = {}
        for model in ("res.partner", "product.product"):
            ids = {b.res_id for b in bindings if b.res_model == model}
            existing[model] = set(self.env[model].with_context(active_test=False).browse(ids).exists().ids)
        for binding in bindings:
            if binding.res_id in existing.get(binding.res_model, ()):
                self.bound.setdefault(binding.qbo_entity, {})[binding.qbo_id] = binding.res_id
            else:
                self.stale_bindings |= binding
        for entity in ("Customer", "Vendor", "Item"):
            self.bound.setdefault(entity, {})

    def _build_party_index(self):
        company_partners = self.env["res.company"].sudo().with_context(active_test=False).search([]).partner_id
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search_fetch(
            [("company_id", "in", [False, self.company.id]), ("type", "=", "contact"),
             ("id", "not in", company_partners.ids)],
            ["name", "email", "phone", "active", "customer_rank", "supplier_rank", "quickbooks_name", "parent_id",
             "is_company", "city", "ref"],
        )
        self.partners = {partner.id: partner for partner in partners}
        self.party_index = PartyIndex()
        for partner in partners:
            names = {normalize_name(qbo_name(partner.name or "", DISPLAY_NAME_MAX))}
            if partner.quickbooks_name:
                names.add(normalize_name(partner.quickbooks_name))
            self.party_index.add(partner.id, names, email_keys(partner.email), {normalize_phone(partner.phone)},
                                 active=partner.active)

    def _build_product_index(self):
        products = self.env["product.product"].sudo().with_context(active_test=False).search_fetch(
            [("company_id", "in", [False, self.company.id])],
            ["name", "default_code", "active", "sale_ok", "quickbooks_name", "display_name"],
        )
        self.products = {product.id: product for product in products}
        self.product_index = ProductIndex()
        for product in products:
            names = {normalize_name(qbo_name(product.name or "", ITEM_NAME_MAX)),
                     normalize_name(qbo_name(product.display_name or "", ITEM_NAME_MAX))}
            if product.quickbooks_name:
                names.add(normalize_name(product.quickbooks_name))
            self.product_index.add(product.id, names, normalize_sku(product.default_code), active=product.active)

    def _decide(self, entry, model, exclude):
        """Apply the person's decision on an earlier conflict; True when there was one."""
        decision = self.decisions.get((entry.entity, entry.qbo_id))
        if not decision:
            return False
        action, target = decision[0], decision[1] if len(decision) > 1 else None
        if action == "link":
            known = self.partners if model == "res.partner" else self.products
            if target not in known or target in exclude:
                entry.set("skip", self.env._("The Odoo record chosen to link is not available any more."),
                          self.env._("Preview again and choose another one."))
            else:
                entry.set("link", self.env._("Linked as decided in the preview."), target=target)
                entry.scores = {target: float("inf")}
        elif action == "create":
            entry.set("create", self.env._("Created as decided in the preview."))
        else:
            entry.set("skip", self.env._("Skipped as decided in the preview."))
        return True

    def _match(self, entry, scores, names_of):
        entry.scores = scores
        best = best_candidate(scores)
        if best is not None:
            entry.set("link", target=best)
        elif scores:
            entry.set("conflict", self.env._("Several Odoo records match equally: %s.",
                                             ", ".join(sorted(names_of(key) for key in scores))),
                      self.env._("Choose the one to link, or create a new record."))
        else:
            entry.set("create")

    def _partner_name(self, key):
        if isinstance(key, tuple):
            return self.env._("%s (planned)", key[2])
        partner = self.partners.get(key)
        return partner_label(partner) if partner else str(key)

    def _product_name(self, key):
        product = self.products.get(key)
        return product.display_name if product else str(key)

    def _settled_before_matching(self, entry, bound, mapper):
        """Settle what needs no matching: already linked, inactive and left out, or not
        mappable (skipped with the reason).  Otherwise fill ``entry.values``; True when settled."""
        if entry.qbo_id in bound:
            entry.set("linked", self.env._("Already linked."), target=bound[entry.qbo_id])
            entry.record_id = bound[entry.qbo_id]
            return True
        if not entry.active and not self.include_inactive:
            entry.set("skip", self.env._("Inactive in QuickBooks."),
                      self.env._("Tick 'Include inactive records' to import it, archived."))
            return True
        try:
            entry.values = mapper(entry.obj, self.ctx)
        except MappingError as exc:
            entry.set("skip", exc.message, exc.hint)
            return True
        return False

    def _plan_parties(self, entity):
        objs = self.qbo.get(entity, [])
        if entity == "Customer":
            mapper = customer_map.customer_to_partner_values
        else:
            mapper = vendor_map.vendor_to_partner_values
        bound = self.bound[entity]
        exclude = set(bound.values())
        entries = []
        by_id = {}
        objs_by_id = {str(obj.get("Id")): obj for obj in objs}
        for obj in objs:
            qbo_id = str(obj.get("Id") or "")
            if not qbo_id or qbo_id in by_id:
                continue
            entry = Entry(entity, qbo_id, clean_text(obj.get("DisplayName")) or qbo_id, obj,
                          active=obj.get("Active", True) is not False)
            by_id[qbo_id] = entry
            entries.append(entry)
            if entity == "Customer":
                entry.parent = customer_map.parent_id_of(obj)
            if self._settled_before_matching(entry, bound, mapper):
                continue
            if self._decide(entry, "res.partner", exclude):
                continue
            names, emails, phones = self._party_keys(obj, objs_by_id)
            scores = self.party_index.candidates(names, emails, phones, self.strategy, exclude=exclude,
                                                 active_only=entry.active)
            self._match(entry, scores, self._partner_name)
        self._resolve_claims(entries, self._partner_name)
        if entity == "Customer":
            self._plan_hierarchy(entries, by_id)
        # Records planned for creation can be matched by the next list (a vendor that is also
        # a customer becomes one partner), under a key of their own until they exist.
        for entry in entries:
            if entry.action == "create":
                names, emails, phones = self._party_keys(entry.obj, objs_by_id)
                self.party_index.add(("new", entity, entry.name, entry.qbo_id), names, emails, phones,
                                     active=entry.active)
        self.entries[entity] = entries

    @staticmethod
    def _party_keys(obj, objs_by_id):
        """Match keys of a QuickBooks party.  A sub-customer often carries its parent's email
        and phone: those say nothing about which record it is, so only its own count."""
        names, emails, phones = qbo_party_index_keys(obj)
        parent = objs_by_id.get(customer_map.parent_id_of(obj) or "")
        if parent is not None:
            _names, parent_emails, parent_phones = qbo_party_index_keys(parent)
            emails -= parent_emails
            phones -= parent_phones
        return names, emails, phones

    def _resolve_claims(self, entries, names_of):
        """Two QuickBooks records cannot both link to one Odoo record: the better supported one
        does; the others become conflicts."""
        claims = defaultdict(list)
        for entry in entries:
            if entry.action == "link":
                claims[entry.target].append(entry)
        for target, claimants in claims.items():
            if len(claimants) < 2:
                continue
            top = max(entry.scores.get(target, 0) for entry in claimants)
            winners = [entry for entry in claimants if entry.scores.get(target, 0) == top]
            keep = winners[0] if len(winners) == 1 else None
            for entry in claimants:
                if entry is keep:
                    continue
                others = ", ".join(sorted(e.name for e in claimants if e is not entry))
                entry.set("conflict", self.env._(
                    "%(odoo)s in Odoo matches several QuickBooks records (also %(others)s).",
                    odoo=names_of(target), others=others,
                ), self.env._("Choose what to do with each: link one, create the others."))

    def _plan_hierarchy(self, entries, by_id):
        """Levels (parents first) and the fate of sub-customers whose parent is not imported."""
        def level_of(entry):
            level, seen, current = 0, set(), entry
            while current.parent and current.parent in by_id and current.parent not in seen and level < MAX_LEVELS:
                seen.add(current.parent)
                current = by_id[current.parent]
                level += 1
            return level

        for entry in entries:
            entry.level = level_of(entry)
        for entry in sorted(entries, key=lambda e: e.level):
            if entry.action != "create" or not entry.parent:
                continue
            parent = by_id.get(entry.parent)
            if parent is None:
                entry.set("skip", self.env._("Its parent customer (QuickBooks id %s) is not in QuickBooks' answer.",
                                             entry.parent))
            elif parent.action not in ("linked", "link", "create"):
                entry.set("skip", self.env._("Its parent customer %s is not imported.", parent.name),
                          self.env._("Resolve the parent first, then import again."))

    def _plan_items(self):
        bound = self.bound["Item"]
        exclude = set(bound.values())
        entries = []
        seen = set()
        for obj in self.qbo.get("Item", []):
            qbo_id = str(obj.get("Id") or "")
            if not qbo_id or qbo_id in seen:
                continue
            seen.add(qbo_id)
            entry = Entry("Item", qbo_id, clean_text(obj.get("Name")) or qbo_id, obj,
                          active=obj.get("Active", True) is not False)
            entries.append(entry)
            if self._settled_before_matching(entry, bound, item_map.item_to_product_values):
                continue
            if self._decide(entry, "product.product", exclude):
                continue
            scores = self.product_index.candidates(
                normalize_name(obj.get("Name")), normalize_sku(obj.get("Sku")), self.strategy,
                exclude=exclude, active_only=entry.active,
            )
            self._match(entry, scores, self._product_name)
        self._resolve_claims(entries, self._product_name)
        self.entries["Item"] = entries

    # -- duplicate names ---------------------------------------------------------------------------

    def _plan_names(self):
        """Odoo records that QuickBooks has not seen yet must not arrive there under a name it
        already holds: give them a differentiator, or list them for a person."""
        self.renames = []
        if {"Customer", "Vendor"} & set(self.entities):
            taken = set()
            for entity in ("Customer", "Vendor", "Employee"):
                for obj in self.qbo.get(entity, []):
                    taken.add(normalize_name(obj.get("DisplayName")))
                taken.update(normalize_name(name) for name in self.names.get(entity, []))
            linked = self._linked_targets(("Customer", "Vendor"))
            pending = [
                partner for partner in self.partners.values()
                if partner.active and partner.id not in linked and (
                    ("Customer" in self.entities and partner.customer_rank > 0)
                    or ("Vendor" in self.entities and partner.supplier_rank > 0))
            ]
            self._plan_unique(pending, taken, customer_map.display_name, DISPLAY_NAME_MAX, "Customer")
        if "Item" in self.entities:
            taken = {normalize_name(obj.get("Name")) for obj in self.qbo.get("Item", [])}
            linked = self._linked_targets(("Item",))
            pending = [product for product in self.products.values()
                       if product.active and product.sale_ok and product.id not in linked]
            self._plan_unique(pending, taken, item_map.item_name, ITEM_NAME_MAX, "Item")

    def _linked_targets(self, entities):
        linked = set()
        for entity in entities:
            linked.update(self.bound.get(entity, {}).values())
            linked.update(e.target for e in self.entries.get(entity, ()) if e.action in ("link", "linked"))
        return linked

    def _plan_unique(self, records, taken, name_of, limit, entity):
        for record in sorted(records, key=lambda r: r.id):
            name = name_of(record)
            key = normalize_name(name)
            if not key:
                continue
            if key not in taken:
                taken.add(key)
                continue
            entry = Entry(entity, False, name)
            entry.record_id = record.id
            if self.duplicate_resolution == "suffix":
                for number in range(2, 10000):
                    suffix = f" - {number}"
                    candidate = qbo_name(record.quickbooks_name or (record.name or ""), limit - len(suffix)) + suffix
                    if normalize_name(candidate) not in taken:
                        break
                taken.add(normalize_name(candidate))
                entry.new_name = candidate
                entry.set("rename", self.env._("%(name)s is already used in QuickBooks; it will be sent as %(new)s.",
                                               name=name, new=candidate))
            else:
                entry.set("conflict", self.env._("%s is already used in QuickBooks (or by another Odoo record).",
                                                 name),
                          self.env._("Rename it in Odoo before it is sent to QuickBooks."))
            self.renames.append(entry)

    # -- counts and lists --------------------------------------------------------------------------

    def counts(self):
        """``{entity: {action: n}}`` plus a "total" row."""
        result = {}
        total = defaultdict(int)
        for entity, entries in self.entries.items():
            if entity not in self.entities:
                continue
            row = defaultdict(int)
            for entry in entries:
                row[entry.action] += 1
                total[entry.action] += 1
            result[entity] = dict(row)
        for entry in self.renames:
            bucket = "renamed" if entry.action == "rename" else "name_conflicts"
            result.setdefault(entry.entity, {}).setdefault(bucket, 0)
            result[entry.entity][bucket] += 1
            total[bucket] += 1
        result["total"] = dict(total)
        return result

    def conflicts(self):
        return [entry for entries in self.entries.values() for entry in entries if entry.action == "conflict"] + \
            [entry for entry in self.renames if entry.action == "conflict"]

    def rows(self):
        """The whole plan (or outcome), one row per record, for the downloadable list."""
        labels = {"linked": self.env._("Already linked"), "link": self.env._("Link"), "create": self.env._("Create"),
                  "skip": self.env._("Skip"), "conflict": self.env._("Needs a decision"),
                  "rename": self.env._("Rename in QuickBooks")}
        for entity, entries in self.entries.items():
            for entry in entries:
                target = entry.record_id or (entry.target if not isinstance(entry.target, tuple) else "")
                yield (entity, entry.qbo_id, entry.name, "yes" if entry.active else "no",
                       labels.get(entry.action, entry.action), target or "", entry.reason)
        for entry in self.renames:
            yield (entry.entity, "", entry.name, "yes", labels.get(entry.action, entry.action), entry.record_id,
                   entry.reason)

    def csv_bytes(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["QuickBooks type", "QuickBooks ID", "Name", "Active", "Action", "Odoo ID", "Reason"])
        writer.writerows(self.rows())
        return buffer.getvalue().encode("utf-8-sig")

    # -- 3. apply -----------------------------------------------------------------------------------

    def run(self):
        """Fetch, plan and apply, recorded in the sync log; returns the counts."""
        kinds = ", ".join(self._label(entity) for entity in self.entities)
        lock_connection(self.connection)
        run = ImportRun(self.origin, self.env._("Import from QuickBooks"), qbo_entity=", ".join(self.entities),
                        payload=self._options_text(), notify=self.notify).start()
        try:
            self.fetch(run)
            run.step(self.env._("Matching %s with Odoo", kinds), notify=True)
            self.plan()
            self.apply(run)
            counts = self.counts()
            self._log(run, counts)
            self.env.flush_all()
        except Exception as exc:
            run.fail(getattr(exc, "message", None) or str(exc), getattr(exc, "hint", ""))
            raise
        run.finish(counts, self.summary_text(counts))
        self.job = run.job()
        return counts

    def _options_text(self):
        return (f"lists: {', '.join(self.entities)}; match: {self.strategy}; duplicate names: "
                f"{self.duplicate_resolution}; inactive: {'yes' if self.include_inactive else 'no'}")

    def summary_text(self, counts):
        total = counts.get("total", {})
        return self.env._(
            "%(linked)s linked, %(created)s created, %(already)s already linked, %(skipped)s skipped, "
            "%(conflicts)s needing a decision, %(renamed)s renamed",
            linked=total.get("link", 0), created=total.get("create", 0), already=total.get("linked", 0),
            skipped=total.get("skip", 0), conflicts=total.get("conflict", 0) + total.get("name_conflicts", 0),
            renamed=total.get("renamed", 0),
        )

    def apply(self, run=None):
        if not self.planned:
            self.plan()
        env = self.env(context=dict(self.env.context, **IMPORT_CONTEXT))
        if self.stale_bindings:
            self.stale_bindings.unlink()
        for entity in ("Customer", "Vendor"):
            if entity in self.entities:
                if run:
                    run.step(self.env._("Creating and linking %s", self._label(entity)), notify=True)
                self._apply_parties(env, entity)
        if "Item" in self.entities:
            if run:
                run.step(self.env._("Creating and linking %s", self._label("Item")), notify=True)
            self._apply_items(env)
        self._apply_names(env)
        return self

    def _resolve_target(self, target):
        if isinstance(target, tuple):  # a record planned by an earlier list of this run
            _new, entity, _name, qbo_id = target
            return self.created.get((entity, qbo_id))
        return target

    def _apply_parties(self, env, entity):
        entries = self.entries[entity]
        by_id = {entry.qbo_id: entry for entry in entries}
        for entry in entries:
            if entry.action == "link":
                entry.record_id = self._resolve_target(entry.target)
                if not entry.record_id:
                    entry.set("create", self.env._("The record it matched could not be created; created anew."))
        rank = "customer_rank" if entity == "Customer" else "supplier_rank"
        for level in sorted({entry.level for entry in entries if entry.action == "create"}):
            batch = []
            for entry in entries:
                if entry.action != "create" or entry.level != level:
                    continue
                values = dict(entry.values)
                if entry.parent:
                    parent = by_id.get(entry.parent)
                    parent_id = parent.record_id if parent else None
                    if not parent_id:
                        entry.set("skip", self.env._("Its parent customer was not imported."))
                        continue
                    values["parent_id"] = parent_id
                    self._child_address(values, parent)
                batch.append((entry, values))
            self._create(env["res.partner"], batch)
        links = [entry for entry in entries if entry.action == "link"]
        unranked = env["res.partner"].browse([e.record_id for e in links]).filtered(lambda p: not p[rank])
        if unranked:
            unranked.write({rank: 1})
        self._bind(entity, "res.partner", [e for e in entries if e.action in ("link", "create") and e.record_id])
        for entry in entries:
            if entry.action == "create" and entry.record_id:
                self.created[(entity, entry.qbo_id)] = entry.record_id

    def _child_address(self, values, parent):
        """A sub-customer with the address of its parent shares it (an Odoo contact); one with
        its own keeps it as an "other address", which Odoo never copies onto the parent."""
        address_fields = ("street", "street2", "city", "zip", "country_id", "state_id")
        own = {key: values[key] for key in address_fields if key in values}
        parent_address = self.ctx.address_values((parent.obj or {}).get("BillAddr"))
        if not own or own == parent_address:
            for key in address_fields:
                values.pop(key, None)
            values["type"] = "contact"
        else:
            values["type"] = "other"

    def _apply_items(self, env):
        entries = self.entries["Item"]
        for entry in entries:
            if entry.action == "link":
                entry.record_id = entry.target
        self._create(env["product.product"], [(e, e.values) for e in entries if e.action == "create"])
        self._bind("Item", "product.product", [e for e in entries if e.action in ("link", "create") and e.record_id])
        if any(e.record_id for e in entries if e.action in ("link", "create")):
            self._link_item_references(entries)

    def _create(self, model, batch):
        """``create([...])`` by batches; a batch that fails is retried record by record, and a
        record that still fails is skipped with the error."""
        for start in range(0, len(batch), CREATE_BATCH):
            chunk = batch[start:start + CREATE_BATCH]
            try:
                with self.env.cr.savepoint():
                    records = model.create([values for _entry, values in chunk])
                for (entry, _values), record in zip(chunk, records, strict=True):
                    entry.record_id = record.id
            except Exception:  # noqa: BLE001 - one bad record must not stop the others
                for entry, values in chunk:
                    try:
                        with self.env.cr.savepoint():
                            entry.record_id = model.create([values]).id
                    except Exception as exc:  # noqa: BLE001 - reported as the reason of the skip
                        _logger.info("QuickBooks import: %s %s not created: %s", entry.entity, entry.qbo_id, exc)
                        entry.set("skip", self.env._("Odoo refused it: %s", str(exc).splitlines()[0][:300]),
                                  self.env._("Correct it in QuickBooks, then import again."))
            model.env.flush_all()
            # Keep memory flat on large imports: what was created is not needed in the cache.
            model.env.invalidate_all(flush=False)

    def _bind(self, entity, res_model, entries):
        if not entries:
            return
        now = fields.Datetime.now()
        snapshots = self._snapshots(entity, res_model, entries)
        self.env["quickbooks.binding"].sudo().create([{
            "connection_id": self.connection.id,
            "realm_id": self.connection.realm_id,
            "res_model": res_model,
            "res_id": entry.record_id,
            "qbo_entity": entity,
            "qbo_id": entry.qbo_id,
            "qbo_sync_token": str(entry.obj.get("SyncToken", "")),
            # Desktop refers to a job by its full name (Parent:Job), kept on the link.
            "qbo_name": ((entry.obj.get("FullyQualifiedName") if self.snapshot is not None else None)
                         or entry.name)[:255],
            "synced_at": now,
            "origin": "import",
            "pull_snapshot": snapshots.get(entry.record_id),
        } for entry in entries])

    def _snapshots(self, entity, res_model, entries):
        """``{record id: snapshot}``: what Odoo and QuickBooks hold as they are linked, to tell
        later changes on each side apart (sync/pull_master.py)."""
        handler = inbound_master.handler_for(entity)
        if handler is None or handler.model != res_model:
            return {}
        records = self.env[res_model].with_company(self.company).with_context(active_test=False).browse(
            [entry.record_id for entry in entries])
        result = {}
        for entry, record in zip(entries, records, strict=True):
            qbo_values = {key.name: key.qbo_value(entry.values or {}) for key in handler.keys}
            if not entry.values:
                continue
            result[entry.record_id] = handler.snapshot(handler.odoo_values(record), qbo_values)
        return result

    def _link_item_references(self, entries):
        """The default service item is chosen among reference items: show their products."""
        product_of = {entry.qbo_id: entry.record_id for entry in entries if entry.record_id}
        references = self.env["quickbooks.reference"].sudo().search([
            ("connection_id", "=", self.connection.id), ("realm_id", "=", self.connection.realm_id),
            ("qbo_entity", "=", "Item"), ("product_id", "=", False), ("qbo_id", "in", list(product_of)),
        ])
        for reference in references:
            reference.product_id = product_of[reference.qbo_id]

    def _apply_names(self, env):
        for entry in self.renames:
            if entry.action != "rename":
                continue
            model = env["res.partner"] if entry.entity == "Customer" else env["product.product"]
            model.browse(entry.record_id).write({"quickbooks_name": entry.new_name})

    def _log(self, run, counts):
        skipped = [
            (entry.entity, entry.qbo_id, entry.name, entry.reason or self.env._("Skipped."), entry.hint)
            for entries in self.entries.values() for entry in entries if entry.action in ("skip", "conflict")
        ]
        jobs = self.env["quickbooks.sync.job"]
        if skipped:
            jobs._log_skipped(self.connection, skipped)
        self.env["ir.attachment"].sudo().create({
            "name": f"quickbooks-import-{fields.Date.today()}.csv",
            "raw": self.csv_bytes(),
            "mimetype": "text/csv",
            "res_model": "quickbooks.sync.job",
            "res_id": run.job_id,
        })
