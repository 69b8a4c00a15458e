"""Contract checks: did the migration tool under test behave as the Migration
Hub API reference asks a tool to?

The reference asks a tool to retry on API failures, to publish updates at
least as often as it promised with ``NextUpdateSeconds`` (else the task is
"stale"), to call PutResourceAttributes and resend when the resource changes,
and to import tasks as early as possible.  ``check`` reads the hub's
journal and clock and reports each breach with its task and time; the exact
definitions are in ``docs/journal-and-contract.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .core import clock
from .core.clock import iso_utc as when
from .core.staleness import TERMINAL, stale_since

if TYPE_CHECKING:
    from .hub import Hub
    from .journal import Entry

RETRYABLE = frozenset(
    {"ThrottlingException", "InternalServerError", "ServiceUnavailableException", "ServerInternalErrorException"}
)
"""Error codes botocore's retry modes treat as transient for these services."""

TASK_WRITES = frozenset(
    {
        "NotifyMigrationTaskState",
        "PutResourceAttributes",
        "AssociateCreatedArtifact",
        "AssociateDiscoveredResource",
        "AssociateSourceResource",
    }
)

# Attribute types that name a resource rather than an address it currently has: two
# attribute lists sharing one of these values describe the same server.
IDENTIFYING = frozenset(
    {"MAC_ADDRESS", "FQDN", "VM_NAME", "VM_PATH", "VM_MANAGED_OBJECT_REFERENCE", "BIOS_ID", "MOTHERBOARD_SERIAL_NUMBER"}
)

UNRETRIED = "unretried-failure"
STALE = "stale-task"
NO_ATTRIBUTES = "no-resource-attributes"
NOT_IMPORTED = "not-imported"
ATTRIBUTES_NOT_REFRESHED = "attributes-not-refreshed"


@dataclass(frozen=True)
class Breach:
    kind: str
    time: float
    account: str
    stream: str | None
    task: str | None
    detail: str

    def __str__(self) -> str:
        where = f"{self.stream}/{self.task}" if self.task else (self.stream or "-")
        return f"{when(self.time)} {self.kind} {where} (account {self.account}): {self.detail}"


class ContractBreach(AssertionError):
    """The tool under test broke Migration Hub's expected tool behaviour."""


@dataclass
class ContractReport:
    checked_at: float
    breaches: list[Breach] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.breaches

    def of_kind(self, kind: str) -> list[Breach]:
        return [b for b in self.breaches if b.kind == kind]

    def __str__(self) -> str:
        if self.clean:
            return f"Contract report as of {when(self.checked_at)}: clean"
        lines = [f"Contract report as of {when(self.checked_at)}: {len(self.breaches)} breach(es)"]
        lines += [f"  - {b}" for b in self.breaches]
        return "\n".join(lines)

    def assert_clean(self) -> None:
        """Raise ``ContractBreach`` naming every breach, its task and time."""
        if not self.clean:
            raise ContractBreach(str(self))


def check(hub: Hub, *, now: float | None = None) -> ContractReport:
    """The contract report for everything ``hub`` answered, as of ``now`` (default: the hub's clock)."""
    now = clock.now() if now is None else now
    entries = list(hub.journal)
    breaches = [*_unretried(entries), *_not_imported(entries), *_attributes_not_refreshed(entries)]
    with hub.lock:
        breaches += _stale(entries, hub, now)
        breaches += _without_attributes(hub)
    breaches.sort(key=lambda b: (b.time, b.kind, b.stream or "", b.task or ""))
    return ContractReport(now, breaches)


def _task_key(entry: Entry) -> tuple[str, str, str] | None:
    stream, task = entry.stream, entry.task
    return (entry.account, stream, task) if stream is not None and task is not None else None


def _retry_identity(entry: Entry) -> tuple[Any, ...]:
    """Calls that count as retries of each other: the same operation on the same task
    (a newer notification supersedes the failed one), or, for calls not about one
    task, the same operation with the same parameters."""
    key = _task_key(entry)
    if key is not None:
        return (entry.operation, *key)
    return (entry.operation, entry.account, entry.region, json.dumps(entry.params, sort_keys=True))


def _unretried(entries: list[Entry]) -> Iterable[Breach]:
    identities = [_retry_identity(e) for e in entries]
    run: dict[tuple[Any, ...], int] = {}  # consecutive failures of each identity so far
    failures_in_a_row = []
    for entry, identity in zip(entries, identities, strict=True):
        run[identity] = 0 if entry.ok else run.get(identity, 0) + 1
        failures_in_a_row.append(run[identity])
    later: set[tuple[Any, ...]] = set()
    for i in range(len(entries) - 1, -1, -1):
        entry, identity = entries[i], identities[i]
        if not entry.ok and entry.error_code in RETRYABLE and identity not in later:
            yield Breach(
                UNRETRIED,
                entry.time,
                entry.account,
                entry.stream,
                entry.task,
                f"{entry.operation} failed with {entry.error_code} ({entry.error_message}) and was never "
                f"retried; the tool gave up after {failures_in_a_row[i]} failed attempt(s) in a row",
            )
        later.add(identity)


