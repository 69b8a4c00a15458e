"""A hub that already holds a fleet, built once and restored for every test.

A migration tool's tests often start from hundreds of discovered servers and tasks part way
through: building that with API calls in every test is slow and hides what the test is
about. Build it once, keep ``hub.snapshot()`` (in a file, or in memory), and start each test
from it with ``mock_migrationhub(snapshot=...)`` (under pytest: the ``snapshot=`` marker
argument, or a ``fakehub_options`` fixture returning ``{"snapshot": ...}``).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import boto3

from fakehub import mock_migrationhub

REGION = "us-west-2"


def build_fleet(path: Path, servers: int = 300) -> None:
    """Discovered servers, and a tool's stream with a task half way for each tenth server."""
    with mock_migrationhub(home_region=REGION) as hub:
        for n in range(servers):
            hub.add_server(hostname=f"web-{n:03d}.corp.example.com", ip_addresses=[f"10.0.{n // 256}.{n % 256}"])
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
        for n in range(0, servers, 10):
            task = {"ProgressUpdateStream": "Mover", "MigrationTaskName": f"web-{n:03d}"}
            mgh.import_migration_task(**task)
            mgh.put_resource_attributes(
                **task, ResourceAttributeList=[{"Type": "FQDN", "Value": f"web-{n:03d}.corp.example.com"}]
            )
            mgh.notify_migration_task_state(
                **task,
                Task={"Status": "IN_PROGRESS", "ProgressPercent": 50},
                UpdateDateTime=time.time(),
                NextUpdateSeconds=600,
            )
        hub.settle()  # every task mapped to its server
        path.write_text(json.dumps(hub.snapshot()))


def finish_one_task(fleet: Path) -> str:
    """A test of the tool: it finishes one task of the restored fleet."""
    with mock_migrationhub(snapshot=fleet) as hub:
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.notify_migration_task_state(
            ProgressUpdateStream="Mover",
            MigrationTaskName="web-010",
            Task={"Status": "COMPLETED"},
            UpdateDateTime=time.time(),
            NextUpdateSeconds=0,
        )
        done = [t for t in mgh.list_migration_tasks()["MigrationTaskSummaryList"] if t["Status"] == "COMPLETED"]
        assert [t["MigrationTaskName"] for t in done] == ["web-010"]
        return f"{len(hub.servers())} servers, {len(hub.tasks())} tasks, 1 completed"


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        fleet = Path(folder) / "fleet.json"
        started = time.perf_counter()
        build_fleet(fleet)
        print(f"fleet built once: {time.perf_counter() - started:.2f} s, {fleet.stat().st_size:,} bytes")
        for run in range(2):  # each test starts from the same fleet: the first test's changes are gone
            started = time.perf_counter()
            print(f"test {run + 1}: {finish_one_task(fleet)} ({time.perf_counter() - started:.3f} s)")
