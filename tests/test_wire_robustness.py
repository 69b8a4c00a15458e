"""Requests no botocore client sends on its own, made by rewriting a real client's request
before fakehub sees it: each gets the error an AWS JSON 1.1 service gives, never a Python
traceback, and nothing stored is lost."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from fakehub import console, contract, mock_migrationhub
from fakehub.journal import UNREAD_BODY
from fakehub.wire.decoding import MAX_BODY_BYTES, MAX_DEPTH

REGION = "us-west-2"
UNCHECKED = Config(parameter_validation=False, retries={"max_attempts": 0})


def rewritten(body: Callable[[dict[str, Any]], bytes] | None = None, target: str | None = None) -> Any:
    """An mgh client whose requests get ``body(decoded)`` as body and ``target`` as X-Amz-Target."""
    mgh = _session().client("mgh", config=UNCHECKED)  # a client of its own: the rewrite is registered on it

    def rewrite(request: Any, **_: Any) -> None:
        if body is not None:
            request.data = body(json.loads(request.body or b"{}"))
        if target is not None:
            request.headers["X-Amz-Target"] = target

    mgh.meta.events.register_first("before-sign", rewrite)
    return mgh


def sent_as(change: Callable[[Any], None], region: str = REGION, service: str = "mgh") -> Any:
    """A client whose signed request is handed to ``change`` just before fakehub answers it
    (a ``before-send`` handler registered first), as a hand-made request would arrive."""
    client = _session().client(
        service, region_name=region, aws_access_key_id="AKID", aws_secret_access_key="s", config=UNCHECKED
    )
    event = f"before-send.{client.meta.service_model.service_id.hyphenize()}"
    client.meta.events.register_first(event, lambda request, **_: change(request))
    return client


def with_authorization(value: bytes | str) -> Callable[[Any], None]:
    def change(request: Any) -> None:
        request.headers["Authorization"] = value

    return change


@functools.cache
def _session() -> boto3.Session:
    """One session for every rewritten client: a client of a new session costs ~100 ms more
    (the session loads the models again)."""
    return boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION)


def error_of(call: Callable[[], Any]) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


@pytest.mark.parametrize(
    ("label", "body"),
    [
        ("not JSON", lambda _b: b"{not json"),
        ("truncated", lambda b: json.dumps(b).encode()[:-3]),
        ("a JSON array", lambda b: json.dumps([b]).encode()),
        ("NaN", lambda b: json.dumps({**b, "X": 1}).replace("1", "NaN").encode()),
        ("an integer of 5000 digits", lambda b: json.dumps({**b, "X": 1}).replace(": 1", ": " + "9" * 5000).encode()),
        ("nested 5000 deep", lambda b: json.dumps(b)[:-1].encode() + b', "X": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
        (
            "nested 600 deep around a null",
            lambda b: json.dumps(b)[:-1].encode() + b', "X": ' + b"[" * 599 + b"null" + b"]" * 599 + b"}",
        ),
        ("nested one level too deep", lambda b: _nested(b, MAX_DEPTH)),
        ("not UTF-8", lambda _b: b'{"ProgressUpdateStreamName": "\xff"}'),
    ],
)
def test_a_body_that_is_not_a_json_object_is_a_serialization_exception(label, body):
    with mock_migrationhub(home_region=REGION) as hub:
        code, status, message = error_of(
            lambda: rewritten(body).create_progress_update_stream(ProgressUpdateStreamName="S")
        )
        assert (code, status) == ("SerializationException", 400), label
        assert message and hub.streams() == []


def _nested(body: dict[str, Any], levels: int, fill: bytes = b"null") -> bytes:
    """``body`` with an unmodeled member holding ``levels`` nested arrays: the body's own
    object makes one level more."""
    return json.dumps(body)[:-1].encode() + b', "X": ' + b"[" * levels + fill + b"]" * levels + b"}"


@pytest.mark.parametrize("fill", [b"null", b'"[[[[{{{{"', b'"\\"[[[[{{{{"', b'"a\\\\", "[[{{\\\\", "]]"'])
def test_the_nesting_limit_is_fakehubs_own_and_brackets_in_strings_do_not_count(fill):
    """MAX_DEPTH levels (the body's object included) are read, on every Python version."""
    with mock_migrationhub(home_region=REGION) as hub:
        rewritten(lambda b: _nested(b, MAX_DEPTH - 1, fill)).create_progress_update_stream(ProgressUpdateStreamName="S")
        assert hub.streams() == ["S"]
        code, status, message = error_of(
            lambda: rewritten(lambda b: _nested(b, MAX_DEPTH, fill)).create_progress_update_stream(
                ProgressUpdateStreamName="T"
            )
        )
        assert (code, status) == ("SerializationException", 400)
        assert message == f"The request body is nested more than {MAX_DEPTH} levels deep."
        assert hub.streams() == ["S"]


def test_members_the_model_does_not_have_are_ignored_and_nulls_are_absent():
    with mock_migrationhub(home_region=REGION) as hub:
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="S")
        boto3.client("mgh", region_name=REGION).import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        extra = rewritten(
            lambda b: json.dumps(
                {
                    **b,
                    "Unmodeled": {"x": 1},
                    "Task": {"Status": "IN_PROGRESS", "ProgressPercent": None, "StatusDetail": None},
                }
            ).encode()
        )
        extra.notify_migration_task_state(
            ProgressUpdateStream="S",
            MigrationTaskName="t",
            Task={"Status": "FAILED"},
            UpdateDateTime=1_700_000_000,
            NextUpdateSeconds=60,
        )
        assert hub.task("S", "t")["Task"] == {"Status": "IN_PROGRESS"}
        assert "IN_PROGRESS" in console.render_text(hub) and "IN_PROGRESS" in console.render_html(hub)
        listing = rewritten(lambda b: json.dumps({**b, "MaxResults": None}).encode())
        assert len(listing.list_migration_tasks()["MigrationTaskSummaryList"]) == 1  # the default page size


