"""Server-mode benchmark: fakehub over HTTP against the floor and against moto's server.

Prints figures and ratios side by side in one run (nothing here is asserted):

* per call, botocore over HTTP to ``fakehub.serve()`` vs to a bare standard-library server
  in the same process answering the same operation's canned bytes (the floor for any HTTP
  fake; target fakehub <= 1.15x), for a write (notify), a read (describe) and a 100-item page;
* the same three calls from the AWS SDK for JavaScript v3 (``js_per_call.mjs``, on the SDK
  that ``bash .ci/install-clients`` installs in ``examples/js-tool``), against the same pair
  of servers and the same request members (checked in fakehub's journal): one node process
  gets both URLs and interleaves the rounds itself, as ``interleaved`` does for botocore, so
  both servers share the load of each moment; a node process per round or per server would
  pay node's start and SDK load (~0.2 s measured) and its JIT warm-up each time;
* requests per second with 1 and 8 concurrent clients, fakehub vs moto's
  ``ThreadedMotoServer`` on a comparable JSON 1.1 service (Secrets Manager: describe and
  a 100-item list; target fakehub >= 2x moto);
* start + stop of ``fakehub.serve()`` (target <= 20 ms).

Run: ``python benchmarks/bench_server.py`` (``--quick`` for a smoke run).  Loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import boto3
from bench import header, interleaved, med_us, ratio_spread, verdict

import fakehub
from fakehub import Hub

ROOT = Path(__file__).resolve().parent.parent
JS_TOOL = ROOT / "examples" / "js-tool"
JS_SDK = JS_TOOL / "node_modules" / "@aws-sdk" / "client-migration-hub" / "package.json"
JS_PER_CALL = ROOT / "benchmarks" / "js_per_call.mjs"
JS_TIMEOUT = 600.0  # seconds: a bound on the node process (a full run takes well under a minute)
INSTALL_HINT = "run `bash .ci/install-clients` (it installs the pinned SDK: npm ci in examples/js-tool)"
REGION = "us-west-2"
STREAM = "BenchTool"
SESSION = boto3.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name=REGION)


class _Canned(BaseHTTPRequestHandler):
    """Answers every POST with the bytes set for its X-Amz-Target: no parsing, no state."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    answers: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.wfile.write(self.answers[self.headers["X-Amz-Target"]])


@contextlib.contextmanager
def canned_server(answers: dict[str, bytes]) -> Iterator[str]:
    handler = type("Canned", (_Canned,), {"answers": answers})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def capture(url: str, call: Callable[[Any], Any]) -> bytes:
    """The full HTTP answer fakehub's server gives ``call``, as the canned server will replay it."""
    import http.client

    seen: dict[str, Any] = {}

    def grab(response_dict: dict[str, Any], **_: Any) -> None:
        seen["status"], seen["headers"], seen["body"] = (
            response_dict["status_code"],
            dict(response_dict["headers"]),
            response_dict["body"],
        )

    client = SESSION.client("mgh", endpoint_url=url)
    client.meta.events.register("before-parse.migration-hub", grab)
    call(client)
    body = seen["body"]
    head = [f"HTTP/1.1 {seen['status']} {http.client.responses[seen['status']]}"]
    head += [f"{k}: {v}" for k, v in seen["headers"].items() if k.lower() != "content-length"]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def prepare(hub: Hub) -> dict[str, Callable[[Any], Any]]:
    """Fill ``hub`` (a stream of 100 tasks) over HTTP; the calls each figure is made of."""
    with fakehub.serve(hub) as server:
        client = SESSION.client("mgh", endpoint_url=server.endpoint_url)
        client.create_progress_update_stream(ProgressUpdateStreamName=STREAM)
        for i in range(100):
            client.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=f"task-{i:03d}")
    return {
        "notify": lambda c: c.notify_migration_task_state(
            ProgressUpdateStream=STREAM,
            MigrationTaskName="task-001",
            Task={"Status": "IN_PROGRESS", "ProgressPercent": 40},
            UpdateDateTime=1_700_000_000,
            NextUpdateSeconds=60,
        ),
        "describe": lambda c: c.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName="task-001"),
        "list-100": lambda c: c.list_migration_tasks(MaxResults=100),
    }


TARGETS = {
    "notify": "AWSMigrationHub.NotifyMigrationTaskState",
    "describe": "AWSMigrationHub.DescribeMigrationTask",
    "list-100": "AWSMigrationHub.ListMigrationTasks",
}


