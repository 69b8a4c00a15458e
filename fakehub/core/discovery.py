"""The slice of AWS Application Discovery Service (ADS) that Migration Hub
depends on: per-account servers and applications, and the ADS operations over
them.

``DiscoveryRepository`` is the per-account state, with a Python API for
seeding servers the way agents and importers would and the membership queries
the mgh core needs.  ``DiscoveryService`` answers the ADS operations
(snake_case op name, keyword arguments named exactly as the modeled members).
Choices that no source states are marked *inferred* here and in
``docs/auto-mapping.md``.
"""

from __future__ import annotations

import hashlib
import json
import random
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import total_ordering
from typing import Any, TypeVar

from . import mapping
from .context import Call
from .errors import ServiceError
from .paging import OrderedIndex, PageTokens

INVALID_PARAMETER_VALUE = "InvalidParameterValueException"
V = TypeVar("V")
_LISTINGS_KEPT = 8  # sorted listings remembered per account (each holds one entry per record)

SERVER_PREFIX = "d-server-"
APPLICATION_PREFIX = "d-application-"
_ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_ID_RANDOM_CHARS = 13  # after the leading "0": 14 chars, as in d-server-0067yxz39nth5o

MAX_APPLICATIONS = 1000  # per account, ADS quota (documented)
MAX_SERVERS_PER_APPLICATION = 400  # ADS quota (documented)
MAX_PAGE_SIZE = 100  # ListConfigurations "The maximum value is 100" (documented)
DEFAULT_PAGE_SIZE = 100  # inferred: undocumented, the maximum is the natural default


def invalid_value(message: str) -> ServiceError:
    """ADS's answer to an unknown id or an out-of-range value."""
    return ServiceError(INVALID_PARAMETER_VALUE, message)


def ads_timestamp(epoch: float) -> str:
    """ADS prints times the way Java's Timestamp.toString does, in UTC:
    ``2016-10-28 23:44:00.0`` (fraction without trailing zeros, at least one digit)."""
    seconds, millis = divmod(round(epoch * 1000), 1000)
    text = datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{f'{millis:03d}'.rstrip('0') or '0'}"


# --- records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Server:
    """One ADS server.  Immutable: nothing in this slice of ADS edits a server."""

    configuration_id: str
    seq: int  # creation order, the tie-breaker "oldest server"
    time_of_creation: float
    hostname: str | None = None
    ip_addresses: tuple[str, ...] = ()
    mac_addresses: tuple[str, ...] = ()
    vcenter_id: str | None = None
    moref_id: str | None = None
    vm_name: str | None = None
    vm_path: str | None = None
    bios_id: str | None = None
    os_name: str | None = None
    os_version: str | None = None

    def match_keys(self) -> frozenset[mapping.MatchKey]:
        return mapping.server_keys(
            hostname=self.hostname,
            ip_addresses=self.ip_addresses,
            mac_addresses=self.mac_addresses,
            vcenter_id=self.vcenter_id,
            moref_id=self.moref_id,
            bios_id=self.bios_id,
        )


@dataclass(slots=True)
class Application:
    """One ADS application.  Its member servers live in the repository."""

    configuration_id: str
    seq: int
    name: str
    description: str | None
    wave: str | None
    time_of_creation: float
    last_modified_time: float


@dataclass(slots=True)
class RepositoryContents:
    """A repository's records as plain lists, in their orders: what a snapshot holds."""

    servers: list[Server]  # oldest first
    applications: list[Application]  # oldest first
    members: dict[str, list[str]]  # application -> its servers, in association order
    server_applications: dict[str, list[str]]  # server -> its applications, in association order
    next_seq: int


# --- repository ------------------------------------------------------------------------


