"""``python -m fakehub demo``: the README's main-job command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_runs_in_seconds_and_reports_a_clean_contract():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "fakehub", "demo"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Tool DemoMover" in out
    assert len(re.findall(r"^(web-01|web-02|db-01)\s+COMPLETED\s+100%", out, re.MULTILINE)) == 3
    throttled = int(re.search(r"(\d+) throttled and retried by botocore", out).group(1))
    assert throttled > 0
    assert "Contract report as of 2025-06-02T09:" in out and out.rstrip().endswith("clean")
    assert elapsed < 10


def test_the_demo_uses_the_worktrees_code():
    import fakehub

    assert Path(fakehub.__file__).resolve().is_relative_to(ROOT)
