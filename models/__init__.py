# The mixins first: Odoo builds models in the order their classes are defined, and a model
# can only inherit what is already built.
# isort: off
from . import quickbooks_sync_mixin, quickbooks_sync_document_mixin, quickbooks_sync_master_mixin
# isort: on
from . import (
    account_journal,
    account_move,
    account_payment,
    account_tax,
    product_product,
    quickbooks_binding,
    quickbooks_connection,
    quickbooks_credential,
    quickbooks_oauth_state,
    quickbooks_rate_event,
    quickbooks_reconciliation,
    quickbooks_reconciliation_line,
    quickbooks_reference,
    quickbooks_sync_job,
    quickbooks_sync_job_import,
    quickbooks_sync_job_reconcile,
    quickbooks_sync_run,
    quickbooks_write_intent,
    res_company,
    res_config_settings,
    res_partner,
)
