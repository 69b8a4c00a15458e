"""Writes the site's examples page at build time (run by mkdocs-gen-files, see mkdocs.yml).

The examples live in ``examples/``, outside the docs tree, where the tests run them; the pages
link here (``examples.md#quickstart``), and this page shows each file's source as it is in the
repository, so the site never shows a copy that has drifted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import mkdocs_gen_files

ROOT = Path.cwd()  # mkdocs runs from the directory of mkdocs.yml
EXAMPLES = ROOT / "examples"
TESTS = ROOT / "tests"
PAGE = "examples.md"


def summary(source: str) -> str:
    """The example's module docstring: what it shows."""
    return ast.get_docstring(ast.parse(source)) or ""


def run_by(example: Path) -> list[str]:
    """The test modules that name the example's file, or load it as a module
    (``load_example("migration_tool")``): they run it."""
    names = (example.name, f'load_example("{example.stem}")')
    return sorted(
        f"`tests/{test.name}`"
        for test in TESTS.glob("test_*.py")
        if any(name in test.read_text(encoding="utf-8") for name in names)
    )


def section(example: Path) -> Iterable[str]:
    source = example.read_text(encoding="utf-8")
    yield f"## {example.name} {{#{example.stem}}}"
    yield ""
    yield summary(source).replace("``", "`")
    yield ""
    tests = run_by(example)
    if tests:
        yield f"Run by {', '.join(tests)}."
        yield ""
    yield f'```python title="examples/{example.name}"'
    yield source.rstrip("\n")
    yield "```"
    yield ""


def page() -> str:
    lines = [
        "# Examples",
        "",
        "The runnable examples of the repository's `examples/` folder, as they are there; the",
        "test suite runs each of them.",
        "",
    ]
    for example in sorted(EXAMPLES.glob("*.py")):
        lines.extend(section(example))
    return "\n".join(lines)


with mkdocs_gen_files.open(PAGE, "w") as out:
    out.write(page())
