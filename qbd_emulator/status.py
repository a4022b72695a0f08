"""What QuickBooks Desktop answers when something is wrong: qbXML status codes and HRESULTs.

Status codes (``statusCode``/``statusSeverity``/``statusMessage`` on every ``*Rs``) follow Intuit's
table "Status codes in response messages"
(https://developer.intuit.com/app/developer/qbdesktop/docs/develop/exploring-the-quickbooks-desktop-sdk/status-codes-in-response-messages):
0-499 Info, 500-999 Warn, 1000 and up Error.  The messages are QuickBooks' own where a public
capture shows them (each constant names its source); the others keep the wording of Intuit's table.

HRESULTs are what the request processor (QBXMLRP2) returns instead of a response: the Web
Connector passes them on to the web service in ``connectionError`` or ``receiveResponseXML``.
"""

INFO, WARN, ERROR = "Info", "Warn", "Error"


class StatusError(Exception):
    """A request that QuickBooks refuses (or answers with a warning): becomes its ``*Rs`` status."""

    def __init__(self, code, message, severity=None):
        super().__init__(f"{code}: {message}")
        self.code = int(code)
        self.message = message
        self.severity = severity or severity_of(self.code)


def severity_of(code):
    if code < 500:
        return INFO
    if code < 1000:
        return WARN
    return ERROR


def q(value):
    """QuickBooks quotes the offending value in its messages."""
    return f'"{value}"'


# -- Info and warnings -----------------------------------------------------------------------------

OK = "Status OK"
# "A query request did not find a matching object in QuickBooks" (Intuit's table; consolibyte#92 logs).
NO_MATCH = "A query request did not find a matching object in QuickBooks"


def not_all_found(value):
    """500: some ListIDs/FullNames/TxnIDs/RefNumbers asked for by name are not in the file."""
    return StatusError(500, "The query request has not been fully completed. There was a required element "
                            f"({q(value)}) that could not be found in QuickBooks.")


def unsupported_field(field):
    """530 (a warning: the request is processed, the field ignored)."""
    return StatusError(530, f"The field {q(field)} is not supported by this implementation.")


# -- General errors -------------------------------------------------------------------------------

def unsupported_request(name):
    """1030: a qbXML 13.0 request this stand-in does not serve (Intuit's table: "Unsupported message")."""
    return StatusError(1030, f"This request is not supported by this implementation. ({name})")


def invalid_request_id(value):
    return StatusError(1060, f"The request ID {q(value)} is invalid, possibly too long, max 50 chars.")


# -- Format errors (3000-3099) ----------------------------------------------------------------------

def invalid_object_id(value, field="list id"):
    """3000: django-quickbooks quotes ``The given object ID "…" in the field "list id" is invalid.``"""
    return StatusError(3000, f"The given object ID {q(value)} in the field {q(field)} is invalid.")


def invalid_boolean(value, field):
    return StatusError(3010, f"There was an error when converting the boolean value {q(value)} in the field "
                             f"{q(field)}.")


def invalid_date(value, field):
    return StatusError(3020, f"There was an error when converting the date value {q(value)} in the field "
                             f"{q(field)}.")


def invalid_date_range():
    return StatusError(3030, "Invalid date range: From date is greater than To date.")


def invalid_amount(value, field):
    return StatusError(3040, f"There was an error when converting the amount {q(value)} in the field "
                             f"{q(field)}.")


def string_too_long(value, field):
    """3070, as a QuickBooks capture shows it: ``The string "a5ad6d73" in the field "AccountNumber" is
    too long.`` (a qbwc parser's test fixture; consolibyte ``example_web_connector.php`` handles 3070)."""
    return StatusError(3070, f"The string {q(value)} in the field {q(field)} is too long.")


# -- Specific errors --------------------------------------------------------------------------------

def name_in_use(name):
    """3100: ``The name "Peter Pan" of the list element is already in use.`` (effective_qb_sync mailer
    preview; many captures)."""
    return StatusError(3100, f"The name {q(name)} of the list element is already in use.")


def not_found(value):
    """3120: the object a request points at is not in the file (consolibyte ``Errors.php``)."""
    return StatusError(3120, f"Object {q(value)} specified in the request cannot be found.")


def invalid_parent(value, list_name):
    """3130: a ParentRef that names no (active) element of the list (hotglue fixture has a 3130)."""
    return StatusError(3130, f"There is an invalid reference to a parent {q(value)} in the {list_name} list.")


