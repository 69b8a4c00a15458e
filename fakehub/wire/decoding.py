"""Reading a JSON 1.1 request body into the members an operation takes.

A body that is not a JSON object, or not JSON at all, is a protocol error
(``SerializationException``), whatever the operation models.  The nesting limit
is fakehub's own and the same on every Python version: the standard library's
decoder refuses deep nesting only through the interpreter's recursion limit,
which differs between versions (3.13 decodes 5000 levels, 3.11 fails near 1000).
"""

from __future__ import annotations

import json
import re
from typing import Any, overload

SERIALIZATION = "SerializationException"
PROTOCOL_CODES = (SERIALIZATION,)
"""The protocol's own error codes a faked operation may answer (and the journal record),
whatever the operation models."""

MAX_DEPTH = 100
"""Deepest nesting of JSON arrays and objects a request body may have.  The deepest input
of the three services' models is 4 levels; AWS's parsers refuse deep bodies too, at a
depth they do not document (fakehub's figure is inferred, docs/operations.md)."""

# A JSON string (skipped whole, so brackets inside it do not count) or one bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


class ProtocolError(Exception):
    """A request that is not a well-formed JSON 1.1 request: every AWS JSON service answers
    these with a protocol-level code (400), whatever the operation models."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def decode(raw: bytes | None, members: frozenset[str]) -> dict[str, Any]:
    """The request's members, as the operation takes them: members the model does not
    have are ignored, and a JSON ``null`` counts as absent (at any depth), as AWS's JSON
    services do."""
    if not raw:
        return {}
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


def _check_depth(raw: bytes) -> None:
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:  # the common case: too few brackets to be deep
        return
    depth = 0
    for token in _TOKENS.finditer(raw):
        bracket = token.group()
        if bracket in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise ProtocolError(SERIALIZATION, f"The request body is nested more than {MAX_DEPTH} levels deep.")
        elif bracket in (b"]", b"}"):
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
    """A value for a message: decoded, and cut short."""
    shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return shown if len(shown) <= limit else shown[:limit] + "…"
