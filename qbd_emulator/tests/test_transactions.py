"""Invoices, credit memos and payments: what QuickBooks computes, links, refuses, voids and deletes."""

from decimal import Decimal

import pytest
from conftest import rq, text

INVOICE_ADD = "https://developer.intuit.com/app/developer/qbdesktop/docs/api-reference/qbdesktop/invoiceadd"


def invoice(books, customer="Baker Family", lines="", header="", request_id="1"):
    return books.one(rq("InvoiceAdd", f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>{header}{lines}",
                        request_id))


def line(item, quantity=None, rate=None, amount=None, extra=""):
    parts = [f"<ItemRef><FullName>{item}</FullName></ItemRef>", extra]
    if quantity is not None:
        parts.append(f"<Quantity>{quantity}</Quantity>")
    if rate is not None:
        parts.append(f"<Rate>{rate}</Rate>")
    if amount is not None:
        parts.append(f"<Amount>{amount}</Amount>")
    return f"<InvoiceLineAdd>{''.join(parts)}</InvoiceLineAdd>"


def test_invoice_totals_and_sales_tax_are_computed(books):
    """Amount = Quantity x Rate; a line with only an item takes its price and description; sales tax
    applies to lines whose code is taxable when the customer's is, at the customer's (else the
    company's) tax item rate, rounded half up (""" + INVOICE_ADD + """; Intuit sales tax help)."""
    response = invoice(books, lines=line("Plumbing Labor", quantity="2.5") + line("Faucet", quantity=2)
                       + line("Pipe Fittings", quantity=3, rate="12.35"))
    assert response.get("statusCode") == "0"
    ret = response[0]
    lines = ret.findall("InvoiceLineRet")
    assert [(text(x, "Quantity"), text(x, "Rate"), text(x, "Amount")) for x in lines] == \
        [("2.5", "95.00", "237.50"), ("2", "89.00", "178.00"), ("3", "12.35", "37.05")]
    assert text(lines[0], "Desc") == "Plumbing labor, per hour"
    assert text(ret, "Subtotal") == "452.55"
    assert (text(ret, "ItemSalesTaxRef/FullName"), text(ret, "SalesTaxPercentage")) == ("Alameda County", "10.25")
    assert text(ret, "SalesTaxTotal") == "22.04", "10.25% of 215.05 taxable = 22.042"
    assert (text(ret, "BalanceRemaining"), text(ret, "AppliedAmount"), text(ret, "IsPaid")) == \
        ("474.59", "0.00", "false")


def test_customer_tax_code_and_tax_item_decide_the_tax(books):
    """A non-taxable customer code (Castillo Properties: resale) makes every line non-taxable; the
    customer's tax item (Evergreen: San Francisco 8.625%) wins over the company default."""
    resale = invoice(books, "Castillo Properties", line("Faucet"))[0]
    assert (text(resale, "CustomerSalesTaxCodeRef/FullName"), text(resale, "SalesTaxTotal")) == ("Res", "0.00")
    city = invoice(books, "Evergreen Apartments", line("Faucet", quantity=10))[0]
    assert (text(city, "SalesTaxPercentage"), text(city, "SalesTaxTotal")) == ("8.625", "76.76")
    explicit = invoice(books, "Baker Family", line("Faucet"),
                       header="<ItemSalesTaxRef><FullName>Out of State</FullName></ItemSalesTaxRef>")[0]
    assert text(explicit, "SalesTaxTotal") == "0.00"
    line_code = invoice(books, "Baker Family", line("Faucet", extra="<SalesTaxCodeRef><FullName>Non</FullName>"
                                                                   "</SalesTaxCodeRef>"))[0]
    assert text(line_code, "SalesTaxTotal") == "0.00", "the line's own code wins over the item's"


