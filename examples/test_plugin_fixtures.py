"""The pytest plugin: a fresh hub per test, ready clients, options by marker or fixture."""

from __future__ import annotations

import datetime as dt

import pytest


def report_progress(mgh, stream: str, server: str, percent: int) -> None:
    """Stands in for your migration tool."""
    mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
    mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=server)
    mgh.notify_migration_task_state(
        ProgressUpdateStream=stream,
        MigrationTaskName=server,
        Task={"Status": "IN_PROGRESS", "ProgressPercent": percent},
        UpdateDateTime=dt.datetime.now(dt.timezone.utc),
        NextUpdateSeconds=300,
    )


def test_tool_reports_progress(fakehub, mgh_client):
    report_progress(mgh_client, "MyTool", "web-01", 40)
    assert fakehub.task("MyTool", "web-01")["Task"] == {"Status": "IN_PROGRESS", "ProgressPercent": 40}


@pytest.mark.fakehub(home_region="eu-west-1", delays={"stream_deletion": 0.0})
def test_stream_deletion_in_another_home_region(fakehub, mgh_client):
    report_progress(mgh_client, "MyTool", "web-01", 10)
    mgh_client.delete_progress_update_stream(ProgressUpdateStreamName="MyTool")
    fakehub.settle()
    assert fakehub.streams() == []


@pytest.mark.fakehub(home_region=None)
def test_tool_explains_a_missing_home_region(mgh_client):
    with pytest.raises(mgh_client.exceptions.HomeRegionNotSetException):
        report_progress(mgh_client, "MyTool", "web-01", 0)
