"""Snapshot and restore (docs/snapshots.md): a restored hub answers every read with the
bytes the original gave, its next operations give the same results (generated ids and
auto-mapping included), page tokens issued before the snapshot resume, and a document
that is not a snapshot of this format, or breaks an invariant, is refused by name."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import math
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import time_machine
from botocore.session import get_session
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub import Delays, Hub, SnapshotError, mock_migrationhub
from fakehub.core import clock
from fakehub.wire.services import TARGET_PREFIXES

REGION = "us-west-2"
T0 = 1_790_000_000.0
KEYS = ("AKIDONE", "AKIDTWO")  # two callers in two accounts
ACCOUNTS = {"AKIDONE": "111111111111", "AKIDTWO": "222222222222"}
STREAMS = ("Tool", "Other")
TASKS = ("web-1", "db-1")
_MGH = get_session().get_service_model("mgh")
STATUSES = _MGH.shape_for("Status").enum
APP_STATUSES = _MGH.shape_for("ApplicationStatus").enum
ATTRIBUTES = (
    {"Type": "IPV4_ADDRESS", "Value": "10.0.0.1"},
    {"Type": "IPV4_ADDRESS", "Value": "10.0.0.2"},
    {"Type": "FQDN", "Value": "web.example.com"},
    {"Type": "MAC_ADDRESS", "Value": "0A:1B:2C:3D:4E:5F"},
    {"Type": "VM_NAME", "Value": "vm-7"},
)


# ---- driving a hub through its dispatcher (the wire path every client takes) ----------------


def call(hub: Hub, service: str, operation: str, key: str = KEYS[0], **params: Any) -> tuple[int, bytes]:
    headers = {"Authorization": f"AWS4-HMAC-SHA256 Credential={key}/20261201/{REGION}/{service}/aws4_request"}
    target = f"{TARGET_PREFIXES[service]}.{operation}".encode()
    reply = hub.dispatcher.dispatch(target, headers, json.dumps(params).encode(), faked=True)
    assert reply is not None
    return reply.status, reply.body


def ids(hub: Hub, key: str, kind: str) -> list[str]:
    """The account's ADS ids of ``kind`` (SERVER or APPLICATION), as a client lists them
    (none while the listing is refused: an account with no home region)."""
    status, body = call(hub, "discovery", "ListConfigurations", key, configurationType=kind)
    assert status in (200, 400), body
    return [item[f"{kind.lower()}.configurationId"] for item in json.loads(body).get("configurations", [])]


def pick(options: list[str], index: int) -> str:
    return options[index % len(options)] if options else "d-server-0000000000000x"


Op = tuple[Any, ...]

_key = st.sampled_from(KEYS)
_stream = st.sampled_from(STREAMS)
_task = st.sampled_from(TASKS)
_index = st.integers(0, 7)
OPS: st.SearchStrategy[Op] = st.one_of(
    st.tuples(st.just("create_stream"), _key, _stream),
    st.tuples(st.just("delete_stream"), _key, _stream),
    st.tuples(st.just("import"), _key, _stream, _task),
    st.tuples(st.just("notify"), _key, _stream, _task, st.sampled_from(STATUSES), st.integers(0, 100)),
    st.tuples(
        st.just("attributes"), _key, _stream, _task, st.lists(st.sampled_from(ATTRIBUTES), min_size=1, max_size=3)
    ),
    st.tuples(st.just("artifact"), _key, _stream, _task, st.sampled_from(("a1", "a2")), st.booleans()),
    st.tuples(st.just("source"), _key, _stream, _task, st.sampled_from(("s1", "s2")), st.booleans()),
    st.tuples(st.just("discovered"), _key, _stream, _task, _index, st.booleans()),
    st.tuples(st.just("application"), _key, st.sampled_from(("shop", "crm"))),
    st.tuples(st.just("member"), _key, _index, _index, st.booleans()),
    st.tuples(st.just("delete_application"), _key, _index),
    st.tuples(st.just("application_state"), _key, _index, st.sampled_from(APP_STATUSES)),
    st.tuples(st.just("add_server"), _key, st.sampled_from(ATTRIBUTES[:3])),
    st.tuples(st.just("wait"), st.sampled_from((0.5, 1.0, 3.0))),
    st.just(("settle",)),
)


# Every random sequence starts from streams and tasks in both accounts, so that most of its
# operations act on something (the random part may delete, re-create and add more).
PRELUDE: list[Op] = [
    op
    for key in KEYS
    for op in (
        ("create_stream", key, STREAMS[0]),
        ("import", key, STREAMS[0], TASKS[0]),
        ("import", key, STREAMS[0], TASKS[1]),
        ("create_stream", key, STREAMS[1]),
        ("import", key, STREAMS[1], TASKS[0]),
        ("add_server", key, ATTRIBUTES[0]),
        ("application", key, "shop"),
    )
]


def run(hub: Hub, op: Op) -> Any:
    """Apply one operation; the answer (status, body), or what the hub's API returned."""
    kind, *args = op
    if kind == "wait":
        return clock.shift(args[0])
    if kind == "settle":
        return hub.settle()
    key = args[0]
    if kind == "add_server":
        attribute = args[1]
        field = {"IPV4_ADDRESS": "ip_addresses", "FQDN": "hostname"}[attribute["Type"]]
        value = [attribute["Value"]] if field == "ip_addresses" else attribute["Value"]
        return hub.add_server(account=ACCOUNTS[key], **{field: value})
    if kind in ("create_stream", "delete_stream"):
        operation = "CreateProgressUpdateStream" if kind == "create_stream" else "DeleteProgressUpdateStream"
        return call(hub, "mgh", operation, key, ProgressUpdateStreamName=args[1])
    if kind in ("application", "member", "delete_application", "application_state"):
        return _application_op(hub, kind, key, args[1:])
    task = {"ProgressUpdateStream": args[1], "MigrationTaskName": args[2]}
    rest = args[3:]
    if kind == "import":
        return call(hub, "mgh", "ImportMigrationTask", key, **task)
    if kind == "notify":
        state = {"Status": rest[0], "ProgressPercent": rest[1]}
        return call(
            hub, "mgh", "NotifyMigrationTaskState", key, **task, Task=state, UpdateDateTime=T0, NextUpdateSeconds=60
        )
    if kind == "attributes":
        return call(hub, "mgh", "PutResourceAttributes", key, **task, ResourceAttributeList=rest[0])
    if kind == "artifact":
        if rest[1]:
            artifact = {"Name": f"arn:aws:ec2:{REGION}:111111111111:instance/i-{rest[0]}"}
            return call(hub, "mgh", "AssociateCreatedArtifact", key, **task, CreatedArtifact=artifact)
        name = f"arn:aws:ec2:{REGION}:111111111111:instance/i-{rest[0]}"
        return call(hub, "mgh", "DisassociateCreatedArtifact", key, **task, CreatedArtifactName=name)
    if kind == "source":
        if rest[1]:
            return call(hub, "mgh", "AssociateSourceResource", key, **task, SourceResource={"Name": rest[0]})
        return call(hub, "mgh", "DisassociateSourceResource", key, **task, SourceResourceName=rest[0])
    server = pick(ids(hub, key, "SERVER"), rest[0])
    if rest[1]:
        resource = {"ConfigurationId": server}
        return call(hub, "mgh", "AssociateDiscoveredResource", key, **task, DiscoveredResource=resource)
    return call(hub, "mgh", "DisassociateDiscoveredResource", key, **task, ConfigurationId=server)