def test_amount_alone_and_rate_alone(books):
    """An Amount without a Rate stands (the rate is derived when there is a quantity); a Rate alone
    counts once (QuickBooks' form: an empty quantity is one)."""
    ret = invoice(books, lines=line("Materials", quantity=4, amount="50.00") + line("Service Call", rate="60")
                  + "<InvoiceLineAdd><Desc>Thank you for your business</Desc></InvoiceLineAdd>")[0]
    lines = ret.findall("InvoiceLineRet")
    assert (text(lines[0], "Rate"), text(lines[0], "Amount")) == ("12.50", "50.00")
    assert (text(lines[1], "Quantity"), text(lines[1], "Amount")) == (None, "60.00")
    assert (text(lines[2], "ItemRef/FullName"), text(lines[2], "Amount")) == (None, "0.00")


def test_ref_number_is_11_characters_auto_numbered_and_may_repeat(books):
    """InvoiceAdd RefNumber is 11 characters (3070); without one QuickBooks numbers the invoice after
    the last; QuickBooks does not refuse a number another invoice carries, so nothing makes a write
    idempotent (reference sheet §4, §9)."""
    too_long = invoice(books, lines=line("Inspection"), header="<RefNumber>INV/2025/0001</RefNumber>")
    assert too_long.get("statusCode") == "3070"
    assert too_long.get("statusMessage") == 'The string "INV/2025/0001" in the field "RefNumber" is too long.'
    auto = invoice(books, lines=line("Inspection"))[0]
    assert text(auto, "RefNumber") == "1005", "after the seeded 1001-1004"
    for _ in range(2):
        assert invoice(books, lines=line("Inspection"), header="<RefNumber>DUP-1</RefNumber>").get("statusCode") == "0"
    assert books.qb.count(books.path, "Invoice", ref_number="dup-1")["count"] == 2


def test_dates_and_terms(books):
    """TxnDate defaults to today on the QuickBooks PC; DueDate follows the terms (Net 15); a bad date
    is 3020."""
    ret = invoice(books, "Anderson, Kim", line("Inspection"), header="<TxnDate>2025-01-10</TxnDate>")[0]
    assert (text(ret, "TermsRef/FullName"), text(ret, "DueDate")) == ("Net 15", "2025-01-25")
    bad = invoice(books, lines=line("Inspection"), header="<TxnDate>2025-02-30</TxnDate>")
    assert bad.get("statusCode") == "3020"
    date_driven = invoice(books, "Jensen Dental", line("Inspection"), header="<TxnDate>2025-01-20</TxnDate>")[0]
    assert text(date_driven, "DueDate") == "2025-02-15"


def test_invalid_references_in_lines_are_3140(books):
    """``There is an invalid reference to QuickBooks Item "Tax On Sale" in the SalesReceipt line.``
    (effective_qb_sync) - here in an Invoice line; and a customer not in the file (consolibyte#256)."""
    response = invoice(books, lines=line("No Such Item"))
    assert response.get("statusMessage") == 'There is an invalid reference to QuickBooks Item "No Such Item" in ' \
                                            'the Invoice line.'
    response = invoice(books, "Nobody Yet", line("Inspection"))
    assert response.get("statusMessage") == 'There is an invalid reference to QuickBooks Customer "Nobody Yet" in ' \
                                            'the Invoice.'


def test_invoice_query_by_ref_number_lines_and_links_on_request(books):
    """InvoiceQuery by RefNumber (case-insensitive; RefNumberCaseSensitive is not); line items and
    linked transactions only with IncludeLineItems / IncludeLinkedTxns (qbxmlops130.xsd)."""
    plain = books.ret(rq("InvoiceQuery", "<RefNumber>1003</RefNumber>"))
    assert plain.find("InvoiceLineRet") is None and plain.find("LinkedTxn") is None
    full = books.ret(rq("InvoiceQuery", "<RefNumber>1003</RefNumber><IncludeLineItems>true</IncludeLineItems>"
                                        "<IncludeLinkedTxns>true</IncludeLinkedTxns>"))
    assert len(full.findall("InvoiceLineRet")) == 3
    assert (text(full, "LinkedTxn/TxnType"), text(full, "LinkedTxn/Amount")) == ("ReceivePayment", "-500.00")
    books.ok(rq("InvoiceAdd", "<CustomerRef><FullName>Baker Family</FullName></CustomerRef><RefNumber>Ab-7"
                              "</RefNumber>" + line("Inspection")))
    assert books.one(rq("InvoiceQuery", "<RefNumber>AB-7</RefNumber>")).get("statusCode") == "0"
    assert books.one(rq("InvoiceQuery", "<RefNumberCaseSensitive>AB-7</RefNumberCaseSensitive>")).get(
        "statusCode") == "500"


