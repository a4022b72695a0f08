"""Transactions: amounts, tax, balances, payments, voids, deletes, DocNumbers, closed books
and multicurrency, as QuickBooks computes and enforces them."""

import pytest
from conftest import fault_of
from quickbooks.exceptions import QuickbooksException
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.payment import Payment, PaymentLine


def line(item_id, amount, qty=None, price=None, tax="NON", **detail):
    sales = {"ItemRef": {"value": str(item_id)}, "TaxCodeRef": {"value": tax}, **detail}
    if qty is not None:
        sales["Qty"] = qty
    if price is not None:
        sales["UnitPrice"] = price
    return {"Amount": amount, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": sales}


def new_customer(company, name, **extra):
    return company.create("Customer", {"DisplayName": name, **extra})


def test_invoice_totals_tax_and_defaults_with_python_quickbooks(company, qb):
    """QuickBooks computes TotalAmt, Balance and TxnTaxDetail from the lines (TAX lines at the
    California rate, 8 %) and fills DueDate from the customer's terms.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#create-an-invoice
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales
    """
    invoice = Invoice()
    invoice.CustomerRef = Customer.get(1, qb=qb).to_ref()  # Amy's Bird Sanctuary, Net 15
    invoice.TxnDate = "2026-03-02"
    first = SalesItemLine()
    first.Amount = 335.25
    first.SalesItemLineDetail = SalesItemLineDetail()
    first.SalesItemLineDetail.ItemRef = Item.get(16, qb=qb).to_ref()
    first.SalesItemLineDetail.Qty = 167.625
    first.SalesItemLineDetail.UnitPrice = 2
    first.SalesItemLineDetail.TaxCodeRef = {"value": "TAX"}
    second = SalesItemLine()
    second.Amount = 100
    second.SalesItemLineDetail = SalesItemLineDetail()
    second.SalesItemLineDetail.ItemRef = Item.get(4, qb=qb).to_ref()
    second.SalesItemLineDetail.TaxCodeRef = {"value": "NON"}
    invoice.Line = [first, second]
    invoice.TxnTaxDetail = {"TxnTaxCodeRef": {"value": "2"}}
    saved = invoice.save(qb=qb)
    assert saved.TotalAmt == 462.07  # 435.25 + 8 % of 335.25 (26.82)
    assert saved.Balance == 462.07
    assert saved.TxnTaxDetail.TotalTax == 26.82
    assert saved.DueDate == "2026-03-17"
    assert saved.CurrencyRef.value == "USD"
    raw = company.read("Invoice", saved.Id)
    assert raw["Line"][-1] == {"Amount": 435.25, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}
    assert raw["Line"][0]["Id"] == "1" and raw["Line"][0]["LineNum"] == 1
    assert raw["Line"][0]["SalesItemLineDetail"]["ItemRef"]["name"] == "Sprinkler Heads"
    tax_line = raw["TxnTaxDetail"]["TaxLine"][0]
    assert tax_line["TaxLineDetail"]["TaxPercent"] == 8 and tax_line["TaxLineDetail"]["NetAmountTaxable"] == 335.25
    assert raw["CustomerRef"] == {"value": "1", "name": "Amy's Bird Sanctuary"}
    assert raw["GlobalTaxCalculation"] == "TaxExcluded"  # what python-quickbooks sent; US ignores it


def test_client_total_amount_is_ignored_and_line_amount_must_match_qty_times_price(company):
    """TotalAmt is read-only; a line whose Amount is not Qty x UnitPrice (rounded half up to
    the cent) is refused with 6070.
    https://developer.intuit.com/app/developer/qbo/docs/learn/rest-api-features (read-only attributes)
    """
    ok = company.create("Invoice", {"CustomerRef": {"value": "2"}, "TotalAmt": 1,
                                    "Line": [line(16, 1861.08, qty=128.35, price=14.50)]})
    assert ok["TotalAmt"] == 1861.08
    refused = company.post("invoice", {"CustomerRef": {"value": "2"},
                                       "Line": [line(16, 1861.07, qty=128.35, price=14.5)]})
    assert refused.status_code == 400
    assert fault_of(refused) == {
        "Message": "Amount is not equal to UnitPrice * Qty",
        "Detail": "Amount is not equal to UnitPrice * Qty. Supplied value:1,861.07",
        "code": "6070",
        "element": "Line.Amount",
    }


def test_line_required_and_discount_lines(company):
    """An invoice needs lines (2020 "Required parameter Line is missing in the request.");
    a percent discount applies to the subtotal.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#2020-required-param-missing
    """
    missing = company.post("invoice", {"CustomerRef": {"value": "2"}})
    assert fault_of(missing)["Detail"] == "Required parameter Line is missing in the request."
    invoice = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [
        line(4, 200, qty=2, price=100),
        {"DetailType": "DiscountLineDetail", "Amount": 0,
         "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10}},
    ]})
    assert invoice["TotalAmt"] == 180
    discount = invoice["Line"][-1]
    assert discount["DetailType"] == "DiscountLineDetail" and discount["Amount"] == 20
    assert discount["DiscountLineDetail"]["DiscountAccountRef"]["name"] == "Discounts given"


