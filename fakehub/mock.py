"""``mock_migrationhub``: activate a fresh fake hub, as a context manager or a
decorator of sync and ``async def`` functions."""

from __future__ import annotations

import functools
import inspect
import json
import os
import threading
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from typing import Any, TypeVar

from . import activation
from .core.snapshot import SnapshotError
from .core.state import AUTO_HOME_REGION, Delays
from .hub import Hub, check_options, check_snapshot_alone, read_snapshot_document

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
MOCKED = "__fakehub_mock_migrationhub__"
"""Set (True) on what the decorator returns: the pytest plugin warns when a test so decorated
also uses its ``fakehub`` fixture (two hubs)."""


class mock_migrationhub:  # noqa: N801 - lower case like moto's mock_aws, a name users already know
    """Answer every ``mgh``, ``migrationhub-config`` and ``discovery`` request in
    the process from a fresh, in-memory hub while active.

    ``home_region``: the region the accounts set as their Migration Hub home;
    ``None`` for accounts that never set one (``HomeRegionNotSetException``);
    ``"auto"`` (the default) sets each account's home region to the region of
    its first call, so a first test works in any region while a later call from
    another region meets the error AWS would give.

    ``accounts`` maps access key ids to 12-digit account ids (unmapped keys act
    in 123456789012, moto's default).  ``delays`` sets how long asynchronous
    steps take in clock time; ``seed`` makes generated ids reproducible.
    When botocore would find no credentials of the user's (none in the environment,
    no named profile, no ``default`` profile with credentials in the shared files), fake
    ones are set in the environment for the duration, so ``boto3.client(...)`` works as
    with moto (``fake_credentials=False``: never).

    ``snapshot``: start from what ``hub.snapshot()`` returned, or the path of a JSON file
    holding it (docs/snapshots.md), read and checked here; each entry restores a fresh
    copy.  The snapshot holds the hub's options too, so it is not combined with
    ``home_region``, ``accounts``, ``delays`` or ``seed``.
    """

    def __init__(
        self,
        *,
        home_region: str | None = AUTO_HOME_REGION,
        accounts: Mapping[str, str] | None = None,
        delays: Delays | None = None,
        seed: int | None = 0,
        fake_credentials: bool = True,
        snapshot: Mapping[str, Any] | str | os.PathLike[str] | None = None,
    ) -> None:
        self._snapshot = None if snapshot is None else _snapshot_document(snapshot, home_region, accounts, delays, seed)
        check_options(
            home_region=home_region, accounts=accounts, delays=delays, seed=seed, fake_credentials=fake_credentials
        )  # at construction: a decorator with a bad option fails where it is written
        self._options: dict[str, Any] = {
            "home_region": home_region,
            "accounts": accounts,
            "delays": delays,
            "seed": seed,
        }
        self._fake_credentials = fake_credentials
        # Per thread: one object may be entered from several threads, each exit ends its own.
        self._entered = threading.local()

    def __enter__(self) -> Hub:
        hub = Hub(**self._options) if self._snapshot is None else Hub.from_snapshot(self._snapshot)
        uses_fake = activation.activate(hub, fake_credentials=self._fake_credentials)
        stack = getattr(self._entered, "stack", None)
        if stack is None:
            stack = self._entered.stack = []
        stack.append((hub, uses_fake))
        return hub

    def __exit__(self, *_exc_info: object) -> None:
        hub, uses_fake = self._entered.stack.pop()
        activation.deactivate(hub, uses_fake)

    def __call__(self, func: F) -> F:
        """Decorate a function: each call runs inside a fresh activation.  Decorate a class,
        as with moto: each of its ``test*`` methods gets a fresh hub; a ``unittest.TestCase``
        gets one from ``setUp`` to its last cleanup, so ``setUp`` and ``tearDown`` see it."""
        fresh = self._fresh
        if isinstance(func, type):
            return self._decorate_class(func)  # type: ignore[return-value]
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def run_generator(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
                with fresh():
                    return (yield from func(*args, **kwargs))

            return _mocked(run_generator)  # type: ignore[return-value]
        if inspect.isasyncgenfunction(func):

            @functools.wraps(func)
            async def run_async_generator(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
                with fresh():
                    # ``yield from`` for an async generator (Python has none): what is sent or
                    # thrown in reaches the decorated generator.
                    agen = func(*args, **kwargs)
                    try:
                        value = await agen.__anext__()
                        while True:
                            try:
                                sent = yield value
                            except GeneratorExit:
                                await agen.aclose()
                                raise
                            except BaseException as error:  # noqa: BLE001 - thrown in: the generator decides
                                value = await agen.athrow(error)
                            else:
                                value = await agen.asend(sent)
                    except StopAsyncIteration:
                        return

            return _mocked(run_async_generator)  # type: ignore[return-value]
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with fresh():
                    return await func(*args, **kwargs)

            return _mocked(run_async)  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with fresh():
                return func(*args, **kwargs)

        return _mocked(run)  # type: ignore[return-value]

    def _fresh(self) -> mock_migrationhub:
        """An activation with these options, already checked (the snapshot included), for one
        decorated call: a call of its own, so calls that overlap in one thread (generators,
        coroutines) each end their own activation."""
        fresh = object.__new__(mock_migrationhub)
        fresh._options, fresh._fake_credentials, fresh._snapshot = self._options, self._fake_credentials, self._snapshot
        fresh._entered = threading.local()
        return fresh

    def _decorate_class(self, cls: type) -> type:
        import unittest

        if issubclass(cls, unittest.TestCase):
            fresh = self._fresh
            set_up = cls.setUp

            @functools.wraps(set_up)
            def setUp(test: unittest.TestCase) -> None:
                activation = fresh()
                activation.__enter__()
                test.addCleanup(activation.__exit__, None, None, None)  # after tearDown
                set_up(test)

            # A method replaced on the class: mypy sees the wrapper's type, not a method's.
            cls.setUp = setUp  # type: ignore[method-assign, assignment]
            return _mocked(cls)
        for name, member in list(vars(cls).items()):
            if name.startswith("test") and inspect.isfunction(member):
                setattr(cls, name, self(member))
        return cls


def _snapshot_document(snapshot: object, home_region: object, accounts: object, delays: object, seed: object) -> Any:
    """The snapshot's document, checked by restoring it once (a bad one fails where the
    decorator is written), unless other options are passed with it."""
    check_snapshot_alone(
        name
        for name, value, default in (
            ("home_region", home_region, AUTO_HOME_REGION),
            ("accounts", accounts, None),
            ("delays", delays, None),
            ("seed", seed, 0),
        )
        if value != default
    )
    try:
        doc = json.loads(json.dumps(read_snapshot_document(snapshot)))  # our copy: the caller's may change
    except SnapshotError:
        raise
    except (TypeError, ValueError, RecursionError) as exc:  # RecursionError: nested deeper than json goes
        raise SnapshotError(f"snapshot: not a JSON document ({exc})") from None
    Hub.from_snapshot(doc)
    return doc


def _mocked(decorated: T) -> T:
    setattr(decorated, MOCKED, True)
    return decorated
