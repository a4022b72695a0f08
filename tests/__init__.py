from . import (
    test_connection,
    test_oauth_callback,
    test_push_concurrency,
    test_push_faults,
    test_push_international,
    test_push_invoices,
    test_push_payments,
    test_queue,
    test_security,
    test_token_refresh,
    test_token_refresh_concurrency,
    test_tours,
)
