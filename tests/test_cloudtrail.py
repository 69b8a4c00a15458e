"""The journal as CloudTrail records, through real boto3 clients: in process, and over
``fakehub.serve()`` with SigV4-signed requests (loopback only)."""

from __future__ import annotations

import functools
import io
import json
import re
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from fakehub import Hub, mock_migrationhub
from fakehub.journal import CLOUDTRAIL_EVENT_VERSION, IN_PROCESS_SOURCE_IP
from fakehub.server import Server

REGION = "us-west-2"
ACCOUNT = "111122223333"
KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NO_RETRIES = Config(retries={"max_attempts": 0, "mode": "standard"})

ALWAYS = {
    "eventVersion",
    "userIdentity",
    "eventTime",
    "eventSource",
    "eventName",
    "awsRegion",
    "sourceIPAddress",
    "userAgent",
    "requestParameters",
    "responseElements",
    "requestID",
    "eventID",
    "readOnly",
    "eventType",
    "managementEvent",
    "recipientAccountId",
    "eventCategory",
}


@functools.cache  # a client of a new session costs ~60 ms more (the session decodes botocore's models again)
def session(key: str = KEY, secret: str = SECRET, token: str | None = None) -> boto3.Session:
    return boto3.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
    )


EXERCISED = [
    "CreateProgressUpdateStream",
    "ImportMigrationTask",
    "ListProgressUpdateStreams",
    "GetHomeRegion",
    "CreateApplication",
    "DescribeMigrationTask",
]
"""The calls ``exercise`` makes, in order."""


def exercise(clients: boto3.Session, endpoint_url: str | None = None) -> dict[str, Any]:
    """A write, a read, a failure and a call of each other service; the answers by name."""
    kwargs: dict[str, Any] = {"endpoint_url": endpoint_url, "config": NO_RETRIES}
    mgh = clients.client("mgh", **kwargs)
    config = clients.client("migrationhub-config", **kwargs)
    ads = clients.client("discovery", **kwargs)
    answers = {
        "create": mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover"),
        "import": mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01"),
        "list": mgh.list_progress_update_streams(),
        "home": config.get_home_region(),
        "app": ads.create_application(name="shop"),
    }
    with pytest.raises(ClientError) as failed:
        mgh.describe_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="nope")
    answers["failed"] = failed.value.response
    return answers


def by_name(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["eventName"]: r for r in records}


@pytest.fixture
def in_process() -> Any:
    with mock_migrationhub(home_region=REGION, accounts={KEY: ACCOUNT}) as hub:
        answers = exercise(session())
        yield hub, answers


def test_one_record_per_answered_call_with_every_member_cloudtrail_documents(in_process: Any) -> None:
    hub, _ = in_process
    records = hub.journal.cloudtrail_records()
    assert [r["eventName"] for r in records] == EXERCISED
    for record in records:
        assert set(record) >= ALWAYS, record
        assert record["eventVersion"] == CLOUDTRAIL_EVENT_VERSION == "1.11"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", record["eventTime"])
        assert (record["eventType"], record["managementEvent"], record["eventCategory"]) == (
            "AwsApiCall",
            True,
            "Management",
        )
        assert (record["awsRegion"], record["recipientAccountId"]) == (REGION, ACCOUNT)
        assert record["userIdentity"] == {"type": "IAMUser", "accountId": ACCOUNT, "accessKeyId": KEY}
        assert record["sourceIPAddress"] == IN_PROCESS_SOURCE_IP
        assert record["userAgent"].startswith("Boto3/")
        assert uuid.UUID(record["eventID"]).version == 4


def test_event_sources_names_and_read_only(in_process: Any) -> None:
    hub, _ = in_process
    records = by_name(hub.journal.cloudtrail_records())
    sources = {name: (r["eventSource"], r["readOnly"]) for name, r in records.items()}
    assert sources == {
        "CreateProgressUpdateStream": ("migrationhub.amazonaws.com", False),
        "ImportMigrationTask": ("migrationhub.amazonaws.com", False),
        "ListProgressUpdateStreams": ("migrationhub.amazonaws.com", True),
        "GetHomeRegion": ("migrationhub-config.amazonaws.com", True),
        "CreateApplication": ("discovery.amazonaws.com", False),
        "DescribeMigrationTask": ("migrationhub.amazonaws.com", True),
    }


def test_request_parameters_are_lower_camel_and_response_elements_only_for_writes(in_process: Any) -> None:
    hub, answers = in_process
    records = by_name(hub.journal.cloudtrail_records())
    assert records["ImportMigrationTask"]["requestParameters"] == {
        "progressUpdateStream": "Mover",
        "migrationTaskName": "web-01",
    }
    assert records["ListProgressUpdateStreams"]["requestParameters"] is None  # sent no members
    assert records["CreateApplication"]["requestParameters"] == {"name": "shop"}
    app_id = answers["app"]["configurationId"]
    assert records["CreateApplication"]["responseElements"] == {"configurationId": app_id}
    assert records["CreateProgressUpdateStream"]["responseElements"] is None  # answered {}
    assert records["ListProgressUpdateStreams"]["responseElements"] is None  # a read
    assert records["GetHomeRegion"]["responseElements"] is None


