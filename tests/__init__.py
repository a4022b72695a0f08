from . import (
    test_connection,
    test_import_wizard,
    test_oauth_callback,
    test_queue,
    test_reference_import,
    test_security,
    test_token_refresh,
    test_token_refresh_concurrency,
    test_tours,
)
