"""``python -m fakehub demo``: the README's main-job command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_demo_maps_the_tasks_to_the_discovered_servers_and_reports_a_clean_contract():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "fakehub", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Tool DemoMover" in out
    assert len(re.findall(r"^(web-01|web-02|db-01)\s+COMPLETED\s+100%", out, re.MULTILINE)) == 3
    throttled = int(re.search(r"(\d+) throttled and retried by botocore", out).group(1))
    assert throttled > 0
    assert "Contract report as of 2025-06-02T09:" in out and out.rstrip().endswith("clean")
    assert re.search(r"^storefront \(d-application-0[0-9a-z]{13}\)\s+IN_PROGRESS", out, re.MULTILINE)
    mapped = re.findall(r"^d-server-0[0-9a-z]{13}\s+\S+\s+DemoMover/(\S+)$", out, re.MULTILINE)
    assert sorted(mapped) == ["db-01", "web-01", "web-02"]  # one discovered server per task, none added
