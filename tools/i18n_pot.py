"""The translation template, ``i18n/quickbooks_sync.pot``, exported by Odoo's own tooling
(``odoo-bin i18n export``) from a throwaway database where the addon is installed.

``python3 tools/dev.py i18n`` writes it; ``make lint`` checks that it is current (the same
export, compared with the file, the creation dates aside).  The check remembers the sources it
last found current, so it installs nothing again until a file Odoo loads (or the .pot) changes.
"""

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from dev import ADDONS, BUILD, MODULE, ROOT, VENV_PYTHON, addons_path, drop_database, source_digest, write_config

POT = ROOT / "i18n" / f"{MODULE}.pot"
STAMP = BUILD / "i18n-current.stamp"
# Not part of what Odoo loads: Odoo's term extraction walks the module's folder following links,
# and .venv / .build (which links back to the addon) would have it read the world.
NOT_THE_ADDON = (".git", ".venv", ".build", ".ci", "bench", "tools", "qbo_emulator", "qbd_emulator",
                 "__pycache__", "*.pyc", "*.sqlite3")
# Header lines that change with every export.
VOLATILE = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.MULTILINE)


def _normalized(text):
    return VOLATILE.sub("", text)


def _digest(sources=None):
    """The sources Odoo loads and the .pot, together (``sources``: their digest when exported)."""
    digest = hashlib.sha256((sources or source_digest()).encode())
    digest.update(POT.read_bytes() if POT.exists() else b"")
    return digest.hexdigest()


def export(src):
    """The .pot Odoo exports for the addon now (text)."""
    db = f"qbsync_i18n_{hashlib.sha256(str(ROOT).encode()).hexdigest()[:8]}"
    addons = BUILD / "i18n-addons"
    shutil.rmtree(addons, ignore_errors=True)
    shutil.copytree(ROOT, addons / MODULE, symlinks=True, ignore=shutil.ignore_patterns(*NOT_THE_ADDON))
    paths = [path for path in addons_path(src).split(",") if path != str(ADDONS)]
    config = write_config(src, "odoo-i18n.conf", db_name=db, dbfilter=f"^{db}$",
                          addons_path=",".join([*paths, str(addons)]))
    drop_database(db)
    try:
        install = subprocess.run(
            [str(VENV_PYTHON), str(src / "odoo-bin"), "-c", str(config), "-d", db, "-i", MODULE,
             "--without-demo=all", "--stop-after-init", "--log-level=error"],
            capture_output=True, text=True, check=False)
        if install.returncode != 0:
            raise RuntimeError(f"installing {MODULE} to export its terms failed:\n{install.stdout[-3000:]}"
                               f"{install.stderr[-3000:]}")
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{MODULE}.pot"
            result = subprocess.run(
                [str(VENV_PYTHON), str(src / "odoo-bin"), "i18n", "export", "-c", str(config), "-d", db,
                 "-o", str(out), MODULE], capture_output=True, text=True, check=False)
            if result.returncode != 0 or not out.exists():
                raise RuntimeError(f"odoo-bin i18n export failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
            return out.read_text()
    finally:
        drop_database(db)
        shutil.rmtree(addons, ignore_errors=True)


def write(src):
    sources = source_digest()  # what is exported (files changed meanwhile make the check export again)
    POT.parent.mkdir(exist_ok=True)
    POT.write_text(export(src))
    STAMP.write_text(_digest(sources))
    return POT


def check(src):
    """None when the .pot is current, else why not (in words)."""
    if STAMP.exists() and STAMP.read_text() == _digest():
        return None
    if not POT.exists():
        return f"{POT.relative_to(ROOT)} is missing: run `python3 tools/dev.py i18n`."
    sources = source_digest()
    fresh = export(src)
    if _normalized(fresh) != _normalized(POT.read_text()):
        return (f"{POT.relative_to(ROOT)} is out of date (translatable terms changed): run "
                "`python3 tools/dev.py i18n` and commit it.")
    STAMP.write_text(_digest(sources))
    return None
