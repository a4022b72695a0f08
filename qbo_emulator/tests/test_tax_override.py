"""Tax supplied by the client outside the US (the Canadian sandbox company: GST 5 % is rate 1,
HST ON 13 % rate 2, PST BC 7 % rate 3; codes 3 GST, 4 HST ON, 5 GST/PST BC, 7 Zero-rated,
8 Out of Scope), tax-inclusive amounts and QuickBooks' rounding of each rate.

Sources:
* Invoice reference, ``TxnTaxDetail``: "This can be calculated by QuickBooks business logic or
  you may supply it when adding a transaction"; ``TaxLineDetail.TaxRateRef``: "the TaxRate
  referenced here must also be one of the rates in the referenced tax code's rate list [...]
  Any given rate may only be listed once"; ``TaxLineDetail.OverrideDeltaAmount``: "The
  difference between the actual tax and the overridden amount supplied by the user";
  ``SalesItemLineDetail.TaxInclusiveAmt``: "The total amount of the line item including tax"
  https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
* The .NET SDK's TaxLineDetail ("This holds the difference between the actual tax and
  overridden amount supplied by the user")
  https://static.developer.intuit.com/sdkdocs/qbv3doc/ippdotnetdevkitv3/html/9a4b9306-4684-179c-4b74-3896047aa53b.htm
* https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
"""

from conftest import fault_of

INVOICE_DOC = "https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice"
GLOBAL_TAX_DOC = "https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales"


def sale(amount, code, item=2, **detail):
    return {"Amount": amount, "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": str(item)}, "TaxCodeRef": {"value": str(code)}, **detail}}


def tax_line(rate, amount):
    return {"Amount": amount, "DetailType": "TaxLineDetail", "TaxLineDetail": {"TaxRateRef": {"value": str(rate)}}}


def by_rate(invoice):
    return {line["TaxLineDetail"]["TaxRateRef"]["value"]: line for line in invoice["TxnTaxDetail"]["TaxLine"]}


def test_each_rate_is_rounded_once_on_the_lines_it_covers(canada):
    """Forty lines of 0.10 at GST 5 %: QuickBooks taxes the 4.00 they add up to (0.20), where
    rounding each line (0.01 x 40 = 0.40) gives another figure.
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
    """
    invoice = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(0.10, 3)] * 40})
    gst = by_rate(invoice)["1"]
    assert gst["TaxLineDetail"]["NetAmountTaxable"] == 4
    assert gst["Amount"] == 0.2 and invoice["TxnTaxDetail"]["TotalTax"] == 0.2
    assert invoice["TotalAmt"] == 4.2


def test_tax_lines_sent_by_the_client_are_kept_with_their_delta(canada):
    """The client's TaxLine amounts are kept per rate; OverrideDeltaAmount records how far they
    are from what QuickBooks computed; TotalTax and TotalAmt follow; a rate left out is computed.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice (TxnTaxDetail)
    """
    invoice = canada.create("Invoice", {
        "CustomerRef": {"value": "1"},
        "Line": [sale(0.10, 3)] * 40 + [sale(250, 5)],
        "TxnTaxDetail": {"TaxLine": [tax_line(1, 12.90), tax_line(3, 17.50)]},
    })
    rates = by_rate(invoice)
    # GST: 5 % of 254.00 is 12.70; the client says 12.90 (its lines rounded one by one).
    assert rates["1"]["Amount"] == 12.9
    assert rates["1"]["TaxLineDetail"]["OverrideDeltaAmount"] == 0.2
    assert rates["1"]["TaxLineDetail"]["NetAmountTaxable"] == 254
    assert rates["3"]["Amount"] == 17.5 and "OverrideDeltaAmount" not in rates["3"]["TaxLineDetail"]
    assert invoice["TxnTaxDetail"]["TotalTax"] == 30.4
    assert invoice["TotalAmt"] == 284.4 and invoice["Balance"] == 284.4

    partly = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(250, 5)],
                                       "TxnTaxDetail": {"TaxLine": [tax_line(3, 20)]}})
    assert by_rate(partly)["1"]["Amount"] == 12.5, "the rate the client left out is computed"
    assert partly["TotalAmt"] == 282.5


