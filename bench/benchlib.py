"""Shared by the benchmarks: the emulator in a subprocess, and for those that run Odoo a
throwaway database with the addon and a way to run a script inside Odoo."""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.append(str(ROOT))  # last: for qbo_emulator only, its siblings (models/, tests/...) must not shadow

import dev  # noqa: E402 - tools/dev.py: set-up helpers shared with make run / make test

from qbo_emulator.process import EmulatorProcess  # noqa: E402 - the package at the checkout root


class Emulator(EmulatorProcess):
    """The emulator for a benchmark: limits off unless the benchmark switches them on, and
    control calls that may take minutes (seeding thousands of objects)."""

    control_timeout = 600

    def __init__(self, python, *args):
        super().__init__(*args, python=python)


def create_database(ctx, name):
    """A fresh database with quickbooks_sync installed (no demo data); returns its config."""
    src = pathlib.Path(ctx["odoo_src"])
    config = dev.write_config(src, f"odoo-{name}.conf", db_name=name, dbfilter=f"^{name}$")
    dev.drop_database(name)
    subprocess.run([ctx["python"], str(src / "odoo-bin"), "-c", str(config), "-d", name, "-i", dev.MODULE,
                    "--stop-after-init", "--log-level=warn"], check=True, stdout=subprocess.DEVNULL)
    return config


def drop_database(name):
    dev.drop_database(name)


def run_in_odoo(ctx, config, database, script, *args):
    """Run ``script`` (a file of bench/) with Odoo loaded; it prints one JSON object last."""
    result = subprocess.run(
        [ctx["python"], str(ROOT / "bench" / script), str(config), database, *map(str, args)],
        cwd=ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{script} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    for line in result.stdout.splitlines():
        if not line.startswith("{"):
            print(f"    {line}", flush=True)
    return json.loads(result.stdout.strip().splitlines()[-1])