@pytest.mark.parametrize("when", [1e300, -1e20, 253402300800])
def test_a_timestamp_no_calendar_holds_is_invalid_input(when):
    with mock_migrationhub(home_region=REGION):
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        odd = rewritten(lambda b: json.dumps({**b, "UpdateDateTime": when}).encode())
        code, status, message = error_of(
            lambda: odd.notify_migration_task_state(
                ProgressUpdateStream="S",
                MigrationTaskName="t",
                Task={"Status": "FAILED"},
                UpdateDateTime=0,
                NextUpdateSeconds=60,
            )
        )
        assert (code, status) == ("InvalidInputException", 400) and "Member must be of type timestamp" in message
        assert (
            mgh.describe_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")["MigrationTask"].get("Task")
            is None
        )


@pytest.mark.parametrize(
    "target",
    [
        "AWSMigrationHub.DropEverything",
        "awsmigrationhub.ListProgressUpdateStreams",
        "Other.ListProgressUpdateStreams",
        "",
    ],
)
def test_an_operation_the_service_does_not_have_is_an_unknown_operation(target):
    with mock_migrationhub(home_region=REGION):
        code, status, _message = error_of(lambda: rewritten(target=target).list_progress_update_streams())
        assert (code, status) == ("UnknownOperationException", 400)


def test_an_unknown_operation_is_named_cut_short_saying_how_long_it_was():
    target = "AWSMigrationHub." + "X" * 100_000
    with mock_migrationhub(home_region=REGION):
        code, _status, message = error_of(lambda: rewritten(target=target).list_progress_update_streams())
    assert code == "UnknownOperationException"
    assert message == f"Unknown operation {target[:200]}… (100016 characters): no operation of that name exists."


def test_names_holding_a_lone_surrogate_page_like_any_other():
    """JSON's "\\ud800" escape decodes to a lone surrogate; a page token must still carry it."""
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION, config=UNCHECKED)
        names = ["a\ud800", "b\udfff", "c"]
        for name in names:
            mgh.create_progress_update_stream(ProgressUpdateStreamName=name)
        pages = mgh.get_paginator("list_progress_update_streams").paginate(PaginationConfig={"PageSize": 1})
        assert [s["ProgressUpdateStreamName"] for p in pages for s in p["ProgressUpdateStreamSummaryList"]] == names
        assert hub.streams() == names


def _padded(body: dict[str, Any], size: int) -> bytes:
    """``body`` with an unmodeled member padding it to exactly ``size`` bytes."""
    head, tail = json.dumps(body)[:-1].encode() + b', "Pad": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def test_a_body_of_max_body_bytes_is_read_and_one_byte_more_is_refused_as_too_large():
    with mock_migrationhub(home_region=REGION) as hub:
        rewritten(lambda b: _padded(b, MAX_BODY_BYTES)).create_progress_update_stream(ProgressUpdateStreamName="S")
        assert hub.streams() == ["S"]
        too_large = rewritten(lambda b: _padded(b, MAX_BODY_BYTES + 1))
        code, status, message = error_of(lambda: too_large.create_progress_update_stream(ProgressUpdateStreamName="T"))
        assert (code, status) == ("RequestEntityTooLargeException", 413)
        assert message == (
            f"Request must be no larger than {MAX_BODY_BYTES} bytes for the CreateProgressUpdateStream operation; "
            f"this one is {MAX_BODY_BYTES + 1} bytes."
        )
        assert hub.streams() == ["S"]


