#!/usr/bin/env python3
"""``make bench``: run every ``bench/bench_*.py`` in name order and keep their figures.

Each module exposes ``run(ctx) -> dict`` of flat numeric figures; ``ctx`` holds ``root``
(the repository), ``odoo_src`` (Odoo's source tree, for benchmarks that need Odoo) and
``python`` (the virtualenv's interpreter).  The figures are printed and merged into
``bench/results.json`` (one flat JSON object): keys written by other benchmarks stay.

    .venv/bin/python bench/run.py --odoo-src ~/.cache/odoo/19.0 [--only emulator]
"""

import argparse
import importlib.util
import json
import numbers
import pathlib
import sys
import time

BENCH = pathlib.Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results.json"


def load(path):
    spec = importlib.util.spec_from_file_location(f"bench_module_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def merge(figures):
    """Merge into results.json, keeping other benchmarks' keys."""
    current = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    current.update(figures)
    RESULTS.write_text(json.dumps(dict(sorted(current.items())), indent=2) + "\n")


def check(name, figures):
    if not isinstance(figures, dict):
        raise TypeError(f"{name}.run() must return a dict, not {type(figures).__name__}")
    for key, value in figures.items():
        if not isinstance(key, str) or isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name}.run() returned a non-numeric figure {key!r}: {value!r}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--odoo-src", default=None, help="Odoo 19.0 source tree (for benchmarks that run Odoo)")
    parser.add_argument("--only", action="append", default=[],
                        help="run only modules whose name contains this text (repeatable)")
    args = parser.parse_args(argv)
    ctx = {"root": ROOT, "odoo_src": pathlib.Path(args.odoo_src) if args.odoo_src else None,
           "python": sys.executable}
    modules = sorted(BENCH.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if any(word in m.stem for word in args.only)]
    failed = 0
    for path in modules:
        name = path.stem
        print(f"==> {name}", flush=True)
        started = time.monotonic()
        try:
            figures = load(path).run(ctx)
            check(name, figures)
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others' figures
            failed += 1
            print(f"    FAILED: {type(exc).__name__}: {exc}", flush=True)
            continue
        for key, value in figures.items():
            print(f"    {key} = {value}", flush=True)
        merge(figures)
        print(f"    ({time.monotonic() - started:.1f} s)", flush=True)
    print(f"Results: {RESULTS.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
