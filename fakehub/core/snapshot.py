"""A hub's state as a JSON document, and back: ``hub.snapshot()`` / ``Hub.from_snapshot``.

The document holds what a user could observe of the hub and what decides its next
answers: every account (streams, deleting ones included; tasks with their update
history, attributes and associations; application states; the home-region control;
the ADS repository), the pending asynchronous steps with their due times, the page
tokens' key (tokens issued before a snapshot resume after a restore of it) and the
random source's state (the next generated ids are the same).  Indexes and caches are
derived, so they are rebuilt, not stored.

Reading is strict: a member of the wrong type, an unknown member, a record that
refers to what does not exist or a duplicate id is refused with a
``SnapshotError`` naming where it is, before anything is built; a format version
other than ``VERSION`` is refused, never guessed at.  What only the service
model can check (name patterns, enums) is checked by the ``check`` function the hub
passes in, as the operation that stores each record would check it.
"""

from __future__ import annotations

import base64
import binascii
import math
import random
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeGuard

from . import mapping, steps
from .clock import EARLIEST, LATEST
from .discovery import (
    APPLICATION_PREFIX,
    MAX_APPLICATIONS,
    MAX_SERVERS_PER_APPLICATION,
    SERVER_PREFIX,
    Application,
    RepositoryContents,
    Server,
)
from .homeregion import TARGET_TYPE_ACCOUNT, HomeRegionControl
from .paging import OrderedIndex
from .records import ApplicationState, Associations, Stream, Task, TaskKey
from .scheduler import Step
from .state import AccountState, Delays, HubState

FORMAT_MEMBER = "fakehub_snapshot"
VERSION = 1
"""The format this fakehub writes and reads; a change that an older reader would
misread gets a new number."""

RecordCheck = Callable[[str, Mapping[str, Any], str], None]
"""``check(operation, request_members, where)``: raise ``SnapshotError`` unless the
operation that stores such a record would accept these members (``"add_server"``: the
hub's own ``add_server``, which is how ADS servers get in)."""

_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_ASSOCIATION_NAMES = {"artifacts": "Name", "discovered": "ConfigurationId", "sources": "Name"}
_ASSOCIATION_OPERATIONS = {
    "artifacts": ("AssociateCreatedArtifact", "CreatedArtifact"),
    "discovered": ("AssociateDiscoveredResource", "DiscoveredResource"),
    "sources": ("AssociateSourceResource", "SourceResource"),
}
_LARGEST_FLOAT = sys.float_info.max
_INT64_MAX = 2**63 - 1
_TIME_RANGE = f"a time, epoch seconds from {EARLIEST} (0001-01-01) to {LATEST} (9999-12-31T23:59:59Z)"
_SERVER_TEXTS = ("hostname", "vcenter_id", "moref_id", "vm_name", "vm_path", "bios_id", "os_name", "os_version")


class SnapshotError(ValueError):
    """A snapshot document fakehub cannot restore; the message names the member at fault
    (``accounts[0].tasks[3].stream``) and what would be accepted."""


# ---- writing ------------------------------------------------------------------------------


def dump(state: HubState, *, now: float, clock_offset: float) -> dict[str, Any]:
    """The document of everything ``state`` holds (JSON-serialisable: numbers, strings,
    lists, dicts; an infinite delay or due time is written ``"inf"``)."""
    return {
        FORMAT_MEMBER: VERSION,
        "taken_at": now,
        "clock_offset": clock_offset,
        "options": {
            "home_region": state.default_home_region,
            "delays": {
                "auto_mapping": _seconds_out(state.delays.auto_mapping),
                "stream_deletion": _seconds_out(state.delays.stream_deletion),
            },
            "seed": state.seed,
        },
        "page_token_secret": base64.b64encode(state.tokens.secret).decode("ascii"),
        # seed=None draws a fresh seed at the first id: draw it now, or the restored hub
        # would draw another and generate other ids than the original.
        "random_state": _random_out(state.rng.getstate() if state.seed is None else state.random_state()),
        "accounts": [_account_out(account) for account in state.accounts.values()],
        "pending": [_step_out(step) for step in state.scheduler.steps()],
    }


