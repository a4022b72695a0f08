"""The entities the emulator serves, each with its own rules (one module per family)."""

from .banking import Deposit, JournalEntry, Transfer
from .company import CompanyInfo, Preferences
from .lists import (
    Account,
    Budget,
    Class,
    CustomerType,
    Department,
    Item,
    PaymentMethod,
    TaxAgency,
    TaxCode,
    TaxRate,
    Term,
)
from .names import Customer, Employee, Vendor
from .orders import CompanyCurrency, CreditCardPayment, ExchangeRate, PurchaseOrder
from .other import Attachable, TimeActivity
from .purchases import Bill, BillPayment, Purchase, VendorCredit
from .receipts import Estimate, RefundReceipt, SalesReceipt
from .recurring import RecurringTransaction
from .sales import CreditMemo, Invoice, Payment

REGISTRY = {
    spec.name: spec
    for spec in (
        Customer(), Vendor(), Employee(), Item(), Account(), Term(), Class(), Department(), PaymentMethod(),
        TaxCode(), TaxRate(), TaxAgency(), Preferences(), CompanyInfo(), Invoice(), CreditMemo(), Payment(),
        Bill(), BillPayment(), VendorCredit(), Purchase(), TimeActivity(), Attachable(),
        SalesReceipt(), RefundReceipt(), Estimate(), Deposit(), Transfer(), JournalEntry(),
        PurchaseOrder(), CreditCardPayment(), CompanyCurrency(), ExchangeRate(), CustomerType(), Budget(),
        RecurringTransaction(),
    )
}

_BY_LOWER = {name.lower(): spec for name, spec in REGISTRY.items()}

# Name lists hide inactive rows from queries unless the query filters on Active.
NAME_LISTS = frozenset(name for name, spec in REGISTRY.items() if spec.kind == "list")


def get(name):
    """The entity for a name or URL segment, whatever its case; None if unknown."""
    return _BY_LOWER.get(str(name).lower())
