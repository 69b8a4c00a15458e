"""The indexed listings and the indexed server match give exactly what the straightforward
versions give: the same pages, the same tokens' worth of progress, the same mapping choices.

Each reference here is the algorithm fakehub used before it was made linear (issue 13, item
12): sort every record for every page, sort a resource's tasks for every page, rank every
server that shares a key.  Mutations run between pages, so a cache or an index that went
stale would show."""

from __future__ import annotations

import random
from bisect import bisect_right
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub.core import discovery, mapping
from fakehub.core.context import Call
from fakehub.core.discovery import DiscoveryRepository, DiscoveryService
from fakehub.core.migrationhub import MigrationHubService
from fakehub.core.state import HubState

pytestmark = pytest.mark.slow  # a deeper run: `pytest -m slow` (CI runs it)

ACCOUNT = "111122223333"
T0 = 1477698240.0


def call(now: float = T0) -> Call:
    return Call(account=ACCOUNT, region="us-west-2", now=now)


# --- ADS ListConfigurations -----------------------------------------------------------------


def reference_page(
    repo: DiscoveryRepository,
    kind: str,
    filters: list[dict[str, Any]],
    order_by: list[dict[str, Any]],
    after: list[Any] | None,
    size: int,
) -> tuple[list[str], list[Any] | None]:
    """Sort every kept record, then bisect after the cursor: the straightforward page."""
    query = discovery._build_query(kind, filters, order_by)
    records = repo.servers() if kind == "SERVER" else repo.applications()
    keyed = sorted(
        (query.comparable(raw), raw, record)
        for record in records
        if query.keeps(repo, record)
        for raw in [query.raw_key(repo, record)]
    )
    start = 0 if after is None else bisect_right(keyed, query.comparable(after), key=lambda item: item[0])
    page = keyed[start : start + size]
    more = start + size < len(keyed)
    return [record.configuration_id for _, _, record in page], (page[-1][1] if more else None)


HOSTS = st.one_of(st.none(), st.sampled_from(["a", "b", "web-1", "web-2", "db"]))
OS = st.one_of(st.none(), st.sampled_from(["Linux", "Ubuntu", "Windows"]))
IPS = st.lists(st.sampled_from(["10.0.0.1", "10.0.0.2", "10.0.0.3"]), max_size=2, unique=True)
SERVER = st.tuples(HOSTS, OS, OS, IPS)
APP_NAME = st.sampled_from(["shop", "crm", "x", ""])
APP_DESCRIPTION = st.one_of(st.none(), st.sampled_from(["", "d1", "d2"]))
CONDITION = st.sampled_from(["EQUALS", "NOT_EQUALS", "CONTAINS", "NOT_CONTAINS"])
FILTER_VALUES = st.lists(st.sampled_from(["a", "web", "Linux", "10.0.0.1", "shop", "x", "d1"]), min_size=1, max_size=2)
SERVER_FILTER_NAMES = [
    "server.hostName",
    "server.osName",
    "server.networkInterfaceInfo.ipAddress",
    "server.application.name",
    "server.agentId",
]
APPLICATION_FILTER_NAMES = ["application.name", "application.description"]
SERVER_ORDER = ["server.hostName", "server.osName", "server.osVersion"]
APPLICATION_ORDER = [
    "application.name",
    "application.description",
    "application.serverCount",
    "application.timeOfCreation",
    "application.lastModifiedTime",
]
MUTATION = st.one_of(
    st.tuples(st.just("add_server"), SERVER),
    st.tuples(st.just("create_application"), APP_NAME),
    st.tuples(st.just("rename"), st.integers(0, 50), APP_NAME),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("associate"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("disassociate"), st.integers(0, 50), st.integers(0, 50)),
)


def add_server(repo: DiscoveryRepository, fields: tuple[Any, ...], now: float) -> str:
    hostname, os_name, os_version, ips = fields
    return repo.add_server(hostname=hostname, os_name=os_name, os_version=os_version, ip_addresses=ips, now=now)