class DiscoveryRepository:
    """One account's ADS servers and applications.

    Ids come from the ``random.Random`` the caller passes, so a seeded run
    produces the same ids every time.
    """

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next_seq = 0  # the next record's seq (servers and applications share one count)
        self._servers: dict[str, Server] = {}
        self._servers_by_seq: OrderedIndex[int, Server] = OrderedIndex()  # for paging by seq
        self._applications: dict[str, Application] = {}
        self._applications_by_seq: OrderedIndex[int, Application] = OrderedIndex()
        self._members: dict[str, dict[str, None]] = {}  # application -> servers, ordered
        self._server_apps: dict[str, dict[str, None]] = {}  # server -> applications, ordered
        # match key -> the servers offering it, oldest first (servers are only ever added,
        # in creation order, so insertion order is seq order)
        self._index: dict[mapping.MatchKey, dict[str, None]] = {}
        # Sorted listings (ListConfigurations with orderBy) kept until the repository
        # next changes, so paging through one sorts once, not once a page.
        self._listings: dict[str, Any] = {}

    def _take_seq(self) -> int:
        seq = self._next_seq
        self._next_seq += 1
        return seq

    def _changed(self) -> None:
        """Every change to servers, applications or memberships ends here: the sorted
        listings may no longer hold."""
        if self._listings:
            self._listings.clear()

    def remembered(self, key: str, build: Callable[[], V]) -> V:
        """``build()``, remembered under ``key`` until the repository changes."""
        found: V | None = self._listings.get(key)
        if found is None:
            if len(self._listings) >= _LISTINGS_KEPT:
                del self._listings[next(iter(self._listings))]  # the oldest
            found = self._listings[key] = build()
        return found

    # snapshots (fakehub.core.snapshot)

    def export(self) -> RepositoryContents:
        """Everything the repository holds, for a snapshot."""
        return RepositoryContents(
            servers=list(self._servers_by_seq.values()),
            applications=list(self._applications.values()),
            members={app: list(servers) for app, servers in self._members.items()},
            server_applications={cid: list(apps) for cid, apps in self._server_apps.items() if apps},
            next_seq=self._next_seq,
        )

    def restore(self, contents: RepositoryContents) -> None:
        """Fill an empty repository with what ``export`` gave; the caller has checked
        the contents hold together (unique ids and seqs, memberships of known records)."""
        self._next_seq = contents.next_seq
        for server in contents.servers:
            self._servers[server.configuration_id] = server
            self._servers_by_seq.put(server.seq, server)
            for key in server.match_keys():
                self._index.setdefault(key, {})[server.configuration_id] = None
        for app in contents.applications:
            self._applications[app.configuration_id] = app
            self._applications_by_seq.put(app.seq, app)
            self._members[app.configuration_id] = dict.fromkeys(contents.members.get(app.configuration_id, ()))
        for cid, apps in contents.server_applications.items():
            self._server_apps[cid] = dict.fromkeys(apps)

    # servers

    def add_server(
        self,
        *,
        hostname: str | None = None,
        ip_addresses: Sequence[str] = (),
        mac_addresses: Sequence[str] = (),
        vcenter_id: str | None = None,
        moref_id: str | None = None,
        vm_name: str | None = None,
        vm_path: str | None = None,
        bios_id: str | None = None,
        os_name: str | None = None,
        os_version: str | None = None,
        now: float,
    ) -> str:
        """Record a server as an agent, connector or import would; returns its id."""
        server = Server(
            configuration_id=self._new_id(SERVER_PREFIX),
            seq=self._take_seq(),
            time_of_creation=now,
            hostname=hostname,
            ip_addresses=tuple(ip_addresses),
            mac_addresses=tuple(mac_addresses),
            vcenter_id=vcenter_id,
            moref_id=moref_id,
            vm_name=vm_name,
            vm_path=vm_path,
            bios_id=bios_id,
            os_name=os_name,
            os_version=os_version,
        )
        self._servers[server.configuration_id] = server
        self._servers_by_seq.put(server.seq, server)
        self._changed()
        for key in server.match_keys():
            self._index.setdefault(key, {})[server.configuration_id] = None
        return server.configuration_id

    def server(self, config_id: str) -> Server:
        """The server record; KeyError if unknown."""
        return self._servers[config_id]

    def servers(self) -> Iterator[Server]:
        """All servers, oldest first."""
        return iter(self._servers.values())

    def servers_after(self, seq: int | None) -> Iterator[Server]:
        """The servers created after the one numbered ``seq`` (all when None), oldest first."""
        return self._servers_by_seq.values_after(seq)

    def server_exists(self, config_id: str) -> bool:
        return config_id in self._servers

    def find_server(self, attributes: Sequence[tuple[str, str]]) -> str | None:
        """The best-matching server for a PutResourceAttributes list, or None: the
        choice of ``mapping.rank`` over every server, found without ranking them all.

        Only servers sharing a key of the strongest kind any server shares can win.  A
        server sharing two or more keys is in at least one key's server list other than
        the longest, so only those shorter lists are walked; a server in the longest list
        alone shares one key, and the oldest such is the first of that list not walked
        already.  One key shared by thousands of servers costs O(1), not O(thousands)."""
        hits = [(key, self._index[key]) for key in mapping.attribute_keys(attributes) if key in self._index]
        if not hits:
            return None
        strongest = min(kind for (kind, _), _ in hits)
        strong = [members for (kind, _), members in hits if kind == strongest]
        hits.sort(key=lambda hit: len(hit[1]))
        (longest_kind, _), longest = hits[-1]
        best: tuple[int, int, str] | None = None  # (-keys shared, seq, id): smallest wins
        walked: set[str] = set()
        for _, members in hits[:-1]:
            for cid in members:
                if cid in walked:
                    continue
                walked.add(cid)
                if any(cid in group for group in strong):
                    fit = (-sum(cid in group for _, group in hits), self._servers[cid].seq, cid)
                    best = fit if best is None or fit < best else best
        if longest_kind == strongest and (best is None or best[0] == -1):
            lone = next((cid for cid in longest if cid not in walked), None)
            if lone is not None:
                fit = (-1, self._servers[lone].seq, lone)
                best = fit if best is None or fit < best else best
        return None if best is None else best[2]

    def match_or_create_server(self, attributes: Sequence[tuple[str, str]], now: float) -> str:
        """Migration Hub's auto-mapping: the best match, else a new server built
        from what the attributes say (documented: it "adds the server")."""
        found = self.find_server(attributes)
        if found is not None:
            return found
        fields = mapping.server_fields(attributes)
        return self.add_server(
            hostname=fields.hostname,
            ip_addresses=fields.ip_addresses,
            mac_addresses=fields.mac_addresses,
            vcenter_id=fields.vcenter_id,
            moref_id=fields.moref_id,
            vm_name=fields.vm_name,
            vm_path=fields.vm_path,
            bios_id=fields.bios_id,
            now=now,
        )

    # applications

    def create_application(self, *, name: str, description: str | None, wave: str | None, now: float) -> str:
        app = Application(
            configuration_id=self._new_id(APPLICATION_PREFIX),
            seq=self._take_seq(),
            name=name,
            description=description,
            wave=wave,
            time_of_creation=now,
            last_modified_time=now,
        )
        self._applications[app.configuration_id] = app
        self._applications_by_seq.put(app.seq, app)
        self._members[app.configuration_id] = {}
        self._changed()
        return app.configuration_id

    def update_application(
        self, app_id: str, *, name: str | None, description: str | None, wave: str | None, now: float
    ) -> None:
        """UpdateApplication: the fields given change; the modification time is now."""
        app = self._applications[app_id]
        if name is not None:
            app.name = name
        if description is not None:
            app.description = description
        if wave is not None:
            app.wave = wave
        app.last_modified_time = now
        self._changed()

    def application(self, app_id: str) -> Application:
        """The application record; KeyError if unknown."""
        return self._applications[app_id]

    def applications(self) -> Iterator[Application]:
        """All applications, oldest first."""
        return iter(self._applications.values())

    def applications_after(self, seq: int | None) -> Iterator[Application]:
        """The applications created after the one numbered ``seq`` (all when None), oldest first."""
        return self._applications_by_seq.values_after(seq)

    def application_exists(self, app_id: str) -> bool:
        return app_id in self._applications

    def application_count(self) -> int:
        return len(self._applications)

    def delete_application(self, app_id: str) -> None:
        app = self._applications.pop(app_id)
        self._applications_by_seq.pop(app.seq)
        for cid in self._members.pop(app_id):
            self._server_apps[cid].pop(app_id)
        self._changed()

    def members(self, app_id: str) -> tuple[str, ...]:
        """The application's servers, in association order."""
        return tuple(self._members[app_id])

    def applications_of_server(self, config_id: str) -> tuple[str, ...]:
        """The applications a server belongs to, in association order."""
        return tuple(self._server_apps.get(config_id, ()))

    def associate(self, app_id: str, server_ids: Sequence[str], *, now: float) -> None:
        for cid in server_ids:
            self._members[app_id][cid] = None
            self._server_apps.setdefault(cid, {})[app_id] = None
        self._applications[app_id].last_modified_time = now
        self._changed()

    def disassociate(self, app_id: str, server_ids: Sequence[str], *, now: float) -> None:
        for cid in server_ids:
            self._members[app_id].pop(cid, None)
            self._server_apps.get(cid, {}).pop(app_id, None)
        self._applications[app_id].last_modified_time = now
        self._changed()

    def servers_in_applications(self) -> int:
        return sum(1 for apps in self._server_apps.values() if apps)

    def _new_id(self, prefix: str) -> str:
        while True:
            tail = "".join(self._rng.choice(_ID_ALPHABET) for _ in range(_ID_RANDOM_CHARS))
            candidate = f"{prefix}0{tail}"
            if candidate not in self._servers and candidate not in self._applications:
                return candidate


