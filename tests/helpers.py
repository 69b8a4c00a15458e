"""Small helpers shared by the end-to-end tests."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from contextlib import contextmanager
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.timezone.utc)
_MODELS = {
    name: botocore.session.get_session().get_service_model(name) for name in ("mgh", "migrationhub-config", "discovery")
}


def modeled_errors(service: str, operation: str) -> set[str]:
    return {shape.name for shape in _MODELS[service].operation_model(operation).error_shapes}


@contextmanager
def raises(code: str, *, service: str = "mgh", match: str | None = None):
    """Expect a ClientError with ``code``, which must be modeled for the operation."""
    with pytest.raises(ClientError) as info:
        yield info
    error = info.value.response["Error"]
    assert error["Code"] == code, error
    operation = info.value.operation_name
    assert code in modeled_errors(service, operation), f"{code} is not modeled for {operation}"
    if match is not None:
        assert match in error["Message"], error["Message"]


def setup_task(mgh: Any, stream: str = "SMS", task: str = "web-01") -> None:
    mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
    mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)


def notify(mgh: Any, stream: str = "SMS", task: str = "web-01", status: str = "IN_PROGRESS", **extra: Any) -> None:
    mgh.notify_migration_task_state(
        ProgressUpdateStream=stream,
        MigrationTaskName=task,
        Task={"Status": status, **extra},
        UpdateDateTime=NOW,
        NextUpdateSeconds=60,
    )


def run_benchmark(script: str, *args: str) -> str:
    """Run ``benchmarks/<script>`` as CI would (no AWS settings of the developer's); its
    stdout, after checking it exited 0."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, str(root / "benchmarks" / script), *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def start_server_cli(*flags: str) -> tuple[subprocess.Popen[str], str]:
    """``python -m fakehub serve`` in a process of its own, and the URL its first line gives."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fakehub", "serve", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()
