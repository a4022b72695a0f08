"""Run inside Odoo by bench_push.py: push 2,000 invoices (500 customers, 200 items) to the
emulator, (a) with limits off, (b) with QuickBooks' limits on, and print the figures as JSON.

    python bench/push_worker.py <odoo.conf> <database> <emulator url>
"""

import collections
import cProfile
import html
import json
import math
import os
import re
import sys
import time
import urllib.parse

import requests

CONFIG, DATABASE, EMULATOR = sys.argv[1], sys.argv[2], sys.argv[3]
# QBSYNC_BENCH_SCALE=0.1 runs a tenth of the work (to profile); QBSYNC_BENCH_PROFILE=<file>
# writes a cProfile of phase (a) there.
SCALE = float(os.environ.get("QBSYNC_BENCH_SCALE", "1"))
CUSTOMERS, ITEMS, INVOICES = int(500 * SCALE), int(200 * SCALE), int(2000 * SCALE)
LIMIT_PER_MINUTE, BATCH_PER_MINUTE, PER_SECOND, BATCH_SIZE = 500, 40, 10, 30

from odoo.tools import config  # noqa: E402

config.parse_config(["-c", CONFIG, "-d", DATABASE, "--log-level=warn"])

from odoo import SUPERUSER_ID, Command, api, fields, sql_db  # noqa: E402
from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET  # noqa: E402
from odoo.addons.quickbooks_sync.sync import engine as engine_module  # noqa: E402
from odoo.addons.quickbooks_sync.tests.push_common import load_references  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402

registry = Registry(DATABASE)
client_totals = collections.Counter()


def _trace_limiter(path):
    """QBSYNC_BENCH_TRACE=<file>: every paced request (time, weight, seconds waited) as JSON."""
    from odoo.addons.quickbooks_sync.transport import ratelimit  # noqa: PLC0415

    events = []
    original = ratelimit.RateLimiter.wait

    def wait(self, weight=1, batch=False):
        waited = original(self, weight=weight, batch=batch)
        events.append((time.monotonic(), weight, batch, waited))
        return waited

    ratelimit.RateLimiter.wait = wait
    return events


def _collect_client_stats():
    original = engine_module.PushEngine.run

    def run(self):
        try:
            return original(self)
        finally:
            if self.client is not None:
                client_totals.update(self.client.stats)

    engine_module.PushEngine.run = run


def control(method, path, **payload):
    answer = requests.request(method, f"{EMULATOR}/_emulator/{path}", json=payload or None, timeout=60)
    answer.raise_for_status()
    return answer.json()


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


def configure(realm_id):
    """Reference data, tax mapping and defaults for the connected realm."""
    def run(env):
        connection = env.company._quickbooks_connection().sudo()
        client = connection._client()
        references = load_references(connection, client)

        def ref(entity, name):
            return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

        tax = env["account.tax"].search([("name", "=", "Bench sales tax 8%")], limit=1) or env["account.tax"].create(
            {"name": "Bench sales tax 8%", "amount": 8.0, "type_tax_use": "sale"})
        tax.quickbooks_tax_code_ref_id = ref("TaxCode", "California")
        connection.write({
            "references_synced_at": fields.Datetime.now(), "auto_push_invoices": False, "auto_push_partners": False,
            "default_income_account_ref_id": ref("Account", "Services").id,
            "default_expense_account_ref_id": ref("Account", "Office Expenses").id,
            "default_item_ref_id": ref("Item", "Services").id,
        })
        connection.sync_enabled = True
        return tax.id
    return transaction(run)


def create_data(tax_id):
    def run(env):
        partners = env["res.partner"].create([
            {"name": f"Bench customer {i:04d}", "is_company": True, "email": f"customer{i}@bench.example",
             "city": "San Francisco", "zip": "94105", "street": f"{i} Market Street"}
            for i in range(CUSTOMERS)
        ])
        products = env["product.product"].create([
            {"name": f"Bench service {i:03d}", "type": "service", "list_price": 10.0 + i,
             "default_code": f"BS-{i:03d}", "taxes_id": [Command.set([tax_id])]}
            for i in range(ITEMS)
        ])
        return partners.ids, products.ids
    partner_ids, product_ids = transaction(run)
    move_ids = []
    for start in range(0, INVOICES, 200):
        def invoices(env, start=start):
            moves = env["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partner_ids[i % CUSTOMERS],
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"product_id": product_ids[(i + line) % ITEMS], "quantity": 1 + line,
                                    "price_unit": 20.0 + (i % 50)})
                    for line in range(1 + i % 3)
                ],
            } for i in range(start, min(start + 200, INVOICES))])
            moves.action_post()
            return moves.ids
        move_ids += transaction(invoices)
    return move_ids


