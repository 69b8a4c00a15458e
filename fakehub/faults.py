"""Fault injection: make chosen operations fail the way AWS fails, and let
botocore's own retry loop retry them without the test sleeping.

A migration tool must "retry on Migration Hub API failures"; the only honest
way to test that is to fail real calls and let the real botocore retry modes
(legacy, standard, adaptive) do their work.  Faults are decided in the
dispatch *before* the home-region gate and the core run, so a failed call
never leaves partial state behind, and they use only the error codes the
operation models (with their modeled HTTP status).

While a hub is active, botocore's backoff sleeps are *virtual*: the sleep is
recorded in ``Faults.sleeps`` and, if the test runs under a frozen clock
(freezegun or time-machine), that clock is moved forward by the same amount,
so the hub, the tool and the contract checks all see the time pass.  Nothing
sleeps in real time.  Opt out with ``hub.faults.virtual_sleep = False``.
(``fakehub.virtual_sleep`` is what stands in for botocore's sleeps; this
module only keeps the record and moves the clock.)
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import sys
import threading
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .core import clock
from .core.errors import ACCESS_DENIED, INTERNAL_SERVER_ERROR, SERVICE_UNAVAILABLE, THROTTLING, ServiceError
from .wire.services import OperationSpec, by_target, operation_named

if TYPE_CHECKING:
    from .core.context import Call

FAULT_CODES = (
    THROTTLING,
    SERVICE_UNAVAILABLE,
    INTERNAL_SERVER_ERROR,
    ACCESS_DENIED,
    "ServerInternalErrorException",
    "AuthorizationErrorException",
)
"""The codes a fault may use, where the operation models them: the transient and
denial errors of every mgh and migrationhub-config operation, and ADS's own names
for a server error and a denial."""

ANY_OPERATION = "*"

_MESSAGES = {
    THROTTLING: "Rate exceeded (fakehub fault injection).",
    SERVICE_UNAVAILABLE: "The service is temporarily unavailable; retry the request (fakehub fault injection).",
    INTERNAL_SERVER_ERROR: "An internal error occurred; retry the request (fakehub fault injection).",
    ACCESS_DENIED: "You do not have sufficient access to perform this action (fakehub fault injection).",
    "ServerInternalErrorException": "An internal error occurred; retry the request (fakehub fault injection).",
    "AuthorizationErrorException": "You are not authorized to perform this action (fakehub fault injection).",
}

_DELAY = ""  # a step that adds latency but answers normally


@dataclass(eq=False)
class Rule:
    """One injected behaviour; returned by the ``Faults`` methods so a test
    can look at how often it fired or ``Faults.remove`` it."""

    operations: frozenset[str]
    stream: str | None
    task: str | None
    steps: Iterator[str | None]  # per matched call: a code, _DELAY, or None (let it through)
    latency: float = 0.0
    retry_after: int | None = None
    message: str | None = None
    matched: int = 0  # calls this rule saw
    fired: int = 0  # calls it answered with an error
    exhausted: bool = False

    def applies(self, operation: str, body: Mapping[str, Any]) -> bool:
        if self.exhausted or operation not in self.operations:
            return False
        if self.stream is not None and self.stream != body.get(
            "ProgressUpdateStream", body.get("ProgressUpdateStreamName")
        ):
            return False
        return self.task is None or self.task == body.get("MigrationTaskName")


@dataclass(frozen=True)
class Sleep:
    """A sleep that did not happen in real time."""

    at: float  # hub clock when it was asked for
    seconds: float
    reason: str  # 'retry backoff', 'rate limiter', 'latency <Operation>'


@dataclass
class Faults:
    """The hub's fault plan (``hub.faults``).  Rules are tried in the order they
    were added; the first one that acts on a call decides its fate."""

    virtual_sleep: bool = True
    rules: list[Rule] = field(default_factory=list)
    sleeps: list[Sleep] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)  # bugs caught here, never turned into answers
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # ---- planning --------------------------------------------------------------------------

    def fail(
        self,
        operation: str,
        code: str = THROTTLING,
        *,
        times: int = 1,
        stream: str | None = None,
        task: str | None = None,
        latency: float = 0.0,
        retry_after: int | None = None,
        message: str | None = None,
    ) -> Rule:
        """Answer the next ``times`` matching calls with ``code``, then let calls through."""
        if times < 1:
            raise ValueError(f"times must be at least 1, got {times}")
        steps = itertools.chain(itertools.repeat(code, times), [None])
        return self._add(operation, [code], steps, stream, task, latency, retry_after, message)

    def fail_randomly(
        self,
        operation: str,
        probability: float,
        code: str = THROTTLING,
        *,
        seed: int = 0,
        stream: str | None = None,
        task: str | None = None,
        latency: float = 0.0,
        retry_after: int | None = None,
        message: str | None = None,
    ) -> Rule:
        """Fail each matching call with ``probability``, drawn from a generator seeded
        with ``seed`` so a failing run can be replayed exactly."""
        if not 0.0 <= probability <= 1.0:
            raise ValueError(f"probability must be between 0 and 1, got {probability}")
        rng = random.Random(seed)
        steps = (code if rng.random() < probability else _DELAY for _ in itertools.count())
        return self._add(operation, [code], steps, stream, task, latency, retry_after, message)

    def script(
        self,
        operation: str,
        outcomes: Iterable[str | None],
        *,
        stream: str | None = None,
        task: str | None = None,
        latency: float = 0.0,
        retry_after: int | None = None,
        message: str | None = None,
    ) -> Rule:
        """Answer matching calls in turn from ``outcomes``: an error code fails the call,
        ``None`` lets it through; once the script is used up, calls go through."""
        outcomes = list(outcomes)
        steps = itertools.chain((_DELAY if o is None else o for o in outcomes), [None])
        return self._add(
            operation, [o for o in outcomes if o is not None], steps, stream, task, latency, retry_after, message
        )

    def delay(self, operation: str, seconds: float, *, stream: str | None = None, task: str | None = None) -> Rule:
        """Add ``seconds`` of virtual latency to every matching call (answers are unchanged)."""
        return self._add(operation, [], itertools.repeat(_DELAY), stream, task, seconds, None, None)

    def remove(self, rule: Rule) -> None:
        with self._lock:
            self.rules.remove(rule)

    def clear(self) -> None:
        """Forget every rule (the record of sleeps is kept)."""
        with self._lock:
            self.rules.clear()

    @property
    def slept(self) -> float:
        """Total seconds of virtual sleep and latency so far."""
        return sum(s.seconds for s in self.sleeps)

    def _add(
        self,
        operation: str,
        codes: list[str],
        steps: Iterator[str | None],
        stream: str | None,
        task: str | None,
        latency: float,
        retry_after: int | None,
        message: str | None,
    ) -> Rule:
        if latency < 0:
            raise ValueError(f"latency must not be negative, got {latency}")
        operations = _resolve(operation, codes)
        rule = Rule(operations, stream, task, steps, latency, retry_after, message)
        with self._lock:
            self.rules.append(rule)
        return rule

    # ---- the dispatch's view ---------------------------------------------------------------

    def check(self, spec: OperationSpec, call: Call, body: Mapping[str, Any]) -> None:
        """Raise the injected error for this call, if a rule says so; called once per
        request before anything changes state.  A bug here is recorded in
        ``errors`` and warned about; it never changes the answer."""
        if not self.rules:
            return
        try:
            code = self._decide(spec, body)
        except Exception as bug:  # noqa: BLE001 - a fault-plan bug must not become an answer
            self.errors.append(bug)
            warnings.warn(f"fakehub fault injection failed and was skipped: {bug!r}", RuntimeWarning, stacklevel=2)
            return
        if code is not None:
            rule, name = code
            members = (
                {"RetryAfterSeconds": rule.retry_after} if name == THROTTLING and rule.retry_after is not None else {}
            )
            raise ServiceError(name, rule.message or _MESSAGES[name], **members)

    def _decide(self, spec: OperationSpec, body: Mapping[str, Any]) -> tuple[Rule, str] | None:
        with self._lock:
            for rule in self.rules:
                if not rule.applies(spec.name, body):
                    continue
                step = next(rule.steps)
                if step is None:
                    rule.exhausted = True
                    continue
                rule.matched += 1
                if rule.latency:
                    self.advance(rule.latency, f"latency {spec.name}")
                if step == _DELAY or step not in spec.errors:
                    continue  # a '*' rule skips operations that do not model its code
                rule.fired += 1
                return rule, step
        return None

    # ---- virtual time ----------------------------------------------------------------------

    def advance(self, seconds: float, reason: str) -> None:
        """Record a sleep that does not happen, and move a frozen clock (freezegun,
        time-machine) forward by it, if the test runs under one."""
        self.sleeps.append(Sleep(clock.now(), seconds, reason))
        if seconds > 0:
            _advance_frozen_clock(seconds)


def _resolve(operation: str, codes: list[str]) -> frozenset[str]:
    """The operation names a rule covers, refusing codes the operation does not model."""
    specs = {s.name: s for s in by_target().values()}
    if operation == ANY_OPERATION:
        names = [s.name for s in specs.values() if s.service.name == "mgh"]
    else:
        try:
            names = [operation_named(operation).name]
        except ValueError as error:
            raise ValueError(f"{error}, or {ANY_OPERATION!r} for every mgh operation") from None
    for code in set(codes):
        allowed = sorted(c for c in FAULT_CODES if all(c in specs[n].errors for n in names))
        if code not in allowed:
            raise ValueError(
                f"{code!r} cannot be injected into {operation}: allowed fault codes are {', '.join(allowed)}"
            )
    return frozenset(names)


def _advance_frozen_clock(seconds: float) -> None:
    """Move the innermost frozen clock forward by ``seconds``, never back."""
    freezegun = sys.modules.get("freezegun.api")
    factories = getattr(freezegun, "freeze_factories", None)
    if factories:
        _advance_freezegun(freezegun, factories[-1], dt.timedelta(seconds=seconds))
        return
    time_machine = sys.modules.get("time_machine")
    # time-machine 3 names its stack traveller_stack; 2.x, coordinates_stack (same shift()).
    travellers = getattr(time_machine, "traveller_stack", None) or getattr(time_machine, "coordinates_stack", None)
    if travellers:
        travellers[-1].shift(seconds)


def _advance_freezegun(freezegun: Any, factory: Any, delta: dt.timedelta) -> None:
    """freezegun's ``tick()`` on a ``tick=True`` clock restarts from the frozen start and
    drops the real time elapsed since (the clock jumps back); move such a clock to what it
    shows now plus ``delta`` instead.  A plain or auto-tick clock's ``tick()`` is right (and
    calling an auto-tick clock would itself step it)."""
    ticking = getattr(freezegun, "TickingDateTimeFactory", None)
    if ticking is not None and isinstance(factory, ticking):
        factory.move_to(factory() + delta)
    else:
        factory.tick(delta)
