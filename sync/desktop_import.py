"""The one-time import from QuickBooks Desktop: its customers (with their jobs) and service and
non-inventory items, read with iterators (1,000 a page) during a Web Connector session, each
linked to the Odoo record the connection's match strategy finds (mapping/matching.py, as the
Online import), else created in Odoo.  It runs once, before ongoing sync starts."""

from lxml import etree

from odoo import fields

from ..mapping.matching import (
    PartyIndex,
    ProductIndex,
    best_candidate,
    normalize_email,
    normalize_name,
    normalize_phone,
    normalize_sku,
)
from ..mapping.qbxml.common import request, sub, text_of

ENTITY = "DesktopImport"
PAGE = 1000
LISTS = {"Customer": "CustomerQuery", "Item": "ItemQuery"}
ITEM_KINDS = {"ItemServiceRet": "service", "ItemNonInventoryRet": "consu"}


def queries(job, iterators, request_prefix):
    """The next page of each list still to read: ``[(list, element)]``."""
    state = iterators.get(str(job.id), {})
    out = []
    for name, query in LISTS.items():
        status = state.get(name)
        if status == "done":
            continue
        element = request(query, f"{request_prefix}-{name}")
        if status:
            element.set("iterator", "Continue")
            element.set("iteratorID", status)
        else:
            element.set("iterator", "Start")
        sub(element, "MaxReturned", str(PAGE))
        if name == "Customer":
            sub(element, "ActiveStatus", "All")
        out.append((name, element))
    return out


class DesktopImporter:
    """Applies one page of a list to Odoo."""

    def __init__(self, connection):
        self.connection = connection
        self.env = connection.env
        self.company = connection.company_id
        self.strategy = connection.match_strategy
        self.bindings = self.env["quickbooks.binding"].sudo()
        self.counts = {"linked": 0, "created": 0, "skipped": 0, "already": 0}
        self.skipped = []

    def apply(self, name, rets):
        if name == "Customer":
            self._customers(rets)
        else:
            self._items(rets)

    def _customers(self, rets):
        partners = self.env["res.partner"].sudo().with_context(active_test=False).search([
            ("company_id", "in", (self.company.id, False)), ("type", "in", ("contact", "invoice"))])
        linked = set(self.bindings.search([("realm_id", "=", self.connection.realm_id),
                                           ("res_model", "=", "res.partner")]).mapped("res_id"))
        index = PartyIndex()
        for partner in partners:
            index.add(partner.id, {normalize_name(partner.name)}, {normalize_email(partner.email)} - {""},
                      {normalize_phone(partner.phone)} - {""}, active=partner.active)
        by_list_id = self.bindings._lookup_qbo(self.connection, "Customer",
                                               [text_of(ret, "ListID") for ret in rets])
        # Parents come before their jobs in QuickBooks' order (FullName sort).
        for ret in sorted(rets, key=lambda r: text_of(r, "Sublevel") or "0"):
            list_id = text_of(ret, "ListID")
            if list_id in by_list_id:
                self.counts["already"] += 1
                continue
            names = {normalize_name(text_of(ret, "Name")), normalize_name(text_of(ret, "CompanyName"))} - {""}
            emails = {normalize_email(text_of(ret, "Email"))} - {""}
            phones = {normalize_phone(text_of(ret, "Phone"))} - {""}
            parent_list_id = text_of(ret, "ParentRef/ListID")
            partner_id = None if parent_list_id else best_candidate(
                index.candidates(names, emails, phones, self.strategy, exclude=linked))
            if partner_id:
                partner = partners.browse(partner_id)
                self.counts["linked"] += 1
            else:
                parent = self.bindings._lookup_qbo(self.connection, "Customer", [parent_list_id]).get(
                    parent_list_id) if parent_list_id else None
                partner = self.env["res.partner"].sudo().with_context(quickbooks_import=True).create({
                    "name": text_of(ret, "Name"), "is_company": not parent, "customer_rank": 1,
                    "email": text_of(ret, "Email") or False, "phone": text_of(ret, "Phone") or False,
                    "company_id": self.company.id, "parent_id": parent.res_id if parent else False,
                    "active": text_of(ret, "IsActive") != "false",
                    "street": text_of(ret, "BillAddress/Addr1") or False,
                    "city": text_of(ret, "BillAddress/City") or False,
                    "zip": text_of(ret, "BillAddress/PostalCode") or False,
                })
                self.counts["created"] += 1
            linked.add(partner.id)
            self._bind(partner, "Customer", ret, text_of(ret, "FullName") or text_of(ret, "Name"))

    def _items(self, rets):
        products = self.env["product.product"].sudo().with_context(active_test=False).search([
            ("company_id", "in", (self.company.id, False))])
        linked = set(self.bindings.search([("realm_id", "=", self.connection.realm_id),
                                           ("res_model", "=", "product.product")]).mapped("res_id"))
        index = ProductIndex()
        for product in products:
            index.add(product.id, {normalize_name(product.name), normalize_name(product.default_code or "")} - {""},
                      normalize_sku(product.default_code), active=product.active)
        by_list_id = self.bindings._lookup_qbo(self.connection, "Item", [text_of(ret, "ListID") for ret in rets])
        for ret in rets:
            kind = ITEM_KINDS.get(ret.tag)
            name = text_of(ret, "FullName") or text_of(ret, "Name")
            if not kind:
                self.counts["skipped"] += 1
                self.skipped.append(f"{name}: {ret.tag[:-3]} items are not imported")
                continue
            if text_of(ret, "ListID") in by_list_id:
                self.counts["already"] += 1
                continue
            key = normalize_name(text_of(ret, "Name"))
            product_id = best_candidate(index.candidates(key, normalize_sku(text_of(ret, "Name")), self.strategy,
                                                         exclude=linked))
            if product_id:
                product = products.browse(product_id)
                self.counts["linked"] += 1
            else:
                price = text_of(ret, "SalesOrPurchase/Price") or text_of(ret, "SalesAndPurchase/SalesPrice") or "0"
                product = self.env["product.product"].sudo().with_context(quickbooks_import=True).create({
                    "name": text_of(ret, "Name"), "type": kind, "list_price": float(price),
                    "company_id": self.company.id, "active": text_of(ret, "IsActive") != "false",
                    "description_sale": text_of(ret, "SalesOrPurchase/Desc") or False,
                })
                self.counts["created"] += 1
            linked.add(product.id)
            self._bind(product, "Item", ret, name)

    def _bind(self, record, entity, ret, name):
        self.bindings._bind(self.connection, record, entity, {
            "Id": text_of(ret, "ListID"), "SyncToken": text_of(ret, "EditSequence"), "Name": name,
        }, origin="import")


def summary(env, counts, skipped):
    text = env._("Linked %(linked)s, created %(created)s, already linked %(already)s, skipped %(skipped)s.",
                 **counts)
    if skipped:
        text += "\n" + "\n".join(skipped[:200])
    return text


def page_rets(rs):
    return [child for child in rs if isinstance(child.tag, str) and child.tag.endswith("Ret")]


def finish(job, counts, skipped):
    job.write({"state": "done", "done_at": fields.Datetime.now(), "worker": False,
               "fault_message": summary(job.env, counts, skipped)})


def describe(rs):
    return etree.tostring(rs, encoding="unicode")[:2000]
