"""Virtual time for botocore's retry sleeps while a hub is active.

botocore sleeps in two places on the retry path of any retry mode:

* ``botocore/endpoint.py``, ``Endpoint._needs_retry``: ``time.sleep(handler_response)``,
  the backoff computed by ``retryhandler.py`` (legacy) or ``retries/standard.py``
  (standard and adaptive);
* ``botocore/retries/bucket.py``, ``TokenBucket._acquire``: ``Condition.wait(amount)``,
  the adaptive mode's client-side rate limiter (its clock is ``time.time``, so under a
  frozen clock it would never refill and wait forever).

(``retries/standard.py``'s own ``sleep=time.sleep`` is only used for long-polling
operations of SQS/SFN/SWF, which a hub never answers.)  ``fakehub.patching``
installs what this module defines; while the active hub's ``faults.virtual_sleep``
is on, the sleeps are recorded by ``fakehub.faults.Faults.advance`` instead of
slept, and with no hub active they sleep for real.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .active import hubs
from .faults import Faults


def virtual_faults() -> Faults | None:
    """The active hub's fault plan when its sleeps are virtual, else None."""
    if not hubs:
        return None
    faults = hubs[-1].faults
    return faults if faults.virtual_sleep else None


class EndpointTime:
    """Stands in for the ``time`` module inside ``botocore.endpoint`` only."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    @staticmethod
    def sleep(seconds: float) -> None:
        faults = virtual_faults()
        if faults is None:
            time.sleep(seconds)
        else:
            faults.advance(seconds, "retry backoff")


def refill_virtually(token_bucket: Any, amount: float) -> None:
    """Under a virtual sleep, the wait an adaptive-mode token bucket (botocore's or
    aiobotocore's) would do for ``amount`` is recorded instead, and the bucket gets what
    the wait would have refilled: under a frozen clock it would never refill."""
    faults = virtual_faults()
    if faults is not None:
        token_bucket._refill()
        if amount > token_bucket._current_capacity:
            faults.advance(token_bucket._sleep_amount(amount), "rate limiter")
            token_bucket._current_capacity = amount


def acquiring_virtually(original: Callable[..., Any]) -> Callable[..., Any]:
    """``TokenBucket._acquire`` that refills virtually before a blocking acquire."""

    def _acquire(self: Any, amount: float, block: bool) -> Any:
        if block:
            refill_virtually(self, amount)
        return original(self, amount, block)

    return _acquire
