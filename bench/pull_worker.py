"""Run inside Odoo by bench_pull.py: 1,000 invoices pushed to the emulator, 1,000 payments
entered in QuickBooks for them, pulled back by change data capture; then 200 webhook
notifications posted to an Odoo server.  Prints the figures as JSON (last line).

    python bench/pull_worker.py <odoo.conf> <database> <emulator url>
"""

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import requests
from push_worker import CONFIG, DATABASE, configure, connect, control, transaction
from reconcile_worker import sync_all

from odoo import Command, fields, sql_db
from odoo.addons.quickbooks_sync.controllers.webhook import WEBHOOK_PATH, expected_signature
from odoo.addons.quickbooks_sync.sync.pull import PullEngine

PAYMENTS = int(1000 * float(os.environ.get("QBSYNC_BENCH_SCALE", "1")))
CUSTOMERS, ITEMS = max(PAYMENTS // 5, 1), 50
BURST = 200
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def create_invoices(tax_id):
    def masters(env):
        env = env(context=QUIET)
        partners = env["res.partner"].create([{"name": f"Pull customer {i:04d}", "is_company": True}
                                              for i in range(CUSTOMERS)])
        products = env["product.product"].create([
            {"name": f"Pull service {i:03d}", "type": "service", "list_price": 10.0 + i,
             "taxes_id": [Command.set([tax_id])]} for i in range(ITEMS)])
        return partners.ids, products.ids
    partner_ids, product_ids = transaction(masters)
    move_ids = []
    for start in range(0, PAYMENTS, 200):
        def invoices(env, start=start):
            moves = env(context=QUIET)["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partner_ids[i % CUSTOMERS],
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [Command.create({"product_id": product_ids[i % ITEMS], "quantity": 1 + i % 3,
                                                     "price_unit": 20.0 + i % 50})],
            } for i in range(start, min(start + 200, PAYMENTS))])
            moves.action_post()
            return moves.ids
        move_ids += transaction(invoices)
    transaction(lambda env: env["account.move"].browse(move_ids)._quickbooks_enqueue())
    sync_all()
    return move_ids


def enter_payments(realm, move_ids):
    """What accountants do in QuickBooks: receive each invoice's payment."""
    def rows(env):
        result = []
        for move in env["account.move"].browse(move_ids):
            customer = env["quickbooks.binding"].search([
                ("res_model", "=", "res.partner"), ("res_id", "=", move.commercial_partner_id.id),
                ("qbo_entity", "=", "Customer")], limit=1)
            result.append({"CustomerRef": {"value": customer.qbo_id}, "TotalAmt": move.amount_total,
                           "PaymentRefNum": f"BENCH-{move.id}", "TxnDate": fields.Date.to_string(move.invoice_date),
                           "Line": [{"Amount": move.amount_total,
                                     "LinkedTxn": [{"TxnId": move.quickbooks_id, "TxnType": "Invoice"}]}]})
        return result
    payments = transaction(rows)
    for start in range(0, len(payments), 200):
        control("POST", f"realms/{realm}/objects", objects={"Payment": payments[start:start + 200]})


