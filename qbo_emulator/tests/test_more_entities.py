"""SalesReceipt, RefundReceipt, Estimate, Deposit, Transfer and JournalEntry: required
fields, amounts and balances, linked transactions, and their place in query, batch and CDC."""

import pytest
from conftest import fault_of
from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
from quickbooks.objects.estimate import Estimate
from quickbooks.objects.salesreceipt import SalesReceipt
from test_transactions import line, new_customer

UNDEPOSITED, CHECKING, SAVINGS, SERVICES_INCOME, AR, AP = "4", "35", "36", "1", "84", "33"


def test_sales_receipt_with_python_quickbooks(company, qb):
    """A sales receipt is paid at once: Balance 0, the money in Undeposited Funds unless
    DepositToAccountRef says otherwise; Line is required; CustomerRef is optional.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt
    """
    receipt = SalesReceipt()
    receipt.CustomerRef = {"value": "1"}
    sale = SalesItemLine()
    sale.Amount = 150.0
    sale.SalesItemLineDetail = SalesItemLineDetail()
    sale.SalesItemLineDetail.ItemRef = {"value": "1"}
    receipt.Line = [sale]
    receipt.save(qb=qb)
    stored = company.read("SalesReceipt", receipt.Id)
    assert stored["TotalAmt"] == 150.0 and stored["Balance"] == 0
    assert stored["DepositToAccountRef"]["value"] == UNDEPOSITED
    customer = company.read("Customer", "1")
    anonymous = company.create("SalesReceipt", {"Line": [line(1, 20.0)], "DepositToAccountRef": {"value": CHECKING}})
    assert anonymous["DepositToAccountRef"]["value"] == CHECKING and "CustomerRef" not in anonymous
    assert company.read("Customer", "1")["Balance"] == customer["Balance"], "a paid sale owes nothing"
    missing = company.post("salesreceipt", {"CustomerRef": {"value": "1"}})
    assert missing.status_code == 400 and fault_of(missing)["code"] == "2020"
    assert company.rows(f"select * from SalesReceipt where Id = '{receipt.Id}'")[0]["TotalAmt"] == 150.0  # noqa: S608