def test_the_journal_keeps_an_oversize_request_cut_short_and_it_still_decodes():
    with mock_migrationhub(home_region=REGION) as hub:
        too_large = rewritten(lambda b: _padded(b, MAX_BODY_BYTES + 1))
        error_of(lambda: too_large.create_progress_update_stream(ProgressUpdateStreamName="T"))
        [entry] = hub.journal.calls("CreateProgressUpdateStream", outcome="RequestEntityTooLargeException")
        assert entry.request_size == MAX_BODY_BYTES + 1 and entry.status == 413
        unread = entry.params[UNREAD_BODY]
        assert unread["bytes"] == MAX_BODY_BYTES + 1
        assert unread["head"].startswith('{"ProgressUpdateStreamName": "T", "Pad": "xxx')
        assert entry.stream is None and entry.task is None
        assert len(hub.journal.dump_jsonl()) < 4096  # not the 10 MiB that arrived


def test_a_huge_value_under_the_size_limit_is_echoed_cut_short():
    """Issue 13 item 1, scaled down: a 50 MiB StatusDetail was echoed whole by each of its two
    violations (a 100 MiB message)."""
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION, config=UNCHECKED)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        code, status, message = error_of(
            lambda: mgh.notify_migration_task_state(
                ProgressUpdateStream="S",
                MigrationTaskName="t",
                Task={"Status": "IN_PROGRESS", "StatusDetail": "x" * 2**20},
                UpdateDateTime=0,
                NextUpdateSeconds=1,
            )
        )
        assert (code, status) == ("InvalidInputException", 400)
        assert message.startswith("2 validation errors detected: Value 'xxx") and len(message) < 1000
        assert message.count("…' (1048576 characters) at 'task.statusDetail'") == 2
        assert hub.task("S", "t")["Task"] is None


def test_a_body_of_many_invalid_items_lists_a_few_and_counts_the_rest():
    """Issue 13 item 1, scaled down: 1.8 M invalid attributes made a 494 MiB message."""
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION, config=UNCHECKED)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        items = [{"Type": "NOPE", "Value": "v"}] * 20_000
        code, status, message = error_of(
            lambda: mgh.put_resource_attributes(
                ProgressUpdateStream="S", MigrationTaskName="t", ResourceAttributeList=items
            )
        )
        assert (code, status) == ("InvalidInputException", 400)
        assert message.startswith("20001 validation errors detected: ")
        assert message.endswith("; and 19991 more") and len(message) < 5000
        assert hub.task("S", "t")["ResourceAttributeList"] == []


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b"[1]",
        b'{"ProgressUpdateStreamName": NaN}',
        b'{"ProgressUpdateStreamName": "\xff"}',
        b'{"X": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
)
def test_a_refused_body_is_journaled_and_its_entry_still_decodes(raw):
    """Entries of bodies the protocol refused used to raise (JSONDecodeError, UnicodeDecodeError)
    from params, dump_jsonl and the contract checks, or hand back a list as params."""
    with mock_migrationhub(home_region=REGION) as hub:
        code, status, _message = error_of(
            lambda: rewritten(lambda _b: raw).create_progress_update_stream(ProgressUpdateStreamName="S")
        )
        assert (code, status) == ("SerializationException", 400)
        [entry] = hub.journal
        assert entry.params == {UNREAD_BODY: {"bytes": len(raw), "head": raw[:1024].decode("utf-8", "replace")}}
        assert entry.request_size == len(raw) and entry.stream is None
        [line] = hub.journal.dump_jsonl().splitlines()
        assert json.loads(line)["error"]["code"] == "SerializationException"
        assert contract.check(hub).clean


MISSING_TOKEN = ("AccessDeniedException", 400, "Request is missing Authentication Token: sign it with credentials.")


