"""Pending asynchronous work, applied when the clock passes its due time.

Migration Hub does some work after the call that asked for it has returned
(auto-mapping after PutResourceAttributes, purging a deleted stream).  The
fake queues such steps with a due time read from :func:`fakehub.core.clock.now`;
the hub applies every step that is due before it answers a request, and
``hub.settle()`` applies all of them at once.  Steps run in due-time order,
ties in the order they were scheduled, so the outcome is deterministic.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True, slots=True)
class _Step:
    due: float
    seq: int
    kind: str = field(compare=False)
    action: Callable[[float], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class Scheduler:
    __slots__ = ("_heap", "_seq")

    def __init__(self) -> None:
        self._heap: list[_Step] = []
        self._seq = itertools.count()

    def __len__(self) -> int:
        return sum(1 for step in self._heap if not step.cancelled)

    def schedule(self, due: float, kind: str, action: Callable[[float], None]) -> _Step:
        """Run ``action(due)`` once the clock reaches ``due``; the returned handle
        can be cancelled (a newer PutResourceAttributes supersedes an older one)."""
        step = _Step(due, next(self._seq), kind, action)
        heapq.heappush(self._heap, step)
        return step

    def run_due(self, now: float, *, until: float | None = None) -> int:
        """Apply every step due at or before ``until`` (default ``now``), each
        stamped with its due time, or with ``now`` if it is applied early;
        returns how many ran."""
        heap = self._heap
        limit = now if until is None else until
        ran = 0
        while heap and heap[0].due <= limit:
            step = heapq.heappop(heap)
            if not step.cancelled:
                step.action(min(step.due, now))
                ran += 1
        return ran

    def settle(self, now: float) -> int:
        """Apply all pending steps now, including steps they schedule in turn."""
        return self.run_due(now, until=math.inf)

    def pending(self) -> list[tuple[float, str]]:
        """(due time, kind) of every step not yet applied, soonest first."""
        return [(s.due, s.kind) for s in sorted(self._heap) if not s.cancelled]