@contextlib.contextmanager
def fakehub_and_floor(hub: Hub, calls: dict[str, Callable[[Any], Any]]) -> Iterator[tuple[str, str]]:
    """``fakehub.serve(hub)`` and a canned server replaying its answers to ``calls``: both URLs."""
    with fakehub.serve(hub) as server:
        answers = {TARGETS[op]: capture(server.endpoint_url, call) for op, call in calls.items()}
        with canned_server(answers) as canned_url:
            yield server.endpoint_url, canned_url


def per_call(quick: bool) -> dict[str, Any]:
    hub = Hub(home_region=REGION)
    calls = prepare(hub)
    rounds, per_round = (2, 30) if quick else (9, 200)
    results: dict[str, Any] = {}
    with fakehub_and_floor(hub, calls) as (fakehub_url, canned_url):
        fake = SESSION.client("mgh", endpoint_url=fakehub_url)
        floor = SESSION.client("mgh", endpoint_url=canned_url)
        header("per call over HTTP through botocore (median us)")
        print(f"{'operation':<12}{'canned':>10}{'fakehub':>10}{'ratio':>8}{'round spread':>16}   target <= 1.15")
        for op, call in calls.items():
            samples = interleaved({"canned": lambda: call(floor), "fakehub": lambda: call(fake)}, rounds, per_round)
            results[op] = _ratio_row(op, samples["canned"], samples["fakehub"], per_round)
    return results


def _ratio_row(op: str, canned: list[int], fake: list[int], per_round: int) -> dict[str, float]:
    """Print one operation's row (medians, ratio, spread of per-round ratios); its figures."""
    c, f = med_us(canned), med_us(fake)
    low, high = ratio_spread(fake, canned, per_round)
    print(f"{op:<12}{c:>10.0f}{f:>10.0f}{f / c:>8.2f}{low:>8.2f}-{high:<7.2f} {verdict(f / c, 1.15)}")
    return {"canned_us": c, "fakehub_us": f, "ratio": f / c}


def node_with_sdk() -> str:
    """The ``node`` executable, once the JS tool's SDK is installed; otherwise exit saying how to
    install both (a benchmark section that cannot run fails, never skips)."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit(
            f"bench_server: Node.js (>= 18) is not installed (no `node` on PATH): install it, then {INSTALL_HINT}"
        )
    if not JS_SDK.is_file():
        raise SystemExit(
            f"bench_server: the AWS SDK for JavaScript v3 is not installed ({JS_SDK} missing): {INSTALL_HINT}"
        )
    return node


def _node_environment() -> dict[str, str]:
    """This process's environment less the developer's AWS and node settings (the SDK would read them)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "NODE_OPTIONS"}
    environment.update(
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true"
    )
    return environment


