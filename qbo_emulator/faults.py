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


def validation(code, message, detail, element="", status=400):
    return QBOFault(status, "ValidationFault", [(str(code), message, detail, element)])


def object_not_found(entity, object_id):
    return validation(
        "610",
        "Object Not Found",
        f"Object Not Found : Something you're trying to use has been made inactive. "
        f"Check the fields with accounts, customers, items, vendors or employees. ({entity} Id {object_id})",
    )


def deleted_transaction(entity, object_id):
    return validation(
        "610",
        "Object Not Found",
        f"Object Not Found : Another user has deleted this transaction. ({entity} Id {object_id})",
    )


def invalid_reference(element, ref_id, entity):
    return validation(
        "2500",
        "Invalid Reference Id",
        f"Invalid Reference Id : {entity} assigned to this transaction has been deleted or is not "
        f"valid: Id {ref_id}",
        element,
    )


def required_param_missing(element, detail=None):
    return validation(
        "2020",
        "Required param missing, need to supply the required value for the API",
        detail or f"Required parameter {element} is missing in the request",
        element,
    )


def invalid_enumeration(element, value):
    return validation(
        "2170",
        "Invalid Enumeration",
        f"Invalid Enumeration : {value}",
        element,
    )


def string_too_long(element, max_length):
    return validation(
        "2050",
        "String length is either shorter or longer than supported by specification",
        f"String length specified does not match the supported length. Min:0 Max:{max_length} "
        f"supported. Supplied length:",
        element,
    )


def stale_object(user="Another user"):
    return validation(
        "5010",
        "Stale Object Error",
        f"Stale Object Error : You and {user} were working on this at the same time. "
        f"{user} finished before you did, so your work was not saved.",
    )


def books_closed(close_date):
    return validation(
        "6210",
        "Account Period Closed, cannot update through Services API",
        f"The account period has closed and the account books cannot be updated through the "
        f"QBO Services API. Please use the QBO website to make these changes. "
        f"(books closed on {close_date})",
    )


def duplicate_name(name):
    return validation(
        "6240",
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Another customer, vendor or employee is already "
        f"using this name. Please use a different name. ({name})",
    )


def duplicate_item_name(name):
    return validation(
        "6240",
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Another product or service is already using this "
        f"name. Please use a different name. ({name})",
    )


def duplicate_doc_number(doc_number):
    return validation(
        "6140",
        "Duplicate Document Number Error",
        f"Duplicate Document Number Error : You must specify a different number. "
        f"This number has already been used. DocNumber={doc_number}",
    )


def business_validation(detail, element=""):
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


def request_has_invalid_or_unsupported(detail):
    return validation(
        "2010",
        "Request has invalid or unsupported property",
        f"Property Name:{detail} specified is unsupported or invalid",
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


def not_found(path):
    return QBOFault(
        404,
        "ValidationFault",
        [("404", "Resource not found", f"No resource at {path}")],
    )
