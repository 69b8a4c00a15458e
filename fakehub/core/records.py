"""What Migration Hub stores: streams, tasks and what is associated with them.

Records are slotted dataclasses: a hub may hold tens of thousands of tasks, and
a task that never had artifacts or updates pays nothing for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

TaskKey = tuple[str, str]  # (progress update stream, migration task name)


class Rendered(dict[str, Any]):
    """A record as the API shows it, made once and handed out again until the record
    changes (then a new one is made): never changed after it is made, so the wire keeps
    its JSON text on it (``encoded``) and a page of unchanged records is not encoded again."""

    __slots__ = ("encoded",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.encoded: str | None = None


class Associations:
    """Named things associated with a task (artifacts, discovered resources,
    source resources), listed in the order they were first associated.

    Pages resume after a sequence number, so removing an item between pages
    never shifts the rest.  A plain dict keeps that order (re-associating a name
    keeps its place); a task usually has a handful of these, so a page is found
    by a scan rather than an index that every task would pay for."""

    __slots__ = ("_items", "_next")

    def __init__(self) -> None:
        self._items: dict[str, tuple[int, dict[str, Any]]] = {}
        self._next = 1

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (item for _seq, item in self._items.values())

    def put(self, name: str, item: dict[str, Any]) -> None:
        """Associate ``name``; associating it again replaces its details but keeps
        its place in the listing."""
        found = self._items.get(name)
        if found is None:
            self._items[name] = (self._next, item)
            self._next += 1
        else:
            self._items[name] = (found[0], item)

    def remove(self, name: str) -> bool:
        return self._items.pop(name, None) is not None

    def entries(self) -> list[tuple[int, dict[str, Any]]]:
        """(sequence number, item) of each item, in listing order."""
        return list(self._items.values())

    @property
    def next_seq(self) -> int:
        return self._next

    @classmethod
    def restored(cls, entries: list[tuple[str, int, dict[str, Any]]], next_seq: int) -> Associations:
        """The collection ``entries`` and ``next_seq`` describe, each entry with its
        name first; sequence numbers are kept, so page tokens issued before still resume."""
        found = cls()
        found._items = {name: (seq, item) for name, seq, item in entries}
        found._next = next_seq
        return found

    def page(self, after: int | None, limit: int) -> tuple[list[dict[str, Any]], int | None]:
        rest = [entry for entry in self._items.values() if after is None or entry[0] > after]
        chunk = rest[:limit]
        return [item for _seq, item in chunk], (chunk[-1][0] if len(rest) > limit else None)


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
    # (UpdateDateTime, Task) of the notifications before the last one (the last one is
    # ``update_time`` and ``state``): a task notified once keeps no list at all.
    updates: list[tuple[float, dict[str, Any]]] | None = None
    artifacts: Associations | None = None
    discovered: Associations | None = None
    sources: Associations | None = None
    pending_mapping: Any = None  # scheduler handle of the auto-mapping not yet applied
    auto_mapped: str | None = None  # the ADS server the last auto-mapping chose
    summary: Rendered | None = None  # the listing's summary of the task; None after a change

    def history(self) -> list[tuple[float, dict[str, Any]]]:
        """(UpdateDateTime, Task) of every notification, in arrival order."""
        if self.state is None or self.update_time is None:  # set together, by each notification
            return []
        return [*(self.updates or ()), (self.update_time, self.state)]

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
