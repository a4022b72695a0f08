"""Sales tax outside the US (the Canadian sandbox company): a tax code on every line,
GlobalTaxCalculation TaxExcluded, TaxInclusive or NotApplicable."""

from conftest import fault_of

GLOBAL_TAX_DOC = "https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales"


def sale(item, amount, code=None, **detail):
    sales = {"ItemRef": {"value": str(item)}, **detail}
    if code is not None:
        sales["TaxCodeRef"] = {"value": str(code)}
    return {"Amount": amount, "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": sales}


def test_seeded_invoices_carry_hst_and_gst_pst(canada):
    """HST ON 13 % on one invoice; GST 5 % + PST BC 7 % and a zero-rated line on another.
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
    """
    first, second = canada.rows("select * from Invoice orderby Id")
    assert first["TxnTaxDetail"]["TotalTax"] == 156 and first["TotalAmt"] == 1356
    assert first["GlobalTaxCalculation"] == "TaxExcluded"
    assert first["CurrencyRef"] == {"value": "CAD", "name": "Canadian Dollar"}
    assert second["TxnTaxDetail"]["TotalTax"] == 30  # 12.50 GST + 17.50 PST on 250; 0 on the books
    assert second["TotalAmt"] == 320
    rates = {line["TaxLineDetail"]["TaxRateRef"]["value"]: line["Amount"] for line in second["TxnTaxDetail"]["TaxLine"]}
    assert rates == {"1": 12.5, "3": 17.5, "5": 0}
    assert first["DocNumber"] == "1001" and second["DocNumber"] == "1002", "custom numbers are off: QuickBooks numbers"


def test_every_line_needs_a_tax_code(canada):
    """"Make sure all your transactions have a GST/HST rate before you save." (6000)
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
    """
    answer = canada.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(1, 120)]})
    assert answer.status_code == 400
    assert fault_of(answer)["Detail"] == ("Business Validation Error: Make sure all your transactions have a GST/HST "
                                          "rate before you save.")
    unknown = canada.post("invoice", {"CustomerRef": {"value": "1"}, "Line": [sale(1, 120, code=99)]})
    assert fault_of(unknown)["code"] == "2500"


def test_tax_inclusive_lines_keep_the_net_amount(canada):
    """TaxInclusive: the gross goes in TaxInclusiveAmt; QuickBooks keeps the net in Amount and
    the total is what the customer pays.
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
    """
    invoice = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "GlobalTaxCalculation": "TaxInclusive",
                                        "Line": [sale(2, 113, code=4, TaxInclusiveAmt=113)]})
    line = invoice["Line"][0]
    assert line["Amount"] == 100 and line["SalesItemLineDetail"]["TaxInclusiveAmt"] == 113
    assert invoice["TxnTaxDetail"]["TotalTax"] == 13
    assert invoice["TotalAmt"] == 113
    odd = canada.create("Invoice", {"CustomerRef": {"value": "1"}, "GlobalTaxCalculation": "TaxInclusive",
                                    "Line": [sale(2, 10, code=4)]})
    assert odd["TotalAmt"] == 10, "the tax is what is left of the gross, cent for cent"
    assert odd["Line"][0]["Amount"] == 8.85 and odd["TxnTaxDetail"]["TotalTax"] == 1.15


def test_not_applicable_and_unknown_calculation(canada):
    """NotApplicable carries no tax; anything else than the three values is 2170.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice (GlobalTaxCalculation)
    """
    invoice = canada.create("Invoice", {"CustomerRef": {"value": "3"}, "GlobalTaxCalculation": "NotApplicable",
                                        "Line": [sale(1, 240)]})
    assert invoice["TotalAmt"] == 240 and invoice["TxnTaxDetail"]["TotalTax"] == 0
    bad = canada.post("invoice", {"CustomerRef": {"value": "3"}, "GlobalTaxCalculation": "Sometimes",
                                  "Line": [sale(1, 240, code=3)]})
    assert fault_of(bad)["code"] == "2170"


def test_purchases_use_the_purchase_rates(canada):
    """A bill is taxed with the tax code's purchase rates (GST only, no PST to recover).
    https://developer.intuit.com/app/developer/qbo/docs/workflows/manage-sales-tax-for-non-us-locales
    """
    bill = canada.create("Bill", {"VendorRef": {"value": "10"}, "Line": [{
        "Amount": 200, "DetailType": "AccountBasedExpenseLineDetail",
        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "11"}, "TaxCodeRef": {"value": "5"}}}]})
    assert bill["TxnTaxDetail"]["TotalTax"] == 10
    assert bill["TotalAmt"] == 210 and bill["Balance"] == 210


def test_tax_code_created_through_the_tax_service(canada):
    """TaxCode cannot be created at /taxcode; POST /taxservice/taxcode creates it, with new
    rates (TaxRateName, RateValue, TaxAgencyId) or existing ones (TaxRateId); the answer
    carries TaxCodeId and every TaxRateId.
    https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/taxservice
    """
    agency = canada.rows("select * from TaxAgency")[0]["Id"]
    existing = canada.rows("select * from TaxRate")[0]
    answer = canada.post("taxservice/taxcode", {"TaxCode": "Island Levy", "TaxRateDetails": [
        {"TaxRateName": "Island Levy 2", "RateValue": "2", "TaxAgencyId": agency, "TaxApplicableOn": "Sales"},
        {"TaxRateId": existing["Id"], "TaxApplicableOn": "Purchase"}]})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["TaxCode"] == "Island Levy" and body["TaxCodeId"]
    new_rate_id = body["TaxRateDetails"][0]["TaxRateId"]
    assert canada.read("TaxRate", new_rate_id)["RateValue"] == 2
    code = canada.read("TaxCode", body["TaxCodeId"])
    assert code["SalesTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"]["value"] == new_rate_id
    assert code["PurchaseTaxRateList"]["TaxRateDetail"][0]["TaxRateRef"]["value"] == existing["Id"]
    again = canada.post("taxservice/taxcode", {"TaxCode": "Island Levy", "TaxRateDetails": [
        {"TaxRateId": existing["Id"]}]})
    assert again.status_code == 400 and fault_of(again)["code"] == "6240"
    bad_agency = canada.post("taxservice/taxcode", {"TaxCode": "Nowhere", "TaxRateDetails": [
        {"TaxRateName": "Nowhere 1", "RateValue": 1, "TaxAgencyId": "999"}]})
    assert bad_agency.status_code == 400 and fault_of(bad_agency)["code"] == "2500"
    direct = canada.post("taxcode", {"Name": "Direct"})
    assert direct.status_code == 400
