"""Server mode with Python clients: botocore over real HTTP (in this process and from
another), the command line, SigV4 checking, the control API, and bad input over the wire.
Every request goes to loopback only."""

from __future__ import annotations

import functools
import http.client
import json
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import fakehub
from fakehub import Hub, mock_migrationhub, serve
from fakehub.core import clock
from fakehub.server import Server
from fakehub.wire.decoding import MAX_BODY_BYTES
from helpers import start_server_cli

REGION = "us-west-2"
NO_RETRIES = Config(retries={"max_attempts": 0, "mode": "standard"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(Hub(home_region=REGION)) as running:
        yield running
    clock.reset()


def client(url: str, service: str = "mgh", key: str = "AKIDEXAMPLE", secret: str = "secret", **kwargs: Any) -> Any:
    return _session().client(service, endpoint_url=url, aws_access_key_id=key, aws_secret_access_key=secret, **kwargs)


@functools.cache
def _session() -> boto3.Session:
    """One session for every client (each with its own keys): a client of a new session costs
    ~60 ms more (the session decodes botocore's models again)."""
    return boto3.Session(region_name=REGION)


def raw(server: Server, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def control(server: Server, method: str, route: str, body: Any = None) -> tuple[int, Any]:
    payload = json.dumps(body).encode() if body is not None else b""
    response, data = raw(server, method, f"/_fakehub/{route}", payload)
    content_type = response.getheader("Content-Type")
    return response.status, json.loads(data) if content_type == "application/json" else data.decode()


def names(mgh: Any) -> list[str]:
    page = mgh.list_progress_update_streams()
    return [s["ProgressUpdateStreamName"] for s in page["ProgressUpdateStreamSummaryList"]]


# ---- the Python API -----------------------------------------------------------------------


def test_a_client_with_the_servers_endpoint_url_goes_over_http_signed_for_real_even_while_a_hub_is_active() -> None:
    with (
        mock_migrationhub(home_region=REGION) as local,
        Server(Hub(home_region=REGION), secrets={"AKIDEXAMPLE": "secret"}, verify_signatures=True) as server,
    ):
        remote = client(server.endpoint_url)
        remote.create_progress_update_stream(ProgressUpdateStreamName="Remote")  # refused unless SigV4 is real
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="Local")
        assert server.hub.streams() == ["Remote"] and local.streams() == ["Local"]
        assert [e.operation for e in server.hub.journal] == ["CreateProgressUpdateStream"]


def test_the_server_shares_its_hub_with_in_process_callers_both_ways(server: Server) -> None:
    with mock_migrationhub(home_region=REGION):
        pass
    from fakehub import activation

    uses_fake = activation.activate(server.hub)
    try:
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="InProcess")
        client(server.endpoint_url).create_progress_update_stream(ProgressUpdateStreamName="OverHttp")
        assert names(boto3.client("mgh", region_name=REGION)) == ["InProcess", "OverHttp"]
        assert names(client(server.endpoint_url)) == ["InProcess", "OverHttp"]
    finally:
        activation.deactivate(server.hub, uses_fake)


def test_the_hub_can_be_replaced_between_tests_and_options_are_checked(server: Server) -> None:
    client(server.endpoint_url).create_progress_update_stream(ProgressUpdateStreamName="First")
    fresh = Hub(home_region=REGION)
    server.hub = fresh
    assert names(client(server.endpoint_url)) == []
    with pytest.raises(TypeError, match=r"server\.hub must be a fakehub\.Hub"):
        server.hub = "not a hub"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="port must be a whole number from 0"):
        Server(port=70000)
    with pytest.raises(ValueError, match="verify_signatures needs secrets"):
        Server(verify_signatures=True)


def test_a_stopped_server_answers_no_one() -> None:
    running = serve()
    url = running.endpoint_url
    keep_alive = http.client.HTTPConnection("127.0.0.1", running.port, timeout=2)
    keep_alive.request("GET", "/_fakehub/clock")
    assert keep_alive.getresponse().read()
    running.stop()
    keep_alive.request("GET", "/_fakehub/clock")  # the request may still be written into the buffer …
    with pytest.raises((ConnectionError, http.client.RemoteDisconnected)):  # … but no answer comes
        keep_alive.getresponse()
    with pytest.raises(Exception):  # noqa: B017, PT011 - connection refused, as botocore words it
        client(url, config=NO_RETRIES).list_progress_update_streams()


