"""The other name lists: Item, Account, Class, Department, Term, PaymentMethod, and the tax
lists (TaxCode, TaxRate: read-only; TaxAgency: create and read).

Name lists cannot be deleted; a client deactivates them with ``Active`` false (Intuit's
entity pages; python-quickbooks#289).  Hierarchical lists (Item categories and sub-items,
sub-accounts, sub-classes, sub-departments) carry a ``FullyQualifiedName`` of the form
``Parent:Child`` and a ``Level``.
"""

from .. import faults, ledger, objects, validation
from ..money import ZERO, out, parse
from .base import Entity

ACCOUNT_CLASSIFICATION = {
    "Bank": "Asset",
    "Other Current Asset": "Asset",
    "Fixed Asset": "Asset",
    "Other Asset": "Asset",
    "Accounts Receivable": "Asset",
    "Equity": "Equity",
    "Expense": "Expense",
    "Other Expense": "Expense",
    "Cost of Goods Sold": "Expense",
    "Accounts Payable": "Liability",
    "Credit Card": "Liability",
    "Long Term Liability": "Liability",
    "Other Current Liability": "Liability",
    "Income": "Revenue",
    "Other Income": "Revenue",
}

# The AccountSubType QuickBooks gives an account created with only an AccountType.
DEFAULT_SUBTYPE = {
    "Bank": "CashOnHand",
    "Other Current Asset": "OtherCurrentAssets",
    "Fixed Asset": "OtherFixedAssets",
    "Other Asset": "OtherLongTermAssets",
    "Accounts Receivable": "AccountsReceivable",
    "Equity": "OwnersEquity",
    "Expense": "OtherMiscellaneousServiceCost",
    "Other Expense": "OtherMiscellaneousExpense",
    "Cost of Goods Sold": "SuppliesMaterialsCogs",
    "Accounts Payable": "AccountsPayable",
    "Credit Card": "CreditCard",
    "Long Term Liability": "OtherLongTermLiabilities",
    "Other Current Liability": "OtherCurrentLiabilities",
    "Income": "ServiceFeeIncome",
    "Other Income": "OtherMiscellaneousIncome",
}

# AccountSubType -> AccountType for the sub-types a client may send alone.
SUBTYPE_TYPE = {sub: kind for kind, sub in DEFAULT_SUBTYPE.items()}
SUBTYPE_TYPE.update({
    "Checking": "Bank", "Savings": "Bank", "MoneyMarket": "Bank", "UndepositedFunds": "Other Current Asset",
    "Inventory": "Other Current Asset", "SalesOfProductIncome": "Income", "DiscountsRefundsGiven": "Income",
    "SalesTaxPayable": "Other Current Liability", "OpeningBalanceEquity": "Equity", "RetainedEarnings": "Equity",
    "AdvertisingPromotional": "Expense", "Auto": "Expense", "Insurance": "Expense", "RentOrLeaseOfBuildings": "Expense",
    "Utilities": "Expense", "OfficeGeneralAdministrativeExpenses": "Expense", "LegalProfessionalFees": "Expense",
    "BankCharges": "Expense",
})


class NameList(Entity):
    """A flat list with a unique ``Name``."""

    name_field = "Name"
    name_length = 100
    sub_flag = None          # "SubItem", "SubAccount" ... for hierarchical lists
    parent_entity = None

    def validate(self, ctx, data, old):
        validation.text(data, "Name", self.name_length, required=True)
        data["Name"] = data["Name"].strip()
        validation.no_colon(data, "Name")
        super().validate(ctx, data, old)
        validation.boolean(data, "Active", True)
        if self.sub_flag:
            self.hierarchy(ctx, data, old)
        if old is None or (old.get("FullyQualifiedName") or old.get("Name")) != (
                data.get("FullyQualifiedName") or data.get("Name")):
            self.check_unique(ctx, data, old)
        return data

    def hierarchy(self, ctx, data, old):
        parent = None
        if validation.ref_value(data.get("ParentRef")):
            parent = validation.reference(ctx, data, "ParentRef", self.parent_entity or self.name)
            if old is not None and parent["Id"] == old["Id"]:
                raise faults.business_validation(f"{self.name} cannot be its own parent.", "ParentRef")
            level = int(parent.get("Level") or 0) + 1
            if level > 4:
                raise faults.validation("6180", "Sub Level Limit Error",
                                        f"{self.name} can have at most 5 levels of hierarchy.", "ParentRef")
            data["FullyQualifiedName"] = f"{parent.get('FullyQualifiedName') or parent['Name']}:{data['Name']}"
            data["Level"] = level
            data[self.sub_flag] = True
        else:
            data.pop("ParentRef", None)
            data["FullyQualifiedName"] = data["Name"]
            data[self.sub_flag] = False
            if self.name == "Item":
                data.pop("Level", None)
        return parent

    def check_unique(self, ctx, data, old):
        wanted = (data.get("FullyQualifiedName") or data["Name"]).lower()
        for _entity, other in objects.find_by_name(ctx.db, ctx.realm_id, (self.name,), data["Name"]):
            if old is not None and other["Id"] == old["Id"]:
                continue
            if (other.get("FullyQualifiedName") or other["Name"]).lower() == wanted:
                raise self.duplicate(other)

    def duplicate(self, other):
        return faults.duplicate_name(other["Id"])


