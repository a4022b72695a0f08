"""Which properties a query may filter and sort on, per entity, as Intuit documents them.

Each entity page of the Accounting API reference
(https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer and
its siblings) marks the attributes that are *filterable* and *sortable*; every other
attribute (``Line``, addresses, ``PrivateNote``, ``DepartmentRef`` on a Bill...) and every
name the entity does not have is refused by QuickBooks with fault 4001 "Invalid query",
naming the property (``QueryValidationError: property 'Foo' is not queryable``), instead of
answering an empty page.

``MetaData.CreateTime``, ``MetaData.LastUpdatedTime`` and ``Id`` are queryable on every
entity (https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries).
An entity missing from this table is not validated (nothing is refused).
"""

from . import faults

COMMON = ("Id", "MetaData.CreateTime", "MetaData.LastUpdatedTime")
_PERSON = ("DisplayName", "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "PrintOnCheckName",
           "PrimaryEmailAddr", "Active")
_TXN = ("DocNumber", "TxnDate", "TotalAmt", "CurrencyRef")
_LIST = ("Name", "Active")

FILTERABLE = {
    "Customer": _PERSON + ("CompanyName", "FullyQualifiedName", "Balance", "BalanceWithJobs", "Job", "ParentRef",
                           "CurrencyRef", "PrimaryPhone"),
    "Vendor": _PERSON + ("CompanyName", "Balance", "CurrencyRef", "AcctNum", "Vendor1099", "PrimaryPhone"),
    "Employee": _PERSON + ("EmployeeNumber", "HiredDate", "ReleasedDate", "PrimaryPhone"),
    "Item": _LIST + ("FullyQualifiedName", "Sku", "Type", "QtyOnHand", "UnitPrice", "ParentRef", "SubItem",
                     "Level", "Taxable"),
    "Account": _LIST + ("FullyQualifiedName", "AccountType", "AccountSubType", "Classification", "AcctNum",
                        "CurrentBalance", "CurrentBalanceWithSubAccounts", "SubAccount", "ParentRef",
                        "CurrencyRef"),
    "Class": _LIST + ("FullyQualifiedName", "SubClass", "ParentRef"),
    "Department": _LIST + ("FullyQualifiedName", "SubDepartment", "ParentRef"),
    "Term": _LIST + ("Type", "DueDays", "DiscountDays", "DiscountPercent"),
    "PaymentMethod": _LIST + ("Type",),
    "TaxCode": _LIST + ("Taxable", "TaxGroup", "Hidden"),
    "TaxRate": _LIST + ("RateValue", "AgencyRef", "DisplayType"),
    "TaxAgency": ("DisplayName", "TaxTrackedOnSales", "TaxTrackedOnPurchases"),
    "CompanyInfo": ("CompanyName",),
    "Preferences": (),
    "Invoice": _TXN + ("CustomerRef", "DueDate", "Balance", "EmailStatus", "PrintStatus", "HomeBalance"),
    "CreditMemo": _TXN + ("CustomerRef", "Balance", "RemainingCredit", "EmailStatus", "PrintStatus"),
    "Payment": ("TxnDate", "TotalAmt", "CustomerRef", "UnappliedAmt", "PaymentRefNum", "CurrencyRef",
                "DepositToAccountRef"),
    "Bill": _TXN + ("VendorRef", "DueDate", "Balance", "APAccountRef"),
    "BillPayment": _TXN + ("VendorRef", "PayType"),
    "VendorCredit": _TXN + ("VendorRef", "Balance"),
    "Purchase": _TXN + ("PaymentType", "Credit"),
    "TimeActivity": ("TxnDate", "NameOf", "EmployeeRef", "VendorRef", "CustomerRef", "ItemRef",
                     "BillableStatus", "Taxable"),
    "SalesReceipt": _TXN + ("CustomerRef", "Balance", "EmailStatus", "PrintStatus", "DepositToAccountRef"),
    "RefundReceipt": _TXN + ("CustomerRef", "Balance", "PrintStatus", "DepositToAccountRef"),
    "Estimate": _TXN + ("CustomerRef", "TxnStatus", "ExpirationDate", "EmailStatus", "PrintStatus"),
    "Deposit": ("TxnDate", "TotalAmt", "CurrencyRef", "DepositToAccountRef"),
    "Transfer": ("TxnDate", "Amount", "FromAccountRef", "ToAccountRef"),
    "JournalEntry": ("DocNumber", "TxnDate", "TotalAmt", "Adjustment", "CurrencyRef"),
    "PurchaseOrder": _TXN + ("VendorRef", "POStatus", "DueDate", "APAccountRef"),
    "CreditCardPayment": ("TxnDate", "Amount", "VendorRef", "CreditCardAccountRef", "BankAccountRef"),
    "CompanyCurrency": ("Code", "Name", "Active"),
    "ExchangeRate": ("SourceCurrencyCode", "TargetCurrencyCode", "AsOfDate", "Rate"),
    "CustomerType": _LIST,
    "Budget": _LIST + ("StartDate", "EndDate", "BudgetType", "BudgetEntryType"),
    "Attachable": ("FileName", "ContentType", "Size", "Category", "AttachableRef.EntityRef",
                   "AttachableRef.EntityRef.Type", "AttachableRef.EntityRef.value"),
}

_LOWER = {entity: frozenset(name.lower() for name in COMMON + fields) for entity, fields in FILTERABLE.items()}


def extend(entity, fields):
    """Register the queryable properties of an entity added later (same rules)."""
    FILTERABLE[entity] = tuple(fields)
    _LOWER[entity] = frozenset(name.lower() for name in COMMON + tuple(fields))


def not_queryable(name):
    return faults.validation("4001", "Invalid query", f"QueryValidationError: property '{name}' is not queryable")


def check(entity, parsed):
    """Refuse a filter or a sort on a property the entity does not document as queryable."""
    allowed = _LOWER.get(entity)
    if allowed is None:
        return
    for condition in parsed.conditions:
        if condition.field.lower() not in allowed:
            raise not_queryable(condition.field)
    for name, _direction in parsed.order:
        if name.lower() not in allowed:
            raise not_queryable(name)