def _seconds_out(value: float) -> float | str:
    return "inf" if value == math.inf else value


def _random_out(random_state: Any) -> Any:
    if random_state is None:
        return None
    version, internal, gauss_next = random_state
    return [version, list(internal), gauss_next]


def _account_out(account: AccountState) -> dict[str, Any]:
    control = account.home.control
    return {
        "id": account.account_id,
        "home_region_control": None
        if control is None
        else {
            "control_id": control.control_id,
            "home_region": control.home_region,
            "target": {"type": control.target_type, "id": control.target_id},
            "requested_time": control.requested_time,
        },
        "auto_home_region": account.auto_home,
        "streams": [{"name": s.name, "created": s.created, "deleting": s.deleting} for s in account.streams.values()],
        "tasks": [_task_out(task) for stream in account.streams.values() for task in stream.tasks.values()],
        "application_states": [
            {"id": a.application_id, "status": a.status, "updated": a.updated} for a in account.applications.values()
        ],
        "discovery": _discovery_out(account),
    }


def _task_out(task: Task) -> dict[str, Any]:
    return {
        "stream": task.stream,
        "name": task.name,
        "imported": task.imported,
        "history": [[when, dict(state)] for when, state in task.history()],
        "next_update_seconds": task.next_update_seconds,
        "attributes": [[kind, value] for kind, value in task.attributes],
        **{kind: _associations_out(getattr(task, kind)) for kind in _ASSOCIATION_NAMES},
        "auto_mapped": task.auto_mapped,
    }