def test_client_total_tax_override_is_respected(company):
    """Sandbox companies do not run Automated Sales Tax: a TxnTaxDetail.TotalTax sent by the
    client replaces the computed tax.
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales
    """
    invoice = company.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [line(16, 100, tax="TAX")],
                                         "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}, "TotalTax": 9.5}})
    assert invoice["TxnTaxDetail"]["TotalTax"] == 9.5
    assert invoice["TotalAmt"] == 109.5
    computed = company.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [line(16, 100, tax="TAX")],
                                          "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "3"}}})
    assert computed["TxnTaxDetail"]["TotalTax"] == 7.6  # Tucson: 0.5 % + 7.1 %
    assert len(computed["TxnTaxDetail"]["TaxLine"]) == 2


def test_us_line_tax_codes_must_be_tax_or_non(company):
    """US line tax codes are TAX or NON.
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-us-locales
    """
    answer = company.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [line(16, 10, tax="2")]})
    assert fault_of(answer)["code"] == "6000"
    assert "TAX or NON" in fault_of(answer)["Detail"]


def test_sparse_update_recomputes_and_full_update_replaces_lines(company):
    """A sparse update that sends Line replaces all lines and QuickBooks recomputes the totals.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#sparse-update-an-invoice
    """
    invoice = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [line(4, 75, qty=1, price=75)],
                                         "PrivateNote": "keep me"})
    answer = company.post("invoice", {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True,
                                      "Line": [line(4, 150, qty=2, price=75), line(7, 50, qty=1, price=50)]})
    updated = answer.json()["Invoice"]
    assert updated["TotalAmt"] == 200 and updated["Balance"] == 200
    assert updated["PrivateNote"] == "keep me"
    assert updated["SyncToken"] == "1"
    assert len([entry for entry in updated["Line"] if entry["DetailType"] == "SalesItemLineDetail"]) == 2


def test_payment_applied_lowers_invoice_and_customer_balance(company, qb):
    """A Payment applied through Line[].LinkedTxn lowers the invoice's Balance and the
    customer's; the invoice lists the payment in its LinkedTxn.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment#create-a-payment
    """
    customer = new_customer(company, "Paying Customer", Taxable=False)
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(4, 300)]})
    assert company.read("Customer", customer["Id"])["Balance"] == 300
    payment = Payment()
    payment.CustomerRef = Customer.get(customer["Id"], qb=qb).to_ref()
    payment.TotalAmt = 120
    applied = PaymentLine()
    applied.Amount = 120
    applied.LinkedTxn = [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]
    payment.Line = [applied]
    saved = payment.save(qb=qb)
    assert saved.UnappliedAmt == 0
    assert saved.DepositToAccountRef.name == "Undeposited Funds"
    after = company.read("Invoice", invoice["Id"])
    assert after["Balance"] == 180
    assert after["LinkedTxn"] == [{"TxnId": saved.Id, "TxnType": "Payment"}]
    assert after["SyncToken"] == "1"
    assert company.read("Customer", customer["Id"])["Balance"] == 180


