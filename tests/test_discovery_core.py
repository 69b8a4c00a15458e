"""The ADS repository and service, driven directly (no botocore client)."""

from __future__ import annotations

import base64
import random
import re

import botocore.session
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub.core import mapping
from fakehub.core.context import Call
from fakehub.core.discovery import (
    MAX_APPLICATIONS,
    MAX_SERVERS_PER_APPLICATION,
    DiscoveryRepository,
    DiscoveryService,
    ads_timestamp,
)
from fakehub.core.errors import ServiceError

ACCOUNT = "111122223333"
OTHER_ACCOUNT = "444455556666"
T0 = 1477698240.0  # 2016-10-28 23:44:00 UTC, the CLI sample's timeOfCreation
SERVER_ID = re.compile(r"d-server-0[0-9a-z]{13}")
APPLICATION_ID = re.compile(r"d-application-0[0-9a-z]{13}")
ADS_MODEL = botocore.session.get_session().get_service_model("discovery")


def make(seed: int = 0) -> tuple[DiscoveryRepository, DiscoveryService]:
    repo = DiscoveryRepository(random.Random(seed))
    return repo, DiscoveryService(lambda account: repo)


def call(now: float = T0, account: str = ACCOUNT) -> Call:
    return Call(account=account, region="us-west-2", now=now)


def error_code(excinfo: pytest.ExceptionInfo[ServiceError]) -> str:
    return excinfo.value.code


def assert_output_members(operation: str, result: dict) -> None:
    """Keys are exactly the model's output members (lowerCamel), nothing invented."""
    output = ADS_MODEL.operation_model(operation).output_shape
    assert set(result) <= set(output.members)


# --- ids ---------------------------------------------------------------------------------


@given(st.integers(0, 2**32))
@settings(max_examples=30)
def test_ids_have_the_new_format_and_repeat_under_a_seed(seed: int) -> None:
    def ids() -> list[str]:
        repo, service = make(seed)
        servers = [repo.add_server(now=T0) for _ in range(3)]
        apps = [service.create_application(call(), name=f"a{i}")["configurationId"] for i in range(3)]
        return servers + apps

    first = ids()
    assert first == ids()
    assert all(SERVER_ID.fullmatch(i) for i in first[:3])
    assert all(APPLICATION_ID.fullmatch(i) for i in first[3:])
    assert len(set(first)) == 6


# --- auto-mapping over the repository ------------------------------------------------------------

KINDS = ["ip", "mac", "fqdn", "vm", "bios"]


def seed_servers(repo: DiscoveryRepository, count: int) -> list[str]:
    """Servers whose every key is unique to them, except short host names (host0..host2)."""
    return [
        repo.add_server(
            hostname=f"host{i % 3}.site{i}.example.com",
            ip_addresses=[f"10.0.{i // 256}.{i % 256}"],
            mac_addresses=[f"02:00:00:00:{i // 256:02X}:{i % 256:02X}"],
            vcenter_id="vc-1",
            moref_id=f"vm-{i}",
            bios_id=f"{i:08x}-0000-0000-0000-000000000000",
            now=T0 + i,
        )
        for i in range(count)
    ]


def attributes_for(i: int, kind: str) -> list[tuple[str, str]]:
    """Attributes carrying exactly one key of server i, spelled differently from the seed."""
    return {
        "ip": [(mapping.IPV4_ADDRESS, f"10.0.{i // 256}.{i % 256:03d}")],
        "mac": [(mapping.MAC_ADDRESS, f"02-00-00-00-{i // 256:02x}-{i % 256:02x}")],
        "fqdn": [(mapping.FQDN, f"HOST{i % 3}.Site{i}.example.com.")],
        "vm": [
            (mapping.VM_MANAGER_ID, "vc-1"),
            (mapping.VM_MANAGED_OBJECT_REFERENCE, f"vm-{i}"),
            (mapping.VM_NAME, "ignored"),
        ],
        "bios": [(mapping.BIOS_ID, f"{i:08X}-0000-0000-0000-000000000000")],
    }[kind]


