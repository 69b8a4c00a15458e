"""The AWS CLI run in process, and moto answering other services beside fakehub."""

from __future__ import annotations

import contextlib
import io
import json

import boto3
import pytest
from moto import mock_aws

from fakehub import mock_migrationhub

pytestmark = pytest.mark.slow  # a deeper run: `pytest -m slow` (CI runs it)

REGION = "us-west-2"


def aws(*args: str) -> tuple[int, str, str]:
    """Run the AWS CLI (the awscli package) in this process."""
    from awscli.clidriver import create_clidriver

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = create_clidriver().main(["--region", REGION, "--output", "json", *args])
    return code, out.getvalue(), err.getvalue()


def test_the_aws_cli_creates_and_lists_a_stream():
    with mock_migrationhub(home_region=REGION) as hub:
        assert aws("mgh", "create-progress-update-stream", "--progress-update-stream-name", "CliTool")[0] == 0
        code, out, _ = aws("mgh", "list-progress-update-streams")
        assert code == 0
        assert json.loads(out)["ProgressUpdateStreamSummaryList"] == [{"ProgressUpdateStreamName": "CliTool"}]
        assert hub.streams() == ["CliTool"]


def test_the_aws_cli_reports_a_modeled_error():
    with mock_migrationhub(home_region=REGION):
        code, _, err = aws(
            "mgh", "describe-migration-task", "--progress-update-stream", "x", "--migration-task-name", "y"
        )
        assert code != 0
        assert "(ResourceNotFoundException)" in err and "Progress update stream 'x' does not exist" in err


def _launch_and_associate() -> list[dict]:
    ec2 = boto3.client("ec2", region_name=REGION)
    # One family of images: all of Amazon's (~1300 in moto) cost seconds to serialize and parse.
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*"]}])
    image = images["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    arn = f"arn:aws:ec2:{REGION}:123456789012:instance/{instance}"
    mgh = boto3.client("mgh", region_name=REGION)
    mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
    mgh.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")
    mgh.associate_created_artifact(
        ProgressUpdateStream="SMS", MigrationTaskName="web-01", CreatedArtifact={"Name": arn, "Description": "migrated"}
    )
    assert ec2.describe_instances(InstanceIds=[instance])["Reservations"]
    return mgh.list_created_artifacts(ProgressUpdateStream="SMS", MigrationTaskName="web-01")["CreatedArtifactList"]


@pytest.mark.parametrize("order", ["moto outside", "fakehub outside"])
def test_moto_answers_ec2_while_fakehub_answers_mgh(order):
    outer, inner = (mock_aws(), mock_migrationhub(home_region=REGION))
    if order == "fakehub outside":
        outer, inner = inner, outer
    with outer, inner:
        artifacts = _launch_and_associate()
    assert len(artifacts) == 1 and artifacts[0]["Name"].startswith(f"arn:aws:ec2:{REGION}:123456789012:instance/i-")


def test_a_client_made_before_fakehub_was_imported_is_answered_by_the_hub_under_moto_too():
    """Such a client carries moto's catch-all handler but not fakehub's: moto must leave the
    faked services to the hub, in either nesting order (a new process: fakehub not imported)."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        import boto3
        from moto import mock_aws

        early = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s",
                              region_name="us-west-2").client("mgh")
        from fakehub import mock_migrationhub

        for moto_outside in (True, False):
            hub_mock = mock_migrationhub(home_region="us-west-2")
            outer, inner = (mock_aws(), hub_mock) if moto_outside else (hub_mock, mock_aws())
            with outer as a, inner as b:
                hub = b if moto_outside else a
                early.create_progress_update_stream(ProgressUpdateStreamName="Early")
                print(hub.streams())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["['Early']", "['Early']"]