@pytest.mark.parametrize(
    "authorization",
    [
        b"AWS4-HMAC-SHA256 Credential=AK\xffID/20250101/us-west-2/mgh/aws4_request, SignedHeaders=host, Signature=0",
        b"AWS4-HMAC-SHA256 Credential=AKID/20250101/us-west-\xe9/mgh/aws4_request, SignedHeaders=host, Signature=0",
        b"\xff\xfe\x00",
    ],
)
def test_an_authorization_header_that_is_not_utf8_is_unsigned(authorization):
    """It raised UnicodeDecodeError from the credential scope (issue 13 item 11)."""
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = sent_as(with_authorization(authorization))
        assert error_of(lambda: mgh.create_progress_update_stream(ProgressUpdateStreamName="S")) == MISSING_TOKEN
        assert hub.accounts() == [] and hub.streams() == []


@pytest.mark.parametrize(
    ("label", "credential"),
    [
        ("no date, no region", "AKID//"),
        ("no region", "AKID/20250101//mgh/aws4_request"),
        ("no access key", "/20250101/eu-west-1/mgh/aws4_request"),
        ("nothing", ""),
    ],
)
def test_a_credential_scope_without_key_or_region_is_unsigned_and_decides_no_home_region(label, credential):
    """``Credential=AKID//`` made an ``auto`` account's home region ``""``, locking it out; an
    empty access key was accepted (issue 13 item 11)."""
    with mock_migrationhub() as hub:  # home_region="auto": the first call that succeeds decides it
        header = f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=0"
        mgh = sent_as(with_authorization(header), region="eu-west-1")
        assert error_of(lambda: mgh.create_progress_update_stream(ProgressUpdateStreamName="S")) == MISSING_TOKEN, label
        assert error_of(lambda: mgh.list_progress_update_streams()) == MISSING_TOKEN, label
        assert hub.accounts() == [] and hub.streams() == [], label
        assert [(e.account, e.region, e.error_code) for e in hub.journal] == [("", "", "AccessDeniedException")] * 2
        signed = boto3.client("mgh", region_name="eu-west-1", aws_access_key_id="AKID", aws_secret_access_key="s")
        signed.create_progress_update_stream(ProgressUpdateStreamName="S")
        config = boto3.client(
            "migrationhub-config", region_name="eu-west-1", aws_access_key_id="AKID", aws_secret_access_key="s"
        )
        assert config.get_home_region()["HomeRegion"] == "eu-west-1", label
        assert hub.streams() == ["S"]


@pytest.mark.parametrize("kind", [io.BytesIO, bytearray, memoryview])
def test_a_body_given_as_a_buffer_or_a_file_is_read_like_bytes(kind):
    """A BytesIO, bytearray or memoryview body raised TypeError/AttributeError (issue 13 item 11)."""

    def as_kind(request: Any) -> None:
        request.body = kind(request.body)

    with mock_migrationhub(home_region=REGION) as hub:
        mgh = sent_as(as_kind)
        assert (
            mgh.create_progress_update_stream(ProgressUpdateStreamName="S")["ResponseMetadata"]["HTTPStatusCode"] == 200
        )
        listed = mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
        assert listed == [{"ProgressUpdateStreamName": "S"}] and hub.streams() == ["S"]
        assert hub.journal.calls("create_progress_update_stream")[0].params == {"ProgressUpdateStreamName": "S"}


def test_a_file_body_is_left_where_it_started_so_a_retry_reads_it_again():
    bodies: list[io.BytesIO] = []

    def as_file(request: Any) -> None:
        body = io.BytesIO(b"--" + request.body)
        body.seek(2)
        request.body = body
        bodies.append(body)

    with mock_migrationhub(home_region=REGION) as hub:
        sent_as(as_file).create_progress_update_stream(ProgressUpdateStreamName="S")
        assert hub.streams() == ["S"] and bodies[0].tell() == 2


def test_a_str_target_naming_a_real_operation_is_that_operation():
    """botocore sends the X-Amz-Target as bytes; a str one answered UnknownOperationException
    (issue 13 item 11)."""

    def as_str(request: Any) -> None:
        request.headers["X-Amz-Target"] = request.headers["X-Amz-Target"].decode()

    with mock_migrationhub(home_region=REGION) as hub:
        mgh = sent_as(as_str)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == [
            {"ProgressUpdateStreamName": "S"}
        ]
        assert hub.streams() == ["S"]
        code, status, _message = error_of(
            lambda: sent_as(_str_target("AWSMigrationHub.Nope")).list_progress_update_streams()
        )
        assert (code, status) == ("UnknownOperationException", 400)


def _str_target(target: str) -> Callable[[Any], None]:
    def change(request: Any) -> None:
        request.headers["X-Amz-Target"] = target

    return change
