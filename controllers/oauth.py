import logging

from odoo import http
from odoo.http import request

from ..models.quickbooks_connection import CALLBACK_PATH
from ..models.quickbooks_oauth_state import OAuthStateError
from ..transport.errors import QuickBooksError

_logger = logging.getLogger(__name__)


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
        connection = pending.connection_id.with_company(pending.company_id)
        if error:
            message = env._("QuickBooks did not authorize Odoo (%s). Nothing was changed.", error)
            return self._page(message, status=400, back=self._return_url(pending))
        if not code or not realmId:
            return self._page(env._("QuickBooks' answer lacks the authorization code or the company ID. "
                                    "Nothing was changed; start again."), status=400,
                              back=self._return_url(pending))
        try:
            connection._complete_authorization(code, realmId)
        except QuickBooksError as exc:
            return self._page(exc.user_message(), status=400, back=self._return_url(pending))
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
