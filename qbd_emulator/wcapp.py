"""The Web Connector's buttons over HTTP, for tests and scripts that run it as a child process.

* ``POST /update``: "Update Selected": one session now; answers its result when it ends (a session
  the scheduler is running finishes first, as QBWC locks updates).
* ``GET /sessions``: every session's result so far (``?since=N`` from the N-th on).
* ``POST /password {"password"}``: what the user types in the Password column.
* ``GET /app``: the application as the Web Connector loaded it from the .qwc.
* ``GET /log``: the QBWCLog.txt lines of the last session.
"""

import json

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response


def _json(payload, status=200):
    return Response(json.dumps(payload), status=status, content_type="application/json")


class WebConnectorApp:
    def __init__(self, connector, on_result=None):
        self.connector = connector
        self.on_result = on_result
        self.url_map = Map([
            Rule("/health", endpoint="health", methods=["GET"]),
            Rule("/update", endpoint="update", methods=["POST"]),
            Rule("/sessions", endpoint="sessions", methods=["GET"]),
            Rule("/password", endpoint="password", methods=["POST"]),
            Rule("/app", endpoint="app", methods=["GET"]),
            Rule("/log", endpoint="log", methods=["GET"]),
        ])

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            endpoint, _values = self.url_map.bind_to_environ(environ).match()
            response = getattr(self, endpoint)(request)
        except HTTPException as exc:
            response = exc.get_response(environ)
        return response(environ, start_response)

    def health(self, _request):
        return _json({"ok": True})

    def update(self, _request):
        result = self.connector.update_selected()
        if self.on_result:
            self.on_result(result)
        return _json(result.to_dict())

    def sessions(self, request):
        since = int(request.args.get("since", 0))
        return _json({"sessions": [r.to_dict() for r in self.connector.results[since:]],
                      "count": len(self.connector.results)})

    def password(self, request):
        body = json.loads(request.get_data(as_text=True) or "{}")
        if not body.get("password"):
            return _json({"error": "password is required"}, status=400)
        self.connector.set_password(body["password"])
        return _json({"ok": True})

    def app(self, _request):
        return _json(self.connector.qwc.describe())

    def log(self, _request):
        results = self.connector.results
        if not results:
            raise NotFound()
        return _json({"log": results[-1].log})