def test_a_fixed_amount_tax_goes_through_as_sent(canada):
    """A tax Odoo computes as a fixed amount (31.50 on 300.00 where 12 % would be 36.00):
    QuickBooks keeps the amount supplied for the rate.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice (TxnTaxDetail)
    """
    invoice = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(300, 5)],
                                        "TxnTaxDetail": {"TaxLine": [tax_line(1, 15), tax_line(3, 16.50)]}})
    assert invoice["TxnTaxDetail"]["TotalTax"] == 31.5
    assert invoice["TotalAmt"] == 331.5


def test_a_rate_must_belong_to_the_lines_codes_and_appear_once(canada):
    """"The TaxRate referenced here must also be one of the rates in the referenced tax code's
    rate list [...] Any given rate may only be listed once." (6000 otherwise)
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice (TaxLineDetail)
    """
    foreign = canada.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(100, 3)],
                                      "TxnTaxDetail": {"TaxLine": [tax_line(2, 13)]}})
    assert foreign.status_code == 400
    assert fault_of(foreign)["code"] == "6000"
    assert "not a rate of the tax codes" in fault_of(foreign)["Detail"]
    twice = canada.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(100, 3)],
                                    "TxnTaxDetail": {"TaxLine": [tax_line(1, 5), tax_line(1, 5)]}})
    assert fault_of(twice)["code"] == "6000" and "more than once" in fault_of(twice)["Detail"]
    no_rate = canada.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(100, 3)],
                                      "TxnTaxDetail": {"TaxLine": [{"Amount": 5, "DetailType": "TaxLineDetail"}]}})
    assert fault_of(no_rate)["code"] == "2020"


def test_tax_inclusive_tax_is_computed_on_the_nets(canada):
    """A 100.00 HST-inclusive price: QuickBooks keeps 88.50 net and taxes it 11.51 (13 % of
    88.50, rounded), so the invoice comes to 100.01; supplying Odoo's 11.50 brings it back to
    100.00.  The unit price is the net one, to 7 decimals.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice (TaxInclusiveAmt)
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
    """
    recomputed = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "GlobalTaxCalculation": "TaxInclusive",
                                           "Line": [sale(100, 4, TaxInclusiveAmt=100)]})
    assert recomputed["Line"][0]["Amount"] == 88.5
    assert recomputed["TxnTaxDetail"]["TotalTax"] == 11.51
    assert recomputed["TotalAmt"] == 100.01

    supplied = canada.create("Invoice", {
        "CustomerRef": {"value": "1"}, "GlobalTaxCalculation": "TaxInclusive",
        "Line": [sale(88.5, 4, TaxInclusiveAmt=100, Qty=3, UnitPrice=29.5)],
        "TxnTaxDetail": {"TaxLine": [tax_line(2, 11.50)]},
    })
    line = supplied["Line"][0]
    assert line["Amount"] == 88.5 and line["SalesItemLineDetail"]["TaxInclusiveAmt"] == 100
    assert line["SalesItemLineDetail"]["UnitPrice"] == 29.5
    assert supplied["TxnTaxDetail"]["TotalTax"] == 11.5
    assert by_rate(supplied)["2"]["TaxLineDetail"]["OverrideDeltaAmount"] == -0.01
    assert supplied["TotalAmt"] == 100

    thirds = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "GlobalTaxCalculation": "TaxInclusive",
                                       "Line": [sale(305.46, 3, TaxInclusiveAmt=305.46, Qty=3)]})
    assert thirds["Line"][0]["Amount"] == 290.91
    assert thirds["Line"][0]["SalesItemLineDetail"]["UnitPrice"] == 96.97, "290.91 / 3, to 7 decimals"


def test_sparse_update_without_tax_detail_computes_the_tax_again(canada):
    """Only the request's own TxnTaxDetail is an override: a sparse update that changes the
    lines without sending it has QuickBooks compute the tax.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#sparse-update-an-invoice
    """
    invoice = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(100, 3)],
                                        "TxnTaxDetail": {"TaxLine": [tax_line(1, 6)]}})
    assert invoice["TotalAmt"] == 106
    updated = canada.create("Invoice", {"Id": invoice["Id"], "SyncToken": invoice["SyncToken"], "sparse": True,
                                        "Line": [sale(200, 3)]})
    assert updated["TxnTaxDetail"]["TotalTax"] == 10 and updated["TotalAmt"] == 210
