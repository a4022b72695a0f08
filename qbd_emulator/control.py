"""The control interface under ``/_qbd/``: off unless the company file starts with ``--control``.

It does what a person does at the QuickBooks PC (open another company file, let time pass, leave
a dialog open) and what a test needs to see (raw objects, counts by RefNumber or name, counters,
the SDK log).  ``company`` defaults to the file open in QuickBooks.
"""

import json

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from .status import MachineDown, QBError


def _ok(payload, status=200):
    return Response(json.dumps(payload), status=status, content_type="application/json")


def _body(request):
    text = request.get_data(as_text=True)
    if not text:
        return {}
    payload = json.loads(text)
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object")
    return payload


def _flag(value):
    return str(value).lower() in ("1", "true", "yes")


def dispatch(qb, request, path):
    try:
        return _dispatch(qb, request, path)
    except ValueError as exc:
        return _ok({"error": str(exc)}, status=400)


def _company(qb, value):
    return value or qb.open_company() or (qb.companies()[0]["path"] if qb.companies() else "")


def _dispatch(qb, request, path):
    parts = [part for part in path.split("/") if part]
    route = (request.method, "/".join(parts))
    args = request.args

    if route == ("GET", "health"):
        return _ok({"ok": True})
    if route == ("GET", "companies"):
        return _ok({"companies": qb.companies(), "open": qb.open_company()})
    if route == ("POST", "companies"):
        body = _body(request)
        path = qb.create_company(body.get("fixture", "service"), body.get("path"), body.get("company_name"),
                                 open_it=bool(body.get("open")))
        return _ok({"path": path}, status=201)
    if route == ("POST", "companies/reset"):
        body = _body(request)
        return _ok({"path": qb.reset_company(_company(qb, body.get("company")), body.get("fixture"))})
    if route == ("POST", "companies/delete"):
        body = _body(request)
        if not body.get("company"):
            raise ValueError("company is required (its path)")
        return _ok({"deleted": qb.delete_company(body["company"])})
    if route == ("POST", "companies/open"):
        body = _body(request)
        return _ok({"open": qb.set_open_company(body.get("company"))})
    if route == ("GET", "objects"):
        company = _company(qb, args.get("company"))
        if not args.get("kind"):
            raise ValueError("kind is required (e.g. kind=Invoice)")
        found = qb.objects(company, args["kind"], _flag(args.get("include_deleted", "")))
        return _ok({"company": company, "kind": args["kind"], "count": len(found), "objects": found})
    if route == ("POST", "objects"):
        body = _body(request)
        company = _company(qb, body.get("company"))
        created = qb.add_objects(company, body.get("objects") or {})
        return _ok({"company": company, "created": {k: len(v) for k, v in created.items()}, "ids": created},
                   status=201)
    if route == ("GET", "count"):
        company = _company(qb, args.get("company"))
        if not args.get("kind"):
            raise ValueError("kind is required (e.g. kind=Invoice)")
        return _ok(qb.count(company, args["kind"], args.get("ref_number"), args.get("name"),
                            _flag(args.get("include_deleted", ""))))
    if route == ("POST", "qbxml"):
        body = _body(request)
        try:
            response = qb.process(body.get("request", ""), body.get("company", ""), body.get("app_name", "control"))
        except QBError as error:
            return _ok({"hresult": error.hresult, "message": error.message})
        except MachineDown as down:
            return _ok({"machine_down": True, "message": str(down)})
        return _ok({"response": response})
    if route == ("GET", "faults"):
        return _ok({"faults": qb.faults.list()})
    if route == ("POST", "faults"):
        body = _body(request)
        rule = qb.faults.add(body.get("kind") or body.get("fault"), count=body.get("count", 1),
                             company=body.get("company"), match=body.get("match"), delay=body.get("delay"),
                             code=body.get("code"), message=body.get("message"))
        return _ok(rule, status=201)
    if route == ("DELETE", "faults"):
        return _ok({"cleared": qb.faults.clear(args.get("company"))})
    if route == ("GET", "stats"):
        company = args.get("company")
        return _ok({"company": company, "counters": qb.stats(company)})
    if route == ("GET", "sdklog"):
        return _ok({"log": qb.sdklog(args.get("company"))})
    if route == ("GET", "sessions"):
        return _ok({"sessions": qb.session_list()})
    if route == ("GET", "clock"):
        return _ok({"offset": qb.clock.offset, "now": qb.clock.now()})
    if route == ("POST", "clock"):
        body = _body(request)
        offset = qb.clock.set_offset(body["offset"]) if "offset" in body else qb.clock.advance(body.get("advance", 0))
        return _ok({"offset": offset, "now": qb.clock.now()})
    if route == ("POST", "reset"):
        return _ok({"reset": True, "open": qb.reset()})
    raise NotFound()
