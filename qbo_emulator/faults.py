"""QuickBooks Online faults, in the exact shapes QuickBooks sends them.

Sources (see ``../shared/reference/qbo-api.md`` section 5):
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes
https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/handling-common-errors

* Business faults use capitalised keys: ``{"Fault": {"Error": [{"Message", "Detail",
  "code", "element"}], "type"}, "time"}``.
* 401 and 403 bodies come from Intuit's gateway and use lower-case keys
  (``{"fault": {"error": [{"message", "detail", "code"}], "type"}}``).
* The same fault can arrive as XML (``<IntuitResponse><Fault>``), notably throttling.
"""

from xml.sax.saxutils import escape, quoteattr


class QBOFault(Exception):
    """A fault the emulator answers with.  ``errors`` is a list of
    ``(code, message, detail, element)``; QuickBooks can return several."""

    def __init__(self, status, fault_type, errors, lowercase=False, headers=None):
        super().__init__(errors[0][1] if errors else fault_type)
        self.status = status
        self.fault_type = fault_type
        self.errors = [tuple(e) + ("",) * (4 - len(e)) for e in errors]
        self.lowercase = lowercase
        self.headers = headers or {}

    def body(self):
        """The ``Fault`` object alone (as it appears inside a batch item)."""
        if self.lowercase:
            return {
                "error": [
                    {"message": message, "detail": detail, "code": str(code)}
                    for code, message, detail, _element in self.errors
                ],
                "type": self.fault_type,
            }
        return {
            "Error": [
                {"Message": message, "Detail": detail, "code": str(code), "element": element}
                for code, message, detail, element in self.errors
            ],
            "type": self.fault_type,
        }

    def to_json(self, time_text=None):
        if self.lowercase:
            return {"fault": self.body()}
        payload = {"Fault": self.body()}
        if time_text:
            payload["time"] = time_text
        return payload

    def to_xml(self, time_text=""):
        errors = "".join(
            f"<Error code={quoteattr(str(code))} element={quoteattr(element)}>"
            f"<Message>{escape(message)}</Message><Detail>{escape(detail)}</Detail></Error>"
            for code, message, detail, element in self.errors
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time={quoteattr(time_text)}>'
            f"<Fault type={quoteattr(self.fault_type)}>{errors}</Fault></IntuitResponse>"
        )


# --- Authentication and authorization (gateway faults, lower-case keys) -------------


def token_expired():
    return _gateway_401("Token expired: the access token is older than 3600 seconds.")


def token_revoked():
    return _gateway_401("Token revoked: this access token was revoked or its connection was removed.")


def token_invalid(detail="Token invalid: the bearer token is not known to this server."):
    return _gateway_401(detail)


def token_missing():
    return _gateway_401("Authorization header missing: send 'Authorization: Bearer <access token>'.")


