"""What Migration Hub stores: streams, tasks and what is associated with them.

Records are slotted dataclasses: a hub may hold tens of thousands of tasks, and
a task that never had artifacts or updates pays nothing for them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from .paging import OrderedIndex

TaskKey = tuple[str, str]  # (progress update stream, migration task name)


class Associations:
    """Named things associated with a task (artifacts, discovered resources,
    source resources), listed in the order they were first associated.

    Pages resume after a sequence number, so removing an item between pages
    never shifts the rest."""

    __slots__ = ("_seq_of", "_index", "_counter")

    def __init__(self) -> None:
        self._seq_of: dict[str, int] = {}
        self._index: OrderedIndex[int, dict[str, Any]] = OrderedIndex()
        self._counter = itertools.count(1)

    def __len__(self) -> int:
        return len(self._seq_of)

    def __contains__(self, name: object) -> bool:
        return name in self._seq_of

    def __iter__(self):  # type: ignore[no-untyped-def]
        return self._index.values()

    def put(self, name: str, item: dict[str, Any]) -> None:
        """Associate ``name``; associating it again replaces its details but keeps
        its place in the listing."""
        seq = self._seq_of.get(name)
        if seq is None:
            seq = self._seq_of[name] = next(self._counter)
        self._index.put(seq, item)

    def remove(self, name: str) -> bool:
        seq = self._seq_of.pop(name, None)
        if seq is None:
            return False
        self._index.pop(seq)
        return True

    def page(self, after: int | None, limit: int) -> tuple[list[dict[str, Any]], int | None]:
        return self._index.page(after, limit)


@dataclass(slots=True, eq=False)
class Task:
    stream: str
    name: str
    imported: float
    state: dict[str, Any] | None = None  # the ``Task`` member of the last notification
    update_time: float | None = None  # the caller's UpdateDateTime of that notification
    next_update_seconds: int | None = None
    # The latest PutResourceAttributes list, as (Type, Value) pairs: tuples cost a
    # fraction of dicts, and a hub may hold tens of thousands of tasks.
    attributes: tuple[tuple[str, str], ...] = ()
    attributes_time: float | None = None  # hub time the attributes were stored
    # (UpdateDateTime, Task) of the notifications before the last one (the last one is
    # ``update_time`` and ``state``): a task notified once keeps no list at all.
    updates: list[tuple[float, dict[str, Any]]] | None = None
    artifacts: Associations | None = None
    discovered: Associations | None = None
    sources: Associations | None = None
    pending_mapping: Any = None  # scheduler handle of the auto-mapping not yet applied
    auto_mapped: str | None = None  # the ADS server the last auto-mapping chose

    def history(self) -> list[tuple[float, dict[str, Any]]]:
        """(UpdateDateTime, Task) of every notification, in arrival order."""
        if self.state is None:
            return []
        return [*(self.updates or ()), (self.update_time, self.state)]  # type: ignore[list-item]

    def attribute_list(self) -> list[dict[str, str]]:
        """The attributes as the API shows them (``ResourceAttributeList``)."""
        return [{"Type": kind, "Value": value} for kind, value in self.attributes]

    @property
    def key(self) -> TaskKey:
        return (self.stream, self.name)

    def associations(self, kind: str) -> Associations:
        """The task's collection of ``kind`` ('artifacts', 'discovered', 'sources'),
        created on first use."""
        found: Associations | None = getattr(self, kind)
        if found is None:
            found = Associations()
            setattr(self, kind, found)
        return found


@dataclass(slots=True, eq=False)
class Stream:
    name: str
    created: float
    deleting: bool = False
    tasks: dict[str, Task] = field(default_factory=dict)


@dataclass(slots=True, eq=False)
class ApplicationState:
    application_id: str
    status: str
    updated: float
