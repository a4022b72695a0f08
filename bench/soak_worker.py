"""Run inside Odoo by soak.py, in one of three roles:

    python bench/soak_worker.py <odoo.conf> <database> <emulator url> setup <invoices> <payments>
    python bench/soak_worker.py <odoo.conf> <database> <emulator url> work <seconds>
    python bench/soak_worker.py <odoo.conf> <database> <emulator url> verify

``setup`` connects the company to the emulator and creates the books (customers and products
QuickBooks does not have yet, posted invoices, payments registered on some of them), all queued;
``work`` is one queue worker (what Odoo's cron runs), again and again until the queue is empty
or the time is up; ``verify`` counts what QuickBooks holds per Odoo record and compares it with
the records, printing the figures as JSON.
"""

import html
import json
import random
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
CUSTOMERS, PRODUCTS = 40, 10
CREDIT_NOTES = 30  # applied to unpaid invoices (a QuickBooks payment of no money each)
WRITE_OFF_EVERY = 10  # one payment in ten settles its invoice with 1.00 written off


def control(method, path, **payload):
    answer = requests.request(method, f"{EMULATOR}/_emulator/{path}", json=payload or None, timeout=120)
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


def setup(invoices, payments):
    realm_id = control("GET", "realms")["realms"][0]["realm_id"]
    connect(realm_id)

    def configure(env):
        company = env.company
        connection = company._quickbooks_connection().sudo()
        client = connection._client()
        references = load_references(connection, client)

        def ref(entity, name):
            return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)

        tax = env["account.tax"].create({"name": "Soak sales tax 8%", "amount": 8.0, "type_tax_use": "sale",
                                         "quickbooks_tax_code_ref_id": ref("TaxCode", "California").id})
        connection.write({
            "references_synced_at": fields.Datetime.now(), "auto_push_invoices": False, "auto_push_partners": False,
            "default_income_account_ref_id": ref("Account", "Services").id,
            "default_expense_account_ref_id": ref("Account", "Office Expenses").id,
            "default_item_ref_id": ref("Item", "Services").id,
        })
        connection.sync_enabled = True
        journal = env["account.journal"].search([("company_id", "=", company.id), ("type", "=", "bank")], limit=1)
        journal.quickbooks_payment_method_ref_id = ref("PaymentMethod", "Check")
        params = env["ir.config_parameter"]
        # A soak of minutes: retries after seconds, dead workers noticed after 15 s, and an
        # answer held 6 s by the emulator is a timeout.
        params.set_param("quickbooks_sync.retry_base_seconds", 1)
        params.set_param("quickbooks_sync.dead_job_grace_seconds", 15)
        params.set_param("quickbooks_sync.http_timeout", 4)
        return tax.id, journal.id

    tax_id, journal_id = transaction(configure)
    rng = random.Random(20261201)  # noqa: S311 - reproducible data, not security

    def books(env):
        partners = env["res.partner"].create([
            {"name": f"Soak customer {i:03d}", "is_company": True, "email": f"soak{i}@example.com"}
            for i in range(CUSTOMERS)])
        products = env["product.product"].create([
            {"name": f"Soak service {i:02d}", "type": "service", "list_price": 10.0 + i,
             "taxes_id": [Command.set([tax_id])] if i % 3 else []}
            for i in range(PRODUCTS)])
        moves = env["account.move"].create([{
            "move_type": "out_invoice", "partner_id": partners[i % CUSTOMERS].id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({
                "product_id": products[rng.randrange(PRODUCTS)].id, "quantity": rng.randint(1, 4),
                "price_unit": rng.randrange(500, 50000) / 100}) for _line in range(rng.randint(1, 3))],
        } for i in range(invoices)])
        moves.action_post()
        paid = moves[:payments]
        payment_ids = []
        writeoff_account = env["account.account"].search([
            *env["account.account"]._check_company_domain(env.company), ("account_type", "=", "expense")], limit=1)
        for index, move in enumerate(paid):
            values = {"journal_id": journal_id,
                      "amount": move.amount_total if index % 4 else round(move.amount_total / 2, 2)}
            if index % WRITE_OFF_EVERY == 3:
                values.update(amount=round(move.amount_total - 1.0, 2), payment_difference_handling="reconcile",
                              writeoff_account_id=writeoff_account.id, writeoff_label="Soak discount")
            payment = env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids,
            ).create(values)._create_payments()
            payment_ids += payment.ids
        credited = moves[payments:payments + CREDIT_NOTES]
        credit_notes = env["account.move"].create([{
            "move_type": "out_refund", "partner_id": move.partner_id.id, "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": products[0].id, "quantity": 1, "price_unit": 5.0,
                                                 "tax_ids": [Command.clear()]})],
        } for move in credited])
        credit_notes.action_post()
        for move, credit in zip(credited, credit_notes, strict=True):
            line = credit.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
            move.js_assign_outstanding_line(line.id)
        moves._quickbooks_enqueue()
        credit_notes._quickbooks_enqueue()
        env["account.payment"].browse(payment_ids)._quickbooks_enqueue()
        return {"invoices": len(moves), "payments": len(payment_ids), "credit_notes": len(credit_notes)}

    print(json.dumps(transaction(books)))


def queue_left(env):
    return env["quickbooks.sync.job"].search_count([("state", "in", ("pending", "running"))])


