"""The asynchronous hub: auto-mapping and stream deletion on the hub's clock, under
freezegun and time-machine, and the documented invariants as properties."""

from __future__ import annotations

import datetime as dt
import math

import boto3
import pytest
import time_machine
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub import Delays, console, mock_migrationhub
from helpers import notify, setup_task

REGION = "us-west-2"
START = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
ATTRS = [{"Type": "IPV4_ADDRESS", "Value": "10.0.0.7"}, {"Type": "FQDN", "Value": "web-01.corp.example"}]


_SESSION = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION)
_CLIENTS = (_SESSION.client("mgh"), _SESSION.client("discovery"))


def clients():
    """Clients are made once: fakehub answers them in whichever hub is active."""
    return _CLIENTS


def discovered(mgh, task="web-01"):
    found = mgh.list_discovered_resources(ProgressUpdateStream="SMS", MigrationTaskName=task)["DiscoveredResourceList"]
    return [r["ConfigurationId"] for r in found]


def test_under_freezegun_mapping_waits_for_its_due_time_and_a_jump_of_ten_minutes_applies_it():
    with freeze_time(START) as frozen, mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=300)) as hub:
        mgh, _ = clients()
        setup_task(mgh)
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        task = mgh.describe_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")["MigrationTask"]
        assert task["ResourceAttributeList"] == ATTRS  # stored at once
        assert discovered(mgh) == []  # not mapped yet, as in AWS
        frozen.tick(dt.timedelta(seconds=299))
        assert discovered(mgh) == []
        assert hub.pending() == [(START.timestamp() + 300, "auto-mapping")]
        frozen.tick(dt.timedelta(minutes=10))
        [server] = discovered(mgh)
        assert server.startswith("d-server-0") and hub.pending() == []
        created = hub.servers()[0]
        assert created["configuration_id"] == server and created["time_of_creation"] == START.timestamp() + 300


def test_under_time_machine_stamps_and_due_times_follow_the_travelled_clock():
    with time_machine.travel(START, tick=False) as traveller, mock_migrationhub(home_region=REGION) as hub:
        mgh, _ = clients()
        setup_task(mgh)
        mgh.delete_progress_update_stream(ProgressUpdateStreamName="SMS")
        assert hub.pending() == [(START.timestamp() + Delays().stream_deletion, "stream-deletion")]
        assert [
            s["ProgressUpdateStreamName"] for s in mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
        ] == ["SMS"]
        traveller.shift(dt.timedelta(seconds=Delays().stream_deletion))
        assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []


def test_a_delay_of_zero_is_visible_to_the_very_next_call():
    with mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=0, stream_deletion=0)):
        mgh, _ = clients()
        setup_task(mgh)
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        assert len(discovered(mgh)) == 1
        mgh.delete_progress_update_stream(ProgressUpdateStreamName="SMS")
        assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []


def test_mapping_matches_a_seeded_server_and_a_newer_put_remaps_instead_of_merging():
    with mock_migrationhub(home_region=REGION) as hub:
        mgh, discovery = clients()
        by_mac = hub.add_server(hostname="legacy-db", mac_addresses=["00:50:56:aa:bb:cc"])
        setup_task(mgh)
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        mgh.put_resource_attributes(
            ProgressUpdateStream="SMS",
            MigrationTaskName="web-01",
            ResourceAttributeList=[{"Type": "MAC_ADDRESS", "Value": "00-50-56-AA-BB-CC"}],
        )
        hub.settle()
        assert discovered(mgh) == [by_mac]  # the superseded put never mapped
        assert [
            t["MigrationTaskName"] for t in mgh.list_migration_tasks(ResourceName=by_mac)["MigrationTaskSummaryList"]
        ] == ["web-01"]
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        hub.settle()
        [new_server] = discovered(mgh)  # re-mapped: the old auto-mapping was replaced
        assert new_server != by_mac
        assert mgh.list_migration_tasks(ResourceName=by_mac)["MigrationTaskSummaryList"] == []
        configs = discovery.describe_configurations(configurationIds=[new_server])["configurations"]
        assert configs[0]["server.hostName"] == "web-01.corp.example"


