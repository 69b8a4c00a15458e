"""The live console (``GET /``) in a real browser, headless Chromium (Debian's chromium), while
the JS tool reports: the rendered page shows the task's status, and after more reports and
the page's own refresh (its meta tag; nothing navigates it again) the new status.

``tests/js/watch_console.mjs`` drives both the tool and the browser (the DevTools protocol on
a pipe) and prints the tables as the browser rendered them; this test checks them.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest

from fakehub import Hub
from tests.real_clients import CHROMIUM, REPOSITORY, explain, js_tool_installed, node, require, run

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)

WATCH = REPOSITORY / "tests" / "js" / "watch_console.mjs"
WINDOW_WIDTH = 1100  # watch_console.mjs's --window-size


def test_the_console_shows_a_tool_run_as_it_goes(fakehub_endpoint: str, fakehub: Hub, tmp_path: Path) -> None:
    js_tool_installed()
    chromium = require(CHROMIUM, "Chromium (Debian package chromium)")
    screenshot = tmp_path / "console.png"
    result = run([node(), str(WATCH), fakehub_endpoint, str(screenshot)], CHROMIUM=chromium)
    assert result.returncode == 0, explain(result)
    seen = json.loads(result.stdout)

    before = tasks_shown(seen["before"])
    assert before == {"web-01": {"Status": "IN_PROGRESS", "Progress": "40%", "Status detail": "Copying disks"}}
    after = tasks_shown(seen["after"])
    assert after == {
        "web-01": {"Status": "COMPLETED", "Progress": "100%", "Status detail": "Cut over"},
        "web-02": {"Status": "IN_PROGRESS", "Progress": "10%", "Status detail": "Starting"},
    }
    assert fakehub.tasks() == [("Mover", "web-01"), ("Mover", "web-02")]
    assert png_width(screenshot) == WINDOW_WIDTH


def tasks_shown(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    """The task table as the browser rendered it: task name → status, progress, detail."""
    header = next(row for row in rows if row[:2] == ["Task", "Status"])
    shown = {}
    for row in rows:
        if len(row) == len(header) and row != header:
            cells = dict(zip(header, row, strict=True))
            shown[cells["Task"]] = {name: cells[name] for name in ("Status", "Progress", "Status detail")}
    return shown


def png_width(path: Path) -> int:
    """The width of a PNG (its IHDR chunk), so the test knows a real picture was written."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return int(struct.unpack(">I", data[16:20])[0])
