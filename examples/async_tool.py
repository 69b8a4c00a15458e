"""An asyncio migration tool on aiobotocore, answered by fakehub: it reports several
servers at once, survives throttling through aiobotocore's own retries, and the test
waits for nothing (the backoff is virtual)."""

import asyncio
import datetime as dt

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session

from fakehub import mock_migrationhub

STREAM = "AsyncMover"


async def migrate(mgh, server: str) -> None:
    """Stands in for your tool: one server's progress, reported as it goes."""
    await mgh.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=server)
    await mgh.put_resource_attributes(
        ProgressUpdateStream=STREAM,
        MigrationTaskName=server,
        ResourceAttributeList=[{"Type": "FQDN", "Value": f"{server}.corp.example.com"}],
    )
    for status, percent in (("IN_PROGRESS", 50), ("COMPLETED", 100)):
        await mgh.notify_migration_task_state(
            ProgressUpdateStream=STREAM,
            MigrationTaskName=server,
            Task={"Status": status, "ProgressPercent": percent},
            UpdateDateTime=dt.datetime.now(dt.timezone.utc),
            NextUpdateSeconds=300,
        )


async def main() -> None:
    with mock_migrationhub(home_region="us-west-2") as hub:
        hub.faults.fail("NotifyMigrationTaskState", "ThrottlingException", times=3)
        config = AioConfig(retries={"mode": "standard", "max_attempts": 5})
        async with get_session().create_client("mgh", region_name="us-west-2", config=config) as mgh:
            await mgh.create_progress_update_stream(ProgressUpdateStreamName=STREAM)
            await asyncio.gather(*(migrate(mgh, f"web-{i:02d}") for i in range(4)))
        hub.settle()  # the auto-mapping of each task to an ADS server
        for stream, name in hub.tasks():
            task = hub.task(stream, name)
            print(name, task["Task"]["Status"], "mapped to", task["discovered"][0]["ConfigurationId"])
        print(
            f"{len(hub.journal.calls(outcome='ThrottlingException'))} throttled calls retried;"
            f" {hub.faults.slept:.2f} s of backoff spent in virtual time"
        )
        hub.assert_contract()


if __name__ == "__main__":
    asyncio.run(main())