NOISE = st.lists(
    st.tuples(
        st.sampled_from(
            [
                mapping.IPV4_ADDRESS,
                mapping.MAC_ADDRESS,
                mapping.MOTHERBOARD_SERIAL_NUMBER,
                mapping.VM_NAME,
                mapping.VM_PATH,
            ]
        ),
        st.sampled_from(["192.168.9.9", "0E:0E:0E:0E:0E:0E", "serial-1", "name", "/path"]),
    ),
    max_size=4,
)


@given(st.integers(1, 20), st.data())
@settings(max_examples=60)
def test_a_server_seeded_with_a_key_is_matched_by_attributes_carrying_it(count: int, data) -> None:
    repo, _ = make()
    ids = seed_servers(repo, count)
    i = data.draw(st.integers(0, count - 1))
    kinds = data.draw(st.lists(st.sampled_from(KINDS), min_size=1, unique=True))
    attrs = [a for kind in kinds for a in attributes_for(i, kind)] + data.draw(NOISE)
    assert repo.match_or_create_server(attrs, now=T0) == ids[i]
    assert sum(1 for _ in repo.servers()) == count


ANY_ATTRIBUTE = st.tuples(
    st.sampled_from(
        [
            mapping.IPV4_ADDRESS,
            mapping.MAC_ADDRESS,
            mapping.FQDN,
            mapping.VM_MANAGER_ID,
            mapping.VM_MANAGED_OBJECT_REFERENCE,
            mapping.BIOS_ID,
            mapping.VM_NAME,
        ]
    ),
    st.sampled_from(
        [
            "10.0.0.1",
            "10.0.0.2",
            "02:00:00:00:00:01",
            "02:00:00:00:00:02",
            "host1.site1.example.com",
            "host2.other",
            "vc-1",
            "vm-1",
            "vm-2",
            "00000001-0000-0000-0000-000000000000",
        ]
    ),
)


@given(st.integers(0, 6), st.lists(ANY_ATTRIBUTE, max_size=8), st.randoms(use_true_random=False))
@settings(max_examples=100)
def test_matching_ignores_attribute_order_and_yields_exactly_one_server(count, attrs, rnd) -> None:
    shuffled = list(attrs)
    rnd.shuffle(shuffled)
    repo_a, _ = make(seed=7)
    repo_b, _ = make(seed=7)
    seed_servers(repo_a, count)
    seed_servers(repo_b, count)
    got_a = repo_a.match_or_create_server(attrs, now=T0)
    got_b = repo_b.match_or_create_server(shuffled, now=T0)
    assert got_a == got_b
    assert repo_a.server_exists(got_a)
    assert repo_a.server(got_a) == repo_b.server(got_b)
    if mapping.attribute_keys(attrs):  # a keyless list can never match, so it adds a server each time
        assert repo_a.match_or_create_server(shuffled, now=T0 + 1) == got_a


def test_stronger_key_beats_weaker_keys_and_oldest_wins_a_tie() -> None:
    repo, _ = make()
    by_ip = repo.add_server(ip_addresses=["10.0.0.1", "10.0.0.2"], now=T0)
    by_mac = repo.add_server(mac_addresses=["02:00:00:00:00:01"], now=T0)
    twin_old = repo.add_server(ip_addresses=["10.9.9.9"], now=T0)
    repo.add_server(ip_addresses=["10.9.9.9"], now=T0)
    attrs = [
        (mapping.IPV4_ADDRESS, "10.0.0.1"),
        (mapping.IPV4_ADDRESS, "10.0.0.2"),
        (mapping.MAC_ADDRESS, "02:00:00:00:00:01"),
    ]
    assert repo.match_or_create_server(attrs, now=T0) == by_mac
    assert repo.match_or_create_server(attrs[:2], now=T0) == by_ip
    assert repo.match_or_create_server([(mapping.IPV4_ADDRESS, "10.9.9.9")], now=T0) == twin_old


def test_short_host_name_matches_only_when_nothing_stronger_does() -> None:
    repo, _ = make()
    agent = repo.add_server(hostname="ip-172-31-35-152", now=T0)
    assert repo.match_or_create_server([(mapping.FQDN, "ip-172-31-35-152.ec2.internal")], now=T0) == agent
    by_ip = repo.add_server(ip_addresses=["172.31.35.152"], now=T0)
    attrs = [(mapping.FQDN, "ip-172-31-35-152.ec2.internal"), (mapping.IPV4_ADDRESS, "172.31.35.152")]
    assert repo.match_or_create_server(attrs, now=T0) == by_ip


