"""The quick start: a tool reports progress to Migration Hub, answered by fakehub."""

import datetime as dt

import boto3

from fakehub import mock_migrationhub


def main() -> None:
    with mock_migrationhub(home_region="us-west-2") as hub:
        mgh = boto3.client("mgh", region_name="us-west-2")
        mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
        mgh.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")
        mgh.notify_migration_task_state(
            ProgressUpdateStream="SMS",
            MigrationTaskName="web-01",
            Task={"Status": "IN_PROGRESS", "ProgressPercent": 40},
            UpdateDateTime=dt.datetime.now(dt.timezone.utc),
            NextUpdateSeconds=60,
        )
        hub.settle()
        task = mgh.describe_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")["MigrationTask"]
        assert task["Task"] == {"Status": "IN_PROGRESS", "ProgressPercent": 40}
        print(task["MigrationTaskName"], task["Task"]["Status"], task["Task"]["ProgressPercent"])


if __name__ == "__main__":
    main()
