from . import (
    quickbooks_disconnect_wizard,
    quickbooks_import_wizard,
    quickbooks_project_link_wizard,
    quickbooks_qbwc_password_wizard,
    quickbooks_sync_all_wizard,
    quickbooks_time_delete_wizard,
    quickbooks_time_send_wizard,
    quickbooks_time_setup_wizard,
)