class Item(NameList):
    name = "Item"
    sub_flag = "SubItem"
    lengths = {"Sku": 100, "Description": 4000, "PurchaseDesc": 1000}
    read_only = ("FullyQualifiedName", "Level")
    keep_on_update = ("QtyOnHand", "InvStartDate")
    TYPES = ("Service", "NonInventory", "Inventory", "Category", "Group", "Bundle")

    def validate(self, ctx, data, old):
        if data.get("Type") in ("", None):
            data["Type"] = old["Type"] if old else "NonInventory"
        validation.enum(data, "Type", self.TYPES)
        if old is not None and old.get("Type") != data["Type"] and "Inventory" in (old.get("Type"), data["Type"]):
            raise faults.business_validation("You can't change the type of an inventory item.", "Type")
        super().validate(ctx, data, old)
        kind = data["Type"]
        if data.get("ParentRef"):
            parent = ctx.get("Item", data["ParentRef"]["value"])
            if kind == "Category" and parent.get("Type") != "Category":
                raise faults.business_validation("A category can only be under another category.", "ParentRef")
        for field in ("UnitPrice", "PurchaseCost", "QtyOnHand", "ReorderPoint"):
            value = parse(data.get(field), field)
            if value is not None:
                data[field] = out(value)
        for flag in ("Taxable", "SalesTaxIncluded", "PurchaseTaxIncluded", "TrackQtyOnHand"):
            validation.boolean(data, flag)
        validation.reference(ctx, data, "IncomeAccountRef", "Account")
        validation.reference(ctx, data, "ExpenseAccountRef", "Account")
        validation.reference(ctx, data, "AssetAccountRef", "Account")
        validation.reference(ctx, data, "SalesTaxCodeRef", "TaxCode")
        validation.reference(ctx, data, "PurchaseTaxCodeRef", "TaxCode")
        validation.reference(ctx, data, "PrefVendorRef", "Vendor")
        if kind == "Category":
            for field in ("IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef", "UnitPrice", "QtyOnHand"):
                data.pop(field, None)
            return data
        if kind in ("Service", "Inventory") and not data.get("IncomeAccountRef"):
            raise faults.required_param_missing(
                "IncomeAccountRef", "Required parameter IncomeAccountRef is missing in the request")
        if kind == "NonInventory" and not (data.get("IncomeAccountRef") or data.get("ExpenseAccountRef")):
            raise faults.required_param_missing(
                "IncomeAccountRef", "Required parameter IncomeAccountRef is missing in the request")
        if (data.get("PurchaseCost") or data.get("PurchaseDesc")) and not data.get("ExpenseAccountRef"):
            raise faults.required_param_missing(
                "ExpenseAccountRef", "Required parameter ExpenseAccountRef is missing in the request")
        if kind == "Inventory":
            if not data.get("AssetAccountRef"):
                # Text of handling-common-errors, 2020 variant 1.
                raise faults.required_param_missing(
                    "AssetAccountRef",
                    "Required parameter is missing in the request. An inventory assetaccount is required if you "
                    "are tracking inventory quantities for this product.",
                )
            if not data.get("ExpenseAccountRef"):
                raise faults.required_param_missing(
                    "ExpenseAccountRef", "Required parameter ExpenseAccountRef is missing in the request")
            if old is None:
                if data.get("QtyOnHand") is None:
                    raise faults.required_param_missing("QtyOnHand")
                if not validation.date(data, "InvStartDate"):
                    raise faults.required_param_missing("InvStartDate")
            data["TrackQtyOnHand"] = True
        else:
            data["TrackQtyOnHand"] = False
            data.pop("QtyOnHand", None)
            data.pop("InvStartDate", None)
        data.setdefault("Taxable", False)
        data.setdefault("UnitPrice", 0)
        data.setdefault("PurchaseCost", 0)
        return data