def _application_op(hub: Hub, kind: str, key: str, args: list[Any]) -> Any:
    if kind == "application":
        return call(hub, "discovery", "CreateApplication", key, name=args[0])
    app = pick(ids(hub, key, "APPLICATION"), args[0])
    if kind == "application_state":
        return call(hub, "mgh", "NotifyApplicationState", key, ApplicationId=app, Status=args[1])
    if kind == "delete_application":
        return call(hub, "discovery", "DeleteApplications", key, configurationIds=[app])
    server = pick(ids(hub, key, "SERVER"), args[1])
    operation = (
        "AssociateConfigurationItemsToApplication" if args[2] else "DisassociateConfigurationItemsFromApplication"
    )
    return call(hub, "discovery", operation, key, applicationConfigurationId=app, configurationIds=[server])


def pages(hub: Hub, service: str, operation: str, key: str, size_member: str, **params: Any) -> Iterator[bytes]:
    """Every page of a listing, one item a page, as bytes."""
    token_member = "nextToken" if service == "discovery" else "NextToken"
    token = None
    for _ in range(100):
        status, body = call(
            hub, service, operation, key, **params, **{size_member: 1}, **({token_member: token} if token else {})
        )
        yield body
        token = json.loads(body).get(token_member) if status == 200 else None
        if not token:
            return
    raise AssertionError(f"{operation} did not end within 100 pages")


