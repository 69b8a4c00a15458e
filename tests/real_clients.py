"""What the tests of real non-Python clients share: where each client is, a ``python -m fakehub
serve`` subprocess, and an environment that keeps the developer's AWS settings out.

The clients are installed by the repository's own ``.ci/install-clients``; a test whose client
is missing fails (never skips) with a message saying how to install it.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
JS_TOOL = REPOSITORY / "examples" / "js-tool"
INSTALL_HINT = (
    "run `sudo bash .ci/install-clients` (Debian's awscli and chromium, and `npm ci --prefix examples/js-tool`)"
)
AWS_CLI_V2 = "/usr/bin/aws"  # Debian's awscli package; the pip awscli (v1) is `python -m awscli`
CHROMIUM = "/usr/bin/chromium"
REGION = "us-west-2"
ACCESS_KEY, SECRET_KEY = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SERVER_START_TIMEOUT = 30.0
CLIENT_TIMEOUT = 60.0  # a bound on each client process, so a hung one fails the test instead of the run


def require(path: str | Path, what: str) -> str:
    """``path`` (an executable or a file) if it exists; otherwise fail the test, saying how to install it."""
    found = shutil.which(str(path)) if not os.path.isabs(path) else (str(path) if os.path.exists(path) else None)
    if found is None:
        pytest.fail(f"{what} is not installed ({path} not found): {INSTALL_HINT}", pytrace=False)
    return found


def node() -> str:
    return require("node", "Node.js")


def js_tool_installed(tool: Path = JS_TOOL) -> Path:
    """The JS tool's folder once its pinned packages are installed (``npm ci`` from its lock file)."""
    node()
    for package in ("@aws-sdk/client-migration-hub", "@aws-sdk/client-migrationhub-config", "@smithy/util-retry"):
        require(tool / "node_modules" / package / "package.json", f"the npm package {package}")
    return tool


def client_environment(**extra: str) -> dict[str, str]:
    """The process environment for a client: test credentials and region, and none of the
    developer's AWS configuration, Python path or pager."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "PYTHON")) and name not in ("VIRTUAL_ENV", "NODE_OPTIONS")
    }
    environment.update(
        AWS_ACCESS_KEY_ID=ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY=SECRET_KEY,
        AWS_DEFAULT_REGION=REGION,
        AWS_REGION=REGION,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_PAGER="",
        AWS_EC2_METADATA_DISABLED="true",
        FAKEHUB_PYTHON=sys.executable,
    )
    environment.update(extra)
    return environment


def start(command: Sequence[str], **extra_environment: str) -> subprocess.Popen[str]:
    """Start a client, output captured as text; :func:`finish` waits for it."""
    return subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=client_environment(**extra_environment),
        cwd=REPOSITORY,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """Wait for a client started by :func:`start` (at most ``CLIENT_TIMEOUT``; then it is killed)."""
    try:
        stdout, stderr = process.communicate(timeout=CLIENT_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        stderr += f"\n(killed after {CLIENT_TIMEOUT} s)"
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def run(command: Sequence[str], **extra_environment: str) -> subprocess.CompletedProcess[str]:
    """Run a client to its end (bounded by ``CLIENT_TIMEOUT``)."""
    return finish(start(command, **extra_environment))


def explain(result: subprocess.CompletedProcess[str]) -> str:
    """A failed client's command, exit code and output, for an assertion message."""
    return (
        f"{' '.join(result.args)} exited {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )


@contextlib.contextmanager
def fakehub_subprocess(*flags: str) -> Iterator[str]:
    """``python -m fakehub serve`` in a process of its own; yields the endpoint URL (its first line)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPOSITORY,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], SERVER_START_TIMEOUT)
        url = process.stdout.readline().strip() if ready else ""
        if not url.startswith("http://"):
            process.kill()
            _, stderr = process.communicate(timeout=SERVER_START_TIMEOUT)
            pytest.fail(f"python -m fakehub serve printed {url!r} instead of its URL; stderr:\n{stderr}")
        yield url
    finally:
        process.terminate()
        try:
            process.communicate(timeout=SERVER_START_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def control(endpoint: str, method: str, route: str, body: Any = None) -> Any:
    """One request to the server's control API (``/_fakehub/<route>``); its JSON answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{endpoint}/_fakehub/{route}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as answer:
        return json.loads(answer.read())


def journal(endpoint: str) -> list[dict[str, Any]]:
    """The server's journal (``GET /_fakehub/journal``, JSON lines): one entry per call."""
    with urllib.request.urlopen(f"{endpoint}/_fakehub/journal", timeout=CLIENT_TIMEOUT) as answer:
        return [json.loads(line) for line in answer.read().decode().splitlines()]


def boto3_client(service: str, endpoint: str) -> Any:
    """A boto3 client that goes over HTTP to ``endpoint`` (never answered in process)."""
    import boto3

    session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION)
    return session.client(service, endpoint_url=endpoint)
