# The mixins first: Odoo builds models in the order their classes are defined, and a model
# can only inherit what is already built.
# isort: off
from . import quickbooks_sync_mixin, quickbooks_sync_document_mixin
# isort: on
from . import (
    account_analytic_line,
    account_journal,
    account_move,
    account_partial_reconcile,
    account_payment,
    account_tax,
    hr_employee,
    product_product,
    project_project,
    quickbooks_binding,
    quickbooks_connection,
    quickbooks_connection_desktop,
    quickbooks_credential,
    quickbooks_oauth_state,
    quickbooks_qbwc_session,
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
    res_config_settings_desktop,
    res_partner,
)