def reads(hub: Hub) -> list[bytes]:
    """What every read operation answers, for every account and every record."""
    seen: list[bytes] = []
    for key in KEYS:
        seen += pages(hub, "mgh", "ListProgressUpdateStreams", key, "MaxResults")
        seen += pages(hub, "mgh", "ListMigrationTasks", key, "MaxResults")
        seen += pages(hub, "mgh", "ListApplicationStates", key, "MaxResults")
        for stream in STREAMS:
            for name in TASKS:
                task = {"ProgressUpdateStream": stream, "MigrationTaskName": name}
                seen.append(call(hub, "mgh", "DescribeMigrationTask", key, **task)[1])
                for listing in (
                    "ListMigrationTaskUpdates",
                    "ListCreatedArtifacts",
                    "ListDiscoveredResources",
                    "ListSourceResources",
                ):
                    seen += pages(hub, "mgh", listing, key, "MaxResults", **task)
        for kind in ("SERVER", "APPLICATION"):
            seen += pages(hub, "discovery", "ListConfigurations", key, "maxResults", configurationType=kind)
            for cid in ids(hub, key, kind):
                seen.append(call(hub, "discovery", "DescribeConfigurations", key, configurationIds=[cid])[1])
                seen += pages(hub, "mgh", "ListMigrationTasks", key, "MaxResults", ResourceName=cid)
            for app in ids(hub, key, "APPLICATION") if kind == "APPLICATION" else ():
                seen.append(call(hub, "mgh", "DescribeApplicationState", key, ApplicationId=app)[1])
        seen.append(call(hub, "discovery", "GetDiscoverySummary", key)[1])
        seen.append(call(hub, "migrationhub-config", "GetHomeRegion", key)[1])
        seen.append(call(hub, "migrationhub-config", "DescribeHomeRegionControls", key)[1])
    return seen


