"""The emulator in a child process, on a free loopback port, with a state of its own: how the
addon's tests and the benchmarks get a private QuickBooks Online."""

import pathlib
import re
import subprocess
import sys
import tempfile
import threading

import requests

PACKAGE_PARENT = pathlib.Path(__file__).resolve().parent.parent


class EmulatorProcess:
    """``python -m qbo_emulator --port 0 --control --no-limits [args]``; ``url`` is where it
    listens.  QuickBooks' throttling is off (tests and benchmarks fire bursts a real client
    would pace); what tests rate limiting switches it on through the control API."""

    control_timeout = 30

    def __init__(self, *args, python=sys.executable):
        self.directory = tempfile.TemporaryDirectory(prefix="qbo_emulator_")
        self.process = subprocess.Popen(
            [python, "-m", "qbo_emulator", "--port", "0", "--control", "--no-limits",
             "--db", str(pathlib.Path(self.directory.name) / "state.sqlite3"), *args],
            cwd=PACKAGE_PARENT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        # Its first line says where it listens (port 0: the system picked one).
        first_line = self.process.stdout.readline()
        match = re.search(r"http://([\d.]+):(\d+)", first_line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"the emulator did not start: {first_line}{self.process.stdout.read()}")
        self.url = f"http://{match.group(1)}:{match.group(2)}"
        # Keep reading its output so that the pipe never fills up and blocks it.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def control(self, method, path, **payload):
        response = requests.request(method, f"{self.url}/_emulator/{path}", json=payload or None,
                                    timeout=self.control_timeout)
        response.raise_for_status()
        return response.json()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.directory.cleanup()
