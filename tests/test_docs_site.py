"""The documentation site builds with ``mkdocs build --strict`` (no broken link, no page left out
of the navigation, no missing anchor), and its generated pages say what they must: the coverage
page lists every operation of botocore's three models with the status fakehub gives it, the
API reference has every public name, the examples page every example.

Needs the ``docs`` extra (``pip install -e '.[docs]'``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

import fakehub
from fakehub import mock_migrationhub

pytestmark = pytest.mark.slow  # a deeper run: `pytest -m slow` (CI runs it)

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("mgh", "migrationhub-config", "discovery")
# The ADS operations Migration Hub relies on (the README's "8 ADS operations"); the rest of ADS is refused.
ADS_IMPLEMENTED = {
    "AssociateConfigurationItemsToApplication",
    "CreateApplication",
    "DeleteApplications",
    "DescribeConfigurations",
    "DisassociateConfigurationItemsFromApplication",
    "GetDiscoverySummary",
    "ListConfigurations",
    "UpdateApplication",
}
DOCUMENTED_MODULES = ("faults", "journal", "contract", "console", "strategies", "conformance")
# mkdocs-material 9.8 and a plugin print a notice about MkDocs 2 on every build; it is not a warning of the site.
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once for the module (about 2-3 s here)."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.fail("the site needs the docs extra: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, **QUIET},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "WARNING" not in built.stderr, built.stderr
    return out


def page_text(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def coverage_rows(html: str) -> dict[str, dict[str, tuple[str, str]]]:
    """service -> operation -> (boto3 method, status), read from the built coverage page."""
    found: dict[str, dict[str, tuple[str, str]]] = {}
    for section in html.split('<h2 id="')[1:]:
        service = section.partition('"')[0]
        rows = re.findall(r"<tr>\s*<td>(\w+)</td>\s*<td><code>(\w+)</code></td>\s*<td>(.*?)</td>\s*</tr>", section)
        found[service] = {op: (method, unescape(re.sub(r"<[^>]+>", "", status))) for op, method, status in rows}
    return found


def model(service: str) -> botocore.model.ServiceModel:
    return botocore.session.get_session().get_service_model(service)


def test_the_coverage_page_lists_every_operation_of_the_three_models(site: Path) -> None:
    rows = coverage_rows(page_text(site, "coverage"))
    assert sorted(rows) == sorted(SERVICES)
    for service in SERVICES:
        operations = model(service).operation_names
        assert sorted(rows[service]) == sorted(operations), service
        for op in operations:
            assert rows[service][op][0] == botocore.xform_name(op)


def test_the_coverage_page_gives_each_operation_its_status(site: Path) -> None:
    rows = coverage_rows(page_text(site, "coverage"))
    for service in SERVICES:
        for op, (_method, status) in rows[service].items():
            implemented = service != "discovery" or op in ADS_IMPLEMENTED
            if implemented:
                assert status == "✅ implemented", (service, op)
            else:
                refusal = re.fullmatch(r"❌ not implemented \(answers (\w+)\)", status)
                assert refusal is not None, (service, op, status)
                assert refusal[1] in {s.name for s in model(service).operation_model(op).error_shapes}, (op, status)
    counts = re.findall(r"<strong>(\d+) of (\d+)</strong>", page_text(site, "coverage"))
    ads = len(model("discovery").operation_names)
    assert counts == [("21", "21"), ("4", "4"), ("8", str(ads))]


def test_an_operation_the_page_calls_not_implemented_is_refused_with_the_code_it_shows(site: Path) -> None:
    status = coverage_rows(page_text(site, "coverage"))["discovery"]["DescribeTags"][1]
    with mock_migrationhub(home_region="us-west-2"):
        ads = boto3.client("discovery", region_name="us-west-2")
        ads.get_discovery_summary()  # implemented: answered
        with pytest.raises(ClientError) as refused:
            ads.describe_tags()
    error = refused.value.response["Error"]
    assert status == f"❌ not implemented (answers {error['Code']})"
    assert "fakehub does not implement discovery DescribeTags" in error["Message"]


NAV_SECTIONS = ["Home", "First test in five minutes", "Testing a migration tool", "Server mode", "Reference"]
NAV_PAGES = {
    "First test in five minutes": ["getting-started.md", "coming-from.md"],
    "Testing a migration tool": [
        "pytest-plugin.md",
        "fault-injection.md",
        "journal-and-contract.md",
        "auto-mapping.md",
        "async-hub.md",
        "console.md",
        "snapshots.md",
        "strategies.md",
        "conformance.md",
        "examples.md",
    ],
    "Reference": [
        "activation.md",
        "operations.md",
        "home-region-and-access.md",
        "aiobotocore.md",
        "architecture.md",
        "performance.md",
        "api/fakehub.md",
        *(f"api/{name}.md" for name in DOCUMENTED_MODULES),
        "coverage.md",
    ],
}


def nav_files(entries: list[object]) -> list[str]:
    """The page files of a nav (sub)tree, in order."""
    found: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found.extend(nav_files(value) if isinstance(value, list) else [str(value)])
    return found


def test_the_nav_follows_a_users_path_and_has_every_page(site: Path) -> None:
    from mkdocs.config import load_config

    nav = load_config(str(ROOT / "mkdocs.yml")).nav
    assert isinstance(nav, list), "mkdocs.yml has a nav"
    sections = {next(iter(entry)): next(iter(entry.values())) for entry in nav}
    assert list(sections) == NAV_SECTIONS
    assert sections["Home"] == "index.md"
    assert sections["Server mode"] == "server.md"
    for section, pages in NAV_PAGES.items():
        assert nav_files(sections[section]) == pages, section
    home = page_text(site, "")
    for section in NAV_SECTIONS[1:]:
        assert section in home, f"the built navigation shows {section!r}"
    for page in nav_files(nav):
        built = site / ("" if page == "index.md" else page.removesuffix(".md")) / "index.html"
        assert built.is_file(), page


def test_the_api_reference_documents_every_public_name(site: Path) -> None:
    reference = page_text(site, "api/fakehub")
    for name in fakehub.__all__:
        assert f'id="fakehub.{name}"' in reference, name
    for module_name in DOCUMENTED_MODULES:
        module = importlib.import_module(f"fakehub.{module_name}")
        text = page_text(site, f"api/{module_name}")
        assert f'id="fakehub.{module_name}"' in text
        for name in getattr(module, "__all__", ()):
            assert f'id="fakehub.{module_name}.{name}"' in text, (module_name, name)
    internal = {
        "api/fakehub": ("Hub.dispatcher", "Hub.check_faults", "Hub.record", "Hub.operation", "Hub.catch_up"),
        "api/faults": ("faults.Faults.check", "faults.Faults.advance"),
        "api/journal": ("journal.Journal.record",),
    }
    for page in ("api/fakehub", *(f"api/{name}" for name in DOCUMENTED_MODULES)):
        roles = re.findall(r":(?:class|func|meth|mod|attr|data|exc|obj):(?:`|<code>)", page_text(site, page))
        assert not roles, f"{page} shows Sphinx roles as text (docstrings use ``name``): {roles[:3]}"
    for page, names in internal.items():
        text = page_text(site, page)
        assert page != "api/fakehub" or 'id="fakehub.Hub.settle"' in text  # public members stay
        for name in names:
            assert f'id="fakehub.{name}"' not in text, f"{name}: internal, yet in the API reference"


def test_the_examples_page_shows_each_example_as_it_is(site: Path) -> None:
    text = unescape(re.sub(r"<[^>]+>", "", page_text(site, "examples")))
    for example in sorted((ROOT / "examples").glob("*.py")):
        assert f"examples/{example.name}" in text
        last_line = example.read_text(encoding="utf-8").rstrip().splitlines()[-1]
        assert last_line.strip() in text, example.name