def mutate(repo: DiscoveryRepository, service: DiscoveryService, step: tuple[Any, ...], now: float) -> None:
    """One change a tool or an agent could make between two pages."""
    apps = [a.configuration_id for a in repo.applications()]
    servers = [s.configuration_id for s in repo.servers()]
    kind = step[0]
    if kind == "add_server":
        add_server(repo, step[1], now)
    elif kind == "create_application":
        service.create_application(call(now), name=step[1])
    elif apps and kind == "rename":
        service.update_application(call(now), configurationId=apps[step[1] % len(apps)], name=step[2])
    elif apps and kind == "delete":
        service.delete_applications(call(now), configurationIds=[apps[step[1] % len(apps)]])
    elif apps and servers and kind in ("associate", "disassociate"):
        operation = getattr(
            service,
            "associate_configuration_items_to_application"
            if kind == "associate"
            else "disassociate_configuration_items_from_application",
        )
        operation(
            call(now),
            applicationConfigurationId=apps[step[1] % len(apps)],
            configurationIds=[servers[step[2] % len(servers)]],
        )


@given(
    kind=st.sampled_from(["SERVER", "APPLICATION"]),
    servers=st.lists(SERVER, max_size=20),
    apps=st.lists(st.tuples(APP_NAME, APP_DESCRIPTION), max_size=8),
    members=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=12),
    filter_picks=st.lists(st.tuples(st.integers(0, 10), CONDITION, FILTER_VALUES), max_size=2),
    order_picks=st.lists(st.tuples(st.integers(0, 10), st.sampled_from(["ASC", "DESC"])), max_size=2),
    size=st.integers(1, 6),
    mutations=st.lists(MUTATION, max_size=8),
)
@settings(max_examples=150, deadline=None)
def test_list_configurations_pages_are_those_of_sorting_everything_each_page(
    kind, servers, apps, members, filter_picks, order_picks, size, mutations
) -> None:
    repo = DiscoveryRepository(random.Random(0))
    service = DiscoveryService(lambda account: repo)
    server_ids = [add_server(repo, fields, T0 + i % 3) for i, fields in enumerate(servers)]
    app_ids = [
        service.create_application(call(T0 + i % 2), name=name, description=description)["configurationId"]
        for i, (name, description) in enumerate(apps)
    ]
    for app, server in members:
        if app_ids and server_ids:
            service.associate_configuration_items_to_application(
                call(),
                applicationConfigurationId=app_ids[app % len(app_ids)],
                configurationIds=[server_ids[server % len(server_ids)]],
            )
    filter_names = SERVER_FILTER_NAMES if kind == "SERVER" else APPLICATION_FILTER_NAMES
    order_names = SERVER_ORDER if kind == "SERVER" else APPLICATION_ORDER
    filters = [
        {"name": filter_names[i % len(filter_names)], "condition": condition, "values": values}
        for i, condition, values in filter_picks
    ]
    order_by = list(
        {
            order_names[i % len(order_names)]: {"fieldName": order_names[i % len(order_names)], "sortOrder": direction}
            for i, direction in order_picks
        }.values()
    )
    page_through(repo, service, kind, filters, order_by, size, mutations)


def page_through(
    repo: DiscoveryRepository,
    service: DiscoveryService,
    kind: str,
    filters: list[dict[str, Any]],
    order_by: list[dict[str, Any]],
    size: int,
    mutations: list[tuple[Any, ...]],
) -> None:
    """Page to the end, checking each page against the reference and making one of
    ``mutations`` between pages."""
    pending = list(mutations)
    token: str | None = None
    cursor: list[Any] | None = None
    now = T0 + 10
    while True:
        request: dict[str, Any] = {
            "configurationType": kind,
            "maxResults": size,
            "filters": filters,
            "orderBy": order_by,
        }
        if token:
            request["nextToken"] = token
        answer = service.list_configurations(call(now), **request)
        expected, cursor = reference_page(repo, kind, filters, order_by, cursor, size)
        got = [record[f"{kind.lower()}.configurationId"] for record in answer["configurations"]]
        assert got == expected
        token = answer.get("nextToken")
        assert (token is None) == (cursor is None)
        if token is None:
            break
        if pending:
            now += 1
            mutate(repo, service, pending.pop(), now)


