"""Auto-mapping rules: how Migration Hub's PutResourceAttributes list becomes
ADS matching keys, how the best server is chosen, and which values are
malformed.

Pure functions over plain data, so the ADS repository (which owns the server
index) and the mgh core (which raises InvalidInputException) can share them.
The rules, and which of them are documented or inferred, are written up in
``docs/auto-mapping.md``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

IPV4_ADDRESS = "IPV4_ADDRESS"
IPV6_ADDRESS = "IPV6_ADDRESS"
MAC_ADDRESS = "MAC_ADDRESS"
FQDN = "FQDN"
VM_MANAGER_ID = "VM_MANAGER_ID"
VM_MANAGED_OBJECT_REFERENCE = "VM_MANAGED_OBJECT_REFERENCE"
VM_NAME = "VM_NAME"
VM_PATH = "VM_PATH"
BIOS_ID = "BIOS_ID"
MOTHERBOARD_SERIAL_NUMBER = "MOTHERBOARD_SERIAL_NUMBER"

VM_TYPES = frozenset({VM_MANAGER_ID, VM_MANAGED_OBJECT_REFERENCE, VM_NAME, VM_PATH})

# Key kinds, strongest first: the index in this tuple is the kind's rank.
KIND_VM = 0  # vCenter id + MoRef id, both required (ADS matching logic)
KIND_BIOS = 1
KIND_MAC = 2
KIND_HOSTNAME = 3  # the full host name (FQDN), case-insensitive
KIND_IP = 4
KIND_SHORT_HOSTNAME = 5  # first label of the host name only

MatchKey = tuple[int, str]
"""(kind, normalised value): equal keys on an attribute list and a server mean a hit."""

_IPV4 = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})")
_MAC = re.compile(r"([0-9A-Fa-f]{2}[:-]){5}([0-9A-Fa-f]{2})")
# Java's \p{Cntrl} is the POSIX class: ASCII C0 controls and DEL.
_FQDN = re.compile(r"[^<>{}\\/?,=\x00-\x1f\x7f]{1,256}")


# --- validation ---------------------------------------------------------------


def validate_attribute_values(attributes: Sequence[tuple[str, str]]) -> list[str]:
    """Format violations, one message per bad entry, in list order.

    Only the four types with a documented format are checked; the others are
    free text within the model's 1-256 characters.
    """
    problems = []
    for index, (kind, value) in enumerate(attributes):
        expected = _FORMAT_CHECKS.get(kind)
        if expected is not None and not expected[0](value):
            problems.append(
                f"ResourceAttributeList[{index}]: {kind} value {value!r} is not valid; expected {expected[1]}."
            )
    return problems


def _is_ipv4(value: str) -> bool:
    match = _IPV4.fullmatch(value)
    return match is not None and all(int(part) <= 255 for part in match.groups())


def _is_ipv6(value: str) -> bool:
    # ipaddress also takes a "%zone" suffix, which is no part of y:y:y:y:y:y:y:y.
    if "%" in value:
        return False
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _is_mac(value: str) -> bool:
    return _MAC.fullmatch(value) is not None


def _is_fqdn(value: str) -> bool:
    return _FQDN.fullmatch(value) is not None


_FORMAT_CHECKS = {
    IPV4_ADDRESS: (_is_ipv4, "x.x.x.x where x is a decimal number in [0,255]"),
    IPV6_ADDRESS: (
        _is_ipv6,
        (
            "y:y:y:y:y:y:y:y where y is a hexadecimal value in [0,FFFF] "
            "(the :: and embedded-IPv4 short forms are accepted, a %zone is not)"
        ),
    ),
    MAC_ADDRESS: (_is_mac, "six hexadecimal pairs separated by ':' or '-', e.g. 0A:1B:2C:3D:4E:5F"),
    FQDN: (
        _is_fqdn,
        "1 to 256 characters without < > { } \\ / ? , = or control characters",
    ),
}


# --- normalisation ----------------------------------------------------------------


def normalize_ip(value: str) -> str:
    """One spelling per address, so 010.0.0.1 and 10.0.0.1, or 2001:DB8::1 and
    2001:db8:0:0:0:0:0:1, are the same key.  Unparsable text is kept (lowercased)
    so hub-seeded servers with odd values still index."""
    ipv4 = _IPV4.fullmatch(value)
    if ipv4 is not None and _is_ipv4(value):
        return ".".join(str(int(part)) for part in ipv4.groups())
    if _is_ipv6(value):
        return ipaddress.IPv6Address(value).compressed
    return value.strip().lower()


def normalize_mac(value: str) -> str:
    """Upper case with ':' separators, the spelling ADS agents report."""
    return value.strip().upper().replace("-", ":")


def normalize_hostname(value: str) -> str:
    """Host names compare case-insensitively and without a root dot (DNS rules)."""
    return value.strip().rstrip(".").lower()


def short_hostname(value: str) -> str:
    """The first DNS label; an IP literal has no short form and stays whole."""
    name = normalize_hostname(value)
    if _is_ipv4(name) or ":" in name:
        return name
    return name.split(".", 1)[0]


def normalize_bios_id(value: str) -> str:
    """BIOS ids are UUIDs; vendors print them in either case."""
    return value.strip().upper()


def vm_key(vcenter_id: str, moref_id: str) -> str:
    """The pair as one key value; NUL cannot occur in either id."""
    return f"{vcenter_id}\x00{moref_id}"


# --- keys -------------------------------------------------------------------------------


def effective_attributes(attributes: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The list with VM_* entries dropped when no VM_MANAGER_ID is present
    (documented: they are then "discarded" and not used for matching)."""
    if any(kind == VM_MANAGER_ID for kind, _ in attributes):
        return list(attributes)
    return [(kind, value) for kind, value in attributes if kind not in VM_TYPES]


