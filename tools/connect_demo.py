# Run by `make run` inside `odoo-bin shell`: connects the demo company to the emulator the way
# a person would (Connect, consent page, callback), unless it is connected already.
import html
import re
import urllib.parse

import requests

from odoo.addons.quickbooks_sync.qbo_emulator.realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from odoo.addons.quickbooks_sync.transport.errors import QuickBooksError

EMULATOR_URL = "@EMULATOR_URL@"

admin_env = env(user=env.ref("base.user_admin").id)  # noqa: F821 - `env` is the shell's
connection = admin_env.ref("base.main_company")._quickbooks_connection()


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


if not already_connected():
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
    print(f"Connected {connection.company_id.name} to {connection.qbo_company_name} "
          f"(company ID {connection.realm_id}).")
admin_env.cr.commit()
