"""Snapshots a second reviewer tried to break (docs/snapshots.md): documents that passed the
reader and made the restored hub fail later, hubs whose snapshot did not restore them
exactly, and inputs that ended in a Python traceback instead of a SnapshotError."""

from __future__ import annotations

import copy
import http.client
import json
import math
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
    ATTRIBUTES,
    KEYS,
    call,
    frozen_clock,
    reads,
    restores_and_answers_or_is_refused,
    run,
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


# ---- numbers and times a hub cannot hold ---------------------------------------------------------


TOO_LARGE = [
    ("taken_at", lambda d: d.update(taken_at=10**400), r"taken_at: expected a time"),
    ("due", lambda d: d["pending"][0].update(due=10**400), r"pending\[0\]\.due: expected a finite number"),
    (
        "delay",
        lambda d: d["options"]["delays"].update(auto_mapping=10**400),
        r"options\.delays\.auto_mapping: expected a finite number",
    ),
    (
        "sequence number",
        lambda d: _account(d)["discovery"].update(next_seq=2**63),
        r"discovery\.next_seq: expected an integer from 0 to 9223372036854775807, found 9223372036854775808",
    ),
]


@pytest.mark.parametrize(("edit", "message"), [t[1:] for t in TOO_LARGE], ids=[t[0] for t in TOO_LARGE])
def test_a_number_no_float_or_64_bits_can_hold_is_refused_by_name(edit: Edit, message: str) -> None:
    """Was: OverflowError (int too large to convert to float)."""
    with pytest.raises(SnapshotError, match=message):
        restore_edited(edit)


NO_INSTANT = [
    ("server created after 9999", lambda d: _server(d).update(time_of_creation=1e12)),
    ("server created before year 1", lambda d: _server(d).update(time_of_creation=-1e12)),
    (
        "application modified in 1e20",
        lambda d: _account(d)["discovery"]["applications"][0].update(last_modified_time=1e20),
    ),
    ("stream created", lambda d: _account(d)["streams"][0].update(created=1e300)),
    ("task imported", lambda d: _account(d)["tasks"][0].update(imported=-1e300)),
    ("control requested", lambda d: _account(d)["home_region_control"].update(requested_time=1e300)),
]


@pytest.mark.parametrize("edit", [t[1] for t in NO_INSTANT], ids=[t[0] for t in NO_INSTANT])
def test_a_time_outside_the_years_1_to_9999_is_refused(edit: Edit) -> None:
    """Was: restored, then ListConfigurations raised OverflowError / ValueError (year out of
    range) formatting the ADS time; a RequestedTime of 1e300 no client can parse."""
    with pytest.raises(SnapshotError, match=r"expected a time, epoch seconds from -62135596800 \(0001-01-01\)"):
        restore_edited(edit)


def test_the_earliest_and_latest_times_restore_and_answer() -> None:
    def edit(doc: dict[str, Any]) -> None:
        _server(doc)["time_of_creation"] = -62135596800
        _account(doc)["discovery"]["applications"][0]["time_of_creation"] = 253402300799

    with frozen_clock():
        assert reads(restore_edited(edit))


def test_a_step_due_before_the_year_1_is_refused() -> None:
    """Was: restored; the step ran at the first read stamped with its due time, and the ADS
    server auto-mapping made then could not be listed (timestamp out of range)."""
    with pytest.raises(SnapshotError, match=r"pending\[0\]\.due: expected a number of epoch seconds from -62135596800"):
        restore_edited(lambda d: d["pending"][0].update(due=-(2**64)))


def test_a_clock_offset_that_puts_the_process_clock_out_of_time_is_refused() -> None:
    """Was: restored; the server then ran its clock at 1e300, and every ADS server it added
    failed to list."""
    with pytest.raises(
        SnapshotError, match=r"clock_offset: taken_at - clock_offset \(the process's clock .*\) must be a time"
    ):
        restore_edited(lambda d: d.update(clock_offset=1e300))


