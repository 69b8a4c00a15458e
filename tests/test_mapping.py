"""The pure auto-mapping rules: attribute formats, matching keys, ranking."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakehub.core import mapping
from fakehub.core.mapping import (
    BIOS_ID,
    FQDN,
    IPV4_ADDRESS,
    IPV6_ADDRESS,
    KIND_BIOS,
    KIND_HOSTNAME,
    KIND_IP,
    KIND_MAC,
    KIND_SHORT_HOSTNAME,
    KIND_VM,
    MAC_ADDRESS,
    MOTHERBOARD_SERIAL_NUMBER,
    VM_MANAGED_OBJECT_REFERENCE,
    VM_MANAGER_ID,
    VM_NAME,
    VM_PATH,
    attribute_keys,
    effective_attributes,
    validate_attribute_values,
)

# --- formats --------------------------------------------------------------------------

VALID = [
    (IPV4_ADDRESS, "0.0.0.0"),
    (IPV4_ADDRESS, "255.255.255.255"),
    (IPV4_ADDRESS, "10.0.0.01"),
    (IPV6_ADDRESS, "2001:0db8:0000:0000:0000:ff00:0042:8329"),
    (IPV6_ADDRESS, "2001:db8::ff00:42:8329"),
    (IPV6_ADDRESS, "::1"),
    (IPV6_ADDRESS, "::ffff:192.0.2.1"),
    (MAC_ADDRESS, "06:A7:7D:3F:54:57"),
    (MAC_ADDRESS, "06-a7-7d-3f-54-57"),
    (MAC_ADDRESS, "06:a7-7d:3f-54:57"),  # the documented pattern allows mixing
    (FQDN, "web01.corp.example.com"),
    (FQDN, "x" * 256),
    (FQDN, "hôte.exemple"),
    (FQDN, "a\x85b"),  # Java's \p{Cntrl} is ASCII only
    (VM_NAME, "<anything goes>"),
    (BIOS_ID, "not/a,uuid"),
]

INVALID = [
    (IPV4_ADDRESS, "256.0.0.1"),
    (IPV4_ADDRESS, "1.2.3"),
    (IPV4_ADDRESS, "1.2.3.4.5"),
    (IPV4_ADDRESS, "1.2.3.4 "),
    (IPV4_ADDRESS, "1.2.3.4\n"),
    (IPV4_ADDRESS, "١.2.3.4"),  # noqa: RUF001 - a non-ASCII digit, on purpose
    (IPV4_ADDRESS, "1234.1.1.1"),
    (IPV6_ADDRESS, "2001:db8::1::2"),
    (IPV6_ADDRESS, "12345::1"),
    (IPV6_ADDRESS, "fe80::1%eth0"),
    (IPV6_ADDRESS, "1.2.3.4"),
    (IPV6_ADDRESS, "[::1]"),
    (MAC_ADDRESS, "06:A7:7D:3F:54"),
    (MAC_ADDRESS, "06A77D3F5457"),
    (MAC_ADDRESS, "06:A7:7D:3F:54:5G"),
    (MAC_ADDRESS, "06:A7:7D:3F:54:57\n"),
    (FQDN, "a/b"),
    (FQDN, "a\\b"),
    (FQDN, "a,b"),
    (FQDN, "a=b"),
    (FQDN, "a?b"),
    (FQDN, "<a>"),
    (FQDN, "{a}"),
    (FQDN, "tab\there"),
    (FQDN, "del\x7f"),
    (FQDN, "x" * 257),
]


@pytest.mark.parametrize("attribute", VALID, ids=repr)
def test_valid_values_pass(attribute: tuple[str, str]) -> None:
    assert validate_attribute_values([attribute]) == []


@pytest.mark.parametrize("attribute", INVALID, ids=repr)
def test_invalid_values_are_reported(attribute: tuple[str, str]) -> None:
    [message] = validate_attribute_values([attribute])
    assert attribute[0] in message and repr(attribute[1]) in message and "expected" in message


def test_messages_name_the_position_in_the_list() -> None:
    messages = validate_attribute_values(
        [(IPV4_ADDRESS, "1.2.3.4"), (MAC_ADDRESS, "nope"), (FQDN, "ok"), (IPV4_ADDRESS, "300.1.1.1")]
    )
    assert [m.split(":")[0] for m in messages] == ["ResourceAttributeList[1]", "ResourceAttributeList[3]"]


@given(st.integers(0, 2**32 - 1))
def test_every_ipv4_address_is_valid(value: int) -> None:
    assert validate_attribute_values([(IPV4_ADDRESS, str(ipaddress.IPv4Address(value)))]) == []


@given(st.integers(0, 2**128 - 1))
def test_every_ipv6_spelling_is_valid_and_one_key(value: int) -> None:
    address = ipaddress.IPv6Address(value)
    spellings = [address.exploded, address.compressed, address.exploded.upper()]
    assert validate_attribute_values([(IPV6_ADDRESS, s) for s in spellings]) == []
    assert len(attribute_keys([(IPV6_ADDRESS, s) for s in spellings])) == 1


# --- keys -------------------------------------------------------------------------------


def test_each_type_maps_to_its_key() -> None:
    keys = attribute_keys(
        [
            (IPV4_ADDRESS, "010.0.0.1"),
            (MAC_ADDRESS, "06-a7-7d-3f-54-57"),
            (FQDN, "Web01.Corp.Example.com."),
            (VM_MANAGER_ID, "vc-1"),
            (VM_MANAGED_OBJECT_REFERENCE, "vm-42"),
            (BIOS_ID, "ec2a1b2c-0000-0000-0000-00000000abcd"),
            (MOTHERBOARD_SERIAL_NUMBER, "MB-1"),
            (VM_NAME, "web01"),
        ]
    )
    assert keys == {
        (KIND_IP, "10.0.0.1"),
        (KIND_MAC, "06:A7:7D:3F:54:57"),
        (KIND_HOSTNAME, "web01.corp.example.com"),
        (KIND_SHORT_HOSTNAME, "web01"),
        (KIND_VM, mapping.vm_key("vc-1", "vm-42")),
        (KIND_BIOS, "EC2A1B2C-0000-0000-0000-00000000ABCD"),
    }


def test_vm_fields_without_manager_id_are_discarded() -> None:
    attrs = [(VM_MANAGED_OBJECT_REFERENCE, "vm-1"), (VM_NAME, "n"), (VM_PATH, "/p"), (IPV4_ADDRESS, "1.1.1.1")]
    assert effective_attributes(attrs) == [(IPV4_ADDRESS, "1.1.1.1")]
    assert attribute_keys(attrs) == {(KIND_IP, "1.1.1.1")}


def test_vm_key_needs_both_manager_and_moref() -> None:
    assert attribute_keys([(VM_MANAGER_ID, "vc-1")]) == frozenset()
    assert attribute_keys([(VM_MANAGER_ID, "vc-1"), (VM_NAME, "web")]) == frozenset()


def test_short_host_name_of_an_ip_literal_is_the_whole_literal() -> None:
    assert mapping.short_hostname("10.0.0.1") == "10.0.0.1"
    assert mapping.short_hostname("Host.Example.") == "host"


ATTRIBUTE = st.tuples(
    st.sampled_from(
        [
            IPV4_ADDRESS,
            IPV6_ADDRESS,
            MAC_ADDRESS,
            FQDN,
            VM_MANAGER_ID,
            VM_MANAGED_OBJECT_REFERENCE,
            VM_NAME,
            VM_PATH,
            BIOS_ID,
            MOTHERBOARD_SERIAL_NUMBER,
        ]
    ),
    st.sampled_from(["a", "b.c", "1.2.3.4", "::1", "0:0:0:0:0:0:0:1", "AA:BB:CC:DD:EE:FF", "vm-1"]),
)


@given(st.lists(ATTRIBUTE, max_size=12), st.randoms(use_true_random=False))
def test_keys_and_new_server_fields_ignore_list_order(attrs: list[tuple[str, str]], rnd) -> None:
    shuffled = list(attrs)
    rnd.shuffle(shuffled)
    assert attribute_keys(shuffled) == attribute_keys(attrs)
    assert mapping.server_fields(shuffled) == mapping.server_fields(attrs)


@given(st.lists(ATTRIBUTE, min_size=1, max_size=12))
def test_a_server_built_from_attributes_shares_a_key_with_them(attrs: list[tuple[str, str]]) -> None:
    """So a repeated PutResourceAttributes finds the server the first one created (a server
    keeps one host name, vCenter pair and BIOS id, so not every such value becomes a key)."""
    fields = mapping.server_fields(attrs)
    offered = mapping.server_keys(
        hostname=fields.hostname,
        ip_addresses=fields.ip_addresses,
        mac_addresses=fields.mac_addresses,
        vcenter_id=fields.vcenter_id,
        moref_id=fields.moref_id,
        bios_id=fields.bios_id,
    )
    wanted = attribute_keys(attrs)
    assert (offered & wanted) or not wanted
    # every address is kept; host name, vCenter pair and BIOS id: one of each
    assert {key for key in wanted if key[0] in (mapping.KIND_IP, mapping.KIND_MAC)} <= offered


# --- ranking ------------------------------------------------------------------------------


def test_rank_prefers_stronger_kind_then_more_keys_then_older() -> None:
    wanted = frozenset({(KIND_VM, "v"), (KIND_MAC, "m"), (KIND_IP, "i1"), (KIND_IP, "i2")})
    vm = mapping.rank(wanted, frozenset({(KIND_VM, "v")}), server_seq=9)
    mac_and_ip = mapping.rank(wanted, frozenset({(KIND_MAC, "m"), (KIND_IP, "i1")}), server_seq=1)
    two_ips = mapping.rank(wanted, frozenset({(KIND_IP, "i1"), (KIND_IP, "i2")}), server_seq=2)
    one_ip_old = mapping.rank(wanted, frozenset({(KIND_IP, "i1")}), server_seq=0)
    one_ip_new = mapping.rank(wanted, frozenset({(KIND_IP, "i2")}), server_seq=5)
    assert vm < mac_and_ip < two_ips < one_ip_old < one_ip_new
    assert mapping.rank(wanted, frozenset({(KIND_BIOS, "x")}), server_seq=0) is None
