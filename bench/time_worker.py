"""Run inside Odoo by bench_time.py: send 10,000 timesheet entries (50 employees, 100 projects
with their customers) to the emulator, (a) with limits off, (b) with QuickBooks' limits on, and
print the figures as JSON.

    python bench/time_worker.py <odoo.conf> <database> <emulator url>
"""

import collections
import datetime
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
SCALE = float(os.environ.get("QBSYNC_BENCH_SCALE", "1"))
EMPLOYEES, PROJECTS, ENTRIES = int(50 * SCALE) or 1, int(100 * SCALE) or 1, int(10000 * SCALE)
LIMITED = min(int(os.environ.get("QBSYNC_BENCH_TIME_LIMITED", ENTRIES)), ENTRIES)
LIMIT_PER_MINUTE, BATCH_PER_MINUTE, PER_SECOND, BATCH_SIZE = 500, 40, 10, 30

from odoo.tools import config  # noqa: E402

config.parse_config(["-c", CONFIG, "-d", DATABASE, "--log-level=warn"])

from odoo import SUPERUSER_ID, api, fields, sql_db  # noqa: E402
from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET  # noqa: E402
from odoo.addons.quickbooks_sync.sync import engine as engine_module  # noqa: E402
from odoo.addons.quickbooks_sync.tests.push_common import load_references  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402

registry = Registry(DATABASE)
client_totals = collections.Counter()


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
    answer = requests.request(method, f"{EMULATOR}/_emulator/{path}", json=payload or None, timeout=600)
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
    def run(env):
        connection = env.company._quickbooks_connection().sudo()
        client = connection._client()
        references = load_references(connection, client)
        def ref(entity, name):
            return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

        connection.write({"references_synced_at": fields.Datetime.now(), "auto_push_invoices": False,
                          "auto_push_partners": False, "default_item_ref_id": ref("Item", "Services").id,
                          "default_income_account_ref_id": ref("Account", "Services").id,
                          "default_expense_account_ref_id": ref("Account", "Office Expenses").id})
        connection.sync_enabled = True
    transaction(run)


def create_data():
    def run(env):
        employees = env["hr.employee"].create([
            {"name": f"Bench worker {i:03d}", "quickbooks_hourly_rate": 50.0 + i} for i in range(EMPLOYEES)
        ])
        # Time tracking set-up > Create missing employees in QuickBooks: their creation is queued
        # (time is refused for an employee neither linked nor asked for).
        employees._quickbooks_enqueue()
        partners = env["res.partner"].create([
            {"name": f"Bench client {i:03d}", "is_company": True, "email": f"client{i}@bench.example"}
            for i in range(PROJECTS)
        ])
        projects = env["project.project"].create([
            {"name": f"Bench project {i:03d}", "partner_id": partners[i].id, "allow_timesheets": True,
             "quickbooks_billable": i % 4 != 0}
            for i in range(PROJECTS)
        ])
        return employees.ids, projects.ids
    employee_ids, project_ids = transaction(run)
    line_ids = []
    today = fields.Date.today()
    for start in range(0, ENTRIES, 500):
        def lines(env, start=start):
            return env["account.analytic.line"].create([{
                "employee_id": employee_ids[i % len(employee_ids)], "project_id": project_ids[i % len(project_ids)],
                "unit_amount": 0.25 + (i % 31) / 4, "name": f"Bench task {i}",
                "date": today - datetime.timedelta(days=i % 60),
            } for i in range(start, min(start + 500, ENTRIES))]).ids
        line_ids += transaction(lines)
    return line_ids


def push(line_ids):
    first_job = min(transaction(lambda env: env["account.analytic.line"].browse(line_ids)._quickbooks_enqueue()).ids)
    before = control("GET", "stats")["counters"]
    queries = sql_db.sql_counter
    client_totals.clear()
    started = time.monotonic()
    while transaction(lambda env: env["quickbooks.sync.job"].search_count([("state", "=", "pending")])):
        transaction(lambda env: env["quickbooks.sync.job"]._cron_process_queue(time_budget=3600))
    elapsed = time.monotonic() - started
    after = control("GET", "stats")["counters"]
    done = transaction(lambda env: env["quickbooks.sync.job"].search_count([
        ("res_model", "=", "account.analytic.line"), ("res_id", "in", line_ids), ("state", "=", "done"),
        ("id", ">=", first_job)]))
    if done != len(line_ids):
        failed = transaction(lambda env: env["quickbooks.sync.job"].search([
            ("res_model", "=", "account.analytic.line"), ("state", "!=", "done"), ("id", ">=", first_job)],
            limit=3).mapped("fault_message"))
        raise RuntimeError(f"only {done} of {len(line_ids)} entries were sent: {failed}")
    return {
        "seconds": elapsed,
        "queries": sql_db.sql_counter - queries,
        "requests": after.get("api.requests", 0) - before.get("api.requests", 0),
        "throttled": after.get("api.throttled", 0) - before.get("api.throttled", 0),
        "batches": after.get("api.batches", 0) - before.get("api.batches", 0),
        "http_seconds": client_totals["http_seconds"],
    }


def main():
    _collect_client_stats()
    realm_a = control("GET", "realms")["realms"][0]["realm_id"]
    connect(realm_a)
    configure(realm_a)
    started = time.monotonic()
    line_ids = create_data()
    print(f"created {EMPLOYEES} employees, {PROJECTS} projects, {ENTRIES} timesheet entries "
          f"in {time.monotonic() - started:.0f} s", flush=True)

    transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "off"))
    a = push(line_ids)
    odoo_ms = (a["seconds"] - a["http_seconds"]) * 1000 / ENTRIES
    print(f"(a) limits off: {a['seconds']:.1f} s wall, {a['http_seconds']:.1f} s waiting on QuickBooks, "
          f"{a['requests']} HTTP requests, {a['queries']} SQL queries", flush=True)

    realm_b = control("POST", "realms", fixture="us", company_name="Bench time limits company",
                      realm_id="9341455199990888")["realm_id"]
    control("POST", "limits", enabled=True)
    transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", ""))
    connect(realm_b)
    configure(realm_b)
    # Another QuickBooks company: its employees are asked for again (Create missing employees).
    transaction(lambda env: env["hr.employee"].search([("name", "like", "Bench worker %")])._quickbooks_enqueue())
    limited_ids = line_ids[:LIMITED]
    b = push(limited_ids)
    employees = min(EMPLOYEES, LIMITED)
    projects = min(PROJECTS, LIMITED)
    writes = employees + projects + LIMITED
    batches = math.ceil(writes / BATCH_SIZE)
    best_minutes = max(math.ceil(writes / LIMIT_PER_MINUTE) - 1, math.ceil(batches / BATCH_PER_MINUTE) - 1,
                       (math.ceil(batches / PER_SECOND) - 1) / 60, 0)
    actual_minutes = b["seconds"] / 60
    print(f"(b) limits on: {b['seconds']:.1f} s for {writes} writes ({LIMITED} entries) in {b['batches']} batch "
          f"requests ({b['throttled']} throttled by QuickBooks); the limits allow it in {best_minutes * 60:.0f} s "
          "at best", flush=True)
    print(json.dumps({
        "time_ms_per_entry": round(odoo_ms, 2),
        "time_sql_per_entry": round(a["queries"] / ENTRIES, 2),
        "time_http_per_entry": round(a["requests"] / ENTRIES, 4),
        "time_limited_ratio": round(best_minutes / actual_minutes, 3) if actual_minutes else 0,
        "time_limited_entries": LIMITED,
    }))


if __name__ == "__main__":
    main()
