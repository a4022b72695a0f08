"""Run inside Odoo by bench_reconcile.py: sync 2,000 invoices and their payments to the
emulator (limits off), then reconcile them and print the figures as JSON.

    python bench/reconcile_worker.py <odoo.conf> <database> <emulator url>
"""

import math
import os
import sys
import time

# The push benchmark's set-up (connection, reference data, customers, items, invoices).
import push_worker
from push_worker import CUSTOMERS, INVOICES, ITEMS, configure, connect, control, transaction

from odoo import Command, fields, sql_db

# Set-up, not measured: no chatter tracking (a third of the time creating documents takes).
QUIET = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}


def create_data(tax_id):
    """The push benchmark's books: 500 customers, 200 items, 2,000 posted invoices."""
    def masters(env):
        env = env(context=QUIET)
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
    partner_ids, product_ids = transaction(masters)
    move_ids = []
    for start in range(0, INVOICES, 200):
        def invoices(env, start=start):
            moves = env(context=QUIET)["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partner_ids[i % CUSTOMERS],
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"product_id": product_ids[(i + line) % ITEMS], "quantity": 1 + line,
                                    "price_unit": 20.0 + (i % 50) + (i % 7) / 100, "discount": (i % 4) * 2.5})
                    for line in range(1 + i % 3)
                ],
            } for i in range(start, min(start + 200, INVOICES))])
            moves.action_post()
            return moves.ids
        move_ids += transaction(invoices)
    return move_ids


def sync_all():
    """Run the queue until nothing is pending."""
    while transaction(lambda env: env["quickbooks.sync.job"].search_count([("state", "=", "pending")])):
        transaction(lambda env: env["quickbooks.sync.job"]._cron_process_queue(time_budget=3600))


def pay(move_ids):
    payment_ids = []
    for start in range(0, len(move_ids), 200):
        def register(env, chunk=move_ids[start:start + 200]):
            moves = env["account.move"].browse(chunk)
            journal = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)],
                                                    limit=1)
            wizard = env["account.payment.register"].with_context(
                active_model="account.move", active_ids=moves.ids, **QUIET,
            ).create({"journal_id": journal.id, "group_payment": False})
            payments = wizard._create_payments()
            payments._quickbooks_enqueue()
            return payments.ids
        payment_ids += transaction(register)
    return payment_ids


def check_synced(model, ids):
    synced = transaction(lambda env: env[model].search_count([("id", "in", ids), ("quickbooks_state", "=", "synced")]))
    if synced != len(ids):
        raise RuntimeError(f"only {synced} of {len(ids)} {model} records were synced")


def main():
    realm = control("GET", "realms")["realms"][0]["realm_id"]
    if os.environ.get("QBSYNC_BENCH_SETUP") == "0":
        # Only the reconciliation, on a database (and emulator state) set up by an earlier run.
        transaction(lambda env: env.company._quickbooks_connection().sudo().write({"custom_url": push_worker.EMULATOR}))
        return report(realm)
    connect(realm)
    tax_id = configure(realm)
    transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "off"))
    clock = time.monotonic()
    move_ids = create_data(tax_id)
    phases = {"create invoices": time.monotonic() - clock}
    clock = time.monotonic()
    transaction(lambda env: env["account.move"].browse(move_ids)._quickbooks_enqueue())
    sync_all()
    check_synced("account.move", move_ids)
    phases["push invoices"] = time.monotonic() - clock
    clock = time.monotonic()
    payment_ids = pay(move_ids)
    phases["register payments"] = time.monotonic() - clock
    clock = time.monotonic()
    sync_all()
    check_synced("account.payment", payment_ids)
    phases["push payments"] = time.monotonic() - clock
    print(f"set-up of {INVOICES} invoices and {len(payment_ids)} payments: "
          + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.items()), flush=True)
    report(realm)


def report(realm):
    """Reconcile the day's documents and print the figures (the last line: JSON)."""
    def reconcile(env):
        connection = env.company._quickbooks_connection().sudo()
        today = fields.Date.context_today(env["quickbooks.reconciliation"])
        run = env["quickbooks.reconciliation"].create({"connection_id": connection.id, "date_from": today,
                                                       "date_to": today})
        before = control("GET", f"stats?realm_id={realm}")["counters"]
        queries = sql_db.sql_counter
        clock = time.monotonic()
        profile_to = os.environ.get("QBSYNC_BENCH_PROFILE")  # a cProfile of the reconciliation
        if profile_to:
            import cProfile  # noqa: PLC0415

            profiler = cProfile.Profile()
            profiler.runcall(run._run)
            profiler.dump_stats(profile_to)
        else:
            run._run()
        seconds = time.monotonic() - clock
        after = control("GET", f"stats?realm_id={realm}")["counters"]
        counts = run.summary["counts"]
        return {
            "seconds": seconds, "queries": sql_db.sql_counter - queries, "state": run.state, "error": run.error,
            "differences": run.difference_count, "requests": after["api.requests"] - before["api.requests"],
            "single_reads": sum(after.get(f"op.{e}.read", 0) - before.get(f"op.{e}.read", 0)
                                for e in ("Invoice", "Payment", "Customer", "Item", "CreditMemo")),
            "pages": run.query_pages, "pages_by_entity": run.summary["pages"],
            "qbo_objects": run.summary["quickbooks_objects"],
            "objects": {section: sum(v for k, v in values.items() if k != "differences")
                        for section, values in counts.items()},
            "listed": run.line_ids.filtered("is_difference").mapped("difference")[:5],
        }

    result = transaction(reconcile, uid=transaction(lambda env: env.ref("base.user_admin").id))
    print(f"reconciled in {result['seconds']:.1f} s: {result['requests']} HTTP requests, {result['pages']} query "
          f"pages {result['pages_by_entity']}, {result['queries']} SQL queries, {result['differences']} differences, "
          f"{result['single_reads']} single reads; lines per section {result['objects']}", flush=True)
    if result["state"] != "done" or result["differences"] or result["single_reads"]:
        raise RuntimeError(f"reconciliation not clean: {result}")
    for entity, count in result["qbo_objects"].items():
        pages = result["pages_by_entity"].get(entity, 0)
        if pages > math.ceil(count / 1000):
            raise RuntimeError(f"{pages} query pages for {count} {entity} objects")
    print(f'{{"reconcile_2k_s": {round(result["seconds"], 2)}, "reconcile_2k_http": {result["requests"]}, '
          f'"reconcile_2k_pages": {result["pages"]}}}')


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(__file__))
    main()