def run_js(node: str, endpoints: dict[str, str], operations: list[str], rounds: int, per_round: int) -> dict[str, Any]:
    """``js_per_call.mjs``'s figures: per operation and endpoint, each call's ns (``samples_ns``)."""
    command = [node, "--expose-gc", str(JS_PER_CALL), f"--rounds={rounds}", f"--per-round={per_round}"]
    command += [f"--endpoint={name}={url}" for name, url in endpoints.items()]
    done = subprocess.run(
        [*command, *operations], capture_output=True, text=True, timeout=JS_TIMEOUT, env=_node_environment(), cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(f"bench_server: {JS_PER_CALL.name} exited {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def check_same_requests(hub: Hub, sent_by_botocore: dict[str, dict[str, Any]]) -> None:
    """Exit unless the JS SDK's last request of each operation carried botocore's members: the
    two sections must give fakehub (and so its floor) the same work."""
    for op, params in sent_by_botocore.items():
        from_js = [e for e in hub.journal.calls(_operation(op)) if "aws-sdk-js" in (e.user_agent or "")]
        if not from_js or from_js[-1].params != params or not from_js[-1].ok:
            seen = (from_js[-1].status, from_js[-1].params) if from_js else "no call"
            raise SystemExit(f"bench_server: the JS SDK's {op} differs from botocore's {params}: {seen}")


def _operation(op: str) -> str:
    return TARGETS[op].split(".", 1)[1]


def per_call_js(quick: bool) -> dict[str, Any]:
    header("per call over HTTP, AWS SDK for JavaScript v3 (median us)")
    node = node_with_sdk()
    hub = Hub(home_region=REGION)
    calls = prepare(hub)
    rounds, per_round = (2, 30) if quick else (9, 200)
    results: dict[str, Any] = {}
    with fakehub_and_floor(hub, calls) as (fakehub_url, canned_url):
        sent = {op: hub.journal.calls(_operation(op))[-1].params for op in calls}  # botocore's, from capture
        figures = run_js(node, {"canned": canned_url, "fakehub": fakehub_url}, list(calls), rounds, per_round)
    check_same_requests(hub, sent)
    print(f"node {figures['node']}, @aws-sdk/client-migration-hub {figures['sdk']}; {rounds} rounds of {per_round}")
    print(f"{'operation':<12}{'canned':>10}{'fakehub':>10}{'ratio':>8}{'round spread':>16}   target <= 1.15")
    for op, by_server in figures["operations"].items():
        canned, fake = by_server["canned"]["samples_ns"], by_server["fakehub"]["samples_ns"]
        results[op] = _ratio_row(op, canned, fake, per_round)
    return results


def _throughput(make_client: Callable[[], Any], call: Callable[[Any], Any], clients: int, seconds: float) -> float:
    """Requests per second of ``clients`` threads, each with its own client, for ``seconds``."""
    made = [make_client() for _ in range(clients)]
    for client in made:
        call(client)  # warm: connection pools, lazy tables
    counts = [0] * clients
    stop = time.perf_counter() + seconds
    start = threading.Barrier(clients + 1)

    def run(n: int) -> None:
        start.wait()
        client = made[n]
        while time.perf_counter() < stop:
            call(client)
            counts[n] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began)


def against_moto(quick: bool) -> dict[str, Any]:
    from moto.server import ThreadedMotoServer

    seconds = 0.1 if quick else 3.0
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request
    hub = Hub(home_region=REGION)
    calls = prepare(hub)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    moto_host, moto_port = moto.get_host_and_port()
    moto_url = f"http://{moto_host}:{moto_port}"
    secrets = SESSION.client("secretsmanager", endpoint_url=moto_url)
    for i in range(100):
        secrets.create_secret(Name=f"bench/secret-{i:03d}", SecretString="s3cr3t")
    moto_calls: dict[str, Callable[[Any], Any]] = {
        "describe": lambda c: c.describe_secret(SecretId="bench/secret-001"),
        "list-100": lambda c: c.list_secrets(MaxResults=100),
    }
    results: dict[str, Any] = {}
    header(f"requests per second over HTTP, {seconds:.1f} s per figure (fakehub mgh vs moto server Secrets Manager)")
    print(f"{'operation':<12}{'clients':>8}{'fakehub':>10}{'moto':>10}{'ratio':>8}   target >= 2")
    try:
        with fakehub.serve(hub) as server:
            for op in ("describe", "list-100"):
                for clients in (1, 8):
                    fake = _throughput(
                        lambda: SESSION.client("mgh", endpoint_url=server.endpoint_url),
                        calls[op],
                        clients,
                        seconds,
                    )
                    theirs = _throughput(
                        lambda: SESSION.client("secretsmanager", endpoint_url=moto_url),
                        moto_calls[op],
                        clients,
                        seconds,
                    )
                    ok = "met" if fake / theirs >= 2 else "MISSED"
                    print(f"{op:<12}{clients:>8}{fake:>10.0f}{theirs:>10.0f}{fake / theirs:>8.2f}   {ok}")
                    results[f"{op}-{clients}"] = {"fakehub_rps": fake, "moto_rps": theirs}
    finally:
        moto.stop()
    return results


def start_stop(quick: bool) -> dict[str, float]:
    runs = 5 if quick else 30
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        server = fakehub.serve()
        server.stop()
        samples.append((time.perf_counter() - t) * 1000)
    median = statistics.median(samples)
    header(f"start + stop of fakehub.serve(), median of {runs}")
    print(f"{'ms':<12}{median:>10.1f}   target <= 20 {verdict(median, 20)}")
    return {"start_stop_ms": median}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run in a few seconds")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"fakehub {fakehub.__version__} | {os.cpu_count()} cores | {'quick' if args.quick else 'full'} run")
    per_call(args.quick)
    per_call_js(args.quick)
    against_moto(args.quick)
    start_stop(args.quick)
    print(f"\ndone in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
