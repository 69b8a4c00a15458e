"""The benchmark script runs and prints every section (``--quick``); no timing is asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("== first faked call", "== per call", "== activation", "== scale", "== pytest fixture", "done in")


def test_bench_quick_runs_and_prints_each_section() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for section in SECTIONS:
        assert section in result.stdout, f"{section!r} missing from:\n{result.stdout}"
    for operation in ("import", "notify", "put-attributes", "describe", "list-100"):
        assert f"\n{operation} " in result.stdout


def test_the_server_benchmark_runs_and_prints_each_section() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_server.py"), "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for section in ("== per call over HTTP", "== requests per second", "== start + stop", "done in"):
        assert section in result.stdout, f"{section!r} missing from:\n{result.stdout}"
