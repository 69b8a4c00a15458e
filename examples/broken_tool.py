"""A deliberately broken migration tool: what ``fakehub.contract`` is there to catch.

Each mistake is one that real tools make:

* no retries (``max_attempts=0``: botocore counts retries, not attempts) and errors swallowed,
  so a throttled call is lost;
* it promises an update every 60 s but reports every 120 s, so tasks go stale;
* it notifies ``db-01`` before importing it, and never sends its attributes;
* when ``web-02`` is re-addressed it sends the new IP only with the new
  cut-over task, leaving the replication task's attributes outdated.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRIES = Config(retries={"mode": "standard", "max_attempts": 0})  # retries after the first attempt
STREAM = "SloppyMover"


class BrokenTool:
    def __init__(
        self, *, region: str = "us-west-2", sleep: Callable[[float], None] = time.sleep, mgh: Any = None
    ) -> None:
        self.sleep = sleep
        self.mgh = mgh or boto3.client("mgh", region_name=region, config=NO_RETRIES)
        self.errors: list[str] = []

    def call(self, operation: str, **params: Any) -> None:
        try:
            getattr(self.mgh, operation)(**params)
        except ClientError as error:  # swallowed: the update is silently lost
            self.errors.append(f"{operation}: {error.response['Error']['Code']}")

    def notify(self, task: str, status: str, percent: int) -> None:
        self.call(
            "notify_migration_task_state",
            ProgressUpdateStream=STREAM,
            MigrationTaskName=task,
            Task={"Status": status, "ProgressPercent": percent},
            UpdateDateTime=dt.datetime.now(dt.timezone.utc),
            NextUpdateSeconds=60,
        )

    def attributes(self, task: str, ip: str) -> None:
        self.call(
            "put_resource_attributes",
            ProgressUpdateStream=STREAM,
            MigrationTaskName=task,
            ResourceAttributeList=[
                {"Type": "IPV4_ADDRESS", "Value": ip},
                {"Type": "FQDN", "Value": "web-02.corp.example.com"},
            ],
        )

    def run(self) -> None:
        self.call("create_progress_update_stream", ProgressUpdateStreamName=STREAM)
        self.call("import_migration_task", ProgressUpdateStream=STREAM, MigrationTaskName="web-02")
        self.attributes("web-02", "10.0.1.12")
        self.notify("db-01", "IN_PROGRESS", 5)  # before ImportMigrationTask: lost
        self.call("import_migration_task", ProgressUpdateStream=STREAM, MigrationTaskName="db-01")
        for percent in (20, 50):
            self.notify("web-02", "IN_PROGRESS", percent)
            self.notify("db-01", "IN_PROGRESS", percent)
            self.sleep(120)  # twice the promised 60 s
        self.call("import_migration_task", ProgressUpdateStream=STREAM, MigrationTaskName="web-02-cutover")
        self.attributes("web-02-cutover", "10.0.2.12")  # the server's new address, not sent for web-02
        self.notify("web-02-cutover", "COMPLETED", 100)
        self.notify("web-02", "COMPLETED", 100)


if __name__ == "__main__":
    BrokenTool().run()
