"""``make test``: lint, the emulators' fidelity suites (QuickBooks Online, QuickBooks Desktop), the
addon's Python tests (pytest-odoo) and the browser tours (Odoo's own runner, headless Chromium),
counted together.

The last line printed is the total, ``N passed, N failed`` (``, N skipped`` when some were);
the exit status is non-zero when anything failed.
"""

import hashlib
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

from dev import (
    BUILD,
    MODULE,
    ROOT,
    VENV,
    VENV_PYTHON,
    drop_database,
    ensure_addons_link,
    free_port,
    say,
    write_config,
)

TOUR_TAG = "quickbooks_tour"


class Totals:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.lines = []

    def add(self, suite, passed, failed, skipped=0, seconds=None):
        self.passed += passed
        self.failed += failed
        self.skipped += skipped
        took = f" in {seconds:.0f}s" if seconds is not None else ""
        self.lines.append(f"  {suite:<10} {passed} passed, {failed} failed, {skipped} skipped{took}")

    @property
    def ok(self):
        return self.failed == 0

    def summary(self):
        text = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            text += f", {self.skipped} skipped"
        return text


def _bin(name):
    return str(VENV / "bin" / name)


def _junit_counts(path):
    if not path.exists():
        return None
    root = ET.parse(path).getroot()  # noqa: S314 - a report pytest just wrote
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = failures = errors = skipped = 0
    for suite in suites:
        tests += int(suite.get("tests", 0))
        failures += int(suite.get("failures", 0))
        errors += int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return tests - failures - errors - skipped, failures + errors, skipped


def run_lint(totals):
    say("Lint: ruff")
    started = time.time()
    ruff = subprocess.run([_bin("ruff"), "check", "."], cwd=ROOT)
    totals.add("ruff", int(ruff.returncode == 0), int(ruff.returncode != 0), seconds=time.time() - started)

    say("Lint: pylint-odoo")
    started = time.time()
    targets = [p for p in ("__init__.py", "__manifest__.py", "models", "controllers", "wizards", "transport",
                           "mapping", "sync", "tests") if (ROOT / p).exists()]
    pylint = subprocess.run(
        [_bin("pylint"), "--rcfile", str(ROOT / ".pylintrc"), *targets], cwd=ROOT,
    )
    totals.add("pylint", int(pylint.returncode == 0), int(pylint.returncode != 0), seconds=time.time() - started)

    say("Lint: i18n/quickbooks_sync.pot is current (odoo-bin i18n export)")
    started = time.time()
    from dev import ensure_odoo_source  # noqa: PLC0415
    from i18n_pot import check  # noqa: PLC0415

    try:
        problem = check(ensure_odoo_source())
    except RuntimeError as exc:
        problem = str(exc)
    if problem:
        print(problem)
    totals.add("i18n", int(not problem), int(bool(problem)), seconds=time.time() - started)


def _run_fidelity_suite(totals, suite, title, tests):
    say(title)
    started = time.time()
    junit = BUILD / f"junit-{suite}.xml"
    junit.unlink(missing_ok=True)
    result = subprocess.run(
        [str(VENV_PYTHON), "-m", "pytest", "-p", "no:odoo", "-p", "no:cacheprovider", "-q",
         f"--junitxml={junit}", tests],
        cwd=ROOT,
    )
    counts = _junit_counts(junit)
    if counts is None:
        counts = (0, 1, 0)
    elif result.returncode not in (0, 1) and counts[1] == 0:
        counts = (counts[0], 1, counts[2])  # collection or internal error
    totals.add(suite, *counts, seconds=time.time() - started)


def run_emulator_suite(totals):
    _run_fidelity_suite(totals, "emulator", "Emulator fidelity suite (pytest, no Odoo)", "qbo_emulator/tests")


def run_qbd_suite(totals):
    # Its own pytest run: both suites have a conftest.py imported as ``conftest``.
    _run_fidelity_suite(totals, "qbd", "QuickBooks Desktop stand-in fidelity suite (pytest, no Odoo)",
                        "qbd_emulator/tests")


