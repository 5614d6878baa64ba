"""Stoplight Prism serving the published UA API yaml: an independent check that every request our e-Doręczenia
client sends (intake and sending) is valid against the spec. Prism answers request violations with HTTP 400 and an
`sl-violations` header; the transport below collects those. Prism's own answers are generated from the yaml's
examples, some of which do not satisfy the yaml's schemas — those response-side findings are kept apart, they are
gaps of the spec (docs/channels.md), not of our client.

Found where: $PRISM_BIN, else var/prism/node_modules/.bin/prism (installed there by .ci/run, or here with npm);
the tests are skipped, saying why, only when neither node nor npm is available."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from registry.tests.uaapi_fake import yaml_path

ROOT = Path(__file__).resolve().parents[2]
PRISM_DIR = Path(os.environ.get("PRISM_DIR", ROOT / "var" / "prism"))
TOKEN_URL = "https://auth.test/oauth2/token"  # the yaml names no token endpoint: answered by the transport


class Unavailable(Exception):
    pass


def prism_bin() -> str:
    if os.environ.get("PRISM_BIN"):
        return os.environ["PRISM_BIN"]
    local = PRISM_DIR / "node_modules" / ".bin" / "prism"
    if local.exists():
        return str(local)
    if not shutil.which("node") or not shutil.which("npm"):
        raise Unavailable("node/npm are not installed, so Stoplight Prism cannot run")
    PRISM_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(PRISM_DIR),
                    "@stoplight/prism-cli@5.14.2"], check=True, timeout=600, capture_output=True)
    return str(local)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Prism:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.NamedTemporaryFile("w+", prefix="prism-", suffix=".log")  # noqa: SIM115 - stop()
        self.proc = subprocess.Popen(
            [prism_bin(), "mock", "-h", "127.0.0.1", "-p", str(self.port), str(yaml_path())],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"prism exited with {self.proc.returncode}: {self.log.read()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("prism did not start within 60 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


class CheckingTransport(httpx.BaseTransport):
    """Forwards to Prism, answers the token request itself, and collects Prism's findings."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.request_violations: list[str] = []
        self.response_violations: list[str] = []
        self.calls: list[tuple[str, str, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(TOKEN_URL):
            return httpx.Response(200, json={"access_token": "prism", "token_type": "Bearer", "expires_in": 300})
        response = self.inner.handle_request(request)
        response.read()
        self.calls.append((request.method, request.url.path, response.status_code))
        for v in json.loads(response.headers.get("sl-violations") or "[]"):
            where = "/".join(map(str, v.get("location", [])))
            line = f"{request.method} {request.url.path}: {where}: {v.get('message')}"
            (self.request_violations if v.get("location", [""])[0] == "request" else self.response_violations
             ).append(line)
        if response.status_code == 404 and "NO_PATH_MATCHED" in response.text:
            self.request_violations.append(f"{request.method} {request.url.path}: no such path in the yaml")
        return response

    def close(self):
        self.inner.close()
