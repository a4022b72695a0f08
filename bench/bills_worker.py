"""Run inside Odoo by bench_bills.py: push 2,000 vendor bills (500 vendors, 200 products, two
mapped expense accounts) to the emulator with QuickBooks' limits off, and print the figures
as JSON.

    python bench/bills_worker.py <odoo.conf> <database> <emulator url>
"""

import os
import time

# The connection, the reference data and the queue runner are push_worker's (same arguments).
import push_worker as base

from odoo import Command, fields

SCALE = float(os.environ.get("QBSYNC_BENCH_SCALE", "1"))
VENDORS, ITEMS, BILLS = int(500 * SCALE), int(200 * SCALE), int(2000 * SCALE)


def map_accounts():
    def run(env):
        connection = env.company._quickbooks_connection().sudo()
        references = env["quickbooks.reference"].search([("connection_id", "=", connection.id),
                                                         ("qbo_entity", "=", "Account")])
        accounts = env["account.account"].create([
            {"code": "619001", "name": "Bench supplies", "account_type": "expense"},
            {"code": "619002", "name": "Bench rent", "account_type": "expense"},
        ])
        for account, name in zip(accounts, ("Office Expenses", "Rent or Lease"), strict=True):
            account.quickbooks_account_ref_id = references.filtered(lambda r, name=name: r.name == name)[:1]
        return accounts.ids
    return base.transaction(run)


def create_data(account_ids):
    def run(env):
        vendors = env["res.partner"].create([
            {"name": f"Bench vendor {i:04d}", "is_company": True, "supplier_rank": 1,
             "email": f"vendor{i}@bench.example"}
            for i in range(VENDORS)
        ])
        products = env["product.product"].create([
            {"name": f"Bench supply {i:03d}", "type": "consu", "standard_price": 5.0 + i,
             "default_code": f"BP-{i:03d}", "property_account_expense_id": account_ids[0],
             "supplier_taxes_id": [Command.clear()]}
            for i in range(ITEMS)
        ])
        return vendors.ids, products.ids
    vendor_ids, product_ids = base.transaction(run)
    move_ids = []
    for start in range(0, BILLS, 200):
        def bills(env, start=start):
            moves = env["account.move"].create([{
                "move_type": "in_invoice", "partner_id": vendor_ids[i % VENDORS], "ref": f"V-{i}",
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"product_id": product_ids[i % ITEMS], "quantity": 2,
                                    "price_unit": 10.0 + (i % 40), "tax_ids": [Command.clear()]}),
                    Command.create({"name": "Rent share", "account_id": account_ids[1], "quantity": 1,
                                    "price_unit": 100.0 + (i % 7), "tax_ids": [Command.clear()]}),
                ],
            } for i in range(start, min(start + 200, BILLS))])
            moves.action_post()
            return moves.ids
        move_ids += base.transaction(bills)
    return move_ids


def main():
    base._collect_client_stats()
    realm = base.control("GET", "realms")["realms"][0]["realm_id"]
    base.connect(realm)
    base.configure(realm)
    account_ids = map_accounts()
    started = time.monotonic()
    move_ids = create_data(account_ids)
    print(f"created {VENDORS} vendors, {ITEMS} products, {BILLS} posted bills in {time.monotonic() - started:.0f} s",
          flush=True)
    base.transaction(lambda env: env["ir.config_parameter"].set_param("quickbooks_sync.rate_limits", "off"))
    try:
        result = base.push(move_ids)
    except RuntimeError:
        failed = base.transaction(lambda env: env["quickbooks.sync.job"].search_read(
            [("state", "!=", "done")], ["state", "qbo_entity", "record_name", "fault_message"], limit=5))
        print(f"not synced, e.g.: {failed}", flush=True)
        raise
    odoo_ms = (result["seconds"] - result["http_seconds"]) * 1000 / BILLS
    print(f"limits off: {result['seconds']:.1f} s wall, {result['http_seconds']:.1f} s waiting on QuickBooks, "
          f"{result['requests']} HTTP requests, {result['queries']} SQL queries", flush=True)
    print(base.json.dumps({
        "bill_ms_per_doc": round(odoo_ms, 2),
        "bill_sql_per_doc": round(result["queries"] / BILLS, 2),
        "bill_http_per_doc": round(result["requests"] / BILLS, 4),
    }))


if __name__ == "__main__":
    main()