def same_document(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return {**a, "taken_at": None} == {**b, "taken_at": None}


@contextlib.contextmanager
def frozen_clock() -> Iterator[None]:
    """A clock that moves only when a step says so, the same for the original and the copy."""
    try:
        with time_machine.travel(T0, tick=False):
            yield
    finally:
        clock.reset()


@pytest.fixture
def frozen() -> Iterator[None]:
    with frozen_clock():
        yield


def new_hub() -> Hub:
    return Hub(home_region="auto", accounts=ACCOUNTS, delays=Delays(auto_mapping=2.0, stream_deletion=1.0))


# ---- the round trip -----------------------------------------------------------------------


@given(before=st.lists(OPS, max_size=40), after=st.lists(OPS, max_size=12))
def test_a_restored_hub_answers_as_the_original_now_and_after_the_same_next_operations(
    before: list[Op], after: list[Op]
) -> None:
    with frozen_clock():
        original = new_hub()
        for op in PRELUDE + before:
            run(original, op)
        doc = json.loads(json.dumps(original.snapshot()))  # through JSON, as a file would take it
        restored = Hub.from_snapshot(doc)
        assert reads(restored) == reads(original)
        for op in after:
            assert run(restored, op) == run(original, op), op
        assert reads(restored) == reads(original)
        assert same_document(restored.snapshot(), original.snapshot())


def test_page_tokens_issued_before_a_snapshot_resume_after_its_restore(frozen: None) -> None:
    hub = new_hub()
    run(hub, ("create_stream", KEYS[0], "Tool"))
    for name in TASKS:
        run(hub, ("import", KEYS[0], "Tool", name))
    first = json.loads(call(hub, "mgh", "ListMigrationTasks", MaxResults=1)[1])
    restored = Hub.from_snapshot(hub.snapshot())
    token = first["NextToken"]
    again = call(restored, "mgh", "ListMigrationTasks", MaxResults=5, NextToken=token)
    assert again == call(hub, "mgh", "ListMigrationTasks", MaxResults=5, NextToken=token)
    assert [t["MigrationTaskName"] for t in json.loads(again[1])["MigrationTaskSummaryList"]] == ["web-1"]
    other = Hub.from_snapshot(new_hub().snapshot())  # another hub's secret: the token is refused
    status, body = call(other, "mgh", "ListMigrationTasks", MaxResults=5, NextToken=token)
    assert status == 400 and b"InvalidInputException" in body


def test_pending_steps_keep_their_due_times_and_run_in_the_restored_hub(frozen: None) -> None:
    hub = new_hub()
    run(hub, ("create_stream", KEYS[0], "Tool"))
    run(hub, ("import", KEYS[0], "Tool", "web-1"))
    run(hub, ("attributes", KEYS[0], "Tool", "web-1", [ATTRIBUTES[2]]))
    run(hub, ("create_stream", KEYS[0], "Other"))
    run(hub, ("delete_stream", KEYS[0], "Other"))
    restored = Hub.from_snapshot(hub.snapshot())
    assert restored.pending() == hub.pending() == [(T0 + 1.0, "stream-deletion"), (T0 + 2.0, "auto-mapping")]
    clock.shift(2.0)
    assert restored.streams(ACCOUNTS[KEYS[0]]) == ["Tool"]
    mapped = restored.task("Tool", "web-1", ACCOUNTS[KEYS[0]])["discovered"]
    assert mapped == hub.task("Tool", "web-1", ACCOUNTS[KEYS[0]])["discovered"]
    assert [s["hostname"] for s in restored.servers(ACCOUNTS[KEYS[0]])] == ["web.example.com"]


def test_a_snapshot_keeps_the_hub_settings_and_an_infinite_delay(frozen: None) -> None:
    hub = Hub(home_region=None, accounts=ACCOUNTS, delays=Delays(auto_mapping=math.inf), seed=None)
    hub.attach_policy(
        "AKIDTWO", {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "mgh:*", "Resource": "*"}]}
    )
    hub.discovery_role = False
    doc = json.loads(json.dumps(hub.snapshot(), allow_nan=False))  # strict JSON: no Infinity
    assert doc["options"]["delays"]["auto_mapping"] == "inf"
    restored = Hub.from_snapshot(doc)
    assert restored.state.delays == hub.state.delays and restored.state.default_home_region is None
    assert restored.access_keys == ACCOUNTS and restored.discovery_role is False
    control = {"HomeRegion": REGION, "Target": {"Type": "ACCOUNT"}}
    denied = call(restored, "migrationhub-config", "CreateHomeRegionControl", KEYS[1], **control)
    assert denied[0] == 400 and b"AccessDeniedException" in denied[1]  # the policy came along
    unset = call(restored, "mgh", "ListProgressUpdateStreams", KEYS[0], MaxResults=1)
    assert unset[0] == 400 and b"HomeRegionNotSetException" in unset[1]  # home_region=None came along


def test_the_snapshot_is_a_copy_and_restoring_twice_gives_two_independent_hubs(frozen: None) -> None:
    hub = new_hub()
    run(hub, ("create_stream", KEYS[0], "Tool"))
    run(hub, ("import", KEYS[0], "Tool", "web-1"))
    run(hub, ("notify", KEYS[0], "Tool", "web-1", "IN_PROGRESS", 10))
    doc = hub.snapshot()
    kept = copy.deepcopy(doc)
    one, two = Hub.from_snapshot(doc), Hub.from_snapshot(doc)
    run(one, ("notify", KEYS[0], "Tool", "web-1", "COMPLETED", 100))
    assert two.task("Tool", "web-1", ACCOUNTS[KEYS[0]])["Task"]["Status"] == "IN_PROGRESS"
    assert hub.task("Tool", "web-1", ACCOUNTS[KEYS[0]])["Task"]["Status"] == "IN_PROGRESS"
    assert doc == kept


# ---- the ways in: mock_migrationhub, the marker, a file -----------------------------------


def test_mock_migrationhub_starts_each_entry_from_the_snapshot_file(tmp_path: Any) -> None:
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Tool")
        mgh.import_migration_task(ProgressUpdateStream="Tool", MigrationTaskName="web-1")
        path = tmp_path / "fleet.json"
        path.write_text(json.dumps(hub.snapshot()))
    fleet = mock_migrationhub(snapshot=path)
    for _ in range(2):
        with fleet as restored:
            mgh = boto3.client("mgh", region_name=REGION)
            names = [t["MigrationTaskName"] for t in mgh.list_migration_tasks()["MigrationTaskSummaryList"]]
            assert names == ["web-1"]
            mgh.import_migration_task(ProgressUpdateStream="Tool", MigrationTaskName="db-1")  # this entry's only
            assert restored.tasks() == [("Tool", "db-1"), ("Tool", "web-1")]


