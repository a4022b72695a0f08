"""Intuit's OAuth 2.0 server, as the emulator plays it.

Wire formats follow intuit-oauth (``intuitlib/client.py``) and Intuit's docs
(https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0):

* discovery document with the six endpoints intuitlib reads;
* ``GET /connect/oauth2``: the consent page; ``POST`` on it redirects back with ``code``,
  ``state`` and ``realmId`` (or ``error=access_denied``);
* ``POST /oauth2/v1/tokens/bearer``: ``authorization_code`` and ``refresh_token`` grants,
  client authenticated with HTTP Basic; access tokens live 3600 s.  Refresh tokens rotate as
  Intuit rotates them (``rotation="window"``, the default): a refresh within 24 hours of the
  refresh token's issue returns the *same* value with a fresh 100-day expiry; after that a
  new value is issued, and once it has been handed out the superseded one answers
  ``invalid_grant``.  ``rotation="always"`` (strict) issues a new value on every refresh.
  https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/faq
  ("the refresh token value changes every 24 hours ... always store the latest value");
* ``POST /v2/oauth2/tokens/revoke``: revokes the whole connection;
* ``GET /v1/openid_connect/userinfo``.

Only SHA-256 hashes of tokens are stored.
"""

import base64
import hashlib
import html
import json
import secrets
import string
import urllib.parse

from werkzeug.wrappers import Response

from . import faults, realms

ACCESS_TOKEN_TTL = 3600
# Intuit answers x_refresh_token_expires_in = 8726400 (101 days), rolling on each refresh.
REFRESH_TOKEN_TTL = 8726400
# Refresh tokens issued since the 2025 policy change stop working five years after consent,
# whatever the rolling expiry says (x_refresh_token_hard_expires_in).
HARD_EXPIRY_TTL = 5 * 365 * 86400
AUTH_CODE_TTL = 300
# Intuit keeps one refresh-token value for about 24 hours; every refresh within that window
# answers the same value (its 100-day expiry rolls), then a new value is issued.
REFRESH_TOKEN_WINDOW = 86400
ROTATION_MODES = ("window", "always")

SCOPE_ACCOUNTING = "com.intuit.quickbooks.accounting"
KNOWN_SCOPES = {
    SCOPE_ACCOUNTING,
    "com.intuit.quickbooks.payment",
    "openid",
    "profile",
    "email",
    "phone",
    "address",
}
_ALNUM = string.ascii_letters + string.digits