def test_invoice_query_filters(books, company_file):
    """ModifiedDateRangeFilter, TxnDateRangeFilter, EntityFilter (with children), RefNumberFilter,
    PaidStatus, MaxReturned (InvoiceQuery in qbxmlops130.xsd)."""
    company_file.clock.advance(120)
    new = invoice(books, lines=line("Inspection"), header="<RefNumber>F-1</RefNumber>")[0]
    since = text(new, "TimeModified")
    modified = [text(r, "RefNumber") for r in books.ok(rq("InvoiceQuery", "<ModifiedDateRangeFilter><FromModified"
                                                                          f"Date>{since}</FromModifiedDate>"
                                                                          "</ModifiedDateRangeFilter>"))]
    assert modified == ["F-1"]
    march = [text(r, "RefNumber") for r in books.ok(rq("InvoiceQuery", "<TxnDateRangeFilter><FromTxnDate>2024-03-10"
                                                                       "</FromTxnDate><ToTxnDate>2024-03-20</ToTxnDate>"
                                                                       "</TxnDateRangeFilter>"))]
    assert march == ["1002", "1003"]
    family = [text(r, "RefNumber") for r in books.ok(rq("InvoiceQuery", "<EntityFilter><FullNameWithChildren>"
                                                                        "Anderson, Kim</FullNameWithChildren>"
                                                                        "</EntityFilter>"))]
    assert family == ["1001"]
    paid = [text(r, "RefNumber") for r in books.ok(rq("InvoiceQuery", "<PaidStatus>PaidOnly</PaidStatus>"))]
    assert paid == ["1001"]
    starts = [text(r, "RefNumber") for r in books.ok(rq("InvoiceQuery", "<MaxReturned>2</MaxReturned>"
                                                                        "<RefNumberFilter><MatchCriterion>StartsWith"
                                                                        "</MatchCriterion><RefNumber>100</RefNumber>"
                                                                        "</RefNumberFilter>"))]
    assert starts == ["1001", "1002"]


def test_invoice_mod_lines_not_named_are_deleted_and_minus_one_adds(books):
    """"Any line item not specifically identified in a modify request will be deleted"; TxnLineID -1
    adds a line (Intuit "modify requests"; InvoiceMod reference); totals are recomputed and the
    EditSequence must be current (3200)."""
    ret = invoice(books, lines=line("Inspection") + line("Faucet"))[0]
    first, second = ret.findall("InvoiceLineRet")
    body = (f"<TxnID>{text(ret, 'TxnID')}</TxnID><EditSequence>{text(ret, 'EditSequence')}</EditSequence>"
            f"<Memo>Revised</Memo><InvoiceLineMod><TxnLineID>{text(second, 'TxnLineID')}</TxnLineID>"
            "<Quantity>3</Quantity></InvoiceLineMod><InvoiceLineMod><TxnLineID>-1</TxnLineID><ItemRef><FullName>"
            "Service Call</FullName></ItemRef></InvoiceLineMod>")
    changed = books.ret(rq("InvoiceMod", body))
    lines = changed.findall("InvoiceLineRet")
    assert [text(x, "ItemRef/FullName") for x in lines] == ["Faucet", "Service Call"]
    assert text(lines[0], "TxnLineID") == text(second, "TxnLineID")
    assert text(lines[0], "Amount") == "267.00"
    assert text(changed, "Subtotal") == "356.00" and text(changed, "SalesTaxTotal") == "27.37"
    assert text(changed, "Memo") == "Revised"
    assert text(first, "TxnLineID") not in {text(x, "TxnLineID") for x in lines}
    assert books.one(rq("InvoiceMod", body)).get("statusCode") == "3200"


