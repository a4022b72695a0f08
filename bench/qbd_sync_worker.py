"""Run inside Odoo by bench_qbd_sync.py.

    python bench/qbd_sync_worker.py <odoo.conf> <database> seed <invoices> <base url>
    python bench/qbd_sync_worker.py <odoo.conf> <database> report

``seed``: the company on QuickBooks Desktop, its Web Connector password, invoices (with their
customers, one per four invoices, and items, one per ten) posted and queued; prints the .qwc and
the password.  ``report``: what the Web Connector sessions did, from Odoo's side."""

import json
import sys

CONFIG, DATABASE, MODE = sys.argv[1], sys.argv[2], sys.argv[3]

from odoo.tools import config  # noqa: E402

config.parse_config(["-c", CONFIG, "-d", DATABASE, "--log-level=warn"])

from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402

registry = Registry(DATABASE)


def seed(invoices, base_url):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        if not env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1):
            env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
        env["ir.config_parameter"].set_param("web.base.url", base_url)
        connection = company._quickbooks_connection().sudo()
        connection.write({"backend": "desktop", "auto_push_partners": False, "auto_push_invoices": False})
        password = connection._qbd_set_password()
        connection.sync_enabled = True
        partners = env["res.partner"].create([
            {"name": f"Bench customer {i:05d}", "is_company": True, "customer_rank": 1, "email": f"c{i}@bench.example"}
            for i in range(max(invoices // 4, 1))])
        products = env["product.product"].create([
            {"name": f"Bench service {i:04d}", "type": "service", "list_price": 100 + i, "taxes_id": [Command.clear()]}
            for i in range(max(invoices // 10, 1))])
        moves = env["account.move"].create([{
            "move_type": "out_invoice", "partner_id": partners[i % len(partners)].id,
            "invoice_date": fields.Date.today(),
            "invoice_line_ids": [Command.create({"product_id": products[i % len(products)].id, "quantity": 1 + i % 3,
                                                 "price_unit": 100 + i % 50, "tax_ids": [Command.clear()]})],
        } for i in range(invoices)])
        moves.action_post()
        moves._quickbooks_enqueue()
        qwc = connection._qbd_qwc()
        print(json.dumps({"qwc": qwc, "password": password, "invoices": len(moves)}))


def report():
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        sessions = env["quickbooks.qbwc.session"].search([])
        moves = env["account.move"].search([("move_type", "=", "out_invoice"), ("state", "=", "posted")])
        jobs = env["quickbooks.sync.job"].search([])
        print(json.dumps({
            "sessions": len(sessions), "odoo_ms": sum(sessions.mapped("odoo_ms")),
            "messages": sum(sessions.mapped("messages")),
            "synced": len(moves.filtered(lambda m: m.quickbooks_state == "synced")), "invoices": len(moves),
            "failed": len(jobs.filtered(lambda j: j.state == "failed")),
            "pending": len(jobs.filtered(lambda j: j.state in ("pending", "running"))),
        }))


if MODE == "seed":
    seed(int(sys.argv[4]), sys.argv[5])
else:
    report()
