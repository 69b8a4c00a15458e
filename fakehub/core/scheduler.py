"""Pending asynchronous work, applied when the clock passes its due time.

Migration Hub does some work after the call that asked for it has returned
(auto-mapping after PutResourceAttributes, purging a deleted stream).  The
fake queues such steps with a due time read from ``fakehub.core.clock.now``;
the hub applies every step that is due before it answers a request, and
``hub.settle()`` applies all of them at once.  Steps run in due-time order,
ties in the order they were scheduled, so the outcome is deterministic.

A step is data (a kind and the names of what it acts on), not a closure, so that
a snapshot of the hub can hold its pending steps (``fakehub.core.snapshot``);
the scheduler hands each due step to the ``run`` function it was made with.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(order=True, slots=True)
class Step:
    due: float
    seq: int
    kind: str = field(compare=False)
    subject: tuple[str, ...] = field(compare=False)  # e.g. (account, stream, task)
    cancelled: bool = field(default=False, compare=False)


class Scheduler:
    __slots__ = ("_heap", "_seq", "_run")

    def __init__(self, run: Callable[[Step, float], None]) -> None:
        self._heap: list[Step] = []
        self._seq = itertools.count()
        self._run = run

    def __len__(self) -> int:
        return sum(1 for step in self._heap if not step.cancelled)

    def schedule(self, due: float, kind: str, subject: tuple[str, ...]) -> Step:
        """Run the step once the clock reaches ``due``; the returned handle can be
        cancelled (a newer PutResourceAttributes supersedes an older one)."""
        step = Step(due, next(self._seq), kind, subject)
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
                self._run(step, min(step.due, now))
                ran += 1
        return ran

    def settle(self, now: float) -> int:
        """Apply all pending steps now, including steps they schedule in turn."""
        return self.run_due(now, until=math.inf)

    def steps(self) -> list[Step]:
        """Every step not yet applied, in the order they will run."""
        return [step for step in sorted(self._heap) if not step.cancelled]

    def pending(self) -> list[tuple[float, str]]:
        """(due time, kind) of every step not yet applied, soonest first."""
        return [(step.due, step.kind) for step in self.steps()]
