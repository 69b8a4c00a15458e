"""The scale section prints the growth probes of issue 13 (item 12) at each size, with the
ratio per item; figures are printed, never asserted."""

from __future__ import annotations

import re

import pytest

from helpers import run_benchmark

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)

PROBES = (
    "ADS list, default order",
    "ADS list, by host name",
    "tasks by ResourceName",
    "tasks, plain listing",
    "settle, key shared by n",
)


def test_the_scale_section_prints_each_growth_probe_at_two_sizes_with_its_ratio() -> None:
    out = run_benchmark("bench.py", "--quick", "--sections", "scale")
    for probe in PROBES:
        [row] = [line for line in out.splitlines() if line.startswith(probe)]
        cells = re.findall(r"(\d+): +([\d.]+) \(([\d.]+)x\)", row)
        assert len(cells) == 2, row
        assert cells[0][2] == "1.00", row  # the smallest size is the unit
