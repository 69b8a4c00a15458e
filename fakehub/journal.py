"""The call journal: every answer the hub sends, queryable and dumpable.

It runs on every call, so recording is a tuple append: the request and
response bodies are kept as the bytes that went over the wire and parsed only
when an entry is read.  Credentials and signatures are never kept: the
``Authorization`` header is read once for the account and region and dropped.

What the journal keeps is bounded by what the hub reads: a request body over
``MAX_BODY_BYTES`` (refused unread) is kept as its first ``HEAD_BYTES`` and its
size, and every answer is bounded (validation messages are cut short).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import threading
import uuid
import warnings
from collections.abc import Iterator
from typing import IO, Any

from .core import clock
from .wire.decoding import MAX_BODY_BYTES, PROTOCOL_CODES
from .wire.protocol import request_id
from .wire.services import OperationSpec, by_target, operation_named, service_model
from .wire.validation import lower_camel

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


_Row = tuple[float, OperationSpec, str, str, bytes | None, int, int, bytes, str, str | None, str | None]
"""time, spec, account, region, request body, status, call number, response body, access key id,
User-Agent, source IP: what one answer costs the hot path."""


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
        "_spec",
        "_seq",
        "access_key",
        "user_agent",
        "source_ip",
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
        seq: int = 0,
        access_key: str = "",
        user_agent: str | None = None,
        source_ip: str | None = None,
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
        self._spec = spec
        self._seq = seq
        self.access_key = access_key  # the caller's access key id (never its secret)
        self.user_agent = user_agent  # the request's User-Agent header, if it had one
        self.source_ip = source_ip  # the client's address (None: an in-process call)

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
        self._rows: list[_Row] = []
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
        access_key: str = "",
        user_agent: str | None = None,
        source_ip: str | None = None,
    ) -> None:
        """Keep one answer; called by the dispatch for every answer it sends."""
        try:
            self._rows.append(
                (
                    clock.now(),
                    spec,
                    account,
                    region,
                    _kept(request_body),
                    status,
                    seq,
                    response_body,
                    access_key,
                    user_agent,
                    source_ip,
                )
            )
        except Exception as bug:  # noqa: BLE001 - a journal bug must not change the answer
            self.errors.append(bug)
            warnings.warn(f"fakehub journal failed to record a call: {bug!r}", RuntimeWarning, stacklevel=2)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Entry]:
        hub_id = self._hub_id
        return (
            Entry(t, spec, account, region, request, status, request_id(hub_id, seq), response, seq, key, agent, ip)
            for t, spec, account, region, request, status, seq, response, key, agent, ip in list(self._rows)
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

    def cloudtrail_records(self) -> list[dict[str, Any]]:
        """One CloudTrail record per answered call, oldest first, in CloudTrail's own shape
        (``docs/journal-and-contract.md`` says which members follow its documented format
        and which are inferred).  A call with no credentials belongs to no account, so no
        trail would hold it: it has no record."""
        return [cloudtrail_record(entry, self._hub_id) for entry in self if entry.account]

    def write_cloudtrail_log(self, file: IO[str] | str | os.PathLike[str]) -> None:
        """Write the records as a CloudTrail log file, ``{"Records": [...]}`` (a path or an
        open text file)."""
        log = {"Records": self.cloudtrail_records()}
        if isinstance(file, (str, os.PathLike)):
            with open(file, "w", encoding="utf-8") as out:
                json.dump(log, out)
        else:
            json.dump(log, file)

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


# ---- CloudTrail records ------------------------------------------------------------------

CLOUDTRAIL_EVENT_VERSION = "1.11"
"""The record format's version the CloudTrail User Guide names current ("CloudTrail record contents")."""

EVENT_SOURCES = {
    "mgh": "migrationhub.amazonaws.com",  # documented: the Migration Hub User Guide's sample record
    "migrationhub-config": "migrationhub-config.amazonaws.com",  # inferred: its endpoint prefix
    "discovery": "discovery.amazonaws.com",  # inferred: its endpoint prefix
}
"""Each faked service's ``eventSource``."""

IN_PROCESS_SOURCE_IP = "127.0.0.1"
"""``sourceIPAddress`` of a call answered in process: it never left the machine (inferred)."""

READ_ONLY_PREFIXES = ("List", "Describe", "Get")
HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS"  # what CloudTrail shows for a sensitive value


def cloudtrail_record(entry: Entry, hub_id: int) -> dict[str, Any]:
    """One journal entry as a CloudTrail record (built on read: recording stays a tuple append)."""
    spec = entry._spec
    read_only = spec.name.startswith(READ_ONLY_PREFIXES)
    record: dict[str, Any] = {
        "eventVersion": CLOUDTRAIL_EVENT_VERSION,
        "userIdentity": _user_identity(entry),
        "eventTime": dt.datetime.fromtimestamp(entry.time, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": EVENT_SOURCES[entry.service],
        "eventName": entry.operation,
        "awsRegion": entry.region,
        "sourceIPAddress": entry.source_ip or IN_PROCESS_SOURCE_IP,
        "userAgent": entry.user_agent or "",
    }
    if not entry.ok:
        record["errorCode"] = entry.error_code
        record["errorMessage"] = entry.error_message
    record["requestParameters"] = _request_parameters(entry)
    record["responseElements"] = None if read_only or not entry.ok else _response_elements(entry)
    record["requestID"] = entry.request_id
    record["eventID"] = event_id(hub_id, entry._seq)
    record["readOnly"] = read_only
    record["eventType"] = "AwsApiCall"
    record["managementEvent"] = True
    record["recipientAccountId"] = entry.account
    record["eventCategory"] = "Management"
    return record


def event_id(hub_id: int, seq: int) -> str:
    """A UUID for one call of one hub: the same calls give the same ids, run after run."""
    digest = uuid.uuid5(uuid.NAMESPACE_URL, f"fakehub:{hub_id}:{seq}").bytes
    return str(uuid.UUID(bytes=digest, version=4))


def _user_identity(entry: Entry) -> dict[str, Any]:
    """Who called: the account and access key id (a temporary ``ASIA`` key is a role session)."""
    kind = "AssumedRole" if entry.access_key.startswith("ASIA") else "IAMUser"
    return {"type": kind, "accountId": entry.account, "accessKeyId": entry.access_key}


def _request_parameters(entry: Entry) -> dict[str, Any] | None:
    """The request members in CloudTrail's lower-camel spelling (None: none, or a body the
    protocol refused unread)."""
    params = entry.params
    if not params or UNREAD_BODY in params:
        return None
    shape = service_model(entry.service).operation_model(entry.operation).input_shape
    return _as_logged(params, shape)  # type: ignore[no-any-return]


def _response_elements(entry: Entry) -> dict[str, Any] | None:
    result = entry.result
    if not result:
        return None
    shape = service_model(entry.service).operation_model(entry.operation).output_shape
    return _as_logged(result, shape)  # type: ignore[no-any-return]


def _as_logged(value: Any, shape: Any) -> Any:
    """A value as CloudTrail logs it: structure members lower-camel, sensitive values hidden,
    map keys and everything else as sent."""
    if shape is None:
        return value
    if shape.metadata.get("sensitive"):
        return HIDDEN
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {lower_camel(k): _as_logged(v, members.get(k)) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_as_logged(item, shape.member) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _as_logged(v, shape.value) for k, v in value.items()}
    return value
