"""Snapshot and restore benchmark: a hub of 10,000 tasks mid-migration, each mapped to its
own ADS server, taken and restored.

Prints, side by side in one run (nothing here is asserted):

* ``hub.snapshot()`` and ``Hub.from_snapshot(doc)`` against ``copy.deepcopy`` of the same
  data (the hub's state objects, and the snapshot document), target: restore <= 10x the
  deep copy of the state;
* the snapshot's size as JSON, per task (each task with its server), and the time to write
  and read it as text.

Run: ``python benchmarks/bench_snapshot.py`` (``--quick``: 1,000 tasks, for a smoke run).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import header, verdict

from fakehub import Hub
from fakehub.wire.services import TARGET_PREFIXES

REGION = "us-west-2"
HEADERS = {"Authorization": f"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/{REGION}/mgh/aws4_request"}
STAMP = 1_790_000_000.0


def call(hub: Hub, operation: str, **params: Any) -> None:
    target = f"{TARGET_PREFIXES['mgh']}.{operation}".encode()
    reply = hub.dispatcher.dispatch(target, HEADERS, json.dumps(params).encode(), faked=True)
    if reply is None or reply.status != 200:
        raise RuntimeError(f"{operation} failed while filling the hub: {reply!r}")


def fleet(tasks: int) -> Hub:
    """Tasks with two status updates, three attributes and a server each (auto-mapped), a
    tenth with a created artifact: what a tool mid-migration has reported."""
    hub = Hub(home_region=REGION)
    call(hub, "CreateProgressUpdateStream", ProgressUpdateStreamName="Tool")
    for i in range(tasks):
        task = {"ProgressUpdateStream": "Tool", "MigrationTaskName": f"task-{i:06d}"}
        call(hub, "ImportMigrationTask", **task)
        attributes = [
            {"Type": "IPV4_ADDRESS", "Value": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"},
            {"Type": "FQDN", "Value": f"host-{i:06d}.corp.example.com"},
            {"Type": "VM_NAME", "Value": f"vm-{i:06d}"},
        ]
        call(hub, "PutResourceAttributes", **task, ResourceAttributeList=attributes)
        for percent in (10, 40):
            state = {"Status": "IN_PROGRESS", "ProgressPercent": percent, "StatusDetail": "replicating"}
            call(hub, "NotifyMigrationTaskState", **task, Task=state, UpdateDateTime=STAMP, NextUpdateSeconds=300)
        if i % 10 == 0:
            artifact = {"Name": f"arn:aws:ec2:{REGION}:123456789012:instance/i-{i:017x}"}
            call(hub, "AssociateCreatedArtifact", **task, CreatedArtifact=artifact)
    hub.settle()  # every task mapped to its own new server
    return hub


def best_of(rounds: int, work: Callable[[], Any]) -> tuple[float, float]:
    """(median, fastest) seconds of ``rounds`` runs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 tasks and 2 rounds: a smoke run")
    args = parser.parse_args(argv)
    tasks, rounds = (1000, 2) if args.quick else (10_000, 5)
    started = time.perf_counter()

    header(f"building a hub of {tasks:,} tasks")
    hub = fleet(tasks)
    servers = len(hub.servers())
    print(f"{tasks:,} tasks, {servers:,} ADS servers, {len(hub.pending())} steps pending")

    header("snapshot and restore vs deep copy")
    doc = hub.snapshot()
    restored = Hub.from_snapshot(doc)
    if {**restored.snapshot(), "taken_at": 0} != {**doc, "taken_at": 0}:
        raise RuntimeError("the restored hub's snapshot differs from the original's")
    figures = {
        "copy.deepcopy(hub state)": best_of(rounds, lambda: copy.deepcopy(hub.state)),
        "copy.deepcopy(snapshot document)": best_of(rounds, lambda: copy.deepcopy(doc)),
        "hub.snapshot()": best_of(rounds, hub.snapshot),
        "Hub.from_snapshot(doc)": best_of(rounds, lambda: Hub.from_snapshot(doc)),
    }
    text = json.dumps(doc)
    figures["json.dumps(snapshot)"] = best_of(rounds, lambda: json.dumps(doc))
    figures["json.loads + Hub.from_snapshot"] = best_of(rounds, lambda: Hub.from_snapshot(json.loads(text)))
    floor = figures["copy.deepcopy(hub state)"][0]
    print(f"{'':36} {'median ms':>10} {'fastest ms':>11} {'/ deepcopy(state)':>18}")
    for name, (median, fastest) in figures.items():
        print(f"{name:36} {median * 1e3:10.1f} {fastest * 1e3:11.1f} {median / floor:18.2f}")
    ratio = figures["Hub.from_snapshot(doc)"][0] / floor
    print(f"restore / deepcopy(state): {ratio:.2f} (target <= 10: {verdict(ratio, 10)})")

    header("snapshot size")
    print(f"JSON: {len(text):,} bytes, {len(text) / tasks:,.0f} bytes per task (with its server and history)")
    empty = len(json.dumps(Hub(home_region=REGION).snapshot()))
    print(f"an empty hub's snapshot: {empty:,} bytes")
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
