"""Accounts' ``CurrentBalance``: what each transaction posts to the chart of accounts.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/account
* ``CurrentBalance`` "Specifies the balance amount for the current Account. Valid for Balance
  Sheet accounts."; ``CurrentBalanceWithSubAccounts`` "Specifies the cumulative balance amount
  for the current Account and all its sub-accounts."  Both are read-only.
* So only balance-sheet accounts (Classification Asset, Liability, Equity) move; income and
  expense accounts keep a CurrentBalance of 0, as QuickBooks reports them (their figures live
  in the Profit and Loss report, not on the account).
* Assets are debit-positive, liabilities and equity credit-positive (money owed on a credit
  card, to vendors or for sales tax is a positive balance).
* Like a customer's Balance (balances.py), an account's balance moves without a new
  SyncToken: nobody edited the account.

Each transaction is turned into postings ``{account id: debit amount}`` (credits negative);
a create, update, void or delete applies the difference between the postings of the new and
the old version, so the work is proportional to the transaction's own lines, never to the
number of transactions in the company.

What each transaction posts (the balance-sheet side of QuickBooks' own journal):
Invoice: A/R + (total - deposit), DepositToAccountRef + deposit, sales tax payable + tax.
CreditMemo: A/R -, sales tax payable - tax.  Payment: DepositToAccountRef (default
Undeposited Funds) +, A/R (ARAccountRef or the default) -.  SalesReceipt: its deposit account
+, tax payable + tax.  RefundReceipt: its account -; tax payable - tax, or A/R + when it pays
back a credit memo.  Deposit: its account + total, Undeposited Funds - the linked payments and
receipts, other lines from their accounts, cash back to its account.  Bill: A/P +, lines on
balance-sheet accounts (inventory items: the item's asset account) +.  VendorCredit: the
reverse.  BillPayment: A/P -, bank - (check) or card + (credit card).  Purchase: bank -
(cash, check) or card + (credit card; a credit is the reverse), lines +.  Transfer: from -,
to +.  CreditCardPayment: bank -, card -.  JournalEntry: each line's debit or credit.
Sales tax goes to the company's sales-tax liability account (sub-type SalesTaxPayable) when
it has one; tax on purchases (outside the US) is claimed back from it.
"""

from . import objects
from .money import ZERO, cents, out, parse

BALANCE_SHEET = {"Asset": 1, "Liability": -1, "Equity": -1}


def _ref(value):
    if isinstance(value, dict):
        value = value.get("value")
    return str(value) if value not in (None, "") else None


def _amount(value, element="Amount"):
    return parse(value, element, ZERO)


def default_account(ctx, sub_type=None, account_type=None):
    """Id of the company's first active account of a sub-type or type, found once per write."""
    cache = ctx.__dict__.setdefault("_default_accounts", {})
    key = (sub_type, account_type)
    if key not in cache:
        found = None
        for account in objects.all_of(ctx.db, ctx.realm_id, "Account"):
            if account.get("Active") is False:
                continue
            if (sub_type and account.get("AccountSubType") == sub_type) or (
                    account_type and account.get("AccountType") == account_type):
                found = account["Id"]
                break
        cache[key] = found
    return cache[key]


class _Postings(dict):
    def add(self, account_id, amount):
        account_id = _ref(account_id)
        if account_id is None or not amount:
            return
        self[account_id] = self.get(account_id, ZERO) + amount


def _tax(obj):
    detail = obj.get("TxnTaxDetail")
    return _amount(detail.get("TotalTax"), "TotalTax") if isinstance(detail, dict) else ZERO


def _receivable(ctx, obj):
    return _ref(obj.get("ARAccountRef")) or default_account(ctx, account_type="Accounts Receivable")


def _payable(ctx, obj):
    return _ref(obj.get("APAccountRef")) or default_account(ctx, account_type="Accounts Payable")


def _sales_tax(ctx):
    return default_account(ctx, sub_type="SalesTaxPayable")


