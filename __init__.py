# The repository root is both the addon and a folder of tools (the QuickBooks Online
# emulator and its fidelity suite).  pytest may import this folder as a plain package when it
# runs those tools' tests; only Odoo imports it as ``odoo.addons.quickbooks_sync``.
if __name__.startswith("odoo.addons."):
    from . import controllers, models, wizards


def _post_init_hook(env):
    # Every company gets its (not yet connected) QuickBooks connection record, so that the
    # settings block has something to show and edit.
    env["res.company"].search([])._quickbooks_connection()
