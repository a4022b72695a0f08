"""Mapping: Odoo records to QuickBooks payloads and back.

Plain functions, one module per QuickBooks entity.  They read records and a
:class:`~.context.MappingContext` (ids already known, reference data, tax mapping) and return
dicts in QuickBooks' JSON shape; they never call QuickBooks.  When a record cannot be mapped
they raise :class:`~.common.MappingError` with what to fix.
"""

# Each entity module registers its adapter for the push engine (mapping/adapter.py).
# The first adapter registered for a model is its default: documents' own entities first.
from . import customer, invoice, item, payment, vendor  # isort: skip
from . import bill, bill_payment, expense  # isort: skip
from . import credit_application, payment_discount, refund, vendor_credit_application  # isort: skip
from . import employee, time_activity  # isort: skip
# Changes made in QuickBooks, brought back (sync/pull.py): their handlers (mapping/inbound_handler.py).
from . import inbound_credit_memo, inbound_invoice, inbound_payment  # isort: skip
# Customers, vendors and items changed in QuickBooks (sync/pull_master.py).
from . import inbound_customer, inbound_item  # isort: skip
