"""The QuickBooks Desktop stand-in's own speed, so that Desktop sync benchmarks measure the addon.

The company file runs in a subprocess (``python -m qbd_emulator quickbooks``) and is driven over
real HTTP through its request processor, in one session, as a Web Connector drives it:

* ``qbd_requests_per_s``: qbXML requests per second for what a sync of 2,000 invoices sends:
  500 customers, 200 service items, 2,000 invoices of three lines (references by name, sales tax
  computed) and 1,000 payments applied to them, in message sets of 50 requests;
* ``qbd_query_page_rps``: 1,000-customer pages per second, paging with an iterator through the
  customers that leaves (about 5,500).
"""

import time

import benchlib  # noqa: F401 - puts the checkout on sys.path

from qbd_emulator.process import CompanyFileProcess
from qbd_emulator.webconnector import RemoteQuickBooks

PER_SET = 50
CUSTOMERS = 500
ITEMS = 200
INVOICES = 2000
PAYMENTS = 1000
EXTRA_CUSTOMERS = 5000
PAGE = 1000
ROUNDS = 3


def _set(requests, on_error="continueOnError"):
    return (f'<?xml version="1.0" encoding="utf-8"?><?qbxml version="13.0"?><QBXML>'
            f'<QBXMLMsgsRq onError="{on_error}">{"".join(requests)}</QBXMLMsgsRq></QBXML>')


def _customer(n):
    return (f'<CustomerAddRq requestID="c{n}"><CustomerAdd><Name>Bench Customer {n:04d}</Name>'
            f"<CompanyName>Bench Co {n}</CompanyName><BillAddress><Addr1>{n} Main St</Addr1><City>Oakland</City>"
            "<State>CA</State><PostalCode>94607</PostalCode></BillAddress><Email>bench@example.com</Email>"
            "</CustomerAdd></CustomerAddRq>")


def _item(n):
    return (f'<ItemServiceAddRq requestID="i{n}"><ItemServiceAdd><Name>Bench Service {n:03d}</Name>'
            f"<SalesOrPurchase><Desc>Bench service {n}</Desc><Price>{50 + n % 40}.00</Price><AccountRef><FullName>"
            "Service Income</FullName></AccountRef></SalesOrPurchase></ItemServiceAdd></ItemServiceAddRq>")


def _invoice(n):
    lines = "".join(f"<InvoiceLineAdd><ItemRef><FullName>{item}</FullName></ItemRef><Quantity>{q}</Quantity>"
                    "</InvoiceLineAdd>"
                    for item, q in ((f"Bench Service {n % ITEMS:03d}", 2), ("Faucet", 1), ("Pipe Fittings", 4)))
    return (f'<InvoiceAddRq requestID="v{n}"><InvoiceAdd><CustomerRef><FullName>Bench Customer {n % CUSTOMERS:04d}'
            f"</FullName></CustomerRef><TxnDate>2025-03-01</TxnDate><RefNumber>B{n:05d}</RefNumber>{lines}"
            "</InvoiceAdd></InvoiceAddRq>")


def _payment(n, txn_id):
    return (f'<ReceivePaymentAddRq requestID="p{n}"><ReceivePaymentAdd><CustomerRef><FullName>Bench Customer '
            f"{n % CUSTOMERS:04d}</FullName></CustomerRef><TotalAmount>100.00</TotalAmount><AppliedToTxnAdd>"
            f"<TxnID>{txn_id}</TxnID><PaymentAmount>100.00</PaymentAmount></AppliedToTxnAdd></ReceivePaymentAdd>"
            "</ReceivePaymentAddRq>")


def _chunks(items):
    for start in range(0, len(items), PER_SET):
        yield items[start:start + PER_SET]


def _send(quickbooks, ticket, requests):
    answer = quickbooks.process_request(ticket, _set(requests))
    failed = answer.count('statusSeverity="Error"')
    if failed:
        raise RuntimeError(f"{failed} requests failed: {answer[:2000]}")
    return answer


def measure_requests(quickbooks, ticket):
    started = time.perf_counter()
    count = 0
    for batch in (_customer(n) for n in range(CUSTOMERS)), (_item(n) for n in range(ITEMS)):
        for chunk in _chunks(list(batch)):
            _send(quickbooks, ticket, chunk)
            count += len(chunk)
    txn_ids = []
    for chunk in _chunks([_invoice(n) for n in range(INVOICES)]):
        answer = _send(quickbooks, ticket, chunk)
        txn_ids += [part.split("</TxnID>")[0] for part in answer.split("<InvoiceRet>\n<TxnID>")[1:]]
        count += len(chunk)
    for chunk in _chunks([_payment(n, txn_ids[n]) for n in range(PAYMENTS)]):
        _send(quickbooks, ticket, chunk)
        count += len(chunk)
    return count / (time.perf_counter() - started)


def measure_query_pages(quickbooks, ticket):
    pages = 0
    started = time.perf_counter()
    for _ in range(ROUNDS):
        answer = quickbooks.process_request(ticket, _set(
            [f'<CustomerQueryRq requestID="q" iterator="Start"><MaxReturned>{PAGE}</MaxReturned></CustomerQueryRq>']))
        while True:
            pages += 1
            remaining = int(answer.split('iteratorRemainingCount="')[1].split('"')[0])
            iterator_id = answer.split('iteratorID="')[1].split('"')[0]
            if remaining == 0:
                break
            answer = quickbooks.process_request(ticket, _set(
                [f'<CustomerQueryRq requestID="q" iterator="Continue" iteratorID="{iterator_id}">'
                 f"<MaxReturned>{PAGE}</MaxReturned></CustomerQueryRq>"]))
    return pages / (time.perf_counter() - started)


def run(ctx):
    company_file = CompanyFileProcess(python=ctx["python"])
    company_file.control_timeout = 600
    try:
        quickbooks = RemoteQuickBooks(company_file.url)
        session = quickbooks.begin_session("", "Benchmark", "", False)
        requests_per_s = measure_requests(quickbooks, session["ticket"])
        company_file.control("POST", "objects", objects={"Customer": [
            {"Name": f"Bench Query {n:05d}", "CompanyName": f"Query Co {n % 97}"} for n in range(EXTRA_CUSTOMERS)]})
        page_rps = measure_query_pages(quickbooks, session["ticket"])
        quickbooks.end_session(session["ticket"])
    finally:
        company_file.stop()
    return {"qbd_requests_per_s": round(requests_per_s, 1), "qbd_query_page_rps": round(page_rps, 2)}