def test_answers_carry_a_request_id_a_date_from_fakehubs_clock_and_keep_the_connection(server: Server) -> None:
    mgh = client(server.endpoint_url)
    answer = mgh.list_progress_update_streams()["ResponseMetadata"]
    assert answer["RequestId"] == server.hub.journal.calls()[-1].request_id
    clock.set_to(1_900_000_000)
    date = parsedate_to_datetime(answer_headers(server)["date"])
    assert abs(date.timestamp() - 1_900_000_000) < 5
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    for _ in range(2):  # two requests, one connection
        connection.request("GET", "/_fakehub/clock")
        response = connection.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Connection") != "close"
    connection.close()


def answer_headers(server: Server) -> dict[str, str]:
    response, _ = raw(server, "GET", "/_fakehub/clock")
    return {k.lower(): v for k, v in response.getheaders()}


# ---- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_command_line_prints_its_url_first_serves_another_process_and_stops_cleanly(stop: int) -> None:
    process, url = start_server_cli("--port", "0", "--home-region", REGION, "--account", "AKIDOTHER=111122223333")
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        other = client(url, key="AKIDOTHER")
        other.create_progress_update_stream(ProgressUpdateStreamName="FromPython")
        assert names(other) == ["FromPython"]
        status, state = control_url(url, "GET", "state")
        assert status == 200 and list(state["accounts"]) == ["111122223333"]
    finally:
        process.send_signal(stop)
        _out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err


def control_url(url: str, method: str, route: str) -> tuple[int, Any]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request(method, f"/_fakehub/{route}")
    response = connection.getresponse()
    return response.status, json.loads(response.read())


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--port", "x"], "invalid int value"),
        (["--account", "no-equals"], "--account takes ACCESS_KEY=VALUE"),
        (["--home-region", "mars-1"], "Migration Hub is not available there"),
        (["--verify-signatures"], "--verify-signatures needs at least one --secret"),
        (["--port", "70000"], "port must be a whole number"),
    ],
)
def test_a_bad_flag_exits_non_zero_saying_what_is_accepted(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """In this process (a process of its own costs ~0.25 s each): argparse exits by raising
    SystemExit, which ``python -m fakehub`` leaves uncaught, so its code is the process's
    (the port-in-use test below runs the command itself)."""
    from fakehub.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", *flags])
    out, err = capsys.readouterr()
    assert exited.value.code == 2 and message in err and out == ""


def test_a_port_in_use_exits_non_zero_with_a_message(server: Server) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fakehub", "serve", "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1 and "the port is in use" in done.stderr


def test_a_host_off_loopback_is_warned_about() -> None:
    process, url = start_server_cli("--host", "0.0.0.0", "--port", "0")
    process.send_signal(signal.SIGTERM)
    _out, err = process.communicate(timeout=10)
    assert url.startswith("http://0.0.0.0:") and "reachable from other machines" in err and process.returncode == 0


# ---- signatures ---------------------------------------------------------------------------


@pytest.fixture
def checking() -> Iterator[Server]:
    with Server(Hub(home_region=REGION), secrets={"AKIDEXAMPLE": "secret"}, verify_signatures=True) as running:
        yield running
    clock.reset()


def error(call: Any) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def test_an_unknown_key_or_a_wrong_secret_is_refused_and_nothing_is_stored(checking: Server) -> None:
    unknown = client(checking.endpoint_url, key="AKIDUNKNOWN", config=NO_RETRIES)
    assert error(lambda: unknown.create_progress_update_stream(ProgressUpdateStreamName="S")) == (
        "UnrecognizedClientException",
        400,
        "The security token included in the request is invalid.",
    )
    wrong = client(checking.endpoint_url, secret="wrong", config=NO_RETRIES)
    code, status, message = error(lambda: wrong.create_progress_update_stream(ProgressUpdateStreamName="S"))
    assert (code, status) == ("InvalidSignatureException", 400) and "does not match" in message
    assert checking.hub.streams() == [] and len(checking.hub.journal) == 0


def test_a_signature_older_than_fifteen_minutes_on_the_servers_clock_has_expired(checking: Server) -> None:
    status, _ = control(checking, "POST", "clock", {"advance": 16 * 60})
    assert status == 200
    mgh = client(checking.endpoint_url, config=NO_RETRIES)
    code, status, message = error(mgh.list_progress_update_streams)
    assert (code, status) == ("InvalidSignatureException", 400)
    assert message.startswith("Signature expired: ") and message.endswith(" - 15 min.)")


def test_a_missing_signature_or_a_body_that_does_not_match_its_hash_is_refused(checking: Server) -> None:
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSMigrationHub.ListProgressUpdateStreams",
    }
    response, data = raw(checking, "POST", "/", b"{}", headers)
    assert response.status == 403 and json.loads(data)["__type"] == "MissingAuthenticationTokenException"
    captured: dict[str, Any] = {}

    def tamper(request: Any, **_: Any) -> None:
        request.headers["X-Amz-Content-SHA256"] = "0" * 64  # what a client declares, not what it sends
        captured["auth"] = request.headers.get("Authorization")

    mgh = client(checking.endpoint_url, config=NO_RETRIES)
    mgh.meta.events.register_first("before-sign.migration-hub", tamper)
    code, status, message = error(lambda: mgh.create_progress_update_stream(ProgressUpdateStreamName="S"))
    assert (code, status) == ("InvalidSignatureException", 400) and "x-amz-content-sha256" in message
    assert checking.hub.streams() == []