def invalid_reference(list_name, value, where):
    """3140: ``There is an invalid reference to QuickBooks Item "Tax On Sale" in the SalesReceipt line.``
    (effective_qb_sync; consolibyte#256 for a customer not synced yet)."""
    return StatusError(3140, f"There is an invalid reference to QuickBooks {list_name} {q(value)} in the {where}.")


def cannot_save(kind, name, reason):
    """3170/3180-style: ``There was an error when saving a Customer list, element "…". QuickBooks error
    message: This list has been modified by another user.`` (consolibyte SQL ``Callbacks.php``)."""
    return StatusError(3180, f"There was an error when saving a {kind} list, element {q(name)}. "
                             f"QuickBooks error message: {reason}")


def stale_edit_sequence(value):
    """3200: ``The provided edit sequence "1416315972" is out-of-date.`` (consolibyte Integrator
    ``Errors.php`` handles it by re-querying)."""
    return StatusError(3200, f"The provided edit sequence {q(value)} is out-of-date.")


def invalid_value(field, value, reason, severity=INFO):
    """3210, as consolibyte ``Callbacks/SQL/Errors.php`` records it, with ``statusSeverity="Info"``:
    ``The "AppliedToTxnAdd payment amount" field has an invalid value "129.43".  QuickBooks error message:
    You cannot pay more than the amount due.``  Nothing is saved."""
    return StatusError(3210, f"The {q(field)} field has an invalid value {q(value)}.  QuickBooks error message: "
                             f"{reason}", severity=severity)


def not_enabled(what=""):
    """3250 (consolibyte: "This feature is not enabled or not available in this version of QuickBooks.")."""
    suffix = f" ({what})" if what else ""
    return StatusError(3250, f"This feature is not enabled or not available in this version of QuickBooks.{suffix}")


def invalid_iterator(iterator_id):
    """3391 (consolibyte#183): an iteratorID from another session, another application, or used up."""
    return StatusError(3391, f"The iteratorID {q(iterator_id)} is not valid.")


# -- HRESULTs (request processor) -------------------------------------------------------------------

class QBError(Exception):
    """The request processor failed: there is no qbXML response, only an HRESULT and its message."""

    def __init__(self, hresult, message, detail=""):
        super().__init__(f"{hresult}: {message}")
        self.hresult = hresult
        self.message = message
        self.detail = detail


# Intuit's WCWebService sample (connectionError) names the first three.
PARSE_ERROR = ("0x80040400", "QuickBooks found an error when parsing the provided XML text stream.")
CANNOT_ACCESS = ("0x80040401", "Could not access QuickBooks.")
UNEXPECTED = ("0x80040402", "Unexpected error. Check the qbsdklog.txt file for possible, additional information.")
# johnballantyne/qbws#9: connectionError(ticket, "0x80040408", "Could not start QuickBooks.")
COULD_NOT_START = ("0x80040408", "Could not start QuickBooks.")
CANNOT_OPEN_FILE = ("0x80040403", "Could not open the specified QuickBooks company data file.")
OTHER_FILE_OPEN = ("0x8004040A", "The QuickBooks company data file is currently open and it is different from "
                                 "the one requested.")
INVALID_TICKET = ("0x8004040D", "The ticket parameter is invalid.")
MODAL_DIALOG = ("0x80040414", "A modal dialog box is showing in the QuickBooks user interface. Your application "
                              "cannot access QuickBooks until the user dismisses the dialog box.")
NO_FILE_OPEN = ("0x80040416", "If QuickBooks is not running, a call to the \"BeginSession\" method must include "
                              "the name of the QuickBooks company data file.")
# Conductor's error reference quotes it: "QBD Connection Error (0x80040420): The QuickBooks user has denied access."
ACCESS_DENIED = ("0x80040420", "The QuickBooks user has denied access.")
# A COM server that dies during a call: RPC_E_SERVERDIED, "The call may have executed." (Microsoft,
# COM Error Codes, https://learn.microsoft.com/en-us/windows/win32/com/com-error-codes-1).
SERVER_DIED = ("0x80010007", "The callee (server [not server application]) is not available and disappeared; "
                             "all connections are invalid. The call may have executed.")


# ... and a call through a proxy whose server is gone: RPC_E_DISCONNECTED (same page).
DISCONNECTED = ("0x80010108", "The object invoked has disconnected from its clients.")


class MachineDown(Exception):
    """Fault injection: the PC running QuickBooks and the Web Connector went down (power cut,
    reboot, the Web Connector killed) after QuickBooks committed: nothing more reaches the web
    service in this session, not even closeConnection."""


def qb_error(pair, detail=""):
    return QBError(pair[0], pair[1], detail)
