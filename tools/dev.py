#!/usr/bin/env python3
"""Development set-up and commands behind ``make run``, ``make test`` and ``make bench``.

Standard library only: this runs before the virtualenv exists.  Every step is idempotent,
so running it again on a machine that is already set up costs a few seconds.

Environment variables that change the defaults:
  ODOO_SRC            Odoo 19.0 source tree (default ~/.cache/odoo/19.0, downloaded if missing)
  PGHOST, PGPORT      PostgreSQL server (default 127.0.0.1:5432)
  ODOO_DB_USER        PostgreSQL role Odoo uses (default quickbooks_sync; created if missing)
  ODOO_DB_PASSWORD    its password (default quickbooks_sync)
  ODOO_HTTP_PORT      port of `make run` (default 8069)
  QBO_EMULATOR_PORT   port of the emulator in `make run` (default 8089)
"""

import argparse
import base64
import contextlib
import hashlib
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODULE = "quickbooks_sync"
BUILD = ROOT / ".build"
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
ADDONS = BUILD / "addons"
KEY_FILE = BUILD / "quickbooks_encryption.key"
ODOO_VERSION = "19.0"
ODOO_ARCHIVE = f"https://github.com/odoo/odoo/archive/refs/heads/{ODOO_VERSION}.tar.gz"
DEMO_DB = "quickbooks_demo"

PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGPORT = os.environ.get("PGPORT", "5432")
DB_USER = os.environ.get("ODOO_DB_USER", "quickbooks_sync")
DB_PASSWORD = os.environ.get("ODOO_DB_PASSWORD", "quickbooks_sync")
HTTP_PORT = int(os.environ.get("ODOO_HTTP_PORT", "8069"))
EMULATOR_PORT = int(os.environ.get("QBO_EMULATOR_PORT", "8089"))

# Odoo requirements we leave out: python-ldap only serves auth_ldap and needs system headers.
SKIPPED_REQUIREMENTS = ("python-ldap",)


def say(message):
    print(f"==> {message}", flush=True)


def fail(message, code=1):
    print(f"ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd, check=True, **kwargs):
    return subprocess.run([str(c) for c in cmd], check=check, **kwargs)


# -- set-up steps ------------------------------------------------------------------------------


def odoo_src():
    return pathlib.Path(os.environ.get("ODOO_SRC") or pathlib.Path.home() / ".cache" / "odoo" / ODOO_VERSION)


def ensure_odoo_source():
    src = odoo_src()
    if (src / "odoo-bin").is_file():
        return src
    if os.environ.get("ODOO_SRC"):
        fail(f"ODOO_SRC={src} has no odoo-bin: point it at an Odoo {ODOO_VERSION} source tree.")
    say(f"Downloading Odoo {ODOO_VERSION} source into {src} (once per machine)")
    src.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=src.parent) as tmp:
        archive = pathlib.Path(tmp) / "odoo.tar.gz"
        try:
            urllib.request.urlretrieve(ODOO_ARCHIVE, archive)
        except OSError as exc:
            fail(f"could not download {ODOO_ARCHIVE}: {exc}\n"
                 f"Download Odoo {ODOO_VERSION} yourself and set ODOO_SRC to its folder.")
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        extracted = next(p for p in pathlib.Path(tmp).iterdir() if p.is_dir())
        extracted.rename(src)
    return src


def addons_path(src):
    paths = [src / "odoo" / "addons"]
    if (src / "addons").is_dir():
        paths.append(src / "addons")
    paths.append(ADDONS)
    return ",".join(str(p) for p in paths)