def test_a_signature_scoped_to_another_service_or_not_ascii_is_refused(checking: Server) -> None:
    """mgh and migrationhub-config requests are signed for 'mgh' (their models' signing
    name): a tool signing for another service fails at AWS, so it fails here."""

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    target = {"X-Amz-Target": "AWSMigrationHub.ListProgressUpdateStreams"}
    request = AWSRequest("POST", checking.endpoint_url + "/", data=b"{}", headers=target)
    request.headers["Content-Type"] = "application/x-amz-json-1.1"
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "s3", REGION).add_auth(request)  # the right key, for s3
    response, data = raw(checking, "POST", "/", b"{}", dict(request.headers.items()))
    answer = json.loads(data)
    assert (response.status, answer["__type"], answer["Message"]) == (
        400,
        "InvalidSignatureException",
        "Credential should be scoped to correct service: 'mgh'.",
    )
    config = client(checking.endpoint_url, "migrationhub-config", config=NO_RETRIES)
    assert config.get_home_region()["ResponseMetadata"]["HTTPStatusCode"] == 200  # signed for 'mgh' by botocore
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": "AWSMigrationHub.ListProgressUpdateStreams",
        "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
        "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-west-2/mgh/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=\u00e9t\u00e9",
    }
    response, data = raw(checking, "POST", "/", b"{}", headers)
    assert response.status == 400 and json.loads(data)["__type"] == "InvalidSignatureException"
    assert checking.hub.streams() == []


# ---- the control API ----------------------------------------------------------------------


def test_the_control_clock_and_settle_drive_auto_mapping_for_tools_that_cannot_use_freezegun(server: Server) -> None:
    mgh = client(server.endpoint_url)
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Tool")
    mgh.import_migration_task(ProgressUpdateStream="Tool", MigrationTaskName="web-01")
    mgh.put_resource_attributes(
        ProgressUpdateStream="Tool",
        MigrationTaskName="web-01",
        ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.0.0.1"}],
    )
    assert control(server, "GET", "state")[1]["pending"][0]["kind"] == "auto-mapping"
    before = clock.now()
    status, moved = control(server, "POST", "clock", {"advance": 600})
    assert status == 200 and moved["now"] - before >= 600 and moved["offset"] >= 600
    discovered = mgh.list_discovered_resources(ProgressUpdateStream="Tool", MigrationTaskName="web-01")
    assert len(discovered["DiscoveredResourceList"]) == 1  # applied at the call, as the clock says
    assert control(server, "POST", "settle")[1] == {"steps": 0}
    assert control(server, "POST", "clock", {"set": 2_000_000_000})[1]["now"] == pytest.approx(2_000_000_000, abs=5)


