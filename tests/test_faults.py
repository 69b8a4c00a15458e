"""Fault injection through real boto3 clients and botocore's own retry modes."""

from __future__ import annotations

import datetime as dt
import time

import boto3
import freezegun.api as freezegun_api
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time

from fakehub import mock_migrationhub

REGION = "us-west-2"


def _no_real_sleep(seconds: float) -> None:
    raise AssertionError(f"botocore slept {seconds} s for real")


def client(mode: str, max_attempts: int):
    return boto3.client("mgh", region_name=REGION, config=Config(retries={"mode": mode, "max_attempts": max_attempts}))


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
@pytest.mark.parametrize("code", ["ThrottlingException", "ServiceUnavailableException", "InternalServerError"])
def test_botocore_retry_modes_retry_injected_faults_without_real_sleeps(hub, mode, code, monkeypatch):
    mgh = client(mode, 4)  # botocore's max_attempts counts retries: 5 attempts in all
    hub.faults.fail("CreateProgressUpdateStream", code, times=3)
    monkeypatch.setattr(time, "sleep", _no_real_sleep)  # a tripwire: any real backoff fails the test
    answer = mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    assert answer["ResponseMetadata"]["RetryAttempts"] == 3
    assert [e.error_code for e in hub.journal.calls("CreateProgressUpdateStream")] == [code, code, code, None]
    assert hub.streams() == ["Mover"]
    assert len([s for s in hub.faults.sleeps if s.reason == "retry backoff"]) == 3
    assert hub.faults.slept > 0


@pytest.mark.parametrize("mode", ["legacy", "standard", "adaptive"])
def test_retries_give_up_after_max_attempts_and_the_error_reaches_the_tool(hub, mode):
    mgh = client(mode, 2)
    hub.faults.fail("ListProgressUpdateStreams", times=10, retry_after=7)
    with pytest.raises(ClientError) as raised:
        mgh.list_progress_update_streams()
    error = raised.value.response
    assert error["Error"]["Code"] == "ThrottlingException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert error["RetryAfterSeconds"] == 7
    assert error["ResponseMetadata"]["RetryAttempts"] == 2
    assert len(hub.journal.calls("ListProgressUpdateStreams", outcome="ThrottlingException")) == 3


def test_server_faults_answer_with_the_modeled_500(hub, mgh):
    hub.faults.fail("ListProgressUpdateStreams", "InternalServerError", times=10)
    with pytest.raises(ClientError) as raised:
        boto3.client(
            "mgh", region_name=REGION, config=Config(retries={"max_attempts": 0})
        ).list_progress_update_streams()
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_a_fault_leaves_no_partial_state(hub):
    mgh = client("standard", 0)
    hub.faults.fail("ImportMigrationTask", "InternalServerError")
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    with pytest.raises(ClientError):
        mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        mgh.describe_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")


def test_a_fault_comes_before_the_home_region_is_chosen():
    with mock_migrationhub() as hub:  # home region 'auto': the first call's region becomes home
        hub.faults.fail("ListProgressUpdateStreams", "AccessDeniedException")
        with pytest.raises(ClientError, match="AccessDenied"):
            boto3.client("mgh", region_name="eu-west-1").list_progress_update_streams()
        assert (
            hub.state.accounts.get("123456789012") is None or hub.state.accounts["123456789012"].home_region == "auto"
        )


def test_faults_can_target_one_task(hub):
    mgh = client("standard", 0)
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    hub.faults.fail("ImportMigrationTask", times=5, task="db-01")
    mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")
    with pytest.raises(ClientError, match="Throttling"):
        mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="db-01")
    hub.faults.fail("ImportMigrationTask", stream="Other")
    mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-02")


def test_a_script_is_followed_in_order_then_calls_pass(hub):
    mgh = client("standard", 0)
    hub.faults.script("ListProgressUpdateStreams", [None, "ServiceUnavailableException", None, "AccessDeniedException"])
    outcomes = []
    for _ in range(6):
        try:
            mgh.list_progress_update_streams()
            outcomes.append(None)
        except ClientError as error:
            outcomes.append(error.response["Error"]["Code"])
    assert outcomes == [None, "ServiceUnavailableException", None, "AccessDeniedException", None, None]


def test_random_faults_are_reproducible_with_a_seed():
    def run():
        with mock_migrationhub(home_region=REGION) as hub:
            hub.faults.fail_randomly("ListProgressUpdateStreams", 0.5, seed=42)
            mgh = client("standard", 0)
            codes = []
            for _ in range(40):
                try:
                    mgh.list_progress_update_streams()
                    codes.append(0)
                except ClientError:
                    codes.append(1)
            return codes

    first = run()
    assert first == run()
    assert 8 < sum(first) < 32


@pytest.mark.parametrize("code", ["InvalidInputException", "ResourceNotFoundException", "DryRunOperation", "Bogus"])
def test_codes_not_modeled_as_faults_are_refused_naming_the_allowed_ones(hub, code):
    with pytest.raises(ValueError, match=code) as raised:
        hub.faults.fail("NotifyMigrationTaskState", code)
    message = str(raised.value)
    assert code in message
    for allowed in (
        "AccessDeniedException",
        "InternalServerError",
        "ServiceUnavailableException",
        "ThrottlingException",
    ):
        assert allowed in message


