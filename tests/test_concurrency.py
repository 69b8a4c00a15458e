"""Many threads, each with its own client, against one hub: no lost update."""

from __future__ import annotations

import threading

import boto3

from fakehub import mock_migrationhub
from helpers import NOW

REGION = "us-west-2"
THREADS, TASKS_EACH = 8, 25


def test_threads_with_their_own_clients_lose_no_update():
    with mock_migrationhub(home_region=REGION) as hub:
        setup = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION).client("mgh")
        setup.create_progress_update_stream(ProgressUpdateStreamName="S")
        setup.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="shared")
        errors: list[BaseException] = []
        start = threading.Barrier(THREADS)

        def worker(n: int) -> None:
            try:
                mgh = boto3.Session(aws_access_key_id=f"k{n}", aws_secret_access_key="s", region_name=REGION).client(
                    "mgh"
                )
                start.wait()
                for i in range(TASKS_EACH):
                    mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName=f"t{n}-{i}")
                    mgh.associate_source_resource(
                        ProgressUpdateStream="S", MigrationTaskName="shared", SourceResource={"Name": f"src{n}-{i}"}
                    )
                    mgh.notify_migration_task_state(
                        ProgressUpdateStream="S",
                        MigrationTaskName="shared",
                        Task={"Status": "IN_PROGRESS", "ProgressPercent": i},
                        UpdateDateTime=NOW,
                        NextUpdateSeconds=60,
                    )
            except BaseException as error:  # noqa: BLE001 - anything a worker thread raises is surfaced below
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        listed = setup.get_paginator("list_migration_tasks").paginate().build_full_result()["MigrationTaskSummaryList"]
        assert len(listed) == THREADS * TASKS_EACH + 1
        shared = hub.task("S", "shared")
        assert len(shared["sources"]) == THREADS * TASKS_EACH
        updates = (
            setup.get_paginator("list_migration_task_updates")
            .paginate(ProgressUpdateStream="S", MigrationTaskName="shared")
            .build_full_result()["MigrationTaskUpdateList"]
        )
        assert len(updates) == THREADS * TASKS_EACH
