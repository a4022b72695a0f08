"""Run inside Odoo by bench_multi_realm.py, in one of these roles:

    python bench/multi_realm_worker.py <odoo.conf> <database> <emulator url> setup <companies>
    python bench/multi_realm_worker.py <odoo.conf> <database> <emulator url> data <tag> <invoices> <limits on|off>
    python bench/multi_realm_worker.py <odoo.conf> <database> <emulator url> work <seconds>
    python bench/multi_realm_worker.py <odoo.conf> <database> <emulator url> click <seconds> <every>
    python bench/multi_realm_worker.py <odoo.conf> <database> <emulator url> verify <tag>

``setup`` makes <companies> Odoo companies (US chart), each connected to a QuickBooks company of
its own in the emulator, with reference data and defaults; ``data`` gives each company 20 new
customers, 5 new products and <invoices> posted invoices, all queued; ``work`` is one queue
worker (a scheduled action's run, again and again until the queue is empty); ``click`` is a
person who, every <every> seconds, posts an invoice in one of the companies and clicks *Sync to
QuickBooks*, then waits for it to show *Synced*; ``verify`` checks that every invoice of the
tag reached its QuickBooks company once and shows synced.
"""

import html
import json
import re
import sys
import time
import urllib.parse

import requests

CONFIG, DATABASE, EMULATOR, ROLE = sys.argv[1:5]
ARGS = sys.argv[5:]

from odoo.tools import config  # noqa: E402

config.parse_config(["-c", CONFIG, "-d", DATABASE, "--log-level=error"])

from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402
from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET  # noqa: E402
from odoo.addons.quickbooks_sync.tests.push_common import load_references  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402

registry = Registry(DATABASE)
COMPANY_PREFIX = "Bench firm client"


def control(method, path, **payload):
    answer = requests.request(method, f"{EMULATOR}/_emulator/{path}", json=payload or None, timeout=300)
    answer.raise_for_status()
    return answer.json()


def transaction(func, uid=SUPERUSER_ID, context=None):
    with registry.cursor() as cr:
        return func(api.Environment(cr, uid, context or {}))


def companies(env):
    return env["res.company"].search([("name", "like", f"{COMPANY_PREFIX} %")], order="id")


def connect(company_id, realm_id):
    admin_id = transaction(lambda env: env.ref("base.user_admin").id)
    context = {"allowed_company_ids": [company_id]}
    url = transaction(lambda env: env["res.company"].browse(company_id)._quickbooks_connection()
                      .action_connect()["url"], uid=admin_id, context=context)
    page = requests.get(url, timeout=60)
    form = {name: html.unescape(value)
            for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text)}
    form.update(realm_id=realm_id, decision="approve")
    callback = requests.post(url, data=form, allow_redirects=False, timeout=60).headers["Location"]
    params = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(callback).query).items()}

    def finish(env):
        pending = env["quickbooks.oauth.state"]._consume(params["state"])
        pending.connection_id._complete_authorization(params["code"], params["realmId"])
    transaction(finish, uid=admin_id, context=context)


def setup(count):
    def make(env):
        admin = env.ref("base.user_admin")
        made = []
        for index in range(count):
            company = env["res.company"].create({
                "name": f"{COMPANY_PREFIX} {index:02d}", "country_id": env.ref("base.us").id,
                "currency_id": env.ref("base.USD").id})
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
            admin.write({"company_ids": [Command.link(company.id)]})
            connection = company._quickbooks_connection().sudo()
            connection.write({"environment": "custom", "custom_url": EMULATOR, "client_id": DEFAULT_CLIENT_ID})
            connection.client_secret = DEFAULT_CLIENT_SECRET
            made.append(company.id)
        return made

    company_ids = transaction(make)
    for index, company_id in enumerate(company_ids):
        realm_id = control("POST", "realms", fixture="us", company_name=f"Firm client {index:02d}",
                           realm_id=str(9341460000000000 + index))["realm_id"]
        connect(company_id, realm_id)
        transaction(lambda env, company_id=company_id: configure(env, company_id))
    print(json.dumps({"companies": len(company_ids)}))


def configure(env, company_id):
    company = env["res.company"].browse(company_id)
    connection = company._quickbooks_connection().sudo()
    client = connection._client()
    references = load_references(connection, client)

    def ref(entity, name):
        return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

    env["account.tax"].create({"name": "Bench sales tax 8%", "amount": 8.0, "type_tax_use": "sale",
                               "company_id": company.id, "quickbooks_tax_code_ref_id": ref("TaxCode", "California").id})
    connection.write({
        "references_synced_at": fields.Datetime.now(), "auto_push_invoices": False, "auto_push_partners": False,
        "default_income_account_ref_id": ref("Account", "Services").id,
        "default_expense_account_ref_id": ref("Account", "Office Expenses").id,
        "default_item_ref_id": ref("Item", "Services").id,
    })
    connection.sync_enabled = True