@pytest.mark.parametrize("seed", [-(2**64), 2**70])
def test_any_seed_a_hub_takes_round_trips(seed: int) -> None:
    """Was: a hub made with seed=-(2**64) took a snapshot its restore refused."""
    hub = Hub(home_region=None, seed=seed)
    assert Hub.from_snapshot(json.loads(json.dumps(hub.snapshot()))).state.seed == seed


# ---- the random source ---------------------------------------------------------------------------


def test_a_random_state_the_generator_never_leaves_is_refused() -> None:
    """Was: restored, then the second add_server looped for ever (every id drawn was the same)."""
    zero = [3, [0x7FFFFFFF] + [0] * 623 + [624], None]  # only the bit MT19937 ignores is set
    with pytest.raises(SnapshotError, match=r"random_state: .*never leaves"):
        restore_edited(lambda d: d.update(random_state=zero))
    lowest = [3, [0x80000000] + [0] * 623 + [624], None]  # one bit of state: a generator that moves on
    hub = restore_edited(lambda d: d.update(random_state=lowest))
    assert len({hub.add_server(account=ACCOUNTS[KEYS[0]], hostname=f"h{n}") for n in range(3)}) == 3


@pytest.mark.parametrize("gauss", [math.nan, math.inf])
def test_a_random_state_whose_gauss_value_json_cannot_hold_is_refused(gauss: float) -> None:
    """Was: restored, and the hub's own snapshot then failed strict JSON (the server's
    --state could not be saved at the stop)."""
    with pytest.raises(SnapshotError, match=r"random_state: expected null or \[version"):
        restore_edited(lambda d: d["random_state"].__setitem__(2, gauss))


@pytest.mark.parametrize("home_region", [None, "us-west-2"])
def test_a_hub_with_a_fresh_seed_restores_to_the_ids_it_would_have_given(home_region: str | None) -> None:
    """Was: with seed=None and no id drawn yet, the restored hub drew another fresh seed, so
    its next server id (and a preset home region's control id) differed from the original's."""
    with frozen_clock():
        hub = Hub(home_region=home_region, seed=None)
        restored = Hub.from_snapshot(json.loads(json.dumps(hub.snapshot())))
        assert restored.add_server(hostname="web-1") == hub.add_server(hostname="web-1")
        controls = [call(h, "migrationhub-config", "DescribeHomeRegionControls") for h in (restored, hub)]
        assert controls[0] == controls[1]


# ---- records the operations that store or address them would refuse ------------------------------


def test_attributes_put_resource_attributes_would_refuse_are_refused() -> None:
    """Was: restored; its pending auto-mapping then made an ADS server with the IP
    999.1.1.1, and the restored hub's own snapshot was refused."""
    with pytest.raises(
        SnapshotError,
        match=r"accounts\[1\]\.tasks\[0\]\.attributes: PutResourceAttributes would refuse this record: "
        r"ResourceAttributeList\[0\]: IPV4_ADDRESS value '999\.1\.1\.1' is not valid",
    ):
        restore_edited(lambda d: d["accounts"][1]["tasks"][0].update(attributes=[["IPV4_ADDRESS", "999.1.1.1"]]))


def test_a_home_region_control_for_no_migration_hub_region_is_refused() -> None:
    """Was: restored; CreateHomeRegionControl refuses such a region."""
    with pytest.raises(
        SnapshotError, match=r"home_region_control: CreateHomeRegionControl would refuse this record: .*xx-fake-9"
    ):
        restore_edited(lambda d: _account(d)["home_region_control"].update(home_region="xx-fake-9"))


def test_a_home_region_control_with_an_id_no_call_can_name_is_refused() -> None:
    """Was: restored; DeleteHomeRegionControl could never name the control."""
    with pytest.raises(SnapshotError, match=r"home_region_control: DeleteHomeRegionControl would refuse .*controlId"):
        restore_edited(lambda d: _account(d)["home_region_control"].update(control_id="hrc-???"))


