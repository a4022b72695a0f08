"""QuickBooks Desktop (qbXML 13.0) mapping: one module per entity, each registering a
:class:`DesktopAdapter` in :data:`common.ADAPTERS` (the Online adapters are in ``mapping/``)."""

from . import common, credit_application, customer, invoice, item, payment