def _associations_out(found: Associations | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {"next_seq": found.next_seq, "items": [[seq, dict(item)] for seq, item in found.entries()]}


def _discovery_out(account: AccountState) -> dict[str, Any]:
    contents = account.discovery.export()
    servers = []
    for server in contents.servers:
        record: dict[str, Any] = {
            "configuration_id": server.configuration_id,
            "seq": server.seq,
            "time_of_creation": server.time_of_creation,
            "ip_addresses": list(server.ip_addresses),
            "mac_addresses": list(server.mac_addresses),
        }
        record.update({name: getattr(server, name) for name in _SERVER_TEXTS})
        record["applications"] = contents.server_applications.get(server.configuration_id, [])
        servers.append(record)
    applications = [
        {
            "configuration_id": app.configuration_id,
            "seq": app.seq,
            "name": app.name,
            "description": app.description,
            "wave": app.wave,
            "time_of_creation": app.time_of_creation,
            "last_modified_time": app.last_modified_time,
            "servers": contents.members[app.configuration_id],
        }
        for app in contents.applications
    ]
    return {"next_seq": contents.next_seq, "servers": servers, "applications": applications}


def _step_out(step: Step) -> dict[str, Any]:
    names = steps.SUBJECTS[step.kind]
    return {"kind": step.kind, "due": _seconds_out(step.due), **dict(zip(names, step.subject, strict=True))}


# ---- reading ------------------------------------------------------------------------------


class Reader:
    """One JSON object of the document and where it is, read member by member."""

    __slots__ = ("where", "_value")

    def __init__(self, value: Any, where: str, required: Iterable[str], optional: Iterable[str] = ()) -> None:
        if not isinstance(value, dict):
            raise SnapshotError(f"{where}: expected an object, found {_kind(value)}")
        required, optional = tuple(required), tuple(optional)
        missing = [name for name in required if name not in value]
        if missing:
            raise SnapshotError(f"{where}: missing member(s) {', '.join(map(repr, missing))}")
        unknown = sorted(str(name) for name in value if name not in required and name not in optional)
        if unknown:
            raise SnapshotError(
                f"{where}: unknown member(s) {', '.join(map(repr, unknown))}; "
                f"the members are {', '.join((*required, *optional))}"
            )
        self.where = where
        self._value = value

    def at(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def raw(self, name: str) -> Any:
        return self._value.get(name)

    def text(self, name: str) -> str:
        value = self._value.get(name)
        if not isinstance(value, str) or not value:
            raise SnapshotError(f"{self.at(name)}: expected a non-empty string, found {_kind(value)}")
        return value

    def maybe_text(self, name: str) -> str | None:
        return None if self._value.get(name) is None else self.text(name)

    def number(self, name: str, *, infinite: bool = False) -> float:
        value = self._value.get(name)
        if infinite and value == "inf":
            return math.inf
        if not _within(value, -_LARGEST_FLOAT, _LARGEST_FLOAT):  # NaN, infinities and 10**400 too
            also = ' or "inf"' if infinite else ""
            raise SnapshotError(f"{self.at(name)}: expected a finite number{also}, found {_kind(value)}")
        return value

    def time(self, name: str) -> float:
        """An instant, as the hub's clock gives them: ADS prints its times as dates, and a
        client parses every time it is sent, so a time is one of the years 1 to 9999."""
        value = self._value.get(name)
        if not _within(value, EARLIEST, LATEST):
            raise SnapshotError(f"{self.at(name)}: expected {_TIME_RANGE}, found {_kind(value)}")
        return value

    def integer(self, name: str, *, minimum: int | None = 0, maximum: int | None = _INT64_MAX) -> int:
        """An integer within the bounds (None: unbounded); sequence numbers and counts are
        held to 64 bits, as the model's integers are."""
        value = self._value.get(name)
        if not _within(value, minimum, maximum) or not isinstance(value, int):
            raise SnapshotError(
                f"{self.at(name)}: expected an integer{_bounds(minimum, maximum)}, found {_kind(value)}"
            )
        return value

    def maybe_integer(self, name: str, *, minimum: int = 0) -> int | None:
        return None if self._value.get(name) is None else self.integer(name, minimum=minimum)

    def flag(self, name: str) -> bool:
        value = self._value.get(name)
        if not isinstance(value, bool):
            raise SnapshotError(f"{self.at(name)}: expected true or false, found {_kind(value)}")
        return value

    def items(self, name: str) -> list[tuple[str, Any]]:
        """(where, item) of each element of the list member ``name``."""
        value = self._value.get(name)
        if not isinstance(value, list):
            raise SnapshotError(f"{self.at(name)}: expected a list, found {_kind(value)}")
        return [(f"{self.at(name)}[{i}]", item) for i, item in enumerate(value)]

    def mapping(self, name: str) -> dict[str, Any]:
        value = self._value.get(name)
        if not isinstance(value, dict):
            raise SnapshotError(f"{self.at(name)}: expected an object, found {_kind(value)}")
        return value

    def texts(self, name: str) -> list[str]:
        found = []
        for where, item in self.items(name):
            if not isinstance(item, str) or not item:
                raise SnapshotError(f"{where}: expected a non-empty string, found {_kind(item)}")
            found.append(item)
        return found


def _within(value: Any, low: float | None, high: float | None) -> TypeGuard[float]:
    """A JSON number (not a boolean) from ``low`` to ``high`` (None: unbounded), compared
    exactly: an int too large for a float is out of range, not an OverflowError, and NaN is
    within no range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return (low is None or low <= value) and (high is None or value <= high)


def _bounds(minimum: int | None, maximum: int | None) -> str:
    if minimum is None:
        return "" if maximum is None else f" <= {maximum}"
    return f" >= {minimum}" if maximum is None else f" from {minimum} to {maximum}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"a string of {len(value)} characters"
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


def _no_check(operation: str, members: Mapping[str, Any], where: str) -> None:
    return None


def read_version(doc: Any) -> None:
    """Refuse what is not a snapshot of this format, saying which format it is."""
    if not isinstance(doc, dict) or FORMAT_MEMBER not in doc:
        raise SnapshotError(
            f"not a fakehub snapshot: expected an object with a {FORMAT_MEMBER!r} member "
            f"(what hub.snapshot() returns), found {_kind(doc)}"
            + (f" with members {', '.join(map(repr, sorted(map(str, doc))))}" if isinstance(doc, dict) else "")
        )
    version = doc[FORMAT_MEMBER]
    if type(version) is int and version == VERSION:  # not True, not 1.0
        return
    if type(version) is int and version > VERSION:
        raise SnapshotError(
            f"{FORMAT_MEMBER}: this snapshot has format {version}, written by a newer fakehub; this fakehub "
            f"reads format {VERSION}. Upgrade fakehub to restore it."
        )
    raise SnapshotError(
        f"{FORMAT_MEMBER}: format {_kind(version)} is not one this fakehub reads (it reads format {VERSION}); "
        "take the snapshot again with this fakehub."
    )


MEMBERS = (
    FORMAT_MEMBER,
    "taken_at",
    "clock_offset",
    "options",
    "page_token_secret",
    "random_state",
    "accounts",
    "pending",
)
"""The top-level members this module writes and reads (the hub adds its own)."""


def load(doc: Any, *, check: RecordCheck | None = None, hub_members: Iterable[str] = ()) -> HubState:
    """The hub state ``doc`` describes; ``hub_members`` names the top-level members the
    hub reads itself (required too).  The clock offset is checked, not applied: the
    process's clock is not the hub's to move."""
    check = check or _no_check
    read_version(doc)
    top = Reader(doc, "", (*MEMBERS, *hub_members))
    _clock_in(top)
    state = _options_in(top)
    state.resume_sources(_secret_in(top), _random_in(top))
    seen: set[str] = set()
    for where, item in top.items("accounts"):
        account = _account_in(Reader(item, where, _ACCOUNT_MEMBERS), state, check)
        if account.account_id in seen:
            raise SnapshotError(f"{where}.id: account {account.account_id} appears twice")
        seen.add(account.account_id)
        state.accounts[account.account_id] = account
    _pending_in(top, state)
    return state


def _clock_in(top: Reader) -> None:
    """Checked, not applied (that is the server's, which owns its clock): the process's
    clock when the snapshot was taken, ``taken_at - clock_offset``, is a time too."""
    taken_at, offset = top.time("taken_at"), top.number("clock_offset")
    if not EARLIEST <= taken_at - offset <= LATEST:
        raise SnapshotError(
            f"{top.at('clock_offset')}: taken_at - clock_offset (the process's clock when the snapshot was taken) "
            f"must be {_TIME_RANGE}; found {taken_at - offset!r}"
        )


def _options_in(top: Reader) -> HubState:
    options = Reader(top.raw("options"), top.at("options"), ("home_region", "delays", "seed"))
    delays = Reader(options.raw("delays"), options.at("delays"), ("auto_mapping", "stream_deletion"))
    seed = options.raw("seed")
    if seed is not None:
        seed = options.integer("seed", minimum=None, maximum=None)  # any int Hub(seed=...) takes
    try:
        made = Delays(
            auto_mapping=delays.number("auto_mapping", infinite=True),
            stream_deletion=delays.number("stream_deletion", infinite=True),
        )
    except (TypeError, ValueError) as exc:
        raise SnapshotError(f"{delays.where}: {exc}") from None
    return HubState(home_region=options.maybe_text("home_region"), delays=made, seed=seed)


def _secret_in(top: Reader) -> bytes:
    text = top.text("page_token_secret")
    try:
        secret = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        secret = b""
    if len(secret) < 16:
        raise SnapshotError(f"{top.at('page_token_secret')}: expected the base64 of at least 16 bytes")
    return secret


def _random_in(top: Reader) -> Any:
    value = top.raw("random_state")
    if value is None:
        return None
    where = top.at("random_state")
    shaped = (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[1], list)
        and all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**32 for n in value[1])
        and (value[2] is None or (isinstance(value[2], float) and math.isfinite(value[2])))
    )
    if not shaped:
        raise SnapshotError(f"{where}: expected null or [version, [625 integers], null] as random.getstate() gives")
    random_state = (value[0], tuple(value[1]), value[2])
    try:
        random.Random().setstate(random_state)
    except (TypeError, ValueError) as exc:
        raise SnapshotError(f"{where}: not a state of Python's random generator ({exc})") from None
    if _stuck(value[1]):
        raise SnapshotError(
            f"{where}: a state Python's generator never leaves (it would draw 0 for ever, and every id it "
            "generated would be the same); take the snapshot again"
        )
    return random_state


def _stuck(internal: list[int]) -> bool:
    """MT19937's one fixed point: its 19,937 bits of state (the top bit of the first word,
    all of the 623 others) are zero, so every word it twists is zero too.  Python's own
    seeding always sets that top bit."""
    return not internal[0] >> 31 and not any(internal[1:624])


_ACCOUNT_MEMBERS = (
    "id",
    "home_region_control",
    "auto_home_region",
    "streams",
    "tasks",
    "application_states",
    "discovery",
)
_TASK_MEMBERS = (
    "stream",
    "name",
    "imported",
    "history",
    "next_update_seconds",
    "attributes",
    *_ASSOCIATION_NAMES,
    "auto_mapped",
)
_SERVER_MEMBERS = (
    "configuration_id",
    "seq",
    "time_of_creation",
    "ip_addresses",
    "mac_addresses",
    *_SERVER_TEXTS,
    "applications",
)
_APPLICATION_MEMBERS = (
    "configuration_id",
    "seq",
    "name",
    "description",
    "wave",
    "time_of_creation",
    "last_modified_time",
    "servers",
)


def _account_in(obj: Reader, state: HubState, check: RecordCheck) -> AccountState:
    account_id = obj.text("id")
    if _ACCOUNT_ID.fullmatch(account_id) is None:
        raise SnapshotError(f"{obj.at('id')}: expected a 12-digit AWS account id, found {account_id!r}")
    account = AccountState(account_id, state.rng)
    account.auto_home = obj.flag("auto_home_region")
    account.home.control = _control_in(obj, account_id, check)
    for where, item in obj.items("streams"):
        stream_obj = Reader(item, where, ("name", "created", "deleting"))
        name = stream_obj.text("name")
        if name in account.streams:
            raise SnapshotError(f"{stream_obj.at('name')}: stream {name!r} appears twice")
        check("CreateProgressUpdateStream", {"ProgressUpdateStreamName": name}, where)
        account.streams.put(name, Stream(name, stream_obj.time("created"), stream_obj.flag("deleting")))
    tasks: list[tuple[TaskKey, Task]] = []
    for where, item in obj.items("tasks"):
        task = _task_in(Reader(item, where, _TASK_MEMBERS), account, check)
        tasks.append((task.key, task))
    account.tasks = OrderedIndex.from_items(tasks)
    _application_states_in(obj, account, check)
    _discovery_in(
        Reader(obj.raw("discovery"), obj.at("discovery"), ("next_seq", "servers", "applications")), account, check
    )
    for key, task in tasks:
        if task.discovered is not None:
            for resource in task.discovered:
                steps.associate_resource(account, task, resource)  # the index of tasks by resource
        if task.auto_mapped is not None and not account.discovery.server_exists(task.auto_mapped):
            raise SnapshotError(
                f"{obj.at('tasks')}: task {key[1]!r} of stream {key[0]!r} was auto-mapped to server "
                f"{task.auto_mapped!r}, which is not in the account's ADS repository"
            )
    return account


def _control_in(obj: Reader, account_id: str, check: RecordCheck) -> HomeRegionControl | None:
    if obj.raw("home_region_control") is None:
        return None
    control = Reader(
        obj.raw("home_region_control"),
        obj.at("home_region_control"),
        ("control_id", "home_region", "target", "requested_time"),
    )
    target = Reader(control.raw("target"), control.at("target"), ("type", "id"))
    target_type, target_id = target.text("type"), target.text("id")
    if target_type != TARGET_TYPE_ACCOUNT or target_id != account_id:
        raise SnapshotError(
            f"{target.where}: a home region control targets its own account: expected type "
            f"{TARGET_TYPE_ACCOUNT!r} and id {account_id!r}, found {target_type!r} and {target_id!r}"
        )
    home_region, control_id = control.text("home_region"), control.text("control_id")
    check(
        "CreateHomeRegionControl",
        {"HomeRegion": home_region, "Target": {"Type": target_type, "Id": target_id}},
        control.where,
    )
    check("DeleteHomeRegionControl", {"ControlId": control_id}, control.where)  # an id a call can name
    return HomeRegionControl(control_id, home_region, target_type, target_id, control.time("requested_time"))


def _task_in(obj: Reader, account: AccountState, check: RecordCheck) -> Task:
    stream_name, name = obj.text("stream"), obj.text("name")
    stream = account.streams.get(stream_name)
    if stream is None:
        raise SnapshotError(
            f"{obj.at('stream')}: task {name!r} is in stream {stream_name!r}, which is not among the account's streams"
        )
    if name in stream.tasks:
        raise SnapshotError(f"{obj.at('name')}: task {name!r} appears twice in stream {stream_name!r}")
    key = {"ProgressUpdateStream": stream_name, "MigrationTaskName": name}
    check("ImportMigrationTask", key, obj.where)
    task = Task(stream.name, name, obj.time("imported"))
    history = []
    next_update = obj.maybe_integer("next_update_seconds")
    for where, entry in obj.items("history"):
        if not (isinstance(entry, list) and len(entry) == 2):
            raise SnapshotError(f"{where}: expected [update time, task state], found {_kind(entry)}")
        when = Reader({"time": entry[0]}, where, ("time",)).time("time")
        sent = entry[1]
        check(
            "NotifyMigrationTaskState",
            {**key, "Task": sent, "UpdateDateTime": when, "NextUpdateSeconds": next_update or 0},
            where,
        )
        Reader(sent, f"{where}[1]", ("Status",), ("ProgressPercent", "StatusDetail")).text("Status")
        history.append((when, dict(sent)))
    if history:
        if next_update is None:
            raise SnapshotError(
                f"{obj.at('next_update_seconds')}: a notified task has the NextUpdateSeconds of its last notification"
            )
        *earlier, (task.update_time, task.state) = history
        task.updates = earlier or None
        task.next_update_seconds = next_update
    elif next_update is not None:
        raise SnapshotError(
            f"{obj.at('next_update_seconds')}: expected null for a task never notified (its history is empty)"
        )
    pairs = []
    for where, pair in obj.items("attributes"):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise SnapshotError(f"{where}: expected [type, value], two strings, found {_kind(pair)}")
        pairs.append((pair[0], pair[1]))
    if pairs:
        check(
            "PutResourceAttributes",
            {**key, "ResourceAttributeList": [{"Type": t, "Value": v} for t, v in pairs]},
            obj.at("attributes"),
        )
        problems = mapping.validate_attribute_values(pairs)  # what auto-mapping could not parse
        if problems:
            raise SnapshotError(
                f"{obj.at('attributes')}: PutResourceAttributes would refuse this record: {'; '.join(problems)}"
            )
    task.attributes = tuple(pairs)
    for kind, (operation, member) in _ASSOCIATION_OPERATIONS.items():

        def check_item(item: Any, where: str, operation: str = operation, member: str = member) -> None:
            check(operation, {**key, member: item}, where)

        setattr(task, kind, _associations_in(obj, kind, check_item))
    task.auto_mapped = obj.maybe_text("auto_mapped")
    if task.auto_mapped is not None and (task.discovered is None or task.auto_mapped not in task.discovered):
        raise SnapshotError(
            f"{obj.at('auto_mapped')}: {task.auto_mapped!r} is not among the task's discovered resources"
        )
    stream.tasks[name] = task
    return task


def _associations_in(obj: Reader, kind: str, check: Callable[[Any, str], None]) -> Associations | None:
    if obj.raw(kind) is None:
        return None
    found = Reader(obj.raw(kind), obj.at(kind), ("next_seq", "items"))
    next_seq = found.integer("next_seq", minimum=1)
    name_member = _ASSOCIATION_NAMES[kind]
    entries: list[tuple[str, int, dict[str, Any]]] = []
    names: set[str] = set()
    for where, entry in found.items("items"):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[1], dict)):
            raise SnapshotError(f"{where}: expected [sequence number, item], found {_kind(entry)}")
        seq = Reader({"seq": entry[0]}, where, ("seq",)).integer("seq", minimum=1)
        if (entries and seq <= entries[-1][1]) or seq >= next_seq:
            raise SnapshotError(f"{where}: sequence numbers grow along the list and stay below next_seq ({next_seq})")
        check(entry[1], where)
        name = Reader(entry[1], f"{where}[1]", (name_member,), ("Description",)).text(name_member)
        if name in names:
            raise SnapshotError(f"{where}: {name!r} appears twice")
        names.add(name)
        entries.append((name, seq, dict(entry[1])))
    return Associations.restored(entries, next_seq)


def _application_states_in(obj: Reader, account: AccountState, check: RecordCheck) -> None:
    for where, item in obj.items("application_states"):
        app = Reader(item, where, ("id", "status", "updated"))
        app_id, status, updated = app.text("id"), app.text("status"), app.time("updated")
        if app_id in account.applications:
            raise SnapshotError(f"{app.at('id')}: application {app_id!r} appears twice")
        check("NotifyApplicationState", {"ApplicationId": app_id, "Status": status, "UpdateDateTime": updated}, where)
        account.applications.put(app_id, ApplicationState(app_id, status, updated))


def _discovery_in(obj: Reader, account: AccountState, check: RecordCheck) -> None:
    next_seq = obj.integer("next_seq")
    seqs: set[int] = set()
    servers: list[Server] = []
    server_apps: dict[str, list[str]] = {}
    ids: set[str] = set()

    def record_id(record: Reader, prefix: str) -> str:
        cid = record.text("configuration_id")
        if not cid.startswith(prefix):
            raise SnapshotError(f"{record.at('configuration_id')}: expected an id starting {prefix!r}, found {cid!r}")
        if cid in ids:
            raise SnapshotError(f"{record.at('configuration_id')}: configuration id {cid!r} appears twice")
        check("DescribeConfigurations", {"configurationIds": [cid]}, record.where)  # an id a call can name
        ids.add(cid)
        return cid

    def record_seq(record: Reader, previous: int) -> int:
        seq = record.integer("seq")
        if seq in seqs or seq >= next_seq or seq <= previous:
            raise SnapshotError(
                f"{record.at('seq')}: {seq} breaks the creation order: sequence numbers are unique, grow along "
                f"the list and stay below next_seq ({next_seq})"
            )
        seqs.add(seq)
        return seq

    for where, item in obj.items("servers"):
        record = Reader(item, where, _SERVER_MEMBERS)
        cid = record_id(record, SERVER_PREFIX)
        texts = {name: record.maybe_text(name) for name in _SERVER_TEXTS}
        ips, macs = record.texts("ip_addresses"), record.texts("mac_addresses")
        check("add_server", {**texts, "ip_addresses": ips, "mac_addresses": macs}, where)
        servers.append(
            Server(
                cid,
                record_seq(record, servers[-1].seq if servers else -1),
                record.time("time_of_creation"),
                ip_addresses=tuple(ips),
                mac_addresses=tuple(macs),
                **texts,
            )
        )
        server_apps[cid] = _unique(record, "applications")
    applications: list[Application] = []
    members: dict[str, list[str]] = {}
    for where, item in obj.items("applications"):
        record = Reader(item, where, _APPLICATION_MEMBERS)
        cid = record_id(record, APPLICATION_PREFIX)
        name, description, wave = record.text("name"), record.raw("description"), record.raw("wave")
        for member in ("description", "wave"):
            if record.raw(member) is not None and not isinstance(record.raw(member), str):
                raise SnapshotError(
                    f"{record.at(member)}: expected a string or null, found {_kind(record.raw(member))}"
                )
        check(
            "CreateApplication",
            {
                "name": name,
                **({"description": description} if description is not None else {}),
                **({"wave": wave} if wave is not None else {}),
            },
            where,
        )
        seq = record_seq(record, applications[-1].seq if applications else -1)
        applications.append(
            Application(
                cid,
                seq,
                name,
                description,
                wave,
                record.time("time_of_creation"),
                record.time("last_modified_time"),
            )
        )
        members[cid] = _unique(record, "servers")
        if len(members[cid]) > MAX_SERVERS_PER_APPLICATION:
            raise SnapshotError(
                f"{record.at('servers')}: an application holds at most {MAX_SERVERS_PER_APPLICATION} servers"
            )
    if len(applications) > MAX_APPLICATIONS:
        raise SnapshotError(f"{obj.at('applications')}: an account holds at most {MAX_APPLICATIONS} applications")
    pairs_by_app = {(app, cid) for app, cids in members.items() for cid in cids}
    pairs_by_server = {(app, cid) for cid, apps in server_apps.items() for app in apps}
    if pairs_by_app != pairs_by_server:
        app, cid = min(pairs_by_app ^ pairs_by_server)
        raise SnapshotError(
            f"{obj.where}: server {cid!r} and application {app!r} disagree on their membership: a server's "
            "applications and an application's servers list the same pairs"
        )
    account.discovery.restore(
        RepositoryContents(servers, applications, members, {c: a for c, a in server_apps.items() if a}, next_seq)
    )


def _unique(record: Reader, name: str) -> list[str]:
    found = record.texts(name)
    if len(set(found)) != len(found):
        raise SnapshotError(f"{record.at(name)}: an id appears twice")
    return found


def _pending_in(top: Reader, state: HubState) -> None:
    steps_in: list[tuple[float, int, str, tuple[str, ...], str]] = []
    for position, (where, item) in enumerate(top.items("pending")):
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind not in steps.KINDS:
            raise SnapshotError(
                f"{where}.kind: expected one of {', '.join(map(repr, steps.KINDS))}, found {_kind(kind)}"
            )
        names = steps.SUBJECTS[kind]
        step = Reader(item, where, ("kind", "due", *names))
        subject = tuple(step.text(name) for name in names)
        due = step.number("due", infinite=True)
        if due < EARLIEST:  # a step that runs late is stamped with its due time: a time, then
            raise SnapshotError(
                f'{step.at("due")}: expected a number of epoch seconds from {EARLIEST} (0001-01-01), or "inf", '
                f"found {_kind(due)}"
            )
        steps_in.append((due, position, kind, subject, where))
    scheduled: dict[tuple[str, tuple[str, ...]], str] = {}
    for due, _, kind, subject, where in sorted(steps_in):  # the order they run in
        account = state.accounts.get(subject[0])
        if account is None:
            raise SnapshotError(f"{where}.account: {subject[0]!r} is not among the snapshot's accounts")
        if (kind, subject) in scheduled:
            raise SnapshotError(f"{where}: the same step is pending at {scheduled[kind, subject]} too")
        scheduled[kind, subject] = where
        handle = state.scheduler.schedule(due, kind, subject)
        if kind == steps.AUTO_MAPPING:
            task = account.tasks.get((subject[1], subject[2]))
            if task is None or not task.attributes:
                raise SnapshotError(
                    f"{where}: auto-mapping is pending for task {subject[2]!r} of stream {subject[1]!r}, "
                    "which has no attributes to map"
                )
            task.pending_mapping = handle
        else:
            stream = account.streams.get(subject[1])
            if stream is None or not stream.deleting:
                raise SnapshotError(
                    f"{where}: deletion is pending for stream {subject[1]!r}, which is not a stream being deleted"
                )
    for account in state.accounts.values():
        for stream in account.streams.values():
            if stream.deleting and (steps.STREAM_DELETION, (account.account_id, stream.name)) not in scheduled:
                raise SnapshotError(
                    f"accounts: stream {stream.name!r} of account {account.account_id} is being deleted, but no "
                    "stream-deletion step is pending for it (it would never finish)"
                )