def test_unmatched_attributes_create_a_server_from_what_they_say() -> None:
    repo, service = make()
    attrs = [
        (mapping.FQDN, "new.example.com"),
        (mapping.IPV4_ADDRESS, "192.168.0.010"),
        (mapping.MAC_ADDRESS, "aa-bb-cc-dd-ee-ff"),
        (mapping.VM_MANAGER_ID, "vc-9"),
        (mapping.VM_MANAGED_OBJECT_REFERENCE, "vm-7"),
        (mapping.VM_NAME, "new"),
        (mapping.BIOS_ID, "b-1"),
        (mapping.MOTHERBOARD_SERIAL_NUMBER, "mb"),
    ]
    cid = repo.match_or_create_server(attrs, now=T0 + 0.25)
    server = repo.server(cid)
    assert (server.hostname, server.ip_addresses, server.mac_addresses) == (
        "new.example.com",
        ("192.168.0.10",),
        ("AA:BB:CC:DD:EE:FF",),
    )
    assert (server.vcenter_id, server.moref_id, server.vm_name, server.bios_id) == ("vc-9", "vm-7", "new", "b-1")
    [record] = service.list_configurations(call(), configurationType="SERVER")["configurations"]
    assert record == {
        "server.configurationId": cid,
        "server.hostName": "new.example.com",
        "server.timeOfCreation": "2016-10-28 23:44:00.25",
    }


# --- applications --------------------------------------------------------------------------


def test_application_lifecycle_and_membership_queries() -> None:
    repo, service = make()
    s1, s2 = repo.add_server(hostname="a", now=T0), repo.add_server(hostname="b", now=T0)
    created = service.create_application(call(), name="Billing", description="desc", wave="w1")
    assert_output_members("CreateApplication", created)
    app = created["configurationId"]
    assert repo.application_exists(app)
    assert (
        service.associate_configuration_items_to_application(
            call(T0 + 5), applicationConfigurationId=app, configurationIds=[s1, s2, s1]
        )
        == {}
    )
    assert repo.applications_of_server(s1) == (app,)
    assert service.update_application(call(T0 + 7), configurationId=app, name="Billing2") == {}
    [record] = service.describe_configurations(call(), configurationIds=[app])["configurations"]
    assert record == {
        "application.configurationId": app,
        "application.name": "Billing2",
        "application.description": "desc",
        "application.serverCount": "2",
        "application.timeOfCreation": "2016-10-28 23:44:00.0",
        "application.lastModifiedTime": "2016-10-28 23:44:07.0",
        "application.wave": "w1",
    }
    service.disassociate_configuration_items_from_application(
        call(), applicationConfigurationId=app, configurationIds=[s1]
    )
    assert repo.members(app) == (s2,)
    assert service.delete_applications(call(), configurationIds=[app]) == {}
    assert not repo.application_exists(app)
    assert repo.applications_of_server(s2) == ()


def test_unknown_ids_are_invalid_parameter_values() -> None:
    repo, service = make()
    server = repo.add_server(now=T0)
    app = service.create_application(call(), name="a")["configurationId"]
    attempts = [
        lambda: service.update_application(call(), configurationId="d-application-0nope"),
        lambda: service.delete_applications(call(), configurationIds=[app, "d-application-0nope"]),
        lambda: service.associate_configuration_items_to_application(
            call(), applicationConfigurationId="d-application-0nope", configurationIds=[server]
        ),
        lambda: service.associate_configuration_items_to_application(
            call(), applicationConfigurationId=app, configurationIds=["d-server-0nope"]
        ),
        lambda: service.describe_configurations(call(), configurationIds=[server, "d-server-0nope"]),
        lambda: service.describe_configurations(call(), configurationIds=[server, app]),
    ]
    for attempt in attempts:
        with pytest.raises(ServiceError) as excinfo:
            attempt()
        assert error_code(excinfo) == "InvalidParameterValueException"
        assert error_code(excinfo) in {e.name for e in ADS_MODEL.operation_model("DescribeConfigurations").error_shapes}
    assert repo.application_exists(app)  # the failed batch delete removed nothing


