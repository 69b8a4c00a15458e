"""aiobotocore clients (real ones, with their own async endpoint, signer and retry
loop) answered by the active hub exactly as botocore clients are."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import subprocess
import sys
import textwrap
import time
from collections.abc import Awaitable, Callable
from typing import Any

import freezegun.api as freezegun_api
import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import ClientError, EndpointConnectionError
from freezegun import freeze_time

from fakehub import Delays, mock_migrationhub

REGION = "us-west-2"
SENT = dt.datetime(2025, 1, 1, 12, 30, tzinfo=dt.timezone.utc)


def run(body: Callable[..., Awaitable[Any]], **client_options: Any) -> Any:
    """Run ``body(mgh)`` with an aiobotocore mgh client, in an event loop of its own."""

    async def main() -> Any:
        options = {
            "region_name": REGION,
            "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing",
            **client_options,
        }
        async with _session().create_client("mgh", **options) as mgh:
            return await body(mgh)

    return asyncio.run(main())


@functools.cache
def _session() -> Any:
    """One session for the clients of ``run``: a client of a new session costs ~100 ms more
    (the session loads the models again).  A client belongs to one event loop; a session does not."""
    return get_session()


def test_a_migration_tool_on_aiobotocore_reports_to_the_hub():
    async def tool(mgh: Any) -> list[str]:
        await mgh.create_progress_update_stream(ProgressUpdateStreamName="AsyncMover")
        for name in ("web-01", "web-02", "db-01"):
            await mgh.import_migration_task(ProgressUpdateStream="AsyncMover", MigrationTaskName=name)
        await mgh.notify_migration_task_state(
            ProgressUpdateStream="AsyncMover",
            MigrationTaskName="web-01",
            Task={"Status": "IN_PROGRESS", "ProgressPercent": 40},
            UpdateDateTime=SENT,
            NextUpdateSeconds=60,
        )
        await mgh.put_resource_attributes(
            ProgressUpdateStream="AsyncMover",
            MigrationTaskName="web-01",
            ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.0.0.1"}],
        )
        described = await mgh.describe_migration_task(ProgressUpdateStream="AsyncMover", MigrationTaskName="web-01")
        assert described["MigrationTask"]["Task"] == {"Status": "IN_PROGRESS", "ProgressPercent": 40}
        assert described["MigrationTask"]["UpdateDateTime"] == SENT  # parsed back, as aware datetimes compare
        paginator = mgh.get_paginator("list_migration_tasks")
        return [
            t["MigrationTaskName"]
            async for page in paginator.paginate(PaginationConfig={"PageSize": 2})
            for t in page["MigrationTaskSummaryList"]
        ]

    with mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=0)) as hub:
        assert run(tool) == ["db-01", "web-01", "web-02"]
        hub.settle()
        assert hub.tasks() == [("AsyncMover", "db-01"), ("AsyncMover", "web-01"), ("AsyncMover", "web-02")]
        assert [s["ip_addresses"] for s in hub.servers()] == [("10.0.0.1",)]  # auto-mapped, as for botocore
        assert len(hub.journal.calls("ListMigrationTasks")) == 2  # two pages


def test_errors_carry_the_modeled_code_status_and_message():
    async def calls(mgh: Any) -> tuple[ClientError, ClientError]:
        with pytest.raises(mgh.exceptions.ResourceNotFoundException) as missing:
            await mgh.import_migration_task(ProgressUpdateStream="Nope", MigrationTaskName="web-01")
        with pytest.raises(ClientError) as invalid:
            await mgh.create_progress_update_stream(ProgressUpdateStreamName="x" * 51)
        return missing.value, invalid.value

    with mock_migrationhub(home_region=REGION):
        missing, invalid = run(calls, config=AioConfig(parameter_validation=False))
    assert missing.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "'Nope'" in missing.response["Error"]["Message"]
    assert invalid.response["Error"]["Code"] == "InvalidInputException"
    assert invalid.response["Error"]["Message"] == (
        f"1 validation error detected: Value '{'x' * 51}' at 'progressUpdateStreamName' failed to satisfy "
        "constraint: Member must have length less than or equal to 50"
    )


def test_the_access_key_decides_the_account_and_the_region_gate_applies():
    async def calls(mgh: Any) -> str:
        await mgh.create_progress_update_stream(ProgressUpdateStreamName="Mine")
        return "created"

    with mock_migrationhub(home_region="eu-central-1", accounts={"AKIDASYNC": "111122223333"}) as hub:
        with pytest.raises(ClientError) as outside:
            run(calls, aws_access_key_id="AKIDASYNC")  # us-west-2 is not the home region
        assert outside.value.response["Error"]["Code"] == "InvalidInputException"
        assert run(calls, aws_access_key_id="AKIDASYNC", region_name="eu-central-1") == "created"
        assert hub.streams("111122223333") == ["Mine"] and hub.streams() == []


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_aiobotocore_retries_injected_faults_in_virtual_time(mode, monkeypatch):
    real_sleep = asyncio.sleep

    async def tripwire(seconds: float, result: Any = None) -> Any:
        if seconds > 0:
            raise AssertionError(f"aiobotocore slept {seconds} s for real")
        return await real_sleep(0, result)

    async def call(mgh: Any) -> dict[str, Any]:
        return await mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")

    with mock_migrationhub(home_region=REGION) as hub:
        hub.faults.fail("CreateProgressUpdateStream", "ThrottlingException", times=3)
        monkeypatch.setattr(asyncio, "sleep", tripwire)  # any real backoff fails the test
        answer = run(call, config=AioConfig(retries={"mode": mode, "max_attempts": 4}))
        assert answer["ResponseMetadata"]["RetryAttempts"] == 3
        assert [e.error_code for e in hub.journal.calls("CreateProgressUpdateStream")] == [
            "ThrottlingException"
        ] * 3 + [None]
        assert len([s for s in hub.faults.sleeps if s.reason == "retry backoff"]) == 3


def test_adaptive_rate_limiter_waits_in_virtual_time_under_a_frozen_clock():
    async def calls(mgh: Any) -> None:
        for _ in range(5):
            await mgh.list_progress_update_streams()

    with freeze_time("2025-01-01"), mock_migrationhub(home_region=REGION) as hub:
        hub.faults.fail("ListProgressUpdateStreams", times=2)
        started = freezegun_api.real_perf_counter()
        run(calls, config=AioConfig(retries={"mode": "adaptive", "max_attempts": 3}))
        assert any(s.reason == "rate limiter" for s in hub.faults.sleeps)
        assert freezegun_api.real_perf_counter() - started < 60  # hang detection, not a speed target


def test_opting_out_sleeps_for_real():
    async def call(mgh: Any) -> dict[str, Any]:
        return await mgh.list_progress_update_streams()

    with mock_migrationhub(home_region=REGION) as hub:
        hub.faults.virtual_sleep = False
        hub.faults.fail("ListProgressUpdateStreams")
        started = time.monotonic()
        run(call, config=AioConfig(retries={"mode": "legacy", "max_attempts": 1}))
        assert hub.faults.sleeps == []
        assert time.monotonic() - started < 5  # legacy backoff: random in [0, 1) s, really slept


def test_the_decorator_wraps_async_tests_using_aiobotocore():
    @mock_migrationhub(home_region=REGION)
    async def scenario() -> list[str]:
        async with get_session().create_client(
            "mgh", region_name=REGION, aws_access_key_id="k", aws_secret_access_key="s"
        ) as mgh:
            await mgh.create_progress_update_stream(ProgressUpdateStreamName="Decorated")
            page = await mgh.list_progress_update_streams()
        return [s["ProgressUpdateStreamName"] for s in page["ProgressUpdateStreamSummaryList"]]

    assert asyncio.run(scenario()) == ["Decorated"]


def test_with_no_hub_active_aiobotocore_goes_to_its_endpoint():
    async def call(mgh: Any) -> None:
        await mgh.list_progress_update_streams()

    with mock_migrationhub(home_region=REGION):
        pass  # activated once: aiobotocore's endpoint is patched from now on
    with pytest.raises(EndpointConnectionError):  # the closed port: fakehub did not answer
        run(call, endpoint_url="http://127.0.0.1:9", config=AioConfig(retries={"max_attempts": 0}))


def test_a_session_made_before_fakehub_was_imported_never_reaches_its_endpoint():
    script = textwrap.dedent(
        """
        import asyncio
        from aiobotocore.session import get_session

        async def main():
            session = get_session()
            async with session.create_client("mgh", region_name="us-west-2",
                                             aws_access_key_id="k", aws_secret_access_key="s") as mgh:
                from fakehub import mock_migrationhub
                with mock_migrationhub(home_region="us-west-2"):
                    await mgh.create_progress_update_stream(ProgressUpdateStreamName="early")
                    page = await mgh.list_progress_update_streams()
            print(page["ProgressUpdateStreamSummaryList"][0]["ProgressUpdateStreamName"])

        asyncio.run(main())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "early"


