"""When a migration task is stale: the API reference's rule, read by the contract
checks and the console alike.

A task is stale once ``UpdateDateTime + NextUpdateSeconds`` has passed with no
newer notification, unless its last status is terminal.
"""

from __future__ import annotations

from .records import Task

TERMINAL = frozenset({"COMPLETED", "FAILED"})
"""Task statuses after which no further update is expected (so never stale)."""


def stale_since(task: Task, now: float) -> float | None:
    """When the task went stale, or None if it is not stale at ``now``."""
    if task.state is None or task.update_time is None or task.next_update_seconds is None:
        return None
    if task.state.get("Status") in TERMINAL:
        return None
    due = task.update_time + task.next_update_seconds
    return due if now > due else None
