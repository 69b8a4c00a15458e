"""aiobotocore clients (and aioboto3's, built on them), answered like botocore's.

aiobotocore sessions are botocore sessions: their clients carry fakehub's
``before-send`` and ``choose-signer`` handlers like any other (:mod:`fakehub.hook`),
and they can await the hub's answers (:class:`fakehub.wire.protocol.Payload`).
What differs is that aiobotocore's endpoint sends and sleeps with coroutines of its
own.  Once aiobotocore is loaded, the first activation or request after it patches them:

* ``AioEndpoint._send``: while a hub is active, requests for the faked services
  from sessions made before fakehub was imported are answered by the hub, as
  :mod:`fakehub.hook` guards botocore's ``Endpoint._send``;
* the retry backoff (``asyncio.sleep`` in ``aiobotocore.endpoint``) and the adaptive
  retry mode's rate limiter: virtual while a hub is active, as botocore's are
  (:mod:`fakehub.faults`).  The optional httpx backend backs off with ``anyio.sleep``,
  which stays real.

With no hub active every patched step does what aiobotocore's own does.
"""

from __future__ import annotations

from typing import Any


def install(endpoint: Any) -> None:
    """Patch aiobotocore, given its loaded ``aiobotocore.endpoint`` (fakehub.hook calls this
    once, at the first activation or request after aiobotocore is loaded)."""
    _guard_send(endpoint.AioEndpoint)
    endpoint.asyncio = _EndpointAsyncio()  # the module's retry backoff: ``await asyncio.sleep(...)``
    try:
        from aiobotocore.retries.bucket import AsyncTokenBucket  # type: ignore[import-not-found]
    except ImportError:  # an aiobotocore whose adaptive mode uses botocore's bucket (fakehub.faults)
        return
    _virtualize_rate_limiter(AsyncTokenBucket)


def _guard_send(endpoint_class: type) -> None:
    from .hook import _active, is_faked

    original = endpoint_class._send  # type: ignore[attr-defined]

    async def _send(self: Any, request: Any) -> Any:
        if _active and is_faked(request):
            return _active[-1].handle(request)
        return await original(self, request)

    endpoint_class._send = _send  # type: ignore[attr-defined]


class _EndpointAsyncio:
    """Stands in for the ``asyncio`` module inside ``aiobotocore.endpoint`` only."""

    def __getattr__(self, name: str) -> Any:
        import asyncio

        return getattr(asyncio, name)

    @staticmethod
    async def sleep(seconds: float, result: Any = None) -> Any:
        import asyncio

        from .faults import _virtual

        faults = _virtual()
        if faults is None:
            return await asyncio.sleep(seconds, result)
        faults.advance(seconds, "retry backoff")
        return await asyncio.sleep(0, result)  # still a suspension point, as a sleep is


def _virtualize_rate_limiter(token_bucket: type) -> None:
    from .faults import refill_virtually

    original = token_bucket._acquire  # type: ignore[attr-defined]

    async def _acquire(self: Any, amount: float, block: bool) -> Any:
        if block:
            refill_virtually(self, amount)
        return await original(self, amount, block)

    token_bucket._acquire = _acquire  # type: ignore[attr-defined]
