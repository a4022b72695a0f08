{
    "name": "QuickBooks Sync",
    "version": "19.0.1.0.0",
    "summary": "Keep Odoo and QuickBooks Online in step: connect, import, push invoices and payments",
    "category": "Accounting/Accounting",
    "author": "quickbooks_sync contributors",
    "website": "https://github.com/quickbooks-sync/quickbooks_sync",
    "license": "LGPL-3",
    "depends": ["account"],
    "external_dependencies": {"python": ["python-quickbooks", "intuit-oauth"]},
    "data": [
        "security/quickbooks_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron.xml",
        "views/quickbooks_connection_views.xml",
        "views/res_config_settings_views.xml",
        "views/quickbooks_oauth_templates.xml",
        "wizards/quickbooks_disconnect_wizard_views.xml",
        "views/quickbooks_menus.xml",
    ],
    "demo": [
        "demo/quickbooks_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "quickbooks_sync/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "_post_init_hook",
    "installable": True,
    "application": True,
}