def test_refund_receipt_against_a_credit_memo_lowers_its_balance(company):
    """A refund receipt needs Line and DepositToAccountRef (the account the refund is paid
    from); linked to a credit memo it pays that credit back: the memo's Balance and
    RemainingCredit go down, the customer's credit with it, and more than the credit left is
    refused.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/refundreceipt
    """
    customer = new_customer(company, "Refund Customer")
    memo = company.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 100.0)]})
    assert company.read("Customer", customer["Id"])["Balance"] == -100.0
    missing = company.post("refundreceipt", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 10.0)]})
    assert missing.status_code == 400 and fault_of(missing)["element"] == "DepositToAccountRef"
    refund = company.create("RefundReceipt", {
        "CustomerRef": {"value": customer["Id"]}, "DepositToAccountRef": {"value": CHECKING},
        "Line": [line(1, 60.0)], "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]})
    assert refund["TotalAmt"] == 60.0 and refund["Balance"] == 0
    memo = company.read("CreditMemo", memo["Id"])
    assert memo["Balance"] == 40.0 and memo["RemainingCredit"] == 40.0
    assert {"TxnId": refund["Id"], "TxnType": "RefundReceipt"} in memo["LinkedTxn"]
    assert company.read("Customer", customer["Id"])["Balance"] == -40.0
    too_much = company.post("refundreceipt", {
        "CustomerRef": {"value": customer["Id"]}, "DepositToAccountRef": {"value": CHECKING},
        "Line": [line(1, 50.0)], "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]})
    assert too_much.status_code == 400 and fault_of(too_much)["code"] == "6000"
    # A payment applying the rest of the credit keeps the refund counted.
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 40.0)]})
    company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 0, "Line": [
        {"Amount": 40.0, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]},
        {"Amount": 40.0, "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]}]})
    memo = company.read("CreditMemo", memo["Id"])
    assert memo["Balance"] == 0 and {"TxnId": refund["Id"], "TxnType": "RefundReceipt"} in memo["LinkedTxn"]
    # Deleting the refund gives the credit back.
    current = company.read("RefundReceipt", refund["Id"])
    deleted = company.post("refundreceipt", {"Id": current["Id"], "SyncToken": current["SyncToken"]},
                           operation="delete")
    assert deleted.status_code == 200
    assert company.read("CreditMemo", memo["Id"])["Balance"] == 60.0


def test_estimate_closed_by_the_invoice_that_links_it(company, qb):
    """An estimate (CustomerRef and Line required, TxnStatus Pending by default) linked from
    an invoice's LinkedTxn is closed and lists the invoice; deleting the invoice reopens it.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/estimate
    """
    estimate = Estimate()
    estimate.CustomerRef = {"value": "1"}
    sale = SalesItemLine()
    sale.Amount = 75.0
    sale.SalesItemLineDetail = SalesItemLineDetail()
    sale.SalesItemLineDetail.ItemRef = {"value": "1"}
    estimate.Line = [sale]
    estimate.save(qb=qb)
    stored = company.read("Estimate", estimate.Id)
    assert stored["TxnStatus"] == "Pending" and stored["TotalAmt"] == 75.0 and "Balance" not in stored
    before = company.read("Customer", "1")["Balance"]
    assert before == company.read("Customer", "1")["Balance"], "an estimate owes nothing"
    other = company.post("invoice", {"CustomerRef": {"value": "2"}, "Line": [line(1, 75.0)],
                                     "LinkedTxn": [{"TxnId": estimate.Id, "TxnType": "Estimate"}]})
    assert other.status_code == 400, "an estimate is invoiced to its own customer only"
    invoice = company.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [line(1, 75.0)],
                                         "LinkedTxn": [{"TxnId": estimate.Id, "TxnType": "Estimate"}]})
    assert {"TxnId": estimate.Id, "TxnType": "Estimate"} in invoice["LinkedTxn"]
    stored = company.read("Estimate", estimate.Id)
    assert stored["TxnStatus"] == "Closed"
    assert stored["LinkedTxn"] == [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]
    assert company.rows("select * from Estimate where TxnStatus = 'Closed'")[0]["Id"] == estimate.Id
    company.post("invoice", {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"]}, operation="delete")
    stored = company.read("Estimate", estimate.Id)
    assert stored["TxnStatus"] == "Pending" and stored["LinkedTxn"] == []
    bad = company.post("estimate", {"CustomerRef": {"value": "1"}, "Line": [line(1, 5.0)], "TxnStatus": "Maybe"})
    assert bad.status_code == 400 and fault_of(bad)["code"] == "2170"


def test_deposit_moves_payments_out_of_undeposited_funds(company):
    """A deposit line linked to a payment waiting in Undeposited Funds takes its full amount;
    the payment lists the deposit and cannot change until it is taken off (6540); other
    lines name the account the money comes from; TotalAmt is the lines less cash back.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/deposit
    """
    customer = new_customer(company, "Deposit Customer")
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 300.0)]})
    payment = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 300.0, "Line": [
        {"Amount": 300.0, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert payment["DepositToAccountRef"]["value"] == UNDEPOSITED
    receipt = company.create("SalesReceipt", {"Line": [line(1, 25.0)]})
    missing = company.post("deposit", {"Line": [{"Amount": 300.0, "LinkedTxn": [
        {"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    assert missing.status_code == 400 and fault_of(missing)["element"] == "DepositToAccountRef"
    partial = company.post("deposit", {"DepositToAccountRef": {"value": CHECKING}, "Line": [
        {"Amount": 100.0, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    assert partial.status_code == 400 and fault_of(partial)["code"] == "6000"
    deposit = company.create("Deposit", {
        "DepositToAccountRef": {"value": CHECKING},
        "Line": [{"Amount": 300.0, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment"}]},
                 {"Amount": 25.0, "LinkedTxn": [{"TxnId": receipt["Id"], "TxnType": "SalesReceipt"}]},
                 {"Amount": 12.5, "DetailType": "DepositLineDetail",
                  "DepositLineDetail": {"AccountRef": {"value": SERVICES_INCOME}}}],
        "CashBack": {"Amount": 7.5, "AccountRef": {"value": SAVINGS}}})
    assert deposit["TotalAmt"] == 330.0
    assert deposit["DepositToAccountRef"]["name"] == "Checking"
    stored = company.read("Payment", payment["Id"])
    assert {"TxnId": deposit["Id"], "TxnType": "Deposit"} in stored["LinkedTxn"]
    changed = company.post("payment", dict(stored, PrivateNote="edited", sparse=True))
    assert changed.status_code == 400 and fault_of(changed)["code"] == "6540"
    again = company.post("deposit", {"DepositToAccountRef": {"value": CHECKING}, "Line": [
        {"Amount": 300.0, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    assert again.status_code == 400, "a payment is deposited once"
    company.post("deposit", {"Id": deposit["Id"], "SyncToken": deposit["SyncToken"]}, operation="delete")
    stored = company.read("Payment", payment["Id"])
    assert not any(link.get("TxnType") == "Deposit" for link in stored.get("LinkedTxn") or [])
    assert company.post("payment", dict(stored, PrivateNote="edited", sparse=True)).status_code == 200


def test_transfer_between_two_accounts(company):
    """FromAccountRef, ToAccountRef and Amount are required; the two accounts differ.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/transfer
    """
    transfer = company.create("Transfer", {"FromAccountRef": {"value": CHECKING}, "ToAccountRef": {"value": SAVINGS},
                                           "Amount": 500})
    assert transfer["Amount"] == 500 and transfer["FromAccountRef"]["name"] == "Checking"
    assert transfer["ToAccountRef"]["name"] == "Savings" and transfer["TxnDate"]
    same = company.post("transfer", {"FromAccountRef": {"value": CHECKING}, "ToAccountRef": {"value": CHECKING},
                                     "Amount": 5})
    assert same.status_code == 400 and fault_of(same)["code"] == "6000"
    missing = company.post("transfer", {"FromAccountRef": {"value": CHECKING}, "Amount": 5})
    assert missing.status_code == 400 and fault_of(missing)["code"] == "2020"
    assert company.rows("select * from Transfer where Amount > '100'")[0]["Id"] == transfer["Id"]


def test_journal_entry_must_balance_and_name_a_customer_on_receivables(company):
    """Debits equal credits; a line on Accounts Receivable names a customer (Entity);
    PostingType is Debit or Credit.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/journalentry
    """
    def je_line(posting, account, amount, **extra):
        return {"Amount": amount, "DetailType": "JournalEntryLineDetail",
                "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account}, **extra}}

    entry = company.create("JournalEntry", {"Line": [je_line("Debit", CHECKING, 80),
                                                     je_line("Credit", SERVICES_INCOME, 80)]})
    assert entry["TotalAmt"] == 80 and entry["Adjustment"] is False
    assert entry["Line"][0]["JournalEntryLineDetail"]["AccountRef"]["name"] == "Checking"
    unbalanced = company.post("journalentry", {"Line": [je_line("Debit", CHECKING, 80),
                                                         je_line("Credit", SERVICES_INCOME, 70)]})
    assert unbalanced.status_code == 400 and fault_of(unbalanced)["code"] == "6000"
    nameless = company.post("journalentry", {"Line": [je_line("Debit", AR, 10),
                                                       je_line("Credit", SERVICES_INCOME, 10)]})
    assert nameless.status_code == 400 and "customer" in fault_of(nameless)["Detail"]
    named = company.create("JournalEntry", {"Line": [
        je_line("Debit", AR, 10, Entity={"Type": "Customer", "EntityRef": {"value": "1"}}),
        je_line("Credit", SERVICES_INCOME, 10)]})
    assert named["Line"][0]["JournalEntryLineDetail"]["Entity"]["EntityRef"]["value"] == "1"
    bad_posting = company.post("journalentry", {"Line": [je_line("Sideways", CHECKING, 1)]})
    assert bad_posting.status_code == 400 and fault_of(bad_posting)["code"] == "2170"


def test_new_entities_in_batch_query_and_cdc(company, clock):
    """Batch items, queries and change data capture cover the new entities like the others.
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/batch
    https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/change-data-capture
    """
    clock(1)
    since = company.get(f"companyinfo/{company.realm}").json()["time"]
    clock(1)
    answer = company.post("batch", {"BatchItemRequest": [
        {"bId": "1", "operation": "create", "SalesReceipt": {"Line": [line(1, 9.0)]}},
        {"bId": "2", "operation": "create", "Estimate": {"CustomerRef": {"value": "1"}, "Line": [line(1, 8.0)]}},
        {"bId": "3", "operation": "create", "Transfer": {"FromAccountRef": {"value": CHECKING},
                                                         "ToAccountRef": {"value": SAVINGS}, "Amount": 7}},
        {"bId": "4", "Query": "select * from Estimate where TxnStatus = 'Pending' orderby Id desc"},
        {"bId": "5", "operation": "create", "JournalEntry": {"Line": []}},
    ]})
    assert answer.status_code == 200
    items = {item["bId"]: item for item in answer.json()["BatchItemResponse"]}
    assert items["1"]["SalesReceipt"]["TotalAmt"] == 9.0
    assert items["2"]["Estimate"]["TxnStatus"] == "Pending"
    assert items["3"]["Transfer"]["Amount"] == 7
    assert items["4"]["QueryResponse"]["Estimate"][0]["Id"] == items["2"]["Estimate"]["Id"]
    assert items["5"]["Fault"]["Error"][0]["code"] == "2020"
    cdc = company.get("cdc", entities="SalesReceipt,Estimate,Transfer,Deposit", changedSince=since).json()
    found = {name: rows for part in cdc["CDCResponse"][0]["QueryResponse"] for name, rows in part.items()
             if isinstance(rows, list)}
    assert [r["Id"] for r in found["SalesReceipt"]] == [items["1"]["SalesReceipt"]["Id"]]
    assert [r["Id"] for r in found["Transfer"]] == [items["3"]["Transfer"]["Id"]]
    assert "Deposit" not in found
    for text in ("select * from Deposit where Line = '1'", "select * from Transfer where PrivateNote = 'x'"):
        assert company.query(text).status_code == 400, text


@pytest.mark.parametrize("entity", ["SalesReceipt", "RefundReceipt", "Estimate", "Deposit", "Transfer",
                                    "JournalEntry"])
def test_read_of_unknown_id_is_610(company, entity):
    """https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes"""
    answer = company.get(f"{entity.lower()}/999999")
    assert answer.status_code == 400 and fault_of(answer)["code"] == "610"


def test_purchase_order_closed_by_its_bill(company):
    """VendorRef and Line are required; POStatus Open by default; a purchase order posts
    nothing (the vendor's balance stays); a bill naming it in LinkedTxn closes it.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchaseorder
    """
    expense = {"Amount": 45.0, "DetailType": "AccountBasedExpenseLineDetail",
               "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "7"}}}
    vendor = company.read("Vendor", company.rows("select * from Vendor")[0]["Id"])
    order = company.create("PurchaseOrder", {"VendorRef": {"value": vendor["Id"]}, "Line": [expense]})
    assert order["POStatus"] == "Open" and order["TotalAmt"] == 45.0 and order["APAccountRef"]["value"] == AP
    assert company.read("Vendor", vendor["Id"])["Balance"] == vendor["Balance"], "a purchase order posts nothing"
    missing = company.post("purchaseorder", {"Line": [expense]})
    assert missing.status_code == 400 and fault_of(missing)["element"] == "VendorRef"
    bill = company.create("Bill", {"VendorRef": {"value": vendor["Id"]}, "Line": [expense],
                                   "LinkedTxn": [{"TxnId": order["Id"], "TxnType": "PurchaseOrder"}]})
    order = company.read("PurchaseOrder", order["Id"])
    assert order["POStatus"] == "Closed" and order["LinkedTxn"] == [{"TxnId": bill["Id"], "TxnType": "Bill"}]
    company.post("bill", {"Id": bill["Id"], "SyncToken": bill["SyncToken"]}, operation="delete")
    assert company.read("PurchaseOrder", order["Id"])["POStatus"] == "Open"
    assert company.rows("select * from PurchaseOrder where POStatus = 'Open'")[0]["Id"] == order["Id"]


def test_credit_card_payment_needs_a_card_and_a_bank_account(company):
    """CreditCardAccountRef (Credit Card), BankAccountRef (Bank) and Amount are required.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditcardpayment
    """
    paid = company.create("CreditCardPayment", {"CreditCardAccountRef": {"value": "41"},
                                                "BankAccountRef": {"value": CHECKING}, "Amount": 250})
    assert paid["Amount"] == 250 and paid["CreditCardAccountRef"]["name"] == "Mastercard"
    wrong = company.post("creditcardpayment", {"CreditCardAccountRef": {"value": CHECKING},
                                               "BankAccountRef": {"value": CHECKING}, "Amount": 5})
    assert wrong.status_code == 400 and fault_of(wrong)["code"] == "6000"
    missing = company.post("creditcardpayment", {"CreditCardAccountRef": {"value": "41"}, "Amount": 5})
    assert missing.status_code == 400 and fault_of(missing)["code"] == "2020"


def test_company_currency_and_exchange_rates(company, qb):
    """CompanyCurrency needs multicurrency on, a Code that is not the home currency, once;
    ExchangeRate is set with POST /exchangerate (no Id) and read back per currency and day
    (the latest rate on or before it), also through python-quickbooks.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companycurrency
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/exchangerate
    """
    off = company.post("companycurrency", {"Code": "EUR"})
    assert off.status_code == 400 and fault_of(off)["code"] == "6000"
    company.preferences({"CurrencyPrefs": {"MultiCurrencyEnabled": True}})
    euro = company.create("CompanyCurrency", {"Code": "EUR"})
    assert euro["Name"] == "Euro" and euro["Active"] is True
    assert company.post("companycurrency", {"Code": "EUR"}).status_code == 400
    assert company.post("companycurrency", {"Code": "USD"}).status_code == 400, "the home currency"
    assert [c["Code"] for c in company.rows("select * from CompanyCurrency")] == ["EUR"]
    first = company.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 1.08, "AsOfDate": "2026-01-05"})
    assert first.status_code == 200, first.text
    assert first.json()["ExchangeRate"]["TargetCurrencyCode"] == "USD" and "Id" not in first.json()["ExchangeRate"]
    company.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 1.1, "AsOfDate": "2026-01-05"})
    company.post("exchangerate", {"SourceCurrencyCode": "EUR", "Rate": 1.2, "AsOfDate": "2026-02-01"})
    rate = company.get("exchangerate", sourcecurrencycode="EUR", asofdate="2026-01-20").json()["ExchangeRate"]
    assert rate["Rate"] == 1.1 and rate["AsOfDate"] == "2026-01-05"
    assert company.get("exchangerate", sourcecurrencycode="EUR", asofdate="2025-01-01").status_code == 400
    rows = company.rows("select * from ExchangeRate where SourceCurrencyCode = 'EUR'")
    assert sorted(r["Rate"] for r in rows) == [1.1, 1.2]
    from quickbooks.objects.exchangerate import ExchangeRate  # noqa: PLC0415

    found = ExchangeRate.filter(SourceCurrencyCode="EUR", AsOfDate="2026-02-01", qb=qb)
    assert [r.Rate for r in found] == [1.2]