def token_hash(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _random(length, alphabet=_ALNUM):
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_access_token():
    # Shaped like Intuit's (a compact JWE with "dir" key management), about 900 characters.
    header = "eyJlbmMiOiJBMTI4Q0JDLUhTMjU2IiwiYWxnIjoiZGlyIn0"
    return ".".join([header, "", secrets.token_urlsafe(16), secrets.token_urlsafe(640), secrets.token_urlsafe(16)])


def new_refresh_token(expires):
    return f"RT1-{secrets.randbelow(900) + 100}-H0-{int(expires)}{_random(20).lower()}"


def new_auth_code():
    return "AB" + _random(48)


# -- token bookkeeping ----------------------------------------------------------------------


def create_grant(db, client_id, realm_id, scope, now):
    cursor = db.execute(
        "INSERT INTO grants (client_id, realm_id, scope, created, hard_expires) VALUES (?, ?, ?, ?, ?)",
        (client_id, realm_id, scope, now, now + HARD_EXPIRY_TTL),
    )
    return cursor.lastrowid


def issue_tokens(db, grant_id, now, access_ttl=ACCESS_TOKEN_TTL, keep_refresh=None):
    """A new access token, and a new refresh token unless ``keep_refresh`` (the value the
    client presented, still inside Intuit's window) is to be answered again with a fresh
    expiry."""
    grant = db.execute("SELECT * FROM grants WHERE id = ?", (grant_id,)).fetchone()
    refresh_expires = min(now + REFRESH_TOKEN_TTL, grant["hard_expires"])
    access = new_access_token()
    rows = [(token_hash(access), "access", grant_id, now, now + access_ttl)]
    if keep_refresh:
        refresh = keep_refresh
        db.execute("UPDATE tokens SET expires = ? WHERE token_hash = ?", (refresh_expires, token_hash(refresh)))
    else:
        refresh = new_refresh_token(refresh_expires)
        rows.append((token_hash(refresh), "refresh", grant_id, now, refresh_expires))
    db.executemany("INSERT INTO tokens (token_hash, kind, grant_id, issued, expires) VALUES (?, ?, ?, ?, ?)", rows)
    return {
        "access_token": access,
        "refresh_token": refresh,
        "expires_in": int(access_ttl),
        "x_refresh_token_expires_in": int(refresh_expires - now),
        "hard_expires_in": int(grant["hard_expires"] - now),
    }


def register_static_token(db, client_id, realm_id, token, now):
    """``--token T``: accept ``T`` as an access token for ``realm_id`` (scripts, benchmarks)."""
    existing = db.execute("SELECT grant_id FROM tokens WHERE token_hash = ?", (token_hash(token),)).fetchone()
    if existing:
        return existing["grant_id"]
    grant_id = create_grant(db, client_id, realm_id, SCOPE_ACCOUNTING, now)
    db.execute(
        "INSERT INTO tokens (token_hash, kind, grant_id, issued, expires) VALUES (?, 'access', ?, ?, ?)",
        (token_hash(token), grant_id, now, now + HARD_EXPIRY_TTL),
    )
    return grant_id


def revoke_grant(db, grant_id, now, by="app"):
    """End a connection.  ``by="app"``: the app revoked its own tokens (the revoke endpoint);
    ``by="company"``: someone disconnected the app inside QuickBooks (Settings > Apps)."""
    db.execute("UPDATE grants SET revoked = ?, revoked_by = ? WHERE id = ? AND revoked IS NULL",
               (now, by, grant_id))
    db.execute("UPDATE tokens SET revoked = ? WHERE grant_id = ? AND revoked IS NULL", (now, grant_id))


# The bearer tokens the API accepts (what Intuit's gateway lets through to the API).
TOKEN_MIN_LENGTH, TOKEN_MAX_LENGTH = 20, 4096


def authenticate_bearer(db, authorization, realm_id, now):
    """Check an ``Authorization: Bearer`` header for an API call on ``realm_id``.
    Returns the grant row; raises the fault QuickBooks would answer with."""
    if not authorization:
        raise faults.token_missing()
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise faults.token_invalid("Authorization header is not a Bearer token.")
    if len(token) < TOKEN_MIN_LENGTH or len(token) > TOKEN_MAX_LENGTH:
        raise faults.token_invalid("Malformed bearer token: too short or too long")
    row = db.execute(
        "SELECT t.*, g.client_id, g.realm_id, g.scope, g.revoked AS grant_revoked, g.revoked_by"
        " FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = ?",
        (token_hash(token),),
    ).fetchone()
    if row is None or row["kind"] != "access":
        raise faults.token_invalid()
    if row["grant_revoked"] is not None and row["revoked_by"] == "company" and row["expires"] > now:
        # The company withdrew the app's access: the gateway still knows the token, the
        # company no longer lets this app in (403, ApplicationAuthorizationFailed).
        raise faults.application_authorization_failed(
            "The app's access to this company was revoked in QuickBooks (Settings > Apps)."
        )
    if row["revoked"] is not None or row["grant_revoked"] is not None:
        raise faults.token_revoked()
    if row["expires"] <= now:
        raise faults.token_expired()
    realm = db.execute("SELECT * FROM realms WHERE realm_id = ?", (realm_id,)).fetchone()
    if row["realm_id"] != realm_id or realm is None:
        raise faults.application_authorization_failed(
            f"The access token was issued for company {row['realm_id']}, not for {realm_id}."
        )
    app = realms.get_app(db, row["client_id"])
    if app is None or not realms.app_matches_realm(app, realm["environment"]):
        raise faults.application_authorization_failed(
            f"{'Development' if app and app['environment'] == 'development' else 'Production'} keys "
            f"cannot reach a {realm['environment']} company on this host."
        )
    if SCOPE_ACCOUNTING not in row["scope"].split():
        raise faults.application_authorization_failed("The access token does not have sufficient scope")
    return row


# -- HTTP handlers ---------------------------------------------------------------------------


def _json(payload, status=200, headers=None):
    return Response(json.dumps(payload), status=status, headers=headers or {},
                    content_type="application/json;charset=UTF-8")


def _oauth_error(error, status=400, description=None):
    body = {"error": error}
    if description:
        body["error_description"] = description
    return _json(body, status=status)


def discovery(emulator, request, sandbox):
    base = emulator.base_url(request)
    doc = {
        "issuer": f"{base}/op/v1",
        "authorization_endpoint": f"{base}/connect/oauth2",
        "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
        "userinfo_endpoint": f"{base}/v1/openid_connect/userinfo",
        "revocation_endpoint": f"{base}/v2/oauth2/tokens/revoke",
        "jwks_uri": f"{base}/op/v1/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile", "address", "phone"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
    }
    return _json(doc)


def jwks(emulator, request):
    return _json({"keys": []})


def _client_from_basic(db, request):
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, _, client_secret = decoded.partition(":")
    app = realms.get_app(db, client_id)
    if app is None or not secrets.compare_digest(app["client_secret"], client_secret):
        return None
    return app


def _error_page(title, message, status=400):
    body = _PAGE.format(title=html.escape(title), body=f"<p class='error'>{html.escape(message)}</p>")
    return Response(body, status=status, content_type="text/html; charset=utf-8")


def authorize(emulator, request):
    """The consent screen.  GET shows it; POST (the form) approves or denies."""
    params = request.form if request.method == "POST" else request.args
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    state = params.get("state", "")
    scope = params.get("scope", "")
    response_type = params.get("response_type", "")
    with emulator.store.read() as db:
        app = realms.get_app(db, client_id)
        if app is None:
            return _error_page("Invalid client", "The client_id is not a registered Intuit app.")
        if not redirect_uri or not realms.redirect_allowed(app, redirect_uri):
            return _error_page(
                "Redirect URI mismatch",
                "The redirect_uri query parameter value is invalid. Make sure it is listed in the "
                "Redirect URIs section on your app's keys tab and matches it exactly.",
            )
        companies = [
            company for company in realms.list_realms(db)
            if realms.app_matches_realm(app, company["environment"])
        ]

    def back(**query):
        separator = "&" if "?" in redirect_uri else "?"
        return Response(status=302, headers={"Location": redirect_uri + separator + urllib.parse.urlencode(query)})

    if response_type != "code":
        return back(error="unsupported_response_type", state=state)
    scopes = scope.split()
    if not scopes or any(s not in KNOWN_SCOPES for s in scopes):
        return back(error="invalid_scope", state=state)

    if request.method == "GET":
        return _consent_page(app, companies, params)

    if params.get("decision") != "approve":
        return back(error="access_denied", state=state)
    realm_id = params.get("realm_id", "")
    if realm_id not in {company["realm_id"] for company in companies}:
        return _error_page("No company selected", "Choose a QuickBooks company to connect.")
    code = new_auth_code()
    now = emulator.clock.now()
    with emulator.store.write() as db:
        db.execute(
            "INSERT INTO auth_codes (code, client_id, realm_id, redirect_uri, scope, expires)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (code, client_id, realm_id, redirect_uri, scope, now + AUTH_CODE_TTL),
        )
        emulator.store.bump(db, realm_id, "oauth.authorize")
    query = {"code": code, "state": state}
    if SCOPE_ACCOUNTING in scopes or "com.intuit.quickbooks.payment" in scopes:
        query["realmId"] = realm_id
    return back(**query)


def token(emulator, request):
    now = emulator.clock.now()
    with emulator.store.write() as db:
        app = _client_from_basic(db, request)
        if app is None:
            return _oauth_error("invalid_client", status=401)
        grant_type = request.form.get("grant_type", "")
        if grant_type == "authorization_code":
            response = _grant_authorization_code(emulator, db, app, request, now)
        elif grant_type == "refresh_token":
            response = _grant_refresh_token(emulator, db, app, request, now)
        else:
            return _oauth_error("unsupported_grant_type")
        if isinstance(response, Response):
            return response
    body = {
        "token_type": "bearer",
        "access_token": response["access_token"],
        "expires_in": response["expires_in"],
        "refresh_token": response["refresh_token"],
        "x_refresh_token_expires_in": response["x_refresh_token_expires_in"],
    }
    if request.headers.get("x-include-refresh-token-hard-expires-in", "").lower() == "true":
        body["x_refresh_token_hard_expires_in"] = response["hard_expires_in"]
    return _json(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


def _grant_authorization_code(emulator, db, app, request, now):
    code = request.form.get("code", "")
    row = db.execute("SELECT * FROM auth_codes WHERE code = ?", (code,)).fetchone()
    if row is None or row["client_id"] != app["client_id"]:
        return _oauth_error("invalid_grant")
    if row["used"] is not None:
        # A replayed code also kills what the first exchange produced (RFC 6749 §4.1.2).
        if row["grant_id"]:
            revoke_grant(db, row["grant_id"], now)
        return _oauth_error("invalid_grant")
    if row["expires"] <= now or row["redirect_uri"] != request.form.get("redirect_uri", ""):
        return _oauth_error("invalid_grant")
    grant_id = create_grant(db, app["client_id"], row["realm_id"], row["scope"], now)
    db.execute("UPDATE auth_codes SET used = ?, grant_id = ? WHERE code = ?", (now, grant_id, code))
    emulator.store.bump(db, row["realm_id"], "oauth.token.authorization_code")
    return issue_tokens(db, grant_id, now, emulator.access_token_ttl)


def _grant_refresh_token(emulator, db, app, request, now):
    presented = request.form.get("refresh_token", "")
    row = db.execute(
        "SELECT t.*, g.client_id, g.realm_id, g.revoked AS grant_revoked, g.hard_expires"
        " FROM tokens t JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = ? AND t.kind = 'refresh'",
        (token_hash(presented),),
    ).fetchone()
    if row is None or row["client_id"] != app["client_id"]:
        return _oauth_error("invalid_grant", description="Incorrect or invalid refresh token")
    realm_id = row["realm_id"]
    if row["superseded"] is not None:
        emulator.store.bump(db, realm_id, "oauth.token.refresh_rejected")
        return _oauth_error("invalid_grant", description="Incorrect or invalid refresh token")
    if row["revoked"] is not None or row["grant_revoked"] is not None:
        emulator.store.bump(db, realm_id, "oauth.token.refresh_rejected")
        return _oauth_error("invalid_grant", description="Incorrect or invalid refresh token")
    if row["expires"] <= now or row["hard_expires"] <= now:
        emulator.store.bump(db, realm_id, "oauth.token.refresh_rejected")
        return _oauth_error("invalid_grant", description="The refresh token has expired")
    emulator.store.bump(db, realm_id, "oauth.token.refresh_token")
    rotation = emulator.refresh_rotation
    if rotation["mode"] == "window" and now - row["issued"] < rotation["window"]:
        emulator.store.bump(db, realm_id, "oauth.token.refresh_token_kept")
        return issue_tokens(db, row["grant_id"], now, emulator.access_token_ttl, keep_refresh=presented)
    db.execute("UPDATE tokens SET superseded = ? WHERE token_hash = ?", (now, row["token_hash"]))
    emulator.store.bump(db, realm_id, "oauth.token.refresh_token_rotated")
    return issue_tokens(db, row["grant_id"], now, emulator.access_token_ttl)


def revoke(emulator, request):
    now = emulator.clock.now()
    with emulator.store.write() as db:
        app = _client_from_basic(db, request)
        if app is None:
            return _oauth_error("invalid_client", status=401)
        try:
            payload = json.loads(request.get_data(as_text=True) or "{}")
        except ValueError:
            return _oauth_error("invalid_request", description="The body must be JSON: {\"token\": \"...\"}")
        presented = payload.get("token") if isinstance(payload, dict) else None
        if not presented:
            return _oauth_error("invalid_request", description="token is required")
        row = db.execute(
            "SELECT t.grant_id, g.client_id, g.realm_id FROM tokens t JOIN grants g ON g.id = t.grant_id"
            " WHERE t.token_hash = ?",
            (token_hash(presented),),
        ).fetchone()
        # RFC 7009: an unknown token is not an error for the client.
        if row is not None and row["client_id"] == app["client_id"]:
            revoke_grant(db, row["grant_id"], now)
            emulator.store.bump(db, row["realm_id"], "oauth.revoke")
    return Response(status=200)


def userinfo(emulator, request):
    now = emulator.clock.now()
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented:
        return _oauth_error("invalid_token", status=401)
    with emulator.store.read() as db:
        row = db.execute(
            "SELECT t.*, g.scope, g.realm_id, g.revoked AS grant_revoked FROM tokens t"
            " JOIN grants g ON g.id = t.grant_id WHERE t.token_hash = ? AND t.kind = 'access'",
            (token_hash(presented.strip()),),
        ).fetchone()
    if row is None or row["revoked"] or row["grant_revoked"] or row["expires"] <= now:
        return _oauth_error("invalid_token", status=401)
    scopes = row["scope"].split()
    if "openid" not in scopes:
        return _oauth_error("insufficient_scope", status=403)
    claims = {"sub": hashlib.sha256(f"user-{row['realm_id']}".encode()).hexdigest()[:32]}
    if "email" in scopes:
        claims.update({"email": "sandbox.owner@quickbooks.example", "emailVerified": True})
    if "profile" in scopes:
        claims.update({"givenName": "Sandbox", "familyName": "Owner"})
    if "phone" in scopes:
        claims.update({"phoneNumber": "+1 6509444444", "phoneNumberVerified": False})
    if "address" in scopes:
        claims["address"] = {
            "streetAddress": "123 Sierra Way", "locality": "San Pablo", "region": "CA",
            "postalCode": "87999", "country": "US",
        }
    return _json(claims)


# -- the consent page ------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font-family: system-ui, sans-serif; background: #f4f5f8; color: #393a3d; margin: 0; }}
main {{ max-width: 520px; margin: 48px auto; background: #fff; border-radius: 8px; padding: 32px;
       box-shadow: 0 2px 8px rgba(0,0,0,.12); }}
h1 {{ font-size: 22px; margin-top: 0; }}
.brand {{ color: #2ca01c; font-weight: 700; letter-spacing: .02em; }}
label.company {{ display: block; border: 1px solid #c1c1c1; border-radius: 4px; padding: 12px;
                 margin: 8px 0; cursor: pointer; }}
label.company small {{ color: #6b6c72; display: block; }}
.actions {{ display: flex; gap: 12px; justify-content: flex-end; margin-top: 24px; }}
button {{ font-size: 15px; padding: 10px 20px; border-radius: 4px; border: 1px solid #8d9096;
          background: #fff; cursor: pointer; }}
button.primary {{ background: #2ca01c; border-color: #2ca01c; color: #fff; font-weight: 600; }}
.error {{ color: #d52b1e; }}
.note {{ font-size: 13px; color: #6b6c72; }}
</style></head>
<body><main><div class="brand">QuickBooks Online emulator</div>{body}</main></body></html>
"""


def _consent_page(app, companies, params):
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""), quote=True)}">'
        for name in ("client_id", "redirect_uri", "scope", "state", "response_type")
    )
    if companies:
        choices = "".join(
            f'<label class="company"><input type="radio" name="realm_id" value="{html.escape(c["realm_id"])}"'
            f'{" checked" if index == 0 else ""}> <strong>{html.escape(c["company_name"])}</strong>'
            f'<small>Company ID {html.escape(c["realm_id"])} · {html.escape(c["environment"])}'
            f' · {html.escape(c["country"])}</small></label>'
            for index, c in enumerate(companies)
        )
    else:
        choices = "<p class='error'>No QuickBooks company is available to this app.</p>"
    scopes = ", ".join(html.escape(s) for s in params.get("scope", "").split())
    body = (
        f"<h1>{html.escape(app['name'])} wants to connect to your QuickBooks company</h1>"
        f"<form method='post' action=''>{hidden}"
        f"<p>Choose the company to connect:</p>{choices}"
        f"<p class='note'>It will be allowed to: {scopes}.</p>"
        f"<div class='actions'><button type='submit' name='decision' value='deny'>Cancel</button>"
        f"<button type='submit' class='primary' name='decision' value='approve'"
        f"{' disabled' if not companies else ''}>Connect</button></div></form>"
    )
    return Response(
        _PAGE.format(title="Connect to QuickBooks", body=body),
        content_type="text/html; charset=utf-8",
    )
