"""The server's hub kept between runs (``--state FILE``) and snapshots over the control API
(``GET``/``POST /_fakehub/snapshot``), in the format of ``hub.snapshot()``."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from fakehub import Hub, serve
from fakehub.core import clock
from fakehub.server import Server
from helpers import start_server_cli

REGION = "us-west-2"


def client(url: str, service: str = "mgh") -> Any:
    session = boto3.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name=REGION)
    return session.client(service, endpoint_url=url)


def control(url: str, method: str, route: str, body: Any = None) -> tuple[int, Any]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request(method, f"/_fakehub/{route}", body=b"" if body is None else json.dumps(body).encode())
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer


def stop(process: subprocess.Popen[str]) -> str:
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    return err


def test_the_state_file_keeps_the_hub_and_its_clock_between_two_runs(tmp_path: Path) -> None:
    state = tmp_path / "hub.json"
    process, url = start_server_cli("--home-region", REGION, "--state", str(state))
    try:
        mgh = client(url)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Tool")
        mgh.import_migration_task(ProgressUpdateStream="Tool", MigrationTaskName="web-1")
        mgh.put_resource_attributes(
            ProgressUpdateStream="Tool",
            MigrationTaskName="web-1",
            ResourceAttributeList=[{"Type": "FQDN", "Value": "web.example.com"}],
        )
        assert control(url, "POST", "clock", {"advance": 3600})[0] == 200
        first = mgh.list_migration_tasks(MaxResults=1)
    finally:
        stop(process)
    saved = json.loads(state.read_text())
    assert saved["fakehub_snapshot"] == 1 and saved["clock_offset"] >= 3600
    process, url = start_server_cli("--state", str(state))  # no --home-region: the file's options win
    try:
        mgh = client(url)
        assert mgh.list_migration_tasks(MaxResults=1)["MigrationTaskSummaryList"] == first["MigrationTaskSummaryList"]
        _, now = control(url, "GET", "clock")
        assert now["offset"] >= 3600  # the clock is where the first run left it
        discovered = mgh.list_discovered_resources(ProgressUpdateStream="Tool", MigrationTaskName="web-1")
        assert len(discovered["DiscoveredResourceList"]) == 1  # the auto-mapping came due in the first run
    finally:
        stop(process)


def test_a_state_file_that_is_not_a_snapshot_exits_non_zero_and_is_left_as_it_was(tmp_path: Path) -> None:
    state = tmp_path / "hub.json"
    state.write_text('{"accounts": []}')
    done = subprocess.run(
        [sys.executable, "-m", "fakehub", "serve", "--state", str(state)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 1 and done.stdout == ""
    assert f"--state {state}: not a snapshot fakehub can restore: not a fakehub snapshot" in done.stderr
    assert state.read_text() == '{"accounts": []}'
    done = subprocess.run(
        [sys.executable, "-m", "fakehub", "serve", "--state", str(tmp_path / "no" / "such" / "hub.json")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1 and "does not exist or is not writable" in done.stderr


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(Hub(home_region=REGION)) as running:
        yield running
    clock.reset()


def test_a_snapshot_taken_over_http_restores_into_another_server(server: Server) -> None:
    mgh = client(server.endpoint_url)
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Tool")
    status, doc = control(server.endpoint_url, "GET", "snapshot")
    assert status == 200 and doc == {**server.hub.snapshot(), "taken_at": doc["taken_at"]}
    with serve() as other:
        assert control(other.endpoint_url, "POST", "snapshot", doc) == (200, {"accounts": 1, "pending": 0})
        assert client(other.endpoint_url).list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == [
            {"ProgressUpdateStreamName": "Tool"}
        ]


def test_a_bad_snapshot_posted_is_refused_by_name_and_the_hub_stays(server: Server) -> None:
    client(server.endpoint_url).create_progress_update_stream(ProgressUpdateStreamName="Kept")
    doc = server.hub.snapshot()
    doc["accounts"][0]["streams"][0]["name"] = 7
    status, answer = control(server.endpoint_url, "POST", "snapshot", doc)
    assert status == 400
    assert answer == {"error": "accounts[0].streams[0].name: expected a non-empty string, found 7"}
    assert server.hub.streams() == ["Kept"]