def test_a_remap_leaves_the_tools_own_association_of_the_same_server_alone():
    """Documented (auto-mapping.md): a re-mapping replaces the task's previous *automatic*
    association only.  Whether the tool associated the server before or after the
    auto-mapping chose it, the association is the tool's and stays."""
    with mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=0)) as hub:
        mgh, _ = clients()
        a = hub.add_server(ip_addresses=["10.0.0.1"])
        b = hub.add_server(ip_addresses=["10.0.0.2"])
        for task, before in (("before", True), ("after", False)):
            setup_task(mgh, task=task)
            own = {"ConfigurationId": a, "Description": "ours"}
            if before:
                mgh.associate_discovered_resource(
                    ProgressUpdateStream="SMS", MigrationTaskName=task, DiscoveredResource=own
                )
            mgh.put_resource_attributes(
                ProgressUpdateStream="SMS",
                MigrationTaskName=task,
                ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.0.0.1"}],
            )
            if not before:
                mgh.associate_discovered_resource(
                    ProgressUpdateStream="SMS", MigrationTaskName=task, DiscoveredResource=own
                )
            mgh.put_resource_attributes(
                ProgressUpdateStream="SMS",
                MigrationTaskName=task,
                ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.0.0.2"}],
            )
            listed = mgh.list_discovered_resources(ProgressUpdateStream="SMS", MigrationTaskName=task)
            assert listed["DiscoveredResourceList"] == [own, {"ConfigurationId": b}], task


def test_vm_attributes_without_a_vm_manager_id_are_not_used_for_matching():
    with mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=0)) as hub:
        mgh, _ = clients()
        vm = hub.add_server(vcenter_id="vc-1", moref_id="vm-42", vm_name="app")
        setup_task(mgh, task="a")
        setup_task(mgh, task="b")
        mgh.put_resource_attributes(
            ProgressUpdateStream="SMS",
            MigrationTaskName="a",
            ResourceAttributeList=[
                {"Type": "VM_MANAGER_ID", "Value": "vc-1"},
                {"Type": "VM_MANAGED_OBJECT_REFERENCE", "Value": "vm-42"},
            ],
        )
        mgh.put_resource_attributes(
            ProgressUpdateStream="SMS",
            MigrationTaskName="b",
            ResourceAttributeList=[{"Type": "VM_MANAGED_OBJECT_REFERENCE", "Value": "vm-42"}],
        )
        assert discovered(mgh, "a") == [vm]
        assert discovered(mgh, "b") not in ([vm], [])


# ---- documented invariants as properties --------------------------------------------------------

octet = st.integers(0, 255).map(str)
ipv4 = st.tuples(octet, octet, octet, octet).map(".".join)
mac = st.lists(st.sampled_from("0123456789abcdef"), min_size=12, max_size=12).map(
    lambda h: ":".join("".join(h[i : i + 2]) for i in range(0, 12, 2))
)
fqdn = st.from_regex(r"[a-z]{1,6}(\.[a-z]{1,6}){0,2}", fullmatch=True)
attribute = st.one_of(
    ipv4.map(lambda v: {"Type": "IPV4_ADDRESS", "Value": v}),
    mac.map(lambda v: {"Type": "MAC_ADDRESS", "Value": v}),
    fqdn.map(lambda v: {"Type": "FQDN", "Value": v}),
)
attribute_lists = st.lists(attribute, min_size=1, max_size=5)


