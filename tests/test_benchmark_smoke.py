"""The benchmark script runs and prints every section (``--quick``); no timing is asserted."""

from __future__ import annotations

import pytest

from helpers import run_benchmark

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)

SECTIONS = ("== first faked call", "== per call", "== activation", "== scale", "== pytest fixture", "done in")


def test_bench_quick_runs_and_prints_each_section() -> None:
    out = run_benchmark("bench.py", "--quick")
    for section in SECTIONS:
        assert section in out, f"{section!r} missing from:\n{out}"
    for operation in ("import", "notify", "put-attributes", "describe", "list-100"):
        assert f"\n{operation} " in out


def test_the_server_benchmark_runs_and_prints_each_section() -> None:
    out = run_benchmark("bench_server.py", "--quick")
    sections = (
        "== per call over HTTP through botocore",
        "== per call over HTTP, AWS SDK for JavaScript v3",
        "== requests per second",
        "== start + stop",
        "done in",
    )
    for section in sections:
        assert section in out, f"{section!r} missing from:\n{out}"


def test_the_snapshot_benchmark_runs_and_prints_each_section() -> None:
    out = run_benchmark("bench_snapshot.py", "--quick")
    for section in (
        "== snapshot and restore vs deep copy",
        "== snapshot size",
        "restore / deepcopy(state):",
        "done in",
    ):
        assert section in out, f"{section!r} missing from:\n{out}"
