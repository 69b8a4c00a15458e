"""Every ```python block of the docs and the README runs, so an example cannot rot.

A block that defines pytest tests (``def test_...``) runs as a test module under pytester
with the plugin from this checkout, and must pass; any other block runs as a script, in a
directory of its own (some write files).  A block that is a fragment on purpose is marked
with ``<!-- not run: reason -->`` on the line before its fence; the reason is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = (*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md")
PLUGIN = ("-p", "no:fakehub", "-p", "pytest_fakehub.plugin", "-p", "no:cacheprovider")
NOT_RUN = re.compile(r"<!--\s*not run:(?P<reason>.*?)-->")
FENCE = re.compile(r"^```(?P<language>\S*)\s*$")
TEST_FUNCTION = re.compile(r"^(?:async\s+)?def test_", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # of the opening fence
    code: str
    not_run: str | None  # the reason given, for a block marked as a fragment

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


def python_blocks(page: Path) -> list[Block]:
    """The page's fenced ```python blocks, with the not-run reason marked before each."""
    found: list[Block] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    n = 0
    while n < len(lines):
        fence = FENCE.match(lines[n])
        if fence is None:
            n += 1
            continue
        start = n
        n += 1
        while n < len(lines) and FENCE.match(lines[n]) is None:
            n += 1
        if fence["language"] == "python":
            before = next((text for text in reversed(lines[:start]) if text.strip()), "")
            marked = NOT_RUN.search(before)
            code = "\n".join(lines[start + 1 : n]) + "\n"
            found.append(Block(page, start + 1, code, marked["reason"].strip() if marked else None))
        n += 1
    return found


BLOCKS = [block for page in PAGES for block in python_blocks(page)]


def test_every_page_is_read_and_fragments_say_why() -> None:
    assert len(BLOCKS) >= 15, [block.name for block in BLOCKS]  # the fence parser found them
    assert not [block.name for block in BLOCKS if block.not_run == ""], "a not-run mark needs a reason"


def is_test_module(block: Block) -> bool:
    return TEST_FUNCTION.search(block.code) is not None


@pytest.mark.parametrize(
    "block", [b for b in BLOCKS if b.not_run is None and not is_test_module(b)], ids=lambda block: block.name
)
def test_the_script_block_runs(block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(block.code, block.name, "exec"), {"__name__": "__main__"})


def test_the_test_blocks_pass(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """All in one pytester session (a session costs more than most blocks).  The conformance
    example runs a shorter suite than its defaults (40 runs of 40 steps, ~15 s here),
    derandomized so that every run is the same: with 5 runs of 30 steps its own rule is drawn 6
    times (counted when this was written)."""
    from hypothesis import HealthCheck, settings

    from fakehub import conformance

    short = settings(
        max_examples=5,
        stateful_step_count=30,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    monkeypatch.setattr(conformance.Target, "settings", lambda _target: short)
    blocks = {module_name(b): b for b in BLOCKS if b.not_run is None and is_test_module(b)}
    pytester.makepyfile(**{name: block.code for name, block in blocks.items()})
    reports = pytester.inline_run(*PLUGIN).getreports(("pytest_collectreport", "pytest_runtest_logreport"))
    passed = {module_of(report.nodeid) for report in reports if report.passed and report.when == "call"}
    failures = [f"{where(r.nodeid, blocks)}: {r.nodeid}\n{r.longreprtext}" for r in reports if r.failed]
    assert not failures, "\n\n".join(failures)
    assert sorted(passed) == sorted(blocks), "each test block has a test that ran and passed"


def module_name(block: Block) -> str:
    return f"test_{block.page.stem.replace('-', '_').lower()}_{block.line}"


def module_of(nodeid: str) -> str:
    return nodeid.partition(".py")[0]


def where(nodeid: str, blocks: dict[str, Block]) -> str:
    """The block a report of the pytester session is about (or the session itself)."""
    block = blocks.get(module_of(nodeid))
    return block.name if block is not None else "the session"


def test_the_parser_sees_marks_languages_and_fences(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "text\n```python\nrun = 1\n```\n\n<!-- not run: needs your AWS account -->\n\n```python\nskip = 1\n```\n"
        "```\nplain = 1\n```\n```python\nlast = 1\n```\n"
    )
    found = [(block.line, block.code, block.not_run) for block in python_blocks(page)]
    assert found == [(2, "run = 1\n", None), (8, "skip = 1\n", "needs your AWS account"), (14, "last = 1\n", None)]