def test_account_and_application_limits() -> None:
    repo, service = make()
    for i in range(MAX_APPLICATIONS):
        service.create_application(call(), name=f"app{i}")
    with pytest.raises(ServiceError) as excinfo:
        service.create_application(call(), name="one too many")
    assert error_code(excinfo) == "InvalidParameterValueException"

    app = next(repo.applications()).configuration_id
    servers = [repo.add_server(now=T0) for _ in range(MAX_SERVERS_PER_APPLICATION + 1)]
    service.associate_configuration_items_to_application(
        call(), applicationConfigurationId=app, configurationIds=servers[:-1]
    )
    with pytest.raises(ServiceError):
        service.associate_configuration_items_to_application(
            call(), applicationConfigurationId=app, configurationIds=servers[-1:]
        )
    assert len(repo.members(app)) == MAX_SERVERS_PER_APPLICATION


def test_describe_server_shows_the_sample_fields() -> None:
    repo, service = make()
    server = repo.add_server(
        hostname="ip-172-31-35-152",
        ip_addresses=["172.31.35.152"],
        mac_addresses=["06:A7:7D:3F:54:57"],
        os_name="Linux",
        os_version="3.14",
        now=T0,
    )
    result = service.describe_configurations(call(), configurationIds=[server])
    assert_output_members("DescribeConfigurations", result)
    [record] = result["configurations"]
    assert record["server.configurationId"] == server
    assert record["server.timeOfCreation"] == "2016-10-28 23:44:00.0"
    assert record["server.networkInterfaceInfo"] == (
        '[{"ipAddress":"172.31.35.152"},{"macAddress":"06:A7:7D:3F:54:57"}]'
    )
    assert record["server.applications"] == "[]" and record["server.tags"] == "[]"
    assert all(isinstance(v, str) for v in record.values())


def test_timestamps_print_like_java_timestamps() -> None:
    assert ads_timestamp(T0) == "2016-10-28 23:44:00.0"
    assert ads_timestamp(T0 + 30.5) == "2016-10-28 23:44:30.5"
    assert ads_timestamp(T0 + 0.123) == "2016-10-28 23:44:00.123"


def test_discovery_summary_counts_and_shape() -> None:
    repo, service = make()
    s1 = repo.add_server(now=T0)
    repo.add_server(now=T0)
    app = service.create_application(call(), name="a")["configurationId"]
    service.associate_configuration_items_to_application(call(), applicationConfigurationId=app, configurationIds=[s1])
    summary = service.get_discovery_summary(call())
    output = ADS_MODEL.operation_model("GetDiscoverySummary").output_shape
    assert set(summary) == set(output.members)
    for name, shape in output.members.items():
        if shape.type_name == "structure":
            assert set(summary[name]) == set(shape.members)
    assert (summary["servers"], summary["applications"], summary["serversMappedToApplications"]) == (2, 1, 1)


# --- ListConfigurations ------------------------------------------------------------------------


def names(result: dict, field: str = "application.name") -> list[str]:
    return [record[field] for record in result["configurations"]]


def test_filters_and_within_or_across_values() -> None:
    repo, service = make()
    web = repo.add_server(hostname="ip-172-31-35-152", os_name="Linux - Amazon Linux", now=T0)
    repo.add_server(hostname="ip-172-31-42-208", os_name="Ubuntu", now=T0)
    repo.add_server(hostname="db", os_name="Linux", now=T0)
    result = service.list_configurations(
        call(),
        configurationType="SERVER",
        filters=[
            {"name": "server.hostName", "values": ["172-31-35", "172-31-42"], "condition": "CONTAINS"},
            {"name": "server.osName", "values": ["Ubuntu"], "condition": "NOT_CONTAINS"},
        ],
    )
    assert_output_members("ListConfigurations", result)
    assert names(result, "server.configurationId") == [web]
    app = service.create_application(call(), name="Shop")["configurationId"]
    service.create_application(call(), name="Other")
    service.associate_configuration_items_to_application(call(), applicationConfigurationId=app, configurationIds=[web])
    by_member = service.list_configurations(
        call(),
        configurationType="APPLICATION",
        filters=[{"name": "server.configurationId", "values": [web], "condition": "EQUALS"}],
    )
    assert names(by_member) == ["Shop"]
    not_shop = service.list_configurations(
        call(),
        configurationType="APPLICATION",
        filters=[{"name": "application.name", "values": ["Shop"], "condition": "NOT_EQUALS"}],
    )
    assert names(not_shop) == ["Other"]
    in_shop = service.list_configurations(
        call(),
        configurationType="SERVER",
        filters=[{"name": "server.application.name", "values": ["Shop"], "condition": "EQUALS"}],
    )
    assert names(in_shop, "server.configurationId") == [web]