def _not_imported(entries: list[Entry]) -> Iterable[Breach]:
    imported: set[tuple[str, str, str]] = set()
    reported: set[tuple[str, str, str]] = set()
    for entry in entries:
        key = _task_key(entry)
        if key is None:
            continue
        if entry.operation == "ImportMigrationTask" and entry.ok:
            imported.add(key)
        elif entry.operation in TASK_WRITES and key not in imported and key not in reported:
            reported.add(key)
            outcome = "ok" if entry.ok else entry.error_code
            yield Breach(
                NOT_IMPORTED,
                entry.time,
                entry.account,
                entry.stream,
                entry.task,
                f"{entry.operation} ({outcome}) was sent before the task was imported; "
                f"call ImportMigrationTask as early as possible",
            )


def _stale(entries: list[Entry], hub: Hub, now: float) -> Iterable[Breach]:
    """Stale spells: between two notifications (the later one came after the promised
    deadline), and at ``now`` for the last one."""
    due: dict[tuple[str, str, str], float] = {}
    for entry in entries:
        key = _task_key(entry)
        if entry.operation != "NotifyMigrationTaskState" or not entry.ok or key is None:
            continue
        previous = due.pop(key, None)
        if previous is not None and entry.time > previous:
            yield Breach(
                STALE,
                previous,
                entry.account,
                entry.stream,
                entry.task,
                f"no update within the promised NextUpdateSeconds: stale from {when(previous)} "
                f"until the next update at {when(entry.time)}",
            )
        params = entry.params
        if params.get("Task", {}).get("Status") not in TERMINAL:
            due[key] = params["UpdateDateTime"] + params["NextUpdateSeconds"]
    for (account, stream, name), deadline in due.items():
        store = hub.state.accounts.get(account)  # never create an account just by checking
        task = store.tasks.get((stream, name)) if store is not None else None
        if task is not None and now > deadline and stale_since(task, now) is not None:
            yield Breach(
                STALE,
                deadline,
                account,
                stream,
                name,
                f"no update within the promised NextUpdateSeconds: stale since {when(deadline)} "
                f"(status {task.state['Status'] if task.state else '-'}, still stale at {when(now)})",
            )


def _without_attributes(hub: Hub) -> Iterable[Breach]:
    for account in hub.state.accounts.values():
        for task in account.tasks.values():
            stream = account.streams.get(task.stream)
            if not task.attributes and stream is not None and not stream.deleting:
                yield Breach(
                    NO_ATTRIBUTES,
                    task.imported,
                    account.account_id,
                    task.stream,
                    task.name,
                    "no PutResourceAttributes: Migration Hub cannot map the task to a discovered server",
                )


def _attributes_not_refreshed(entries: list[Entry]) -> Iterable[Breach]:
    """A task's latest attributes are outdated when the tool later sent, for another
    task, attributes of the same server (a shared identifying value) that disagree
    with them on some attribute type both lists carry: the tool knew of the change."""
    puts = [
        (e, key, _attribute_sets(e.params.get("ResourceAttributeList", [])))
        for e in entries
        if e.operation == "PutResourceAttributes" and e.ok
        for key in [_task_key(e)]
        if key is not None
    ]
    last_put = {key: i for i, (_e, key, _a) in enumerate(puts)}
    for key, i in last_put.items():
        entry, _key, sent = puts[i]
        for later, other_key, seen in puts[i + 1 :]:
            if other_key == key or other_key[0] != key[0] or not _same_resource(sent, seen):
                continue
            changed = sorted(t for t in sent.keys() & seen.keys() if sent[t] != seen[t])
            if changed:
                yield Breach(
                    ATTRIBUTES_NOT_REFRESHED,
                    later.time,
                    entry.account,
                    entry.stream,
                    entry.task,
                    f"attributes sent at {when(entry.time)} were never refreshed, though the tool sent "
                    f"changed {', '.join(changed)} for the same resource in task {other_key[1]}/{other_key[2]}",
                )
                break


def _attribute_sets(attributes: list[dict[str, str]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for attribute in attributes:
        found.setdefault(attribute["Type"], set()).add(attribute["Value"])
    return {kind: frozenset(values) for kind, values in found.items()}


def _same_resource(a: dict[str, frozenset[str]], b: dict[str, frozenset[str]]) -> bool:
    return any(a[t] & b[t] for t in IDENTIFYING & a.keys() & b.keys())