def test_control_routes_seed_servers_keys_policies_and_faults(server: Server) -> None:
    status, added = control(server, "POST", "servers", {"hostname": "db-01", "ip_addresses": ["10.0.0.9"]})
    assert status == 200 and added["configuration_id"].startswith("d-server-")
    assert control(server, "POST", "access-keys", {"access_key": "AKIDOTHER", "account": "111122223333"})[0] == 200
    deny = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "mgh:*", "Resource": "*"}]}
    assert control(server, "POST", "policies", {"access_key": "AKIDDENIED", "document": deny})[0] == 200
    denied = client(server.endpoint_url, key="AKIDDENIED", config=NO_RETRIES)
    assert error(denied.list_progress_update_streams)[0] == "AccessDeniedException"
    other = client(server.endpoint_url, key="AKIDOTHER")
    other.create_progress_update_stream(ProgressUpdateStreamName="Other")
    assert server.hub.streams("111122223333") == ["Other"]
    fault = {"operation": "ListProgressUpdateStreams", "code": "ThrottlingException", "times": 2}
    assert control(server, "POST", "faults", fault) == (200, {"rules": 1})
    assert names(other) == ["Other"]  # botocore retried through the two throttles
    rules = control(server, "GET", "faults")[1]["rules"]
    assert rules[0]["fired"] == 2
    assert control(server, "DELETE", "faults") == (200, {})


def test_control_routes_report_state_journal_contract_and_reset(server: Server) -> None:
    mgh = client(server.endpoint_url)
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Tool")
    lines = control(server, "GET", "journal")[1].splitlines()
    assert [json.loads(line)["operation"] for line in lines] == ["CreateProgressUpdateStream"]
    status, report = control(server, "GET", "contract")
    assert status == 200 and report["clean"] is True and report["breaches"] == []
    assert "Tool" in control(server, "GET", "console")[1]
    old = server.hub
    assert control(server, "POST", "reset") == (200, {})
    assert server.hub is not old and names(mgh) == []


@pytest.mark.parametrize(
    ("method", "route", "body", "status", "message"),
    [
        ("POST", "nowhere", None, 404, "no control route POST /_fakehub/nowhere"),
        ("POST", "clock", {"advance": "soon"}, 400, "advance must be a finite number of seconds"),
        ("POST", "clock", {"set": 1e300}, 400, "the clock must stay within the years 1 to 9999"),
        ("POST", "clock", {"advance": 1e15}, 400, "the clock must stay within the years 1 to 9999"),
        ("POST", "clock", {"advance": -1}, 400, "must not be negative"),
        ("POST", "clock", {}, 400, 'give one of {"advance": seconds}'),
        ("POST", "servers", {"host": "x"}, 400, "unknown member(s) host; accepted: account, hostname"),
        ("POST", "access-keys", {"access_key": "K", "account": "prod"}, 400, "12-digit AWS account id"),
        ("POST", "faults", {"operation": "NoSuchOp"}, 400, "unknown operation 'NoSuchOp'"),
        ("POST", "faults", {"operation": "*", "kind": "explode"}, 400, "kind must be one of fail, fail_randomly"),
    ],
)
def test_a_bad_control_request_says_what_is_accepted(
    server: Server, method: str, route: str, body: Any, status: int, message: str
) -> None:
    got, answer = control(server, method, route, body)
    assert got == status and message in answer["error"]
    if status == 404:
        assert "POST /_fakehub/settle" in answer["routes"]


def test_a_clock_control_with_nan_is_refused_and_every_answer_keeps_its_date(server: Server) -> None:
    response, data = raw(server, "POST", "/_fakehub/clock", b'{"advance": NaN}')
    assert response.status == 400 and "NaN is not a JSON number" in json.loads(data)["error"]
    assert client(server.endpoint_url).list_progress_update_streams()["ResponseMetadata"]["HTTPHeaders"]["date"]


def test_a_head_of_the_console_gives_the_length_a_get_would(server: Server) -> None:
    _get, body = raw(server, "GET", "/")
    head, nothing = raw(server, "HEAD", "/")
    assert nothing == b"" and int(head.getheader("Content-Length")) == len(body) > 0


def test_the_console_page_refreshes_itself(server: Server) -> None:
    client(server.endpoint_url).create_progress_update_stream(ProgressUpdateStreamName="Watched")
    response, data = raw(server, "GET", "/")
    page = data.decode()
    assert response.status == 200 and response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert '<meta http-equiv="refresh" content="2"/>' in page and "Watched" in page


# ---- bad input over the wire --------------------------------------------------------------

