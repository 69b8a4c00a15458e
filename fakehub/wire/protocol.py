"""JSON 1.1 answers as botocore expects them off the wire.

The response goes back through botocore's own parser (and retry handler), so
what a test sees is what a real answer would have produced: errors carry the
modeled code in ``__type``, the message member the service models, and the
modeled HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from botocore.awsrequest import AWSResponse

_CONTENT_TYPE = "application/x-amz-json-1.1"


class _Body:
    """The ``raw`` of an AWSResponse: botocore reads the body through ``stream()``."""

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self._data


def request_id(hub_id: int, seq: int) -> str:
    """A UUID-shaped, deterministic ``x-amzn-RequestId``: the hub and the call's number."""
    return f"{hub_id:08x}-fa6e-4b0b-8000-{seq:012x}"


_EMPTY = b"{}"  # one shared object for every empty answer


# One encoder for every answer (``json.dumps`` with options builds a new one per call).  No
# circular-reference check: an answer is a tree (the core never builds a cycle), and the check
# costs a dict insertion and removal per container (~10% of a 100-item page).
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def encode(body: Mapping[str, Any]) -> bytes:
    return _ENCODER.encode(body).encode() if body else _EMPTY


def answer(url: str, status: int, data: bytes, request_id: str) -> AWSResponse:
    headers = {"x-amzn-requestid": request_id, "content-type": _CONTENT_TYPE, "content-length": str(len(data))}
    return AWSResponse(url, status, headers, _Body(data))


def error_body(code: str, message: str, message_member: str, members: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"__type": code, message_member: message}
    body.update(members)
    return body
