# Run by `make run` inside `odoo-bin shell`: connects the demo company to the emulator the way
# a person would (Connect, consent page, callback) unless it is connected already, then gets it
# ready to push: reference data, sync defaults, the sales tax and bank journal mapped.
import html
import re
import urllib.parse

import requests

from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from odoo.addons.quickbooks_sync.sync.reference_import import ReferenceImporter
from odoo.addons.quickbooks_sync.transport.errors import QuickBooksError

EMULATOR_URL = "@EMULATOR_URL@"

admin_env = env(user=env.ref("base.user_admin").id)  # noqa: F821 - `env` is the shell's
company = admin_env.ref("base.main_company")
connection = company._quickbooks_connection()


def already_connected():
    if connection.state != "connected" or connection.custom_url != EMULATOR_URL:
        return False
    try:
        info = connection._client(max_attempts=1).company_info()
    except QuickBooksError as exc:
        print(f"The stored connection no longer works ({exc.message}); connecting again.")
        return False
    print(f"Already connected to {info['CompanyName']} (company ID {connection.realm_id}).")
    return True


def connect():
    connection.sudo().write({"environment": "custom", "custom_url": EMULATOR_URL, "client_id": DEFAULT_CLIENT_ID})
    connection.sudo().client_secret = DEFAULT_CLIENT_SECRET
    url = connection.action_connect(return_to="settings")["url"]
    page = requests.get(url, timeout=30)
    fields = {name: html.unescape(value)
              for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.text)}
    fields["realm_id"] = re.search(r'name="realm_id" value="([^"]+)" checked', page.text).group(1)
    fields["decision"] = "approve"
    answer = requests.post(url, data=fields, allow_redirects=False, timeout=30)
    callback = urllib.parse.urlparse(answer.headers["Location"])
    params = {key: values[0] for key, values in urllib.parse.parse_qs(callback.query).items()}
    pending = admin_env["quickbooks.oauth.state"]._consume(params["state"])
    pending.connection_id._complete_authorization(params["code"], params["realmId"])
    print(f"Connected {company.name} to {connection.qbo_company_name} (company ID {connection.realm_id}).")


def get_ready():
    """Reference data and the defaults a person would choose for the sample company."""
    manager = connection.sudo()
    ReferenceImporter(manager, notify=False).run()
    references = admin_env["quickbooks.reference"].sudo().search([
        ("connection_id", "=", manager.id), ("realm_id", "=", manager.realm_id)])

    def ref(entity, name):
        return references.filtered(lambda r: r.qbo_entity == entity and r.name == name)[:1]

    manager.write({
        "default_income_account_ref_id": manager.default_income_account_ref_id.id or ref("Account", "Services").id,
        "default_expense_account_ref_id": (manager.default_expense_account_ref_id.id
                                           or ref("Account", "Office Expenses").id),
        "default_item_ref_id": manager.default_item_ref_id.id or ref("Item", "Services").id,
    })
    taxes = admin_env["account.tax"].sudo().search([("company_id", "=", company.id), ("type_tax_use", "=", "sale")])
    for tax in taxes.filtered(lambda t: not t.quickbooks_tax_code_ref_id):
        tax.quickbooks_tax_code_ref_id = ref("TaxCode", "California")
    for journal in admin_env["account.journal"].sudo().search([("company_id", "=", company.id), ("type", "=", "bank")]):
        journal.write({
            "quickbooks_payment_method_ref_id": (journal.quickbooks_payment_method_ref_id.id
                                                 or ref("PaymentMethod", "Check").id),
            "quickbooks_deposit_account_ref_id": (journal.quickbooks_deposit_account_ref_id.id
                                                  or ref("Account", "Checking").id),
        })
    if not manager._sync_missing():
        manager.sync_enabled = True
        print("Sync is on: open a posted customer invoice and click 'Sync to QuickBooks'.")
    else:
        print(f"Sync stays off until these are set: {', '.join(manager._sync_missing())}")


if not already_connected():
    connect()
get_ready()
admin_env.cr.commit()