def test_mock_migrationhub_refuses_a_bad_snapshot_and_options_beside_one_at_construction(tmp_path: Any) -> None:
    with pytest.raises(SnapshotError, match="not a fakehub snapshot"):
        mock_migrationhub(snapshot={"accounts": []})
    with pytest.raises(TypeError, match=r"snapshot= with seed=\.\.\.: a snapshot holds the hub's options"):
        mock_migrationhub(snapshot=Hub(home_region=None).snapshot(), seed=3)
    broken = tmp_path / "broken.json"
    broken.write_text('{"fakehub_snapshot": 1,')
    with pytest.raises(SnapshotError, match=f"snapshot file {broken}: not JSON"):
        mock_migrationhub(snapshot=broken)
    with pytest.raises(SnapshotError, match=r"use a document hub\.snapshot"):
        mock_migrationhub(snapshot=42)  # type: ignore[arg-type]


def test_the_marker_restores_a_snapshot_for_the_test(pytester: pytest.Pytester) -> None:
    hub = Hub(home_region="eu-central-1")
    hub.add_server(hostname="web-1")
    pytester.makefile(".json", fleet=json.dumps(hub.snapshot()))
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fakehub(snapshot="fleet.json")
        def test_fleet(fakehub, mgh_client):
            assert [s["hostname"] for s in fakehub.servers()] == ["web-1"]
            assert mgh_client.meta.region_name == "eu-central-1"  # the snapshot's home region

        @pytest.mark.fakehub(snapshot="fleet.json", seed=1)
        def test_both(fakehub):
            pass

        @pytest.mark.fakehub(snapshot="missing.json")
        def test_missing(fakehub):
            pass
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.fakehub: snapshot= with seed=...: a snapshot holds the hub's options*",
            "*@pytest.mark.fakehub: *No such file or directory*missing.json*",
        ]
    )


# ---- refusals -----------------------------------------------------------------------------


def fleet_document() -> dict[str, Any]:
    with time_machine.travel(T0, tick=False):
        hub = new_hub()
        for op in (
            ("create_stream", KEYS[0], "Tool"),
            ("create_stream", KEYS[0], "Other"),
            ("import", KEYS[0], "Tool", "web-1"),
            ("notify", KEYS[0], "Tool", "web-1", "IN_PROGRESS", 5),
            ("attributes", KEYS[0], "Tool", "web-1", [ATTRIBUTES[0]]),
            ("settle",),
            ("application", KEYS[0], "shop"),
            ("member", KEYS[0], 0, 0, True),
            ("artifact", KEYS[0], "Tool", "web-1", "a1", True),
            ("artifact", KEYS[0], "Tool", "web-1", "a2", True),
            ("artifact", KEYS[0], "Tool", "web-1", "a1", False),
            ("artifact", KEYS[0], "Tool", "web-1", "a1", True),  # a gap in the sequence numbers
            ("notify", KEYS[0], "Tool", "web-1", "IN_PROGRESS", 50),
            ("application_state", KEYS[0], 0, "IN_PROGRESS"),
            ("create_stream", KEYS[1], "Tool"),
            ("import", KEYS[1], "Tool", "db-1"),
            ("attributes", KEYS[1], "Tool", "db-1", [ATTRIBUTES[3]]),  # pending at the snapshot
            ("delete_stream", KEYS[0], "Other"),
        ):
            run(hub, op)
        return json.loads(json.dumps(hub.snapshot()))


@pytest.fixture
def fleet() -> dict[str, Any]:
    return copy.deepcopy(_FLEET)


def test_a_hub_with_one_of_everything_round_trips(fleet: dict[str, Any]) -> None:
    with frozen_clock():  # at T0, when the snapshot was taken: its steps are still pending
        restored, again = Hub.from_snapshot(fleet), Hub.from_snapshot(fleet)
        assert reads(restored) == reads(again)
        doc = restored.snapshot()
        assert same_document(doc, fleet)
        assert len(doc["pending"]) == 2 and len(doc["accounts"]) == 2
        artifacts = doc["accounts"][0]["tasks"][0]["artifacts"]
        assert [seq for seq, _ in artifacts["items"]] == [2, 3] and artifacts["next_seq"] == 4
        assert len(doc["accounts"][0]["tasks"][0]["history"]) == 2