def attribute_keys(attributes: Sequence[tuple[str, str]]) -> frozenset[MatchKey]:
    """The matching keys an attribute list carries; a set, so order cannot matter."""
    attrs = effective_attributes(attributes)
    keys: set[MatchKey] = set()
    managers = [value for kind, value in attrs if kind == VM_MANAGER_ID]
    morefs = [value for kind, value in attrs if kind == VM_MANAGED_OBJECT_REFERENCE]
    keys.update((KIND_VM, vm_key(m, r)) for m in managers for r in morefs)
    for kind, value in attrs:
        if kind in (IPV4_ADDRESS, IPV6_ADDRESS):
            keys.add((KIND_IP, normalize_ip(value)))
        elif kind == MAC_ADDRESS:
            keys.add((KIND_MAC, normalize_mac(value)))
        elif kind == FQDN:
            keys.update(_hostname_keys(value))
        elif kind == BIOS_ID:
            keys.add((KIND_BIOS, normalize_bios_id(value)))
    return frozenset(keys)


def server_keys(
    *,
    hostname: str | None,
    ip_addresses: Iterable[str],
    mac_addresses: Iterable[str],
    vcenter_id: str | None,
    moref_id: str | None,
    bios_id: str | None,
) -> frozenset[MatchKey]:
    """The matching keys an ADS server record offers."""
    keys: set[MatchKey] = {(KIND_IP, normalize_ip(ip)) for ip in ip_addresses}
    keys.update((KIND_MAC, normalize_mac(mac)) for mac in mac_addresses)
    if hostname:
        keys.update(_hostname_keys(hostname))
    if vcenter_id and moref_id:
        keys.add((KIND_VM, vm_key(vcenter_id, moref_id)))
    if bios_id:
        keys.add((KIND_BIOS, normalize_bios_id(bios_id)))
    return frozenset(keys)


def _hostname_keys(value: str) -> tuple[MatchKey, MatchKey]:
    return (KIND_HOSTNAME, normalize_hostname(value)), (KIND_SHORT_HOSTNAME, short_hostname(value))


# --- choosing ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class MatchRank:
    """Sorts best first: strongest key kind, then most keys in common, then the
    oldest server (lowest creation sequence)."""

    strongest_kind: int
    minus_shared_keys: int
    server_seq: int


def rank(wanted: frozenset[MatchKey], offered: frozenset[MatchKey], server_seq: int) -> MatchRank | None:
    """How well a server fits an attribute list; None when nothing is shared."""
    shared = wanted & offered
    if not shared:
        return None
    return MatchRank(min(kind for kind, _ in shared), -len(shared), server_seq)


# --- new servers --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServerFields:
    """What an unmatched attribute list says about the server Migration Hub adds.

    Where a type carries several values the smallest is taken, so the record
    does not depend on the list order; IPs and MACs keep them all.
    """

    hostname: str | None
    ip_addresses: tuple[str, ...]
    mac_addresses: tuple[str, ...]
    vcenter_id: str | None
    moref_id: str | None
    vm_name: str | None
    vm_path: str | None
    bios_id: str | None


def server_fields(attributes: Sequence[tuple[str, str]]) -> ServerFields:
    attrs = effective_attributes(attributes)

    def values(*kinds: str) -> list[str]:
        return sorted({value for kind, value in attrs if kind in kinds})

    def first(kind: str) -> str | None:
        found = values(kind)
        return found[0] if found else None

    return ServerFields(
        hostname=first(FQDN),
        ip_addresses=tuple(sorted({normalize_ip(v) for v in values(IPV4_ADDRESS, IPV6_ADDRESS)})),
        mac_addresses=tuple(sorted({normalize_mac(v) for v in values(MAC_ADDRESS)})),
        vcenter_id=first(VM_MANAGER_ID),
        moref_id=first(VM_MANAGED_OBJECT_REFERENCE),
        vm_name=first(VM_NAME),
        vm_path=first(VM_PATH),
        bios_id=first(BIOS_ID),
    )
