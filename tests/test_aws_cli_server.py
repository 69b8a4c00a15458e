"""The AWS CLI, v1 (pip's awscli, ``python -m awscli``) and v2 (Debian's awscli,
``/usr/bin/aws``), as subprocesses with ``--endpoint-url`` against the fakehub server.

Both cannot be ``aws`` on PATH at once, so each is called by a path of its own.  Debian's v2
(2.9) models 17 of mgh's 21 operations: not the four of 2024-12.  Each CLI call costs about a
second of start-up, so the error call runs beside the others.
"""

from __future__ import annotations

import json
import sys

import pytest
from botocore.exceptions import ClientError

from fakehub import Hub
from tests.real_clients import AWS_CLI_V2, boto3_client, explain, finish, require, run, start

# Exit codes the CLIs document for "the service answered an error": v1 255, v2 254.
CLIS = {
    "v1": ([sys.executable, "-m", "awscli"], 255),
    "v2": ([AWS_CLI_V2], 254),
}


@pytest.fixture(params=sorted(CLIS))
def aws(request: pytest.FixtureRequest, fakehub_endpoint: str) -> tuple[list[str], int]:
    """The CLI's ``aws mgh`` command, pointed at this test's server, and its exit code for a service error."""
    command, error_code = CLIS[request.param]
    if request.param == "v2":
        require(AWS_CLI_V2, "The AWS CLI v2 (Debian package awscli)")
    return [*command, "--endpoint-url", fakehub_endpoint, "--output", "json", "mgh"], error_code


def test_a_stream_an_import_a_listing_and_an_error(
    aws: tuple[list[str], int], fakehub_endpoint: str, fakehub: Hub
) -> None:
    mgh, error_code = aws
    missing = start([*mgh, "describe-migration-task", "--progress-update-stream", "Nope", "--migration-task-name", "x"])

    created = run([*mgh, "create-progress-update-stream", "--progress-update-stream-name", "CliTool"])
    assert created.returncode == 0, explain(created)
    imported = run(
        [*mgh, "import-migration-task", "--progress-update-stream", "CliTool", "--migration-task-name", "web-01"]
    )
    assert imported.returncode == 0, explain(imported)
    assert fakehub.tasks() == [("CliTool", "web-01")]
    listed = run([*mgh, "list-migration-tasks"])
    assert listed.returncode == 0, explain(listed)
    summaries = json.loads(listed.stdout)["MigrationTaskSummaryList"]
    assert [(task["ProgressUpdateStream"], task["MigrationTaskName"]) for task in summaries] == [("CliTool", "web-01")]

    failed = finish(missing)
    assert failed.returncode == error_code, explain(failed)
    assert failed.stdout == ""
    expected = service_message(fakehub_endpoint, "Nope", "x")
    assert failed.stderr.strip() == (
        f"An error occurred (ResourceNotFoundException) when calling the DescribeMigrationTask operation: {expected}"
    ), explain(failed)


def service_message(endpoint: str, stream: str, task: str) -> str:
    """The message the server answers DescribeMigrationTask with, as boto3 reads it over HTTP."""
    with pytest.raises(ClientError) as refused:
        boto3_client("mgh", endpoint).describe_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)
    assert refused.value.response["Error"]["Code"] == "ResourceNotFoundException"
    return str(refused.value.response["Error"]["Message"])
