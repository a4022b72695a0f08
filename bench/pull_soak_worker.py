"""Run inside Odoo by pull_soak.py (the pull fault soak of issue 14).

    python bench/pull_soak_worker.py <odoo.conf> <database> <emulator url> setup <invoices>
    python bench/pull_soak_worker.py <odoo.conf> <database> <emulator url> work <seconds>
    python bench/pull_soak_worker.py <odoo.conf> <database> <emulator url> verify

``setup`` pushes the invoices and prints the payments to enter in QuickBooks and the
webhook verifier token; ``work`` is Odoo's incoming worker (apply the queued changes, and
change data capture every few seconds, as the two scheduled actions do) until killed or
``seconds`` have passed; ``verify`` counts what Odoo registered against what QuickBooks holds,
with the reconciliation report's code (sync/reconcile.py).  Each prints a JSON object last.
"""

import json
import os
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta

from pull_worker import create_invoices
from push_worker import configure, connect, control, transaction

from odoo import fields
from odoo.addons.quickbooks_sync.sync.reconcile import Reconciler

MODE = sys.argv[4]


def setup(count):
    realm = control("GET", "realms")["realms"][0]["realm_id"]
    connect(realm)
    tax_id = configure(realm)
    token = uuid.uuid4().hex

    def settings(env):
        env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "off")
        # A killed worker's jobs go back to the queue after 15 s (the default is minutes).
        env["ir.config_parameter"].set_param("quickbooks_sync.dead_job_grace_seconds", "15")
        env.company._quickbooks_connection().sudo().write({"webhook_verifier_token": token})
    transaction(settings)
    move_ids = create_invoices(tax_id)[:count]

    def prepare(env):
        connection = env.company._quickbooks_connection().sudo()
        for row in connection._client().query("select * from Account maxresults 1000").get("Account", []):
            env["quickbooks.reference"].search([("qbo_entity", "=", "Account"), ("qbo_id", "=", row["Id"])]).write(
                {"qbo_subtype": row.get("AccountSubType") or False})
        env["quickbooks.pull.state"].create({"connection_id": connection.id, "realm_id": connection.realm_id,
                                             "window_start": fields.Datetime.now() - timedelta(seconds=2)})
        payments = []
        for number, move in enumerate(env["account.move"].browse(move_ids)):
            customer = env["quickbooks.binding"].search([
                ("res_model", "=", "res.partner"), ("res_id", "=", move.commercial_partner_id.id),
                ("qbo_entity", "=", "Customer")], limit=1)
            # One in four is a partial payment: the invoice stays open for the rest.
            paid = move.amount_total if number % 4 else round(move.amount_total / 2, 2)
            payments.append({"CustomerRef": {"value": customer.qbo_id}, "TotalAmt": paid,
                             "PaymentRefNum": f"SOAK-{move.id}", "TxnDate": fields.Date.to_string(move.invoice_date),
                             "Line": [{"Amount": paid,
                                       "LinkedTxn": [{"TxnId": move.quickbooks_id, "TxnType": "Invoice"}]}]})
        return payments
    payments = transaction(prepare)
    print(json.dumps({"realm": realm, "token": token, "invoices": len(move_ids), "payments": payments}))


def work(seconds):
    deadline = time.monotonic() + seconds
    next_cdc = 0.0
    while time.monotonic() < deadline:
        if time.monotonic() >= next_cdc:
            transaction(lambda env: env["quickbooks.sync.job"]._cron_pull_changes())
            next_cdc = time.monotonic() + 8
        processed = transaction(lambda env: env["quickbooks.sync.job"]._cron_process_incoming(time_budget=5))
        if not processed:
            time.sleep(0.5)
    print(json.dumps({"done": True}))


def verify():
    def count(env):
        connection = env.company._quickbooks_connection().sudo()
        client = connection._client()
        qbo_payments = [p for p in client.query_all("select * from Payment", "Payment")
                        if str(p.get("PaymentRefNum") or "").startswith("SOAK-")]
        links = env["quickbooks.binding"].search([("realm_id", "=", connection.realm_id),
                                                  ("qbo_entity", "=", "Payment")])
        by_qbo = {link.qbo_id: link for link in links}
        lost = [p["Id"] for p in qbo_payments if p["Id"] not in by_qbo]
        # Registered exactly once: one live Odoo payment per QuickBooks payment, per invoice.
        live = env["account.payment"].search([("memo", "=like", "SOAK-%"), ("state", "!=", "canceled")])
        per_memo = Counter(live.mapped("memo"))
        duplicates = sum(n - 1 for n in per_memo.values() if n > 1)
        wrong_amount = [p["Id"] for p in qbo_payments if p["Id"] in by_qbo and abs(
            env["account.payment"].browse(by_qbo[p["Id"]].res_id).amount - float(p["TotalAmt"])) > 0.005]
        today = fields.Date.today()
        lines = Reconciler(connection, today - timedelta(days=1), today + timedelta(days=1), client).run()
        invoices = [line for line in lines if line["section"] == "invoice"]
        mismatches = [f"{line['odoo_name']}: {line['difference']}" for line in invoices
                      if line["status"] != "matched"]
        payment_lines = [line for line in lines if line["section"] == "payment"]
        payment_mismatches = [f"{line['odoo_name']}: {line['difference']}" for line in payment_lines
                              if line["status"] != "matched"]
        jobs = env["quickbooks.sync.job"].search([("direction", "=", "incoming")])
        states = Counter(jobs.mapped("state"))
        sources = Counter(jobs.mapped("source"))
        return {
            "qbo_payments": len(qbo_payments), "registered": len(qbo_payments) - len(lost), "lost": len(lost),
            "duplicates": duplicates, "wrong_amount": len(wrong_amount), "invoices_compared": len(invoices),
            "balance_mismatches": len(mismatches), "payments_compared": len(payment_lines),
            "payment_mismatches": len(payment_mismatches), "jobs": dict(states), "sources": dict(sources),
            "problems": (mismatches + payment_mismatches)[:20] + [f"lost {qbo_id}" for qbo_id in lost[:10]],
            "pending": states.get("pending", 0) + states.get("running", 0),
        }
    print(json.dumps(transaction(count)))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    if MODE == "setup":
        setup(int(sys.argv[5]))
    elif MODE == "work":
        work(float(sys.argv[5]))
    else:
        verify()