JSON = {
    "Content-Type": "application/x-amz-json-1.1",
    "Authorization": "AWS4-HMAC-SHA256 Credential=K/d/us-west-2/mgh/aws4_request",
}


@pytest.mark.parametrize(
    ("method", "path", "headers", "body", "status", "code"),
    [
        ("PUT", "/", JSON, b"{}", 405, "UnknownOperationException"),
        ("POST", "/other", JSON, b"{}", 404, "UnknownOperationException"),
        ("POST", "/", JSON, b"{}", 400, "UnknownOperationException"),  # no X-Amz-Target
        (
            "POST",
            "/",
            {**JSON, "X-Amz-Target": "AWSMigrationHub.DropEverything"},
            b"{}",
            400,
            "UnknownOperationException",
        ),
        (
            "POST",
            "/",
            {**JSON, "Content-Type": "text/plain", "X-Amz-Target": "AWSMigrationHub.ListProgressUpdateStreams"},
            b"{}",
            400,
            "SerializationException",
        ),
        (
            "POST",
            "/",
            {**JSON, "X-Amz-Target": "AWSMigrationHub.ListProgressUpdateStreams"},
            b"[",
            400,
            "SerializationException",
        ),
    ],
)
def test_requests_no_aws_client_sends_get_a_clear_answer(
    server: Server, method: str, path: str, headers: dict[str, str], body: bytes, status: int, code: str
) -> None:
    response, data = raw(server, method, path, body, headers)
    assert response.status == status and json.loads(data)["__type"] == code


def send_raw(server: Server, data: bytes, *, read: bool = True) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        if not read:
            return b""
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def test_broken_connections_are_closed_and_the_server_keeps_serving_everyone_else() -> None:
    with Server(Hub(home_region=REGION), idle_timeout=0.3) as server:
        mgh = client(server.endpoint_url)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Kept")
        assert send_raw(server, b"\x16\x03\x01 not http at all\r\n\r\n").startswith(b"HTTP/1.")  # 400, closed
        short = (
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{"
        )
        assert send_raw(server, short) == b""  # closed after the idle timeout, nothing half-done
        assert send_raw(server, b"") == b""  # connected, sent nothing: closed after the timeout
        huge = (
            "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSMigrationHub.ImportMigrationTask\r\n"
            f"Content-Length: {MAX_BODY_BYTES + 1}\r\n\r\n"
        ).encode()
        answer = send_raw(server, huge)
        assert answer.startswith(b"HTTP/1.1 413 ") and b"Connection: close" in answer
        assert b"bytes for the ImportMigrationTask operation" in answer  # worded as in process
        assert names(mgh) == ["Kept"] and server.hub.streams() == ["Kept"]


def test_a_client_that_resets_its_connection_is_no_error_on_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    with Server(Hub(home_region=REGION), idle_timeout=5) as server:
        for _ in range(3):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
            sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # half a request, then a reset (RST)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
        mgh = client(server.endpoint_url)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Kept")  # still serving
    assert "Traceback" not in capfd.readouterr().err


def test_eight_threads_over_http_get_exact_counts(server: Server) -> None:
    import threading

    session = boto3.Session(aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="s", region_name=REGION)
    clients = [session.client("mgh", endpoint_url=server.endpoint_url) for _ in range(8)]
    failures: list[BaseException] = []

    def work(n: int, mgh: Any) -> None:
        try:
            stream = f"Tool{n}"
            mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
            for i in range(15):
                mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=f"t{i}")
                mgh.notify_migration_task_state(
                    ProgressUpdateStream=stream,
                    MigrationTaskName=f"t{i}",
                    Task={"Status": "IN_PROGRESS"},
                    UpdateDateTime=1_700_000_000,
                    NextUpdateSeconds=60,
                )
        except BaseException as failure:  # noqa: BLE001 - reported by the assertion below
            failures.append(failure)

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    pages = clients[0].get_paginator("list_migration_tasks").paginate(PaginationConfig={"PageSize": 7})
    assert sum(len(p["MigrationTaskSummaryList"]) for p in pages) == 8 * 15
    assert len(server.hub.journal) == 8 * (1 + 2 * 15) + 8 * 15 // 7 + 1


def test_serve_is_exported() -> None:
    assert fakehub.serve is serve and "serve" in fakehub.__all__ and "Server" in fakehub.__all__