def _gateway_401(detail):
    return QBOFault(
        401,
        "AUTHENTICATION",
        [("3200", "message=AuthenticationFailed; errorCode=003200; statusCode=401", detail)],
        lowercase=True,
        headers={"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'},
    )


def application_authorization_failed(detail):
    return QBOFault(
        403,
        "SERVICE",
        [("3100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", detail)],
        lowercase=True,
    )


# --- Throttling -----------------------------------------------------------------------


def throttled(detail="The request limit was reached."):
    # https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles
    return QBOFault(
        429,
        "SERVICE",
        [("3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", detail)],
    )


# --- Request and business faults --------------------------------------------------------
#
# Message and Detail texts are the ones QuickBooks sends, as Intuit documents them in
# "Fix common errors" (handling-common-errors) or, where QuickBooks answers differently from
# its documentation, as captured from real responses (noted beside each builder).


def validation(code, message, detail, element="", status=400):
    return QBOFault(status, "ValidationFault", [(str(code), message, detail, element)])


INACTIVE_DETAIL = ("Object Not Found : Something you're trying to use has been made inactive. "
                   "Check the fields with accounts, customers, items, vendors or employees.")


def object_not_found(entity=None, object_id=None):
    """610, variant 1: a read of an id that does not exist, or a reference to an inactive
    name-list object.  (The batch sample in Intuit's batch page shows this exact Detail.)"""
    return validation("610", "Object Not Found", INACTIVE_DETAIL)


def inactive_reference(element=""):
    return validation("610", "Object Not Found", INACTIVE_DETAIL, element)


def deleted_transaction(entity=None, object_id=None):
    """610, variant 2 (handling-common-errors): the transaction was deleted."""
    return validation("610", "Object Not Found", "Object Not Found : Another user has deleted this transaction.")


# The group QuickBooks names in a 2500 Detail ("Names element id 583 not found" for a
# customer, vendor or employee; "Accounts element", "Klasses element" ...), as captured
# from real responses.
REFERENCE_GROUPS = {
    "Customer": "Names", "Vendor": "Names", "Employee": "Names", "Account": "Accounts",
    "Item": "Items", "Class": "Klasses", "Department": "Departments", "Term": "SalesTerms",
    "PaymentMethod": "PaymentMethods", "TaxCode": "TaxCodes", "TaxRate": "TaxRates",
    "TaxAgency": "TaxAgencies", "Invoice": "Transactions", "CreditMemo": "Transactions",
    "Bill": "Transactions", "VendorCredit": "Transactions", "Payment": "Transactions",
}


def invalid_reference(element, ref_id, entity):
    """2500 for a reference to an id that does not exist (or was deleted)."""
    group = REFERENCE_GROUPS.get(entity, entity)
    return validation(
        "2500", "Invalid Reference Id", f"Invalid Reference Id : {group} element id {ref_id} not found", element,
    )


def invalid_reference_detail(detail, element=""):
    return validation("2500", "Invalid Reference Id", f"Invalid Reference Id : {detail}", element)


def required_param_missing(element, detail=None):
    """2020 (handling-common-errors: "Required parameter Line is missing in the request.")."""
    return validation(
        "2020",
        "Required param missing, need to supply the required value for the API",
        detail or f"Required parameter {element} is missing in the request",
        element,
    )


def invalid_enumeration(element, value):
    """2170 (handling-common-errors: "Invalid Enumeration : HAS_BEEN_BILLED")."""
    return validation("2170", "Invalid Enumeration", f"Invalid Enumeration : {value}", element)


def string_too_long(element, max_length, supplied):
    """2050, as QuickBooks sends it (captured: "... Min:0 Max:21 supported. Supplied length:45",
    element "DocNumber")."""
    return validation(
        "2050",
        "String length is either shorter or longer than supported by specification",
        f"String length specified does not match the supported length. Min:0 Max:{max_length} "
        f"supported. Supplied length:{supplied}",
        element,
    )


def invalid_property(detail, element=""):
    """2010: a value QuickBooks cannot read (wrong type, bad date, malformed JSON)."""
    return validation(
        "2010", "Request has invalid or unsupported property",
        f"Property Name:{detail} specified is unsupported or invalid", element,
    )


def cdc_too_old(since_text):
    """A change data capture window older than QuickBooks' look-back.  The wording is what
    QuickBooks answers (reported in Wish-Org/QuickBooksSharp#19: "Operation cdc with
    changedSince date {date} which is older than fixed days is not supported."); Intuit
    publishes no code for it, so the validation code of an unsupported value (2010) is used."""
    return validation(
        "2010", "Request has invalid or unsupported property",
        f"Operation cdc with changedSince date {since_text} which is older than fixed days is not supported.",
        "changedSince",
    )


def stale_object(user="root"):
    """5010, body as in qbo-api.md section 4 (python-quickbooks#127; Intuit's batch sample
    shows the same text with the user "root")."""
    return validation(
        "5010",
        "Stale Object Error",
        f"Stale Object Error : You and {user} were working on this at the same time. "
        f"{user} finished before you did, so your work was not saved.",
    )


def books_closed():
    """6210 "Account Period Closed" (handling-common-errors).  Note: real companies have
    also been seen answering code 5010 with the same Message (python-quickbooks#208), so
    clients must classify on (code, Message)."""
    return validation(
        "6210",
        "Account Period Closed",
        "The account period has closed and the account books cannot be updated through the "
        "QBO Services API. Please use the QBO website to make these changes.",
    )


def duplicate_name(existing_id):
    """6240 as current QuickBooks answers it: the Detail names the Id that holds the name
    (captured "The name supplied already exists. : Id=58")."""
    return validation("6240", "Duplicate Name Exists Error", f"The name supplied already exists. : Id={existing_id}")


def duplicate_account_name():
    return validation(
        "6240", "Duplicate Name Exists Error",
        "The name supplied already exists. : Another account is already using this name.  Please use a different name.",
    )


def duplicate_doc_number(doc_number, txn_type, txn_id):
    """6140, as captured from real responses (Intuit's table shortens the Detail)."""
    return validation(
        "6140",
        "Duplicate Document Number Error",
        f"Duplicate Document Number Error : You must specify a different number. This number has "
        f"already been used. DocNumber={doc_number} is assigned to TxnType={txn_type} with TxnId={txn_id}",
    )


def amount_mismatch(supplied, element=""):
    """6070 "Amount is not equal to UnitPrice * Qty", with the supplied Amount formatted as
    QuickBooks formats it ("Supplied value:1,861.07", "Supplied value:1,000")."""
    return validation(
        "6070", "Amount is not equal to UnitPrice * Qty",
        f"Amount is not equal to UnitPrice * Qty. Supplied value:{format_amount(supplied)}", element,
    )


def format_amount(value):
    text = f"{value:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def business_validation(detail, element=""):
    """6000 (handling-common-errors: "Business Validation Error: You must set a transaction amount.")."""
    return validation(
        "6000",
        "A business validation error has occurred while processing your request",
        f"Business Validation Error: {detail}",
        element,
    )


def query_parse_error(detail):
    return validation("4000", "Error parsing query", f"QueryParserError: {detail}")


def unsupported_operation(detail):
    return validation("500", "Unsupported Operation", f"Operation {detail} is not supported.")


def batch_too_large(count, limit):
    """More than ``limit`` items in one batch request.  Intuit's batch page: "The maximum
    number of payloads in a single BatchItemRequest is 30"; the exact body of the refusal is
    not documented, so it is the 2010 fault QuickBooks uses for a request it will not read."""
    return validation(
        "2010", "Request has invalid or unsupported property",
        f"Property Name:BatchItemRequest specified is unsupported or invalid: {count} items, at most {limit} "
        f"are allowed in one batch request",
        "BatchItemRequest",
    )


def application_error(detail="An application error has occurred while processing your request"):
    return QBOFault(
        500,
        "SystemFault",
        [("10000", "An application error has occurred while processing your request",
          f"System Failure Error: {detail}")],
    )


def service_unavailable():
    return QBOFault(
        503,
        "SystemFault",
        [("10000", "Service Unavailable", "The service is temporarily unavailable. Please retry.")],
    )


def request_timeout(seconds):
    # https://developer.intuit.com/app/developer/qbo/docs/learn/limits-and-throttles:
    # requests that take longer than 120 seconds time out.
    return QBOFault(
        504,
        "SystemFault",
        [("10000", "Request Timeout",
          f"System Failure Error: the request did not complete within {seconds:g} seconds")],
    )


def not_found(path):
    return QBOFault(
        404,
        "ValidationFault",
        [("404", "Resource not found", f"No resource at {path}")],
    )
