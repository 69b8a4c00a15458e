"""aiobotocore clients (and aioboto3's, built on them), answered like botocore's.

aiobotocore sessions are botocore sessions: their clients carry fakehub's
``before-send`` and ``choose-signer`` handlers like any other, and they can await
the hub's answers (``fakehub.wire.protocol.Payload``).  What differs is that
aiobotocore's endpoint sends and sleeps with coroutines of its own.
``fakehub.patching`` calls ``install`` once aiobotocore is loaded, with what
it needs of fakehub passed in, to patch:

* ``AioEndpoint._send``: while a hub is active, requests for the faked services
  from sessions made before fakehub was imported are answered by the hub, as
  botocore's ``Endpoint._send`` is guarded;
* the retry backoff (``asyncio.sleep`` in ``aiobotocore.endpoint``) and the adaptive
  retry mode's rate limiter: virtual while a hub is active, as botocore's are
  (``fakehub.virtual_sleep``).  The optional httpx backend backs off with
  ``anyio.sleep``, which stays real.

With no hub active every patched step does what aiobotocore's own does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


def install(
    endpoint: Any,
    *,
    answer: Callable[[Any], Any],
    virtual_faults: Callable[[], Any],
    refill_virtually: Callable[[Any, float], None],
) -> None:
    """Patch aiobotocore, given its loaded ``aiobotocore.endpoint`` module.

    ``answer(request)``: the active hub's answer to a faked request, or None to send it on;
    ``virtual_faults()``: the active hub's fault plan while sleeps are virtual, else None;
    ``refill_virtually(bucket, amount)``: what a blocking token-bucket acquire does first."""
    _guard_send(endpoint.AioEndpoint, answer)
    endpoint.asyncio = _EndpointAsyncio(virtual_faults)  # the module's retry backoff: ``await asyncio.sleep``
    try:
        from aiobotocore.retries.bucket import AsyncTokenBucket
    except ImportError:  # an aiobotocore whose adaptive mode uses botocore's bucket (patched already)
        return
    _virtualize_rate_limiter(AsyncTokenBucket, refill_virtually)


def _guard_send(endpoint_class: Any, answer: Callable[[Any], Any]) -> None:
    original = endpoint_class._send

    async def _send(self: Any, request: Any) -> Any:
        response = answer(request)
        if response is not None:
            return response
        return await original(self, request)

    endpoint_class._send = _send


class _EndpointAsyncio:
    """Stands in for the ``asyncio`` module inside ``aiobotocore.endpoint`` only."""

    def __init__(self, virtual_faults: Callable[[], Any]) -> None:
        self._virtual_faults = virtual_faults

    def __getattr__(self, name: str) -> Any:
        return getattr(asyncio, name)

    async def sleep(self, seconds: float, result: Any = None) -> Any:
        faults = self._virtual_faults()
        if faults is None:
            return await asyncio.sleep(seconds, result)
        faults.advance(seconds, "retry backoff")
        return await asyncio.sleep(0, result)  # still a suspension point, as a sleep is


def _virtualize_rate_limiter(token_bucket: Any, refill_virtually: Callable[[Any, float], None]) -> None:
    original = token_bucket._acquire

    async def _acquire(self: Any, amount: float, block: bool) -> Any:
        if block:
            refill_virtually(self, amount)
        return await original(self, amount, block)

    token_bucket._acquire = _acquire
