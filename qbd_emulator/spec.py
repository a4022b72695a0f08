"""Content models of the qbXML 13.0 requests this company file answers.

Element names, their order, how often each may occur and the declared lengths and enumerations
are transcribed from Intuit's qbXML 13.0 request schema (``qbxmlops130.xsd``; public copies in
jsgoupil/quickbooks-sync ``src/QbXml/Schemas/`` and hotgluexyz/qbwc-common).  QuickBooks checks a
message set against its schema before it runs anything: an unknown element, a missing required one
or elements out of order fail the whole set with HRESULT 0x80040400 (qbwc/qbxml#14: "element order
is enforced").  Lengths are not part of that check: QuickBooks answers 3070 per request.

``E(name, type, min=0, max=1, ...)``: an element (``type`` a scalar kind or ``@Model``);
``Seq``/``Choice(min, max, items)``; ``ref(n)``: a list reference (ListID and/or FullName of at most
``n`` characters); ``text(kind, attributes)``: a value with attributes.
"""

from .schema import Choice, E, Model, Seq, ref, text

# ruff: noqa: E501 - one element per line reads best, enumerations included

MODELS = {}
MODELS['ClassRef'] = ref(159)
MODELS['ParentRef'] = ref(None)
MODELS['BillAddress'] = Model([
    E('Addr1', 'STR', max_length=41),
    E('Addr2', 'STR', max_length=41),
    E('Addr3', 'STR', max_length=41),
    E('Addr4', 'STR', max_length=41),
    E('Addr5', 'STR', max_length=41),
    E('City', 'STR', max_length=31),
    E('State', 'STR', max_length=21),
    E('PostalCode', 'STR', max_length=13),
    E('Country', 'STR', max_length=31),
    E('Note', 'STR', max_length=41),
])
MODELS['ShipAddress'] = Model([
    E('Addr1', 'STR', max_length=41),
    E('Addr2', 'STR', max_length=41),
    E('Addr3', 'STR', max_length=41),
    E('Addr4', 'STR', max_length=41),
    E('Addr5', 'STR', max_length=41),
    E('City', 'STR', max_length=31),
    E('State', 'STR', max_length=21),
    E('PostalCode', 'STR', max_length=13),
    E('Country', 'STR', max_length=31),
    E('Note', 'STR', max_length=41),
])
MODELS['ShipToAddress'] = Model([
    E('Name', 'STR', 1, 1, max_length=41),
    E('Addr1', 'STR', max_length=41),
    E('Addr2', 'STR', max_length=41),
    E('Addr3', 'STR', max_length=41),
    E('Addr4', 'STR', max_length=41),
    E('Addr5', 'STR', max_length=41),
    E('City', 'STR', max_length=31),
    E('State', 'STR', max_length=21),
    E('PostalCode', 'STR', max_length=13),
    E('Country', 'STR', max_length=31),
    E('Note', 'STR', max_length=41),
    E('DefaultShipTo', 'BOOL'),
])
MODELS['AdditionalContactRef'] = Model([
    E('ContactName', 'STR', 1, 1, max_length=40),
    E('ContactValue', 'STR', 1, 1, max_length=255),
])
MODELS['Contacts'] = Model([
    E('Salutation', 'STR', max_length=15),
    E('FirstName', 'STR', 1, 1, max_length=25),
    E('MiddleName', 'STR', max_length=5),
    E('LastName', 'STR', max_length=25),
    E('JobTitle', 'STR', max_length=41),
    E('AdditionalContactRef', '@AdditionalContactRef', 0, 5),
])
MODELS['CustomerTypeRef'] = ref(159)
MODELS['TermsRef'] = ref(31)
MODELS['SalesRepRef'] = ref(5)
MODELS['SalesTaxCodeRef'] = ref(3)
MODELS['ItemSalesTaxRef'] = ref(31)
MODELS['PreferredPaymentMethodRef'] = ref(31)
MODELS['CreditCardInfo'] = Model([
    E('CreditCardNumber', 'STR', max_length=25),
    E('ExpirationMonth', 'INT'),
    E('ExpirationYear', 'INT'),
    E('NameOnCard', 'STR', max_length=41),
    E('CreditCardAddress', 'STR', max_length=41),
    E('CreditCardPostalCode', 'STR', max_length=41),
])
MODELS['JobTypeRef'] = ref(159)
MODELS['AdditionalNotes'] = Model([
    E('Note', 'STR', 1, 1, max_length=4095),
])
MODELS['PriceLevelRef'] = ref(31)
MODELS['CurrencyRef'] = ref(64)
MODELS['CustomerAdd'] = Model([
    E('Name', 'STR', 1, 1, max_length=41),
    E('IsActive', 'BOOL'),
    E('ClassRef', '@ClassRef'),
    E('ParentRef', '@ParentRef'),
    E('CompanyName', 'STR', max_length=41),
    E('Salutation', 'STR', max_length=15),
    E('FirstName', 'STR', max_length=25),
    E('MiddleName', 'STR', max_length=5),
    E('LastName', 'STR', max_length=25),
    E('Suffix', 'STR'),
    E('JobTitle', 'STR', max_length=41),
    E('BillAddress', '@BillAddress'),
    E('ShipAddress', '@ShipAddress'),
    E('ShipToAddress', '@ShipToAddress', 0, 50),
    E('PrintAs', 'STR', max_length=41),
    E('Phone', 'STR', max_length=21),
    E('Mobile', 'STR', max_length=21),
    E('Pager', 'STR', max_length=21),
    E('AltPhone', 'STR', max_length=21),
    E('Fax', 'STR', max_length=21),
    E('Email', 'STR', max_length=1023),
    E('Cc', 'STR', max_length=1023),
    E('Contact', 'STR', max_length=41),
    E('AltContact', 'STR', max_length=41),
    E('AdditionalContactRef', '@AdditionalContactRef', 0, 8),
    E('Contacts', '@Contacts', 0, None),
    E('CustomerTypeRef', '@CustomerTypeRef'),
    E('TermsRef', '@TermsRef'),
    E('SalesRepRef', '@SalesRepRef'),
    E('OpenBalance', 'AMT'),
    E('OpenBalanceDate', 'DATE'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    E('ItemSalesTaxRef', '@ItemSalesTaxRef'),
    E('SalesTaxCountry', 'ENUM', enum=('Australia', 'Canada', 'UK', 'US')),
    E('ResaleNumber', 'STR', max_length=15),
    E('AccountNumber', 'STR', max_length=99),
    E('CreditLimit', 'AMT'),
    E('PreferredPaymentMethodRef', '@PreferredPaymentMethodRef'),
    E('CreditCardInfo', '@CreditCardInfo'),
    E('JobStatus', 'ENUM', enum=('Awarded', 'Closed', 'InProgress', 'None', 'NotAwarded', 'Pending')),
    E('JobStartDate', 'DATE'),
    E('JobProjectedEndDate', 'DATE'),
    E('JobEndDate', 'DATE'),
    E('JobDesc', 'STR', max_length=99),
    E('JobTypeRef', '@JobTypeRef'),
    E('Notes', 'STR', max_length=4095),
    E('AdditionalNotes', '@AdditionalNotes', 0, None),
    E('IsStatementWithParent', 'BOOL'),
    E('DeliveryMethod', 'ENUM', enum=('Email', 'Fax', 'Print')),
    E('PreferredDeliveryMethod', 'ENUM', enum=('None', 'Email', 'Fax')),
    E('PriceLevelRef', '@PriceLevelRef'),
    E('ExternalGUID', 'GUID'),
    E('TaxRegistrationNumber', 'STR', max_length=30),
    E('CurrencyRef', '@CurrencyRef'),
])
MODELS['CustomerAddRq'] = Model(('requestID',), [
    E('CustomerAdd', '@CustomerAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ContactsMod'] = Model([
    E('ListID', 'ID'),
    E('EditSequence', 'STR', max_length=16),
    E('Salutation', 'STR', max_length=15),
    E('FirstName', 'STR', 1, 1, max_length=25),
    E('MiddleName', 'STR', max_length=5),
    E('LastName', 'STR', max_length=25),
    E('JobTitle', 'STR', max_length=41),
    E('AdditionalContactRef', '@AdditionalContactRef', 0, 5),
])
MODELS['AdditionalNotesMod'] = Model([
    E('NoteID', 'INT', 1, 1),
    E('Note', 'STR', 1, 1, max_length=4095),
])
MODELS['CustomerMod'] = Model([
    E('ListID', 'ID', 1, 1),
    E('EditSequence', 'STR', 1, 1, max_length=16),
    E('Name', 'STR', max_length=41),
    E('IsActive', 'BOOL'),
    E('ClassRef', '@ClassRef'),
    E('ParentRef', '@ParentRef'),
    E('CompanyName', 'STR', max_length=41),
    E('Salutation', 'STR', max_length=15),
    E('FirstName', 'STR', max_length=25),
    E('MiddleName', 'STR', max_length=5),
    E('LastName', 'STR', max_length=25),
    E('Suffix', 'STR'),
    E('JobTitle', 'STR', max_length=41),
    E('BillAddress', '@BillAddress'),
    E('ShipAddress', '@ShipAddress'),
    E('ShipToAddress', '@ShipToAddress', 0, 50),
    E('PrintAs', 'STR', max_length=41),
    E('Phone', 'STR', max_length=21),
    E('Mobile', 'STR', max_length=21),
    E('Pager', 'STR', max_length=21),
    E('AltPhone', 'STR', max_length=21),
    E('Fax', 'STR', max_length=21),
    E('Email', 'STR', max_length=1023),
    E('Cc', 'STR', max_length=1023),
    E('Contact', 'STR', max_length=41),
    E('AltContact', 'STR', max_length=41),
    E('AdditionalContactRef', '@AdditionalContactRef', 0, 8),
    E('ContactsMod', '@ContactsMod', 0, None),
    E('CustomerTypeRef', '@CustomerTypeRef'),
    E('TermsRef', '@TermsRef'),
    E('SalesRepRef', '@SalesRepRef'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    E('ItemSalesTaxRef', '@ItemSalesTaxRef'),
    E('SalesTaxCountry', 'ENUM', enum=('Australia', 'Canada', 'UK', 'US')),
    E('ResaleNumber', 'STR', max_length=15),
    E('AccountNumber', 'STR', max_length=99),
    E('CreditLimit', 'AMT'),
    E('PreferredPaymentMethodRef', '@PreferredPaymentMethodRef'),
    E('CreditCardInfo', '@CreditCardInfo'),
    E('JobStatus', 'ENUM', enum=('Awarded', 'Closed', 'InProgress', 'None', 'NotAwarded', 'Pending')),
    E('JobStartDate', 'DATE'),
    E('JobProjectedEndDate', 'DATE'),
    E('JobEndDate', 'DATE'),
    E('JobDesc', 'STR', max_length=99),
    E('JobTypeRef', '@JobTypeRef'),
    E('Notes', 'STR', max_length=4095),
    E('AdditionalNotesMod', '@AdditionalNotesMod', 0, None),
    E('IsStatementWithParent', 'BOOL'),
    E('DeliveryMethod', 'ENUM', enum=('Email', 'Fax', 'Print')),
    E('PreferredDeliveryMethod', 'ENUM', enum=('None', 'Email', 'Fax')),
    E('PriceLevelRef', '@PriceLevelRef'),
    E('TaxRegistrationNumber', 'STR', max_length=30),
    E('CurrencyRef', '@CurrencyRef'),
])
MODELS['CustomerModRq'] = Model(('requestID',), [
    E('CustomerMod', '@CustomerMod', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['NameFilter'] = Model([
    E('MatchCriterion', 'ENUM', 1, 1, enum=('StartsWith', 'Contains', 'EndsWith')),
    E('Name', 'STR', 1, 1),
])
MODELS['NameRangeFilter'] = Model([
    E('FromName', 'STR'),
    E('ToName', 'STR'),
])
MODELS['TotalBalanceFilter'] = Model([
    E('Operator', 'ENUM', 1, 1, enum=('LessThan', 'LessThanEqual', 'Equal', 'GreaterThan', 'GreaterThanEqual')),
    E('Amount', 'AMT', 1, 1),
])
MODELS['CurrencyFilter'] = Model([
    Choice(1, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None, max_length=64),
    ]),
])
MODELS['ClassFilter'] = Model([
    Choice(1, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        E('ListIDWithChildren', 'ID', 1, 1),
        E('FullNameWithChildren', 'STR', 1, 1),
    ]),
])
MODELS['CustomerQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('TotalBalanceFilter', '@TotalBalanceFilter'),
            E('CurrencyFilter', '@CurrencyFilter'),
            E('ClassFilter', '@ClassFilter'),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['VendorAddress'] = Model([
    E('Addr1', 'STR', max_length=41),
    E('Addr2', 'STR', max_length=41),
    E('Addr3', 'STR', max_length=41),
    E('Addr4', 'STR', max_length=41),
    E('Addr5', 'STR', max_length=41),
    E('City', 'STR', max_length=31),
    E('State', 'STR', max_length=21),
    E('PostalCode', 'STR', max_length=13),
    E('Country', 'STR', max_length=31),
    E('Note', 'STR', max_length=41),
])
MODELS['VendorTypeRef'] = ref(159)
MODELS['BillingRateRef'] = ref(31)
MODELS['SalesTaxReturnRef'] = ref(None)
MODELS['TaxOnPurchasesAccountRef'] = ref(159)
MODELS['TaxOnSalesAccountRef'] = ref(159)
MODELS['PrefillAccountRef'] = ref(159)
MODELS['VendorAdd'] = Model([
    E('Name', 'STR', 1, 1, max_length=41),
    E('IsActive', 'BOOL'),
    E('ClassRef', '@ClassRef'),
    E('CompanyName', 'STR', max_length=41),
    E('Salutation', 'STR', max_length=15),
    E('FirstName', 'STR', max_length=25),
    E('MiddleName', 'STR', max_length=5),
    E('LastName', 'STR', max_length=25),
    E('Suffix', 'STR'),
    E('JobTitle', 'STR', max_length=41),
    E('VendorAddress', '@VendorAddress'),
    E('ShipAddress', '@ShipAddress'),
    E('Phone', 'STR', max_length=21),
    E('Mobile', 'STR', max_length=21),
    E('Pager', 'STR', max_length=21),
    E('AltPhone', 'STR', max_length=21),
    E('Fax', 'STR', max_length=21),
    E('Email', 'STR', max_length=1023),
    E('Cc', 'STR', max_length=1023),
    E('Contact', 'STR', max_length=41),
    E('AltContact', 'STR', max_length=41),
    E('AdditionalContactRef', '@AdditionalContactRef', 0, 8),
    E('Contacts', '@Contacts', 0, None),
    E('NameOnCheck', 'STR', max_length=41),
    E('AccountNumber', 'STR', max_length=99),
    E('Notes', 'STR', max_length=4095),
    E('AdditionalNotes', '@AdditionalNotes', 0, None),
    E('VendorTypeRef', '@VendorTypeRef'),
    E('TermsRef', '@TermsRef'),
    E('CreditLimit', 'AMT'),
    E('VendorTaxIdent', 'STR', max_length=15),
    E('IsVendorEligibleFor1099', 'BOOL'),
    E('OpenBalance', 'AMT'),
    E('OpenBalanceDate', 'DATE'),
    E('BillingRateRef', '@BillingRateRef'),
    E('ExternalGUID', 'GUID'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    E('SalesTaxCountry', 'ENUM', enum=('Australia', 'Canada', 'UK', 'US')),
    E('IsSalesTaxAgency', 'BOOL'),
    E('SalesTaxReturnRef', '@SalesTaxReturnRef'),
    E('TaxRegistrationNumber', 'STR', max_length=30),
    E('ReportingPeriod', 'ENUM', enum=('Monthly', 'Quarterly')),
    E('IsTaxTrackedOnPurchases', 'BOOL'),
    E('TaxOnPurchasesAccountRef', '@TaxOnPurchasesAccountRef'),
    E('IsTaxTrackedOnSales', 'BOOL'),
    E('TaxOnSalesAccountRef', '@TaxOnSalesAccountRef'),
    E('IsTaxOnTax', 'BOOL'),
    E('PrefillAccountRef', '@PrefillAccountRef', 0, 3),
    E('CurrencyRef', '@CurrencyRef'),
])
MODELS['VendorAddRq'] = Model(('requestID',), [
    E('VendorAdd', '@VendorAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['VendorQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('TotalBalanceFilter', '@TotalBalanceFilter'),
            E('CurrencyFilter', '@CurrencyFilter'),
            E('ClassFilter', '@ClassFilter'),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['BarCode'] = Model([
    E('BarCodeValue', 'STR', max_length=50),
    E('AssignEvenIfUsed', 'BOOL'),
    E('AllowOverride', 'BOOL'),
])
MODELS['UnitOfMeasureSetRef'] = ref(31)
MODELS['AccountRef'] = ref(159)
MODELS['SalesOrPurchase'] = Model([
    E('Desc', 'STR', max_length=4095),
    Choice(0, 1, [
        E('Price', 'PRICE', 1, 1),
        E('PricePercent', 'PERCENT', 1, 1),
    ]),
    E('AccountRef', '@AccountRef'),
])
MODELS['IncomeAccountRef'] = ref(159)
MODELS['PurchaseTaxCodeRef'] = ref(3)
MODELS['ExpenseAccountRef'] = ref(159)
MODELS['PrefVendorRef'] = ref(41)
MODELS['SalesAndPurchase'] = Model([
    E('SalesDesc', 'STR', max_length=4095),
    E('SalesPrice', 'PRICE'),
    E('IncomeAccountRef', '@IncomeAccountRef'),
    E('PurchaseDesc', 'STR', max_length=4095),
    E('PurchaseCost', 'PRICE'),
    E('PurchaseTaxCodeRef', '@PurchaseTaxCodeRef'),
    E('ExpenseAccountRef', '@ExpenseAccountRef'),
    E('PrefVendorRef', '@PrefVendorRef'),
])
MODELS['ItemServiceAdd'] = Model([
    E('Name', 'STR', 1, 1, max_length=31),
    E('BarCode', '@BarCode'),
    E('IsActive', 'BOOL'),
    E('ClassRef', '@ClassRef'),
    E('ParentRef', '@ParentRef'),
    E('UnitOfMeasureSetRef', '@UnitOfMeasureSetRef'),
    E('IsTaxIncluded', 'BOOL'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    Choice(1, 1, [
        E('SalesOrPurchase', '@SalesOrPurchase', 1, 1),
        E('SalesAndPurchase', '@SalesAndPurchase', 1, 1),
    ]),
    E('ExternalGUID', 'GUID'),
])
MODELS['ItemServiceAddRq'] = Model(('requestID',), [
    E('ItemServiceAdd', '@ItemServiceAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['SalesOrPurchaseMod'] = Model([
    E('Desc', 'STR', max_length=4095),
    Choice(0, 1, [
        E('Price', 'PRICE', 1, 1),
        E('PricePercent', 'PERCENT', 1, 1),
    ]),
    E('AccountRef', '@AccountRef'),
    E('ApplyAccountRefToExistingTxns', 'BOOL'),
])
MODELS['SalesAndPurchaseMod'] = Model([
    E('SalesDesc', 'STR', max_length=4095),
    E('SalesPrice', 'PRICE'),
    E('IncomeAccountRef', '@IncomeAccountRef'),
    E('ApplyIncomeAccountRefToExistingTxns', 'BOOL'),
    E('PurchaseDesc', 'STR', max_length=4095),
    E('PurchaseCost', 'PRICE'),
    E('PurchaseTaxCodeRef', '@PurchaseTaxCodeRef'),
    E('ExpenseAccountRef', '@ExpenseAccountRef'),
    E('ApplyExpenseAccountRefToExistingTxns', 'BOOL'),
    E('PrefVendorRef', '@PrefVendorRef'),
])
MODELS['ItemServiceMod'] = Model([
    E('ListID', 'ID', 1, 1),
    E('EditSequence', 'STR', 1, 1, max_length=16),
    E('Name', 'STR', max_length=31),
    E('BarCode', '@BarCode'),
    E('IsActive', 'BOOL'),
    E('ClassRef', '@ClassRef'),
    E('ParentRef', '@ParentRef'),
    E('UnitOfMeasureSetRef', '@UnitOfMeasureSetRef'),
    E('ForceUOMChange', 'BOOL'),
    E('IsTaxIncluded', 'BOOL'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    Choice(0, 1, [
        E('SalesOrPurchaseMod', '@SalesOrPurchaseMod', 1, 1),
        E('SalesAndPurchaseMod', '@SalesAndPurchaseMod', 1, 1),
    ]),
])
MODELS['ItemServiceModRq'] = Model(('requestID',), [
    E('ItemServiceMod', '@ItemServiceMod', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ItemServiceQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('ClassFilter', '@ClassFilter'),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['ItemNonInventoryAdd'] = Model([
    E('Name', 'STR', 1, 1, max_length=31),
    E('BarCode', '@BarCode'),
    E('IsActive', 'BOOL'),
    E('ParentRef', '@ParentRef'),
    E('ClassRef', '@ClassRef'),
    E('ManufacturerPartNumber', 'STR', max_length=31),
    E('UnitOfMeasureSetRef', '@UnitOfMeasureSetRef'),
    E('IsTaxIncluded', 'BOOL'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    Choice(1, 1, [
        E('SalesOrPurchase', '@SalesOrPurchase', 1, 1),
        E('SalesAndPurchase', '@SalesAndPurchase', 1, 1),
    ]),
    E('ExternalGUID', 'GUID'),
])
MODELS['ItemNonInventoryAddRq'] = Model(('requestID',), [
    E('ItemNonInventoryAdd', '@ItemNonInventoryAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ItemNonInventoryQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('ClassFilter', '@ClassFilter'),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['ItemQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['AccountQueryRq'] = Model(('requestID', 'metaData'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('AccountType', 'ENUM', 0, None, enum=('AccountsPayable', 'AccountsReceivable', 'Bank', 'CostOfGoodsSold', 'CreditCard', 'Equity', 'Expense', 'FixedAsset', 'Income', 'LongTermLiability', 'NonPosting', 'OtherAsset', 'OtherCurrentAsset', 'OtherCurrentLiability', 'OtherExpense', 'OtherIncome')),
            E('CurrencyFilter', '@CurrencyFilter'),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['TermsQueryRq'] = Model(('requestID', 'metaData'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ClassQueryRq'] = Model(('requestID', 'metaData'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['SalesTaxCodeQueryRq'] = Model(('requestID', 'metaData'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ItemSalesTaxQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('ClassFilter', '@ClassFilter'),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['PaymentMethodQueryRq'] = Model(('requestID', 'metaData'), [
    Choice(0, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            E('ActiveStatus', 'ENUM', enum=('ActiveOnly', 'InactiveOnly', 'All')),
            E('FromModifiedDate', 'DATETIME'),
            E('ToModifiedDate', 'DATETIME'),
            Choice(0, 1, [
                E('NameFilter', '@NameFilter', 1, 1),
                E('NameRangeFilter', '@NameRangeFilter', 1, 1),
            ]),
            E('PaymentMethodType', 'ENUM', 0, None, enum=('AmericanExpress', 'Cash', 'Check', 'DebitCard', 'Discover', 'ECheck', 'GiftCard', 'MasterCard', 'Other', 'OtherCreditCard', 'Visa')),
        ]),
    ]),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['CustomerRef'] = ref(209)
MODELS['ARAccountRef'] = ref(159)
MODELS['TemplateRef'] = ref(31)
MODELS['ShipMethodRef'] = ref(15)
MODELS['CustomerMsgRef'] = ref(101)
MODELS['CustomerSalesTaxCodeRef'] = ref(3)
MODELS['CreditTxnID'] = text('ID', ('useMacro',))
MODELS['SetCredit'] = Model(('useMacro',), [
    E('CreditTxnID', '@CreditTxnID', 1, 1),
    E('TxnLineID', 'ID'),
    E('AppliedAmount', 'AMT', 1, 1),
    E('Override', 'BOOL'),
])
MODELS['ItemRef'] = ref(None)
MODELS['InventorySiteRef'] = ref(31)
MODELS['InventorySiteLocationRef'] = ref(31)
MODELS['OverrideItemAccountRef'] = ref(159)
MODELS['LinkToTxn'] = Model([
    E('TxnID', 'ID', 1, 1),
    E('TxnLineID', 'ID', 1, 1),
])
MODELS['DataExt'] = Model([
    E('OwnerID', 'GUID', 1, 1),
    E('DataExtName', 'STR', 1, 1, max_length=31),
    E('DataExtValue', 'STR', 1, 1),
])
MODELS['InvoiceLineAdd'] = Model(('defMacro',), [
    E('ItemRef', '@ItemRef'),
    E('Desc', 'STR', max_length=4095),
    E('Quantity', 'QUAN'),
    E('UnitOfMeasure', 'STR', max_length=31),
    Choice(0, 1, [
        E('Rate', 'PRICE', 1, 1),
        E('RatePercent', 'PERCENT', 1, 1),
        E('PriceLevelRef', '@PriceLevelRef', 1, 1),
    ]),
    E('ClassRef', '@ClassRef'),
    E('Amount', 'AMT'),
    E('TaxAmount', 'AMT'),
    E('OptionForPriceRuleConflict', 'ENUM', enum=('Zero', 'BasePrice')),
    E('InventorySiteRef', '@InventorySiteRef'),
    E('InventorySiteLocationRef', '@InventorySiteLocationRef'),
    Choice(0, 1, [
        E('SerialNumber', 'STR', max_length=4095),
        E('LotNumber', 'STR', max_length=40),
    ]),
    E('ServiceDate', 'DATE'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    E('IsTaxable', 'BOOL'),
    E('OverrideItemAccountRef', '@OverrideItemAccountRef'),
    E('Other1', 'STR', max_length=29),
    E('Other2', 'STR', max_length=29),
    E('LinkToTxn', '@LinkToTxn'),
    E('DataExt', '@DataExt', 0, None),
])
MODELS['ItemGroupRef'] = ref(31)
MODELS['InvoiceLineGroupAdd'] = Model([
    E('ItemGroupRef', '@ItemGroupRef', 1, 1),
    E('Desc', 'STR'),
    E('Quantity', 'QUAN'),
    E('UnitOfMeasure', 'STR', max_length=31),
    E('ServiceDate', 'DATE'),
    E('InventorySiteRef', '@InventorySiteRef'),
    E('InventorySiteLocationRef', '@InventorySiteLocationRef'),
    E('DataExt', '@DataExt', 0, None),
])
MODELS['DiscountLineAdd'] = Model([
    Choice(0, 1, [
        E('Amount', 'AMT', 1, 1),
        E('RatePercent', 'PERCENT', 1, 1),
    ]),
    E('IsTaxable', 'BOOL'),
    E('AccountRef', '@AccountRef'),
])
MODELS['SalesTaxLineAdd'] = Model([
    Choice(0, 1, [
        E('Amount', 'AMT', 1, 1),
        E('RatePercent', 'PERCENT', 1, 1),
    ]),
    E('AccountRef', '@AccountRef'),
])
MODELS['ShippingLineAdd'] = Model([
    E('Amount', 'AMT', 1, 1),
    E('AccountRef', '@AccountRef'),
])
MODELS['InvoiceAdd'] = Model(('defMacro',), [
    E('CustomerRef', '@CustomerRef', 1, 1),
    E('ClassRef', '@ClassRef'),
    E('ARAccountRef', '@ARAccountRef'),
    E('TemplateRef', '@TemplateRef'),
    E('TxnDate', 'DATE'),
    E('RefNumber', 'STR', max_length=11),
    E('BillAddress', '@BillAddress'),
    E('ShipAddress', '@ShipAddress'),
    E('IsPending', 'BOOL'),
    E('IsFinanceCharge', 'BOOL'),
    E('PONumber', 'STR', max_length=25),
    E('TermsRef', '@TermsRef'),
    E('DueDate', 'DATE'),
    E('SalesRepRef', '@SalesRepRef'),
    E('FOB', 'STR', max_length=13),
    E('ShipDate', 'DATE'),
    E('ShipMethodRef', '@ShipMethodRef'),
    E('ItemSalesTaxRef', '@ItemSalesTaxRef'),
    E('Memo', 'STR', max_length=4095),
    E('CustomerMsgRef', '@CustomerMsgRef'),
    E('IsToBePrinted', 'BOOL'),
    E('IsToBeEmailed', 'BOOL'),
    E('IsTaxIncluded', 'BOOL'),
    E('CustomerSalesTaxCodeRef', '@CustomerSalesTaxCodeRef'),
    E('Other', 'STR', max_length=29),
    E('ExchangeRate', 'FLOAT'),
    E('ExternalGUID', 'GUID'),
    E('LinkToTxnID', 'ID', 0, None),
    E('SetCredit', '@SetCredit', 0, None),
    Choice(0, None, [
        E('InvoiceLineAdd', '@InvoiceLineAdd', 1, 1),
        E('InvoiceLineGroupAdd', '@InvoiceLineGroupAdd', 1, 1),
    ]),
    E('DiscountLineAdd', '@DiscountLineAdd'),
    E('SalesTaxLineAdd', '@SalesTaxLineAdd'),
    E('ShippingLineAdd', '@ShippingLineAdd'),
])
MODELS['InvoiceAddRq'] = Model(('requestID',), [
    E('InvoiceAdd', '@InvoiceAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['OverrideUOMSetRef'] = ref(31)
MODELS['InvoiceLineMod'] = Model([
    E('TxnLineID', 'ID', 1, 1),
    E('ItemRef', '@ItemRef'),
    E('Desc', 'STR', max_length=4095),
    E('Quantity', 'QUAN'),
    E('UnitOfMeasure', 'STR', max_length=31),
    E('OverrideUOMSetRef', '@OverrideUOMSetRef'),
    Choice(0, 1, [
        E('Rate', 'PRICE', 1, 1),
        E('RatePercent', 'PERCENT', 1, 1),
        E('PriceLevelRef', '@PriceLevelRef', 1, 1),
    ]),
    E('ClassRef', '@ClassRef'),
    E('Amount', 'AMT'),
    E('TaxAmount', 'AMT'),
    E('OptionForPriceRuleConflict', 'ENUM', enum=('Zero', 'BasePrice')),
    E('InventorySiteRef', '@InventorySiteRef'),
    E('InventorySiteLocationRef', '@InventorySiteLocationRef'),
    Choice(0, 1, [
        E('SerialNumber', 'STR', max_length=4095),
        E('LotNumber', 'STR', max_length=40),
    ]),
    E('ServiceDate', 'DATE'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    E('OverrideItemAccountRef', '@OverrideItemAccountRef'),
    E('Other1', 'STR', max_length=29),
    E('Other2', 'STR', max_length=29),
])
MODELS['InvoiceLineGroupMod'] = Model([
    E('TxnLineID', 'ID', 1, 1),
    E('ItemGroupRef', '@ItemGroupRef'),
    E('Quantity', 'QUAN'),
    E('UnitOfMeasure', 'STR', max_length=31),
    E('OverrideUOMSetRef', '@OverrideUOMSetRef'),
    E('InvoiceLineMod', '@InvoiceLineMod', 0, None),
])
MODELS['InvoiceMod'] = Model([
    E('TxnID', 'ID', 1, 1),
    E('EditSequence', 'STR', 1, 1, max_length=16),
    E('CustomerRef', '@CustomerRef'),
    E('ClassRef', '@ClassRef'),
    E('ARAccountRef', '@ARAccountRef'),
    E('TemplateRef', '@TemplateRef'),
    E('TxnDate', 'DATE'),
    E('RefNumber', 'STR', max_length=11),
    E('BillAddress', '@BillAddress'),
    E('ShipAddress', '@ShipAddress'),
    E('IsPending', 'BOOL'),
    E('PONumber', 'STR', max_length=25),
    E('TermsRef', '@TermsRef'),
    E('DueDate', 'DATE'),
    E('SalesRepRef', '@SalesRepRef'),
    E('FOB', 'STR', max_length=13),
    E('ShipDate', 'DATE'),
    E('ShipMethodRef', '@ShipMethodRef'),
    E('ItemSalesTaxRef', '@ItemSalesTaxRef'),
    E('Memo', 'STR', max_length=4095),
    E('CustomerMsgRef', '@CustomerMsgRef'),
    E('IsToBePrinted', 'BOOL'),
    E('IsToBeEmailed', 'BOOL'),
    E('IsTaxIncluded', 'BOOL'),
    E('CustomerSalesTaxCodeRef', '@CustomerSalesTaxCodeRef'),
    E('Other', 'STR', max_length=29),
    E('ExchangeRate', 'FLOAT'),
    E('SetCredit', '@SetCredit', 0, None),
    Choice(0, None, [
        E('InvoiceLineMod', '@InvoiceLineMod', 1, 1),
        E('InvoiceLineGroupMod', '@InvoiceLineGroupMod', 1, 1),
    ]),
])
MODELS['InvoiceModRq'] = Model(('requestID',), [
    E('InvoiceMod', '@InvoiceMod', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ModifiedDateRangeFilter'] = Model([
    E('FromModifiedDate', 'DATETIME'),
    E('ToModifiedDate', 'DATETIME'),
])
MODELS['TxnDateRangeFilter'] = Model([
    Choice(1, 1, [
        Seq(1, 1, [
            E('FromTxnDate', 'DATE'),
            E('ToTxnDate', 'DATE'),
        ]),
        E('DateMacro', 'ENUM', 1, 1, enum=('All', 'Today', 'ThisWeek', 'ThisWeekToDate', 'ThisMonth', 'ThisMonthToDate', 'ThisCalendarQuarter', 'ThisCalendarQuarterToDate', 'ThisFiscalQuarter', 'ThisFiscalQuarterToDate', 'ThisCalendarYear', 'ThisCalendarYearToDate', 'ThisFiscalYear', 'ThisFiscalYearToDate', 'Yesterday', 'LastWeek', 'LastWeekToDate', 'LastMonth', 'LastMonthToDate', 'LastCalendarQuarter', 'LastCalendarQuarterToDate', 'LastFiscalQuarter', 'LastFiscalQuarterToDate', 'LastCalendarYear', 'LastCalendarYearToDate', 'LastFiscalYear', 'LastFiscalYearToDate', 'NextWeek', 'NextFourWeeks', 'NextMonth', 'NextCalendarQuarter', 'NextCalendarYear', 'NextFiscalQuarter', 'NextFiscalYear')),
    ]),
])
MODELS['EntityFilter'] = Model([
    Choice(1, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        E('ListIDWithChildren', 'ID', 1, 1),
        E('FullNameWithChildren', 'STR', 1, 1),
    ]),
])
MODELS['AccountFilter'] = Model([
    Choice(1, 1, [
        E('ListID', 'ID', 1, None),
        E('FullName', 'STR', 1, None),
        E('ListIDWithChildren', 'ID', 1, 1),
        E('FullNameWithChildren', 'STR', 1, 1),
    ]),
])
MODELS['RefNumberFilter'] = Model([
    E('MatchCriterion', 'ENUM', 1, 1, enum=('StartsWith', 'Contains', 'EndsWith')),
    E('RefNumber', 'STR', 1, 1),
])
MODELS['RefNumberRangeFilter'] = Model([
    E('FromRefNumber', 'STR'),
    E('ToRefNumber', 'STR'),
])
MODELS['InvoiceQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('TxnID', 'ID', 1, None),
        E('RefNumber', 'STR', 1, None),
        E('RefNumberCaseSensitive', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            Choice(0, 1, [
                E('ModifiedDateRangeFilter', '@ModifiedDateRangeFilter', 1, 1),
                E('TxnDateRangeFilter', '@TxnDateRangeFilter', 1, 1),
            ]),
            E('EntityFilter', '@EntityFilter'),
            E('AccountFilter', '@AccountFilter'),
            Choice(0, 1, [
                E('RefNumberFilter', '@RefNumberFilter', 1, 1),
                E('RefNumberRangeFilter', '@RefNumberRangeFilter', 1, 1),
            ]),
            E('CurrencyFilter', '@CurrencyFilter'),
            E('PaidStatus', 'ENUM', enum=('All', 'PaidOnly', 'NotPaidOnly')),
        ]),
    ]),
    E('IncludeLineItems', 'BOOL'),
    E('IncludeLinkedTxns', 'BOOL'),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['CreditCardTxnInputInfo'] = Model([
    E('CreditCardNumber', 'STR', 1, 1, max_length=25),
    E('ExpirationMonth', 'INT', 1, 1),
    E('ExpirationYear', 'INT', 1, 1),
    E('NameOnCard', 'STR', 1, 1, max_length=41),
    E('CreditCardAddress', 'STR', max_length=41),
    E('CreditCardPostalCode', 'STR', max_length=18),
    E('CommercialCardCode', 'STR', max_length=24),
    E('TransactionMode', 'ENUM', enum=('CardNotPresent', 'CardPresent')),
    E('CreditCardTxnType', 'ENUM', enum=('Authorization', 'Capture', 'Charge', 'Refund', 'VoiceAuthorization')),
])
MODELS['CreditCardTxnResultInfo'] = Model([
    E('ResultCode', 'INT', 1, 1),
    E('ResultMessage', 'STR', 1, 1, max_length=60),
    E('CreditCardTransID', 'STR', 1, 1, max_length=24),
    E('MerchantAccountNumber', 'STR', 1, 1, max_length=32),
    E('AuthorizationCode', 'STR', max_length=12),
    E('AVSStreet', 'ENUM', enum=('Pass', 'Fail', 'NotAvailable')),
    E('AVSZip', 'ENUM', enum=('Pass', 'Fail', 'NotAvailable')),
    E('CardSecurityCodeMatch', 'ENUM', enum=('Pass', 'Fail', 'NotAvailable')),
    E('ReconBatchID', 'STR', max_length=84),
    E('PaymentGroupingCode', 'INT'),
    E('PaymentStatus', 'ENUM', 1, 1, enum=('Unknown', 'Completed')),
    E('TxnAuthorizationTime', 'DATETIME', 1, 1),
    E('TxnAuthorizationStamp', 'INT'),
    E('ClientTransID', 'STR', max_length=16),
])
MODELS['CreditCardTxnInfo'] = Model([
    E('CreditCardTxnInputInfo', '@CreditCardTxnInputInfo', 1, 1),
    E('CreditCardTxnResultInfo', '@CreditCardTxnResultInfo', 1, 1),
])
MODELS['CreditMemoLineAdd'] = Model(('defMacro',), [
    E('ItemRef', '@ItemRef'),
    E('Desc', 'STR', max_length=4095),
    E('Quantity', 'QUAN'),
    E('UnitOfMeasure', 'STR', max_length=31),
    Choice(0, 1, [
        E('Rate', 'PRICE', 1, 1),
        E('RatePercent', 'PERCENT', 1, 1),
        E('PriceLevelRef', '@PriceLevelRef', 1, 1),
    ]),
    E('ClassRef', '@ClassRef'),
    E('Amount', 'AMT'),
    E('TaxAmount', 'AMT'),
    E('InventorySiteRef', '@InventorySiteRef'),
    E('InventorySiteLocationRef', '@InventorySiteLocationRef'),
    Choice(0, 1, [
        E('SerialNumber', 'STR', max_length=4095),
        E('LotNumber', 'STR', max_length=40),
    ]),
    E('ServiceDate', 'DATE'),
    E('SalesTaxCodeRef', '@SalesTaxCodeRef'),
    E('IsTaxable', 'BOOL'),
    E('OverrideItemAccountRef', '@OverrideItemAccountRef'),
    E('Other1', 'STR', max_length=29),
    E('Other2', 'STR', max_length=29),
    E('CreditCardTxnInfo', '@CreditCardTxnInfo'),
    E('DataExt', '@DataExt', 0, None),
])
MODELS['CreditMemoLineGroupAdd'] = Model([
    E('ItemGroupRef', '@ItemGroupRef', 1, 1),
    E('Desc', 'STR'),
    E('Quantity', 'QUAN'),
    E('UnitOfMeasure', 'STR', max_length=31),
    E('ServiceDate', 'DATE'),
    E('InventorySiteRef', '@InventorySiteRef'),
    E('InventorySiteLocationRef', '@InventorySiteLocationRef'),
    E('DataExt', '@DataExt', 0, None),
])
MODELS['CreditMemoAdd'] = Model(('defMacro',), [
    E('CustomerRef', '@CustomerRef', 1, 1),
    E('ClassRef', '@ClassRef'),
    E('ARAccountRef', '@ARAccountRef'),
    E('TemplateRef', '@TemplateRef'),
    E('TxnDate', 'DATE'),
    E('RefNumber', 'STR', max_length=11),
    E('BillAddress', '@BillAddress'),
    E('ShipAddress', '@ShipAddress'),
    E('IsPending', 'BOOL'),
    E('PONumber', 'STR', max_length=25),
    E('TermsRef', '@TermsRef'),
    E('DueDate', 'DATE'),
    E('SalesRepRef', '@SalesRepRef'),
    E('FOB', 'STR', max_length=13),
    E('ShipDate', 'DATE'),
    E('ShipMethodRef', '@ShipMethodRef'),
    E('ItemSalesTaxRef', '@ItemSalesTaxRef'),
    E('Memo', 'STR', max_length=4095),
    E('CustomerMsgRef', '@CustomerMsgRef'),
    E('IsToBePrinted', 'BOOL'),
    E('IsToBeEmailed', 'BOOL'),
    E('IsTaxIncluded', 'BOOL'),
    E('CustomerSalesTaxCodeRef', '@CustomerSalesTaxCodeRef'),
    E('Other', 'STR', max_length=29),
    E('ExchangeRate', 'FLOAT'),
    E('ExternalGUID', 'GUID'),
    Choice(1, None, [
        E('CreditMemoLineAdd', '@CreditMemoLineAdd', 1, 1),
        E('CreditMemoLineGroupAdd', '@CreditMemoLineGroupAdd', 1, 1),
    ]),
    E('DiscountLineAdd', '@DiscountLineAdd'),
    E('SalesTaxLineAdd', '@SalesTaxLineAdd'),
    E('ShippingLineAdd', '@ShippingLineAdd'),
])
MODELS['CreditMemoAddRq'] = Model(('requestID',), [
    E('CreditMemoAdd', '@CreditMemoAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['CreditMemoQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('TxnID', 'ID', 1, None),
        E('RefNumber', 'STR', 1, None),
        E('RefNumberCaseSensitive', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            Choice(0, 1, [
                E('ModifiedDateRangeFilter', '@ModifiedDateRangeFilter', 1, 1),
                E('TxnDateRangeFilter', '@TxnDateRangeFilter', 1, 1),
            ]),
            E('EntityFilter', '@EntityFilter'),
            E('AccountFilter', '@AccountFilter'),
            Choice(0, 1, [
                E('RefNumberFilter', '@RefNumberFilter', 1, 1),
                E('RefNumberRangeFilter', '@RefNumberRangeFilter', 1, 1),
            ]),
            E('CurrencyFilter', '@CurrencyFilter'),
        ]),
    ]),
    E('IncludeLineItems', 'BOOL'),
    E('IncludeLinkedTxns', 'BOOL'),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['PaymentMethodRef'] = ref(31)
MODELS['DepositToAccountRef'] = ref(159)
MODELS['TxnID'] = text('ID', ('useMacro',))
MODELS['TxnLineDetail'] = Model([
    E('TxnLineID', 'ID', 1, 1),
    E('Amount', 'AMT', 1, 1),
])
MODELS['DiscountAccountRef'] = ref(159)
MODELS['DiscountClassRef'] = ref(159)
MODELS['AppliedToTxnAdd'] = Model(('useMacro',), [
    E('TxnID', '@TxnID', 1, 1),
    E('PaymentAmount', 'AMT'),
    E('TxnLineDetail', '@TxnLineDetail', 0, None),
    E('SetCredit', '@SetCredit', 0, None),
    E('DiscountAmount', 'AMT'),
    E('DiscountAccountRef', '@DiscountAccountRef'),
    E('DiscountClassRef', '@DiscountClassRef'),
])
MODELS['ReceivePaymentAdd'] = Model(('defMacro',), [
    E('CustomerRef', '@CustomerRef', 1, 1),
    E('ARAccountRef', '@ARAccountRef'),
    E('TxnDate', 'DATE'),
    E('RefNumber', 'STR', max_length=20),
    E('TotalAmount', 'AMT'),
    E('ExchangeRate', 'FLOAT'),
    E('PaymentMethodRef', '@PaymentMethodRef'),
    E('Memo', 'STR', max_length=4095),
    E('DepositToAccountRef', '@DepositToAccountRef'),
    E('CreditCardTxnInfo', '@CreditCardTxnInfo'),
    E('ExternalGUID', 'GUID'),
    Choice(1, 1, [
        E('IsAutoApply', 'BOOL', 1, 1),
        E('AppliedToTxnAdd', '@AppliedToTxnAdd', 1, None),
    ]),
])
MODELS['ReceivePaymentAddRq'] = Model(('requestID',), [
    E('ReceivePaymentAdd', '@ReceivePaymentAdd', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['AppliedToTxnMod'] = Model(('useMacro',), [
    E('TxnID', '@TxnID', 1, 1),
    E('PaymentAmount', 'AMT'),
    E('TxnLineDetail', '@TxnLineDetail', 0, None),
    E('SetCredit', '@SetCredit', 0, None),
    E('DiscountAmount', 'AMT'),
    E('DiscountAccountRef', '@DiscountAccountRef'),
    E('DiscountClassRef', '@DiscountClassRef'),
])
MODELS['ReceivePaymentMod'] = Model([
    E('TxnID', 'ID', 1, 1),
    E('EditSequence', 'STR', 1, 1, max_length=16),
    E('CustomerRef', '@CustomerRef'),
    E('ARAccountRef', '@ARAccountRef'),
    E('TxnDate', 'DATE'),
    E('RefNumber', 'STR', max_length=20),
    E('TotalAmount', 'AMT'),
    E('ExchangeRate', 'FLOAT'),
    E('PaymentMethodRef', '@PaymentMethodRef'),
    E('Memo', 'STR', max_length=4095),
    E('DepositToAccountRef', '@DepositToAccountRef'),
    E('CreditCardTxnInfoMod', '@CreditCardTxnInfo'),
    E('AppliedToTxnMod', '@AppliedToTxnMod', 0, None),
])
MODELS['ReceivePaymentModRq'] = Model(('requestID',), [
    E('ReceivePaymentMod', '@ReceivePaymentMod', 1, 1),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ReceivePaymentQueryRq'] = Model(('requestID', 'metaData', 'iterator', 'iteratorID'), [
    Choice(0, 1, [
        E('TxnID', 'ID', 1, None),
        E('RefNumber', 'STR', 1, None),
        E('RefNumberCaseSensitive', 'STR', 1, None),
        Seq(1, 1, [
            E('MaxReturned', 'INT'),
            Choice(0, 1, [
                E('ModifiedDateRangeFilter', '@ModifiedDateRangeFilter', 1, 1),
                E('TxnDateRangeFilter', '@TxnDateRangeFilter', 1, 1),
            ]),
            E('EntityFilter', '@EntityFilter'),
            E('AccountFilter', '@AccountFilter'),
            Choice(0, 1, [
                E('RefNumberFilter', '@RefNumberFilter', 1, 1),
                E('RefNumberRangeFilter', '@RefNumberRangeFilter', 1, 1),
            ]),
            E('CurrencyFilter', '@CurrencyFilter'),
        ]),
    ]),
    E('IncludeLineItems', 'BOOL'),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['TxnDelRq'] = Model(('requestID',), [
    E('TxnDelType', 'ENUM', 1, 1, enum=('ARRefundCreditCard', 'Bill', 'BillPaymentCheck', 'BillPaymentCreditCard', 'BuildAssembly', 'Charge', 'Check', 'CreditCardCharge', 'CreditCardCredit', 'CreditMemo', 'Deposit', 'Estimate', 'InventoryAdjustment', 'Invoice', 'ItemReceipt', 'JournalEntry', 'PurchaseOrder', 'ReceivePayment', 'SalesOrder', 'SalesReceipt', 'SalesTaxPaymentCheck', 'TimeTracking', 'TransferInventory', 'VehicleMileage', 'VendorCredit')),
    E('TxnID', 'ID', 1, 1),
])
MODELS['TxnVoidRq'] = Model(('requestID',), [
    E('TxnVoidType', 'ENUM', 1, 1, enum=('ARRefundCreditCard', 'Bill', 'BillPaymentCheck', 'BillPaymentCreditCard', 'Charge', 'Check', 'CreditCardCharge', 'CreditCardCredit', 'CreditMemo', 'Deposit', 'InventoryAdjustment', 'Invoice', 'ItemReceipt', 'JournalEntry', 'SalesReceipt', 'VendorCredit')),
    E('TxnID', 'ID', 1, 1),
])
MODELS['IncludeListMetaData'] = Model([
    E('IncludeMaxCapacity', 'BOOL', 1, 1),
])
MODELS['HostQueryRq'] = Model(('requestID',), [
    E('IncludeListMetaData', '@IncludeListMetaData'),
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['CompanyQueryRq'] = Model(('requestID',), [
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
    E('OwnerID', 'GUID', 0, None),
])
MODELS['PreferencesQueryRq'] = Model(('requestID',), [
    E('IncludeRetElement', 'STR', 0, None, max_length=50),
])
MODELS['ListObjRef'] = ref(159)
MODELS['DataExtAdd'] = Model([
    E('OwnerID', 'GUID', 1, 1),
    E('DataExtName', 'STR', 1, 1, max_length=31),
    Choice(1, 1, [
        Seq(1, 1, [
            E('ListDataExtType', 'ENUM', 1, 1, enum=('Account', 'Customer', 'Employee', 'Item', 'OtherName', 'Vendor')),
            E('ListObjRef', '@ListObjRef', 1, 1),
        ]),
        Seq(1, 1, [
            E('TxnDataExtType', 'ENUM', 1, 1, enum=('ARRefundCreditCard', 'Bill', 'BillPaymentCheck', 'BillPaymentCreditCard', 'BuildAssembly', 'Charge', 'Check', 'CreditCardCharge', 'CreditCardCredit', 'CreditMemo', 'Deposit', 'Estimate', 'InventoryAdjustment', 'Invoice', 'ItemReceipt', 'JournalEntry', 'PurchaseOrder', 'ReceivePayment', 'SalesOrder', 'SalesReceipt', 'SalesTaxPaymentCheck', 'VendorCredit')),
            E('TxnID', '@TxnID', 1, 1),
            E('TxnLineID', 'ID'),
        ]),
        E('OtherDataExtType', 'ENUM', 1, 1, enum=('Company',)),
    ]),
    E('DataExtValue', 'STR', 1, 1),
])
MODELS['DataExtAddRq'] = Model(('requestID',), [
    E('DataExtAdd', '@DataExtAdd', 1, 1),
])

# Every request of the qbXML 13.0 message set (QBXMLMsgsRq).  A request listed here that the
# emulator does not serve is answered with status 1030; a name that is not here is not qbXML.
QBXML13_REQUESTS = frozenset("""
HostQueryRq CompanyQueryRq CompanyActivityQueryRq PreferencesQueryRq AccountAddRq AccountModRq
AccountQueryRq SpecialAccountAddRq AccountTaxLineInfoQueryRq LeadAddRq LeadModRq LeadQueryRq
CustomerAddRq CustomerModRq CustomerQueryRq EmployeeAddRq EmployeeModRq EmployeeQueryRq
OtherNameAddRq OtherNameModRq OtherNameQueryRq VendorAddRq VendorModRq VendorQueryRq EntityQueryRq
StandardTermsAddRq StandardTermsQueryRq DateDrivenTermsAddRq DateDrivenTermsQueryRq TermsQueryRq
ClassAddRq ClassModRq ClassQueryRq SalesRepAddRq SalesRepModRq SalesRepQueryRq CustomerTypeAddRq
CustomerTypeQueryRq VendorTypeAddRq VendorTypeQueryRq JobTypeAddRq JobTypeQueryRq CustomerMsgAddRq
CustomerMsgQueryRq PaymentMethodAddRq PaymentMethodQueryRq ShipMethodAddRq ShipMethodQueryRq
SalesTaxCodeAddRq SalesTaxCodeModRq SalesTaxCodeQueryRq ToDoAddRq ToDoModRq ToDoQueryRq
ItemServiceAddRq ItemServiceModRq ItemServiceQueryRq ItemNonInventoryAddRq ItemNonInventoryModRq
ItemNonInventoryQueryRq ItemOtherChargeAddRq ItemOtherChargeModRq ItemOtherChargeQueryRq
ItemInventoryAddRq ItemInventoryModRq ItemInventoryQueryRq ItemInventoryAssemblyAddRq
ItemInventoryAssemblyModRq ItemInventoryAssemblyQueryRq ItemFixedAssetAddRq ItemFixedAssetModRq
ItemFixedAssetQueryRq ItemSubtotalAddRq ItemSubtotalModRq ItemSubtotalQueryRq ItemDiscountAddRq
ItemDiscountModRq ItemDiscountQueryRq ItemPaymentAddRq ItemPaymentModRq ItemPaymentQueryRq
ItemSalesTaxAddRq ItemSalesTaxModRq ItemSalesTaxQueryRq ItemSalesTaxGroupAddRq
ItemSalesTaxGroupModRq ItemSalesTaxGroupQueryRq ItemGroupAddRq ItemGroupModRq ItemGroupQueryRq
SpecialItemAddRq ItemQueryRq PayrollItemWageAddRq PayrollItemWageQueryRq PayrollItemNonWageQueryRq
TemplateQueryRq PriceLevelAddRq PriceLevelModRq PriceLevelQueryRq BillingRateAddRq
BillingRateQueryRq VehicleAddRq VehicleModRq VehicleQueryRq UnitOfMeasureSetAddRq
UnitOfMeasureSetQueryRq WorkersCompCodeAddRq WorkersCompCodeModRq WorkersCompCodeQueryRq
SalesTaxReturnQueryRq SalesTaxReturnLineQueryRq CurrencyAddRq CurrencyModRq CurrencyQueryRq
PayrollLastPeriodQueryRq InventorySiteAddRq InventorySiteModRq InventorySiteQueryRq InvoiceAddRq
InvoiceModRq InvoiceQueryRq EstimateAddRq EstimateModRq EstimateQueryRq SalesOrderAddRq
SalesOrderModRq SalesOrderQueryRq SalesReceiptAddRq SalesReceiptModRq SalesReceiptQueryRq
CreditMemoAddRq CreditMemoModRq CreditMemoQueryRq ReceivePaymentAddRq ReceivePaymentModRq
ReceivePaymentQueryRq ReceivePaymentToDepositQueryRq ChargeAddRq ChargeModRq ChargeQueryRq
PurchaseOrderAddRq PurchaseOrderModRq PurchaseOrderQueryRq BillAddRq BillModRq BillQueryRq
ItemReceiptAddRq ItemReceiptModRq ItemReceiptQueryRq VendorCreditAddRq VendorCreditModRq
VendorCreditQueryRq BillPaymentCheckAddRq BillPaymentCheckModRq BillPaymentCheckQueryRq
BillPaymentCreditCardAddRq BillPaymentCreditCardQueryRq BillToPayQueryRq SalesTaxPaymentCheckAddRq
SalesTaxPaymentCheckModRq SalesTaxPaymentCheckQueryRq SalesTaxPayableQueryRq
InventoryAdjustmentAddRq InventoryAdjustmentModRq InventoryAdjustmentQueryRq TimeTrackingAddRq
TimeTrackingModRq TimeTrackingQueryRq CheckAddRq CheckModRq CheckQueryRq CreditCardChargeAddRq
CreditCardChargeModRq CreditCardChargeQueryRq CreditCardCreditAddRq CreditCardCreditModRq
CreditCardCreditQueryRq JournalEntryAddRq JournalEntryModRq JournalEntryQueryRq DepositAddRq
DepositModRq DepositQueryRq ListDelRq ListMergeRq ListDeletedQueryRq TxnDelRq TxnVoidRq
TxnDeletedQueryRq ClearedStatusModRq ListDisplayAddRq ListDisplayModRq TxnDisplayAddRq
TxnDisplayModRq DataEventRecoveryInfoDelRq DataEventRecoveryInfoQueryRq TransactionQueryRq
BuildAssemblyAddRq BuildAssemblyModRq BuildAssemblyQueryRq ItemAssembliesCanBuildQueryRq
ARRefundCreditCardAddRq ARRefundCreditCardQueryRq VehicleMileageAddRq VehicleMileageQueryRq
TransferInventoryAddRq TransferInventoryModRq TransferInventoryQueryRq ItemSitesQueryRq
BarCodeQueryRq TransferAddRq TransferModRq TransferQueryRq GeneralSummaryReportQueryRq
JobReportQueryRq TimeReportQueryRq AgingReportQueryRq BudgetSummaryReportQueryRq
GeneralDetailReportQueryRq CustomDetailReportQueryRq CustomSummaryReportQueryRq
PayrollDetailReportQueryRq PayrollSummaryReportQueryRq DataExtDefAddRq DataExtDefModRq
DataExtDefDelRq DataExtDefQueryRq DataExtAddRq DataExtModRq DataExtDelRq DataEventSubscriptionAddRq
DataEventSubscriptionQueryRq UIEventSubscriptionAddRq UIEventSubscriptionQueryRq
UIExtensionSubscriptionAddRq UIExtensionSubscriptionQueryRq SubscriptionDelRq
""".split())