@given(
    apps=st.lists(st.tuples(APP_NAME, APP_DESCRIPTION), min_size=3, max_size=10),
    members=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50)), max_size=8),
    field=st.sampled_from(APPLICATION_ORDER),
    direction=st.sampled_from(["ASC", "DESC"]),
    size=st.integers(1, 3),
    mutations=st.lists(MUTATION.filter(lambda step: step[0] != "add_server"), min_size=3, max_size=10),
)
@settings(max_examples=150, deadline=None)
def test_sorted_application_pages_follow_every_change_between_pages(
    apps, members, field, direction, size, mutations
) -> None:
    """Renames, memberships (serverCount, lastModifiedTime) and deletes between the pages
    of a sorted listing: a sorted listing kept from before a change would show here."""
    repo = DiscoveryRepository(random.Random(0))
    service = DiscoveryService(lambda account: repo)
    servers = [repo.add_server(hostname=f"s{i}", now=T0) for i in range(3)]
    app_ids = [
        service.create_application(call(T0 + i % 2), name=name, description=description)["configurationId"]
        for i, (name, description) in enumerate(apps)
    ]
    for app, server in members:
        service.associate_configuration_items_to_application(
            call(), applicationConfigurationId=app_ids[app % len(app_ids)], configurationIds=[servers[server % 3]]
        )
    order_by = [{"fieldName": field, "sortOrder": direction}]
    page_through(repo, service, "APPLICATION", [], order_by, size, mutations)


@given(
    servers=st.lists(SERVER, min_size=3, max_size=12),
    apps=st.lists(APP_NAME, min_size=1, max_size=3),
    field=st.sampled_from(SERVER_ORDER),
    direction=st.sampled_from(["ASC", "DESC"]),
    size=st.integers(1, 3),
    mutations=st.lists(MUTATION, min_size=3, max_size=10),
)
@settings(max_examples=150, deadline=None)
def test_sorted_server_pages_filtered_by_application_follow_every_change(
    servers, apps, field, direction, size, mutations
) -> None:
    """A sorted server listing filtered on its applications' names: memberships, renames
    and new servers between pages change what it keeps."""
    repo = DiscoveryRepository(random.Random(0))
    service = DiscoveryService(lambda account: repo)
    for fields in servers:
        add_server(repo, fields, T0)
    for name in apps:
        service.create_application(call(), name=name)
    filters = [{"name": "server.application.name", "condition": "NOT_EQUALS", "values": ["shop"]}]
    order_by = [{"fieldName": field, "sortOrder": direction}]
    page_through(repo, service, "SERVER", filters, order_by, size, mutations)


# --- ListMigrationTasks by ResourceName -------------------------------------------------------


def reference_tasks_of_resource(
    hub: HubState, resource: str, after: tuple[str, str] | None, limit: int
) -> tuple[list[tuple[str, str]], bool]:
    """Every task whose discovered resources hold ``resource``, sorted, after the cursor."""
    account = hub.account(ACCOUNT)
    keys = sorted(
        task.key for task in account.tasks.values() if task.discovered is not None and resource in task.discovered
    )
    rest = [key for key in keys if after is None or key > after]
    return rest[:limit], len(rest) > limit


TASK_STEP = st.one_of(
    st.tuples(st.just("import"), st.sampled_from(["A", "B"]), st.integers(0, 30)),
    st.tuples(st.just("associate"), st.integers(0, 60), st.integers(0, 3)),
    st.tuples(st.just("disassociate"), st.integers(0, 60), st.integers(0, 3)),
    st.tuples(st.just("delete_stream"), st.sampled_from(["A", "B"])),
)


def apply_task_step(mgh: MigrationHubService, hub: HubState, resources: list[str], step: tuple[Any, ...]) -> None:
    account = hub.account(ACCOUNT)
    if step[0] == "import":
        mgh.import_migration_task(call(), ProgressUpdateStream=step[1], MigrationTaskName=f"t{step[2]:02d}")
        return
    if step[0] == "delete_stream":  # its tasks and their associations go; the stream is made anew
        mgh.delete_progress_update_stream(call(), ProgressUpdateStreamName=step[1])
        hub.scheduler.settle(T0)
        mgh.create_progress_update_stream(call(), ProgressUpdateStreamName=step[1])
        return
    tasks = [task.key for task in account.tasks.values()]
    if not tasks:
        return
    stream, name = tasks[step[1] % len(tasks)]
    resource = resources[step[2] % len(resources)]
    if step[0] == "associate":
        mgh.associate_discovered_resource(
            call(),
            ProgressUpdateStream=stream,
            MigrationTaskName=name,
            DiscoveredResource={"ConfigurationId": resource},
        )
    elif account.tasks.get((stream, name)).discovered and resource in account.tasks.get((stream, name)).discovered:  # type: ignore[union-attr,operator]
        mgh.disassociate_discovered_resource(
            call(), ProgressUpdateStream=stream, MigrationTaskName=name, ConfigurationId=resource
        )


