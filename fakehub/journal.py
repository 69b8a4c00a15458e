"""The call journal: every answer the hub sends, queryable and dumpable.

It runs on every call, so recording is a tuple append: the request and
response bodies are kept as the bytes that went over the wire and parsed only
when an entry is read.  Credentials and signatures are never kept: the
``Authorization`` header is read once for the account and region and dropped.

What the journal keeps is bounded by what the hub reads: a request body over
``MAX_BODY_BYTES`` (refused unread) is kept as its first :data:`HEAD_BYTES` and its
size, and every answer is bounded (validation messages are cut short).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import warnings
from collections.abc import Iterator
from typing import IO, Any

from .core import clock
from .wire.decoding import MAX_BODY_BYTES, PROTOCOL_CODES
from .wire.protocol import request_id
from .wire.services import OperationSpec, by_target, operation_named

OUTCOMES = ("ok", "error")
"""What ``calls(outcome=...)`` takes besides an error code."""

UNREAD_BODY = "fakehub:unread-body"
"""The one key of ``Entry.params`` for a request the protocol refused before reading its
members (not JSON, not an object, nested too deep, too large): ``{"bytes": <size>, "head":
<its first HEAD_BYTES, decoded with replacement characters>}``.  No model member has a colon."""

HEAD_BYTES = 1024
"""How much of a request body ``params`` shows, and the journal keeps of one over MAX_BODY_BYTES."""


class _Cut(bytes):
    """The first HEAD_BYTES of a request body over MAX_BODY_BYTES, and its ``size``."""

    size: int


def _kept(body: bytes | None) -> bytes | None:
    if body is None or len(body) <= MAX_BODY_BYTES:
        return body
    cut = _Cut(body[:HEAD_BYTES])
    cut.size = len(body)
    return cut


class Entry:
    """One call the hub answered.  Parameters and outcome are decoded on access."""

    __slots__ = (
        "time",
        "service",
        "account",
        "region",
        "operation",
        "status",
        "request_id",
        "_request",
        "_response",
        "_message_member",
    )

    def __init__(
        self,
        time: float,
        spec: OperationSpec,
        account: str,
        region: str,
        request: bytes | None,
        status: int,
        request_id: str,
        response: bytes,
    ) -> None:
        self.time = time  # hub clock when the answer was sent (after any injected latency)
        self.service = spec.service.name
        self.operation = spec.name
        self.account = account
        self.region = region
        self.status = status
        self.request_id = request_id
        self._request = request
        self._response = response
        self._message_member = spec.service.message_member

    @property
    def params(self) -> dict[str, Any]:
        """The request members, as the client sent them (timestamps as epoch seconds); for a
        body the protocol refused unread, ``{UNREAD_BODY: {"bytes": ..., "head": ...}}``."""
        raw = self._request
        if not raw:
            return {}
        if not self.ok and self.error_code in PROTOCOL_CODES:
            return {UNREAD_BODY: {"bytes": self.request_size, "head": raw[:HEAD_BYTES].decode("utf-8", "replace")}}
        return json.loads(raw)  # type: ignore[no-any-return]

    @property
    def request_size(self) -> int:
        """Bytes in the request body as it arrived (0 for none)."""
        raw = self._request
        return raw.size if isinstance(raw, _Cut) else len(raw or b"")

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def _body(self) -> dict[str, Any]:
        return json.loads(self._response or b"{}")  # type: ignore[no-any-return]

    @property
    def result(self) -> dict[str, Any] | None:
        """The response members of a successful call (None for an error)."""
        return self._body if self.ok else None

    @property
    def error_code(self) -> str | None:
        return None if self.ok else self._body.get("__type", "").rpartition("#")[2]

    @property
    def error_message(self) -> str | None:
        return None if self.ok else self._body.get(self._message_member)

    @property
    def stream(self) -> str | None:
        params = self.params
        return params.get("ProgressUpdateStream", params.get("ProgressUpdateStreamName"))

    @property
    def task(self) -> str | None:
        return self.params.get("MigrationTaskName")

    def to_dict(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(self.time, dt.timezone.utc).isoformat(),
            "request_id": self.request_id,
            "service": self.service,
            "account": self.account,
            "region": self.region,
            "operation": self.operation,
            "params": self.params,
            "status": self.status,
        }
        if self.ok:
            entry["result"] = self.result
        else:
            entry["error"] = {"code": self.error_code, "message": self.error_message}
        return entry

    def __repr__(self) -> str:
        outcome = "ok" if self.ok else self.error_code
        return f"<Entry {self.operation} {outcome} {self.account}/{self.region} at {self.time:.3f}>"


class Journal:
    """Every call the hub answered, oldest first (``hub.journal``)."""

    def __init__(self, hub_id: int) -> None:
        # One compact tuple per answer: the request and response bodies as the bytes
        # that went over the wire, the call's number for its request id; nothing of
        # the signature is kept.
        self._hub_id = hub_id
        self._rows: list[tuple[float, OperationSpec, str, str, bytes | None, int, int, bytes]] = []
        self._lock = threading.Lock()
        self.errors: list[BaseException] = []  # bugs caught while recording, never turned into answers

    def record(
        self,
        spec: OperationSpec,
        account: str,
        region: str,
        request_body: bytes | None,
        status: int,
        seq: int,
        response_body: bytes,
    ) -> None:
        """Keep one answer; called by the dispatch for every answer it sends."""
        try:
            self._rows.append((clock.now(), spec, account, region, _kept(request_body), status, seq, response_body))
        except Exception as bug:  # noqa: BLE001 - a journal bug must not change the answer
            self.errors.append(bug)
            warnings.warn(f"fakehub journal failed to record a call: {bug!r}", RuntimeWarning, stacklevel=2)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Entry]:
        hub_id = self._hub_id
        return (
            Entry(t, spec, account, region, request, status, request_id(hub_id, seq), response)
            for t, spec, account, region, request, status, seq, response in list(self._rows)
        )

    def calls(
        self,
        operation: str | None = None,
        *,
        stream: str | None = None,
        task: str | None = None,
        outcome: str | None = None,
        account: str | None = None,
    ) -> list[Entry]:
        """Entries matching every filter given.  ``operation`` is an API name
        (``"ImportMigrationTask"``) or its boto3 name (``"import_migration_task"``);
        ``outcome`` is ``"ok"``, ``"error"`` or an error code such as
        ``"ThrottlingException"``.  An unknown operation or outcome is a ValueError, so a
        typo cannot make ``assert not hub.journal.calls(...)`` pass."""
        spec = operation_named(operation) if operation is not None else None
        if outcome is not None:
            _check_outcome(outcome, spec)
        name = spec.name if spec is not None else None
        found = []
        for entry in self:
            if name is not None and entry.operation != name:
                continue
            if account is not None and entry.account != account:
                continue
            if stream is not None and entry.stream != stream:
                continue
            if task is not None and entry.task != task:
                continue
            if outcome is not None and not _has_outcome(entry, outcome):
                continue
            found.append(entry)
        return found

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()

    def dump_jsonl(self, file: IO[str] | None = None) -> str:
        """The journal as JSON Lines (one entry per line); also written to ``file`` if given."""
        text = "".join(json.dumps(entry.to_dict(), sort_keys=True) + "\n" for entry in self)
        if file is not None:
            file.write(text)
        return text


def _check_outcome(outcome: str, spec: OperationSpec | None) -> None:
    """Refuse an outcome no entry (of ``spec``, if given) can have."""
    if outcome in OUTCOMES:
        return
    codes = _codes(spec) if spec is not None else _all_codes()
    if outcome not in codes:
        who = spec.name if spec is not None else "a faked operation"
        raise ValueError(
            f"unknown outcome {outcome!r}: use 'ok', 'error' or an error code {who} can answer "
            f"({', '.join(sorted(codes))})"
        )


def _codes(spec: OperationSpec) -> frozenset[str]:
    """The error codes an operation can answer: those it models, and the protocol's own."""
    return frozenset(spec.errors).union(PROTOCOL_CODES)


@functools.cache
def _all_codes() -> frozenset[str]:
    return frozenset().union(*(_codes(spec) for spec in by_target().values()))


def _has_outcome(entry: Entry, outcome: str) -> bool:
    if outcome == "ok":
        return entry.ok
    if outcome == "error":
        return not entry.ok
    return entry.error_code == outcome
