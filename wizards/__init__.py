from . import quickbooks_disconnect_wizard