def test_invoice_mod_without_line_mods_keeps_the_lines(books):
    """A Mod that names no lines changes the header only."""
    ret = invoice(books, lines=line("Inspection"))[0]
    changed = books.ret(rq("InvoiceMod", f"<TxnID>{text(ret, 'TxnID')}</TxnID><EditSequence>"
                                         f"{text(ret, 'EditSequence')}</EditSequence><PONumber>PO-77</PONumber>"))
    assert text(changed, "PONumber") == "PO-77" and len(changed.findall("InvoiceLineRet")) == 1


def test_credit_memo_lowers_the_customer_balance(books):
    """CreditMemoAdd: TotalAmount and CreditRemaining; the customer's balance goes down by it."""
    before = books.ret(rq("CustomerQuery", "<FullName>Hill Street Bakery</FullName>"))
    books.ok(rq("InvoiceAdd", "<CustomerRef><FullName>Hill Street Bakery</FullName></CustomerRef>"
             + line("Inspection")))
    memo = books.ret(rq("CreditMemoAdd", "<CustomerRef><FullName>Hill Street Bakery</FullName></CustomerRef>"
                                         "<CreditMemoLineAdd><ItemRef><FullName>Faucet</FullName></ItemRef>"
                                         "</CreditMemoLineAdd>"))
    assert (text(memo, "TotalAmount"), text(memo, "CreditRemaining")) == ("98.12", "98.12")
    after = books.ret(rq("CustomerQuery", "<FullName>Hill Street Bakery</FullName>"))
    assert (text(before, "Balance"), text(after, "Balance")) == ("0.00", "26.88")


def test_payment_applies_to_invoices_and_lowers_balances(books):
    """ReceivePaymentAdd with AppliedToTxnAdd: the invoice's AppliedAmount (negative),
    BalanceRemaining and IsPaid change, the customer's balance drops, and the payment lists
    AppliedToTxnRet; what is not applied is UnusedPayment (ReceivePaymentRet)."""
    ret = invoice(books, "Ito, Ken", line("Inspection") + line("Service Call"))[0]
    payment = books.ret(rq("ReceivePaymentAdd", "<CustomerRef><FullName>Ito, Ken</FullName></CustomerRef>"
                                                "<RefNumber>CHK 311</RefNumber><TotalAmount>250.00</TotalAmount>"
                                                "<PaymentMethodRef><FullName>Check</FullName></PaymentMethodRef>"
                                                f"<AppliedToTxnAdd><TxnID>{text(ret, 'TxnID')}</TxnID>"
                                                "<PaymentAmount>214.00</PaymentAmount></AppliedToTxnAdd>"))
    assert (text(payment, "UnusedPayment"), text(payment, "DepositToAccountRef/FullName")) == \
        ("36.00", "Undeposited Funds")
    assert (text(payment, "AppliedToTxnRet/TxnID"), text(payment, "AppliedToTxnRet/Amount")) == \
        (text(ret, "TxnID"), "214.00")
    paid = books.ret(rq("InvoiceQuery", f"<TxnID>{text(ret, 'TxnID')}</TxnID>"))
    assert (text(paid, "AppliedAmount"), text(paid, "BalanceRemaining"), text(paid, "IsPaid")) == \
        ("-214.00", "0.00", "true")
    customer = books.ret(rq("CustomerQuery", "<FullName>Ito, Ken</FullName>"))
    assert text(customer, "Balance") == "-36.00", "the unused payment is a credit"
    found = books.ret(rq("ReceivePaymentQuery", "<RefNumber>CHK 311</RefNumber>"))
    assert text(found, "TotalAmount") == "250.00"


