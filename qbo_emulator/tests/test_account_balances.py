"""Accounts' CurrentBalance follows the transactions posted to them, as in QuickBooks Online.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
"CurrentBalance: Specifies the balance amount for the current Account. Valid for Balance Sheet
accounts." and "CurrentBalanceWithSubAccounts: Specifies the cumulative balance amount for the
current Account and all its sub-accounts."  Assets are debit-positive; liabilities (A/P, credit
cards, sales tax payable) and equity are credit-positive; income and expense accounts keep 0.
"""

from test_transactions import line, new_customer

UNDEPOSITED, CHECKING, SAVINGS, SERVICES_INCOME, AR, AP = "4", "35", "36", "1", "84", "33"
OFFICE_EXPENSES, MASTERCARD, OPENING_EQUITY, TAX_PAYABLE, UNCATEGORIZED_ASSET = "15", "41", "34", "89", "32"
ALL = (UNDEPOSITED, CHECKING, SAVINGS, SERVICES_INCOME, AR, AP, OFFICE_EXPENSES, MASTERCARD, OPENING_EQUITY,
       TAX_PAYABLE, UNCATEGORIZED_ASSET)


def balances(company, ids=ALL):
    return {account_id: company.read("Account", account_id)["CurrentBalance"] for account_id in ids}


def moved(company, before):
    """What each account moved by since ``before`` (accounts that did not move left out)."""
    now = balances(company, tuple(before))
    return {key: round(now[key] - before[key], 2) for key in before if round(now[key] - before[key], 2)}


def expense_line(account_id, amount):
    return {"Amount": amount, "DetailType": "AccountBasedExpenseLineDetail",
            "AccountBasedExpenseLineDetail": {"AccountRef": {"value": account_id}}}