def test_a_configuration_id_no_ads_call_can_name_is_refused() -> None:
    """Was: restored; DescribeConfigurations refused the id the listing showed."""
    with pytest.raises(SnapshotError, match=r"servers\[0\]: DescribeConfigurations would refuse this record"):
        restore_edited(lambda d: _server(d).update(configuration_id="d-server-0 two words"))


@pytest.mark.parametrize(
    ("version", "refusal"),
    [
        (1.0, "fakehub_snapshot: format 1.0 is not one this fakehub reads"),
        (True, "fakehub_snapshot: format true is not one this fakehub reads"),
        (_deep(80), "fakehub_snapshot: format a list is not one this fakehub reads"),
        (_deep(5000), "snapshot: fakehub_snapshot is nested more than 100 levels deep"),
    ],
    ids=["1.0", "true", "deep", "too deep"],
)
def test_a_format_version_that_is_not_the_integer_1_is_refused(version: Any, refusal: str) -> None:
    """Was: 1.0 read as format 1 (the strict reader refuses 1.0 for an integer elsewhere),
    and a deeply nested version a RecursionError (the message's repr)."""
    with pytest.raises(SnapshotError, match=refusal):
        restore_edited(lambda d: d.update(fakehub_snapshot=version))


def test_a_bad_access_key_mapping_is_refused_under_its_own_name() -> None:
    """Was: reported under ``options:``, a member that does not hold it."""
    with pytest.raises(SnapshotError, match=r"^access_keys: accounts=\{'AKIDONE': \.\.\.\} 5: use a 12-digit"):
        restore_edited(lambda d: d["access_keys"].update(AKIDONE=5))


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
    within = _statement_with(member, _deep(80))  # deep, but within a snapshot's nesting limit
    with pytest.raises(SnapshotError, match=rf"policies\['AKIDONE'\]: .*{member} .*a list"):
        restore_edited(lambda d: d.update(policies={"AKIDONE": [within]}))
    document = _statement_with(member, _deep(5000))
    with pytest.raises(SnapshotError, match="snapshot: policies is nested more than 100 levels deep"):
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
        (f'{{"fakehub_snapshot": 1, "taken_at": {"9" * 5000}}}', "4300"),  # worded per Python version
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


@pytest.mark.parametrize("depth", [101, 5000])
def test_a_document_nested_too_deep_is_refused_the_same_way_on_every_python(tmp_path: Path, depth: int) -> None:
    """Was: RecursionError while copying the document (a depth at which Python 3.13's json
    module no longer fails: the limit is fakehub's own, so every Python refuses alike)."""
    doc: dict[str, Any] = {"fakehub_snapshot": 1}
    inner = doc
    for _ in range(depth):
        inner["x"] = {}
        inner = inner["x"]
    refusal = "snapshot: x is nested more than 100 levels deep"
    with pytest.raises(SnapshotError, match=refusal):
        mock_migrationhub(snapshot=doc)
    with pytest.raises(SnapshotError, match=refusal):
        Hub.from_snapshot(doc)
    if depth < 900:  # within what json.dumps writes on every Python
        path = tmp_path / "deep.json"
        path.write_text(json.dumps(doc))
        with pytest.raises(SnapshotError, match=refusal):
            Hub.from_snapshot(path)


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


# ---- states the property test rarely reaches: restored exactly -----------------------------------


KEY, ACCOUNT = KEYS[0], ACCOUNTS[KEYS[0]]


def _manual_association_then_attributes(hub: Hub) -> None:
    run(hub, ("create_stream", KEY, "Tool"))
    run(hub, ("import", KEY, "Tool", "web-1"))
    server = hub.add_server(account=ACCOUNT, hostname="web.example.com")
    resource = {"ConfigurationId": server, "Description": "the tool's own"}
    call(
        hub,
        "mgh",
        "AssociateDiscoveredResource",
        KEY,
        ProgressUpdateStream="Tool",
        MigrationTaskName="web-1",
        DiscoveredResource=resource,
    )
    run(hub, ("attributes", KEY, "Tool", "web-1", [ATTRIBUTES[2]]))  # auto-mapping would pick that server


