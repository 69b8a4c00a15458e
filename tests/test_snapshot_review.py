"""Snapshots a second reviewer tried to break (docs/snapshots.md): documents that passed the
reader and made the restored hub fail later, hubs whose snapshot did not restore them
exactly, and inputs that ended in a Python traceback instead of a SnapshotError."""

from __future__ import annotations

import copy
import http.client
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fakehub import Hub, SnapshotError, mock_migrationhub, serve
from fakehub.core import clock
from fakehub.server import state_file
from tests.test_snapshot import (
    _FLEET,
    ACCOUNTS,
    KEYS,
)

Edit = Callable[[dict[str, Any]], Any]


def restore_edited(edit: Edit) -> Hub:
    doc = copy.deepcopy(_FLEET)
    edit(doc)
    return Hub.from_snapshot(doc)


def _account(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["accounts"][0]


def _server(doc: dict[str, Any]) -> dict[str, Any]:
    return _account(doc)["discovery"]["servers"][0]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _deep(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


# ---- policies and what the hub hands out ---------------------------------------------------------


def test_editing_a_snapshot_leaves_the_policies_of_the_hub_it_came_from() -> None:
    """Was: the snapshot listed the hub's own policy documents, so editing one changed what
    the hub's next snapshot (and a restore of it) held."""
    hub = Hub(home_region=None)
    hub.attach_policy(
        KEYS[0], {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    )
    doc = hub.snapshot()
    doc["policies"][KEYS[0]][0]["Statement"][0]["Effect"] = "Deny"
    assert hub.snapshot()["policies"][KEYS[0]][0]["Statement"][0]["Effect"] == "Allow"


def _statement_with(member: str, value: Any) -> dict[str, Any]:
    statement = {"Effect": "Allow", "Action": "*", "Resource": "*", member: value}
    document: dict[str, Any] = {"Version": "2012-10-17", "Statement": [statement]}
    if member == "Version":
        document["Version"] = statement.pop("Version")
    return document


@pytest.mark.parametrize("member", ["Version", "Sid", "Effect"])
def test_a_policy_member_nested_deep_is_refused_by_name(member: str) -> None:
    """Was: TypeError (an unhashable Version) or RecursionError (the message's repr of the
    value), from Hub.from_snapshot and attach_policy alike."""
    document = _statement_with(member, _deep(5000))
    with pytest.raises(SnapshotError, match=rf"policies\['AKIDONE'\]: .*{member} .*a list"):
        restore_edited(lambda d: d.update(policies={"AKIDONE": [document]}))
    with pytest.raises(ValueError, match=f"{member} .*a list"):
        Hub(home_region=None).attach_policy("AKIDONE", document)


def test_what_hub_task_returns_is_a_copy() -> None:
    """Was: the returned Task was the hub's own record, so editing it edited the hub (and
    what its snapshot held)."""
    hub = Hub.from_snapshot(_FLEET)
    hub.task("Tool", "web-1", ACCOUNTS[KEYS[0]])["Task"]["Status"] = "FAILED"
    assert hub.task("Tool", "web-1", ACCOUNTS[KEYS[0]])["Task"]["Status"] == "IN_PROGRESS"


# ---- what is not JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f'{{"fakehub_snapshot": 1, "accounts": {_nested(100_000)}}}', "maximum recursion depth"),
        (f'{{"fakehub_snapshot": 1, "taken_at": {"9" * 5000}}}', "4300 digits"),
    ],
    ids=["nested too deep", "integer of 5000 digits"],
)
def test_a_file_python_cannot_read_as_json_is_refused_by_name(tmp_path: Path, text: str, reason: str) -> None:
    """Was: RecursionError, or a bare ValueError from the json module."""
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(SnapshotError, match=f"snapshot file {path}: not JSON .*{reason}"):
        Hub.from_snapshot(path)
    with pytest.raises(SnapshotError, match="not JSON"):
        mock_migrationhub(snapshot=path)


def test_a_document_nested_too_deep_for_json_is_refused_by_mock_migrationhub() -> None:
    """Was: RecursionError while copying the document."""
    doc: dict[str, Any] = {"fakehub_snapshot": 1}
    inner = doc
    for _ in range(5000):
        inner["x"] = {}
        inner = inner["x"]
    with pytest.raises(SnapshotError, match="snapshot: not a JSON document"):
        mock_migrationhub(snapshot=doc)


def test_a_body_nested_too_deep_is_answered_400_by_the_control_api() -> None:
    """Was: 500 (RecursionError in the body's parse)."""
    with serve(Hub(home_region=None)) as server:
        host, port = server.endpoint_url.removeprefix("http://").rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("POST", "/_fakehub/snapshot", body=_nested(100_000).encode())
        response = connection.getresponse()
        answer = json.loads(response.read())
        connection.close()
    clock.reset()
    assert response.status == 400 and answer["error"].startswith("the body must be a JSON object")


def test_a_state_file_nested_too_deep_is_refused_by_name(tmp_path: Path) -> None:
    """Was: RecursionError out of ``fakehub serve --state`` at start."""
    path = tmp_path / "hub.json"
    path.write_text(f'{{"fakehub_snapshot": 1, "accounts": {_nested(100_000)}}}')
    with pytest.raises(
        state_file.StateFileError, match=f"not a snapshot fakehub can restore: snapshot file {path}: not JSON"
    ):
        state_file.load(str(path))
