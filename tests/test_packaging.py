"""fakehub as a user installs it: its version, its license metadata, the name its pytest plugin is installed under.

These read the installed distribution (editable or wheel), so they hold for the copy that
pytest's entry point loads, not only for the files in this checkout."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import pytest

import fakehub

ROOT = Path(__file__).resolve().parents[1]


def test_the_version_is_written_once() -> None:
    """pyproject reads fakehub.__version__ (statically: no botocore at build time)."""
    assert importlib.metadata.version("fakehub") == fakehub.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", fakehub.__version__)


def test_the_plugin_is_installed_as_pytest_fakehub() -> None:
    [entry] = [ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.dist.name == "fakehub"]
    assert (entry.name, entry.value) == ("fakehub", "pytest_fakehub.plugin")
    assert entry.load().__name__ == "pytest_fakehub.plugin"


def test_the_metadata_declares_the_license_of_the_license_file() -> None:
    meta = importlib.metadata.metadata("fakehub")
    assert meta["License-Expression"] == "Apache-2.0"
    assert "LICENSE" in meta.get_all("License-File")
    assert not [c for c in meta.get_all("Classifier") if c.startswith("License ::")]  # superseded by the expression
    assert "Framework :: Pytest" in meta.get_all("Classifier")
    assert (ROOT / "LICENSE").read_text().split()[:4] == ["Apache", "License", "Version", "2.0,"]


def _extras() -> dict[str, set[str]]:
    """Each extra's requirement names, from the installed metadata."""
    extras: dict[str, set[str]] = {}
    for line in importlib.metadata.requires("fakehub") or []:
        found = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^]]*\])?[^;]*;\s*extra\s*==\s*[\"']([^\"']+)[\"']", line)
        if found:
            extras.setdefault(found[3], set()).add(found[1].lower())
    return extras


def test_users_can_name_the_extras_of_each_feature_without_the_suites_tools() -> None:
    extras = _extras()
    assert extras["boto3"] == {"boto3"}
    assert extras["hypothesis"] == {"hypothesis", "boto3"}
    assert extras["demo"] == {"boto3", "freezegun"}
    for name in ("boto3", "hypothesis", "demo"):
        assert not extras[name] & {"moto", "awscli", "aiobotocore", "pytest-xdist"}, name
    assert {"fakehub", "pytest", "moto", "awscli", "aiobotocore", "pytest-xdist"} <= extras["test"]


def test_a_project_with_its_own_conftest_plugin_module_starts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A top-level ``conftest_plugin`` in the installed distribution made pytest exit 3
    ("'conftest_plugin' is not a package") in any project with a ``conftest_plugin.py`` at its
    root: the module in the working directory shadowed the installed package."""
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    pytester.makepyfile(
        conftest_plugin="NAME = 'the project its own'\n",
        test_own="""
            import conftest_plugin

            def test_both_plugins_are_there(fakehub, mgh_client):
                assert conftest_plugin.NAME == 'the project its own'
                mgh_client.create_progress_update_stream(ProgressUpdateStreamName="SMS")
                assert fakehub.streams() == ["SMS"]
        """,
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == 0, result.stderr.str()
    result.assert_outcomes(passed=1)


def test_the_file_lists_leave_out_the_js_tools_node_modules() -> None:
    """``npm ci`` (.ci/install-clients) fills examples/js-tool/node_modules with thousands of
    files; an install made after it listed them all in the checkout's egg-info (and an sdist
    would carry them: the lock file is what it needs).  pytest reads the file list of every
    distribution with a plugin at each start, ~30 ms more for each in-process pytester run."""
    listed = [
        str(file)
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"] == "fakehub"
        for file in dist.files or []
    ]
    assert listed and not [name for name in listed if "node_modules" in name]