def test_invoice_payment_then_deposit_move_receivables_undeposited_funds_and_the_bank(company):
    """Invoice: A/R + total, sales tax payable + tax; Payment: Undeposited Funds (its default
    DepositToAccountRef) + amount, A/R - amount; Deposit: the bank + total, Undeposited Funds -
    the linked payment.  The income account keeps CurrentBalance 0 (valid for balance-sheet
    accounts only), and no account gets a new SyncToken.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/payment
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/deposit
    """
    before = balances(company)
    tokens = {key: company.read("Account", key)["SyncToken"] for key in (AR, UNDEPOSITED, CHECKING)}
    customer = new_customer(company, "Ledger Customer")
    invoice = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]},
                                         "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}},
                                         "Line": [line(16, 100.0, tax="TAX"), line(1, 50.0)]})
    assert invoice["TotalAmt"] == 158.0  # 150 + 8 % of the taxable 100
    assert moved(company, before) == {AR: 158.0, TAX_PAYABLE: 8.0}
    assert company.read("Account", SERVICES_INCOME)["CurrentBalance"] == 0

    payment = company.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 158.0, "Line": [
        {"Amount": 158.0, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert payment["DepositToAccountRef"]["value"] == UNDEPOSITED
    assert moved(company, before) == {UNDEPOSITED: 158.0, TAX_PAYABLE: 8.0}

    company.create("Deposit", {"DepositToAccountRef": {"value": CHECKING}, "Line": [
        {"Amount": 158.0, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment"}]}]})
    assert moved(company, before) == {CHECKING: 158.0, TAX_PAYABLE: 8.0}
    # Balances are kept current without an edit of the account: same SyncToken.
    assert {key: company.read("Account", key)["SyncToken"] for key in tokens} == tokens


def test_bill_and_bill_payment_by_check(company):
    """Bill: A/P + total (expense lines go to the Profit and Loss, not to a CurrentBalance);
    BillPayment by check: A/P - amount, the bank account - amount.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/bill
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/billpayment
    """
    before = balances(company)
    vendor = company.create("Vendor", {"DisplayName": "Ledger Vendor"})
    bill = company.create("Bill", {"VendorRef": {"value": vendor["Id"]},
                                   "Line": [expense_line(OFFICE_EXPENSES, 240.0),
                                            expense_line(UNCATEGORIZED_ASSET, 60.0)]})
    # The line on an asset account (Uncategorized Asset) raises that asset; Office Expenses stays 0.
    assert moved(company, before) == {AP: 300.0, UNCATEGORIZED_ASSET: 60.0}
    applied = [{"Amount": 300.0, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]
    company.create("BillPayment", {"VendorRef": {"value": vendor["Id"]}, "PayType": "Check", "TotalAmt": 300.0,
                                   "CheckPayment": {"BankAccountRef": {"value": CHECKING}}, "Line": applied})
    assert moved(company, before) == {CHECKING: -300.0, UNCATEGORIZED_ASSET: 60.0}


def test_credit_card_purchase_then_card_payment(company):
    """Purchase with PaymentType CreditCard: the card (a liability) + total; a credit (refund)
    on the card is the reverse; CreditCardPayment: bank -, card -.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/purchase
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditcardpayment
    """
    before = balances(company)
    company.create("Purchase", {"PaymentType": "CreditCard", "AccountRef": {"value": MASTERCARD},
                                "Line": [expense_line(OFFICE_EXPENSES, 80.0)]})
    assert moved(company, before) == {MASTERCARD: 80.0}
    company.create("Purchase", {"PaymentType": "CreditCard", "AccountRef": {"value": MASTERCARD}, "Credit": True,
                                "Line": [expense_line(OFFICE_EXPENSES, 5.0)]})
    assert moved(company, before) == {MASTERCARD: 75.0}
    company.create("Purchase", {"PaymentType": "Check", "AccountRef": {"value": CHECKING},
                                "Line": [expense_line(OFFICE_EXPENSES, 20.0)]})
    assert moved(company, before) == {MASTERCARD: 75.0, CHECKING: -20.0}
    company.create("CreditCardPayment", {"CreditCardAccountRef": {"value": MASTERCARD},
                                         "BankAccountRef": {"value": CHECKING}, "Amount": 75.0})
    assert moved(company, before) == {CHECKING: -95.0}


def test_transfer_and_sub_accounts(company):
    """Transfer: FromAccountRef -, ToAccountRef +.  A sub-account's balance counts in its
    parent's CurrentBalanceWithSubAccounts, not in the parent's CurrentBalance (and moves with
    the sub-account to another parent); deleting the transfer takes it back.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/transfer
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
    """
    sub = company.create("Account", {"Name": "Savings Reserve", "AccountType": "Bank", "SubAccount": True,
                                     "ParentRef": {"value": SAVINGS}})
    parent = company.read("Account", SAVINGS)
    checking = company.read("Account", CHECKING)
    transfer = company.create("Transfer", {"FromAccountRef": {"value": CHECKING}, "ToAccountRef": {"value": sub["Id"]},
                                           "Amount": 250.0})
    assert company.read("Account", CHECKING)["CurrentBalance"] == checking["CurrentBalance"] - 250
    assert company.read("Account", sub["Id"])["CurrentBalance"] == 250.0
    assert company.read("Account", sub["Id"])["CurrentBalanceWithSubAccounts"] == 250.0
    after = company.read("Account", SAVINGS)
    assert after["CurrentBalance"] == parent["CurrentBalance"]
    assert after["CurrentBalanceWithSubAccounts"] == parent["CurrentBalanceWithSubAccounts"] + 250
    assert company.rows("select * from Account where Name = 'Savings Reserve'")[0]["CurrentBalance"] == 250.0
    # Moved under Checking, the sub-account takes its balance from Savings' total to Checking's.
    stored = company.read("Account", sub["Id"])
    moved_sub = company.post("account", dict(stored, ParentRef={"value": CHECKING}, sparse=True))
    assert moved_sub.status_code == 200, moved_sub.text
    assert company.read("Account", SAVINGS)["CurrentBalanceWithSubAccounts"] == parent["CurrentBalanceWithSubAccounts"]
    assert company.read("Account", CHECKING)["CurrentBalanceWithSubAccounts"] == checking["CurrentBalance"]
    stored = company.read("Account", sub["Id"])
    back = company.post("account", dict(stored, ParentRef={"value": SAVINGS}, sparse=True))
    assert back.status_code == 200, back.text
    assert company.read("Account", SAVINGS)["CurrentBalanceWithSubAccounts"] == after["CurrentBalanceWithSubAccounts"]
    deleted = company.post("transfer", {"Id": transfer["Id"], "SyncToken": transfer["SyncToken"]}, operation="delete")
    assert deleted.status_code == 200, deleted.text
    assert company.read("Account", sub["Id"])["CurrentBalance"] == 0
    assert company.read("Account", SAVINGS)["CurrentBalanceWithSubAccounts"] == parent["CurrentBalanceWithSubAccounts"]
    assert company.read("Account", CHECKING)["CurrentBalance"] == checking["CurrentBalance"]


def test_journal_entry_debits_and_credits_by_classification(company):
    """JournalEntry lines post their debit or credit: an asset rises with a debit, equity and
    liabilities with a credit; the expense account keeps 0.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/journalentry
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
    """
    before = balances(company)

    def je_line(posting, account_id, amount):
        return {"Amount": amount, "DetailType": "JournalEntryLineDetail", "JournalEntryLineDetail": {
            "PostingType": posting, "AccountRef": {"value": account_id}}}

    entry = company.create("JournalEntry", {"Line": [
        je_line("Debit", CHECKING, 1000.0), je_line("Credit", OPENING_EQUITY, 1000.0),
        je_line("Debit", OFFICE_EXPENSES, 40.0), je_line("Credit", MASTERCARD, 40.0)]})
    assert moved(company, before) == {CHECKING: 1000.0, OPENING_EQUITY: 1000.0, MASTERCARD: 40.0}
    assert company.read("Account", OFFICE_EXPENSES)["CurrentBalance"] == 0
    # A full update posting to another account moves only the difference.
    changed = company.post("journalentry", {"Id": entry["Id"], "SyncToken": entry["SyncToken"], "Line": [
        je_line("Debit", SAVINGS, 1000.0), je_line("Credit", OPENING_EQUITY, 1000.0)]})
    assert changed.status_code == 200, changed.text
    assert moved(company, before) == {SAVINGS: 1000.0, OPENING_EQUITY: 1000.0}


def test_edited_deleted_and_voided_invoices_reverse_what_they_posted(company):
    """Updating an invoice moves A/R by the change of its total; deleting one or voiding one
    takes back all it posted (a voided transaction's amounts are zero).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#void-an-invoice
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#delete-an-invoice
    """
    before = balances(company)
    customer = new_customer(company, "Ledger Edits")
    first = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 100.0)]})
    second = company.create("Invoice", {"CustomerRef": {"value": customer["Id"]},
                                        "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}},
                                        "Line": [line(16, 50.0, tax="TAX")]})
    assert moved(company, before) == {AR: 154.0, TAX_PAYABLE: 4.0}
    edited = company.post("invoice", {"Id": first["Id"], "SyncToken": first["SyncToken"], "sparse": True,
                                      "Line": [line(1, 130.0)]})
    assert edited.status_code == 200, edited.text
    assert moved(company, before) == {AR: 184.0, TAX_PAYABLE: 4.0}
    voided = company.post("invoice", {"Id": second["Id"], "SyncToken": second["SyncToken"]}, operation="void")
    assert voided.status_code == 200, voided.text
    assert moved(company, before) == {AR: 130.0}
    current = company.read("Invoice", first["Id"])
    deleted = company.post("invoice", {"Id": first["Id"], "SyncToken": current["SyncToken"]}, operation="delete")
    assert deleted.status_code == 200, deleted.text
    assert moved(company, before) == {}


def test_receipts_credit_memos_and_vendor_credits(company):
    """SalesReceipt: its deposit account (Undeposited Funds by default) + total, tax payable +
    tax; CreditMemo: A/R - total; a RefundReceipt paying the credit back: its account - and
    A/R + (the credit used up); VendorCredit: A/P -.  A/R then equals the customer's Balance.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/salesreceipt
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/creditmemo
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/refundreceipt
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendorcredit
    """
    before = balances(company)
    customer = new_customer(company, "Ledger Receipts")
    company.create("SalesReceipt", {"CustomerRef": {"value": customer["Id"]},
                                    "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}},
                                    "Line": [line(16, 25.0, tax="TAX")]})
    assert moved(company, before) == {UNDEPOSITED: 27.0, TAX_PAYABLE: 2.0}
    memo = company.create("CreditMemo", {"CustomerRef": {"value": customer["Id"]}, "Line": [line(1, 100.0)]})
    assert moved(company, before) == {UNDEPOSITED: 27.0, TAX_PAYABLE: 2.0, AR: -100.0}
    company.create("RefundReceipt", {"CustomerRef": {"value": customer["Id"]},
                                     "DepositToAccountRef": {"value": CHECKING}, "Line": [line(1, 60.0)],
                                     "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]})
    assert moved(company, before) == {UNDEPOSITED: 27.0, TAX_PAYABLE: 2.0, AR: -40.0, CHECKING: -60.0}
    assert company.read("Customer", customer["Id"])["Balance"] == -40.0
    vendor = company.create("Vendor", {"DisplayName": "Ledger Credits"})
    company.create("VendorCredit", {"VendorRef": {"value": vendor["Id"]},
                                    "Line": [expense_line(OFFICE_EXPENSES, 30.0)]})
    assert moved(company, before) == {UNDEPOSITED: 27.0, TAX_PAYABLE: 2.0, AR: -40.0, CHECKING: -60.0, AP: -30.0}