def push(move_ids):
    first_job = transaction(lambda env: env["account.move"].browse(move_ids)._quickbooks_enqueue()).ids
    first_job = min(first_job)
    before = control("GET", "stats")["counters"]
    queries = sql_db.sql_counter
    client_totals.clear()
    started = time.monotonic()
    while transaction(lambda env: env["quickbooks.sync.job"].search_count([("state", "=", "pending")])):
        transaction(lambda env: env["quickbooks.sync.job"]._cron_process_queue(time_budget=3600))
    elapsed = time.monotonic() - started
    after = control("GET", "stats")["counters"]
    done = transaction(lambda env: env["quickbooks.sync.job"].search_count([
        ("res_model", "=", "account.move"), ("res_id", "in", move_ids), ("state", "=", "done"),
        ("id", ">=", first_job)]))
    if done != len(move_ids):
        raise RuntimeError(f"only {done} of {len(move_ids)} invoices were synced")
    return {
        "seconds": elapsed,
        "queries": sql_db.sql_counter - queries,
        "requests": after.get("api.requests", 0) - before.get("api.requests", 0),
        "reads": after.get("api.reads", 0) - before.get("api.reads", 0),
        "throttled": after.get("api.throttled", 0) - before.get("api.throttled", 0),
        "batches": after.get("api.batches", 0) - before.get("api.batches", 0),
        "http_seconds": client_totals["http_seconds"],
    }


def main():
    _collect_client_stats()
    realm_a = control("GET", "realms")["realms"][0]["realm_id"]
    connect(realm_a)
    tax_id = configure(realm_a)
    started = time.monotonic()
    move_ids = create_data(tax_id)
    print(f"created {CUSTOMERS} customers, {ITEMS} products, {INVOICES} posted invoices "
          f"in {time.monotonic() - started:.0f} s", flush=True)

    # (a) QuickBooks' limits off, Odoo's limiter off: what the addon itself costs.
    transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "off"))
    profile_to = os.environ.get("QBSYNC_BENCH_PROFILE")
    profiler = cProfile.Profile() if profile_to else None
    if profiler:
        profiler.enable()
    a = push(move_ids)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_to)
        print(f"profile of (a) written to {profile_to}", flush=True)
    odoo_ms = (a["seconds"] - a["http_seconds"]) * 1000 / INVOICES
    print(f"(a) limits off: {a['seconds']:.1f} s wall, {a['http_seconds']:.1f} s waiting on QuickBooks, "
          f"{a['requests']} HTTP requests, {a['reads']} reads, {a['queries']} SQL queries", flush=True)

    # (b) QuickBooks' real limits on (emulator) and Odoo's limiter on: a second company.
    trace_to = os.environ.get("QBSYNC_BENCH_TRACE")
    trace = _trace_limiter(trace_to) if trace_to else None
    realm_b = control("POST", "realms", fixture="us", company_name="Bench limits company",
                      realm_id="9341455199990777")["realm_id"]
    control("POST", "limits", enabled=True)
    transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", ""))
    connect(realm_b)
    configure(realm_b)
    b = push(move_ids)
    if trace is not None:
        with open(trace_to, "w") as out:
            json.dump(trace, out)
    writes = CUSTOMERS + ITEMS + INVOICES
    # The fastest these writes can go under QuickBooks' limits.  Any minute may hold at most
    # 500 operations (and 40 batch requests, 600 requests), so N operations need at least
    # ceil(N / 500) minute-long spans: the last one cannot start before 60 * (ceil(N / 500) - 1)
    # seconds, however they are spread (bursting the first 500 at once is already optimal).
    batches = math.ceil(writes / BATCH_SIZE)
    best_minutes = max(math.ceil(writes / LIMIT_PER_MINUTE) - 1, math.ceil(batches / BATCH_PER_MINUTE) - 1,
                       (math.ceil(batches / PER_SECOND) - 1) / 60, 0)
    actual_minutes = b["seconds"] / 60
    print(f"(b) limits on: {b['seconds']:.1f} s for {writes} writes in {b['batches']} batch requests "
          f"({b['throttled']} throttled by QuickBooks); the limits allow it in {best_minutes * 60:.0f} s at best",
          flush=True)
    print(json.dumps({
        "push_ms_per_invoice": round(odoo_ms, 2),
        "push_sql_per_invoice": round(a["queries"] / INVOICES, 2),
        "push_http_per_invoice": round(a["requests"] / INVOICES, 4),
        "push_reads_per_invoice": round(a["reads"] / INVOICES, 4),
        "push_limited_per_min": round(INVOICES / actual_minutes, 1),
        "push_limited_ratio": round(best_minutes / actual_minutes, 3),
    }))


if __name__ == "__main__":
    main()
