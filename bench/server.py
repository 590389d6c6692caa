"""Start and stop a real gunicorn (the repository's gunicorn.conf.py) on loopback for benchmarks."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 10, data: bytes | None = None, headers=None):
    """(status, headers, body) of one request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Server:
    """gunicorn with bench.settings (production settings + baseline views, no throttling)."""

    def __init__(self, workers: int | None = None, extra_env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / f"gunicorn-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
        env.update(DJANGO_SETTINGS_MODULE="bench.settings", DJANGO_ENV="production", SECURE_SSL_REDIRECT="0",
                   PORT=str(self.port), GUNICORN_ACCESSLOG=str(OUT / f"access-{self.port}.log"))
        if workers:
            env["WEB_CONCURRENCY"] = str(workers)
        env.update(extra_env or {})
        self.env = env

    def __enter__(self):
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()[-2000:]}")
            try:
                if get(self.base + "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not become healthy in 120 s")
            time.sleep(0.3)
        return self

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def json_body(body: bytes):
    try:
        return json.loads(body)
    except ValueError:
        return None