def test_payment_cannot_pay_more_than_due(books):
    """3210 ``The "AppliedToTxnAdd payment amount" field has an invalid value "129.43".  QuickBooks
    error message: You cannot pay more than the amount due.`` with statusSeverity Info, as consolibyte
    recorded it (Callbacks/SQL/Errors.php); nothing is saved."""
    ret = invoice(books, lines=line("Inspection"))[0]
    before = len(books.objects("ReceivePayment"))
    response = books.one(rq("ReceivePaymentAdd", "<CustomerRef><FullName>Baker Family</FullName></CustomerRef>"
                                                 "<TotalAmount>200.00</TotalAmount><AppliedToTxnAdd>"
                                                 f"<TxnID>{text(ret, 'TxnID')}</TxnID><PaymentAmount>129.43"
                                                 "</PaymentAmount></AppliedToTxnAdd>"))
    assert (response.get("statusCode"), response.get("statusSeverity")) == ("3210", "Info")
    assert response.get("statusMessage") == ('The "AppliedToTxnAdd payment amount" field has an invalid value '
                                             '"129.43".  QuickBooks error message: You cannot pay more than the '
                                             'amount due.')
    assert len(books.objects("ReceivePayment")) == before


def test_payment_to_another_customers_invoice_is_3120(books):
    """A payment applies to its own customer's invoices; another's cannot be found (3120, consolibyte
    handles "cannot be found" on payments)."""
    other = books.ret(rq("InvoiceQuery", "<RefNumber>1002</RefNumber>"))
    response = books.one(rq("ReceivePaymentAdd", "<CustomerRef><FullName>Ito, Ken</FullName></CustomerRef>"
                                                 "<TotalAmount>10.00</TotalAmount><AppliedToTxnAdd>"
                                                 f"<TxnID>{text(other, 'TxnID')}</TxnID></AppliedToTxnAdd>"))
    assert response.get("statusCode") == "3120"


def test_auto_apply_pays_the_oldest_invoices_first(books):
    """IsAutoApply applies the payment to the customer's open invoices, oldest first."""
    first = invoice(books, "Garcia Auto Repair", line("Inspection"), header="<TxnDate>2025-01-01</TxnDate>")[0]
    second = invoice(books, "Garcia Auto Repair", line("Inspection"), header="<TxnDate>2025-02-01</TxnDate>")[0]
    payment = books.ret(rq("ReceivePaymentAdd", "<CustomerRef><FullName>Garcia Auto Repair</FullName></CustomerRef>"
                                                "<TotalAmount>200.00</TotalAmount><IsAutoApply>true</IsAutoApply>"))
    applied = [(text(a, "TxnID"), text(a, "Amount")) for a in payment.findall("AppliedToTxnRet")]
    assert applied == [(text(first, "TxnID"), "125.00"), (text(second, "TxnID"), "75.00")]


def test_void_keeps_the_invoice_with_zero_amounts_and_frees_its_payment(books):
    """TxnVoid keeps the transaction with zero amounts and "VOID:" before its memo; the payment that
    paid it becomes unused (QuickBooks unlinks it)."""
    paid = books.ret(rq("InvoiceQuery", "<RefNumber>1001</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns>"))
    payment_id = text(paid, "LinkedTxn/TxnID")
    response = books.ok(rq("TxnVoid", f"<TxnVoidType>Invoice</TxnVoidType><TxnID>{text(paid, 'TxnID')}</TxnID>"))
    assert (text(response, "TxnVoidType"), text(response, "TxnID"), text(response, "RefNumber")) == \
        ("Invoice", text(paid, "TxnID"), "1001")
    voided = books.ret(rq("InvoiceQuery", "<RefNumber>1001</RefNumber><IncludeLineItems>true</IncludeLineItems>"))
    assert (text(voided, "Subtotal"), text(voided, "BalanceRemaining"), text(voided, "Memo")) == \
        ("0.00", "0.00", "VOID:")
    assert {text(x, "Amount") for x in voided.findall("InvoiceLineRet")} == {"0.00"}
    payment = books.ret(rq("ReceivePaymentQuery", f"<TxnID>{payment_id}</TxnID>"))
    assert text(payment, "UnusedPayment") == "383.12" and payment.find("AppliedToTxnRet") is None


