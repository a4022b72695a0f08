"""Shared by the benchmarks: the emulator in a subprocess, and for those that run Odoo a
throwaway database with the addon and a way to run a script inside Odoo."""

import json
import pathlib
import re
import subprocess
import sys
import tempfile
import threading

import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import dev  # noqa: E402 - tools/dev.py: set-up helpers shared with make run / make test


class Emulator:
    """``python -m qbo_emulator --control --no-limits [args]`` on a free port, fresh state."""

    def __init__(self, python, *args):
        self.directory = tempfile.TemporaryDirectory(prefix="qbo_bench_")
        self.process = subprocess.Popen(
            [python, "-m", "qbo_emulator", "--port", "0", "--control", "--no-limits",
             "--db", str(pathlib.Path(self.directory.name) / "bench.sqlite3"), *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        line = self.process.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"the emulator did not start: {line}{self.process.stdout.read()}")
        self.url = f"http://{match.group(1)}:{match.group(2)}"
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def control(self, method, path, **payload):
        answer = requests.request(method, f"{self.url}/_emulator/{path}", json=payload or None, timeout=600)
        answer.raise_for_status()
        return answer.json()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.directory.cleanup()


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
