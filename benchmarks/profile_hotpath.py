#!/usr/bin/env python
"""Where the time of a fakehub call goes: evidence for docs/performance.md.

    python benchmarks/profile_hotpath.py [--calls N]

1. cProfile of N boto3 calls per operation (describe, notify, put-attributes,
   list-100) through fakehub, own time summed by area (botocore signing,
   serialising, parsing, event hooks, ...; fakehub dispatch, core, answer).
2. fakehub's own steps timed one by one on captured botocore requests
   (``fakehub.hook.answer_request`` and each step of ``wire/dispatch.py``), interleaved.
3. Retained memory per task by allocation site (tracemalloc).
   The state is measured with the call journal cleared; each site is named by its
   innermost frame and by the fakehub line that led to it.
4. A check that fakehub's credential-scope signer (fakehub/signer.py, used while a
   hub is active) keeps the credentials -> account mapping.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import threading
import tracemalloc
from collections import defaultdict
from typing import Any

import bench  # benchmarks/bench.py (sets up sys.path and a clean AWS environment)
import boto3
from bench import (
    ACCESS_KEY,
    ATTRIBUTES,
    REGION,
    ROOT,
    SECRET,
    STREAM,
    TASK_STATE,
    UPDATE_TIME,
    interleaved,
    med_us,
    sigv4_signed,
)
from botocore.awsrequest import AWSResponse

from fakehub import mock_migrationhub
from fakehub import signer as fakehub_signer
from fakehub.core import clock
from fakehub.core.context import Call
from fakehub.core.homeregion import region_gate
from fakehub.hook import answer_request
from fakehub.journal import Journal
from fakehub.wire.identity import account_for, credential_scope
from fakehub.wire.protocol import answer, encode, request_id
from fakehub.wire.services import by_target

OPS = {
    "describe": (
        "DescribeMigrationTask",
        lambda c: c.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName="web-0001"),
    ),
    "notify": (
        "NotifyMigrationTaskState",
        lambda c: c.notify_migration_task_state(
            ProgressUpdateStream=STREAM,
            MigrationTaskName="web-0002",
            Task=TASK_STATE,
            UpdateDateTime=UPDATE_TIME,
            NextUpdateSeconds=60,
        ),
    ),
    "put-attributes": (
        "PutResourceAttributes",
        lambda c: c.put_resource_attributes(
            ProgressUpdateStream=STREAM, MigrationTaskName="web-0003", ResourceAttributeList=ATTRIBUTES
        ),
    ),
    "list-100": ("ListMigrationTasks", lambda c: c.list_migration_tasks(MaxResults=100)),
}

AREAS = (  # first match wins: (substring of "file:function", area)
    ("botocore/auth.py", "botocore SigV4 signing"),
    ("hmac", "botocore SigV4 signing"),
    ("_hashlib", "botocore SigV4 signing"),
    ("hashlib", "botocore SigV4 signing"),
    ("botocore/signers.py", "botocore signer dispatch"),
    ("botocore/parsers.py", "botocore response parsing"),
    ("dateutil", "botocore response parsing (timestamps)"),
    ("botocore/utils.py:parse_timestamp", "botocore response parsing (timestamps)"),
    ("botocore/serialize.py", "botocore request serialising"),
    ("botocore/validate.py", "botocore parameter validation"),
    ("botocore/hooks.py", "botocore event hooks"),
    ("botocore/regions.py", "botocore endpoint resolution"),
    ("botocore/endpoint_provider.py", "botocore endpoint resolution"),
    ("botocore/retries", "botocore retry handler"),
    ("botocore/retryhandler.py", "botocore retry handler"),
    ("botocore/awsrequest.py", "botocore request/response objects"),
    ("botocore/endpoint.py", "botocore endpoint/send loop"),
    ("botocore/handlers.py", "botocore built-in handlers"),
    ("botocore/useragent.py", "botocore user agent"),
    ("botocore/client.py", "botocore client call"),
    ("botocore/", "botocore other"),
    ("fakehub/wire/dispatch.py", "fakehub dispatch"),
    ("fakehub/wire/protocol.py", "fakehub answer (json.dumps + AWSResponse)"),
    ("fakehub/wire/identity.py", "fakehub identity (Authorization parse)"),
    ("fakehub/core/paging.py", "fakehub core paging/tokens"),
    ("fakehub/core/", "fakehub core"),
    ("fakehub/", "fakehub other"),
    ("json", "json (C + stdlib)"),
    ("uuid", "uuid (botocore invocation id)"),
    ("datetime", "datetime"),
    ("email", "email/http headers"),
    ("urllib", "urllib"),
    ("benchmarks/", "benchmark harness"),
)


def area_of(key: tuple[str, int, str]) -> str:
    name = f"{key[0]}:{key[2]}"
    for needle, area in AREAS:
        if needle in name:
            return area
    return "other stdlib/builtins"


def make_hub_and_client() -> tuple[Any, Any, Any]:
    session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET, region_name=REGION)
    mock = mock_migrationhub(home_region=REGION)
    hub = mock.__enter__()
    client = session.client("mgh")
    bench.fill(client)
    return mock, hub, client


def profile_areas(client: Any, calls: int) -> None:
    print("\n== cProfile: own time by area, % of the whole call (cProfile inflates small functions) ==")
    for label, (_op, fn) in OPS.items():
        n = calls // 10 if label == "list-100" else calls
        for _ in range(20):
            fn(client)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            fn(client)
        prof.disable()
        stats = pstats.Stats(prof)
        total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
        by_area: dict[str, float] = defaultdict(float)
        fakehub_funcs: list[tuple[float, str]] = []
        for key, value in stats.stats.items():  # type: ignore[attr-defined]
            by_area[area_of(key)] += value[2]
            if "fakehub/" in key[0] or key[0] == "~":
                fakehub_funcs.append((value[2], f"{_short(key[0])}:{key[1]}({key[2]})"))
        print(f"\n-- {label}: {n} calls, {total / n * 1e6:.0f} us/call under cProfile")
        for area, t in sorted(by_area.items(), key=lambda kv: -kv[1])[:14]:
            print(f"   {100 * t / total:5.1f}%  {t / n * 1e6:7.1f} us  {area}")
        own = sorted((f for f in fakehub_funcs if "fakehub/" in f[1]), reverse=True)[:6]
        print("   top fakehub functions (own time): " + "; ".join(f"{name} {t / n * 1e6:.1f} us" for t, name in own))


class _Recorded:
    """Capture the AWSPreparedRequest botocore sends, then let fakehub answer it."""

    def __init__(self) -> None:
        self.requests: dict[str, Any] = {}

    def __call__(self, request: Any, **kwargs: Any) -> None:
        self.requests[kwargs["event_name"].rsplit(".", 1)[-1]] = request
        return None


def _with(lock: Any) -> None:
    with lock:
        pass


def fakehub_steps(hub: Any, client: Any, rounds: int, per_round: int) -> None:
    recorder = _Recorded()
    client.meta.events.register_first("before-send.migration-hub", recorder)
    for _label, (_op, fn) in OPS.items():
        fn(client)
    client.meta.events.unregister("before-send.migration-hub", recorder)
    table = by_target()
    print("\n== fakehub's own steps per call (median us, interleaved; answer_request is the whole of fakehub) ==")
    header = f"{'step':<44}" + "".join(f"{label:>15}" for label in OPS)
    print(header)
    rows: dict[str, dict[str, float]] = defaultdict(dict)
    for label, (op, _fn) in OPS.items():
        request = recorder.requests[op]
        spec = table[request.headers["X-Amz-Target"]]
        body = json.loads(request.body)
        access_key, region = credential_scope(request.headers)
        call = Call(account_for(access_key, hub.access_keys, hub.default_account), region, clock.now(), access_key)
        method = hub.operation(spec)
        if spec.page_member is not None:
            body.setdefault(spec.page_member, spec.page_size)
        result = method(call, **dict(body))
        data = json.dumps(result, separators=(",", ":")).encode()
        headers = {
            "x-amzn-requestid": "x" * 36,
            "content-type": "application/x-amz-json-1.1",
            "content-length": str(len(data)),
        }
        lock = hub.lock
        state = hub.state
        plain_lock = threading.Lock()
        journal_probe = Journal(hub._id)

        def gate() -> Any:
            account = state.account(call.account)
            state.claim_auto_home_region(account, region, call.now)
            home = account.home.control.home_region if account.home.control is not None else None
            return region_gate(spec.name, spec.home_region_not_set, home, region)

        steps = {
            "answer_request (all of fakehub)": lambda: answer_request(request),
            "table lookup by X-Amz-Target": lambda: table.get(request.headers.get("X-Amz-Target")),
            "request id (rendered on read)": lambda: request_id(hub._id, 1),
            "clock.now()": clock.now,
            "credential_scope(headers): parse Authorization": lambda: credential_scope(request.headers),
            "json.loads(request body)": lambda: json.loads(request.body),
            "RLock enter+exit": lambda: _with(lock),
            "(Lock enter+exit, for comparison)": lambda: _with(plain_lock),
            "scheduler.run_due": lambda: state.scheduler.run_due(call.now),
            "Call(...) + account_for": lambda: Call(
                account_for(access_key, hub.access_keys, hub.default_account), region, call.now, access_key
            ),
            "spec.validate (model-driven)": lambda: spec.validate(body),
            "faults.check": lambda: hub.faults.check(spec, call, body),
            "account + home-region gate": gate,
            "hub.operation(spec) lookup": lambda: hub.operation(spec),
            "core operation": lambda: method(call, **dict(body)),
            "encode(result): json.dumps": lambda: encode(result),
            "answer(): AWSResponse": lambda: answer(request.url, 200, data, "x" * 36),
            "journal.record (tuple append)": lambda: journal_probe.record(
                spec, call.account, region, request.body, 200, 1, data
            ),
            "  AWSResponse(...) (HeadersDict)": lambda: AWSResponse(request.url, 200, headers, None),
        }
        samples = interleaved(steps, rounds, per_round if label != "list-100" else per_round // 5)
        for name, s in samples.items():
            rows[name][label] = med_us(s)
    for name, by_label in rows.items():
        print(f"{name:<44}" + "".join(f"{by_label[label]:15.2f}" for label in OPS))


def _short(filename: str) -> str:
    return filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")


def memory_sites(n: int, frames: int = 12) -> None:
    session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET, region_name=REGION)
    client = session.client("mgh")
    captured: list[Any] = []

    def grab(request: Any, **_kwargs: Any) -> AWSResponse:
        captured.append(request)
        return AWSResponse(request.url, 200, {}, bench._Raw(b"{}"))

    client.meta.events.register_first("before-send.migration-hub.ImportMigrationTask", grab)
    client.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName="template")
    gc.collect()
    tracemalloc.start(frames)
    before = tracemalloc.take_snapshot()
    hub, _ = _build_traced(n, captured[0])
    calls = len(hub.journal)
    with_journal = tracemalloc.take_snapshot()
    hub.journal.clear()  # the state alone: what a task holds
    hub.settle()  # every task auto-mapped, as bench.build_hub measures it
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    journal = sum(s.size_diff for s in with_journal.compare_to(after, "filename"))
    print(f"\n== retained memory by allocation site, {n} tasks (one update, three attributes each) ==")
    stats = after.compare_to(before, "traceback")
    total = sum(s.size_diff for s in stats)
    print(
        f"state {total / n:.0f} B/task (journal cleared, auto-mapping settled); "
        f"the journal held {journal / calls:.0f} B per recorded call"
    )
    by_site: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for s in stats:
        inner = s.traceback[-1] if s.traceback else None  # most recent call last
        own = next((f for f in reversed(s.traceback) if "/fakehub/" in f.filename), inner)
        key = (
            f"{_short(inner.filename)}:{inner.lineno}" if inner else "?",
            f"{_short(own.filename)}:{own.lineno}" if own else "?",
        )
        by_site[key][0] += s.size_diff
        by_site[key][1] += s.count_diff
    print(f"  {'B/task':>7} {'blocks':>7}  allocated at  <-  fakehub line that led there")
    for (inner_site, own_site), (size, count) in sorted(by_site.items(), key=lambda kv: -kv[1][0])[:14]:
        via = "" if inner_site == own_site else f"  <-  {own_site}"
        print(f"  {size / n:7.0f} {count / n:7.2f}  {inner_site}{via}")
    del hub


def _build_traced(n: int, template: Any) -> tuple[Any, int]:
    """bench.build_hub without its own tracemalloc start/stop (tracing is already on)."""
    with mock_migrationhub(home_region=REGION) as hub:
        answer_request(bench._wire(template, "CreateProgressUpdateStream", {"ProgressUpdateStreamName": STREAM}))
        stamp = UPDATE_TIME.timestamp()
        for i in range(n):
            name = f"task-{i:06d}"
            answer_request(
                bench._wire(
                    template, "ImportMigrationTask", {"ProgressUpdateStream": STREAM, "MigrationTaskName": name}
                )
            )
            answer_request(
                bench._wire(
                    template,
                    "NotifyMigrationTaskState",
                    {
                        "ProgressUpdateStream": STREAM,
                        "MigrationTaskName": name,
                        "Task": TASK_STATE,
                        "UpdateDateTime": stamp,
                        "NextUpdateSeconds": 60,
                    },
                )
            )
            answer_request(
                bench._wire(
                    template,
                    "PutResourceAttributes",
                    {"ProgressUpdateStream": STREAM, "MigrationTaskName": name, "ResourceAttributeList": ATTRIBUTES},
                )
            )
    return hub, 0


def signer_keeps_accounts() -> None:
    """fakehub's credential-scope signer still carries the caller's access key: a mapped key
    lands in its account; a SigV4-signed client (signer bypassed) lands in the same place."""
    with mock_migrationhub(home_region=REGION) as hub:
        hub.map_access_key("AKIDOTHERACCOUNT0001", "111122223333")
        session = boto3.Session(aws_access_key_id="AKIDOTHERACCOUNT0001", aws_secret_access_key="x", region_name=REGION)
        cheap, signed = session.client("mgh"), sigv4_signed(session.client("mgh"))
        auth = {
            "credential scope": bench.authorization_sent(
                cheap, lambda: cheap.create_progress_update_stream(ProgressUpdateStreamName="credential-scope")
            ),
            "SigV4": bench.authorization_sent(
                signed, lambda: signed.create_progress_update_stream(ProgressUpdateStreamName="sigv4")
            ),
        }
        ok = hub.streams("111122223333") == ["credential-scope", "sigv4"] and not hub.streams()
    print(f"\n== signer: both requests land in the mapped account 111122223333: {ok}")
    for kind, value in auth.items():
        print(f"   {kind:<17} Authorization: {value}")
    print(
        "   with no hub active botocore's own signer is chosen: "
        f"{fakehub_signer.choose_signer(signature_version='v4') is None}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--memory-tasks", type=int, default=5000)
    args = parser.parse_args()
    mock, hub, client = make_hub_and_client()
    try:
        profile_areas(client, args.calls)
        fakehub_steps(hub, client, rounds=5, per_round=max(100, args.calls // 10))
    finally:
        mock.__exit__(None, None, None)
    memory_sites(args.memory_tasks)
    signer_keeps_accounts()


if __name__ == "__main__":
    main()