# The server rows of "Supported filters for ListConfigurations", ADS user guide,
# discovery-api-queries (awsdocs/amazon-application-discovery-user-guide,
# doc_source/discovery-api-queries.md).
GUIDE_SERVER_FILTERS = (
    "server.configurationId",
    "server.hostName",
    "server.osName",
    "server.osVersion",
    "server.agentId",
    "server.connectorId",
    "server.type",
    "server.vmWareInfo.morefId",
    "server.vmWareInfo.vcenterId",
    "server.vmWareInfo.hostId",
    "server.networkInterfaceInfo.portGroupId",
    "server.networkInterfaceInfo.portGroupName",
    "server.networkInterfaceInfo.virtualSwitchName",
    "server.networkInterfaceInfo.ipAddress",
    "server.networkInterfaceInfo.macAddress",
    "server.performance.avgCpuUsagePct",
    "server.performance.totalDiskFreeSizeInKB",
    "server.performance.avgFreeRAMInKB",
    "server.tag.value",
    "server.tag.key",
    "server.application.name",
    "server.application.description",
    "server.application.configurationId",
    "server.process.configurationId",
    "server.process.name",
    "server.process.commandLine",
)
HELD_BY_NO_SERVER = (
    "server.agentId",
    "server.connectorId",
    "server.type",
    "server.vmWareInfo.hostId",
    "server.networkInterfaceInfo.portGroupId",
    "server.networkInterfaceInfo.portGroupName",
    "server.networkInterfaceInfo.virtualSwitchName",
    "server.performance.avgCpuUsagePct",
    "server.performance.totalDiskFreeSizeInKB",
    "server.performance.avgFreeRAMInKB",
    "server.tag.value",
    "server.tag.key",
    "server.process.configurationId",
    "server.process.name",
    "server.process.commandLine",
)
GUIDE_APPLICATION_FILTERS = (
    "application.configurationId",
    "application.name",
    "application.description",
    "server.configurationId",
)


@pytest.mark.parametrize("name", GUIDE_SERVER_FILTERS)
@pytest.mark.parametrize("condition", ["EQUALS", "NOT_EQUALS", "CONTAINS", "NOT_CONTAINS"])
def test_every_server_filter_of_the_guide_is_accepted(name: str, condition: str) -> None:
    repo, service = make()
    repo.add_server(hostname="web-01", ip_addresses=["10.0.0.1"], now=T0)
    result = service.list_configurations(
        call(), configurationType="SERVER", filters=[{"name": name, "values": ["x"], "condition": condition}]
    )
    assert isinstance(result["configurations"], list)


@pytest.mark.parametrize("name", HELD_BY_NO_SERVER)
def test_a_filter_on_data_no_server_holds_matches_as_an_empty_field(name: str) -> None:
    """fakehub holds no agents, connectors, tags, processes or performance data: nothing
    equals or contains a value, and the NOT_ forms (the negation) keep every server, as
    they do for a server without a host name."""
    repo, service = make()
    servers = [repo.add_server(hostname=f"web-{i}", now=T0) for i in range(3)]

    def listed(condition: str) -> list[str]:
        result = service.list_configurations(
            call(), configurationType="SERVER", filters=[{"name": name, "values": ["web"], "condition": condition}]
        )
        return names(result, "server.configurationId")

    assert listed("EQUALS") == [] and listed("CONTAINS") == []
    assert listed("NOT_EQUALS") == servers and listed("NOT_CONTAINS") == servers