class Account(NameList):
    name = "Account"
    sub_flag = "SubAccount"
    lengths = {"Description": 100}
    read_only = ("FullyQualifiedName", "Classification", "CurrentBalance", "CurrentBalanceWithSubAccounts",
                 "SubAccount")
    keep_on_update = ("CurrentBalance", "CurrentBalanceWithSubAccounts")

    def validate(self, ctx, data, old):
        if isinstance(data.get("Name"), str) and '"' in data["Name"]:
            raise faults.business_validation('Account.Name cannot contain double quotes (") or a colon (:).', "Name")
        if data.get("AccountSubType") == "":
            data.pop("AccountSubType")
        if not data.get("AccountType"):
            if data.get("AccountSubType") in SUBTYPE_TYPE:
                data["AccountType"] = SUBTYPE_TYPE[data["AccountSubType"]]
            else:
                raise faults.required_param_missing("AccountType")
        validation.enum(data, "AccountType", tuple(ACCOUNT_CLASSIFICATION))
        super().validate(ctx, data, old)
        max_number = 20 if ctx.country in ("CA", "AU", "FR") else 7
        number = validation.text(data, "AcctNum", max_number)
        if number is None:
            data.pop("AcctNum", None)
        elif ":" in number:
            raise faults.business_validation("Account.AcctNum cannot contain a colon (:).", "AcctNum")
        elif old is None or old.get("AcctNum") != number:
            for other in objects.all_of(ctx.db, ctx.realm_id, "Account"):
                if other.get("AcctNum") == number and (old is None or other["Id"] != old["Id"]):
                    raise faults.validation("6240", "Duplicate Name Exists Error",
                                            "The account number supplied already exists. : Another account is "
                                            "already using this number. Please use a different number.")
        if data.get("ParentRef"):
            parent = ctx.get("Account", data["ParentRef"]["value"])
            if parent.get("AccountType") != data["AccountType"]:
                raise faults.business_validation("A sub-account must have the same type as its parent.", "ParentRef")
        data.setdefault("AccountSubType", DEFAULT_SUBTYPE[data["AccountType"]])
        data["Classification"] = ACCOUNT_CLASSIFICATION[data["AccountType"]]
        data["CurrencyRef"] = ctx.currency_ref(validation.ref_value(data.get("CurrencyRef")) or ctx.home_currency)
        balance = parse(old.get("CurrentBalance"), "CurrentBalance", ZERO) if old else ZERO
        data["CurrentBalance"] = out(balance)
        data["CurrentBalanceWithSubAccounts"] = out(
            parse(old.get("CurrentBalanceWithSubAccounts"), "x", ZERO) if old else ZERO)
        validation.reference(ctx, data, "TaxCodeRef", "TaxCode")
        return data

    def duplicate(self, other):
        return faults.duplicate_account_name()

    def after_save(self, ctx, new, old):
        # A sub-account moved under another parent takes its balance with it.
        ledger.reparent(ctx, new, old)


class Class(NameList):
    name = "Class"
    sub_flag = "SubClass"
    read_only = ("FullyQualifiedName",)


class Department(NameList):
    name = "Department"
    sub_flag = "SubDepartment"
    read_only = ("FullyQualifiedName",)


class Term(NameList):
    name = "Term"
    name_length = 31

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        date_driven = any(data.get(k) not in (None, "") for k in ("DayOfMonthDue", "DueNextMonthDays"))
        validation.enum(data, "Type", ("STANDARD", "DATE_DRIVEN"), default="DATE_DRIVEN" if date_driven else "STANDARD")
        numbers = ("DueDays", "DiscountDays") if data["Type"] == "STANDARD" else (
            "DayOfMonthDue", "DueNextMonthDays", "DiscountDayOfMonth")
        for field in numbers:
            value = parse(data.get(field), field)
            if value is not None:
                data[field] = int(value)
        if data["Type"] == "STANDARD":
            data.setdefault("DueDays", 0)
        elif not data.get("DayOfMonthDue"):
            raise faults.required_param_missing("DayOfMonthDue")
        percent = parse(data.get("DiscountPercent"), "DiscountPercent")
        if percent is not None:
            data["DiscountPercent"] = out(percent)
        return data


class PaymentMethod(NameList):
    name = "PaymentMethod"
    name_length = 31

    def validate(self, ctx, data, old):
        if data.get("Type") == "":
            data.pop("Type")
        super().validate(ctx, data, old)
        validation.enum(data, "Type", ("CREDIT_CARD", "NON_CREDIT_CARD"), default="NON_CREDIT_CARD")
        return data


class TaxCode(NameList):
    """Read and query only: tax codes are created through the TaxService endpoint."""

    name = "TaxCode"
    creatable = False
    updatable = False
    cdc = False
    webhooks = False


class TaxRate(NameList):
    name = "TaxRate"
    creatable = False
    updatable = False
    cdc = False
    webhooks = False


class CustomerType(NameList):
    """Read and query only (customer types are set up in QuickBooks).
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customertype"""

    name = "CustomerType"
    creatable = False
    updatable = False
    cdc = False
    webhooks = False


class Budget(NameList):
    """Read and query only.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/budget"""

    name = "Budget"
    creatable = False
    updatable = False
    cdc = False
    webhooks = False


class TaxAgency(Entity):
    name = "TaxAgency"
    name_field = "DisplayName"
    updatable = False
    cdc = False
    webhooks = False
    lengths = {"DisplayName": 100}

    def validate(self, ctx, data, old):
        validation.text(data, "DisplayName", 100, required=True)
        super().validate(ctx, data, old)
        for entity, other in objects.find_by_name(ctx.db, ctx.realm_id, ("TaxAgency",), data["DisplayName"]):
            if entity == "TaxAgency":
                raise faults.duplicate_name(other["Id"])
        validation.boolean(data, "TaxTrackedOnSales", True)
        validation.boolean(data, "TaxTrackedOnPurchases", False)
        return data