def install_module(src, config, db, totals):
    say(f"Installing {MODULE} into the throwaway database {db}")
    started = time.time()
    drop_database(db)
    log = BUILD / "test-install.log"
    with log.open("w") as out:
        result = subprocess.run(
            [str(VENV_PYTHON), str(src / "odoo-bin"), "-c", str(config), "-d", db, "-i", MODULE,
             "--stop-after-init", "--log-level=warn"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    text = log.read_text()
    # Errors anywhere, and warnings about this module (a view, a field label, a data file)
    # fail the install; the "unknown option" notice for our encryption key is expected.
    errors = [line for line in text.splitlines()
              if re.search(r" (ERROR|CRITICAL) ", line)
              or (re.search(r" WARNING ", line) and MODULE in line and "unknown option" not in line)]
    if result.returncode != 0 or errors:
        print(text[-6000:])
        totals.add("install", 0, 1, seconds=time.time() - started)
        return False
    totals.add("install", 1, 0, seconds=time.time() - started)
    return True


def run_python_suite(src, config, db, totals, extra_args):
    say("Addon Python tests (pytest-odoo, real PostgreSQL, emulator over HTTP)")
    started = time.time()
    addons = ensure_addons_link().parent
    junit = BUILD / "junit-odoo.xml"
    junit.unlink(missing_ok=True)
    # Run from the addons folder with relative paths: pytest-odoo names test modules after
    # the folder (quickbooks_sync), which a resolved symlink would lose.
    cmd = [str(VENV_PYTHON), "-m", "pytest", "-p", "no:cacheprovider", "-q",
           f"--odoo-config={config}", f"--odoo-database={db}", "--odoo-http",
           "--odoo-log-level=warn", f"--junitxml={junit}",
           f"--ignore={MODULE}/tests/test_tours.py", f"{MODULE}/tests", *extra_args]
    result = subprocess.run(cmd, cwd=addons)
    counts = _junit_counts(junit)
    if counts is None:
        counts = (0, 1, 0)
    elif result.returncode not in (0, 1) and counts[1] == 0:
        counts = (counts[0], 1, counts[2])
    totals.add("python", *counts, seconds=time.time() - started)


def run_tours(src, config, db, totals, tags=TOUR_TAG, log_name="test-tours.log"):
    say("Browser tours (Odoo's test runner, headless Chromium)")
    started = time.time()
    log = BUILD / log_name
    cmd = [str(VENV_PYTHON), str(src / "odoo-bin"), "-c", str(config), "-d", db, "--test-enable",
           f"--test-tags={tags}", "--stop-after-init", f"--http-port={free_port()}", "--log-level=info"]
    with log.open("w") as out:
        process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in process.stdout:
            out.write(line)
            if re.search(r" (ERROR|CRITICAL) |post-tests in|Starting .*Tour|FAIL:", line):
                sys.stdout.write(line)
        process.wait()
    text = log.read_text()
    ran = sum(int(n) for n in re.findall(r"(\d+) post-tests in", text))
    failed = len(re.findall(r" (?:ERROR|CRITICAL) \S+ \S+: (?:FAIL|ERROR): ", text))
    skipped = len(re.findall(r" INFO \S+ \S+: skipped ", text))
    if process.returncode != 0 and failed == 0:
        failed = 1
    if ran == 0 and failed == 0:
        failed = 1  # tours that never ran are a failure, not a pass
        print("No tour ran: check the quickbooks_tour tag.")
    totals.add("tours", max(ran - failed - skipped, 0), failed, skipped, seconds=time.time() - started)


def take_screenshots(src):
    """The README's screenshots (docs/screenshots/*.png), re-taken from the current screens
    by the tour class TestScreenshots in headless Chromium."""
    totals = Totals()
    db = f"qbsync_shots_{hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]}"
    config = write_config(src, "odoo-shots.conf", db_name=db, dbfilter=f"^{db}$")
    os.environ["QUICKBOOKS_SCREENSHOTS"] = "1"
    try:
        if install_module(src, config, db, totals):
            run_tours(src, config, db, totals, tags=f"/{MODULE}:TestScreenshots", log_name="screenshots.log")
    finally:
        drop_database(db)
    print("\n".join(totals.lines))
    print(totals.summary())
    return 0 if totals.ok else 1


def run_all(src, args):
    totals = Totals()
    only = set(args.only or ["lint", "emulator", "qbd", "python", "tours"])
    db = f"qbsync_test_{hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]}"
    config = write_config(src, "odoo-test.conf", db_name=db, dbfilter=f"^{db}$")
    os.environ.setdefault("PYTHONWARNINGS", "ignore::DeprecationWarning")
    try:
        if "lint" in only:
            run_lint(totals)
        if "emulator" in only:
            run_emulator_suite(totals)
        if "qbd" in only:
            run_qbd_suite(totals)
        if only & {"python", "tours"} and install_module(src, config, db, totals):
            if "python" in only:
                run_python_suite(src, config, db, totals, args.pytest_args)
            if "tours" in only:
                run_tours(src, config, db, totals)
    finally:
        if not args.keep_db:
            drop_database(db)
    print("\n".join(totals.lines))
    print(totals.summary())
    return 0 if totals.ok else 1
