"""Reading a JSON 1.1 request body into the members an operation takes.

A body that is not a JSON object, or not JSON at all, is a protocol error
(``SerializationException``), whatever the operation models; so is a body over
``MAX_BODY_BYTES`` (``RequestEntityTooLargeException``, 413), refused before it
is parsed.  Both limits are fakehub's own and the same on every Python version: the
standard library's decoder refuses deep nesting only through the interpreter's
recursion limit, which differs between versions (3.13 decodes 5000 levels, 3.11
fails near 1000).
"""

from __future__ import annotations

import json
from typing import Any, overload

SERIALIZATION = "SerializationException"
TOO_LARGE = "RequestEntityTooLargeException"
PROTOCOL_CODES = (SERIALIZATION, TOO_LARGE)
"""The protocol's own error codes a faked operation may answer (and the journal record),
whatever the operation models."""

MAX_BODY_BYTES = 10 * 2**20
"""Largest request body fakehub reads, in bytes (10 MiB); an HTTP front end should refuse a
longer ``Content-Length`` with the same answer before reading it.  AWS documents no request
size for these services, so the figure is inferred (docs/operations.md): the largest request
the three models allow with every string at its maximum length, every character escaped as
JSON's longest form, is 1.9 MB (mgh ListApplicationStates: 100 ids of 1600 characters), and
5.4 times that leaves room for ADS operations whose lists the model leaves unbounded."""

MAX_DEPTH = 100
"""Deepest nesting of JSON arrays and objects a request body may have.  The deepest input
of the three services' models is 4 levels; AWS's parsers refuse deep bodies too, at a
depth they do not document (fakehub's figure is inferred, docs/operations.md)."""

# Only quotes and brackets decide the depth, once the escapes that could hide a quote (an
# escaped backslash, an escaped quote) are gone: every other byte is dropped at C speed.
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_QUOTE, _OPENING = ord('"'), frozenset(b"[{")


class ProtocolError(Exception):
    """A request that is not a well-formed JSON 1.1 request: every AWS JSON service answers
    these with a protocol-level code (400, or 413 for a body too large), whatever the
    operation models."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def decode(raw: bytes | None, members: frozenset[str], operation: str = "") -> dict[str, Any]:
    """The request's members, as the operation takes them: members the model does not
    have are ignored, and a JSON ``null`` counts as absent (at any depth), as AWS's JSON
    services do.  ``operation`` names the operation in the message of a body too large."""
    if not raw:
        return {}
    check_size(len(raw), operation)
    _check_depth(raw)
    try:
        body: object = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:  # not JSON, not UTF-8, NaN/Infinity, huge integers
        raise ProtocolError(SERIALIZATION, f"The request body is not valid JSON: {text(str(error))}") from None
    if not isinstance(body, dict):
        raise ProtocolError(SERIALIZATION, f"The request body must be a JSON object, not {type(body).__name__}.")
    if not members.issuperset(body):
        body = {name: value for name, value in body.items() if name in members}
    if b"null" in raw:
        body = _without_nulls(body)
    return body


def check_size(size: int, operation: str = "") -> None:
    """Refuse a body of ``size`` bytes over ``MAX_BODY_BYTES`` (worded as AWS Lambda's
    front end words its own ``RequestEntityTooLargeException``)."""
    if size > MAX_BODY_BYTES:
        named = f" for the {operation} operation" if operation else ""
        raise ProtocolError(
            TOO_LARGE, f"Request must be no larger than {MAX_BODY_BYTES} bytes{named}; this one is {size} bytes.", 413
        )


def _check_depth(raw: bytes) -> None:
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:  # the common case: too few brackets to be deep
        return
    skeleton = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    depth, in_string = 0, False
    for byte in skeleton:  # brackets inside a string do not count
        if byte == _QUOTE:
            in_string = not in_string
        elif in_string:
            continue
        elif byte in _OPENING:
            depth += 1
            if depth > MAX_DEPTH:
                raise ProtocolError(SERIALIZATION, f"The request body is nested more than {MAX_DEPTH} levels deep.")
        else:
            depth -= 1


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


@overload
def _without_nulls(value: dict[str, Any]) -> dict[str, Any]: ...
@overload
def _without_nulls(value: Any) -> Any: ...
def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]  # a null item stays: the model refuses it
    return value


def text(value: Any, limit: int = 200) -> str:
    """A value for a message: decoded, and cut short to ``limit`` characters, saying how long
    it was (a request may carry megabytes where a name is expected)."""
    shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return shown if len(shown) <= limit else f"{shown[:limit]}… ({len(shown)} characters)"
