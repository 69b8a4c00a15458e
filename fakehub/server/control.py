"""The control API: what a Python test does with the hub, as JSON over HTTP under
``/_fakehub/`` (a path no AWS client uses), so a test in any language can do it too.

Requests and answers are JSON objects whose member names are the Python API's argument
names (``docs/server.md`` lists every route).  A route that is not here answers 404 with
the list of routes; a body that is not what the route takes answers 400 naming what it
accepts.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .. import console, contract
from ..core import clock
from ..hub import Hub

if TYPE_CHECKING:
    from .app import Server

PREFIX = "/_fakehub/"


class ControlError(Exception):
    """A control request the route cannot take: answered 400 (404 for an unknown route)."""

    def __init__(self, message: str, status: int = 400, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str


Handler = Callable[["Server", dict[str, Any]], Any]


def handle(server: Server, method: str, path: str, raw: bytes) -> Answer:
    """Answer one control request (``path`` starts with ``/_fakehub/``)."""
    route = ROUTES.get((method, path[len(PREFIX) :]))
    try:
        if route is None:
            raise ControlError(f"no control route {method} {path}", 404, routes=route_list())
        result = route(server, _arguments(raw))
    except ControlError as error:
        return _json(error.status, {"error": error.message, **error.extra})
    except (TypeError, ValueError, KeyError) as error:  # the hub refused an argument: its message says why
        return _json(400, {"error": str(error)})
    if isinstance(result, Answer):
        return result
    return _json(200, result if result is not None else {})


def route_list() -> list[str]:
    return [f"{method} {PREFIX}{name}" for method, name in ROUTES]


def _arguments(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        found = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as error:  # RecursionError: nested deeper than json goes
        raise ControlError(f"the body must be a JSON object: {error}") from None
    if not isinstance(found, dict):
        raise ControlError(f"the body must be a JSON object, not {type(found).__name__}")
    return found


def _refuse_constant(name: str) -> Any:
    raise ControlError(f"the body must be JSON: {name} is not a JSON number")


def _json(status: int, body: Any) -> Answer:
    return Answer(status, json.dumps(body, default=_jsonable).encode(), "application/json")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _only(arguments: Mapping[str, Any], accepted: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
    unknown = sorted(set(arguments) - set(accepted))
    if unknown:
        raise ControlError(f"unknown member(s) {', '.join(unknown)}; accepted: {', '.join(accepted)}")
    missing = [name for name in required if name not in arguments]
    if missing:
        raise ControlError(f"missing member(s) {', '.join(missing)}; accepted: {', '.join(accepted)}")


# ---- the routes ---------------------------------------------------------------------------


def _settle(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    return {"steps": server.hub.settle()}


def _clock(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ("advance", "set"))
    if len(arguments) != 1:
        raise ControlError('give one of {"advance": seconds} or {"set": epoch seconds}')
    ((name, value),) = arguments.items()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ControlError(f"{name} must be a finite number of seconds, not {value!r}")
    if name == "advance" and value < 0:
        raise ControlError("advance must not be negative: the clock only moves forward")
    target = clock.now() + value if name == "advance" else value
    if not clock.EARLIEST <= target <= clock.LATEST:
        raise ControlError(
            f"the clock must stay within the years 1 to 9999 (epoch seconds {clock.EARLIEST} to {clock.LATEST}): "
            "every answer's Date header and every stored time is read from it"
        )
    if name == "advance":
        clock.shift(value)  # exactly ``value`` ahead, however long this call took
    else:
        clock.set_to(value)
    return _clock_state(server, {})


def _clock_state(_server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    return {"now": clock.now(), "offset": clock.offset()}


def _reset(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    server.reset()
    return {}


def _state(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    hub = server.hub
    accounts = {}
    for account in hub.accounts():
        accounts[account] = {
            "streams": hub.streams(account),
            "tasks": [hub.task(stream, name, account) for stream, name in hub.tasks(account)],
            "servers": hub.servers(account),
        }
    pending = [{"due": due, "kind": kind} for due, kind in hub.pending()]
    return {"now": clock.now(), "accounts": accounts, "pending": pending}


def _journal(server: Server, arguments: dict[str, Any]) -> Answer:
    _only(arguments, ())
    return Answer(200, server.hub.journal.dump_jsonl().encode(), "application/x-ndjson")


def _contract(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    report = contract.check(server.hub)
    breaches = [dataclasses.asdict(breach) for breach in report.breaches]
    return {"clean": report.clean, "breaches": breaches, "text": str(report)}


def _console(server: Server, arguments: dict[str, Any]) -> Answer:
    _only(arguments, ())
    return Answer(200, console.render_text(server.hub).encode(), "text/plain; charset=utf-8")


_SERVER_ARGUMENTS = (
    "account",
    "hostname",
    "ip_addresses",
    "mac_addresses",
    "vcenter_id",
    "moref_id",
    "vm_name",
    "vm_path",
    "bios_id",
    "os_name",
    "os_version",
)


def _add_server(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, _SERVER_ARGUMENTS)
    return {"configuration_id": server.hub.add_server(**arguments)}


def _map_access_key(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ("access_key", "account"), required=("access_key", "account"))
    server.hub.map_access_key(arguments["access_key"], arguments["account"])
    return {}


def _attach_policy(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ("access_key", "document"), required=("access_key", "document"))
    server.hub.attach_policy(arguments["access_key"], arguments["document"])
    return {}


_FAULT_ARGUMENTS = {
    "fail": ("code", "times", "stream", "task", "latency", "retry_after", "message"),
    "fail_randomly": ("probability", "code", "seed", "stream", "task", "latency", "retry_after", "message"),
    "script": ("outcomes", "stream", "task", "latency", "retry_after", "message"),
    "delay": ("seconds", "stream", "task"),
}


def _add_fault(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    kind = arguments.pop("kind", "fail")
    if kind not in tuple(_FAULT_ARGUMENTS):
        raise ControlError(f"kind must be one of {', '.join(tuple(_FAULT_ARGUMENTS))}, not {kind!r}")
    if "operation" not in arguments:
        raise ControlError("missing member operation (an API name such as 'NotifyMigrationTaskState', or '*')")
    operation = arguments.pop("operation")
    _only(arguments, _FAULT_ARGUMENTS[kind])
    faults = server.hub.faults
    getattr(faults, kind)(operation, **arguments)
    return {"rules": len(faults.rules)}


def _faults(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    faults = server.hub.faults
    rules = [
        {
            "operations": sorted(rule.operations),
            "stream": rule.stream,
            "task": rule.task,
            "matched": rule.matched,
            "fired": rule.fired,
            "exhausted": rule.exhausted,
        }
        for rule in faults.rules
    ]
    return {"rules": rules, "slept": faults.slept}


def _snapshot(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    return server.hub.snapshot()


def _restore(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    """The body is a snapshot document; the hub it describes replaces the server's, and
    the server's clock takes the snapshot's offset (the server owns its clock)."""
    hub = Hub.from_snapshot(arguments)  # a bad document: SnapshotError (400), the old hub stays
    server.hub = hub
    clock.set_offset(arguments["clock_offset"])
    return {"accounts": len(hub.accounts()), "pending": len(hub.pending())}


def _clear_faults(server: Server, arguments: dict[str, Any]) -> dict[str, Any]:
    _only(arguments, ())
    server.hub.faults.clear()
    return {}


ROUTES: dict[tuple[str, str], Handler] = {
    ("POST", "settle"): _settle,
    ("GET", "clock"): _clock_state,
    ("POST", "clock"): _clock,
    ("POST", "reset"): _reset,
    ("GET", "state"): _state,
    ("GET", "journal"): _journal,
    ("GET", "contract"): _contract,
    ("GET", "console"): _console,
    ("POST", "servers"): _add_server,
    ("POST", "access-keys"): _map_access_key,
    ("POST", "policies"): _attach_policy,
    ("GET", "snapshot"): _snapshot,
    ("POST", "snapshot"): _restore,
    ("GET", "faults"): _faults,
    ("POST", "faults"): _add_fault,
    ("DELETE", "faults"): _clear_faults,
}
