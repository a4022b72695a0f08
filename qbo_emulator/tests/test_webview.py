"""The read-only company view under /app (control API on): QuickBooks' own app link paths
answer with the object, so "Open in QuickBooks" on an emulator-connected record opens it.
The paths are QuickBooks Online's: https://qbo.intuit.com/app/invoice?txnId=...,
/app/customerdetail?nameId=..., /app/recvpayment?txnId=... (the addon builds them in
models/account_move.py APP_PATH, models/quickbooks_reconciliation_line.py APP_PAGES and
transport/auth.py app_base: ``<emulator URL>/app``)."""

import html
import json
import re
import subprocess
import sys

import requests
from test_transactions import line, new_customer


def page(emulator, path, **params):
    answer = requests.get(f"{emulator.url}/app/{path}", params=params, timeout=10)
    return answer


def raw_json(text):
    match = re.search(r"<pre>(.*?)</pre>", text, re.DOTALL)
    return json.loads(html.unescape(match.group(1)))


def test_app_links_open_the_invoice_customer_and_payment(emulator, company):
    customer = new_customer(company, "Web View Customer")
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "DocNumber": "WV-1",
                                         "Line": [line(1, 250.0)]})
    payment = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 100.0,
                                         "Line": [{"Amount": 100.0, "LinkedTxn": [
                                             {"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    # Exactly the link the addon builds (no company id: the just-changed company is chosen).
    answer = page(emulator, "invoice", txnId=invoice["Id"])
    assert answer.status_code == 200, answer.text
    assert "WV-1" in answer.text and "Web View Customer" in answer.text
    shown = raw_json(answer.text)
    assert shown["Id"] == invoice["Id"] and shown["Balance"] == 150.0 and shown["TotalAmt"] == 250.0
    assert answer.headers["Content-Type"].startswith("text/html")
    answer = page(emulator, "customerdetail", nameId=customer["Id"], realmId=company.realm)
    assert answer.status_code == 200 and raw_json(answer.text)["Balance"] == 150.0
    answer = page(emulator, "recvpayment", txnId=payment["Id"], realmId=company.realm)
    assert answer.status_code == 200 and raw_json(answer.text)["TotalAmt"] == 100.0
    answer = page(emulator, "invoice", txnId="999999", realmId=company.realm)
    assert answer.status_code == 404


def test_lists_with_totals_and_balances(emulator, company):
    customer = new_customer(company, "List View Customer")
    for number, amount in (("LV-1", 40.0), ("LV-2", 60.0)):
        company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "DocNumber": number,
                                   "Line": [line(1, amount)]})
    answer = page(emulator, "invoices", realmId=company.realm)
    assert answer.status_code == 200
    assert "LV-1" in answer.text and "LV-2" in answer.text and "List View Customer" in answer.text
    assert "invoice?txnId=" in answer.text
    total = sum(i["TotalAmt"] for i in company.rows("select * from Invoice maxresults 1000"))
    assert f"{total:,.2f}" in answer.text, "the list shows the total of the invoices"
    for path, expected in (("customers", "List View Customer"), ("items", "Services"), ("payments", "payments"),
                           ("creditmemos", "credit memos"), ("bills", "bills"),
                           ("timeactivities", "time activities"), ("estimates", "Pending"),
                           ("salesreceipts", "sales receipts"), ("deposits", "deposits"),
                           ("attachments", "attachments")):
        answer = page(emulator, path, realmId=company.realm)
        assert answer.status_code == 200, path
        assert expected in answer.text, path
    home = page(emulator, "", realmId=company.realm)
    assert home.status_code == 200 and "Invoices" in home.text
    assert page(emulator, "nosuchpage", realmId=company.realm).status_code == 404


def test_no_company_view_without_the_control_api(tmp_path):
    """Like the control API, /app is not served unless the emulator starts with --control;
    with it, the first lines printed say where the company view is."""
    for control in (False, True):
        process = subprocess.Popen(
            [sys.executable, "-m", "qbo_emulator", "--port", "0", "--db", str(tmp_path / f"s{control}.sqlite3"),
             *(["--control"] if control else [])], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            lines = [process.stdout.readline() for _ in range(3)]
            port = lines[0].strip().rsplit(":", 1)[1]
            answer = requests.get(f"http://127.0.0.1:{port}/app/invoice", params={"txnId": "1"}, timeout=10)
            if control:
                assert any(f"http://127.0.0.1:{port}/app" in text for text in lines), lines
                assert answer.status_code in (200, 404) and "emulator" in answer.text
                assert requests.get(f"http://127.0.0.1:{port}/app/customers", timeout=10).status_code == 200
            else:
                assert answer.status_code == 404
                assert not any("/app" in text for text in lines)
        finally:
            process.terminate()
            process.wait(10)
