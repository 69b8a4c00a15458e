"""Options of Hub(...) / mock_migrationhub(...) and arguments of the hub's methods are
checked when given, with a message naming what is accepted: never stored, to fail later."""

from __future__ import annotations

import pytest

from fakehub import Delays, Hub, console, mock_migrationhub
from helpers import setup_task

REGION = "us-west-2"
ACCOUNT = "111122223333"


@pytest.mark.parametrize(
    ("options", "error", "names"),
    [
        ({"home_region": "mars-1"}, ValueError, "use one of .*us-west-2.*None.*'auto'"),
        ({"home_region": ["us-west-2"]}, ValueError, "use one of"),
        ({"accounts": {"AKIAEXAMPLE": "acct-prod"}}, ValueError, r"accounts=\{'AKIAEXAMPLE': ...\}.*12-digit"),
        ({"accounts": {"AKIAEXAMPLE": 111122223333}}, ValueError, "12-digit"),
        ({"accounts": {"": ACCOUNT}}, ValueError, "non-empty access key id"),
        ({"accounts": {"AKIA/EXAMPLE": ACCOUNT}}, ValueError, "without '/' or ','"),
        ({"accounts": [("AKIAEXAMPLE", ACCOUNT)]}, TypeError, "mapping of access key id -> 12-digit account id"),
        ({"delays": {"auto_mapping": 0}}, TypeError, r"use Delays\(auto_mapping=..., stream_deletion=...\)"),
        ({"seed": "7"}, TypeError, "use an int .* or None"),
        ({"seed": 1.5}, TypeError, "use an int"),
        ({"seed": True}, TypeError, "use an int"),
    ],
)
def test_hub_options_are_checked_when_the_hub_is_made(options, error, names):
    with pytest.raises(error, match=names):
        Hub(**{"home_region": REGION, **options})
    with pytest.raises(error, match=names), mock_migrationhub(**options):
        pass  # refused on entering, before any call


def test_the_documented_options_are_accepted():
    with mock_migrationhub(home_region=None, accounts={"AKIAEXAMPLE": ACCOUNT}, delays=Delays(0, 0), seed=None) as hub:
        assert hub.access_keys == {"AKIAEXAMPLE": ACCOUNT}


@pytest.mark.parametrize(
    ("key", "account", "names"),
    [
        ("AKIAEXAMPLE", "acct-prod", r"map_access_key\(account=...\) 'acct-prod': use a 12-digit"),
        ("AKIAEXAMPLE", "١١١١٢٢٢٢٣٣٣٣", "12-digit"),  # str.isdigit() says yes; no AWS account says so
        ("AKIAEXAMPLE", None, "12-digit"),
        ("", ACCOUNT, r"map_access_key\(access_key=...\) '': use a non-empty access key id"),
        ("AKIA,X", ACCOUNT, "without '/' or ','"),
    ],
)
def test_map_access_key_checks_both_arguments(hub, key, account, names):
    with pytest.raises(ValueError, match=names):
        hub.map_access_key(key, account)
    assert hub.access_keys == {}


def test_attach_policy_checks_the_access_key(hub):
    with pytest.raises(ValueError, match=r"attach_policy\(access_key=...\) '': use a non-empty access key id"):
        hub.attach_policy("", {"Statement": [{"Effect": "Allow", "Action": "mgh:*", "Resource": "*"}]})
    assert hub.policies == {}