@pytest.mark.parametrize("name", GUIDE_APPLICATION_FILTERS)
def test_every_application_filter_of_the_guide_is_accepted(name: str) -> None:
    _, service = make()
    service.create_application(call(), name="x")
    service.list_configurations(
        call(), configurationType="APPLICATION", filters=[{"name": name, "values": ["x"], "condition": "EQUALS"}]
    )


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("SERVER", "server.performance.numCpus"),  # a DescribeConfigurations field, not a filter
        ("SERVER", "application.name"),
        ("APPLICATION", "application.serverCount"),  # "Filtering not supported"
        ("APPLICATION", "server.hostName"),
    ],
)
def test_names_outside_the_guide_table_keep_their_error(kind: str, name: str) -> None:
    _, service = make()
    with pytest.raises(ServiceError) as excinfo:
        service.list_configurations(
            call(), configurationType=kind, filters=[{"name": name, "values": ["x"], "condition": "EQUALS"}]
        )
    assert error_code(excinfo) == "InvalidParameterValueException"
    assert excinfo.value.message == f"The filter name {name} is not supported for {kind}."


@pytest.mark.parametrize(
    "request_args",
    [
        {"filters": [{"name": "server.nope", "values": ["x"], "condition": "EQUALS"}]},
        {"filters": [{"name": "application.name", "values": ["x"], "condition": "LIKE"}]},
        {"orderBy": [{"fieldName": "application.nope"}]},
        {"maxResults": 0},
        {"maxResults": 101},
        {"nextToken": "not a token"},
    ],
)
def test_bad_list_requests_are_refused(request_args: dict) -> None:
    _, service = make()
    with pytest.raises(ServiceError) as excinfo:
        service.list_configurations(call(), configurationType="APPLICATION", **request_args)
    assert error_code(excinfo) == "InvalidParameterValueException"


def test_tokens_are_tamper_checked_and_tied_to_their_query() -> None:
    _, service = make()
    for i in range(3):
        service.create_application(call(), name=f"app{i}")
    token = service.list_configurations(call(), configurationType="APPLICATION", maxResults=1)["nextToken"]
    raw = bytearray(base64.b64decode(token))
    raw[-3] ^= 1
    forged = base64.b64encode(bytes(raw)).decode()
    other_service = DiscoveryService(lambda account: make()[0])
    for attempt in (
        lambda: service.list_configurations(call(), configurationType="APPLICATION", nextToken=forged),
        lambda: service.list_configurations(
            call(), configurationType="APPLICATION", nextToken=token, orderBy=[{"fieldName": "application.name"}]
        ),
        lambda: other_service.list_configurations(call(), configurationType="APPLICATION", nextToken=token),
    ):
        with pytest.raises(ServiceError) as excinfo:
            attempt()
        assert error_code(excinfo) == "InvalidParameterValueException"


def two_accounts() -> tuple[dict[str, DiscoveryRepository], DiscoveryService]:
    repos = {ACCOUNT: DiscoveryRepository(random.Random(1)), OTHER_ACCOUNT: DiscoveryRepository(random.Random(2))}
    return repos, DiscoveryService(repos.__getitem__)


def test_a_token_of_another_account_is_refused_and_says_so() -> None:
    repos, service = two_accounts()
    for name in ("a-1", "a-2", "a-3"):
        repos[ACCOUNT].add_server(hostname=name, now=T0)
    for name in ("b-1", "b-2", "b-3"):
        repos[OTHER_ACCOUNT].add_server(hostname=name, now=T0)
    token = service.list_configurations(call(), configurationType="SERVER", maxResults=1)["nextToken"]
    with pytest.raises(ServiceError) as excinfo:
        service.list_configurations(call(account=OTHER_ACCOUNT), configurationType="SERVER", nextToken=token)
    assert error_code(excinfo) == "InvalidParameterValueException"
    assert "different listing" in excinfo.value.message and "account" in excinfo.value.message
    own = service.list_configurations(call(), configurationType="SERVER", maxResults=1, nextToken=token)
    assert names(own, "server.hostName") == ["a-2"]


