"""Import-first at scale: customers and items from the emulator into Odoo.

Three runs, each in a fresh Odoo process (``odoo-bin shell``) on a throwaway database with the
addon installed, each into a company of its own connected (real OAuth flow) to a QuickBooks
company of its own in the emulator (``--no-limits``: Odoo's side is what is measured):

* 2,000 customers, then 20,000 customers (5 % of them sub-customers, some inactive, one in ten
  already in Odoo under the same email, so that matching links as well as creates);
* 5,000 items (services and non-inventory products, one in ten already in Odoo by SKU).

Each run goes through ``RecordImporter.run()``, exactly what the wizard's *Import* does:
paged queries (1,000 rows each), plan with indexes, batched creates, bindings, sync log.
Printed per run: seconds, SQL queries (all cursors), HTTP requests to QuickBooks and the
process's peak resident memory.  Keys: ``import_2k_s``, ``import_20k_s``, ``import_20k_peak_mb``
(targets: 20k < 12 x 2k; peak < 500 MB), plus the details.
"""

import json
import pathlib
import subprocess
import uuid

from benchlib import Emulator, create_database, drop_database

DB = "qbsync_bench_import"
RUNS = [("2k", "Customer", 2000), ("20k", "Customer", 20000), ("items_5k", "Item", 5000)]
SEED_CHUNK = 5000

SHELL_SCRIPT = r'''
import html, json, re, resource, time, urllib.parse
import requests
import odoo.sql_db as sql_db
from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from odoo.addons.quickbooks_sync.sync.record_import import RecordImporter

EMULATOR, REALM, ENTITY, COUNT, LABEL = @ARGS@
admin = env.ref("base.user_admin")
company = env["res.company"].create({"name": f"Bench import {LABEL}"})
admin.write({"company_ids": [(4, company.id)]})
connection = company._quickbooks_connection().sudo()
connection.write({"environment": "custom", "custom_url": EMULATOR, "client_id": DEFAULT_CLIENT_ID})
connection.client_secret = DEFAULT_CLIENT_SECRET
env.cr.commit()
url = connection.with_user(admin).with_company(company).action_connect()["url"]
page = requests.get(url, timeout=30)
fields = {n: html.unescape(v) for n, v in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text)}
fields.update(realm_id=REALM, decision="approve")
answer = requests.post(url, data=fields, allow_redirects=False, timeout=30)
params = {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(answer.headers["Location"]).query).items()}
pending = env["quickbooks.oauth.state"].with_user(admin)._consume(params["state"])
pending.connection_id._complete_authorization(params["code"], params["realmId"])
# Odoo already knows one in ten of them (same email, or same SKU): those are linked.
if ENTITY == "Customer":
    env["res.partner"].with_context(quickbooks_import=True, tracking_disable=True).create([
        {"name": f"Odoo name {n}", "email": f"customer{n}@bench.example", "company_id": company.id}
        for n in range(0, COUNT, 10)])
else:
    env["product.product"].with_context(quickbooks_import=True, tracking_disable=True).create([
        {"name": f"Odoo product {n}", "default_code": f"SKU-{n:05d}", "company_id": company.id}
        for n in range(0, COUNT, 10)])
env.cr.commit()
env.invalidate_all()

kinds = ["customers"] if ENTITY == "Customer" else ["items"]
queries = sql_db.sql_counter
started = time.perf_counter()
importer = RecordImporter(connection.with_user(admin), kinds=kinds, strategy="name_or_contact", notify=False)
counts = importer.run()
env.cr.commit()
elapsed = time.perf_counter() - started
result = {
    "seconds": round(elapsed, 2),
    "queries": sql_db.sql_counter - queries,
    "http": importer.queries,
    "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    "counts": counts["total"],
}
print("BENCH_RESULT " + json.dumps(result), flush=True)
'''


