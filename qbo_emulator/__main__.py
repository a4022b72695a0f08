"""Command line: ``python -m qbo_emulator --port 8089 [--realm R --token T] [--control]``."""

import argparse
import logging
import os
import signal
import sys

from werkzeug.serving import make_server

from .app import Emulator
from .limits import Limits
from .oauth import TOKEN_MAX_LENGTH, TOKEN_MIN_LENGTH
from .realms import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, fixture_names


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m qbo_emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8089, help="port; 0 picks a free one (default 8089)")
    parser.add_argument("--db", default=os.environ.get("QBO_EMULATOR_DB", "qbo_emulator.sqlite3"),
                        help="SQLite file holding the emulator's state (kept across restarts)")
    parser.add_argument("--realm", help="serve the seeded sandbox company under this realm id")
    parser.add_argument("--fixture", default="us", choices=fixture_names(),
                        help="fixture used to seed --realm when it does not exist yet")
    parser.add_argument("--token", help="accept this string as a valid access token for --realm")
    parser.add_argument("--control", action="store_true",
                        help="enable the control API under /_emulator/ (tests, demos, benchmarks)")
    parser.add_argument("--no-limits", action="store_true",
                        help="switch QuickBooks' throttling off (500/min, 10/s, 40 batch/min per realm)")
    parser.add_argument("--limit-scale", type=float, default=1.0,
                        help="multiply the throttling limits by this factor (default 1)")
    parser.add_argument("--limit-time-scale", type=float, default=1.0,
                        help="shrink the throttling windows and the 120 s request cap by this factor (default 1)")
    parser.add_argument("--refresh-token-rotation", choices=["window", "always"], default="window",
                        help="window: as Intuit, one refresh-token value for --refresh-token-window seconds, "
                             "then a new one; always: a new value on every refresh (default window)")
    parser.add_argument("--refresh-token-window", type=float, default=86400,
                        help="seconds a refresh-token value is kept in window mode (default 86400, 24 h)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.token and not args.realm:
        print("--token needs --realm", file=sys.stderr)
        return 2
    if args.token is not None and not TOKEN_MIN_LENGTH <= len(args.token.strip()) <= TOKEN_MAX_LENGTH:
        # The API refuses such a bearer token (401, "Malformed bearer token"): refuse it now, not
        # at the first request.
        print(f"--token must be {TOKEN_MIN_LENGTH} to {TOKEN_MAX_LENGTH} characters without spaces around "
              f"(the API refuses shorter or longer bearer tokens); {len(args.token.strip())} given",
              file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    limits = Limits(enabled=not args.no_limits, scale=args.limit_scale, time_scale=args.limit_time_scale)
    emulator = Emulator(args.db, control_enabled=args.control, realm_id=args.realm, limits=limits,
                        refresh_rotation=args.refresh_token_rotation, refresh_window=args.refresh_token_window)
    if args.realm:
        emulator.ensure_realm(args.realm, args.fixture)
    if args.token:
        emulator.register_token(args.realm, args.token)
    server = make_server(args.host, args.port, emulator, threaded=True)
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print(f"QuickBooks Online emulator listening on http://{args.host}:{server.server_port}", flush=True)
    print(f"  discovery: http://{args.host}:{server.server_port}/.well-known/openid_sandbox_configuration",
          flush=True)
    if args.control:
        print(f"  company view (read-only): http://{args.host}:{server.server_port}/app", flush=True)
    print(f"  demo app: client id {DEFAULT_CLIENT_ID} / secret {DEFAULT_CLIENT_SECRET}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        emulator.webhooks.stop()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
