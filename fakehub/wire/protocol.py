"""JSON 1.1 answers as botocore expects them off the wire.

The response goes back through botocore's own parser (and retry handler), so
what a test sees is what a real answer would have produced: errors carry the
modeled code in ``__type``, the message member the service models, and the
modeled HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterator, Mapping
from typing import Any

from botocore.awsrequest import AWSResponse

from ..core.records import Rendered

_CONTENT_TYPE = "application/x-amz-json-1.1"


class Payload(bytes):
    """An answer's body.  botocore reads ``response.content`` as bytes, aiobotocore awaits it
    (``await response.content``): awaiting a Payload gives the Payload itself, so one answer
    serves both kinds of client."""

    __slots__ = ()

    def __await__(self) -> Generator[Any, None, Payload]:
        return self
        yield  # unreachable: the yield makes this a generator, which ``await`` runs to its return


class _Body:
    """The ``raw`` of an answer, for whoever reads the response through it: ``stream()``
    (botocore's own way), ``raw_headers`` (aiobotocore before 2.21 reads the headers there,
    as aiohttp keeps them)."""

    __slots__ = ("_data", "_headers")

    def __init__(self, data: bytes, headers: dict[str, str]) -> None:
        self._data = data
        self._headers = headers

    def stream(self, **_kwargs: Any) -> Iterator[bytes]:
        yield self._data

    @property
    def raw_headers(self) -> tuple[tuple[bytes, bytes], ...]:
        return tuple((name.encode(), value.encode()) for name, value in self._headers.items())


class Answer(AWSResponse):
    """botocore's response object, with the body in hand from the start."""

    def __init__(self, url: str, status: int, headers: dict[str, str], data: Payload) -> None:
        # botocore takes any mapping (it makes a HeadersDict of it); botocore-stubs ask for HTTPHeaders.
        super().__init__(url, status, headers, _Body(data, headers))  # type: ignore[arg-type]
        self._payload = data

    @property
    def content(self) -> Payload:  # botocore's own would join the raw stream into plain bytes
        return self._payload


def request_id(hub_id: int, seq: int) -> str:
    """A UUID-shaped, deterministic ``x-amzn-RequestId``: the hub and the call's number."""
    return f"{hub_id:08x}-fa6e-4b0b-8000-{seq:012x}"


_EMPTY = Payload(b"{}")  # one shared object for every empty answer


# One encoder for every answer (``json.dumps`` with options builds a new one per call).  No
# circular-reference check: an answer is a tree (the core never builds a cycle), and the check
# costs a dict insertion and removal per container (~10% of a 100-item page).
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def encode(body: Mapping[str, Any]) -> Payload:
    if not body:
        return _EMPTY
    for value in body.values():  # a plain loop: every answer passes here
        if type(value) is list and value and type(value[0]) is Rendered:
            break
    else:
        return Payload(_ENCODER.encode(body), "utf-8")
    # A page of records the core hands out again while they stay unchanged: each record's JSON
    # text is kept on it, so the page is joined, not encoded again (the same bytes).
    members = ",".join(f"{_ENCODER.encode(name)}:{_encode_member(value)}" for name, value in body.items())
    return Payload("{" + members + "}", "utf-8")


def _encode_member(value: Any) -> str:
    if type(value) is not list or not value or type(value[0]) is not Rendered:
        return _ENCODER.encode(value)
    try:
        parts = [item.encoded for item in value]
    except AttributeError:  # not every item is a Rendered
        return _ENCODER.encode(value)
    if None in parts:
        for position, text in enumerate(parts):
            if text is None:
                item = value[position]
                parts[position] = item.encoded = _ENCODER.encode(item)
    return "[" + ",".join(parts) + "]"


def answer(url: str, status: int, data: Payload, request_id: str) -> Answer:
    headers = {"x-amzn-requestid": request_id, "content-type": _CONTENT_TYPE, "content-length": str(len(data))}
    return Answer(url, status, headers, data)


def error_body(code: str, message: str, message_member: str, members: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"__type": code, message_member: message}
    body.update(members)
    return body
