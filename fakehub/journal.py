"""The call journal: every answer the hub sends, queryable and dumpable.

It runs on every call, so recording is a tuple append: the request and
response bodies are kept as the bytes that went over the wire and parsed only
when an entry is read.  Credentials and signatures are never kept: the
``Authorization`` header is read once for the account and region and dropped.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import warnings
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from .core import clock
from .wire.identity import account_for, signer

if TYPE_CHECKING:
    from botocore.awsrequest import AWSPreparedRequest, AWSResponse

    from .hub import Hub
    from .wire.services import OperationSpec


class Entry:
    """One call the hub answered.  Parameters and outcome are decoded on access."""

    __slots__ = ("time", "service", "account", "region", "operation", "_request", "_response", "_message_member")

    def __init__(self, time: float, spec: OperationSpec, account: str, region: str, request: bytes,
                 response: AWSResponse) -> None:
        self.time = time  # hub clock when the answer was sent (after any injected latency)
        self.service = spec.service.name
        self.operation = spec.name
        self.account = account
        self.region = region
        self._request = request
        self._response = response
        self._message_member = spec.service.message_member

    @property
    def params(self) -> dict[str, Any]:
        """The request members, as the client sent them (timestamps as epoch seconds)."""
        return json.loads(self._request) if self._request else {}

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def ok(self) -> bool:
        return self._response.status_code == 200

    @property
    def request_id(self) -> str:
        return self._response.headers["x-amzn-requestid"]

    @property
    def _body(self) -> dict[str, Any]:
        return json.loads(self._response.content or b"{}")  # type: ignore[no-any-return]

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
            "request_id": self.request_id, "service": self.service, "account": self.account,
            "region": self.region, "operation": self.operation, "params": self.params, "status": self.status,
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

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._rows: list[tuple[float, OperationSpec, str, str, Any, AWSResponse]] = []
        self._lock = threading.Lock()
        self.errors: list[BaseException] = []  # bugs caught while recording, never turned into answers

    def record(self, spec: OperationSpec, request: AWSPreparedRequest, response: AWSResponse) -> None:
        """Keep one answer; called by the dispatch for every answer it sends."""
        try:
            signed = signer(request.headers)  # type: ignore[arg-type]
            access_key, region = signed if signed is not None else ("", "")
            account = account_for(access_key, self._hub.access_keys) if signed is not None else ""
            self._rows.append((clock.now(), spec, account, region, request.body, response))
        except Exception as bug:  # noqa: BLE001 - a journal bug must not change the answer
            self.errors.append(bug)
            warnings.warn(f"fakehub journal failed to record a call: {bug!r}", RuntimeWarning, stacklevel=2)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Entry]:
        return (Entry(*row) for row in list(self._rows))

    def calls(self, operation: str | None = None, *, stream: str | None = None, task: str | None = None,
              outcome: str | None = None, account: str | None = None) -> list[Entry]:
        """Entries matching every filter given: ``outcome`` is ``"ok"``, ``"error"`` or
        an error code such as ``"ThrottlingException"``."""
        found = []
        for entry in self:
            if operation is not None and entry.operation != operation:
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


def _has_outcome(entry: Entry, outcome: str) -> bool:
    if outcome == "ok":
        return entry.ok
    if outcome == "error":
        return not entry.ok
    return entry.error_code == outcome
