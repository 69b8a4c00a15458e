"""The one place fakehub reads the time.

Every timestamp the fake stamps and every due time of pending work goes
through :func:`now`, looked up at call time, so freezegun and time-machine move
fakehub's clock exactly as they move the code under test.
"""

from __future__ import annotations

import datetime as dt
import time


def now() -> float:
    """Seconds since the epoch, as the patched or real ``time.time`` says."""
    return time.time()


def iso_utc(seconds: float) -> str:
    """An epoch time as ISO 8601 UTC, to the second (how reports and the console show times)."""
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