def test_over_applying_a_payment_is_refused(company):
    """A payment cannot apply more than the invoice's open balance, nor more than its own total.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
    """
    customer = new_customer(company, "Over Payer", Taxable=False)
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(4, 100)]})
    too_much = company.post("payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 150, "Line": [
        {"Amount": 150, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert too_much.status_code == 400 and fault_of(too_much)["code"] == "6000"
    beyond_total = company.post("payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 50, "Line": [
        {"Amount": 80, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert fault_of(beyond_total)["code"] == "6000"
    no_amount = company.post("payment", {"CustomerRef": {"value": customer["Id"]}})
    assert fault_of(no_amount)["Detail"] == "Business Validation Error: You must set a transaction amount."
    other = new_customer(company, "Someone Else", Taxable=False)
    wrong_owner = company.post("payment", {"CustomerRef": {"value": other["Id"]}, "TotalAmt": 10, "Line": [
        {"Amount": 10, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert fault_of(wrong_owner)["code"] == "6000"
    partial = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 130, "Line": [
        {"Amount": 100, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert partial["UnappliedAmt"] == 30
    assert company.read("Invoice", invoice["Id"])["Balance"] == 0
    assert company.read("Customer", customer["Id"])["Balance"] == -30
    again = company.post("payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 1, "Line": [
        {"Amount": 1, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert fault_of(again)["code"] == "6000", "a paid invoice has nothing left to apply to"


def test_void_payment_and_void_invoice(company, qb):
    """Voiding (python-quickbooks: ``operation=update&include=void`` for a Payment,
    ``operation=void`` for an Invoice) zeroes the amounts and gives the money back.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment#void-a-payment
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#void-an-invoice
    """
    customer = new_customer(company, "Void Customer", Taxable=False)
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(4, 90)]})
    payment = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 90, "Line": [
        {"Amount": 90, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert company.read("Invoice", invoice["Id"])["Balance"] == 0
    Payment.get(payment["Id"], qb=qb).void(qb=qb)
    voided = company.read("Payment", payment["Id"])
    assert voided["TotalAmt"] == 0 and voided["PrivateNote"] == "Voided"
    reopened = company.read("Invoice", invoice["Id"])
    assert reopened["Balance"] == 90 and reopened["LinkedTxn"] == []
    Invoice.get(invoice["Id"], qb=qb).void(qb=qb)
    gone = company.read("Invoice", invoice["Id"])
    assert gone["TotalAmt"] == 0 and gone["Balance"] == 0
    assert company.read("Customer", customer["Id"])["Balance"] == 0
    assert company.rows(f"select * from Invoice where Id = '{invoice['Id']}'"), "a voided invoice is still listed"  # noqa: S608 - a QuickBooks query


def test_delete_transaction_then_read_is_610(company, qb):
    """A deleted transaction cannot be read: 610 "Another user has deleted this transaction."
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#610-object-not-found
    """
    invoice = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [line(4, 40)]})
    answer = company.post("invoice", {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"]}, operation="delete")
    assert answer.status_code == 200
    assert answer.json()["Invoice"] == {"status": "Deleted", "domain": "QBO", "Id": invoice["Id"]}
    read = company.get(f"invoice/{invoice['Id']}")
    assert read.status_code == 400
    assert fault_of(read)["Detail"] == "Object Not Found : Another user has deleted this transaction."
    with pytest.raises(QuickbooksException) as caught:
        Invoice.get(invoice["Id"], qb=qb)
    assert caught.value.error_code == 610
    assert company.rows(f"select * from Invoice where Id = '{invoice['Id']}'") == []  # noqa: S608 - a QuickBooks query


def test_deleting_an_invoice_leaves_its_payment_unapplied(company):
    """Payments applied to a deleted invoice keep the money as unapplied credit.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#delete-an-invoice
    """
    customer = new_customer(company, "Delete Paid", Taxable=False)
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(4, 60)]})
    payment = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 60, "Line": [
        {"Amount": 60, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    current = company.read("Invoice", invoice["Id"])
    company.post("invoice", {"Id": invoice["Id"], "SyncToken": current["SyncToken"]}, operation="delete")
    after = company.read("Payment", payment["Id"])
    assert after["UnappliedAmt"] == 60 and after["Line"] == []
    assert company.read("Customer", customer["Id"])["Balance"] == -60


def test_credit_memo_applied_through_a_payment(company):
    """A credit memo's Balance is its remaining credit; a payment may apply it to an invoice.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
    """
    customer = new_customer(company, "Credit Customer", Taxable=False)
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(4, 100)]})
    memo = company.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(4, 30)]})
    assert memo["Balance"] == 30 and memo["RemainingCredit"] == 30
    assert company.read("Customer", customer["Id"])["Balance"] == 70
    company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 70, "Line": [
        {"Amount": 100, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]},
        {"Amount": 30, "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]}]})
    assert company.read("Invoice", invoice["Id"])["Balance"] == 0
    assert company.read("CreditMemo", memo["Id"])["Balance"] == 0
    assert company.read("Customer", customer["Id"])["Balance"] == 0


def test_duplicate_doc_number_follows_company_preferences(company):
    """With custom transaction numbers and the duplicate warning on, a used DocNumber is 6140;
    ``include=allowduplicatedocnum`` lets it through; turning the warning off allows it.
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#6140-duplicate-doc-num-error
    """
    first = company.create("Invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "INV-77", "Line": [line(4, 10)]})
    dup = company.post("invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "INV-77", "Line": [line(4, 10)]})
    assert dup.status_code == 400
    assert fault_of(dup) == {
        "Message": "Duplicate Document Number Error",
        "Detail": "Duplicate Document Number Error : You must specify a different number. This number has already "
                  f"been used. DocNumber=INV-77 is assigned to TxnType=Invoice with TxnId={first['Id']}",
        "code": "6140",
        "element": "",
    }
    allowed = company.post("invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "INV-77", "Line": [line(4, 10)]},
                           include="allowduplicatedocnum")
    assert allowed.status_code == 200
    company.preferences({"OtherPrefs": {"NameValue": [{"Name": "WarnDuplicateInvoiceNumber", "Value": "false"}]}})
    assert company.post("invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "INV-77",
                                    "Line": [line(4, 10)]}).status_code == 200
    too_long = company.post("invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "x" * 22, "Line": [line(4, 10)]})
    assert fault_of(too_long)["element"] == "DocNumber" and fault_of(too_long)["code"] == "2050"


def test_doc_numbers_generated_when_custom_numbers_are_off_or_asked(company):
    """AUTO_GENERATE asks QuickBooks for the next number; with CustomTxnNumbers off every
    invoice without a number gets one.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice (DocNumber)
    """
    auto = company.create("Invoice", {"CustomerRef": {"value": "2"}, "DocNumber": "AUTO_GENERATE",
                                      "Line": [line(4, 1)]})
    assert auto["DocNumber"] == "1004", "the fixture's sample invoices use 1001-1003"
    blank = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [line(4, 1)]})
    assert "DocNumber" not in blank, "custom numbers on: no number unless given"
    company.preferences({"SalesFormsPrefs": {"CustomTxnNumbers": False}})
    numbered = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [line(4, 1)]})
    assert numbered["DocNumber"] == "1005"


def test_closed_books_refuse_writes_on_or_before_the_close_date(company):
    """Transactions dated on or before Preferences.AccountingInfoPrefs.BookCloseDate cannot be
    created, changed or deleted (6210 Account Period Closed).
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#6210-account-period-closed
    """
    old = company.create("Invoice", {"CustomerRef": {"value": "2"}, "TxnDate": "2025-06-30", "Line": [line(4, 5)]})
    company.preferences({"AccountingInfoPrefs": {"BookCloseDate": "2025-06-30"}})
    refused = company.post("invoice", {"CustomerRef": {"value": "2"}, "TxnDate": "2025-06-30", "Line": [line(4, 5)]})
    assert refused.status_code == 400
    assert fault_of(refused) == {
        "Message": "Account Period Closed",
        "Detail": "The account period has closed and the account books cannot be updated through the QBO Services "
                  "API. Please use the QBO website to make these changes.",
        "code": "6210",
        "element": "",
    }
    assert company.post("invoice", {"CustomerRef": {"value": "2"}, "TxnDate": "2025-07-01",
                                    "Line": [line(4, 5)]}).status_code == 200
    moved_in = company.post("invoice", {"Id": old["Id"], "SyncToken": old["SyncToken"], "sparse": True,
                                        "TxnDate": "2025-08-01"})
    assert fault_of(moved_in)["code"] == "6210", "a transaction dated in the closed period cannot be edited"
    deleted = company.post("invoice", {"Id": old["Id"], "SyncToken": old["SyncToken"]}, operation="delete")
    assert fault_of(deleted)["code"] == "6210"


def test_multicurrency_exchange_rate_and_home_amounts(company):
    """With multicurrency on, a transaction is in its customer's currency; ExchangeRate defaults
    to 1 and HomeTotalAmt is TotalAmt x ExchangeRate.
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-multiple-currencies
    """
    refused = company.post("customer", {"DisplayName": "Euro Client", "CurrencyRef": {"value": "EUR"}})
    assert fault_of(refused)["code"] == "6000", "multicurrency is off"
    company.preferences({"CurrencyPrefs": {"MultiCurrencyEnabled": True}})
    euro = company.create("Customer", {"DisplayName": "Euro Client", "CurrencyRef": {"value": "EUR"}, "Taxable": False})
    assert euro["CurrencyRef"] == {"value": "EUR", "name": "Euro"}
    invoice = company.create("Invoice", {"CustomerRef": {"value": euro["Id"]}, "ExchangeRate": 1.1,
                                         "Line": [line(4, 200)]})
    assert invoice["CurrencyRef"]["value"] == "EUR"
    assert invoice["TotalAmt"] == 200 and invoice["HomeTotalAmt"] == 220 and invoice["HomeBalance"] == 220
    default_rate = company.create("Invoice", {"CustomerRef": {"value": euro["Id"]}, "Line": [line(4, 50)]})
    assert default_rate["ExchangeRate"] == 1 and default_rate["HomeTotalAmt"] == 50
    wrong = company.post("invoice", {"CustomerRef": {"value": euro["Id"]}, "CurrencyRef": {"value": "USD"},
                                     "Line": [line(4, 50)]})
    assert fault_of(wrong)["code"] == "6000"
    change = company.post("customer", {"Id": euro["Id"], "SyncToken": euro["SyncToken"], "sparse": True,
                                       "CurrencyRef": {"value": "USD"}})
    assert fault_of(change)["code"] == "6000", "a customer's currency cannot change once set"


def test_bill_bill_payment_vendor_credit_and_purchase(company):
    """Purchases: a bill's Balance falls with bill payments; a purchase needs PaymentType and
    an account of the right type, and a sparse update must repeat both.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/bill
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/billpayment
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchase
    """
    expense = {"Amount": 250, "DetailType": "AccountBasedExpenseLineDetail",
               "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "17"}}}
    bill = company.create("Bill", {"VendorRef": {"value": "41"}, "TxnDate": "2026-01-05", "Line": [expense]})
    assert bill["TotalAmt"] == 250 and bill["Balance"] == 250
    assert bill["DueDate"] == "2026-02-04", "Hall Properties pays Net 30"
    assert bill["APAccountRef"]["name"] == "Accounts Payable (A/P)"
    assert company.read("Vendor", "41")["Balance"] == 250
    payment = company.create("BillPayment", {
        "VendorRef": {"value": "41"}, "PayType": "Check", "TotalAmt": 100,
        "CheckPayment": {"BankAccountRef": {"value": "35"}},
        "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]})
    assert payment["CheckPayment"]["BankAccountRef"]["name"] == "Checking"
    assert company.read("Bill", bill["Id"])["Balance"] == 150
    assert company.read("Vendor", "41")["Balance"] == 150
    wrong_bank = company.post("billpayment", {"VendorRef": {"value": "41"}, "PayType": "Check", "TotalAmt": 1,
                                              "CheckPayment": {"BankAccountRef": {"value": "41"}},
                                              "Line": []})
    assert fault_of(wrong_bank)["code"] == "6000"
    credit = company.create("VendorCredit", {"VendorRef": {"value": "41"}, "Line": [dict(expense, Amount=20)]})
    assert credit["Balance"] == 20 and company.read("Vendor", "41")["Balance"] == 130
    no_type = company.post("purchase", {"AccountRef": {"value": "35"}, "Line": [expense]})
    assert fault_of(no_type)["code"] == "2020" and fault_of(no_type)["element"] == "PaymentType"
    card_on_bank = company.post("purchase", {"PaymentType": "CreditCard", "AccountRef": {"value": "35"},
                                             "Line": [expense]})
    assert fault_of(card_on_bank)["code"] == "6000"
    purchase = company.create("Purchase", {"PaymentType": "CreditCard", "AccountRef": {"value": "41"},
                                           "EntityRef": {"value": "47"}, "Line": [expense]})
    assert purchase["TotalAmt"] == 250 and purchase["EntityRef"]["type"] == "Vendor"
    sparse = company.post("purchase", {"Id": purchase["Id"], "SyncToken": "0", "sparse": True, "PrivateNote": "x"})
    assert fault_of(sparse)["code"] == "2020"


def test_inventory_quantity_follows_invoices_and_bills(company):
    """Invoicing an inventory item lowers QtyOnHand; buying it raises it.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item (QtyOnHand)
    """
    before = company.read("Item", "11")["QtyOnHand"]
    company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [line(11, 45, qty=3, price=15)]})
    assert company.read("Item", "11")["QtyOnHand"] == before - 3
    company.create("Bill", {"VendorRef": {"value": "42"}, "Line": [{
        "Amount": 50, "DetailType": "ItemBasedExpenseLineDetail",
        "ItemBasedExpenseLineDetail": {"ItemRef": {"value": "11"}, "Qty": 5, "UnitPrice": 10}}]})
    assert company.read("Item", "11")["QtyOnHand"] == before + 2


def test_time_activity_rules(company):
    """TimeActivity: NameOf must be Employee, Vendor or Other; HasBeenBilled is set by QuickBooks
    only (2170, "Invalid Enumeration : HAS_BEEN_BILLED"); a billable activity needs a rate.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/timeactivity
    https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors#2170-invalid-enumeration
    """
    base = {"NameOf": "Employee", "EmployeeRef": {"value": "54"}, "ItemRef": {"value": "2"}, "Hours": 3, "Minutes": 15}
    activity = company.create("TimeActivity", base)
    assert activity["BillableStatus"] == "NotBillable" and activity["Hours"] == 3
    assert activity["EmployeeRef"]["name"] == "Emily Platt"
    billed = company.post("timeactivity", dict(base, BillableStatus="HasBeenBilled"))
    assert fault_of(billed) == {"Message": "Invalid Enumeration", "Detail": "Invalid Enumeration : HAS_BEEN_BILLED",
                                "code": "2170", "element": "BillableStatus"}
    empty = company.post("timeactivity", dict(base, BillableStatus=""))
    assert fault_of(empty)["code"] == "2170"
    no_rate = company.post("timeactivity", dict(base, BillableStatus="Billable", CustomerRef={"value": "1"}))
    assert fault_of(no_rate)["code"] == "2020"
    nameless = company.post("timeactivity", dict(base, NameOf=""))
    assert fault_of(nameless)["code"] == "2170"
    timed = company.create("TimeActivity", {"NameOf": "Employee", "EmployeeRef": {"value": "54"},
                                            "ItemRef": {"value": "2"}, "StartTime": "2026-01-05T08:00:00-08:00",
                                            "EndTime": "2026-01-05T10:30:00-08:00"})
    assert (timed["Hours"], timed["Minutes"]) == (2, 30)
    gone = company.post("timeactivity", {"Id": timed["Id"], "SyncToken": "0"}, operation="delete")
    assert gone.json()["TimeActivity"]["status"] == "Deleted"


def test_time_activity_item_is_optional_and_vendor_time_is_kept(company):
    """The service item (ItemRef) is optional; required are NameOf with its EmployeeRef or
    VendorRef, and Hours (or StartTime and EndTime); a Vendor's time keeps VendorRef only.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/timeactivity
    """
    plain = company.create("TimeActivity", {"NameOf": "Employee", "EmployeeRef": {"value": "54"}, "Hours": 1,
                                            "Minutes": 5, "TxnDate": "2026-01-05"})
    assert "ItemRef" not in plain and (plain["Hours"], plain["Minutes"]) == (1, 5)
    vendor = company.create("TimeActivity", {"NameOf": "Vendor", "VendorRef": {"value": "42"},
                                             "EmployeeRef": {"value": "54"}, "Hours": 2, "Minutes": 0,
                                             "BillableStatus": "Billable", "HourlyRate": 55.5,
                                             "CustomerRef": {"value": "1"}})
    assert vendor["VendorRef"]["value"] == "42" and "EmployeeRef" not in vendor
    assert vendor["BillableStatus"] == "Billable" and float(vendor["HourlyRate"]) == 55.5
    no_worker = company.post("timeactivity", {"NameOf": "Employee", "Hours": 1})
    assert fault_of(no_worker)["code"] == "2020"
    no_time = company.post("timeactivity", {"NameOf": "Employee", "EmployeeRef": {"value": "54"}})
    assert fault_of(no_time)["code"] == "2020"
    bad_minutes = company.post("timeactivity", {"NameOf": "Employee", "EmployeeRef": {"value": "54"}, "Hours": 1,
                                                "Minutes": 75})
    assert fault_of(bad_minutes)["code"] == "6000"


def test_attachable_metadata(company):
    """Attachable: a note or file metadata linked to other objects.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/attachable
    """
    note = company.create("Attachable", {"Note": "Signed delivery slip",
                                         "AttachableRef": [{"EntityRef": {"type": "Invoice", "value": "1"}}]})
    assert note["AttachableRef"][0]["EntityRef"] == {"type": "Invoice", "value": "1"}
    assert note["AttachableRef"][0]["IncludeOnSend"] is False
    missing = company.post("attachable", {"Note": "x", "AttachableRef": [{"EntityRef": {"type": "Invoice",
                                                                                         "value": "99999"}}]})
    assert fault_of(missing)["code"] == "2500"
    assert company.post("attachable", {"Id": note["Id"], "SyncToken": "0"},
                        operation="delete").json()["Attachable"]["status"] == "Deleted"


def test_python_quickbooks_full_update_of_a_read_invoice(company, qb):
    """python-quickbooks re-sends a read invoice whole (read-only totals, the subtotal line,
    library defaults such as ``ServiceDate ""``); QuickBooks recomputes and turns the empty
    service date into 9999-12-31 (python-quickbooks PR #400).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#full-update-an-invoice
    """
    created = company.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": [line(4, 150, qty=2, price=75)]})
    invoice = Invoice.get(created["Id"], qb=qb)
    invoice.Line[0].Amount = 225
    invoice.Line[0].SalesItemLineDetail.Qty = 3
    saved = invoice.save(qb=qb)
    assert saved.TotalAmt == 225 and saved.Balance == 225 and saved.SyncToken == "1"
    assert saved.Line[0].SalesItemLineDetail.ServiceDate == "9999-12-31"
    assert [entry.DetailType for entry in saved.Line] == ["SalesItemLineDetail", "SubTotalLineDetail"]


def test_job_balances_roll_up_to_the_parent(company):
    """A job's open invoices count in its own Balance and in every ancestor's BalanceWithJobs
    (the fixture invoices 0969 Ocean View Road, a job of Freeman Sporting Goods: 108 taxable
    at 8 % plus 140).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer (Balance, BalanceWithJobs)
    """
    job, parent = company.read("Customer", "8"), company.read("Customer", "7")
    assert job["Balance"] == job["BalanceWithJobs"] == 256.64
    assert parent["Balance"] == 0 and parent["BalanceWithJobs"] == 256.64
    company.create("Invoice", {"CustomerRef": {"value": "8"}, "Line": [line(4, 100)]})
    assert company.read("Customer", "7")["BalanceWithJobs"] == 356.64
    assert company.read("Customer", "7")["SyncToken"] == parent["SyncToken"], "balances move without a new SyncToken"


def test_sub_customer_levels_and_projects(company):
    """Four levels of sub-customers under a customer (Level 1 to 4, FullyQualifiedName joined
    with ':'), a fifth refused (6180); a QuickBooks Project is a customer with IsProject under
    its customer.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
    """
    top = company.create("Customer", {"DisplayName": "Hierarchy Co"})
    parent, names = top, ["Hierarchy Co"]
    for level in range(1, 5):
        child = company.create("Customer", {"DisplayName": f"Sub {level}", "ParentRef": {"value": parent["Id"]},
                                            "Job": True})
        names.append(f"Sub {level}")
        assert child["Level"] == level and child["FullyQualifiedName"] == ":".join(names) and child["Job"] is True
        parent = child
    too_deep = company.post("customer", {"DisplayName": "Sub 5", "ParentRef": {"value": parent["Id"]}, "Job": True})
    assert fault_of(too_deep)["code"] == "6180"
    project = company.create("Customer", {"DisplayName": "Hierarchy website", "ParentRef": {"value": top["Id"]},
                                          "IsProject": True})
    assert project["IsProject"] is True and project["Job"] is True and project["Level"] == 1
    orphan = company.post("customer", {"DisplayName": "Orphan project", "IsProject": True})
    assert fault_of(orphan)["code"] == "6000"


def test_time_entries_locked_by_payroll_settings(company):
    """No documented API behaviour: the stand-in's explicit company setting
    Preferences.TimeTrackingPrefs.TimeEntriesLocked refuses time activities with a 6000 fault."""
    base = {"NameOf": "Employee", "EmployeeRef": {"value": "54"}, "Hours": 1}
    before = company.create("TimeActivity", base)
    company.preferences({"TimeTrackingPrefs": {"TimeEntriesLocked": True}})
    try:
        refused = company.post("timeactivity", base)
        fault = fault_of(refused)
        assert fault["code"] == "6000" and "payroll settings" in fault["Detail"]
        gone = company.post("timeactivity", {"Id": before["Id"], "SyncToken": before["SyncToken"]},
                            operation="delete")
        assert fault_of(gone)["code"] == "6000"
    finally:
        company.preferences({"TimeTrackingPrefs": {"TimeEntriesLocked": False}})
    assert company.create("TimeActivity", base)["Hours"] == 1
