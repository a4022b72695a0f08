"""Command line.

  python -m qbd_emulator quickbooks --port 8090 [--db FILE] [--control]
      the company file, serving its request processor (for Web Connectors in other processes)
      and, with --control, the control interface under /_qbd/

  python -m qbd_emulator webconnector --qwc FILE --password P [--every 2m] [--quickbooks URL]
      a Web Connector: one session ("Update Selected"), or every N minutes/seconds (the .qwc's
      Scheduler, or --every); QuickBooks is the company file at --quickbooks URL, else the
      SQLite company file --company-file, opened in this process as QBWC starts QuickBooks
"""

import argparse
import json
import logging
import re
import signal
import sys
import threading
import time

from werkzeug.serving import make_server


def _every(text):
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(s|m|min|sec)?\s*", text or "")
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r}: give seconds or minutes, e.g. 30s, 2m, 120")
    value = float(match.group(1))
    return value * 60 if match.group(2) in ("m", "min") else value


def build_parser():
    parser = argparse.ArgumentParser(prog="python -m qbd_emulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    qb = sub.add_parser("quickbooks", aliases=["companyfile"], help="serve a company file")
    qb.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    qb.add_argument("--port", type=int, default=8090, help="port; 0 picks a free one (default 8090)")
    qb.add_argument("--db", default="qbd_company.sqlite3", help="SQLite file with the company files (kept)")
    qb.add_argument("--fixture", default="service", help="company seeded into an empty database")
    qb.add_argument("--control", action="store_true", help="enable the control interface under /_qbd/")
    qb.add_argument("--verbose", action="store_true", help="log every HTTP request")

    wc = sub.add_parser("webconnector", help="run a scripted QuickBooks Web Connector")
    wc.add_argument("--qwc", required=True, help="the .qwc file the web service gave you")
    wc.add_argument("--password", help="the application's password (kept in --state for later runs)")
    wc.add_argument("--every", type=_every, help="Auto-Run every N: 2m, 30s (overrides the .qwc's Scheduler)")
    wc.add_argument("--once", action="store_true", help="one session (Update Selected), even with a Scheduler")
    wc.add_argument("--sessions", type=int, help="stop after this many sessions")
    wc.add_argument("--quickbooks", help="URL of a running company file (python -m qbd_emulator quickbooks)")
    wc.add_argument("--company-file", default="qbd_company.sqlite3",
                    help="SQLite company file to open in this process when --quickbooks is not given")
    wc.add_argument("--state", default="qbd_webconnector.json", help="where the stored passwords live")
    wc.add_argument("--log", help="append QBWCLog.txt-style lines to this file")
    wc.add_argument("--control-port", type=int,
                    help="serve Update Selected and the session results over HTTP on this port (0: any)")
    wc.add_argument("--no-auto-run", action="store_true",
                    help="with --control-port: run sessions only when asked (POST /update)")
    wc.add_argument("--soap-timeout", type=float, default=100.0, help="seconds to wait for the web service (100)")
    wc.add_argument("--noop-delay", type=float, default=5.0, help="seconds to wait after getLastError NoOp (5)")
    wc.add_argument("--allow-http", action="store_true", help="accept an http AppURL that is not localhost")
    wc.add_argument("--json", action="store_true", help="print each session's result as one JSON line")
    return parser


def _stop_on_signals(event):
    def stop(_signum, _frame):
        event.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def run_quickbooks(args):
    from .app import QuickBooksApp  # noqa: PLC0415
    from .companyfile import CompanyFile  # noqa: PLC0415

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    company_file = CompanyFile(args.db, fixture=args.fixture)
    server = make_server(args.host, args.port, QuickBooksApp(company_file, control_enabled=args.control),
                         threaded=True)
    if not args.verbose:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    _stop_on_signals(threading.Event())
    print(f"QuickBooks Desktop stand-in listening on http://{args.host}:{server.server_port}", flush=True)
    print(f"  company file open: {company_file.open_company()}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def run_webconnector(args):
    from .qwc import QWCError  # noqa: PLC0415
    from .wcapp import WebConnectorApp  # noqa: PLC0415
    from .webconnector import WebConnector  # noqa: PLC0415

    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    try:
        connector = WebConnector(args.qwc, args.quickbooks or args.company_file, args.password,
                                 state_path=args.state, soap_timeout=args.soap_timeout, noop_delay=args.noop_delay,
                                 allow_http=args.allow_http, log_path=args.log)
    except QWCError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    lock = threading.Lock()

    def report(result):
        with lock:
            if args.json:
                print(json.dumps(result.to_dict()), flush=True)
            else:
                stamp = time.strftime("%H:%M:%S", time.localtime(result.ended or time.time()))
                print(f"[{stamp}] {result.app_name}: {result.status} - {result.message}", flush=True)

    stop = threading.Event()
    _stop_on_signals(stop)
    server = None
    if args.control_port is not None:
        server = make_server("127.0.0.1", args.control_port, WebConnectorApp(connector, on_result=report),
                             threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"QuickBooks Web Connector stand-in for {connector.qwc.app_name} on "
              f"http://127.0.0.1:{server.server_port}", flush=True)
    try:
        if server is not None and args.no_auto_run:
            stop.wait()
            return 0
        if args.once:
            result = connector.update_selected()
            report(result)
            return 0 if result.status in ("Ok", "Postponed") else 1
        interval = args.every or connector.qwc.scheduler_seconds
        connector.run(every_seconds=interval, sessions=args.sessions, stop=stop, on_result=report)
        if server is not None and interval is None:
            stop.wait()
        last = connector.results[-1] if connector.results else None
        return 0 if last is None or last.status in ("Ok", "Postponed") else 1
    except KeyboardInterrupt:
        return 0
    finally:
        if server is not None:
            server.shutdown()


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command in ("quickbooks", "companyfile"):
        return run_quickbooks(args)
    return run_webconnector(args)


if __name__ == "__main__":
    sys.exit(main())