@pytest.mark.parametrize(
    ("arguments", "error", "names"),
    [
        ({"ip_addresses": "10.0.0.1"}, TypeError, r"add_server\(ip_addresses='10.0.0.1'\): use a list of addresses"),
        (
            {"ip_addresses": ["not-an-ip"]},
            ValueError,
            r"'not-an-ip' is not an address auto-mapping can match; use IPv4",
        ),
        ({"ip_addresses": ["10.0.0.256"]}, ValueError, "use IPv4 .* or IPv6"),
        ({"ip_addresses": ["fe80::1%eth0"]}, ValueError, "no %zone"),
        ({"ip_addresses": [167772161]}, ValueError, "167772161 is not an address"),
        ({"mac_addresses": "00:50:56:aa:bb:cc"}, TypeError, "use a list of addresses"),
        ({"mac_addresses": ["0050.56aa.bbcc"]}, ValueError, "six hexadecimal pairs"),
        ({"hostname": ""}, ValueError, r"add_server\(hostname=...\) '': use a non-empty string or None"),
        ({"os_name": 5}, ValueError, "use a non-empty string or None"),
        ({"vcenter_id": "vc\x001"}, ValueError, "non-empty string without NUL"),
        ({"account": "acct-prod"}, ValueError, r"add_server\(account=...\) 'acct-prod': use a 12-digit"),
        ({"account": ""}, ValueError, "12-digit"),
    ],
)
def test_add_server_checks_every_argument(hub, arguments, error, names):
    with pytest.raises(error, match=names):
        hub.add_server(**arguments)
    assert hub.accounts() == [] and hub.servers() == []


def test_add_server_takes_every_address_form_auto_mapping_matches(hub, mgh):
    ips = ["010.0.0.7", "2001:DB8::1", "::ffff:10.0.0.8"]
    macs = ["00:50:56:aa:bb:cc", "00-50-56-AA-BB-CD"]
    server = hub.add_server(ip_addresses=ips, mac_addresses=(m for m in macs))
    assert hub.servers()[0]["ip_addresses"] == tuple(ips) and hub.servers()[0]["mac_addresses"] == tuple(macs)
    hub.settle()
    setup_task(mgh)
    mgh.put_resource_attributes(
        ProgressUpdateStream="SMS",
        MigrationTaskName="web-01",
        ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.0.0.7"}],
    )
    hub.settle()
    assert [d["ConfigurationId"] for d in hub.task("SMS", "web-01")["discovered"]] == [server]


@pytest.mark.parametrize("read", ["servers", "tasks", "streams"])
def test_reads_check_the_account(hub, read):
    with pytest.raises(ValueError, match=rf"{read}\(account=...\) '1234': use a 12-digit AWS account id"):
        getattr(hub, read)("1234")


def test_task_checks_its_arguments(hub):
    with pytest.raises(ValueError, match=r"task\(account=...\) 'prod'"):
        hub.task("SMS", "web-01", "prod")
    with pytest.raises(ValueError, match=r"task\(stream=...\) 5: use a non-empty string"):
        hub.task(5, "web-01")  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="no migration task 'web-01' in stream 'SMS' of account 123456789012"):
        hub.task("SMS", "web-01")


def test_reading_an_account_creates_nothing(hub, mgh):
    """A read shows what is there: it adds no account to the hub (nor to the console), and
    spends none of the seeded random source, so generated ids stay the same."""
    assert hub.servers(ACCOUNT) == [] and hub.tasks(ACCOUNT) == [] and hub.streams(ACCOUNT) == []
    with pytest.raises(KeyError):
        hub.task("SMS", "web-01", ACCOUNT)
    assert hub.accounts() == [] and "No calls yet" in console.render_text(hub)
    read_first = hub.add_server(hostname="web-01")
    with mock_migrationhub(home_region=REGION) as fresh:
        assert fresh.add_server(hostname="web-01") == read_first


def test_mock_migrationhub_checks_its_options_where_it_is_written() -> None:
    """A decorator with a bad option fails at decoration, not in the test it decorates."""
    with pytest.raises(ValueError, match="12-digit"):
        mock_migrationhub(accounts={"AKIAEXAMPLE": "acct-prod"})
    with pytest.raises(TypeError, match="fake_credentials='yes': use True or False"):
        mock_migrationhub(fake_credentials="yes")  # type: ignore[arg-type]