def _customers(count):
    """QuickBooks customers as QuickBooks returns them: companies and people, addresses,
    sub-customers under every twentieth, inactive ones."""
    rows = []
    for n in range(count):
        row = {
            "Id": str(n + 1),
            "DisplayName": f"Bench Customer {n:06d}",
            "PrimaryEmailAddr": {"Address": f"customer{n}@bench.example"},
            "PrimaryPhone": {"FreeFormNumber": f"(650) 555-{n % 10000:04d}"},
            "BillAddr": {"Line1": f"{n} Main St.", "City": "Mountain View", "CountrySubDivisionCode": "CA",
                         "PostalCode": "94043", "Country": "USA"},
            "Active": n % 50 != 7,
        }
        if n % 3 == 0:
            row["CompanyName"] = row["DisplayName"]
        if n % 20 == 19:  # a job of the previous customer
            row.update(Job=True, ParentRef={"value": str(n)}, BillWithParent=True)
        rows.append(row)
    return rows


def _items(count):
    return [{
        "Id": str(n + 1),
        "Name": f"Bench Item {n:05d}",
        "Sku": f"SKU-{n:05d}",
        "Type": "Service" if n % 2 else "NonInventory",
        "UnitPrice": 10 + n % 90,
        "PurchaseCost": 4 + n % 30,
        "IncomeAccountRef": {"value": "1"},
        "Active": n % 40 != 3,
    } for n in range(count)]


def _seed_realm(emulator, entity, count):
    realm_id = str(9130000000000000 + uuid.uuid4().int % 10**15)
    emulator.control("POST", "realms", fixture="us", realm_id=realm_id, company_name=f"Bench {entity} {count}")
    # The sample company's own customers and items are replaced by the generated ones.
    rows = _customers(count) if entity == "Customer" else _items(count)
    offset = 100000  # ids clear of the fixture's
    for row in rows:
        row["Id"] = str(int(row["Id"]) + offset)
        if "ParentRef" in row:
            row["ParentRef"] = {"value": str(int(row["ParentRef"]["value"]) + offset)}
    for start in range(0, len(rows), SEED_CHUNK):
        emulator.control("POST", f"realms/{realm_id}/objects", objects={entity: rows[start:start + SEED_CHUNK]})
    return realm_id


def _odoo_shell(ctx, config, script):
    return subprocess.run(
        [ctx["python"], str(pathlib.Path(ctx["odoo_src"]) / "odoo-bin"), "shell", "-c", str(config), "-d", DB,
         "--no-http", "--log-level=warn"],
        cwd=ctx["root"], input=script, text=True, capture_output=True,
    )


def run(ctx):
    if not ctx.get("odoo_src"):
        raise RuntimeError("the import benchmark needs Odoo: run it through `make bench` (--odoo-src)")
    print(f"    installing the addon into {DB}", flush=True)
    config = create_database(ctx, DB)
    results = {}
    emulator = Emulator(ctx["python"])
    try:
        for label, entity, count in RUNS:
            realm_id = _seed_realm(emulator, entity, count)
            script = SHELL_SCRIPT.replace("@ARGS@", repr((emulator.url, realm_id, entity, count, label)))
            answer = _odoo_shell(ctx, config, script)
            line = next((text for text in answer.stdout.splitlines() if text.startswith("BENCH_RESULT ")), None)
            if line is None:
                raise RuntimeError(f"run {label} failed:\n{answer.stdout[-3000:]}\n{answer.stderr[-3000:]}")
            figures = json.loads(line.split(" ", 1)[1])
            results[label] = figures
            print(f"    {label:>8}: {count} {entity.lower()}s in {figures['seconds']} s, "
                  f"{figures['queries']} SQL queries ({figures['queries'] / count:.1f} per record), "
                  f"{figures['http']} HTTP requests, peak {figures['peak_mb']} MB; {figures['counts']}",
                  flush=True)
    finally:
        emulator.stop()
        drop_database(DB)
    small, large, items = results["2k"], results["20k"], results["items_5k"]
    return {
        "import_2k_s": small["seconds"],
        "import_20k_s": large["seconds"],
        "import_20k_peak_mb": large["peak_mb"],
        "import_20k_ratio": round(large["seconds"] / small["seconds"], 2),
        "import_2k_sql_per_record": round(small["queries"] / 2000, 2),
        "import_20k_sql_per_record": round(large["queries"] / 20000, 2),
        "import_20k_http": large["http"],
        "import_items_5k_s": items["seconds"],
        "import_items_5k_sql_per_record": round(items["queries"] / 5000, 2),
        "import_items_5k_peak_mb": items["peak_mb"],
    }
