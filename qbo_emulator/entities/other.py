"""TimeActivity and Attachable.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/timeactivity
* ``NameOf`` is Employee, Vendor or Other (python-quickbooks sends "" by default, which
  QuickBooks refuses as an invalid enumeration).  ``ItemRef`` (the service item) is optional:
  Intuit's reference lists only NameOf with EmployeeRef/VendorRef as required, Hours or
  StartTime/EndTime and HourlyRate (when billable) as conditionally required.
* ``BillableStatus`` is Billable or NotBillable; HasBeenBilled is set by QuickBooks only
  (handling-common-errors, 2170); an empty value is refused too (python-quickbooks#157).
  A billable activity needs an ``HourlyRate``.
* Duration: ``Hours`` and ``Minutes`` (0-59), or ``StartTime`` and ``EndTime``.
* TimeActivity is left out of change data capture.
* Payroll settings that refuse time entries: Intuit documents no API behaviour for them, so the
  stand-in makes it an explicit company setting, ``Preferences.TimeTrackingPrefs.TimeEntriesLocked``
  (set with the control API), under which every TimeActivity write is refused with a 6000
  business validation fault that says so.

https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/attachable
``FileName``, ``Note``, ``AttachableRef``; files themselves come through ``/upload``
(attachments.py).
"""

from datetime import datetime

from .. import faults, validation
from ..money import out, parse
from .base import Entity
from .txn import check_books_closed

NAME_OF = {"Employee": "EmployeeRef", "Vendor": "VendorRef"}


class TimeActivity(Entity):
    name = "TimeActivity"
    kind = "txn"
    deletable = True
    cdc = False
    lengths = {"Description": 4000}

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        self.check_locked(ctx)
        validation.date(data, "TxnDate", default=ctx.today())
        check_books_closed(ctx, data["TxnDate"], old.get("TxnDate") if old else None)
        name_of = data.get("NameOf")
        if name_of is None:
            raise faults.required_param_missing("NameOf")
        if name_of not in ("Employee", "Vendor", "Other"):
            raise faults.invalid_enumeration("NameOf", name_of)
        if name_of in NAME_OF:
            field = NAME_OF[name_of]
            validation.reference(ctx, data, field, name_of, required=True)
            for other in NAME_OF.values():
                if other != field:
                    data.pop(other, None)
        validation.reference(ctx, data, "CustomerRef", "Customer")
        validation.reference(ctx, data, "ItemRef", "Item")
        validation.reference(ctx, data, "ClassRef", "Class")
        validation.reference(ctx, data, "DepartmentRef", "Department")
        validation.reference(ctx, data, "PayrollItemRef", "Item")
        status = data.get("BillableStatus")
        if status is None:
            data["BillableStatus"] = "NotBillable"
        elif status not in ("Billable", "NotBillable"):
            shown = "HAS_BEEN_BILLED" if status == "HasBeenBilled" else status
            raise faults.invalid_enumeration("BillableStatus", shown)
        rate = parse(data.get("HourlyRate"), "HourlyRate")
        if data["BillableStatus"] == "Billable" and rate is None:
            raise faults.required_param_missing("HourlyRate")
        if rate is not None:
            data["HourlyRate"] = out(rate)
        validation.boolean(data, "Taxable", False)
        self.duration(data)
        return data

    @staticmethod
    def duration(data):
        start, end = data.get("StartTime"), data.get("EndTime")
        if start and end:
            try:
                begin = datetime.fromisoformat(str(start).replace("Z", "+00:00"))
                finish = datetime.fromisoformat(str(end).replace("Z", "+00:00"))
            except ValueError as exc:
                raise faults.invalid_property("StartTime", "StartTime") from exc
            minutes = int((finish - begin).total_seconds() // 60)
            if minutes < 0:
                raise faults.business_validation("EndTime must be after StartTime.", "EndTime")
            data["Hours"], data["Minutes"] = divmod(minutes, 60)
            return
        hours = parse(data.get("Hours"), "Hours")
        minutes = parse(data.get("Minutes"), "Minutes")
        if hours is None and minutes is None:
            raise faults.required_param_missing("Hours", "Required parameter Hours (or StartTime and EndTime) is "
                                                         "missing in the request")
        if minutes is not None and not 0 <= minutes <= 59:
            raise faults.business_validation("Minutes must be between 0 and 59.", "Minutes")
        if hours is not None and hours < 0:
            raise faults.business_validation("Hours can't be negative.", "Hours")
        data["Hours"] = int(hours or 0)
        data["Minutes"] = int(minutes or 0)

    @staticmethod
    def check_locked(ctx):
        if ctx.pref("TimeTrackingPrefs", "TimeEntriesLocked"):
            raise faults.business_validation(
                "Time entries are locked by this company's payroll settings: time activities cannot be added, "
                "changed or deleted.", "TimeActivity")

    def check_delete(self, ctx, obj):
        self.check_locked(ctx)
        check_books_closed(ctx, obj.get("TxnDate"))


ATTACHABLE_TARGETS = ("Invoice", "CreditMemo", "Payment", "Bill", "BillPayment", "VendorCredit", "Purchase",
                      "Customer", "Vendor", "Employee", "Item", "Account", "TimeActivity", "SalesReceipt",
                      "RefundReceipt", "Estimate", "Deposit", "Transfer", "JournalEntry", "PurchaseOrder",
                      "CreditCardPayment")


class Attachable(Entity):
    name = "Attachable"
    kind = "other"
    deletable = True
    cdc = False
    webhooks = False
    lengths = {"FileName": 1000, "Note": 2000, "Category": 100, "ContentType": 100, "Tag": 100}
    read_only = ("Size", "FileAccessUri", "TempDownloadUri", "ThumbnailFileAccessUri", "ThumbnailTempDownloadUri")

    def validate(self, ctx, data, old):
        super().validate(ctx, data, old)
        if not data.get("FileName") and not data.get("Note"):
            raise faults.required_param_missing("FileName", "Required parameter FileName or Note is missing in the "
                                                            "request")
        refs = []
        for index, ref in enumerate(data.get("AttachableRef") or []):
            ref = dict(ref)
            entity_ref = dict(ref.get("EntityRef") or {})
            kind = entity_ref.get("type")
            if kind not in ATTACHABLE_TARGETS:
                raise faults.invalid_enumeration(f"AttachableRef[{index}].EntityRef.type", kind)
            validation.reference(ctx, {"r": entity_ref}, "r", kind, element=f"AttachableRef[{index}].EntityRef",
                                 required=True, allow_inactive=True)
            ref["EntityRef"] = {"type": kind, "value": str(entity_ref["value"])}
            validation.boolean(ref, "IncludeOnSend", False)
            refs.append(ref)
        if refs:
            data["AttachableRef"] = refs
        if data.get("FileName"):
            data.setdefault("Size", 0)
        return data