SCENARIOS: list[tuple[str, list[Any]]] = [
    (
        "auto-mapping pending while its stream is deleted",
        [
            ("create_stream", KEY, "Tool"),
            ("import", KEY, "Tool", "web-1"),
            ("attributes", KEY, "Tool", "web-1", [ATTRIBUTES[2]]),
            ("delete_stream", KEY, "Tool"),
        ],
    ),
    (
        "a task in a stream deleted and created again",
        [
            ("create_stream", KEY, "Tool"),
            ("import", KEY, "Tool", "web-1"),
            ("attributes", KEY, "Tool", "web-1", [ATTRIBUTES[0]]),
            ("delete_stream", KEY, "Tool"),
            ("wait", 1.0),
            ("create_stream", KEY, "Tool"),
            ("import", KEY, "Tool", "web-1"),
            ("attributes", KEY, "Tool", "web-1", [ATTRIBUTES[2]]),
        ],
    ),
    ("a manual association of the server auto-mapping picks", [_manual_association_then_attributes]),
    ("the same, mapped", [_manual_association_then_attributes, ("settle",)]),
    (
        "states of deleted applications",
        [
            ("application", KEY, "shop"),
            ("application", KEY, "crm"),
            ("application_state", KEY, 0, "IN_PROGRESS"),
            ("application_state", KEY, 1, "COMPLETED"),
            ("delete_application", KEY, 0),
        ],
    ),
    ("home region 'auto' claimed by no account", []),
]


NEXT: list[Any] = [
    ("settle",),
    ("create_stream", KEY, "Tool"),
    ("import", KEY, "Tool", "web-1"),
    ("attributes", KEY, "Tool", "web-1", [ATTRIBUTES[0]]),
    ("wait", 3.0),
    ("application_state", KEY, 0, "COMPLETED"),
    ("add_server", KEYS[1], ATTRIBUTES[2]),
]


@pytest.mark.parametrize("ops", [s[1] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_a_rarely_reached_state_is_restored_exactly(ops: list[Any]) -> None:
    with frozen_clock():
        hub = Hub(home_region="auto", accounts=ACCOUNTS)
        for op in ops:
            op(hub) if callable(op) else run(hub, op)
        restored = Hub.from_snapshot(json.loads(json.dumps(hub.snapshot(), allow_nan=False)))
        assert reads(restored) == reads(hub)
        for op in NEXT:
            assert run(restored, op) == run(hub, op), op
            assert reads(restored) == reads(hub), op


# ---- every member, edited to the extremes --------------------------------------------------------


EXTREME_NUMBERS = (10**400, 2**63, -(2**64), 1e300, -1e300, 1e20, -1e20, math.nan, math.inf, True, 1.0, -1)


EXTREME_TEXTS = ("\ud800", "x" * 2000, " ", "inf", "", "d-server-0 x")


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """(path, value) of every number and string of the document; the random state's words
    are one (path, value) for all."""
    if path[:2] == ("random_state", 1) and len(path) > 2:
        return [(path, value)] if path[2] == 0 else []
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index))]
    return [(path, value)]


def test_every_number_and_text_of_a_snapshot_edited_to_an_extreme_restores_or_is_refused() -> None:
    """Every member, not a sample: a number beyond a float, beyond 64 bits, beyond the years
    1 to 9999, NaN, a boolean; a text with a lone surrogate, 2,000 characters, a space."""
    for path, original in _leaves(_FLEET):
        if isinstance(original, bool) or original is None:
            continue
        extremes = EXTREME_TEXTS if isinstance(original, str) else EXTREME_NUMBERS
        for value in extremes:
            doc = copy.deepcopy(_FLEET)
            parent = doc
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = value
            try:
                restores_and_answers_or_is_refused(doc)
            except Exception as exc:  # say which edit, then fail
                raise AssertionError(f"{path} = {value!r:.60}: {type(exc).__name__}: {exc}") from exc
