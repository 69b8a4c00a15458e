"""An example migration tool that follows the Migration Hub API reference.

Copy it as a starting point.  It does what the reference asks of a tool:

* creates its progress update stream and imports every task as early as
  possible (before any work starts);
* tells Migration Hub which server each task migrates (PutResourceAttributes)
  and resends the attributes when the server changes;
* publishes progress more often than it promises with ``NextUpdateSeconds``;
* associates what it created (an AMI, then an EC2 instance) with the task;
* leaves retrying to botocore's retry modes, configured on the client.

``sleep`` is injected so that a test (or ``python -m fakehub demo``) can run
the tool under a virtual clock.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

RETRIES = Config(retries={"mode": "standard", "max_attempts": 8})
NEXT_UPDATE_SECONDS = 300  # what the tool promises; it reports every STEP_SECONDS
STEP_SECONDS = 120


@dataclass
class Server:
    name: str
    ip: str
    mac: str
    fqdn: str
    new_ip: str | None = None  # the address the server moves to halfway, if it does
    attributes_sent: list[dict[str, str]] = field(default_factory=list)

    def attributes(self, ip: str) -> list[dict[str, str]]:
        return [
            {"Type": "IPV4_ADDRESS", "Value": ip},
            {"Type": "MAC_ADDRESS", "Value": self.mac},
            {"Type": "FQDN", "Value": self.fqdn},
        ]


class MigrationTool:
    """Migrates servers to EC2 (in make-believe) and reports to Migration Hub."""

    def __init__(
        self,
        stream: str = "DemoMover",
        *,
        region: str = "us-west-2",
        account: str = "123456789012",
        sleep: Callable[[float], None] = time.sleep,
        mgh: Any = None,
    ) -> None:
        self.stream = stream
        self.region = region
        self.account = account
        self.sleep = sleep
        self.mgh = mgh or boto3.client("mgh", region_name=region, config=RETRIES)

    def run(self, servers: Sequence[Server]) -> None:
        """Migrate ``servers`` side by side, one phase at a time, so that every task
        hears from the tool every STEP_SECONDS, well within its NextUpdateSeconds."""
        self.mgh.create_progress_update_stream(ProgressUpdateStreamName=self.stream)
        for server in servers:  # import everything first: "as early as possible"
            self.mgh.import_migration_task(ProgressUpdateStream=self.stream, MigrationTaskName=server.name)
            self.put_attributes(server, server.ip)
            self.notify(server, "NOT_STARTED", 0, "Queued")
        for percent in (10, 40, 70):
            self.sleep(STEP_SECONDS)
            for server in servers:
                if percent == 70 and server.new_ip:  # the source was re-addressed mid-migration: resend
                    self.put_attributes(server, server.new_ip)
                self.notify(server, "IN_PROGRESS", percent, f"Replicating disks: {percent}%")
        self.sleep(STEP_SECONDS)
        for server in servers:
            self.associate(server, self.arn("image", "ami-", server.name, 8), "Image built from the replicated disks")
            self.notify(server, "IN_PROGRESS", 90, "Launching instance")
        self.sleep(STEP_SECONDS)
        for server in servers:
            self.associate(server, self.arn("instance", "i-", server.name, 17), "Migrated instance")
            self.notify(server, "COMPLETED", 100, "Cut over")

    def arn(self, kind: str, prefix: str, name: str, digits: int) -> str:
        """A stable, made-up EC2 ARN for what the tool 'created' for ``name``."""
        return f"arn:aws:ec2:{self.region}:{self.account}:{kind}/{prefix}{zlib.crc32(name.encode()):0{digits}x}"

    def put_attributes(self, server: Server, ip: str) -> None:
        server.attributes_sent = server.attributes(ip)
        self.mgh.put_resource_attributes(
            ProgressUpdateStream=self.stream,
            MigrationTaskName=server.name,
            ResourceAttributeList=server.attributes_sent,
        )

    def notify(self, server: Server, status: str, percent: int, detail: str) -> None:
        self.mgh.notify_migration_task_state(
            ProgressUpdateStream=self.stream,
            MigrationTaskName=server.name,
            Task={"Status": status, "ProgressPercent": percent, "StatusDetail": detail},
            UpdateDateTime=dt.datetime.now(dt.timezone.utc),
            NextUpdateSeconds=NEXT_UPDATE_SECONDS,
        )

    def associate(self, server: Server, arn: str, description: str) -> None:
        self.mgh.associate_created_artifact(
            ProgressUpdateStream=self.stream,
            MigrationTaskName=server.name,
            CreatedArtifact={"Name": arn, "Description": description},
        )


SERVERS = (
    Server("web-01", "10.0.1.11", "0a:1b:2c:3d:4e:01", "web-01.corp.example.com"),
    Server("web-02", "10.0.1.12", "0a:1b:2c:3d:4e:02", "web-02.corp.example.com", new_ip="10.0.2.12"),
    Server("db-01", "10.0.3.21", "0a:1b:2c:3d:4e:21", "db-01.corp.example.com"),
)

if __name__ == "__main__":  # against real AWS: needs credentials and a home region
    MigrationTool().run(SERVERS)
