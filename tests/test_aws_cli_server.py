"""The AWS CLI, v1 (pip's awscli, ``python -m awscli``) and v2 (Debian's awscli,
``/usr/bin/aws``), as subprocesses with ``--endpoint-url`` against the fakehub server.

Both cannot be ``aws`` on PATH at once, so each is called by a path of its own.  Debian's v2
(2.9) models 17 of mgh's 21 operations: not the four of 2024-12.  A CLI call costs about half
a second of start-up, so the two CLIs take each step at once (each with a stream of its own),
and the error calls run beside the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError

from fakehub import Hub
from tests.real_clients import AWS_CLI_V2, boto3_client, explain, finish, require, start

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)

# The exit code each CLI documents for "the service answered an error".
ERROR_EXIT_CODES = {"v1": 255, "v2": 254}

Arguments = Callable[[str], list[str]]  # a CLI's name ("v1", "v2") → its `aws mgh` arguments


@pytest.fixture
def aws_mgh(fakehub_endpoint: str) -> dict[str, list[str]]:
    """Each CLI's ``aws mgh`` command, pointed at this test's server."""
    require(AWS_CLI_V2, "The AWS CLI v2 (Debian package awscli)")
    options = ["--endpoint-url", fakehub_endpoint, "--output", "json", "mgh"]
    return {"v1": [sys.executable, "-m", "awscli", *options], "v2": [AWS_CLI_V2, *options]}


def start_each(aws_mgh: dict[str, list[str]], arguments: Arguments) -> dict[str, subprocess.Popen[str]]:
    return {name: start([*command, *arguments(name)]) for name, command in aws_mgh.items()}


def run_each(aws_mgh: dict[str, list[str]], arguments: Arguments) -> dict[str, subprocess.CompletedProcess[str]]:
    """Both CLIs at once, each with its arguments; each must succeed."""
    results = {name: finish(process) for name, process in start_each(aws_mgh, arguments).items()}
    for result in results.values():
        assert result.returncode == 0, explain(result)
    return results


def test_a_stream_an_import_a_listing_and_an_error(
    aws_mgh: dict[str, list[str]], fakehub_endpoint: str, fakehub: Hub
) -> None:
    missing = start_each(
        aws_mgh, lambda _: ["describe-migration-task", "--progress-update-stream", "Nope", "--migration-task-name", "x"]
    )
    run_each(aws_mgh, lambda cli: ["create-progress-update-stream", "--progress-update-stream-name", f"Cli-{cli}"])
    run_each(
        aws_mgh,
        lambda cli: [
            "import-migration-task",
            "--progress-update-stream",
            f"Cli-{cli}",
            "--migration-task-name",
            "web-01",
        ],
    )
    assert fakehub.tasks() == [("Cli-v1", "web-01"), ("Cli-v2", "web-01")]
    for result in run_each(aws_mgh, lambda _: ["list-migration-tasks"]).values():
        summaries = json.loads(result.stdout)["MigrationTaskSummaryList"]
        listed = sorted((task["ProgressUpdateStream"], task["MigrationTaskName"]) for task in summaries)
        assert listed == [("Cli-v1", "web-01"), ("Cli-v2", "web-01")], explain(result)

    expected = "An error occurred (ResourceNotFoundException) when calling the DescribeMigrationTask operation: "
    expected += service_message(fakehub_endpoint, "Nope", "x")
    for cli, process in missing.items():
        failed = finish(process)
        assert failed.returncode == ERROR_EXIT_CODES[cli], explain(failed)
        assert failed.stdout == ""
        assert failed.stderr.strip() == expected, explain(failed)


def service_message(endpoint: str, stream: str, task: str) -> str:
    """The message the server answers DescribeMigrationTask with, as boto3 reads it over HTTP."""
    with pytest.raises(ClientError) as refused:
        boto3_client("mgh", endpoint).describe_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)
    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
    return str(refused.value.response["Error"]["Message"])