def ensure_venv():
    if not VENV_PYTHON.exists():
        say(f"Creating {VENV}")
        run([sys.executable, "-m", "venv", VENV])
    version = subprocess.run(
        [VENV_PYTHON, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    if tuple(int(x) for x in version.split(".")) < (3, 10):
        fail(f"Odoo {ODOO_VERSION} needs Python 3.10 or newer; {VENV} has {version}. "
             f"Remove .venv and run again with a newer python3.")


def _filtered_odoo_requirements(src):
    lines = []
    for line in (src / "requirements.txt").read_text().splitlines():
        name = re.split(r"[<>=;\s]", line.strip(), maxsplit=1)[0].lower()
        if name in SKIPPED_REQUIREMENTS:
            continue
        # The binary wheel avoids compiling against libpq on machines without its headers.
        lines.append(re.sub(r"^psycopg2==", "psycopg2-binary==", line.strip()))
    target = BUILD / "odoo-requirements.txt"
    target.write_text("\n".join(lines) + "\n")
    return target


def ensure_python_packages(src):
    odoo_reqs = _filtered_odoo_requirements(src)
    files = [odoo_reqs, ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()
    stamp = BUILD / "requirements.stamp"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("Installing Python packages (Odoo's requirements, ours and the dev tools)")
    pip = [VENV_PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    for args in (["--upgrade", "pip", "setuptools", "wheel"],
                 ["-r", odoo_reqs, "-r", ROOT / "requirements.txt", "-r", ROOT / "requirements-dev.txt"]):
        # pip's output only matters when it fails (some machines' pip configuration is chatty).
        result = subprocess.run([str(c) for c in pip + args], capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stdout[-4000:], result.stderr[-4000:], sep="\n", file=sys.stderr)
            fail("pip could not install the Python packages (see above).")
    # Make `import odoo` work in this venv (pytest-odoo, the Odoo shell) without installing it.
    site = subprocess.run(
        [VENV_PYTHON, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    pathlib.Path(site, "odoo-src.pth").write_text(f"{src}\n")
    stamp.write_text(digest)


def _psql(user, sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", PGHOST, "-p", PGPORT, "-U", user, "-d", database, "-tAc", sql],
        capture_output=True, text=True, env=dict(os.environ, PGPASSWORD=DB_PASSWORD if user == DB_USER else
                                                 os.environ.get("PGPASSWORD", "")),
    )


def ensure_database_role():
    if shutil.which("psql") is None:
        fail("psql is not installed; install the PostgreSQL client (and server) first.")
    if _psql(DB_USER, "SELECT 1").returncode == 0:
        return
    say(f"Creating PostgreSQL role {DB_USER} (Odoo refuses to run as 'postgres')")
    sql = (f"CREATE ROLE \"{DB_USER}\" LOGIN CREATEDB PASSWORD '{DB_PASSWORD}'")
    attempts = [
        ["psql", "-h", PGHOST, "-p", PGPORT, "-U", "postgres", "-d", "postgres", "-c", sql],
        ["sudo", "-n", "-u", "postgres", "psql", "-c", sql],
    ]
    for cmd in attempts:
        if shutil.which(cmd[0]) and subprocess.run(cmd, capture_output=True).returncode == 0:
            break
    if _psql(DB_USER, "SELECT 1").returncode != 0:
        fail(f"could not create or log in as PostgreSQL role {DB_USER} on {PGHOST}:{PGPORT}.\n"
             f"Create it yourself: CREATE ROLE {DB_USER} LOGIN CREATEDB PASSWORD '{DB_PASSWORD}';")


def ensure_addons_link():
    """Odoo names a module after its folder, so the checkout is linked as quickbooks_sync
    whatever the clone is called."""
    ADDONS.mkdir(parents=True, exist_ok=True)
    link = ADDONS / MODULE
    if link.is_symlink() and link.resolve() == ROOT:
        return link
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(ROOT, target_is_directory=True)
    return link


def encryption_key():
    """The Fernet key that encrypts QuickBooks tokens and the client secret.  It lives in
    the server configuration, never in the database; generated once per checkout."""
    if not KEY_FILE.exists():
        KEY_FILE.write_text(base64.urlsafe_b64encode(os.urandom(32)).decode())
        KEY_FILE.chmod(0o600)
    return KEY_FILE.read_text().strip()


def write_config(src, name, **extra):
    options = {
        "addons_path": addons_path(src),
        "data_dir": BUILD / "data",
        "db_host": PGHOST,
        "db_port": PGPORT,
        "db_user": DB_USER,
        "db_password": DB_PASSWORD,
        "http_interface": "127.0.0.1",
        "list_db": "False",
        "quickbooks_encryption_key": encryption_key(),
    }
    options.update(extra)
    path = BUILD / name
    path.write_text("[options]\n" + "".join(f"{k} = {v}\n" for k, v in options.items()))
    path.chmod(0o600)
    return path


def ensure_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("Installing Chromium for the browser tours (Debian package)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if run(["apt-get", "install", "-y", "-q", "chromium"], check=False, env=env).returncode != 0:
            run(["apt-get", "update", "-q"], check=False, env=env)
            run(["apt-get", "install", "-y", "-q", "chromium"], check=False, env=env)
    if not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")):
        fail("the browser tours need Chromium or Chrome on PATH (Debian/Ubuntu: apt install chromium).")


def setup(browser=False):
    BUILD.mkdir(exist_ok=True)
    src = ensure_odoo_source()
    ensure_venv()
    ensure_python_packages(src)
    ensure_database_role()
    ensure_addons_link()
    if browser:
        ensure_chromium()
    return src


# -- processes -----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30, process=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process is not None and process.poll() is not None:
            return False
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
        time.sleep(0.1)
    return False


def start_emulator(port, db_path, control=True):
    cmd = [VENV_PYTHON, "-m", "qbo_emulator", "--port", str(port), "--db", str(db_path)]
    if control:
        cmd.append("--control")
    process = subprocess.Popen([str(c) for c in cmd], cwd=ROOT)
    if not wait_for_port(port, process=process):
        process.kill()
        fail(f"the QuickBooks Online emulator did not start on port {port}")
    return process


def stop(process, timeout=10):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def odoo_bin(src, config, *args, command=None, **kwargs):
    """odoo-bin with our configuration; ``command`` is a sub-command such as ``shell``."""
    return run([VENV_PYTHON, src / "odoo-bin", *([command] if command else []), "-c", config, *args], **kwargs)


def database_exists(name):
    result = _psql(DB_USER, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608 - our own names
    return result.stdout.strip() == "1"


def module_state(name):
    result = _psql(DB_USER, f"SELECT state FROM ir_module_module WHERE name = '{MODULE}'",  # noqa: S608
                   database=name)
    return result.stdout.strip() if result.returncode == 0 else ""


def drop_database(name):
    run(["dropdb", "-h", PGHOST, "-p", PGPORT, "-U", DB_USER, "--if-exists", "--force", name],
        check=False, env=dict(os.environ, PGPASSWORD=DB_PASSWORD), capture_output=True)
    shutil.rmtree(BUILD / "data" / "filestore" / name, ignore_errors=True)


def source_digest():
    """Changes whenever a file Odoo loads from this addon changes (to know when to update)."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in (".git", ".venv", ".build", "bench", "qbo_emulator", "qbd_emulator") or not path.is_file():
            continue
        if path.suffix in (".py", ".xml", ".csv", ".js", ".scss", ".css", ".png", ".svg"):
            digest.update(str(rel).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# -- commands ------------------------------------------------------------------------------


def cmd_setup(_args):
    setup(browser=True)
    say("Set-up complete")


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def cmd_run(_args):
    # Ctrl-C, and also SIGTERM (docker stop, a closed terminal) or SIGINT to a backgrounded
    # ``make run``, stop Odoo and the emulator together instead of orphaning them.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    src = setup()
    config = write_config(src, "odoo.conf", http_port=HTTP_PORT, db_name=DEMO_DB,
                          dbfilter=f"^{DEMO_DB}$")
    emulator_url = f"http://localhost:{EMULATOR_PORT}"
    emulator = start_emulator(EMULATOR_PORT, BUILD / "emulator.sqlite3")
    try:
        stamp = BUILD / "demo.stamp"
        digest = source_digest()
        if not database_exists(DEMO_DB) or module_state(DEMO_DB) != "installed":
            say(f"Creating the demo database {DEMO_DB} (Odoo demo data and {MODULE})")
            drop_database(DEMO_DB)
            odoo_bin(src, config, "-d", DEMO_DB, "-i", MODULE, "--with-demo", "--stop-after-init",
                     "--log-level=warn")
            stamp.write_text(digest)
        elif not stamp.exists() or stamp.read_text() != digest:
            say(f"Updating {MODULE} in {DEMO_DB} (its source changed)")
            odoo_bin(src, config, "-d", DEMO_DB, "-u", MODULE, "--stop-after-init", "--log-level=warn")
            stamp.write_text(digest)
        say(f"Connecting the demo company to the emulator at {emulator_url}")
        odoo_bin(src, config, "-d", DEMO_DB, "--no-http", "--log-level=warn", command="shell",
                 input=(ROOT / "tools" / "connect_demo.py").read_text().replace("@EMULATOR_URL@", emulator_url),
                 text=True)
        say(f"Odoo: http://localhost:{HTTP_PORT}  (login admin / admin)   Emulator: {emulator_url}")
        say(f"What landed in the emulator's QuickBooks (read-only company view): {emulator_url}/app")
        say("Ctrl-C stops both.")
        odoo = subprocess.Popen([str(VENV_PYTHON), str(src / "odoo-bin"), "-c", str(config), "-d", DEMO_DB])
        try:
            odoo.wait()
        except KeyboardInterrupt:
            stop(odoo, timeout=20)
    except KeyboardInterrupt:
        pass
    finally:
        stop(emulator)
    return 0


def cmd_test(args):
    from test_runner import run_all  # noqa: PLC0415 - tools/ is on sys.path

    src = setup(browser=True)
    return run_all(src, args)


def cmd_screenshots(_args):
    from test_runner import take_screenshots  # noqa: PLC0415

    return take_screenshots(setup(browser=True))


def cmd_lint(args):
    from test_runner import Totals, run_lint  # noqa: PLC0415

    setup()
    totals = Totals()
    run_lint(totals)
    print(totals.summary())
    return 0 if totals.ok else 1


def cmd_i18n(_args):
    from i18n_pot import write  # noqa: PLC0415

    path = write(setup())
    say(f"Wrote {path.relative_to(ROOT)}")
    return 0


def cmd_bench(args):
    src = setup()
    bench = ROOT / "bench" / "run.py"
    return subprocess.run([str(VENV_PYTHON), str(bench), "--odoo-src", str(src)], cwd=ROOT).returncode


def cmd_soak(args):
    """The push fault soak (bench/soak.py), then the pull fault soak (bench/pull_soak.py)."""
    src = setup()
    codes = [subprocess.run([str(VENV_PYTHON), str(ROOT / "bench" / name), "--odoo-src", str(src)],
                            cwd=ROOT).returncode for name in ("soak.py", "pull_soak.py")]
    return max(codes)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    sub.add_parser("run")
    test = sub.add_parser("test")
    test.add_argument("--keep-db", action="store_true", help="keep the throwaway database afterwards")
    test.add_argument("--only", choices=["lint", "emulator", "qbd", "python", "tours"], action="append",
                      help="run only these suites (repeatable)")
    test.add_argument("pytest_args", nargs="*", help="extra arguments for the Odoo pytest run")
    sub.add_parser("lint")
    sub.add_parser("i18n", help="export i18n/quickbooks_sync.pot with Odoo's own tooling")
    sub.add_parser("bench")
    sub.add_parser("soak")
    sub.add_parser("screenshots", help="re-take the README's screenshots (docs/screenshots/*.png)")
    args = parser.parse_args(argv)
    handler = {"setup": cmd_setup, "run": cmd_run, "test": cmd_test, "lint": cmd_lint, "i18n": cmd_i18n,
               "bench": cmd_bench, "soak": cmd_soak, "screenshots": cmd_screenshots}
    return handler[args.command](args) or 0


if __name__ == "__main__":
    sys.path.insert(0, str(pathlib.Path(__file__).parent))
    sys.exit(main())