def work(seconds):
    deadline = time.monotonic() + seconds
    idle_since = None
    while time.monotonic() < deadline:
        processed = transaction(lambda env: env["quickbooks.sync.job"]._cron_process_queue(time_budget=20))
        if processed:
            idle_since = None
            continue
        if not transaction(queue_left):
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 5:
                break
        time.sleep(0.5)
    print(json.dumps({"left": transaction(queue_left)}))


def verify():
    realm_id = transaction(lambda env: env.company._quickbooks_connection().sudo().realm_id)

    def objects(entity):
        return control("GET", f"objects?realm_id={realm_id}&entity={entity}")["objects"]

    def live(rows):
        return [row for row in rows if row["_emulator"]["status"] == "live"]

    invoices_by_number, payments_by_marker, customers_by_name = {}, {}, {}
    applications_by_marker, writeoffs_by_marker = {}, {}
    for row in live(objects("Invoice")) + live(objects("CreditMemo")):
        marker = re.search(r"\[odoo:account\.payment:(\d+)\]\[write-off\]", row.get("PrivateNote") or "")
        if marker:
            writeoffs_by_marker.setdefault(int(marker.group(1)), []).append(row)
            continue
        invoices_by_number.setdefault(row.get("DocNumber"), []).append(row)
    for row in live(objects("Payment")):
        marker = re.search(r"\[odoo:account\.payment:(\d+)\]", row.get("PrivateNote") or "")
        if marker:
            payments_by_marker.setdefault(int(marker.group(1)), []).append(row)
        marker = re.search(r"\[odoo:account\.move:(\d+)\]\[applied\]", row.get("PrivateNote") or "")
        if marker:
            applications_by_marker.setdefault(int(marker.group(1)), []).append(row)
    for row in live(objects("Customer")):
        customers_by_name.setdefault(row["DisplayName"], []).append(row)

    def check(env):
        figures = {"duplicates": 0, "lost": 0, "state_mismatches": 0, "balance_mismatches": 0, "records": 0,
                   "problems": []}
        moves = env["account.move"].search([("move_type", "in", ("out_invoice", "out_refund")),
                                            ("state", "=", "posted")])
        payments = env["account.payment"].search([("partner_type", "=", "customer")])
        partners = env["res.partner"].search([("name", "like", "Soak customer %")])

        def tally(record, found, qbo_id):
            figures["records"] += 1
            if not found:
                figures["lost"] += 1
                figures["problems"].append(f"{record.display_name}: not in QuickBooks")
                return None
            if len(found) > 1:
                figures["duplicates"] += len(found) - 1
                figures["problems"].append(f"{record.display_name}: {len(found)} times in QuickBooks")
            if qbo_id != found[0]["Id"]:
                figures["state_mismatches"] += 1
                figures["problems"].append(f"{record.display_name}: Odoo says {qbo_id}, QuickBooks has "
                                           f"{[row['Id'] for row in found]}")
            return found[0]

        for move in moves:
            stored = tally(move, invoices_by_number.get(move.name), move.quickbooks_id)
            if stored is None:
                continue
            if move.quickbooks_state != "synced":
                figures["state_mismatches"] += 1
                figures["problems"].append(f"{move.name}: {move.quickbooks_state} {move.quickbooks_error or ''}")
            if (round(stored["TotalAmt"], 2) != round(move.amount_total, 2)
                    or round(stored["Balance"], 2) != round(move.amount_residual, 2)):
                figures["balance_mismatches"] += 1
                figures["problems"].append(f"{move.name}: total {stored['TotalAmt']} / {move.amount_total}, "
                                           f"balance {stored['Balance']} / {move.amount_residual}")
        for credit in moves.filtered(lambda move: move.move_type == "out_refund"):
            application = env["quickbooks.binding"].search([
                ("res_model", "=", "account.move"), ("res_id", "=", credit.id), ("qbo_entity", "=", "Payment")])
            tally(credit, applications_by_marker.get(credit.id), application.qbo_id)
        for payment in payments:
            _liquidity, _counterpart, writeoff = payment._seek_for_lines()
            if writeoff:
                memo = env["quickbooks.binding"].search([
                    ("res_model", "=", "account.payment"), ("res_id", "=", payment.id),
                    ("qbo_entity", "=", "CreditMemo")])
                tally(payment, writeoffs_by_marker.get(payment.id), memo.qbo_id)
            stored = tally(payment, payments_by_marker.get(payment.id), payment.quickbooks_id)
            if stored is not None and payment.quickbooks_state != "synced":
                figures["state_mismatches"] += 1
                figures["problems"].append(f"{payment.name}: {payment.quickbooks_state} "
                                           f"{payment.quickbooks_error or ''}")
        for partner in partners:
            tally(partner, customers_by_name.get(partner.name), partner.quickbooks_id)
            if f"{partner.name} - 2" in customers_by_name:
                figures["duplicates"] += 1
                figures["problems"].append(f"{partner.name}: also as '{partner.name} - 2'")
        jobs = env["quickbooks.sync.job"].search([])
        figures["jobs_failed"] = len(jobs.filtered(lambda job: job.state == "failed"))
        figures["jobs_left"] = len(jobs.filtered(lambda job: job.state in ("pending", "running")))
        figures["problems"] = figures["problems"][:20]
        return figures

    print(json.dumps(transaction(check)))


if __name__ == "__main__":
    if ROLE == "setup":
        setup(int(ARGS[0]), int(ARGS[1]))
    elif ROLE == "work":
        work(float(ARGS[0]))
    elif ROLE == "verify":
        verify()
    else:
        raise SystemExit(f"unknown role {ROLE}")