def _expense_lines(ctx, obj, posts, sign):
    """Bill, VendorCredit and Purchase lines: their account (or an inventory item's asset account)."""
    for line in obj.get("Line") or []:
        detail = line.get("AccountBasedExpenseLineDetail")
        if isinstance(detail, dict):
            posts.add(detail.get("AccountRef"), sign * _amount(line.get("Amount")))
            continue
        detail = line.get("ItemBasedExpenseLineDetail")
        if isinstance(detail, dict):
            item = ctx.get("Item", _ref(detail.get("ItemRef")))
            if item is not None and item.get("Type") == "Inventory":
                posts.add(item.get("AssetAccountRef"), sign * _amount(line.get("Amount")))


def _invoice(ctx, obj, posts):
    total, deposit = _amount(obj.get("TotalAmt")), _amount(obj.get("Deposit"))
    posts.add(_receivable(ctx, obj), total - deposit)
    posts.add(obj.get("DepositToAccountRef"), deposit)
    posts.add(_sales_tax(ctx), -_tax(obj))


def _credit_memo(ctx, obj, posts):
    posts.add(_receivable(ctx, obj), -_amount(obj.get("TotalAmt")))
    posts.add(_sales_tax(ctx), _tax(obj))


def _payment(ctx, obj, posts):
    total = _amount(obj.get("TotalAmt"))
    posts.add(obj.get("DepositToAccountRef"), total)
    posts.add(_receivable(ctx, obj), -total)


def _sales_receipt(ctx, obj, posts):
    posts.add(obj.get("DepositToAccountRef"), _amount(obj.get("TotalAmt")))
    posts.add(_sales_tax(ctx), -_tax(obj))


def _refund_receipt(ctx, obj, posts):
    total = _amount(obj.get("TotalAmt"))
    posts.add(obj.get("DepositToAccountRef"), -total)
    if any(link.get("TxnType") == "CreditMemo" for link in obj.get("LinkedTxn") or []):
        # Paying back a credit memo uses up the credit it left on Accounts Receivable.
        posts.add(_receivable(ctx, obj), total)
    else:
        posts.add(_sales_tax(ctx), _tax(obj))


def _deposit(ctx, obj, posts):
    posts.add(obj.get("DepositToAccountRef"), _amount(obj.get("TotalAmt")))
    for line in obj.get("Line") or []:
        amount = _amount(line.get("Amount"))
        if line.get("LinkedTxn"):
            posts.add(default_account(ctx, sub_type="UndepositedFunds"), -amount)
        elif isinstance(line.get("DepositLineDetail"), dict):
            posts.add(line["DepositLineDetail"].get("AccountRef"), -amount)
    cash_back = obj.get("CashBack")
    if isinstance(cash_back, dict):
        posts.add(cash_back.get("AccountRef"), _amount(cash_back.get("Amount")))


def _bill(ctx, obj, posts, sign=1):
    posts.add(_payable(ctx, obj), -sign * _amount(obj.get("TotalAmt")))
    posts.add(_sales_tax(ctx), sign * _tax(obj))
    _expense_lines(ctx, obj, posts, sign)


def _vendor_credit(ctx, obj, posts):
    _bill(ctx, obj, posts, sign=-1)


def _bill_payment(ctx, obj, posts):
    total = _amount(obj.get("TotalAmt"))
    posts.add(_payable(ctx, obj), total)
    if obj.get("PayType") == "CreditCard":
        posts.add((obj.get("CreditCardPayment") or {}).get("CCAccountRef"), -total)
    else:
        posts.add((obj.get("CheckPayment") or {}).get("BankAccountRef"), -total)


def _purchase(ctx, obj, posts):
    sign = -1 if obj.get("Credit") is True else 1
    posts.add(obj.get("AccountRef"), -sign * _amount(obj.get("TotalAmt")))
    posts.add(_sales_tax(ctx), sign * _tax(obj))
    _expense_lines(ctx, obj, posts, sign)


def _transfer(ctx, obj, posts):
    amount = _amount(obj.get("Amount"))
    posts.add(obj.get("FromAccountRef"), -amount)
    posts.add(obj.get("ToAccountRef"), amount)


def _credit_card_payment(ctx, obj, posts):
    amount = _amount(obj.get("Amount"))
    posts.add(obj.get("BankAccountRef"), -amount)
    posts.add(obj.get("CreditCardAccountRef"), amount)