@settings(max_examples=20)
@given(tasks=st.lists(attribute_lists, min_size=1, max_size=6), seeded=st.lists(ipv4, max_size=4))
def test_after_settle_every_task_with_attributes_is_mapped_to_exactly_one_existing_server(tasks, seeded):
    with mock_migrationhub(home_region=REGION) as hub:
        mgh, discovery = clients()
        for ip in seeded:
            hub.add_server(ip_addresses=[ip])
        mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
        for i, attrs in enumerate(tasks):
            mgh.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName=f"t{i}")
            mgh.put_resource_attributes(
                ProgressUpdateStream="SMS", MigrationTaskName=f"t{i}", ResourceAttributeList=attrs
            )
        hub.settle()
        servers = {s["configuration_id"] for s in hub.servers()}
        for i in range(len(tasks)):
            mapped = discovered(mgh, f"t{i}")
            assert len(mapped) == 1 and mapped[0] in servers
        ids = [
            c["server.configurationId"]
            for c in discovery.list_configurations(configurationType="SERVER")["configurations"]
        ]
        assert set(ids) == servers


@settings(max_examples=20)
@given(attrs=attribute_lists, data=st.data())
def test_mapping_is_stable_under_reordering_of_the_attribute_list(attrs, data):
    shuffled = data.draw(st.permutations(attrs))
    results = []
    for order in (attrs, shuffled):
        with mock_migrationhub(home_region=REGION, seed=7) as hub:
            mgh, _ = clients()
            for n in range(3):
                hub.add_server(
                    ip_addresses=[a["Value"] for a in attrs if a["Type"] == "IPV4_ADDRESS"][n : n + 1], hostname=f"h{n}"
                )
            setup_task(mgh)
            mgh.put_resource_attributes(
                ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=order
            )
            hub.settle()
            results.append(discovered(mgh))
    assert results[0] == results[1]


@settings(max_examples=15)
@given(n_tasks=st.integers(0, 5), with_attrs=st.booleans())
def test_after_deletion_completes_nothing_of_the_old_stream_remains(n_tasks, with_attrs):
    with mock_migrationhub(home_region=REGION) as hub:
        mgh, _ = clients()
        mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
        server = hub.add_server(hostname="keep")
        for i in range(n_tasks):
            mgh.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName=f"t{i}")
            notify(mgh, task=f"t{i}")
            mgh.associate_discovered_resource(
                ProgressUpdateStream="SMS", MigrationTaskName=f"t{i}", DiscoveredResource={"ConfigurationId": server}
            )
            if with_attrs:
                mgh.put_resource_attributes(
                    ProgressUpdateStream="SMS", MigrationTaskName=f"t{i}", ResourceAttributeList=ATTRS
                )
        mgh.delete_progress_update_stream(ProgressUpdateStreamName="SMS")
        hub.settle()
        assert mgh.list_migration_tasks()["MigrationTaskSummaryList"] == []
        assert mgh.list_migration_tasks(ResourceName=server)["MigrationTaskSummaryList"] == []
        assert hub.pending() == []
        mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
        assert mgh.list_migration_tasks()["MigrationTaskSummaryList"] == []


@settings(max_examples=15)
@given(delay=st.integers(1, 3600), elapsed=st.integers(0, 7200))
def test_with_frozen_time_nothing_pending_is_applied_before_its_due_time(delay, elapsed):
    with freeze_time(START) as frozen, mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=delay)):
        mgh, _ = clients()
        setup_task(mgh)
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        frozen.tick(dt.timedelta(seconds=elapsed))
        assert bool(discovered(mgh)) == (elapsed >= delay)


@pytest.mark.parametrize(
    ("fields", "error", "names"),
    [
        ({"auto_mapping": "5"}, TypeError, r"Delays\(auto_mapping='5'\).*int or float >= 0.*not str"),
        ({"auto_mapping": -5}, ValueError, r"Delays\(auto_mapping=-5\).*int or float >= 0"),
        ({"stream_deletion": math.nan}, ValueError, r"Delays\(stream_deletion=nan\)"),
        ({"stream_deletion": True}, TypeError, r"not bool"),
        (
            {"automapping": 0},
            TypeError,
            r"unknown field\(s\) 'automapping'; the fields are auto_mapping, stream_deletion",
        ),
    ],
)
def test_delays_are_checked_when_made_naming_what_is_accepted(fields, error, names):
    with pytest.raises(error, match=names):
        Delays(**fields)