def test_delete_removes_the_transaction_and_reopens_paid_invoices(books):
    """TxnDel removes a payment; the invoices it paid are open again; deleted transactions are not
    returned and a second delete is 3120."""
    dunn = books.ret(rq("InvoiceQuery", "<RefNumber>1003</RefNumber><IncludeLinkedTxns>true</IncludeLinkedTxns>"))
    payment_id = text(dunn, "LinkedTxn/TxnID")
    deleted = books.ok(rq("TxnDel", f"<TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment_id}</TxnID>"))
    assert text(deleted, "TimeDeleted")
    reopened = books.ret(rq("InvoiceQuery", "<RefNumber>1003</RefNumber>"))
    assert (text(reopened, "BalanceRemaining"), text(reopened, "AppliedAmount")) == ("884.23", "0.00")
    assert books.one(rq("ReceivePaymentQuery", f"<TxnID>{payment_id}</TxnID>")).get("statusCode") == "500"
    again = books.one(rq("TxnDel", f"<TxnDelType>ReceivePayment</TxnDelType><TxnID>{payment_id}</TxnID>"))
    assert again.get("statusCode") == "3120"
    assert books.qb.count(books.path, "ReceivePayment", ref_number="208")["count"] == 0


@pytest.mark.parametrize("field", ["SetCredit", "ShippingLineAdd"])
def test_aggregates_the_stand_in_does_not_model_are_a_530_warning(books, field):
    """530 "The field ... is not supported by this implementation." is a warning: the rest is saved
    (Intuit status table)."""
    body = {"SetCredit": "<SetCredit><CreditTxnID>1-1</CreditTxnID><AppliedAmount>1.00</AppliedAmount></SetCredit>",
            "ShippingLineAdd": "<ShippingLineAdd><Amount>5.00</Amount></ShippingLineAdd>"}[field]
    if field == "SetCredit":
        response = invoice(books, header=body, lines=line("Inspection"))
    else:
        response = invoice(books, lines=line("Inspection") + body)
    assert (response.get("statusCode"), response.get("statusSeverity")) == ("530", "Warn")
    assert response.find("InvoiceRet") is not None


def _paid_invoice(books, amount="100.00", customer="Ito, Ken"):
    ret = invoice(books, customer, line("Inspection"))[0]
    payment = books.ret(rq("ReceivePaymentAdd", f"<CustomerRef><FullName>{customer}</FullName></CustomerRef>"
                                                f"<RefNumber>CHK 900</RefNumber><TotalAmount>{amount}</TotalAmount>"
                                                f"<AppliedToTxnAdd><TxnID>{text(ret, 'TxnID')}</TxnID>"
                                                f"<PaymentAmount>{amount}</PaymentAmount></AppliedToTxnAdd>"))
    return ret, payment