def test_codes_an_operation_does_not_model_are_refused(hub):
    with pytest.raises(ValueError, match="ServerInternalErrorException"):
        hub.faults.fail("DescribeConfigurations", "InternalServerError")  # ADS names its 500 differently
    with pytest.raises(ValueError, match="unknown operation"):
        hub.faults.fail("NotAnOperation")


def test_snake_case_names_and_every_operation(hub, mgh):
    hub.faults.fail("list_progress_update_streams")
    with pytest.raises(ClientError):
        client("standard", 0).list_progress_update_streams()
    hub.faults.fail("*", "ServiceUnavailableException")
    with pytest.raises(ClientError, match="ServiceUnavailable"):
        client("standard", 0).list_migration_tasks()


def test_latency_and_backoff_move_a_frozen_clock():
    with freeze_time("2025-01-01 00:00:00") as frozen, mock_migrationhub(home_region=REGION) as hub:
        hub.faults.delay("CreateProgressUpdateStream", 30)
        hub.faults.fail("ImportMigrationTask", times=2)
        mgh = client("legacy", 4)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
        assert frozen().timestamp() == pytest.approx(
            dt.datetime(2025, 1, 1, 0, 0, 30, tzinfo=dt.timezone.utc).timestamp()
        )
        before = time.time()
        mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")
        backoff = [s.seconds for s in hub.faults.sleeps if s.reason == "retry backoff"]
        assert len(backoff) == 2
        # freezegun keeps its time as a datetime: each sleep moves it by whole microseconds, and a
        # float timestamp near 1.7e9 s is exact to 2.4e-7 s (the relative default failed by chance).
        moved = sum(dt.timedelta(seconds=s).total_seconds() for s in backoff)
        assert time.time() - before == pytest.approx(moved, abs=5e-7)


def _frozen(library: str, tick: bool):
    start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    return freeze_time(start, tick=tick) if library == "freezegun" else time_machine.travel(start, tick=tick)


def _as_if_real_time_passed(seconds: float) -> None:
    """Without waiting: a ticking freezegun clock reads as if ``seconds`` of real time had
    passed since it was started (what freezegun's own tick() forgot)."""
    factories = freezegun_api.freeze_factories
    if factories and isinstance(factories[-1], freezegun_api.TickingDateTimeFactory):
        factories[-1].start -= dt.timedelta(seconds=seconds)


@pytest.mark.parametrize("tick", [False, True], ids=["frozen", "ticking"])
@pytest.mark.parametrize("library", ["freezegun", "time-machine"])
def test_latency_and_backoff_move_a_frozen_clock_forward_by_the_sleep_ticking_or_not(library, tick):
    with _frozen(library, tick), mock_migrationhub(home_region=REGION) as hub:
        mgh = client("legacy", 4)
        hub.faults.delay("ListProgressUpdateStreams", 0.25)
        hub.faults.fail("ListProgressUpdateStreams", times=2)
        _as_if_real_time_passed(10)
        real_start, clock_start = freezegun_api.real_perf_counter(), time.time()
        mgh.list_progress_update_streams()
        moved, real = time.time() - clock_start, freezegun_api.real_perf_counter() - real_start
    assert [s.reason for s in hub.faults.sleeps].count("retry backoff") == 2 and len(hub.faults.sleeps) == 5
    if tick:  # the sleeps, plus the real time the call took: never less, never back
        assert hub.faults.slept - 1e-5 <= moved <= hub.faults.slept + real + 1e-3
    else:
        assert moved == pytest.approx(hub.faults.slept, abs=1e-5)


def test_adaptive_rate_limiter_waits_in_virtual_time_under_a_frozen_clock():
    # Without the patch, botocore's token bucket never refills under a frozen clock: it waits forever.
    with freeze_time("2025-01-01"), mock_migrationhub(home_region=REGION) as hub:
        mgh = client("adaptive", 3)
        hub.faults.fail("ListProgressUpdateStreams", times=2)
        started = freezegun_api.real_perf_counter()
        for _ in range(5):
            mgh.list_progress_update_streams()
        assert any(s.reason == "rate limiter" for s in hub.faults.sleeps)
        assert freezegun_api.real_perf_counter() - started < 60  # hang detection, not a speed target


def test_opting_out_sleeps_for_real(hub, monkeypatch):
    hub.faults.virtual_sleep = False
    hub.faults.fail("ListProgressUpdateStreams")
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)  # the real sleep, observed instead of waited for
    boto3.client(
        "mgh", region_name=REGION, config=Config(retries={"mode": "legacy", "max_attempts": 1})
    ).list_progress_update_streams()
    assert len(slept) == 1 and 0 <= slept[0] < 1  # legacy backoff: random in [0, 1) s
    assert hub.faults.sleeps == []


def test_a_bug_in_the_fault_plan_never_changes_the_answer(hub, mgh):
    rule = hub.faults.fail("ListProgressUpdateStreams")
    rule.steps = iter(())  # a broken rule: next() raises StopIteration
    with pytest.warns(RuntimeWarning, match="fault injection failed"):
        assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []
    assert len(hub.faults.errors) == 1


def test_no_hub_no_virtual_sleep():
    from fakehub import virtual_sleep

    assert virtual_sleep.virtual_faults() is None
