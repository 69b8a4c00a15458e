#!/usr/bin/env python
"""Where the time of a fakehub call goes: evidence for docs/performance.md.

    python benchmarks/profile_hotpath.py [--calls N]

1. cProfile of N boto3 calls per operation (describe, notify, put-attributes,
   list-100) through fakehub, own time summed by area (botocore signing,
   serialising, parsing, event hooks, ...; fakehub dispatch, core, answer).
2. fakehub's own steps timed one by one on captured botocore requests
   (``Hub.handle`` and each step of ``wire/dispatch.py``), interleaved.
3. Retained memory per task by allocation site (tracemalloc).
4. A check that the prototype cheap signer keeps the credentials -> account mapping.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import threading
import tracemalloc
from collections import defaultdict
from typing import Any

import bench  # benchmarks/bench.py (sets up sys.path and a clean AWS environment)
from bench import (ACCESS_KEY, ATTRIBUTES, LIST_TASKS, REGION, SECRET, STREAM, TASK_STATE, UPDATE_TIME, interleaved,
                   med_us)

import boto3
from botocore.awsrequest import AWSResponse

from fakehub import mock_migrationhub
from fakehub.core import clock
from fakehub.core.context import Call
from fakehub.core.homeregion import region_gate
from fakehub.wire.identity import account_for, signer
from fakehub.wire.protocol import answer
from fakehub.wire.services import by_target

import prototypes

OPS = {
    "describe": ("DescribeMigrationTask", lambda c: c.describe_migration_task(
        ProgressUpdateStream=STREAM, MigrationTaskName="web-0001")),
    "notify": ("NotifyMigrationTaskState", lambda c: c.notify_migration_task_state(
        ProgressUpdateStream=STREAM, MigrationTaskName="web-0002", Task=TASK_STATE, UpdateDateTime=UPDATE_TIME,
        NextUpdateSeconds=60)),
    "put-attributes": ("PutResourceAttributes", lambda c: c.put_resource_attributes(
        ProgressUpdateStream=STREAM, MigrationTaskName="web-0003", ResourceAttributeList=ATTRIBUTES)),
    "list-100": ("ListMigrationTasks", lambda c: c.list_migration_tasks(MaxResults=100)),
}

AREAS = (  # first match wins: (substring of "file:function", area)
    ("botocore/auth.py", "botocore SigV4 signing"),
    ("hmac", "botocore SigV4 signing"), ("_hashlib", "botocore SigV4 signing"), ("hashlib", "botocore SigV4 signing"),
    ("botocore/signers.py", "botocore signer dispatch"),
    ("botocore/parsers.py", "botocore response parsing"),
    ("dateutil", "botocore response parsing (timestamps)"), ("botocore/utils.py:parse_timestamp", "botocore response parsing (timestamps)"),
    ("botocore/serialize.py", "botocore request serialising"),
    ("botocore/validate.py", "botocore parameter validation"),
    ("botocore/hooks.py", "botocore event hooks"),
    ("botocore/regions.py", "botocore endpoint resolution"), ("botocore/endpoint_provider.py", "botocore endpoint resolution"),
    ("botocore/retries", "botocore retry handler"), ("botocore/retryhandler.py", "botocore retry handler"),
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
    ("datetime", "datetime"), ("email", "email/http headers"), ("urllib", "urllib"),
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
    client.create_progress_update_stream(ProgressUpdateStreamName=STREAM)
    for i in range(LIST_TASKS):
        name = f"web-{i:04d}"
        client.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=name)
        client.notify_migration_task_state(ProgressUpdateStream=STREAM, MigrationTaskName=name, Task=TASK_STATE,
                                           UpdateDateTime=UPDATE_TIME, NextUpdateSeconds=60)
        client.put_resource_attributes(ProgressUpdateStream=STREAM, MigrationTaskName=name,
                                       ResourceAttributeList=ATTRIBUTES)
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
                fakehub_funcs.append((value[2], f"{key[0].split('/wt-bench/')[-1]}:{key[1]}({key[2]})"))
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
    dispatcher = hub._dispatcher
    print("\n== fakehub's own steps per call (median us, interleaved; Hub.handle is the whole of fakehub) ==")
    header = f"{'step':<44}" + "".join(f"{label:>15}" for label in OPS)
    print(header)
    rows: dict[str, dict[str, float]] = defaultdict(dict)
    for label, (op, _fn) in OPS.items():
        request = recorder.requests[op]
        spec = table[request.headers["X-Amz-Target"]]
        body = json.loads(request.body)
        access_key, region = signer(request.headers)
        call = Call(account_for(access_key, hub.access_keys), region, clock.now(), spec.name, access_key)
        method = hub.operation(spec)
        if spec.page_size is not None:
            body.setdefault("MaxResults", spec.page_size)
        result = method(call, **dict(body))
        data = json.dumps(result, separators=(",", ":")).encode()
        headers = {"x-amzn-requestid": "x" * 36, "content-type": "application/x-amz-json-1.1",
                   "content-length": str(len(data))}
        lock = hub.lock
        state = hub.state
        plain_lock = threading.Lock()

        def gate() -> Any:
            account = state.account(call.account)
            return region_gate(spec.name, spec.home_region_not_set, account.resolve_home_region(region), region)

        steps = {
            "Hub.handle (all of fakehub)": lambda: hub.handle(request),
            "table lookup by X-Amz-Target": lambda: table.get(request.headers.get("X-Amz-Target")),
            "request id (f-string, 2 counters)": lambda: f"{1:08x}-fa6e-4b0b-8000-{next(dispatcher._request_ids):012x}",
            "clock.now()": clock.now,
            "signer(headers): parse Authorization": lambda: signer(request.headers),
            "json.loads(request body)": lambda: json.loads(request.body),
            "RLock enter+exit": lambda: _with(lock),
            "(Lock enter+exit, for comparison)": lambda: _with(plain_lock),
            "scheduler.run_due": lambda: state.scheduler.run_due(call.now),
            "Call(...) + account_for": lambda: Call(account_for(access_key, hub.access_keys), region, call.now,
                                                    spec.name, access_key),
            "spec.validate (placeholder today)": lambda: spec.validate(body),
            "account + home-region gate": gate,
            "hub.operation(spec) lookup": lambda: hub.operation(spec),
            "core operation": lambda: method(call, **dict(body)),
            "answer(): json.dumps + AWSResponse": lambda: answer(request.url, 200, result, "x" * 36),
            "  json.dumps(result).encode()": lambda: json.dumps(result, separators=(",", ":")).encode(),
            "  AWSResponse(...) (HeadersDict)": lambda: AWSResponse(request.url, 200, headers, None),
        }
        samples = interleaved(steps, rounds, per_round if label != "list-100" else per_round // 5)
        for name, s in samples.items():
            rows[name][label] = med_us(s)
    for name, by_label in rows.items():
        print(f"{name:<44}" + "".join(f"{by_label[label]:15.2f}" for label in OPS))


def memory_sites(n: int) -> None:
    session = boto3.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET, region_name=REGION)
    client = session.client("mgh")
    captured: list[Any] = []

    def grab(request: Any, **_kwargs: Any) -> AWSResponse:
        captured.append(request)
        return AWSResponse(request.url, 200, {}, bench._Raw(b"{}"))

    client.meta.events.register_first("before-send.migration-hub.ImportMigrationTask", grab)
    client.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName="template")
    tracemalloc.start(1)
    before = tracemalloc.take_snapshot()
    hub, _ = _build_traced(n, captured[0])
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    print(f"\n== retained memory by allocation site, {n} tasks (one update, three attributes each) ==")
    stats = after.compare_to(before, "lineno")
    total = sum(s.size_diff for s in stats)
    print(f"total {total / n:.0f} B/task")
    for s in stats[:10]:
        frame = s.traceback[0]
        print(f"  {s.size_diff / n:7.0f} B/task  {s.count_diff / n:6.2f} blocks/task  "
              f"{frame.filename.split('site-packages/')[-1].split('/wt-bench/')[-1]}:{frame.lineno}")
    del hub


def _build_traced(n: int, template: Any) -> tuple[Any, int]:
    """bench.build_hub without its own tracemalloc start/stop (tracing is already on)."""
    with mock_migrationhub(home_region=REGION) as hub:
        hub.handle(bench._wire(template, "CreateProgressUpdateStream", {"ProgressUpdateStreamName": STREAM}))
        stamp = UPDATE_TIME.timestamp()
        for i in range(n):
            name = f"task-{i:06d}"
            hub.handle(bench._wire(template, "ImportMigrationTask", {"ProgressUpdateStream": STREAM,
                                                                     "MigrationTaskName": name}))
            hub.handle(bench._wire(template, "NotifyMigrationTaskState", {
                "ProgressUpdateStream": STREAM, "MigrationTaskName": name, "Task": TASK_STATE,
                "UpdateDateTime": stamp, "NextUpdateSeconds": 60}))
            hub.handle(bench._wire(template, "PutResourceAttributes", {
                "ProgressUpdateStream": STREAM, "MigrationTaskName": name, "ResourceAttributeList": ATTRIBUTES}))
    return hub, 0


def cheap_signer_keeps_accounts() -> None:
    with mock_migrationhub(home_region=REGION) as hub:
        hub.map_access_key("AKIDOTHERACCOUNT0001", "111122223333")
        client = boto3.Session(aws_access_key_id="AKIDOTHERACCOUNT0001", aws_secret_access_key="x",
                               region_name=REGION).client("mgh")
        prototypes.use_cheap_signer(client)
        seen: list[bytes] = []
        client.meta.events.register("before-send.migration-hub", lambda request, **_: seen.append(
            request.headers["Authorization"]))
        client.create_progress_update_stream(ProgressUpdateStreamName="signed-cheaply")
        ok = hub.streams("111122223333") == ["signed-cheaply"] and not hub.streams()
    print(f"\n== prototype cheap signer: request lands in the mapped account 111122223333: {ok}")
    print(f"   Authorization sent: {seen[0].decode() if isinstance(seen[0], bytes) else seen[0]}")
    client = boto3.Session(aws_access_key_id="AKIDOTHERACCOUNT0001", aws_secret_access_key="x",
                           region_name=REGION).client("mgh")
    prototypes.use_cheap_signer(client)
    print(f"   with no hub active the signer chosen is botocore's: "
          f"{prototypes.choose_signer(signature_version='v4') is None}")


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
    cheap_signer_keeps_accounts()


if __name__ == "__main__":
    main()