def test_a_region_without_migration_hub_has_no_endpoint_here_either():
    async def call(mgh: Any) -> None:
        await mgh.list_progress_update_streams()

    with mock_migrationhub() as hub:
        with pytest.raises(EndpointConnectionError, match="sa-east-1"):
            run(call, region_name="sa-east-1", config=AioConfig(retries={"mode": "standard", "max_attempts": 3}))
        backoff = [s for s in hub.faults.sleeps if s.reason == "retry backoff"]
        assert backoff and len(backoff) == len(hub.faults.sleeps)  # aiobotocore retried, in virtual time
        assert len(hub.journal) == 0


def test_aiobotocore_imported_while_a_hub_is_active_still_retries_in_virtual_time():
    """The first request through fakehub's handler patches an aiobotocore loaded after the
    activation, before that request can be retried (a new process: aiobotocore not loaded)."""
    script = textwrap.dedent(
        """
        import asyncio
        from fakehub import mock_migrationhub

        real_sleep = asyncio.sleep

        async def tripwire(seconds, result=None):
            assert seconds == 0, f"slept {seconds} s for real"
            return await real_sleep(0, result)

        asyncio.sleep = tripwire

        async def main():
            with mock_migrationhub(home_region="us-west-2") as hub:
                from aiobotocore.config import AioConfig  # loaded only now
                from aiobotocore.session import get_session

                hub.faults.fail("CreateProgressUpdateStream", "ThrottlingException", times=3)
                config = AioConfig(retries={"mode": "standard", "max_attempts": 4})
                async with get_session().create_client("mgh", region_name="us-west-2", config=config,
                                                       aws_access_key_id="k", aws_secret_access_key="s") as mgh:
                    answer = await mgh.create_progress_update_stream(ProgressUpdateStreamName="X")
                print(answer["ResponseMetadata"]["RetryAttempts"], len(hub.faults.sleeps))

        asyncio.run(main())
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", "3"]