def edited(doc: dict[str, Any], edit: Any) -> dict[str, Any]:
    changed = copy.deepcopy(doc)
    edit(changed)
    return changed


def _account(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["accounts"][0]


def _duplicate_server(doc: dict[str, Any]) -> None:
    servers = _account(doc)["discovery"]["servers"]
    servers.append({**servers[0], "seq": _account(doc)["discovery"]["next_seq"] - 1})


REFUSALS = [
    (
        "newer format",
        lambda d: d.update(fakehub_snapshot=2),
        "format 2, written by a newer fakehub; this fakehub reads format 1",
    ),
    ("older format", lambda d: d.update(fakehub_snapshot=0), "format 0 is not one this fakehub reads"),
    (
        "task in no stream",
        lambda d: _account(d)["tasks"][0].update(stream="Gone"),
        (
            r"accounts\[0\]\.tasks\[0\]\.stream: task 'web-1' is in stream 'Gone', which is not among the "
            "account's streams"
        ),
    ),
    (
        "duplicate configuration id",
        _duplicate_server,
        r"accounts\[0\]\.discovery\.servers\[1\]\.configuration_id: configuration id 'd-server-\w+' appears twice",
    ),
    (
        "duplicate stream",
        lambda d: _account(d)["streams"].append(dict(_account(d)["streams"][0])),
        r"stream '\w+' appears twice",
    ),
    (
        "unknown member",
        lambda d: _account(d)["streams"][0].update(deleteing=True),
        r"streams\[0\]: unknown member\(s\) 'deleteing'; the members are name, created, deleting",
    ),
    ("missing member", lambda d: d.pop("pending"), r"missing member\(s\) 'pending'"),
    (
        "wrong type",
        lambda d: _account(d)["tasks"][0].update(imported="yesterday"),
        r"tasks\[0\]\.imported: expected a time, epoch seconds from -62135596800 \(0001-01-01\) .*, found 'yesterday'",
    ),
    (
        "model constraint",
        lambda d: _account(d)["tasks"][0]["history"][0][1].update(Status="HALF_DONE"),
        (
            r"tasks\[0\]\.history\[0\]: NotifyMigrationTaskState would refuse this record: "
            r"1 validation error detected: .*HALF_DONE"
        ),
    ),
    (
        "pending step of no task",
        lambda d: d["pending"].append(
            {"kind": "auto-mapping", "due": T0, "account": "111111111111", "stream": "Tool", "task": "nope"}
        ),
        "auto-mapping is pending for task 'nope'",
    ),
    (
        "deletion never finishing",
        lambda d: d.update(pending=[]),
        "stream 'Other' of account 111111111111 is being deleted, but no stream-deletion step is pending",
    ),
    (
        "one-sided membership",
        lambda d: _account(d)["discovery"]["applications"][0].update(servers=[]),
        "disagree on their membership",
    ),
    (
        "auto-mapped elsewhere",
        lambda d: _account(d)["tasks"][0].update(auto_mapped="d-server-0zzzzzzzzzzzzz"),
        "is not among the task's discovered resources",
    ),
    (
        "bad account id",
        lambda d: _account(d).update(id="12345"),
        r"accounts\[0\]\.id: expected a 12-digit AWS account id",
    ),
    (
        "bad home region option",
        lambda d: d["options"].update(home_region="mars-1"),
        "options: home_region='mars-1': Migration Hub is not available there",
    ),
    (
        "bad delay",
        lambda d: d["options"]["delays"].update(auto_mapping=-1),
        r"options\.delays: Delays\(auto_mapping=-1\)",
    ),
    ("bad policy", lambda d: d["policies"].update(AKIDONE=[{"Statement": "x"}]), r"policies\['AKIDONE'\]: "),
    (
        "bad secret",
        lambda d: d.update(page_token_secret="c2hvcnQ="),
        "page_token_secret: expected the base64 of at least 16 bytes",
    ),
]


@pytest.mark.parametrize(("edit", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_a_document_that_is_not_a_snapshot_of_this_format_is_refused_by_name(
    fleet: dict[str, Any], edit: Any, message: str
) -> None:
    Hub.from_snapshot(fleet)  # the unedited document restores
    with pytest.raises(SnapshotError, match=message):
        Hub.from_snapshot(edited(fleet, edit))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


_FLEET = fleet_document()
# The random state's 625 words are one path each, not 625: sampled among the rest, they
# would be four edits in five.
_FLEET_PATHS = [p for p in _paths(_FLEET) if p and not (p[:2] == ("random_state", 1) and len(p) > 2)]
_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.just([]),
    st.just({}),
    st.just(["x", 1]),
    # beyond a float, beyond 64 bits, beyond the years 1-9999, JSON's "inf", a lone surrogate, ...
    st.sampled_from((10**400, 2**63, -(2**64), 1e300, -1e20, 1.0, "inf", "\ud800", "x" * 300, "d-server-0 x")),
)
# What a test does next with a hub it restored: every kind of write, the clock moving on, the
# pending steps, and in both accounts.
_NEXT_OPERATIONS: list[Op] = [
    ("create_stream", KEYS[0], "Tool"),
    ("import", KEYS[0], "Tool", "web-2"),
    ("attributes", KEYS[0], "Tool", "web-1", [ATTRIBUTES[2]]),
    ("notify", KEYS[0], "Tool", "web-1", "COMPLETED", 100),
    ("discovered", KEYS[0], "Tool", "web-1", 0, True),
    ("add_server", KEYS[1], ATTRIBUTES[2]),
    ("application", KEYS[0], "crm"),
    ("member", KEYS[0], 0, 1, True),
    ("application_state", KEYS[0], 0, "COMPLETED"),
    ("delete_stream", KEYS[1], "Tool"),
    ("settle",),
    ("wait", 5.0),
    ("create_stream", KEYS[1], "Tool"),
]


@settings(max_examples=200)
@given(path=st.sampled_from(_FLEET_PATHS), value=_ODD_VALUES, drop=st.booleans())
def test_any_edit_of_a_snapshot_restores_or_is_refused_with_a_snapshot_error(
    path: tuple[Any, ...], value: Any, drop: bool
) -> None:
    """Never a Python traceback: whatever one member is changed into (or whether it is
    dropped), the document restores into a hub that answers, or is refused."""
    doc = copy.deepcopy(_FLEET)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if drop and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    restores_and_answers_or_is_refused(doc)


def restores_and_answers_or_is_refused(doc: dict[str, Any]) -> None:
    """The document restores into a hub that answers every read and next operation (no
    5xx, no traceback) and whose own snapshot, as strict JSON, restores; or it raises
    SnapshotError."""
    try:
        hub = Hub.from_snapshot(doc)
    except SnapshotError:
        return
    with frozen_clock():
        reads(hub)
        for op in _NEXT_OPERATIONS:
            answer = run(hub, op)
            assert not (isinstance(answer, tuple) and answer[0] >= 500), (op, answer)
        reads(hub)
        Hub.from_snapshot(json.loads(json.dumps(hub.snapshot(), allow_nan=False)))


def test_mock_migrationhub_as_a_decorator_restores_the_snapshot_for_each_call() -> None:
    import asyncio
    import unittest

    source = Hub(home_region=REGION)
    source.add_server(hostname="web-1")
    fleet = mock_migrationhub(snapshot=source.snapshot())

    def hostnames() -> list[str]:
        from fakehub import active_hub

        hub = active_hub()
        assert hub is not None
        names = [s["hostname"] for s in hub.servers()]
        hub.add_server(hostname="added-by-this-call")  # never seen by the next call
        return names

    @fleet
    def plain() -> list[str]:
        return hostnames()

    @fleet
    def generator() -> Iterator[list[str]]:
        yield hostnames()

    @fleet
    async def coroutine() -> list[str]:
        return hostnames()

    @fleet
    class Case(unittest.TestCase):
        def test_it(self) -> None:
            assert hostnames() == ["web-1"]

    assert plain() == plain() == ["web-1"]
    assert list(generator()) == [["web-1"]]
    assert asyncio.run(coroutine()) == ["web-1"]
    outcome = unittest.TextTestRunner(stream=io.StringIO()).run(unittest.defaultTestLoader.loadTestsFromTestCase(Case))
    assert outcome.wasSuccessful(), outcome.failures
