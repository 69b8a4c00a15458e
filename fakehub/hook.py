"""How a botocore request reaches the active hub, and its answer comes back.

The handlers here are what ``fakehub.patching`` registers on botocore's
``before-send`` event of the three faked services and puts around
``Endpoint._send``; this module registers and patches nothing itself.  A
request is handed to the hub's dispatcher as target, headers and body, and the
dispatcher's reply goes back to botocore as the response it would have read
off the wire (``fakehub.wire.protocol.Answer``).

As moto does, the hub answers only requests addressed to AWS: a client made with
``endpoint_url`` pointing anywhere else (``fakehub.serve()``'s server, say) goes there,
over the network, even while a hub is active.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import EndpointConnectionError

from .active import hubs
from .wire.dispatch import NoEndpoint
from .wire.protocol import answer
from .wire.services import is_aws_url, is_faked_target


def is_faked(request: Any) -> bool:
    """Whether a prepared request is for one of the faked services."""
    return is_faked_target(request.headers.get("X-Amz-Target"))


def answer_request(request: Any, *, faked: bool = False) -> Any:
    """The active hub's answer to a botocore ``AWSPreparedRequest`` (None: no hub is
    active, the request is not for a faked service, or it is not addressed to AWS;
    ``faked``: the caller knows it is for a faked service, so even an operation the
    service lacks is answered)."""
    if not hubs or not is_aws_url(request.url):
        return None
    hub = hubs[-1]
    headers = request.headers
    target = headers.get("X-Amz-Target")
    if isinstance(target, str):
        target = target.encode("utf-8", "surrogateescape")
    try:
        reply = hub.dispatcher.dispatch(target, headers, _body_bytes(request.body), faked=faked)
    except NoEndpoint:
        # In AWS the host name does not resolve: botocore retries, then raises this.
        raise EndpointConnectionError(endpoint_url=request.url) from None
    if reply is None:
        return None
    return answer(request.url, reply.status, reply.body, reply.request_id)


def _body_bytes(body: Any) -> bytes | None:
    """A request body as bytes, whatever a hand-made request holds (botocore's own
    serializer gives bytes)."""
    if body is None or isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    read = getattr(body, "read", None)
    if read is not None:  # a file-like body: read from where botocore would start
        start = body.tell() if hasattr(body, "tell") else None
        data = read()
        if start is not None and hasattr(body, "seek"):
            body.seek(start)  # a retry reads it again
        return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    raise TypeError(f"a request body must be bytes, str or a file-like object, not {type(body).__name__}")
