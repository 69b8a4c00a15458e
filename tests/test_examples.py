"""The examples the docs point to run, so they never rot."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.parametrize(
    "name", ["quickstart.py", "auto_mapping.py", "own_stream_policy.py", "async_tool.py", "fleet_snapshot.py"]
)
def test_example_runs(name, capsys):
    runpy.run_path(str(EXAMPLES / name), run_name="__main__")
    assert capsys.readouterr().out.strip()