def pull(realm):
    def run(env):
        connection = env.company._quickbooks_connection().sudo()
        before = control("GET", f"stats?realm_id={realm}")["counters"]
        queries = sql_db.sql_counter
        clock = time.monotonic()
        result = PullEngine(connection).run_cdc()
        seconds = time.monotonic() - clock
        after = control("GET", f"stats?realm_id={realm}")["counters"]
        return result, seconds, sql_db.sql_counter - queries, after["api.requests"] - before["api.requests"]
    return transaction(run)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def webhook_burst(realm):
    token = uuid.uuid4().hex
    transaction(lambda env: env.company._quickbooks_connection().sudo().write({"webhook_verifier_token": token}))
    port = free_port()
    odoo_bin = os.path.join(os.path.dirname(sys.modules["odoo"].__path__[0]), "odoo-bin")
    server = subprocess.Popen([sys.executable, odoo_bin, "-c", CONFIG, "-d", DATABASE, "--http-port", str(port),
                               "--http-interface", "127.0.0.1", "--max-cron-threads", "0", "--log-level=warn"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(240):
            try:
                if requests.get(f"{url}/web/health", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        now = fields.Datetime.now().isoformat() + "Z"

        def post(i):
            body = json.dumps([{"specversion": "1.0", "id": uuid.uuid4().hex, "source": "intuit.bench",
                                "type": "qbo.payment.updated.v1", "time": now, "intuitentityid": str(900000 + i),
                                "intuitaccountid": realm, "data": {}}]).encode()
            clock = time.monotonic()
            answer = requests.post(f"{url}{WEBHOOK_PATH}", data=body, timeout=30, headers={
                "Content-Type": "application/json", "intuit-signature": expected_signature(token, body)})
            elapsed = (time.monotonic() - clock) * 1000
            if answer.status_code != 200:
                raise RuntimeError(f"webhook answered {answer.status_code}: {answer.text[:200]}")
            return elapsed

        post(-1)  # warm-up
        with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
            latencies = sorted(pool.map(post, range(BURST)))
        queued = transaction(lambda env: env["quickbooks.sync.job"].search_count(
            [("direction", "=", "incoming"), ("qbo_id", ">=", "900000"), ("source", "=", "webhook")]))
        if queued < BURST:
            raise RuntimeError(f"only {queued} of {BURST} notifications were queued")
        return latencies[int(len(latencies) * 0.95) - 1]
    finally:
        server.terminate()
        server.wait(30)


def main():
    realm = control("GET", "realms")["realms"][0]["realm_id"]
    connect(realm)
    tax_id = configure(realm)
    transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "off"))
    clock = time.monotonic()
    move_ids = create_invoices(tax_id)
    print(f"set-up: {len(move_ids)} invoices pushed in {time.monotonic() - clock:.0f} s", flush=True)

    def accounts(env):
        # What "Sync reference data" records of each account: its detail type (Undeposited Funds).
        connection = env.company._quickbooks_connection().sudo()
        for row in connection._client().query("select * from Account maxresults 1000").get("Account", []):
            env["quickbooks.reference"].search([("qbo_entity", "=", "Account"), ("qbo_id", "=", row["Id"])]).write(
                {"qbo_subtype": row.get("AccountSubType") or False})
    transaction(accounts)

    def window(env):
        connection = env.company._quickbooks_connection().sudo()
        env["quickbooks.pull.state"].create({"connection_id": connection.id, "realm_id": connection.realm_id,
                                             "window_start": fields.Datetime.now() - timedelta(seconds=2)})
    transaction(window)
    enter_payments(realm, move_ids)
    result, seconds, queries, requests_made = pull(realm)

    def check(env):
        registered = env["quickbooks.binding"].search_count([("qbo_entity", "=", "Payment"), ("origin", "=", "import")])
        unpaid = env["account.move"].search_count([("id", "in", move_ids),
                                                   ("payment_state", "not in", ("paid", "in_payment"))])
        errors = env["quickbooks.sync.job"].search([("direction", "=", "incoming"), ("state", "!=", "done")],
                                                   limit=3).mapped(lambda j: f"{j.state}: {j.fault_message}")
        return registered, unpaid, errors
    registered, unpaid, errors = transaction(check)
    print(f"pulled {result['changes']} changes in {seconds:.1f} s: {requests_made} HTTP requests, {queries} SQL "
          f"queries; {registered} payments registered, {unpaid} invoices left unpaid", flush=True)
    if registered != len(move_ids) or unpaid:
        raise RuntimeError(f"{registered} payments registered for {len(move_ids)} invoices, {unpaid} unpaid: {errors}")
    ack_p95 = webhook_burst(realm)
    print(f"webhook burst of {BURST}: p95 {ack_p95:.0f} ms", flush=True)
    print(json.dumps({
        "pull_ms_per_payment": round(seconds * 1000 / len(move_ids), 2),
        "pull_sql_per_payment": round(queries / len(move_ids), 2),
        "pull_http_per_payment": round(requests_made / len(move_ids), 4),
        "webhook_ack_ms_p95": round(ack_p95, 1),
    }))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
