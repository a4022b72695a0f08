import logging
import re

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from ..models.quickbooks_connection import CALLBACK_PATH
from ..models.quickbooks_oauth_state import OAuthStateError
from ..transport.errors import QuickBooksError

_logger = logging.getLogger(__name__)

# The callback's query carries the authorization code and our state.  Both are single use
# (the state here, the code at Intuit, which also wants the client secret), but neither has
# any business in a log: Odoo's own request log gets them redacted.
_CALLBACK_SECRETS = re.compile(r"(?<=[?&])(code|state)=[^&\s\"]*")


class _RedactCallbackQuery(logging.Filter):
    """Odoo logs each HTTP request line (``werkzeug`` logger) with its query string."""

    def filter(self, record):
        args = record.args if isinstance(record.args, tuple) else ()
        if CALLBACK_PATH in str(record.msg) or any(CALLBACK_PATH in str(arg) for arg in args):
            record.msg, record.args = _CALLBACK_SECRETS.sub(r"\1=[redacted]", record.getMessage()), ()
        return True


def _install_log_filter():
    logger = logging.getLogger("werkzeug")
    if not any(type(f).__name__ == _RedactCallbackQuery.__name__ for f in logger.filters):
        logger.addFilter(_RedactCallbackQuery())


_install_log_filter()


class QuickbooksOAuthController(http.Controller):
    @http.route(CALLBACK_PATH, type="http", auth="user", methods=["GET"])
    def oauth_callback(self, state=None, code=None, realmId=None, error=None, **_kwargs):  # noqa: N803 - Intuit's name
        """Where Intuit sends the browser back after the consent page."""
        env = request.env
        try:
            pending = env["quickbooks.oauth.state"]._consume(state)
        except OAuthStateError as exc:
            _logger.warning("Refused a QuickBooks OAuth callback for user %s: %s", env.uid, exc)
            return self._page(str(exc), status=400)
        if error:
            message = env._("QuickBooks did not authorize Odoo (%s). Nothing was changed.", error)
            return self._page(message, status=400, back=self._return_url(pending))
        if not code or not realmId:
            return self._page(env._("QuickBooks' answer lacks the authorization code or the company ID. "
                                    "Nothing was changed; start again."), status=400,
                              back=self._return_url(pending))
        if pending.company_id not in env.user.company_ids:
            _logger.warning("Refused a QuickBooks OAuth callback for user %s: company %s is no longer theirs",
                            env.uid, pending.company_id.id)
            return self._page(env._("You no longer have access to %s. Nothing was changed.",
                                    pending.company_id.name), status=403)
        # As the user (not as the state's superuser record), in the company the request was for.
        connection = env["quickbooks.connection"].with_company(pending.company_id).browse(pending.connection_id.id)
        try:
            connection._complete_authorization(code, realmId)
        except QuickBooksError as exc:
            return self._page(exc.user_message(), status=400, back=self._return_url(pending))
        except AccessError as exc:
            return self._page(env._("You may no longer connect %(company)s to QuickBooks (%(reason)s). "
                                    "Nothing was changed.", company=pending.company_id.name, reason=str(exc)),
                              status=403)
        return request.redirect(self._return_url(pending), local=True)

    @staticmethod
    def _return_url(pending):
        if pending.return_to == "connection":
            return f"/odoo/action-quickbooks_sync.action_quickbooks_connection/{pending.connection_id.id}"
        return "/odoo/action-quickbooks_sync.action_quickbooks_settings"

    @staticmethod
    def _page(message, status=400, back="/odoo"):
        response = request.render("quickbooks_sync.oauth_result_page", {"message": message, "back_url": back})
        response.status_code = status
        return response
