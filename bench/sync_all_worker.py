"""Run inside Odoo by bench_sync_all.py: queue 20,000 posted invoices (and their customers and
products) with "Sync everything now", and print how long the queueing took and how many SQL
statements it needed, as JSON.

    python bench/sync_all_worker.py <odoo.conf> <database> <emulator url> <invoices>
"""

import html
import json
import re
import sys
import time
import urllib.parse

import requests

CONFIG, DATABASE, EMULATOR, INVOICES = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

from odoo.tools import config  # noqa: E402

config.parse_config(["-c", CONFIG, "-d", DATABASE, "--log-level=warn"])

from odoo import SUPERUSER_ID, Command, api, fields, sql_db  # noqa: E402
from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET  # noqa: E402
from odoo.addons.quickbooks_sync.tests.push_common import load_references  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402

registry = Registry(DATABASE)


def transaction(func, uid=SUPERUSER_ID):
    with registry.cursor() as cr:
        return func(api.Environment(cr, uid, {}))


def connect(realm_id):
    def start(env):
        connection = env.company._quickbooks_connection().sudo()
        connection.write({"environment": "custom", "custom_url": EMULATOR, "client_id": DEFAULT_CLIENT_ID})
        connection.client_secret = DEFAULT_CLIENT_SECRET
        return connection.with_user(env.ref("base.user_admin")).action_connect()["url"]

    url = transaction(start)
    page = requests.get(url, timeout=60)
    form = {name: html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text)}
    form.update(realm_id=realm_id, decision="approve")
    callback = requests.post(url, data=form, allow_redirects=False, timeout=60).headers["Location"]
    params = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(callback).query).items()}

    def finish(env):
        pending = env["quickbooks.oauth.state"]._consume(params["state"])
        pending.connection_id._complete_authorization(params["code"], params["realmId"])
    transaction(finish, uid=transaction(lambda env: env.ref("base.user_admin").id))


def configure(env):
    connection = env.company._quickbooks_connection().sudo()
    client = connection._client()
    references = load_references(connection, client)

    def ref(entity, name):
        return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

    connection.write({
        "references_synced_at": fields.Datetime.now(), "auto_push_invoices": False, "auto_push_partners": False,
        "default_income_account_ref_id": ref("Account", "Services").id,
        "default_expense_account_ref_id": ref("Account", "Office Expenses").id,
        "default_item_ref_id": ref("Item", "Services").id,
    })
    connection.sync_enabled = True


def create_books():
    def masters(env):
        partners = env["res.partner"].create([{"name": f"Backlog customer {i:04d}", "is_company": True}
                                             for i in range(500)])
        products = env["product.product"].create([{"name": f"Backlog service {i:03d}", "type": "service",
                                                   "list_price": 10.0 + i, "taxes_id": []} for i in range(100)])
        return partners.ids, products.ids
    partner_ids, product_ids = transaction(masters)
    for start in range(0, INVOICES, 1000):
        def invoices(env, start=start):
            moves = env["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partner_ids[i % 500], "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product_ids[i % 100], "quantity": 1,
                                                     "price_unit": 10.0 + i % 90, "tax_ids": []})],
            } for i in range(start, min(start + 1000, INVOICES))])
            moves.action_post()
        transaction(invoices)


def main():
    realm_id = requests.get(f"{EMULATOR}/_emulator/realms", timeout=60).json()["realms"][0]["realm_id"]
    connect(realm_id)
    transaction(configure)
    started = time.monotonic()
    create_books()
    print(f"created {INVOICES} posted invoices in {time.monotonic() - started:.0f} s", flush=True)

    def preview_and_send(env):
        wizard = env["quickbooks.sync.all.wizard"].create({"connection_id": env.company._quickbooks_connection().id})
        env.flush_all()
        queries, began = sql_db.sql_counter, time.monotonic()
        wizard.action_preview()
        env.flush_all()
        preview = (time.monotonic() - began, sql_db.sql_counter - queries)
        queries, began = sql_db.sql_counter, time.monotonic()
        wizard.action_send()
        env.flush_all()
        send = (time.monotonic() - began, sql_db.sql_counter - queries)
        jobs = env["quickbooks.sync.job"].search_count([("res_model", "=", "account.move"), ("state", "=", "pending")])
        return preview, send, jobs

    preview, send, jobs = transaction(preview_and_send)
    if jobs != INVOICES:
        raise RuntimeError(f"{jobs} invoice jobs queued, not {INVOICES}")
    print(f"preview: {preview[0]:.2f} s, {preview[1]} SQL statements; send: {send[0]:.2f} s, {send[1]} SQL "
          f"statements for {jobs} invoices, 500 customers and 100 products", flush=True)
    print(json.dumps({
        "sync_all_queue_20k_s": round(send[0], 2),
        "sync_all_queue_20k_sql": send[1],
        "sync_all_preview_20k_s": round(preview[0], 2),
        "sync_all_preview_20k_sql": preview[1],
    }))


if __name__ == "__main__":
    main()
