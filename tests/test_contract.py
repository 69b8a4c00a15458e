"""Contract checks: the example tool is clean, the broken one breaches every rule."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from fakehub import contract, mock_migrationhub
from fakehub.demo import load_example

REGION = "us-west-2"
START = "2025-06-02 09:00:00"


@pytest.fixture
def frozen():
    with freeze_time(START) as clock:
        yield clock


@pytest.fixture
def fresh_hub(frozen):
    with mock_migrationhub(home_region=REGION) as hub:
        yield hub


def test_the_example_tool_meets_the_contract_under_throttling(fresh_hub, frozen):
    example = load_example("migration_tool")
    fresh_hub.faults.fail("*", times=2)
    fresh_hub.faults.fail_randomly("*", 0.25, seed=3)
    example.MigrationTool(sleep=lambda s: frozen.tick(s)).run(example.SERVERS)
    assert fresh_hub.journal.calls(outcome="ThrottlingException")
    fresh_hub.assert_contract()
    frozen.tick(3600)  # completed tasks never go stale
    contract.check(fresh_hub).assert_clean()


def test_the_broken_tool_breaches_are_each_named_with_task_and_time(fresh_hub, frozen):
    broken = load_example("broken_tool")
    # The last update for web-02 is throttled; the tool does not retry.
    fresh_hub.faults.script("NotifyMigrationTaskState", [None, None, "ThrottlingException"], task="web-02")
    broken.BrokenTool(sleep=lambda s: frozen.tick(s)).run()
    report = contract.check(fresh_hub)
    found = {(b.kind, b.task) for b in report.breaches}
    assert found == {
        (contract.UNRETRIED, "web-02"),
        (contract.NOT_IMPORTED, "db-01"),
        (contract.NO_ATTRIBUTES, "db-01"),
        (contract.STALE, "web-02"),
        (contract.STALE, "db-01"),
        (contract.ATTRIBUTES_NOT_REFRESHED, "web-02"),
    }
    with pytest.raises(contract.ContractBreach) as raised:
        fresh_hub.assert_contract()
    message = str(raised.value)
    for breach in report.breaches:
        assert str(breach) in message
    assert "2025-06-02T09:01:00Z stale-task SloppyMover/db-01" in message  # 60 s promised, 120 s taken
    assert "unretried-failure SloppyMover/web-02" in message and "ThrottlingException" in message
    assert "attributes-not-refreshed SloppyMover/web-02" in message and "IPV4_ADDRESS" in message


def mgh_client(attempts=0):
    return boto3.client(
        "mgh", region_name=REGION, config=Config(retries={"mode": "standard", "max_attempts": attempts})
    )


def notify(mgh, task, status="IN_PROGRESS", next_update=60):
    mgh.notify_migration_task_state(
        ProgressUpdateStream="S",
        MigrationTaskName=task,
        Task={"Status": status},
        UpdateDateTime=dt.datetime.now(dt.timezone.utc),
        NextUpdateSeconds=next_update,
    )


def make_stream_with_tasks(mgh, *tasks):
    mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
    for task in tasks:
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName=task)
        mgh.put_resource_attributes(
            ProgressUpdateStream="S", MigrationTaskName=task, ResourceAttributeList=[{"Type": "VM_NAME", "Value": task}]
        )


def test_staleness_is_judged_on_the_hubs_clock(fresh_hub, frozen):
    mgh = mgh_client()
    make_stream_with_tasks(mgh, "t")
    notify(mgh, "t", next_update=60)
    frozen.tick(60)
    assert contract.check(fresh_hub).clean  # exactly on the deadline is still in time
    frozen.tick(1)
    [breach] = contract.check(fresh_hub).breaches
    assert (
        breach.kind == contract.STALE
        and breach.time == dt.datetime(2025, 6, 2, 9, 1, tzinfo=dt.timezone.utc).timestamp()
    )
    notify(mgh, "t", status="COMPLETED")
    frozen.tick(1000)
    assert [b.kind for b in contract.check(fresh_hub).breaches] == [contract.STALE]  # the past spell stays reported


def test_a_retry_that_succeeds_or_a_newer_update_clears_a_failure(fresh_hub):
    mgh = mgh_client()
    make_stream_with_tasks(mgh, "t")
    fresh_hub.faults.fail("NotifyMigrationTaskState", "InternalServerError")
    with pytest.raises(ClientError):
        notify(mgh, "t", next_update=10**6)
    assert contract.check(fresh_hub).of_kind(contract.UNRETRIED)
    notify(mgh, "t", next_update=10**6)  # a later notification supersedes the lost one
    assert contract.check(fresh_hub).clean


def test_non_retryable_errors_are_not_unretried_failures(fresh_hub):
    mgh = mgh_client()
    make_stream_with_tasks(mgh, "t")
    fresh_hub.faults.fail("ListMigrationTasks", "AccessDeniedException")
    with pytest.raises(ClientError):
        mgh.list_migration_tasks()
    assert contract.check(fresh_hub).clean


def test_attributes_refreshed_on_the_same_task_are_fine(fresh_hub):
    mgh = mgh_client()
    mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
    for task in ("a", "b"):
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName=task)
    old = [{"Type": "FQDN", "Value": "web"}, {"Type": "IPV4_ADDRESS", "Value": "10.0.0.1"}]
    new = [{"Type": "FQDN", "Value": "web"}, {"Type": "IPV4_ADDRESS", "Value": "10.0.0.2"}]
    put = lambda task, attrs: mgh.put_resource_attributes(  # noqa: E731
        ProgressUpdateStream="S", MigrationTaskName=task, ResourceAttributeList=attrs
    )
    put("a", old)
    put("b", new)
    assert [b.task for b in contract.check(fresh_hub).of_kind(contract.ATTRIBUTES_NOT_REFRESHED)] == ["a"]
    put("a", new)
    assert contract.check(fresh_hub).clean
    put("b", [{"Type": "FQDN", "Value": "other"}, {"Type": "IPV4_ADDRESS", "Value": "10.0.0.9"}])
    assert contract.check(fresh_hub).clean  # a different server: nothing learned about 'a'


def test_report_text_when_clean(fresh_hub):
    report = contract.check(fresh_hub)
    assert report.clean and str(report) == "Contract report as of 2025-06-02T09:00:00Z: clean"
    report.assert_clean()
