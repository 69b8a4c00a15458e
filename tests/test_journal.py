"""The call journal, through real boto3 clients."""

from __future__ import annotations

import datetime as dt
import io
import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from fakehub import mock_migrationhub

REGION = "us-west-2"


def test_every_answer_is_recorded_with_its_outcome(hub, mgh):
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")
    with pytest.raises(ClientError):
        mgh.describe_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="nope")
    answer = mgh.describe_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")

    entries = list(hub.journal)
    assert [e.operation for e in entries] == [
        "CreateProgressUpdateStream",
        "ImportMigrationTask",
        "DescribeMigrationTask",
        "DescribeMigrationTask",
    ]
    failed, described = entries[2], entries[3]
    assert (failed.ok, failed.status, failed.error_code) == (False, 400, "ResourceNotFoundException")
    assert "nope" in failed.error_message
    assert described.result == {"MigrationTask": {"ProgressUpdateStream": "Mover", "MigrationTaskName": "web-01"}}
    assert described.request_id == answer["ResponseMetadata"]["RequestId"]
    assert described.params == {"ProgressUpdateStream": "Mover", "MigrationTaskName": "web-01"}
    assert (described.account, described.region, described.service) == ("123456789012", REGION, "mgh")
    assert described.stream == "Mover" and described.task == "web-01"


def test_time_is_the_hubs_clock():
    with freeze_time("2025-03-04 05:06:07"), mock_migrationhub(home_region=REGION) as hub:
        boto3.client("mgh", region_name=REGION).list_progress_update_streams()
        assert hub.journal.calls()[0].time == dt.datetime(2025, 3, 4, 5, 6, 7, tzinfo=dt.timezone.utc).timestamp()


def test_account_comes_from_the_access_key_mapping(hub):
    hub.map_access_key("AKIAOTHER", "210987654321")
    other = boto3.client("mgh", region_name=REGION, aws_access_key_id="AKIAOTHER", aws_secret_access_key="x")
    other.list_progress_update_streams()
    assert [e.account for e in hub.journal] == ["210987654321"]
    assert hub.journal.calls(account="210987654321") and not hub.journal.calls(account="123456789012")


def test_filters(hub, mgh):
    mgh.create_progress_update_stream(ProgressUpdateStreamName="A")
    mgh.create_progress_update_stream(ProgressUpdateStreamName="B")
    for stream, task in (("A", "t1"), ("A", "t2"), ("B", "t1")):
        mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)
    hub.faults.fail("ImportMigrationTask", "AccessDeniedException")
    with pytest.raises(ClientError):
        mgh.import_migration_task(ProgressUpdateStream="B", MigrationTaskName="t2")
    journal = hub.journal
    assert len(journal.calls(stream="A")) == 3  # the create (ProgressUpdateStreamName) and two imports
    assert [(e.stream, e.task) for e in journal.calls("ImportMigrationTask", task="t1")] == [("A", "t1"), ("B", "t1")]
    assert [e.task for e in journal.calls(outcome="error")] == ["t2"]
    assert [e.task for e in journal.calls(outcome="AccessDeniedException")] == ["t2"]
    assert len(journal.calls(outcome="ok")) == 5
    assert journal.calls(outcome="ThrottlingException") == []


def test_dry_runs_and_retries_are_recorded_as_sent(hub):
    mgh = boto3.client("mgh", region_name=REGION, config=Config(retries={"mode": "standard", "max_attempts": 2}))
    hub.faults.fail("CreateProgressUpdateStream", "ServiceUnavailableException")
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    with pytest.raises(ClientError, match="DryRunOperation"):
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Dry", DryRun=True)
    codes = [(e.params.get("DryRun", False), e.status, e.error_code) for e in hub.journal]
    assert codes == [(False, 500, "ServiceUnavailableException"), (False, 200, None), (True, 400, "DryRunOperation")]


def test_jsonl_dump_never_contains_credentials():
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client(
            "mgh",
            region_name=REGION,
            aws_access_key_id="AKIASECRETKEYID",
            aws_secret_access_key="s3cr3t",
            aws_session_token="T0KEN",
        )
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
        with pytest.raises(ClientError):
            mgh.describe_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="missing")
        out = io.StringIO()
        text = hub.journal.dump_jsonl(out)
    assert out.getvalue() == text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["operation"] for line in lines] == ["CreateProgressUpdateStream", "DescribeMigrationTask"]
    assert lines[0]["result"] == {} and lines[0]["account"] == "123456789012" and lines[0]["region"] == REGION
    assert lines[1]["error"]["code"] == "ResourceNotFoundException"
    for secret in ("AKIASECRETKEYID", "s3cr3t", "T0KEN", "Signature", "Credential", "Authorization"):
        assert secret not in text


def test_a_journal_bug_never_changes_the_answer(hub, mgh, monkeypatch):
    class Broken(list):
        def append(self, row):
            raise ZeroDivisionError

    monkeypatch.setattr(hub.journal, "_rows", Broken())
    with pytest.warns(RuntimeWarning, match="journal failed"):
        assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []
    assert len(hub.journal) == 0 and isinstance(hub.journal.errors[0], ZeroDivisionError)


def test_calls_takes_the_boto3_name_as_hub_faults_does(hub, mgh):
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")
    mgh.delete_progress_update_stream(ProgressUpdateStreamName="Mover")
    journal = hub.journal
    assert [e.task for e in journal.calls("import_migration_task")] == ["web-01"]
    assert [e.request_id for e in journal.calls("import_migration_task")] == [
        e.request_id for e in journal.calls("ImportMigrationTask")
    ]
    assert [e.operation for e in journal.calls("delete_progress_update_stream", outcome="ok")] == [
        "DeleteProgressUpdateStream"
    ]


@pytest.mark.parametrize("operation", ["NoSuchOp", "importMigrationTask", "Import_Migration_Task", ""])
def test_an_unknown_operation_name_is_refused_not_matched_by_nothing(hub, operation):
    with pytest.raises(ValueError, match="unknown operation") as raised:
        hub.journal.calls(operation)
    message = str(raised.value)
    assert repr(operation) in message
    assert "'NotifyMigrationTaskState'" in message and "'notify_migration_task_state'" in message


@pytest.mark.parametrize("outcome", ["OK", "Ok", "failed", "Throttling", "NoSuchException", ""])
def test_an_unknown_outcome_is_refused_naming_what_is_accepted(hub, outcome):
    with pytest.raises(ValueError, match="unknown outcome") as raised:
        hub.journal.calls(outcome=outcome)
    message = str(raised.value)
    assert repr(outcome) in message
    for accepted in ("'ok'", "'error'", "ThrottlingException", "ResourceNotFoundException", "SerializationException"):
        assert accepted in message


def test_an_outcome_the_named_operation_cannot_answer_is_refused(hub):
    """ListProgressUpdateStreams models no ResourceNotFoundException: asking for one is a mistake."""
    assert hub.journal.calls("ListProgressUpdateStreams", outcome="ThrottlingException") == []
    with pytest.raises(ValueError, match="unknown outcome 'ResourceNotFoundException'") as raised:
        hub.journal.calls("ListProgressUpdateStreams", outcome="ResourceNotFoundException")
    assert "ListProgressUpdateStreams" in str(raised.value) and "InvalidInputException" in str(raised.value)
