from . import (
    quickbooks_connection,
    quickbooks_credential,
    quickbooks_oauth_state,
    res_company,
    res_config_settings,
)
