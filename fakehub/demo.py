"""``python -m fakehub demo``: a short scripted migration tool reporting to the fake."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .mock import mock_migrationhub

REGION = "us-west-2"
SERVERS = {"web-01": 100, "web-02": 60, "db-01": 0}


def run_tool(mgh: Any) -> None:
    """What a migration tool does: its stream, one task per server, progress updates."""
    mgh.create_progress_update_stream(ProgressUpdateStreamName="DemoMover")
    for server, progress in SERVERS.items():
        mgh.import_migration_task(ProgressUpdateStream="DemoMover", MigrationTaskName=server)
        status = "COMPLETED" if progress == 100 else "IN_PROGRESS" if progress else "NOT_STARTED"
        mgh.notify_migration_task_state(
            ProgressUpdateStream="DemoMover", MigrationTaskName=server,
            Task={"Status": status, "ProgressPercent": progress, "StatusDetail": f"copying {server}"},
            UpdateDateTime=dt.datetime.now(dt.timezone.utc), NextUpdateSeconds=300,
        )


def main() -> int:
    import boto3

    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION)
        run_tool(mgh)
        hub.settle()
        for summary in mgh.get_paginator("list_migration_tasks").paginate().build_full_result()["MigrationTaskSummaryList"]:
            print(f"{summary['ProgressUpdateStream']:<10} {summary['MigrationTaskName']:<8} "
                  f"{summary.get('Status', '-'):<12} {summary.get('ProgressPercent', 0):>3}%")
    return 0
