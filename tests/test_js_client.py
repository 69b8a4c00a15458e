"""The AWS SDK for JavaScript v3, a real client, against ``python -m fakehub serve``.

``examples/js-tool`` is a migration tool written with the SDK; its own ``node:test`` tests run
here, and a Python test drives the tool's command line against a server subprocess and reads
the result with boto3 from the same server.  The SDK's versions are pinned by the tool's
``package-lock.json``; ``.ci/install-clients`` installs them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.real_clients import (
    INSTALL_HINT,
    boto3_client,
    control,
    explain,
    fakehub_subprocess,
    js_tool_installed,
    node,
    run,
)

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)


def test_the_js_tools_own_node_tests_pass() -> None:
    tool = js_tool_installed()
    result = run([node(), "--test", "--test-reporter=tap", str(tool / "tests")])
    assert result.returncode == 0, explain(result)
    passed = re.search(r"^# pass (\d+)$", result.stdout, re.MULTILINE)
    assert passed and int(passed.group(1)) >= 13, explain(result)
    assert re.search(r"^# fail 0$", result.stdout, re.MULTILINE), explain(result)


def test_the_js_tool_migrates_through_a_server_subprocess_and_boto3_reads_the_result() -> None:
    tool = js_tool_installed()
    with fakehub_subprocess() as endpoint:
        command = [node(), str(tool / "migrate.mjs"), "--endpoint", endpoint, "--stream", "JsMover"]
        result = run([*command, "web-01=10.0.0.7", "web-02=10.0.0.8"])
        assert result.returncode == 0, explain(result)
        listed = json.loads(result.stdout)
        assert [(task["MigrationTaskName"], task["Status"]) for task in listed] == [
            ("web-01", "COMPLETED"),
            ("web-02", "COMPLETED"),
        ]

        mgh = boto3_client("mgh", endpoint)
        streams = mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
        assert streams == [{"ProgressUpdateStreamName": "JsMover"}]
        task = mgh.describe_migration_task(ProgressUpdateStream="JsMover", MigrationTaskName="web-02")["MigrationTask"]
        assert task["Task"] == {"Status": "COMPLETED", "ProgressPercent": 100, "StatusDetail": "Cut over"}
        assert task["ResourceAttributeList"] == [{"Type": "IPV4_ADDRESS", "Value": "10.0.0.8"}]
        config = boto3_client("migrationhub-config", endpoint)
        assert config.get_home_region()["HomeRegion"] == "us-west-2"  # "auto": the JS tool's region
        assert control(endpoint, "GET", "contract")["clean"] is True


def test_a_missing_js_package_fails_with_how_to_install_it(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        js_tool_installed(tmp_path)
    assert "@aws-sdk/client-migration-hub" in str(failed.value)
    assert INSTALL_HINT in str(failed.value)
    assert "npm ci --prefix examples/js-tool" in INSTALL_HINT