def test_payment_mod_changes_the_amount_and_what_it_pays(books):
    """ReceivePaymentMod (qbXML 13.0; element order from consolibyte's ReceivePaymentModRq schema):
    TxnID and the current EditSequence, then the header fields that change; an AppliedToTxnMod sets
    what it applies to that invoice, and the invoice's balance follows; the EditSequence moves on."""
    ret, payment = _paid_invoice(books)
    assert text(books.ret(rq("InvoiceQuery", f"<TxnID>{text(ret, 'TxnID')}</TxnID>")), "BalanceRemaining") == \
        "25.00", "an inspection is 125.00"
    changed = books.ret(rq("ReceivePaymentMod", f"<TxnID>{text(payment, 'TxnID')}</TxnID><EditSequence>"
                                                f"{text(payment, 'EditSequence')}</EditSequence>"
                                                "<TotalAmount>60.00</TotalAmount><Memo>Part</Memo>"
                                                f"<AppliedToTxnMod><TxnID>{text(ret, 'TxnID')}</TxnID>"
                                                "<PaymentAmount>60.00</PaymentAmount></AppliedToTxnMod>"))
    assert (text(changed, "TotalAmount"), text(changed, "Memo"), text(changed, "UnusedPayment")) == \
        ("60.00", "Part", "0.00")
    assert text(changed, "AppliedToTxnRet/Amount") == "60.00"
    assert int(text(changed, "EditSequence")) > int(text(payment, "EditSequence"))
    again = books.ret(rq("InvoiceQuery", f"<TxnID>{text(ret, 'TxnID')}</TxnID>"))
    assert (text(again, "BalanceRemaining"), text(again, "AppliedAmount"), text(again, "IsPaid")) == \
        ("65.00", "-60.00", "false")
    # The stale EditSequence is 3200; nothing changes.
    stale = books.one(rq("ReceivePaymentMod", f"<TxnID>{text(payment, 'TxnID')}</TxnID><EditSequence>"
                                              f"{text(payment, 'EditSequence')}</EditSequence>"
                                              "<TotalAmount>10.00</TotalAmount>"))
    assert stale.get("statusCode") == "3200"
    assert text(books.ret(rq("ReceivePaymentQuery", f"<TxnID>{text(payment, 'TxnID')}</TxnID>")),
                "TotalAmount") == "60.00"


def test_payment_mod_zero_takes_it_off_and_limits_hold(books):
    """PaymentAmount 0.00 takes the payment off an invoice (it opens again, the money is unused);
    more than due is 3210 and more than received is refused, each leaving the payment as it was."""
    ret, payment = _paid_invoice(books)
    txn, edit = text(payment, "TxnID"), text(payment, "EditSequence")
    off = books.ret(rq("ReceivePaymentMod", f"<TxnID>{txn}</TxnID><EditSequence>{edit}</EditSequence>"
                                            f"<AppliedToTxnMod><TxnID>{text(ret, 'TxnID')}</TxnID>"
                                            "<PaymentAmount>0.00</PaymentAmount></AppliedToTxnMod>"))
    assert (text(off, "UnusedPayment"), off.find("AppliedToTxnRet")) == ("100.00", None)
    assert text(books.ret(rq("InvoiceQuery", f"<TxnID>{text(ret, 'TxnID')}</TxnID>")), "BalanceRemaining") == \
        "125.00"
    edit = text(off, "EditSequence")
    too_much = books.one(rq("ReceivePaymentMod", f"<TxnID>{txn}</TxnID><EditSequence>{edit}</EditSequence>"
                                                 "<TotalAmount>500.00</TotalAmount>"
                                                 f"<AppliedToTxnMod><TxnID>{text(ret, 'TxnID')}</TxnID>"
                                                 "<PaymentAmount>150.00</PaymentAmount></AppliedToTxnMod>"))
    assert (too_much.get("statusCode"), too_much.get("statusSeverity")) == ("3210", "Info")
    more_than_received = books.one(rq("ReceivePaymentMod", f"<TxnID>{txn}</TxnID><EditSequence>{edit}"
                                                           "</EditSequence><TotalAmount>50.00</TotalAmount>"
                                                           f"<AppliedToTxnMod><TxnID>{text(ret, 'TxnID')}</TxnID>"
                                                           "<PaymentAmount>80.00</PaymentAmount></AppliedToTxnMod>"))
    assert more_than_received.get("statusCode") == "3210"
    kept = books.ret(rq("ReceivePaymentQuery", f"<TxnID>{txn}</TxnID>"))
    assert (text(kept, "TotalAmount"), text(kept, "EditSequence")) == ("100.00", edit)
    other = books.ret(rq("InvoiceQuery", "<RefNumber>1002</RefNumber>"))
    foreign = books.one(rq("ReceivePaymentMod", f"<TxnID>{txn}</TxnID><EditSequence>{edit}</EditSequence>"
                                                f"<AppliedToTxnMod><TxnID>{text(other, 'TxnID')}</TxnID>"
                                                "</AppliedToTxnMod>"))
    assert foreign.get("statusCode") == "3120"


