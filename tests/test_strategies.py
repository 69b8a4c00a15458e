"""fakehub.strategies: every value is checked against the botocore model it claims to
follow, and valid values round-trip through a real boto3 client and the fake."""

from __future__ import annotations

import datetime as dt
import functools
import ipaddress
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from hypothesis import given

from fakehub import mock_migrationhub
from fakehub import strategies as fs
from fakehub.wire.validation import translate_pattern

MODEL = botocore.session.get_session().get_service_model("mgh")
ROOT = Path(__file__).resolve().parents[1]


def fits(value: str, shape_name: str) -> bool:
    meta = MODEL.shape_for(shape_name).metadata
    pattern = meta.get("pattern")
    return meta.get("min", 0) <= len(value) <= meta.get("max", len(value)) and (
        pattern is None or re.fullmatch(translate_pattern(pattern), value) is not None
    )


def test_importing_fakehub_does_not_import_hypothesis() -> None:
    code = "import sys, fakehub; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@given(fs.stream_names(), fs.task_names())
def test_names_fit_the_model(stream: str, task: str) -> None:
    assert fits(stream, "ProgressUpdateStream") and fits(task, "MigrationTaskName")


@given(fs.invalid_stream_names(), fs.invalid_task_names())
def test_invalid_names_break_the_model_but_pass_botocore(stream: str, task: str) -> None:
    assert not fits(stream, "ProgressUpdateStream") and not fits(task, "MigrationTaskName")
    assert stream and task  # botocore itself refuses '' (min 1) before sending


@given(fs.task_payloads())
def test_task_payloads_fit_the_model(task: dict) -> None:
    shape = MODEL.shape_for("Task")
    assert set(shape.required_members) <= set(task) <= set(shape.members)
    assert task["Status"] in MODEL.shape_for("Status").enum
    assert 0 <= task.get("ProgressPercent", 0) <= 100
    assert fits(task.get("StatusDetail", ""), "StatusDetail")


@given(fs.created_artifact_names(), fs.application_ids(), fs.configuration_ids())
def test_arns_and_ads_ids(arn: str, application: str, server: str) -> None:
    assert fits(arn, "CreatedArtifactName")
    assert re.fullmatch(r"d-application-0[0-9a-z]{13}", application) and fits(application, "ApplicationId")
    assert re.fullmatch(r"d-server-0[0-9a-z]{13}", server) and fits(server, "ConfigurationId")


@given(fs.resource_attributes())
def test_attribute_values_have_their_documented_format(attribute: dict[str, str]) -> None:
    kind, value = attribute["Type"], attribute["Value"]
    assert fits(value, "ResourceAttributeValue")
    if kind == "IPV4_ADDRESS":
        assert isinstance(ipaddress.ip_address(value), ipaddress.IPv4Address)
    elif kind == "IPV6_ADDRESS":
        assert value.count(":") == 7 and isinstance(ipaddress.ip_address(value), ipaddress.IPv6Address)
    elif kind == "MAC_ADDRESS":
        assert re.fullmatch(r"([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}", value)
    elif kind == "FQDN":
        assert "." in value and not set(value) & set("<>{}\\/?,=")


@given(fs.resource_attribute_lists(max_size=12))
def test_attribute_lists_keep_vm_attributes_usable(attributes: list[dict[str, str]]) -> None:
    types = [a["Type"] for a in attributes]
    assert 1 <= len(attributes) <= 12
    assert not set(types) & set(fs.VM_TYPES) or "VM_MANAGER_ID" in types


def test_an_unknown_attribute_type_is_named() -> None:
    with pytest.raises(ValueError, match="unknown ResourceAttributeType 'IP'"):
        fs.resource_attributes("IP")


@given(
    stream=fs.stream_names(),
    task=fs.task_names(),
    state=fs.task_payloads(),
    attributes=fs.resource_attribute_lists(max_size=5),
    artifact=fs.created_artifact_names(),
)
def test_valid_values_round_trip_through_boto3_and_the_fake(
    stream: str, task: str, state: dict, attributes: list, artifact: str
) -> None:
    with mock_migrationhub(home_region="us-west-2"):
        mgh = _client()
        mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
        mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)
        mgh.notify_migration_task_state(
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            Task=state,
            UpdateDateTime=dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc),
            NextUpdateSeconds=60,
        )
        mgh.put_resource_attributes(
            ProgressUpdateStream=stream, MigrationTaskName=task, ResourceAttributeList=attributes
        )
        mgh.associate_created_artifact(
            ProgressUpdateStream=stream, MigrationTaskName=task, CreatedArtifact={"Name": artifact}
        )
        described = mgh.describe_migration_task(ProgressUpdateStream=stream, MigrationTaskName=task)["MigrationTask"]
        assert (described["ProgressUpdateStream"], described["MigrationTaskName"]) == (stream, task)
        assert described["Task"] == state
        assert described["ResourceAttributeList"] == attributes
        listed = mgh.list_created_artifacts(ProgressUpdateStream=stream, MigrationTaskName=task)
        assert [a["Name"] for a in listed["CreatedArtifactList"]] == [artifact]


@functools.cache
def _client() -> Any:
    """One client for all examples: building one costs milliseconds, and it is not tied to a hub."""
    import boto3

    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-west-2").client(
        "mgh"
    )


def test_the_documented_example_runs(pytester: pytest.Pytester) -> None:
    pytester.copy_example(str(ROOT / "examples" / "test_strategies_property.py"))
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_docs_show_the_example_verbatim() -> None:
    assert (ROOT / "examples" / "test_strategies_property.py").read_text() in (
        ROOT / "docs" / "strategies.md"
    ).read_text()