def test_a_failure_has_its_error_code_and_message_and_no_response_elements(in_process: Any) -> None:
    hub, answers = in_process
    record = by_name(hub.journal.cloudtrail_records())["DescribeMigrationTask"]
    error = answers["failed"]["Error"]
    assert (record["errorCode"], record["errorMessage"]) == (error["Code"], error["Message"])
    assert record["errorCode"] == "ResourceNotFoundException"
    assert record["responseElements"] is None
    assert record["requestParameters"] == {"progressUpdateStream": "Mover", "migrationTaskName": "nope"}
    assert "errorCode" not in by_name(hub.journal.cloudtrail_records())["ImportMigrationTask"]


def test_request_ids_match_the_answers_and_event_ids_are_unique_and_reproducible(in_process: Any) -> None:
    hub, answers = in_process
    records = by_name(hub.journal.cloudtrail_records())
    assert records["ImportMigrationTask"]["requestID"] == answers["import"]["ResponseMetadata"]["RequestId"]
    assert records["DescribeMigrationTask"]["requestID"] == answers["failed"]["ResponseMetadata"]["RequestId"]
    ids = [r["eventID"] for r in records.values()]
    assert len(set(ids)) == len(ids)
    assert [r["eventID"] for r in hub.journal.cloudtrail_records()] == ids  # built on read, the same each time


def test_a_temporary_key_is_a_role_session_and_its_token_is_not_kept() -> None:
    token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"
    with mock_migrationhub(home_region=REGION, accounts={"ASIAEXAMPLETEMPKEY": ACCOUNT}) as hub:
        session("ASIAEXAMPLETEMPKEY", token=token).client("mgh").list_progress_update_streams()
        (record,) = hub.journal.cloudtrail_records()
    assert record["userIdentity"] == {"type": "AssumedRole", "accountId": ACCOUNT, "accessKeyId": "ASIAEXAMPLETEMPKEY"}
    assert token not in json.dumps(record)


def test_an_unsigned_call_belongs_to_no_account_and_has_no_record() -> None:
    from botocore import UNSIGNED

    with mock_migrationhub(home_region=REGION) as hub:
        unsigned = boto3.client("mgh", region_name=REGION, config=Config(signature_version=UNSIGNED))
        with pytest.raises(ClientError):
            unsigned.list_progress_update_streams()
        assert len(hub.journal) == 1
        assert hub.journal.cloudtrail_records() == []


def test_a_log_file_round_trips_through_json_load(in_process: Any, tmp_path: Path) -> None:
    hub, _ = in_process
    path = tmp_path / "111122223333_CloudTrail_us-west-2_20240101T0000Z_fakehub.json"
    hub.journal.write_cloudtrail_log(path)
    with path.open(encoding="utf-8") as file:
        assert json.load(file) == {"Records": hub.journal.cloudtrail_records()}
    text = io.StringIO()
    hub.journal.write_cloudtrail_log(text)
    assert json.loads(text.getvalue()) == {"Records": hub.journal.cloudtrail_records()}


# ---- over HTTP, signed ---------------------------------------------------------------------


def test_over_the_server_records_carry_the_clients_address_and_user_agent_and_no_secret() -> None:
    hub = Hub(home_region=REGION, accounts={KEY: ACCOUNT})
    with Server(hub, secrets={KEY: SECRET}, verify_signatures=True) as server:
        answers = exercise(session(), server.endpoint_url)
        records = hub.journal.cloudtrail_records()
    assert [r["eventName"] for r in records] == EXERCISED
    for record in records:
        assert record["sourceIPAddress"] == "127.0.0.1"  # the client's address as the server saw it
        assert record["userAgent"].startswith("Boto3/")
        assert record["userIdentity"] == {"type": "IAMUser", "accountId": ACCOUNT, "accessKeyId": KEY}
    failed = records[-1]
    assert failed["errorCode"] == "ResourceNotFoundException"
    assert failed["requestID"] == answers["failed"]["ResponseMetadata"]["RequestId"]
    log = io.StringIO()
    hub.journal.write_cloudtrail_log(log)
    assert SECRET not in log.getvalue()
    assert "Signature" not in log.getvalue() and "AWS4-HMAC-SHA256" not in log.getvalue()


def test_the_server_records_the_user_agent_the_request_sent() -> None:
    hub = Hub(home_region=REGION, accounts={KEY: ACCOUNT})
    with Server(hub) as server:
        mgh = session().client(
            "mgh", endpoint_url=server.endpoint_url, config=Config(user_agent_extra="migration-tool/2.1")
        )
        mgh.list_progress_update_streams()
    (record,) = hub.journal.cloudtrail_records()
    assert "migration-tool/2.1" in record["userAgent"]