# --- ListConfigurations fields, filters and ordering -------------------------------------

FieldGetter = Callable[[DiscoveryRepository, Any], list[str]]


def _one(value: str | None) -> list[str]:
    return [] if value is None else [value]


def _server_apps_field(attribute: str) -> FieldGetter:
    def get(repo: DiscoveryRepository, server: Server) -> list[str]:
        apps = (repo.application(aid) for aid in repo.applications_of_server(server.configuration_id))
        return [getattr(app, attribute) or "" for app in apps]

    return get


def _held_by_no_server(repo: DiscoveryRepository, server: Server) -> list[str]:
    """A field fakehub keeps no data for (agents, connectors, tags, processes,
    performance): empty on every server, so it matches as an empty field does."""
    return []


# Server fields of the guide's filter table that fakehub holds no data for.
_NO_DATA_SERVER_FILTERS = (
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

# Every filter name of the ADS guide's "Supported filters for ListConfigurations"
# table (discovery-api-queries) for the asset types served here.  Values are lists:
# several values (IPs, member servers) make a field multi-valued.
_SERVER_FILTERS: dict[str, FieldGetter] = {
    "server.configurationId": lambda repo, s: [s.configuration_id],
    "server.hostName": lambda repo, s: _one(s.hostname),
    "server.osName": lambda repo, s: _one(s.os_name),
    "server.osVersion": lambda repo, s: _one(s.os_version),
    "server.vmWareInfo.vcenterId": lambda repo, s: _one(s.vcenter_id),
    "server.vmWareInfo.morefId": lambda repo, s: _one(s.moref_id),
    "server.networkInterfaceInfo.ipAddress": lambda repo, s: list(s.ip_addresses),
    "server.networkInterfaceInfo.macAddress": lambda repo, s: list(s.mac_addresses),
    "server.application.name": _server_apps_field("name"),
    "server.application.description": _server_apps_field("description"),
    "server.application.configurationId": _server_apps_field("configuration_id"),
    **dict.fromkeys(_NO_DATA_SERVER_FILTERS, _held_by_no_server),
}
_APPLICATION_FILTERS: dict[str, FieldGetter] = {
    "application.configurationId": lambda repo, a: [a.configuration_id],
    "application.name": lambda repo, a: [a.name],
    "application.description": lambda repo, a: [a.description or ""],
    "server.configurationId": lambda repo, a: list(repo.members(a.configuration_id)),
}

# Sortable fields per the same guide; numbers sort as numbers.
_SERVER_ORDER: dict[str, Callable[[DiscoveryRepository, Any], str | float | None]] = {
    "server.hostName": lambda repo, s: s.hostname,
    "server.osName": lambda repo, s: s.os_name,
    "server.osVersion": lambda repo, s: s.os_version,
}
_APPLICATION_ORDER: dict[str, Callable[[DiscoveryRepository, Any], str | float | None]] = {
    "application.name": lambda repo, a: a.name,
    "application.description": lambda repo, a: a.description or "",
    "application.serverCount": lambda repo, a: len(repo.members(a.configuration_id)),
    "application.timeOfCreation": lambda repo, a: a.time_of_creation,
    "application.lastModifiedTime": lambda repo, a: a.last_modified_time,
}

_CONDITIONS: dict[str, Callable[[list[str], list[str]], bool]] = {
    "EQUALS": lambda have, want: any(h == w for h in have for w in want),
    "NOT_EQUALS": lambda have, want: not any(h == w for h in have for w in want),
    "CONTAINS": lambda have, want: any(w in h for h in have for w in want),
    "NOT_CONTAINS": lambda have, want: not any(w in h for h in have for w in want),
}


@total_ordering
class _Descending:
    """Wraps a sort-key part so that it orders in reverse (sortOrder DESC)."""

    __slots__ = ("part",)

    def __init__(self, part: tuple[int, Any]) -> None:
        self.part = part

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and self.part == other.part

    def __lt__(self, other: _Descending) -> bool:
        return other.part < self.part

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class _Query:
    """A validated ListConfigurations request, minus paging."""

    filters: tuple[tuple[FieldGetter, Callable[[list[str], list[str]], bool], list[str]], ...]
    order: tuple[tuple[Callable[[DiscoveryRepository, Any], Any], bool], ...]  # (getter, descending)
    digest: str

    def raw_key(self, repo: DiscoveryRepository, record: Any) -> list[Any]:
        """The record's place in the listing, JSON-safe so a token can carry it.
        Missing values sort before present ones (inferred)."""
        parts: list[Any] = []
        for getter, _ in self.order:
            value = getter(repo, record)
            parts.append([0, ""] if value is None else [1, value])
        parts.append(record.seq)  # unique, so the order is total and stable
        return parts

    def comparable(self, raw: list[Any]) -> tuple[Any, ...]:
        parts: list[Any] = []
        for (_, descending), part in zip(self.order, raw, strict=False):  # raw ends with the seq
            pair = (part[0], part[1])
            parts.append(_Descending(pair) if descending else pair)
        parts.append(raw[-1])
        return tuple(parts)

    def keeps(self, repo: DiscoveryRepository, record: Any) -> bool:
        return all(test(getter(repo, record), values) for getter, test, values in self.filters)


# --- service ----------------------------------------------------------------------------


class DiscoveryService:
    """The ADS operations Migration Hub relies on, over per-account repositories.

    ``repositories`` maps an account id to that account's repository.
    ``tokens`` signs ListConfigurations page tokens (the hub's, so a token
    from another hub is refused).
    """

    def __init__(
        self,
        repositories: Callable[[str], DiscoveryRepository],
        *,
        tokens: PageTokens | None = None,
    ) -> None:
        self._repositories = repositories
        self._tokens = tokens or PageTokens()

    # applications

    def create_application(
        self, call: Call, *, name: str, description: str | None = None, wave: str | None = None
    ) -> dict[str, Any]:
        repo = self._repositories(call.account)
        if repo.application_count() >= MAX_APPLICATIONS:
            raise invalid_value(
                f"The limit of {MAX_APPLICATIONS} applications per account has been reached. "
                "Delete applications to create new ones."
            )
        app_id = repo.create_application(name=name, description=description, wave=wave, now=call.now)
        return {"configurationId": app_id}

    def update_application(
        self,
        call: Call,
        *,
        configurationId: str,
        name: str | None = None,
        description: str | None = None,
        wave: str | None = None,
    ) -> dict[str, Any]:
        repo = self._repositories(call.account)
        self._application(repo, configurationId)
        repo.update_application(configurationId, name=name, description=description, wave=wave, now=call.now)
        return {}

    def delete_applications(self, call: Call, *, configurationIds: list[str]) -> dict[str, Any]:
        repo = self._repositories(call.account)
        for app_id in configurationIds:  # all or nothing
            self._application(repo, app_id)
        for app_id in dict.fromkeys(configurationIds):
            repo.delete_application(app_id)
        return {}

    def associate_configuration_items_to_application(
        self, call: Call, *, applicationConfigurationId: str, configurationIds: list[str]
    ) -> dict[str, Any]:
        repo = self._repositories(call.account)
        app = self._application(repo, applicationConfigurationId)
        self._require_servers(repo, configurationIds)
        members = set(repo.members(app.configuration_id)) | set(configurationIds)
        if len(members) > MAX_SERVERS_PER_APPLICATION:
            raise invalid_value(
                f"An application can contain at most {MAX_SERVERS_PER_APPLICATION} servers; "
                f"this request would make it {len(members)}."
            )
        repo.associate(app.configuration_id, configurationIds, now=call.now)
        return {}

    def disassociate_configuration_items_from_application(
        self, call: Call, *, applicationConfigurationId: str, configurationIds: list[str]
    ) -> dict[str, Any]:
        repo = self._repositories(call.account)
        app = self._application(repo, applicationConfigurationId)
        self._require_servers(repo, configurationIds)
        repo.disassociate(app.configuration_id, configurationIds, now=call.now)
        return {}

    # reads

    def describe_configurations(self, call: Call, *, configurationIds: list[str]) -> dict[str, Any]:
        repo = self._repositories(call.account)
        ids = list(dict.fromkeys(configurationIds))
        for cid in ids:
            if not (repo.server_exists(cid) or repo.application_exists(cid)):
                raise invalid_value(f"The configuration ID {cid} is not valid.")
        kinds = {repo.server_exists(cid) for cid in ids}
        if len(kinds) > 1:
            raise invalid_value("All configuration IDs in one request must be of the same asset type.")
        if kinds == {True}:
            records = [_describe_server(repo, repo.server(cid)) for cid in ids]
        else:
            records = [_application_record(repo, repo.application(cid)) for cid in ids]
        return {"configurations": records}

    def list_configurations(
        self,
        call: Call,
        *,
        configurationType: str,
        filters: list[dict[str, Any]] | None = None,
        maxResults: int | None = None,
        nextToken: str | None = None,
        orderBy: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        repo = self._repositories(call.account)
        page_size = _page_size(maxResults)
        if configurationType not in ("SERVER", "APPLICATION"):
            return {"configurations": []}  # processes and connections are not modeled here
        query = _build_query(configurationType, filters or [], orderBy or [])
        listing = f"ListConfigurations|{call.account}|{query.digest}"
        cursor = None
        if nextToken:
            cursor = self._tokens.read(
                nextToken,
                listing,
                call.now,
                error_code=INVALID_PARAMETER_VALUE,
                member="nextToken",
                listing_kinds="account, configuration type, filters or order",
            )
        if query.order:
            page, last = _sorted_page(repo, configurationType, query, cursor, page_size)
        else:
            page, last = _creation_order_page(repo, configurationType, query, cursor, page_size)
        render: Callable[[DiscoveryRepository, Any], dict[str, str]] = (
            _list_server if configurationType == "SERVER" else _application_record
        )
        result: dict[str, Any] = {"configurations": [render(repo, record) for record in page]}
        if last is not None:
            result["nextToken"] = self._tokens.issue(listing, last, call.now)
        return result

    def get_discovery_summary(self, call: Call) -> dict[str, Any]:
        repo = self._repositories(call.account)
        return {
            "servers": sum(1 for _ in repo.servers()),
            "applications": repo.application_count(),
            "serversMappedToApplications": repo.servers_in_applications(),
            "serversMappedtoTags": 0,
            "agentSummary": _zero_summary("Agents", "blackListed"),
            "connectorSummary": _zero_summary("Connectors", "blackListed"),
            "meCollectorSummary": _zero_summary("MeCollectors", "denyListed"),
            "agentlessCollectorSummary": _zero_summary("AgentlessCollectors", "denyListed"),
        }

    # helpers

    @staticmethod
    def _application(repo: DiscoveryRepository, app_id: str) -> Application:
        if not repo.application_exists(app_id):
            raise invalid_value(f"The application configuration ID {app_id} is not valid.")
        return repo.application(app_id)

    @staticmethod
    def _require_servers(repo: DiscoveryRepository, config_ids: Sequence[str]) -> None:
        for cid in config_ids:
            if not repo.server_exists(cid):
                raise invalid_value(f"The configuration ID {cid} is not a valid server configuration ID.")


def _creation_order_page(
    repo: DiscoveryRepository, kind: str, query: _Query, cursor: Any, size: int
) -> tuple[list[Any], list[Any] | None]:
    """A page of the default order (creation order): walk from the cursor and stop one
    record past the page, so a page costs what it holds (plus the records the
    filters skip), not a sort of every record."""
    after = None if cursor is None else cursor[-1]  # the key is [seq] alone
    records = repo.servers_after(after) if kind == "SERVER" else repo.applications_after(after)
    kept: list[Any] = []
    for record in records:
        if query.keeps(repo, record):
            if len(kept) == size:
                return kept, query.raw_key(repo, kept[-1])
            kept.append(record)
    return kept, None


def _sorted_page(
    repo: DiscoveryRepository, kind: str, query: _Query, cursor: Any, size: int
) -> tuple[list[Any], list[Any] | None]:
    """A page of an orderBy listing: the kept records are sorted once and the sorted
    list is kept until the repository changes, so each next page is a bisection."""
    keyed = repo.remembered(query.digest, lambda: _sorted_listing(repo, kind, query))
    start = 0
    if cursor is not None:
        start = bisect_right(keyed, query.comparable(cursor), key=lambda item: query.comparable(item[0]))
    page = keyed[start : start + size]
    last = page[-1][0] if start + size < len(keyed) else None
    return [record for _, record in page], last


def _sorted_listing(repo: DiscoveryRepository, kind: str, query: _Query) -> list[tuple[list[Any], Any]]:
    """(sort key, record) of every kept record, in ``_Query.comparable`` order.

    The records come oldest first (the final tie-breaker), and one stable sort per
    orderBy field, the last field first, orders them as sorting by the whole key
    would, with C comparisons only (no per-comparison wrapper for DESC)."""
    records = repo.servers() if kind == "SERVER" else repo.applications()
    keyed = [(query.raw_key(repo, record), record) for record in records if query.keeps(repo, record)]
    for position in reversed(range(len(query.order))):
        keyed.sort(key=lambda item: item[0][position], reverse=query.order[position][1])
    return keyed


def _page_size(max_results: int | None) -> int:
    if max_results is None:
        return DEFAULT_PAGE_SIZE
    if not 1 <= max_results <= MAX_PAGE_SIZE:
        raise invalid_value(f"maxResults must be between 1 and {MAX_PAGE_SIZE}.")
    return max_results


def _build_query(kind: str, filters: list[dict[str, Any]], order_by: list[dict[str, Any]]) -> _Query:
    known_filters = _SERVER_FILTERS if kind == "SERVER" else _APPLICATION_FILTERS
    known_order = _SERVER_ORDER if kind == "SERVER" else _APPLICATION_ORDER
    parsed_filters = []
    for item in filters:
        getter = known_filters.get(item["name"])
        if getter is None:
            raise invalid_value(f"The filter name {item['name']} is not supported for {kind}.")
        test = _CONDITIONS.get(item["condition"])
        if test is None:
            raise invalid_value(f"The condition {item['condition']} is not valid; use one of {', '.join(_CONDITIONS)}.")
        parsed_filters.append((getter, test, list(item["values"])))
    parsed_order = []
    for item in order_by:
        sort_key = known_order.get(item["fieldName"])
        if sort_key is None:
            raise invalid_value(f"The field {item['fieldName']} cannot be used to order {kind} items.")
        parsed_order.append((sort_key, item.get("sortOrder", "ASC") == "DESC"))
    digest = hashlib.sha256(json.dumps([kind, filters, order_by], sort_keys=True).encode()).hexdigest()[:16]
    return _Query(tuple(parsed_filters), tuple(parsed_order), digest)


# --- record rendering -------------------------------------------------------------------


def _list_server(repo: DiscoveryRepository, server: Server) -> dict[str, str]:
    """The ListConfigurations server fields: the mandatory two plus those known."""
    record = {
        "server.configurationId": server.configuration_id,
        "server.timeOfCreation": ads_timestamp(server.time_of_creation),
    }
    for key, value in (
        ("server.hostName", server.hostname),
        ("server.osName", server.os_name),
        ("server.osVersion", server.os_version),
    ):
        if value is not None:
            record[key] = value
    return record


def _compact_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _describe_server(repo: DiscoveryRepository, server: Server) -> dict[str, str]:
    """DescribeConfigurations adds the JSON-string list fields the CLI sample shows."""
    record = _list_server(repo, server)
    interfaces = [{"ipAddress": ip} for ip in server.ip_addresses]
    interfaces += [{"macAddress": mac} for mac in server.mac_addresses]
    apps = [repo.application(aid) for aid in repo.applications_of_server(server.configuration_id)]
    record.update(
        {
            "server.networkInterfaceInfo": _compact_json(interfaces),
            "server.networkInterfaceInfo.hasMoreValues": "false",
            "server.applications": _compact_json(
                [{"configurationId": app.configuration_id, "name": app.name} for app in apps]
            ),
            "server.applications.hasMoreValues": "false",
            "server.tags": "[]",
            "server.tags.hasMoreValues": "false",
        }
    )
    return record


def _application_record(repo: DiscoveryRepository, app: Application) -> dict[str, str]:
    record = {
        "application.configurationId": app.configuration_id,
        "application.name": app.name,
        "application.description": app.description or "",
        "application.serverCount": str(len(repo.members(app.configuration_id))),
        "application.timeOfCreation": ads_timestamp(app.time_of_creation),
        "application.lastModifiedTime": ads_timestamp(app.last_modified_time),
    }
    if app.wave:
        record["application.wave"] = app.wave
    return record


def _zero_summary(noun: str, blocked: str) -> dict[str, int]:
    """A collector summary with every modeled count at zero: no agents exist here."""
    states = ("active", "healthy", blocked, "shutdown", "unhealthy", "total", "unknown")
    return {f"{state}{noun}": 0 for state in states}