def test_a_credit_memo_applied_to_an_invoice_with_set_credit(books):
    """ReceivePaymentAdd with TotalAmount 0.00 and an AppliedToTxnAdd carrying SetCredit
    (CreditTxnID, AppliedAmount) uses a credit memo on an invoice (Intuit, "Applying credits":
    ReceivePaymentAdd SetCredit): the invoice's balance and the memo's CreditRemaining go down,
    each lists the other; deleting that payment gives both back; more than the credit left is
    refused, another customer's memo is 3120."""
    ret = invoice(books, "Ito, Ken", line("Inspection"))[0]
    memo = books.ret(rq("CreditMemoAdd", "<CustomerRef><FullName>Ito, Ken</FullName></CustomerRef>"
                                         "<CreditMemoLineAdd><ItemRef><FullName>Service Call</FullName></ItemRef>"
                                         "</CreditMemoLineAdd>"))
    credit = text(memo, "TotalAmount")
    balance_before = text(books.ret(rq("CustomerQuery", "<FullName>Ito, Ken</FullName>")), "Balance")

    own_memo = text(memo, "TxnID")

    def apply(amount, memo_id=own_memo):
        return books.one(rq("ReceivePaymentAdd", "<CustomerRef><FullName>Ito, Ken</FullName></CustomerRef>"
                                                 "<TotalAmount>0.00</TotalAmount><AppliedToTxnAdd>"
                                                 f"<TxnID>{text(ret, 'TxnID')}</TxnID>"
                                                 "<PaymentAmount>0.00</PaymentAmount><SetCredit>"
                                                 f"<CreditTxnID>{memo_id}</CreditTxnID>"
                                                 f"<AppliedAmount>{amount}</AppliedAmount></SetCredit>"
                                                 "</AppliedToTxnAdd>"))

    assert apply("999.00").get("statusCode") == "3210"
    bakers = books.ret(rq("CreditMemoQuery", "<RefNumber>CM-1</RefNumber>"))
    assert text(bakers, "CustomerRef/FullName") == "Baker Family"
    assert apply("1.00", memo_id=text(bakers, "TxnID")).get("statusCode") == "3120", "another customer's credit"
    applied = apply(credit)
    assert applied.get("statusCode") == "0"
    payment = applied[0]
    assert (text(payment, "TotalAmount"), text(payment, "AppliedToTxnRet/LinkedTxn/TxnID"),
            text(payment, "AppliedToTxnRet/LinkedTxn/Amount")) == ("0.00", text(memo, "TxnID"), f"-{credit}")
    paid = books.ret(rq("InvoiceQuery", f"<TxnID>{text(ret, 'TxnID')}</TxnID><IncludeLinkedTxns>true"
                                        "</IncludeLinkedTxns>"))
    expected = Decimal(text(ret, "BalanceRemaining")) - Decimal(credit)
    assert text(paid, "BalanceRemaining") == f"{expected:.2f}"
    assert text(paid, "LinkedTxn/TxnType") in ("CreditMemo", "ReceivePayment")
    used = books.ret(rq("CreditMemoQuery", f"<TxnID>{text(memo, 'TxnID')}</TxnID>"))
    assert text(used, "CreditRemaining") == "0.00"
    assert text(books.ret(rq("CustomerQuery", "<FullName>Ito, Ken</FullName>")), "Balance") == balance_before, \
        "applying a credit moves no money"
    books.ok(rq("TxnDel", f"<TxnDelType>ReceivePayment</TxnDelType><TxnID>{text(payment, 'TxnID')}</TxnID>"))
    assert text(books.ret(rq("CreditMemoQuery", f"<TxnID>{text(memo, 'TxnID')}</TxnID>")), "CreditRemaining") == \
        credit
    assert text(books.ret(rq("InvoiceQuery", f"<TxnID>{text(ret, 'TxnID')}</TxnID>")), "BalanceRemaining") == \
        text(ret, "BalanceRemaining")