def data(tag, invoices, limits):
    def make(env):
        env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "" if limits == "on" else "off")
        total = 0
        for company in companies(env):
            env_c = env(context={"allowed_company_ids": [company.id]})
            tax = env_c["account.tax"].search([("company_id", "=", company.id), ("name", "=", "Bench sales tax 8%")])
            partners = env_c["res.partner"].create([
                {"name": f"{company.name} {tag} customer {i:02d}", "is_company": True, "company_id": company.id}
                for i in range(20)])
            products = env_c["product.product"].create([
                {"name": f"{company.name} {tag} service {i}", "type": "service", "list_price": 20.0 + i,
                 "company_id": company.id, "taxes_id": [Command.set(tax.ids)]} for i in range(5)])
            moves = env_c["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partners[i % 20].id, "invoice_date": fields.Date.today(),
                "ref": f"{tag}-{i}",
                "invoice_line_ids": [Command.create({"product_id": products[(i + line) % 5].id,
                                                     "quantity": 1 + line, "price_unit": 15.0 + i % 40})
                                     for line in range(1 + i % 2)],
            } for i in range(invoices)])
            moves.action_post()
            moves._quickbooks_enqueue()
            total += len(moves)
        return total
    print(json.dumps({"invoices": transaction(make)}))


def queue_left(env):
    return env["quickbooks.sync.job"].search_count([("state", "in", ("pending", "running"))])


def work(seconds):
    deadline = time.monotonic() + seconds
    idle_since = None
    while time.monotonic() < deadline:
        processed = transaction(lambda env: env["quickbooks.sync.job"]._cron_process_queue(time_budget=50))
        if processed:
            idle_since = None
            continue
        if not transaction(queue_left):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 3:
                break
        time.sleep(0.2)
    print(json.dumps({"left": transaction(queue_left)}))


def click(seconds, every):
    """A person's clicks while the backlog is sent: seconds from the click to *Synced*."""
    admin_id = transaction(lambda env: env.ref("base.user_admin").id)
    company_ids = transaction(lambda env: companies(env).ids)
    latencies, index = [], 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and transaction(queue_left):
        company_id = company_ids[index % len(company_ids)]
        index += 1
        context = {"allowed_company_ids": [company_id]}

        def post_and_click(env, company_id=company_id):
            partner = env["res.partner"].search([("company_id", "=", company_id), ("name", "like", "% customer 00")],
                                                limit=1)
            product = env["product.product"].search([("company_id", "=", company_id)], limit=1)
            move = env["account.move"].create({
                "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 99.0})],
            })
            move.action_post()
            move.action_quickbooks_sync()
            return move.id

        move_id = transaction(post_and_click, uid=admin_id, context=context)
        clicked = time.monotonic()
        while time.monotonic() - clicked < 120:
            state = transaction(lambda env, move_id=move_id: env["account.move"].browse(move_id).quickbooks_state)
            if state in ("synced", "error"):
                break
            time.sleep(0.2)
        latencies.append(round(time.monotonic() - clicked, 2))
        time.sleep(max(every - (time.monotonic() - clicked), 0))
    print(json.dumps({"latencies": latencies}))


def verify(tag):
    def check(env):
        moves = env["account.move"].search([("ref", "like", f"{tag}-%")])
        not_synced = moves.filtered(lambda move: move.quickbooks_state != "synced")
        return {"invoices": len(moves), "not_synced": len(not_synced),
                "examples": [f"{m.name} {m.quickbooks_state} {m.quickbooks_error}" for m in not_synced[:5]]}
    result = transaction(check)
    duplicates = 0
    for realm in control("GET", "realms")["realms"]:
        rows = control("GET", f"objects?realm_id={realm['realm_id']}&entity=Invoice")["objects"]
        numbers = [row.get("DocNumber") for row in rows if row["_emulator"]["status"] == "live"]
        duplicates += len(numbers) - len(set(numbers))
    result["duplicates"] = duplicates
    print(json.dumps(result))


if __name__ == "__main__":
    if ROLE == "setup":
        setup(int(ARGS[0]))
    elif ROLE == "data":
        data(ARGS[0], int(ARGS[1]), ARGS[2])
    elif ROLE == "work":
        work(float(ARGS[0]))
    elif ROLE == "click":
        click(float(ARGS[0]), float(ARGS[1]))
    elif ROLE == "verify":
        verify(ARGS[0])
    else:
        raise SystemExit(f"unknown role {ROLE}")