def _journal_entry(ctx, obj, posts):
    for line in obj.get("Line") or []:
        detail = line.get("JournalEntryLineDetail")
        if isinstance(detail, dict):
            sign = 1 if detail.get("PostingType") == "Debit" else -1
            posts.add(detail.get("AccountRef"), sign * _amount(line.get("Amount")))


POSTERS = {
    "Invoice": _invoice,
    "CreditMemo": _credit_memo,
    "Payment": _payment,
    "SalesReceipt": _sales_receipt,
    "RefundReceipt": _refund_receipt,
    "Deposit": _deposit,
    "Bill": _bill,
    "VendorCredit": _vendor_credit,
    "BillPayment": _bill_payment,
    "Purchase": _purchase,
    "Transfer": _transfer,
    "CreditCardPayment": _credit_card_payment,
    "JournalEntry": _journal_entry,
}


def postings(ctx, entity, obj):
    """``{account id: debit}`` of one stored transaction, in the transaction's currency."""
    posts = _Postings()
    if obj is not None and entity in POSTERS:
        POSTERS[entity](ctx, obj, posts)
    return posts


def _in_account_currency(ctx, obj, account, amount):
    """A foreign-currency transaction moves a home-currency account by its home amount."""
    if obj is None or not ctx.multicurrency:
        return amount
    txn_currency = _ref(obj.get("CurrencyRef")) or ctx.home_currency
    account_currency = _ref(account.get("CurrencyRef")) or ctx.home_currency
    if txn_currency == account_currency:
        return amount
    rate = parse(obj.get("ExchangeRate"), "ExchangeRate", None) or 1
    return amount * rate


def post(ctx, entity, new, old):
    """Move the accounts by what this change did to the transaction's postings."""
    if entity not in POSTERS:
        return
    before, after = postings(ctx, entity, old), postings(ctx, entity, new)
    for account_id in sorted(set(before) | set(after), key=lambda x: (len(x), x)):
        account = ctx.get("Account", account_id)
        if account is None:
            continue
        sign = BALANCE_SHEET.get(account.get("Classification"))
        if sign is None:
            continue  # income and expense accounts: CurrentBalance is for balance-sheet accounts
        debit = (_in_account_currency(ctx, new, account, after.get(account_id, ZERO))
                 - _in_account_currency(ctx, old, account, before.get(account_id, ZERO)))
        delta = cents(sign * debit)
        if delta:
            _move(ctx, account, delta)


def _move(ctx, account, delta):
    account["CurrentBalance"] = out(cents(parse(account.get("CurrentBalance"), "CurrentBalance", ZERO) + delta))
    _roll_up(ctx, account, delta)


def _roll_up(ctx, account, delta, seen=None):
    """Add ``delta`` to the CurrentBalanceWithSubAccounts of an account and its parents."""
    seen = set() if seen is None else seen
    while account is not None and account["Id"] not in seen:
        seen.add(account["Id"])
        account["CurrentBalanceWithSubAccounts"] = out(cents(parse(
            account.get("CurrentBalanceWithSubAccounts"), "CurrentBalanceWithSubAccounts", ZERO) + delta))
        objects.save(ctx.db, ctx.realm_id, "Account", account, ctx.now, bump_token=False)
        parent = _ref(account.get("ParentRef"))
        account = ctx.get("Account", parent) if parent else None


def reparent(ctx, new, old):
    """An account moved under another parent (or to the top) takes its balance, with its own
    sub-accounts', out of its old parents' CurrentBalanceWithSubAccounts and into the new ones'."""
    if old is None or _ref(new.get("ParentRef")) == _ref(old.get("ParentRef")):
        return
    amount = parse(new.get("CurrentBalanceWithSubAccounts"), "CurrentBalanceWithSubAccounts", ZERO)
    if not amount:
        return
    for parent_id, delta in ((_ref(old.get("ParentRef")), -amount), (_ref(new.get("ParentRef")), amount)):
        parent = ctx.get("Account", parent_id) if parent_id else None
        if parent is not None:
            _roll_up(ctx, parent, delta, seen={new["Id"]})
