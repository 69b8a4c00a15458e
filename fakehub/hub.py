"""The hub: one fake Migration Hub (with its ADS repository and home-region
settings) behind one activation of ``fakehub.mock_migrationhub``."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
import os
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .core import clock, mapping
from .core import snapshot as snapshots
from .core.context import Call
from .core.discovery import DiscoveryService
from .core.errors import ServiceError
from .core.homeregion import HomeRegionService, check_home_region
from .core.migrationhub import MigrationHubService
from .core.policy import PolicySet
from .core.snapshot import SnapshotError
from .core.state import AUTO_HOME_REGION, DEFAULT_ACCOUNT, AccountState, Delays, HubState
from .faults import Faults
from .journal import Journal
from .wire.decoding import MAX_DEPTH
from .wire.dispatch import Dispatcher
from .wire.services import OperationSpec, operation_named, regions
from .wire.validation import format_violations

_hub_ids = itertools.count(1)


class Hub:
    """A fake Migration Hub.  Every botocore client in the process that talks to
    ``mgh``, ``migrationhub-config`` or ``discovery`` is answered by the active hub.

    Use it to finish pending asynchronous work (``settle``), to say which
    account an access key belongs to (``map_access_key``), and to look at
    what the hub holds.

    Every read (``task``, ``tasks``, ``servers``, ``streams``, ``accounts``, ``pending``, the
    console's view) first applies the asynchronous steps that have fallen due, as a request
    would, so it shows what a user would see at the hub's clock.

    ``state``, ``lock``, ``dispatcher``, ``check_faults``, ``record``, ``operation`` and
    ``catch_up`` are internal (what the wire layer, the shells and the console use), not
    public API."""

    # Slots: a test suite makes a hub per test, and a hub with no requests should cost little.
    __slots__ = (
        "state",
        "lock",
        "access_keys",
        "_default_account",
        "policies",
        "discovery_role",
        "_services",
        "_dispatcher",
        "_faults",
        "_journal",
        "_id",
    )

    def __init__(
        self,
        *,
        home_region: str | None,
        accounts: Mapping[str, str] | None = None,
        delays: Delays | None = None,
        seed: int | None = 0,
    ) -> None:
        check_options(home_region=home_region, accounts=accounts, delays=delays, seed=seed)
        self.state = HubState(home_region=home_region, delays=delays, seed=seed)
        self.lock = threading.RLock()
        self.access_keys: dict[str, str] = dict(accounts or {})
        self._default_account: str | None = None
        self.policies: dict[str, PolicySet] = {}
        #: False models an account whose ``migrationhub-discovery`` role is missing: the four
        #: operations that model PolicyErrorException answer it.
        self.discovery_role = True
        self._services: dict[str, Any] | None = None
        self._dispatcher: Dispatcher | None = None
        self._faults: Faults | None = None
        self._journal: Journal | None = None
        self._id = next(_hub_ids)  # numbers the hub's request ids

    @property
    def default_account(self) -> str:
        """The account of access keys nobody mapped: moto's ``MOTO_ACCOUNT_ID`` when set (so
        moto and fakehub agree), else moto's default 123456789012.  Read at the hub's first
        use, not at activation, which stays cheap."""
        if self._default_account is None:
            self._default_account = os.environ.get("MOTO_ACCOUNT_ID") or DEFAULT_ACCOUNT
        return self._default_account

    # ---- tooling for testing migration tools (made on first use: activation stays cheap) ---

    @property
    def faults(self) -> Faults:
        """Fault injection: make operations fail, as AWS sometimes does (``fakehub.faults``)."""
        faults = self._faults
        if faults is None:
            with self.lock:
                faults = self._faults
                if faults is None:
                    faults = self._faults = Faults()
        return faults

    @property
    def journal(self) -> Journal:
        """Every call this hub answered (``fakehub.journal``)."""
        journal = self._journal
        if journal is None:
            with self.lock:
                journal = self._journal
                if journal is None:
                    journal = self._journal = Journal(self._id)
        return journal

    # ---- driving the clock -----------------------------------------------------------------

    def settle(self) -> int:
        """Apply every pending asynchronous step now (auto-mapping, stream deletion),
        whatever its due time; returns how many steps ran."""
        with self.lock:
            return self.state.scheduler.settle(clock.now())

    def pending(self) -> list[tuple[float, str]]:
        """(due time, kind) of each asynchronous step not applied yet, soonest first: steps
        that have fallen due are applied first (as by any read), so none of them is listed."""
        with self.lock:
            self.catch_up()
            return self.state.scheduler.pending()

    def catch_up(self) -> None:
        """Apply the asynchronous steps that have fallen due at the hub's clock, as the
        dispatcher does before each request: every read of the hub calls it first, so what
        it shows is what a user would see now.  Internal (the console's view calls it)."""
        with self.lock:
            self.state.scheduler.run_due(clock.now())

    # ---- accounts --------------------------------------------------------------------------

    def map_access_key(self, access_key: str, account: str) -> None:
        """Requests signed with ``access_key`` act in ``account`` (a 12-digit id)."""
        _check_access_key(access_key, "map_access_key(access_key=...)")
        _check_account_id(account, "map_access_key(account=...)")
        with self.lock:
            self.access_keys[access_key] = account

    def attach_policy(self, access_key: str, document: Mapping[str, Any] | str) -> None:
        """Attach an IAM identity policy (a JSON document or its dict) to the caller
        using ``access_key``.  From then on that caller may do only what its policies
        allow (explicit deny wins); callers with no policy attached may do anything.
        A malformed document raises ``ValueError`` naming the problem."""
        _check_access_key(access_key, "attach_policy(access_key=...)")
        with self.lock:
            self.policies.setdefault(access_key, PolicySet()).attach(document)

    # ---- the ADS repository -------------------------------------------------------------

    def add_server(
        self,
        *,
        account: str | None = None,
        hostname: str | None = None,
        ip_addresses: Iterable[str] = (),
        mac_addresses: Iterable[str] = (),
        vcenter_id: str | None = None,
        moref_id: str | None = None,
        vm_name: str | None = None,
        vm_path: str | None = None,
        bios_id: str | None = None,
        os_name: str | None = None,
        os_version: str | None = None,
    ) -> str:
        """Add a server to the account's ADS repository, as a discovery agent,
        connector or import would; returns its configuration id (``d-server-…``).
        Addresses must be ones auto-mapping can match (IPv4 or IPv6; MAC as six hex pairs)."""
        account = self._account_id(account, "add_server")
        texts = {
            "hostname": hostname,
            "vcenter_id": vcenter_id,
            "moref_id": moref_id,
            "vm_name": vm_name,
            "vm_path": vm_path,
            "bios_id": bios_id,
            "os_name": os_name,
            "os_version": os_version,
        }
        ips, macs = _server_fields(**texts, ip_addresses=ip_addresses, mac_addresses=mac_addresses)
        with self.lock:
            self.catch_up()
            return self.state.account(account).discovery.add_server(
                **texts, ip_addresses=ips, mac_addresses=macs, now=clock.now()
            )

    def servers(self, account: str | None = None) -> list[dict[str, Any]]:
        """The account's ADS servers, oldest first, with what they are known by."""
        with self.lock:
            found = self._read(account, "servers")
            return [dataclasses.asdict(server) for server in found.discovery.servers()] if found else []

    # ---- inspection ------------------------------------------------------------------------

    def accounts(self) -> list[str]:
        """The accounts that have called the hub (or been seeded), in order of first use."""
        with self.lock:
            self.catch_up()
            return list(self.state.accounts)

    def tasks(self, account: str | None = None) -> list[tuple[str, str]]:
        """(stream, task name) of every migration task of the account, in listing order."""
        with self.lock:
            found = self._read(account, "tasks")
            return [task.key for task in found.tasks.values()] if found else []

    def streams(self, account: str | None = None) -> list[str]:
        """Names of the account's progress update streams (deleting ones included)."""
        with self.lock:
            found = self._read(account, "streams")
            return [s.name for s in found.streams.values()] if found else []

    def task(self, stream: str, name: str, account: str | None = None) -> dict[str, Any]:
        """What DescribeMigrationTask would answer for the task, plus what is
        associated with it (a snapshot, safe to keep)."""
        _check_text(stream, "task(stream=...)")
        _check_text(name, "task(name=...)")
        with self.lock:
            held = self._read(account, "task")
            task = held.tasks.get((stream, name)) if held else None
            if task is None:
                raise KeyError(
                    f"no migration task {name!r} in stream {stream!r} of account {self._account_id(account, 'task')}"
                )
            snapshot: dict[str, Any] = {
                "ProgressUpdateStream": stream,
                "MigrationTaskName": name,
                "Task": None if task.state is None else dict(task.state),
                "UpdateDateTime": task.update_time,
                "NextUpdateSeconds": task.next_update_seconds,
                "ResourceAttributeList": task.attribute_list(),
            }
            for kind in ("artifacts", "discovered", "sources"):
                items = getattr(task, kind)
                snapshot[kind] = [dict(i) for i in items] if items is not None else []
            return snapshot

    def _account_id(self, account: str | None, method: str) -> str:
        """The account a method acts in: the one named (a 12-digit id), else the default."""
        if account is None:
            return self.default_account
        _check_account_id(account, f"{method}(account=...)")
        return account

    def _read(self, account: str | None, method: str) -> AccountState | None:
        """The account's state as of now (due steps applied), or None if it holds nothing:
        a read never creates an account (nor spends the hub's random ids on one).  The
        caller holds the lock for as long as it reads the state."""
        account = self._account_id(account, method)
        self.catch_up()
        return self.state.accounts.get(account)

    # ---- snapshots ---------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """A JSON-serialisable document of everything the hub holds, for
        ``from_snapshot`` (format: docs/snapshots.md).  Due steps are applied first, as
        by any read; faults and the journal are the test's, not the hub's, and stay out."""
        with self.lock:
            self.catch_up()
            doc = snapshots.dump(self.state, now=clock.now(), clock_offset=clock.offset())
            doc["access_keys"] = dict(self.access_keys)
            doc["policies"] = {key: copy.deepcopy(found.documents) for key, found in self.policies.items()}
            doc["discovery_role"] = self.discovery_role
            return doc

    @classmethod
    def from_snapshot(cls, doc: Mapping[str, Any] | str | os.PathLike[str]) -> Hub:
        """A hub holding what ``snapshot`` saw: the document itself, or the path of a
        JSON file holding one.  Page tokens issued before the snapshot resume; the next
        generated ids are the ones the original hub would have given.  A document that is
        not one (another format version, a member of the wrong type, a task in a stream
        that does not exist, ...) raises ``SnapshotError`` naming the problem.  The
        snapshot's clock offset (its ``clock_offset``) is not applied: the process's clock
        is the test's (the server, which owns its clock, does apply it)."""
        doc = read_snapshot_document(doc)
        state = snapshots.load(doc, check=_check_record, hub_members=_HUB_MEMBERS)
        top = snapshots.Reader(doc, "", _HUB_MEMBERS, snapshots.MEMBERS)
        access_keys = top.mapping("access_keys")
        try:
            check_options(home_region=state.default_home_region, accounts=None, delays=None, seed=state.seed)
        except (TypeError, ValueError) as exc:
            raise SnapshotError(f"options: {exc}") from None
        try:
            _check_accounts(access_keys)
        except (TypeError, ValueError) as exc:
            raise SnapshotError(f"access_keys: {exc}") from None
        hub = cls(home_region=None, accounts=access_keys)
        hub.state = state
        hub.discovery_role = top.flag("discovery_role")
        for key, documents in top.mapping("policies").items():
            where = f"policies[{key!r}]"
            if not isinstance(documents, list):
                raise SnapshotError(f"{where}: expected the list of the key's policy documents")
            try:
                _check_access_key(key, "a key")
                hub.policies[key] = PolicySet(documents)
            except ValueError as exc:  # PolicyDocumentError included
                raise SnapshotError(f"{where}: {exc}") from None
        return hub

    def assert_contract(self) -> None:
        """Fail, naming each breach, unless the tool under test met Migration Hub's
        expected tool behaviour (see ``fakehub.contract``)."""
        from .contract import check

        self.catch_up()
        check(self).assert_clean()

    # ---- internal: the wire's view (fakehub.wire.dispatch.Backend; not public API) ----------

    @property
    def dispatcher(self) -> Dispatcher:
        """The hub's request dispatcher, for the shells that hand it requests (the botocore
        hook, the HTTP server).  Made on first use, under the lock: threads making their
        first calls together must share one (one sequence of request ids, one journal)."""
        dispatcher = self._dispatcher
        if dispatcher is None:
            with self.lock:
                dispatcher = self._dispatcher
                if dispatcher is None:
                    dispatcher = self._dispatcher = Dispatcher(self, self._id)
        return dispatcher

    def check_faults(self, spec: OperationSpec, call: Call, body: Mapping[str, Any]) -> None:
        if self._faults is not None:
            self._faults.check(spec, call, body)

    def record(
        self,
        spec: OperationSpec,
        call: Call,
        body: bytes | None,
        status: int,
        seq: int,
        data: bytes,
        user_agent: str | None,
        source_ip: str | None,
    ) -> None:
        self.journal.record(
            spec, call.account, call.region, body, status, seq, data, call.access_key, user_agent, source_ip
        )

    def operation(self, spec: OperationSpec) -> Callable[..., dict[str, Any]]:
        services = self._services
        if services is None:
            with self.lock:
                services = self._services
                if services is None:
                    services = self._services = self._build_services()
        method = getattr(services.get(spec.service.name), spec.method, None)
        if method is None:
            return _not_implemented(spec)
        return method  # type: ignore[no-any-return]

    def _build_services(self) -> dict[str, Any]:
        state = self.state
        return {
            "mgh": MigrationHubService(state),
            "migrationhub-config": HomeRegionService(
                accounts=lambda account: state.account(account).home,
                rng=state.rng,
                tokens=state.tokens,
                supported_regions=regions("mgh"),
            ),
            "discovery": DiscoveryService(lambda account: state.account(account).discovery, tokens=state.tokens),
        }


_HUB_MEMBERS = ("access_keys", "policies", "discovery_role")


def check_snapshot_alone(others: Iterable[str]) -> None:
    """Refuse options given beside ``snapshot=`` (``mock_migrationhub``, the pytest marker):
    the snapshot holds the hub's options, and which should win would be a guess."""
    named = sorted(others)
    if named:
        raise TypeError(
            f"snapshot= with {', '.join(f'{name}=...' for name in named)}: a snapshot holds the hub's options "
            "(home_region, accounts, delays, seed); pass them when taking it, not when restoring it"
        )


def read_snapshot_document(doc: object) -> Any:
    """The snapshot document itself, or read from the JSON file at the path given; refused
    if it nests deeper than a request may (the same limit on every Python: how deep the
    json module or a copy goes before a RecursionError differs between versions)."""
    if isinstance(doc, (str, os.PathLike)):
        path = os.fspath(doc)
        with open(path, encoding="utf-8") as file:
            try:
                doc = json.load(file, parse_constant=_refuse_constant)
            except SnapshotError:
                raise
            # ValueError: JSONDecodeError, UnicodeDecodeError, an int of over 4,300 digits
            except (ValueError, RecursionError) as exc:
                raise SnapshotError(f"snapshot file {path}: not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise SnapshotError(
            f"snapshot={doc!r}: use a document hub.snapshot() returned (a dict) or the path of a JSON file holding one"
        )
    _check_depth(doc)
    return doc


def _check_depth(doc: dict[str, Any]) -> None:
    """Refuse a document nested more than ``MAX_DEPTH`` levels (a snapshot holds about 10),
    naming the top-level member that does."""
    if _depth_exceeds([doc]):
        deep = next((name for name, value in doc.items() if _depth_exceeds([value], MAX_DEPTH - 1)), "a member")
        raise SnapshotError(
            f"snapshot: {deep} is nested more than {MAX_DEPTH} levels deep; a snapshot document is about 10"
        )


def _depth_exceeds(level: list[Any], limit: int = MAX_DEPTH) -> bool:
    """Whether any of ``level``'s values nests more than ``limit`` levels (walked a level at a
    time, without recursion)."""
    for _ in range(limit):
        level = [
            child
            for value in level
            if isinstance(value, (dict, list))
            for child in (value.values() if isinstance(value, dict) else value)
        ]
        if not any(isinstance(value, (dict, list)) for value in level):
            return False
    return any(isinstance(value, (dict, list)) for value in level)


def _refuse_constant(name: str) -> Any:
    raise SnapshotError(f'{name} is not a JSON number; a snapshot writes an infinite delay as "inf"')


def _check_record(operation: str, members: Mapping[str, Any], where: str) -> None:
    """A snapshot's record is what the operation storing it would accept: the model's
    constraints (names, enums, lengths), checked by the wire's own validators."""
    if operation == "add_server":
        try:
            _server_fields(**members)
        except (TypeError, ValueError) as exc:
            raise SnapshotError(f"{where}: {exc}") from None
        return
    violations = operation_named(operation).validate(members)
    if violations:
        raise SnapshotError(f"{where}: {operation} would refuse this record: {format_violations(violations)}")
    if operation == "CreateHomeRegionControl":
        try:
            check_home_region(members["HomeRegion"], regions("mgh"))
        except ServiceError as refused:  # the home-region service's own refusal
            raise SnapshotError(f"{where}: {operation} would refuse this record: {refused.message}") from None


def _not_implemented(spec: OperationSpec) -> Callable[..., dict[str, Any]]:
    codes = [
        c
        for c in ("OperationNotPermittedException", "InvalidParameterException", "InvalidInputException")
        if c in spec.errors
    ]

    def refuse(call: Call, **_params: Any) -> dict[str, Any]:
        raise ServiceError(
            codes[0] if codes else spec.service.internal_error,
            f"fakehub does not implement {spec.service.name} {spec.name}; see docs/operations.md for what it covers.",
        )

    return refuse


# ---- checking options and arguments (at construction or call, naming what is accepted) ------

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_VM_IDS = ("vcenter_id", "moref_id")
_IP_FORMS = "IPv4 (x.x.x.x, each x 0-255) or IPv6 (y:y:y:y:y:y:y:y, '::' short forms allowed, no %zone)"
_MAC_FORM = "six hexadecimal pairs separated by ':' or '-', e.g. 0A:1B:2C:3D:4E:5F"


def check_options(
    *, home_region: object, accounts: object, delays: object, seed: object, fake_credentials: object = True
) -> None:
    """Refuse an option of ``Hub(...)`` / ``mock_migrationhub(...)`` that is not one of
    those documented (docs/activation.md), with a message naming what is accepted."""
    _check_home_region(home_region)
    _check_accounts(accounts)
    if delays is not None and not isinstance(delays, Delays):
        raise TypeError(
            f"delays={delays!r}: use Delays(auto_mapping=..., stream_deletion=...) (seconds) or None (the defaults)"
        )
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise TypeError(f"seed={seed!r}: use an int (reproducible generated ids) or None (a fresh seed)")
    if not isinstance(fake_credentials, bool):
        raise TypeError(f"fake_credentials={fake_credentials!r}: use True or False")


def _check_home_region(home_region: object) -> None:
    if home_region is None or home_region == AUTO_HOME_REGION:
        return
    if not isinstance(home_region, str) or home_region not in regions("mgh"):
        raise ValueError(
            f"home_region={home_region!r}: Migration Hub is not available there; use one of "
            f"{', '.join(sorted(regions('mgh')))}, None (no home region) or 'auto' (the region "
            "of the first call)"
        )


def _check_accounts(accounts: object) -> None:
    if accounts is None:
        return
    if not isinstance(accounts, Mapping):
        raise TypeError(f"accounts={accounts!r}: use a mapping of access key id -> 12-digit account id")
    for access_key, account in accounts.items():
        _check_access_key(access_key, "accounts={...}: a key")
        _check_account_id(account, f"accounts={{{access_key!r}: ...}}")


def _check_access_key(access_key: object, where: str) -> None:
    """An access key id a request can be signed with: botocore writes it into the
    credential scope (``Credential=<key>/<date>/<region>/...``), which '/' or ',' would end."""
    if not isinstance(access_key, str) or not access_key or "/" in access_key or "," in access_key:
        raise ValueError(f"{where} {access_key!r}: use a non-empty access key id without '/' or ','")


def _check_account_id(account: object, where: str) -> None:
    if not isinstance(account, str) or _ACCOUNT_ID.fullmatch(account) is None:
        raise ValueError(f"{where} {account!r}: use a 12-digit AWS account id such as {DEFAULT_ACCOUNT!r}")


def _check_text(value: object, where: str, *, optional: bool = False, nul_allowed: bool = True) -> None:
    """A name or field held as text: a non-empty string (or None, where ``optional``)."""
    if value is None and optional:
        return
    if not isinstance(value, str) or not value or (not nul_allowed and "\x00" in value):
        refused = "" if nul_allowed else " without NUL"
        nothing = " or None" if optional else ""
        raise ValueError(f"{where} {value!r}: use a non-empty string{refused}{nothing}")


def _server_fields(
    *, ip_addresses: object, mac_addresses: object, **texts: object
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The addresses of a server ``add_server`` accepts, or why not (its texts are checked too)."""
    for name, value in texts.items():
        # NUL: the matching index joins the two VM ids with it (mapping.vm_key).
        _check_text(value, f"add_server({name}=...)", optional=True, nul_allowed=name not in _VM_IDS)
    ips = _addresses(ip_addresses, "ip_addresses", _is_ip_address, _IP_FORMS)
    return ips, _addresses(mac_addresses, "mac_addresses", _is_mac_address, _MAC_FORM)


def _addresses(values: object, name: str, valid: Callable[[str], bool], forms: str) -> tuple[str, ...]:
    """The addresses as given (matched as mapping normalises them), or why not."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"add_server({name}={values!r}): use a list of addresses, e.g. {name}=[...]")
    found = tuple(values)
    for value in found:
        if not isinstance(value, str) or not valid(value):
            raise ValueError(f"add_server({name}=...): {value!r} is not an address auto-mapping can match; use {forms}")
    return found


def _is_ip_address(value: str) -> bool:
    """What an IPV4_ADDRESS or IPV6_ADDRESS attribute may hold: the forms auto-mapping matches."""
    return any(
        not mapping.validate_attribute_values([(kind, value)]) for kind in (mapping.IPV4_ADDRESS, mapping.IPV6_ADDRESS)
    )


def _is_mac_address(value: str) -> bool:
    return not mapping.validate_attribute_values([(mapping.MAC_ADDRESS, value)])