def test_delays_take_ints_floats_and_infinity_which_waits_for_settle():
    assert Delays(5, 0.5) == Delays(auto_mapping=5.0, stream_deletion=0.5)
    with (
        freeze_time(START) as frozen,
        mock_migrationhub(home_region=REGION, delays=Delays(auto_mapping=math.inf)) as hub,
    ):
        mgh, _ = clients()
        setup_task(mgh)
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        frozen.tick(dt.timedelta(days=365))
        assert discovered(mgh) == [] and hub.pending() == [(math.inf, "auto-mapping")]
        assert hub.settle() == 1 and len(discovered(mgh)) == 1


def _mapped_and_deleted_then_ten_minutes_later(frozen, hub):
    """A task's attributes put and another stream deleted; then the clock moves on past both
    steps and no request follows: only the hub's own reads can apply them."""
    mgh, _ = clients()
    setup_task(mgh)
    setup_task(mgh, stream="Gone", task="old")
    mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
    mgh.delete_progress_update_stream(ProgressUpdateStreamName="Gone")
    assert len(hub.state.scheduler) == 2  # nothing applied yet (the hub's internals: no read here)
    frozen.tick(dt.timedelta(minutes=10))


READS = {
    "task": lambda hub: len(hub.task("SMS", "web-01")["discovered"]) == 1,
    "servers": lambda hub: [s["hostname"] for s in hub.servers()] == ["web-01.corp.example"],
    "tasks": lambda hub: hub.tasks() == [("SMS", "web-01")],
    "streams": lambda hub: hub.streams() == ["SMS"],
    "pending": lambda hub: hub.pending() == [],
    "console text": lambda hub: (
        "No servers in discovery." not in console.render_text(hub) and "Tool Gone" not in console.render_text(hub)
    ),
    "console html": lambda hub: "SMS/web-01" in console.render_html(hub),
}


@pytest.mark.parametrize("read", READS)
def test_every_read_of_the_hub_first_applies_the_steps_that_have_fallen_due(read):
    with freeze_time(START) as frozen, mock_migrationhub(home_region=REGION) as hub:
        _mapped_and_deleted_then_ten_minutes_later(frozen, hub)
        assert READS[read](hub)
        assert len(hub.state.scheduler) == 0


def test_pending_lists_only_steps_not_yet_due_and_the_console_applies_none_due_only_by_its_now():
    with freeze_time(START) as frozen, mock_migrationhub(home_region=REGION, delays=Delays(60, 1)) as hub:
        mgh, _ = clients()
        setup_task(mgh)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Gone")
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        mgh.delete_progress_update_stream(ProgressUpdateStreamName="Gone")
        frozen.tick(dt.timedelta(seconds=30))
        assert hub.pending() == [(START.timestamp() + 60, "auto-mapping")]  # the deletion, due, was applied
        # Rendering as of a later moment shows that moment's staleness, but applies nothing early.
        assert "No servers in discovery." in console.render_text(hub, now=START + dt.timedelta(hours=1))
        assert hub.pending() == [(START.timestamp() + 60, "auto-mapping")]


def test_a_server_added_after_a_mapping_fell_due_is_not_the_one_it_maps_to():
    with freeze_time(START) as frozen, mock_migrationhub(home_region=REGION) as hub:
        mgh, _ = clients()
        setup_task(mgh)
        mgh.put_resource_attributes(ProgressUpdateStream="SMS", MigrationTaskName="web-01", ResourceAttributeList=ATTRS)
        frozen.tick(dt.timedelta(minutes=10))
        late = hub.add_server(hostname="web-01.corp.example", ip_addresses=["10.0.0.7"])  # after the mapping ran
        [mapped] = discovered(mgh)
        assert mapped != late and [s["configuration_id"] for s in hub.servers()] == [mapped, late]
