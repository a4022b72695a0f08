"""Invoice extras: send (EmailStatus, DeliveryInfo), the PDF, include=invoiceLink.
https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
"""

import io

from conftest import fault_of
from test_transactions import line, new_customer


def test_send_records_the_email_on_the_invoice(company, emulator):
    """POST /invoice/<id>/send?sendTo=...: EmailStatus EmailSent, DeliveryInfo with the
    delivery type and time, BillEmail set to sendTo; the answer is the invoice.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#send-an-invoice
    """
    customer = new_customer(company, "Send Customer")
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 30.0)]})
    assert invoice["EmailStatus"] == "NotSet"
    nowhere = company.request("POST", f"invoice/{invoice['Id']}/send", params={"minorversion": 75})
    assert nowhere.status_code == 400 and fault_of(nowhere)["code"] == "6000", "no BillEmail, no sendTo"
    answer = company.request("POST", f"invoice/{invoice['Id']}/send",
                             params={"minorversion": 75, "sendTo": "billing@customer.example"})
    assert answer.status_code == 200, answer.text
    sent = answer.json()["Invoice"]
    assert sent["EmailStatus"] == "EmailSent" and sent["BillEmail"] == {"Address": "billing@customer.example"}
    assert sent["DeliveryInfo"]["DeliveryType"] == "Email" and sent["DeliveryInfo"]["DeliveryTime"]
    assert int(sent["SyncToken"]) == int(invoice["SyncToken"]) + 1
    assert company.read("Invoice", invoice["Id"])["EmailStatus"] == "EmailSent"
    assert company.counters()["op.Invoice.send"] == 2
    estimate = company.create("Estimate", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 5.0)],
                                           "BillEmail": {"Address": "quotes@customer.example"}})
    answer = company.request("POST", f"estimate/{estimate['Id']}/send", params={"minorversion": 75})
    assert answer.status_code == 200 and answer.json()["Estimate"]["EmailStatus"] == "EmailSent"


def test_invoice_pdf_is_a_real_pdf(company):
    """GET /invoice/<id>/pdf answers application/pdf.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#get-an-invoice-as-pdf
    """
    from PyPDF2 import PdfReader  # noqa: PLC0415

    customer = new_customer(company, "Pdf Customer")
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "DocNumber": "PDF-7",
                                         "Line": [line(1, 42.5)]})
    answer = company.request("GET", f"invoice/{invoice['Id']}/pdf", params={"minorversion": 75},
                             headers={"Accept": "application/pdf"})
    assert answer.status_code == 200 and answer.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    text = reader.pages[0].extract_text()
    assert "PDF-7" in text and "Pdf Customer" in text and "42.50" in text
    assert company.request("GET", "invoice/999999/pdf", params={"minorversion": 75}).status_code == 400


def test_include_invoice_link(company):
    """include=invoiceLink: a link only for invoices with online payment and an email.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
    """
    customer = new_customer(company, "Link Customer", PrimaryEmailAddr={"Address": "pay@customer.example"})
    online = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 12.0)],
                                        "AllowOnlineCreditCardPayment": True})
    offline = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 12.0)]})
    link = company.get(f"invoice/{online['Id']}", include="invoiceLink").json()["Invoice"]["InvoiceLink"]
    assert link.startswith("http") and online["Id"] in link
    assert "InvoiceLink" not in company.get(f"invoice/{offline['Id']}", include="invoiceLink").json()["Invoice"]
    assert "InvoiceLink" not in company.read("Invoice", online["Id"])
