"""All the state of one hub: per-account stores, pending work, page tokens.

One ``HubState`` lives exactly as long as one activation of
``mock_migrationhub``; everything in it is created lazily so that entering the
mock costs microseconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import clock, steps
from .discovery import DiscoveryRepository
from .homeregion import AccountHomeRegion, new_control
from .paging import OrderedIndex, PageTokens
from .records import ApplicationState, Stream, Task, TaskKey
from .scheduler import Scheduler


@dataclass(frozen=True, slots=True, init=False)
class Delays:
    """Seconds between a call and the asynchronous step it starts.

    The real service takes up to about five minutes to auto-map a task; the
    defaults are short so that a test polling in real time is not slowed down,
    yet non-zero so that a test which reads immediately sees what AWS shows
    at first (nothing mapped yet).  Zero makes a step visible to the very next
    call; ``math.inf`` keeps it pending until ``hub.settle()``."""

    auto_mapping: float = 2.0
    stream_deletion: float = 1.0

    # Written out, not generated, so a misspelt field or a wrong value is refused here with a
    # message naming what is accepted, not later as a TypeError inside a call (or a bare
    # "unexpected keyword argument" from a pytest marker's mapping).  Type checkers see
    # exactly the two fields (a misspelt keyword is their error; Delays(**mapping) type-checks).
    if TYPE_CHECKING:

        def __init__(self, auto_mapping: float = 2.0, stream_deletion: float = 1.0) -> None: ...

    else:

        def __init__(self, auto_mapping: object = 2.0, stream_deletion: object = 1.0, **unknown: object) -> None:
            if unknown:
                raise TypeError(
                    f"Delays() got unknown field(s) {', '.join(map(repr, sorted(unknown)))}; "
                    f"the fields are {', '.join(DELAY_FIELDS)} (seconds of clock time, a number >= 0)"
                )
            object.__setattr__(self, "auto_mapping", _seconds("auto_mapping", auto_mapping))
            object.__setattr__(self, "stream_deletion", _seconds("stream_deletion", stream_deletion))


DELAY_FIELDS = ("auto_mapping", "stream_deletion")


def _seconds(field: str, value: object) -> float:
    """A delay as a float, or the reason it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"Delays({field}={value!r}): a delay is seconds of clock time, an int or float >= 0 "
            f"(math.inf: until hub.settle()), not {type(value).__name__}"
        )
    if not value >= 0:  # also refuses NaN
        raise ValueError(
            f"Delays({field}={value!r}): a delay is seconds of clock time, an int or float >= 0 "
            "(math.inf: until hub.settle())"
        )
    return float(value)


_DEFAULT_DELAYS = Delays()  # frozen, so every hub can share it


DEFAULT_ACCOUNT = "123456789012"  # moto's default account, so the two agree out of the box

AUTO_HOME_REGION = "auto"
"""Home region setting meaning: the region of the account's first call."""


class AccountState:
    """Everything one AWS account has in the fake, across regions (Migration Hub
    data lives in the account's home region; the region rules are the wire
    layer's gate, not the store's)."""

    __slots__ = (
        "account_id",
        "streams",
        "tasks",
        "tasks_by_resource",
        "applications",
        "home",
        "auto_home",
        "discovery",
    )

    def __init__(self, account_id: str, rng: random.Random) -> None:
        self.account_id = account_id
        self.streams: OrderedIndex[str, Stream] = OrderedIndex()
        self.tasks: OrderedIndex[TaskKey, Task] = OrderedIndex()
        # ADS configuration id -> the tasks associated with it, in key order, so that
        # ListMigrationTasks by ResourceName pages as the plain listing does.
        self.tasks_by_resource: dict[str, OrderedIndex[TaskKey, Task]] = {}
        self.applications: OrderedIndex[str, ApplicationState] = OrderedIndex()
        self.home = AccountHomeRegion()  # the migrationhub-config control, None while unset
        self.auto_home = False  # True: the first call of the account sets the home region
        self.discovery = DiscoveryRepository(rng)  # the account's ADS servers and applications


class HubState:
    __slots__ = ("accounts", "scheduler", "delays", "default_home_region", "seed", "_tokens", "_rng")

    def __init__(self, *, home_region: str | None, delays: Delays | None = None, seed: int | None = 0) -> None:
        self.accounts: dict[str, AccountState] = {}
        self.scheduler = Scheduler(lambda step, when: steps.run(self, step, when))
        self.delays = delays or _DEFAULT_DELAYS
        self.default_home_region = home_region
        self.seed = seed
        self._tokens: PageTokens | None = None
        self._rng: random.Random | None = None

    def account(self, account_id: str) -> AccountState:
        found = self.accounts.get(account_id)
        if found is None:
            found = self.accounts[account_id] = AccountState(account_id, self.rng)
            preset = self.default_home_region
            if preset == AUTO_HOME_REGION:
                found.auto_home = True
            elif preset is not None:  # as if the account had called CreateHomeRegionControl before the test
                found.home.control = new_control(self.rng, preset, account_id, clock.now())
        return found

    def claim_auto_home_region(self, account: AccountState, region: str, now: float) -> Callable[[], None] | None:
        """Make ``region`` the home region of an account on ``"auto"`` (this is its first
        call), unless the test created a control itself first.  Returns how to take it back
        (the call was refused after all: only a call that succeeds may decide the home
        region), or None when nothing changed."""
        if not account.auto_home:
            return None
        account.auto_home = False
        home = account.home
        if home.control is not None:
            return None
        home.control = new_control(self.rng, region, account.account_id, now)

        def undo() -> None:
            account.auto_home = True
            home.control = None

        return undo

    def random_state(self) -> Any:
        """``getstate()`` of the random source, or None while nothing has drawn from it
        (a restore then seeds it from ``seed``, as a first draw would)."""
        return None if self._rng is None else self._rng.getstate()

    def resume_sources(self, token_secret: bytes, random_state: Any) -> None:
        """Continue the page tokens and generated ids of the hub a snapshot was taken of."""
        self._tokens = PageTokens(token_secret)
        if random_state is not None:
            self._rng = random.Random()
            self._rng.setstate(random_state)

    @property
    def tokens(self) -> PageTokens:
        if self._tokens is None:
            self._tokens = PageTokens()
        return self._tokens

    @property
    def rng(self) -> random.Random:
        """The one random source of the hub (generated ids), seeded for
        reproducible runs; ``seed=None`` draws a fresh seed."""
        if self._rng is None:
            self._rng = random.Random(self.seed)
        return self._rng
