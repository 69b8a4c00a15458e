"""The one place fakehub reads the time.

Every timestamp the fake stamps and every due time of pending work goes
through ``now``, looked up at call time, so freezegun and time-machine move
fakehub's clock exactly as they move the code under test.

Tests that are not Python (a JavaScript tool against ``python -m fakehub serve``)
cannot use those libraries: ``shift`` moves fakehub's clock by an offset
instead (the server's ``POST /_fakehub/clock``).  The offset is the process's:
every hub of the process reads the same clock, as they share ``time.time``.
"""

from __future__ import annotations

import datetime as dt
import time

_offset = 0.0

EARLIEST, LATEST = -62135596800, 253402300799
"""Epoch seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants a timestamp
can be (in AWS's Java and in botocore, which must parse it back; 1e300 is a number but no
instant).  The wire holds requests' timestamps to this range, snapshots their times."""


def now() -> float:
    """Seconds since the epoch, as the patched or real ``time.time`` says, plus the offset."""
    return time.time() + _offset


def shift(seconds: float) -> None:
    """Move fakehub's clock ``seconds`` forward (a negative value moves it back)."""
    global _offset
    _offset += seconds


def set_to(epoch: float) -> None:
    """Make fakehub's clock read ``epoch`` now (and run on from there)."""
    global _offset
    _offset = epoch - time.time()


def set_offset(seconds: float) -> None:
    """Put fakehub's clock ``seconds`` ahead of ``time.time`` (a snapshot's offset, restored)."""
    global _offset
    _offset = seconds


def reset() -> None:
    """Back to ``time.time`` alone."""
    global _offset
    _offset = 0.0


def offset() -> float:
    """How far fakehub's clock is ahead of ``time.time`` (0 unless ``shift`` moved it)."""
    return _offset


def iso_utc(seconds: float) -> str:
    """An epoch time as ISO 8601 UTC, to the second (how reports and the console show times)."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
