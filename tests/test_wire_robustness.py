"""Requests no botocore client sends on its own, made by rewriting a real client's request
before fakehub sees it: each gets the error an AWS JSON 1.1 service gives, never a Python
traceback, and nothing stored is lost."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from fakehub import console, mock_migrationhub

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


@pytest.mark.parametrize(("label", "body"), [
    ("not JSON", lambda _b: b"{not json"),
    ("truncated", lambda b: json.dumps(b).encode()[:-3]),
    ("a JSON array", lambda b: json.dumps([b]).encode()),
    ("NaN", lambda b: json.dumps({**b, "X": 1}).replace("1", "NaN").encode()),
    ("an integer of 5000 digits", lambda b: json.dumps({**b, "X": 1}).replace(": 1", ": " + "9" * 5000).encode()),
    ("nested 5000 deep", lambda b: json.dumps(b)[:-1].encode() + b', "X": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ("not UTF-8", lambda _b: b'{"ProgressUpdateStreamName": "\xff"}'),
])
def test_a_body_that_is_not_a_json_object_is_a_serialization_exception(label, body):
    with mock_migrationhub(home_region=REGION) as hub:
        code, status, message = error_of(
            lambda: rewritten(body).create_progress_update_stream(ProgressUpdateStreamName="S"))
        assert (code, status) == ("SerializationException", 400), label
        assert message and hub.streams() == []


def test_members_the_model_does_not_have_are_ignored_and_nulls_are_absent():
    with mock_migrationhub(home_region=REGION) as hub:
        boto3.client("mgh", region_name=REGION).create_progress_update_stream(ProgressUpdateStreamName="S")
        boto3.client("mgh", region_name=REGION).import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        extra = rewritten(lambda b: json.dumps({**b, "Unmodeled": {"x": 1}, "Task": {
            "Status": "IN_PROGRESS", "ProgressPercent": None, "StatusDetail": None}}).encode())
        extra.notify_migration_task_state(ProgressUpdateStream="S", MigrationTaskName="t", Task={"Status": "FAILED"},
                                          UpdateDateTime=1_700_000_000, NextUpdateSeconds=60)
        assert hub.task("S", "t")["Task"] == {"Status": "IN_PROGRESS"}
        assert "IN_PROGRESS" in console.render_text(hub) and "IN_PROGRESS" in console.render_html(hub)
        listing = rewritten(lambda b: json.dumps({**b, "MaxResults": None}).encode())
        assert len(listing.list_migration_tasks()["MigrationTaskSummaryList"]) == 1  # the default page size


@pytest.mark.parametrize("when", [1e300, -1e20, 253402300800])
def test_a_timestamp_no_calendar_holds_is_invalid_input(when):
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        odd = rewritten(lambda b: json.dumps({**b, "UpdateDateTime": when}).encode())
        code, status, message = error_of(lambda: odd.notify_migration_task_state(
            ProgressUpdateStream="S", MigrationTaskName="t", Task={"Status": "FAILED"}, UpdateDateTime=0,
            NextUpdateSeconds=60))
        assert (code, status) == ("InvalidInputException", 400) and "Member must be of type timestamp" in message
        assert mgh.describe_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")["MigrationTask"].get("Task") is None


@pytest.mark.parametrize("target", ["AWSMigrationHub.DropEverything", "awsmigrationhub.ListProgressUpdateStreams",
                                    "Other.ListProgressUpdateStreams", ""])
def test_an_operation_the_service_does_not_have_is_an_unknown_operation(target):
    with mock_migrationhub(home_region=REGION):
        code, status, _message = error_of(lambda: rewritten(target=target).list_progress_update_streams())
        assert (code, status) == ("UnknownOperationException", 400)


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
