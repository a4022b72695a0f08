"""The emulator's own throughput, so that later sync benchmarks measure the addon.

The emulator runs in a subprocess (``python -m qbo_emulator --no-limits``) and is driven over
real HTTP, as the addon drives it:

* ``emulator_create_rps``: customers created per second by several client threads;
* ``emulator_query_page_rps``: 1,000-row query pages per second, paging through 20,000
  customers (``select * from Customer STARTPOSITION n MAXRESULTS 1000``).
"""

import concurrent.futures
import time

import requests
from benchlib import Emulator

REALM = "9341455199990001"
TOKEN = "bench-emulator-token-0123456789"  # noqa: S105 - a throwaway token for a local emulator
CREATE_THREADS = 4
CREATES = 2000
QUERY_CUSTOMERS = 20000
QUERY_ROUNDS = 3
PAGE = 1000


def _session():
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    return session


def measure_creates(url):
    api = f"{url}/v3/company/{REALM}/customer?minorversion=75"
    per_thread = CREATES // CREATE_THREADS

    def worker(index):
        session = _session()
        for n in range(per_thread):
            answer = session.post(api, json={"DisplayName": f"Bench Create {index}-{n}"}, timeout=30)
            answer.raise_for_status()
        return per_thread

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=CREATE_THREADS) as pool:
        done = sum(pool.map(worker, range(CREATE_THREADS)))
    return done / (time.perf_counter() - started)


def seed_customers(url, count):
    chunk = 5000
    for start in range(0, count, chunk):
        customers = [{"DisplayName": f"Bench Query {n:06d}", "CompanyName": f"Bench Co {n % 97}",
                      "PrimaryEmailAddr": {"Address": f"customer{n}@bench.example"},
                      "BillAddr": {"Line1": f"{n} Main St.", "City": "Mountain View", "CountrySubDivisionCode": "CA",
                                   "PostalCode": "94043", "Country": "USA"}}
                     for n in range(start, min(start + chunk, count))]
        answer = requests.post(f"{url}/_emulator/realms/{REALM}/objects", json={"objects": {"Customer": customers}},
                               timeout=600)
        answer.raise_for_status()


def measure_query_pages(url):
    session = _session()
    api = f"{url}/v3/company/{REALM}/query?minorversion=75"
    total = session.post(api, data="select count(*) from Customer",
                         headers={"Content-Type": "application/text"}, timeout=30).json()["QueryResponse"]["totalCount"]
    if total < QUERY_CUSTOMERS:
        raise RuntimeError(f"expected at least {QUERY_CUSTOMERS} customers, found {total}")
    pages = 0
    started = time.perf_counter()
    for _ in range(QUERY_ROUNDS):
        start = 1
        while True:
            text = f"select * from Customer STARTPOSITION {start} MAXRESULTS {PAGE}"  # noqa: S608 - QuickBooks query
            answer = session.post(api, data=text,
                                  headers={"Content-Type": "application/text"}, timeout=60)
            answer.raise_for_status()
            rows = answer.json()["QueryResponse"].get("Customer", [])
            if not rows:
                break
            pages += 1
            start += PAGE
    return pages / (time.perf_counter() - started)


def run(ctx):
    emulator = Emulator(ctx["python"], "--realm", REALM, "--token", TOKEN)
    try:
        create_rps = measure_creates(emulator.url)
        seed_customers(emulator.url, QUERY_CUSTOMERS)
        page_rps = measure_query_pages(emulator.url)
    finally:
        emulator.stop()
    return {"emulator_create_rps": round(create_rps, 1), "emulator_query_page_rps": round(page_rps, 2)}
