"""Real clients at once against one ``python -m fakehub serve``: 8 boto3 threads (each with its
own client) and 2 node processes (the JS tool), each making the same mix of ~500 calls over
HTTP on loopback, retries off.  Afterwards the counts are exact (streams, tasks, updates in
the journal), the listings are complete, and no call failed.  Bounded: a fixed number of
calls, each client process bounded in time (``CLIENT_TIMEOUT``).
"""

from __future__ import annotations

import collections
import json
import threading
from typing import Any

import boto3
import pytest
from botocore.config import Config

from tests.real_clients import (
    ACCESS_KEY,
    REGION,
    REPOSITORY,
    SECRET_KEY,
    boto3_client,
    explain,
    fakehub_subprocess,
    finish,
    journal,
    js_tool_installed,
    node,
    start,
)

pytestmark = pytest.mark.slow  # real clients / whole scripts: `pytest -m slow` (CI runs it)

THREADS, NODE_PROCESSES = 8, 2
CYCLES = 100  # 1 + 5 calls a cycle: 501 calls per client
LOAD = REPOSITORY / "tests" / "js" / "load.mjs"


def python_worker(endpoint: str, worker: int, errors: list[str], start_together: threading.Barrier) -> None:
    """The same calls as tests/js/load.mjs, through boto3 with retries off."""
    session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=REGION)
    mgh = session.client("mgh", endpoint_url=endpoint, config=Config(retries={"total_max_attempts": 1}))
    stream = f"Load-{worker}"
    start_together.wait()
    try:
        mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
        for cycle in range(CYCLES):
            task, percent = f"task-{cycle}", cycle % 100
            state: Any = {"Status": "IN_PROGRESS", "ProgressPercent": percent}
            mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)
            notify(mgh, stream, task, state)
            ip = f"10.{worker}.{cycle // 256}.{cycle % 256}"
            mgh.put_resource_attributes(
                ProgressUpdateStream=stream,
                MigrationTaskName=task,
                ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": ip}],
            )
            notify(mgh, "Shared", "shared", state)
            seen = mgh.describe_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)
            if seen["MigrationTask"]["Task"] != state:
                errors.append(f"{stream}/{task}: read {seen['MigrationTask']['Task']} after writing {state}")
    except Exception as error:  # noqa: BLE001 - any failure under load is the finding: reported, not raised in a thread
        errors.append(f"{stream}: {type(error).__name__}: {error}")


def notify(mgh: Any, stream: str, task: str, state: dict[str, Any]) -> None:
    mgh.notify_migration_task_state(
        ProgressUpdateStream=stream,
        MigrationTaskName=task,
        Task=state,
        UpdateDateTime=1_800_000_000,
        NextUpdateSeconds=300,
    )


def test_threads_and_node_processes_at_once_lose_nothing() -> None:
    js_tool_installed()
    with fakehub_subprocess() as endpoint:
        mgh = boto3_client("mgh", endpoint)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Shared")
        mgh.import_migration_task(ProgressUpdateStream="Shared", MigrationTaskName="shared")

        errors: list[str] = []
        start_together = threading.Barrier(THREADS + 1)
        threads = [
            threading.Thread(target=python_worker, args=(endpoint, worker, errors, start_together))
            for worker in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        start_together.wait()  # the threads' clients are made: the load starts now, with node's
        node_workers = [
            start([node(), str(LOAD), endpoint, str(THREADS + index), str(CYCLES)]) for index in range(NODE_PROCESSES)
        ]
        for thread in threads:
            thread.join()
        for worker in node_workers:
            result = finish(worker)
            assert result.returncode == 0, explain(result)
            answer = json.loads(result.stdout)
            assert answer["calls"] == 1 + 5 * CYCLES
            errors += answer["errors"]
        assert errors == []

        clients = THREADS + NODE_PROCESSES
        streams = paginate(mgh, "list_progress_update_streams", "ProgressUpdateStreamSummaryList")
        assert sorted(s["ProgressUpdateStreamName"] for s in streams) == sorted(
            ["Shared", *(f"Load-{worker}" for worker in range(clients))]
        )
        tasks = paginate(mgh, "list_migration_tasks", "MigrationTaskSummaryList")
        listed = [(task["ProgressUpdateStream"], task["MigrationTaskName"]) for task in tasks]
        expected = [("Shared", "shared")] + [(f"Load-{w}", f"task-{c}") for w in range(clients) for c in range(CYCLES)]
        assert sorted(listed) == sorted(expected)  # every task listed, once

        calls = journal_counts(endpoint)
        assert calls == {
            ("CreateProgressUpdateStream", 200): 1 + clients,
            ("ImportMigrationTask", 200): 1 + clients * CYCLES,
            ("NotifyMigrationTaskState", 200): 2 * clients * CYCLES,
            ("PutResourceAttributes", 200): clients * CYCLES,
            ("DescribeMigrationTask", 200): clients * CYCLES,
            ("ListProgressUpdateStreams", 200): calls[("ListProgressUpdateStreams", 200)],
            ("ListMigrationTasks", 200): calls[("ListMigrationTasks", 200)],
        }


def paginate(client: Any, operation: str, member: str) -> list[dict[str, Any]]:
    pages = client.get_paginator(operation).paginate(PaginationConfig={"PageSize": 100})
    return [item for page in pages for item in page[member]]


def journal_counts(endpoint: str) -> collections.Counter[tuple[str, int]]:
    """(operation, HTTP status) → how many calls the server's journal holds."""
    return collections.Counter((entry["operation"], entry["status"]) for entry in journal(endpoint))