def test_a_token_of_other_filters_or_order_is_refused_and_says_so() -> None:
    repo, service = make()
    for name in ("a-1", "a-2", "a-3"):
        repo.add_server(hostname=name, now=T0)
    by_name = [{"fieldName": "server.hostName"}]
    token = service.list_configurations(call(), configurationType="SERVER", maxResults=1, orderBy=by_name)["nextToken"]
    contains = [{"name": "server.hostName", "values": ["a"], "condition": "CONTAINS"}]
    for other in ({"orderBy": [{"fieldName": "server.hostName", "sortOrder": "DESC"}]}, {"filters": contains}, {}):
        with pytest.raises(ServiceError) as excinfo:
            service.list_configurations(call(), configurationType="SERVER", nextToken=token, **other)
        assert error_code(excinfo) == "InvalidParameterValueException"
        assert "filters or order" in excinfo.value.message


def test_a_token_shows_no_host_name() -> None:
    """The ordered listing's token carries the last host name served: encrypted, not readable."""
    repo, service = make()
    for name in ("secret-host-1", "secret-host-2"):
        repo.add_server(hostname=name, now=T0)
    token = service.list_configurations(
        call(), configurationType="SERVER", maxResults=1, orderBy=[{"fieldName": "server.hostName"}]
    )["nextToken"]
    assert b"secret-host" not in base64.b64decode(token)


ORDER = st.lists(
    st.tuples(
        st.sampled_from(
            ["application.name", "application.description", "application.serverCount", "application.timeOfCreation"]
        ),
        st.sampled_from(["ASC", "DESC"]),
    ),
    max_size=2,
    unique_by=lambda pair: pair[0],
)


@given(
    apps=st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["", "x", "y"]), st.integers(0, 2)), max_size=25),
    order=ORDER,
    page=st.integers(1, 7),
    deletions=st.lists(st.integers(0, 24), max_size=10),
)
@settings(max_examples=80, deadline=None)
def test_pages_concatenate_to_the_listing_even_with_deletes(apps, order, page, deletions) -> None:
    repo, service = make()
    server = repo.add_server(now=T0)
    ids = []
    for i, (name, description, members) in enumerate(apps):
        app = service.create_application(call(T0 + i % 3), name=name, description=description)["configurationId"]
        if members:
            service.associate_configuration_items_to_application(
                call(T0 + i % 3), applicationConfigurationId=app, configurationIds=[server]
            )
        ids.append(app)
    order_by = [{"fieldName": field, "sortOrder": direction} for field, direction in order]

    def listing(**kwargs) -> dict:
        return service.list_configurations(call(), configurationType="APPLICATION", orderBy=order_by, **kwargs)

    full = [r["application.configurationId"] for r in listing()["configurations"]]
    assert sorted(full) == sorted(ids)
    seen: list[str] = []
    deleted_unseen: set[str] = set()
    pending = list(deletions)
    token = None
    while True:
        result = listing(maxResults=page, **({"nextToken": token} if token else {}))
        seen += [r["application.configurationId"] for r in result["configurations"]]
        if pending and ids:
            victim = ids[pending.pop() % len(ids)]
            if repo.application_exists(victim):
                service.delete_applications(call(), configurationIds=[victim])
                if victim not in seen:
                    deleted_unseen.add(victim)
        token = result.get("nextToken")
        if token is None:
            break
    assert seen == [i for i in full if i not in deleted_unseen]


def test_order_by_name_descending_then_creation_order() -> None:
    _, service = make()
    for name in ["b", "a", "c", "a"]:
        service.create_application(call(), name=name)
    result = service.list_configurations(
        call(), configurationType="APPLICATION", orderBy=[{"fieldName": "application.name", "sortOrder": "DESC"}]
    )
    assert names(result) == ["c", "b", "a", "a"]
    default = service.list_configurations(call(), configurationType="APPLICATION")
    assert names(default) == ["b", "a", "c", "a"]


def test_unmodeled_configuration_types_list_empty() -> None:
    repo, service = make()
    repo.add_server(now=T0)
    assert service.list_configurations(call(), configurationType="PROCESS") == {"configurations": []}