@given(
    setup=st.lists(TASK_STEP, max_size=60),
    between=st.lists(TASK_STEP, max_size=10),
    resource_pick=st.integers(0, 3),
    limit=st.integers(1, 7),
)
@settings(max_examples=150, deadline=None)
def test_tasks_by_resource_pages_are_those_of_sorting_its_tasks_each_page(setup, between, resource_pick, limit) -> None:
    hub = HubState(home_region="us-west-2")
    mgh = MigrationHubService(hub)
    repo = hub.account(ACCOUNT).discovery
    resources = [repo.add_server(hostname=f"s{i}", now=T0) for i in range(4)]
    for stream in ("A", "B"):
        mgh.create_progress_update_stream(call(), ProgressUpdateStreamName=stream)
    for step in setup:
        apply_task_step(mgh, hub, resources, step)
    resource = resources[resource_pick]
    pending = list(between)
    token: str | None = None
    cursor: tuple[str, str] | None = None
    while True:
        answer = mgh.list_migration_tasks(
            call(), MaxResults=limit, ResourceName=resource, **({"NextToken": token} if token else {})
        )
        got = [(t["ProgressUpdateStream"], t["MigrationTaskName"]) for t in answer["MigrationTaskSummaryList"]]
        expected, more = reference_tasks_of_resource(hub, resource, cursor, limit)
        assert got == expected
        token = answer.get("NextToken")
        assert (token is not None) == more
        if token is None:
            break
        cursor = got[-1]
        if pending:
            apply_task_step(mgh, hub, resources, pending.pop())


# --- auto-mapping's choice of server -------------------------------------------------------------


def reference_find_server(repo: DiscoveryRepository, attributes: list[tuple[str, str]]) -> str | None:
    """Rank every server of the repository; the best rank wins."""
    wanted = mapping.attribute_keys(attributes)
    ranked = []
    for server in repo.servers():
        fit = mapping.rank(wanted, server.match_keys(), server.seq)
        if fit is not None:
            ranked.append((fit, server.configuration_id))
    return min(ranked)[1] if ranked else None


HOST_POOL = ["web.corp", "web.other", "db.corp", "WEB.corp.", "app"]
IP_POOL = ["10.0.0.1", "10.0.0.2", "010.0.0.1", "::1"]
MAC_POOL = ["0A:1B:2C:3D:4E:5F", "0a-1b-2c-3d-4e-5f", "00:00:00:00:00:01"]
MAPPED_SERVER = st.fixed_dictionaries(
    {
        "hostname": st.one_of(st.none(), st.sampled_from(HOST_POOL)),
        "ip_addresses": st.lists(st.sampled_from(IP_POOL), max_size=2, unique=True),
        "mac_addresses": st.lists(st.sampled_from(MAC_POOL), max_size=1),
        "vcenter_id": st.one_of(st.none(), st.sampled_from(["vc1", "vc2"])),
        "moref_id": st.one_of(st.none(), st.sampled_from(["vm-1", "vm-2"])),
        "bios_id": st.one_of(st.none(), st.sampled_from(["u-1", "U-1", "u-2"])),
    }
)
ATTRIBUTE = st.one_of(
    st.tuples(st.just(mapping.FQDN), st.sampled_from(HOST_POOL)),
    st.tuples(st.just(mapping.IPV4_ADDRESS), st.sampled_from(IP_POOL[:3])),
    st.tuples(st.just(mapping.IPV6_ADDRESS), st.just("::1")),
    st.tuples(st.just(mapping.MAC_ADDRESS), st.sampled_from(MAC_POOL)),
    st.tuples(st.just(mapping.VM_MANAGER_ID), st.sampled_from(["vc1", "vc2"])),
    st.tuples(st.just(mapping.VM_MANAGED_OBJECT_REFERENCE), st.sampled_from(["vm-1", "vm-2"])),
    st.tuples(st.just(mapping.BIOS_ID), st.sampled_from(["u-1", "u-2"])),
)


@given(
    servers=st.lists(MAPPED_SERVER, max_size=25),
    lists=st.lists(st.lists(ATTRIBUTE, min_size=1, max_size=5), min_size=1, max_size=8),
)
@settings(max_examples=200, deadline=None)
def test_the_indexed_match_chooses_the_server_ranking_every_server_chooses(servers, lists) -> None:
    repo = DiscoveryRepository(random.Random(0))
    for fields in servers:
        repo.add_server(**fields, now=T0)
    for attributes in lists:
        assert repo.find_server(attributes) == reference_find_server(repo, attributes)
        repo.match_or_create_server(attributes, T0)  # the repository grows as auto-mapping makes it grow
