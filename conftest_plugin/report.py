"""The failure report: the calls a hub answered and the tasks it holds, short
enough to read in a terminal.  Request bodies carry no credentials (those are in
the headers, which are left out)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fakehub import Hub

MAX_CALLS = 20
MAX_TASKS = 20
WIDTH = 160
_SERVICES = {"AWSMigrationHub": "mgh", "AWSMigrationHubMultiAccountService": "migrationhub-config",
             "AWSPoseidonService_V2015_11_01": "discovery"}


def describe(hub: Hub, calls: list[tuple[Any, Any]]) -> str:
    lines = [f"calls: {len(calls)}" + (f" (the last {MAX_CALLS} shown)" if len(calls) > MAX_CALLS else "")]
    lines += [_short("  " + _call(request, response)) for request, response in calls[-MAX_CALLS:]]
    # The hub has no public listing of accounts and tasks yet; read its state, read-only.
    accounts = sorted(hub.state.accounts)
    shown = 0
    for account in accounts:
        state = hub.state.accounts[account]
        streams = [f"{s.name} (deleting)" if s.deleting else s.name for s in state.streams.values()]
        lines.append(f"account {account}: streams: {', '.join(streams) or '(none)'}")
        for record in state.tasks.values():
            if shown == MAX_TASKS:
                lines.append("  ... more tasks not shown")
                break
            lines.append(_short("  " + _task(hub.task(record.stream, record.name, account))))
            shown += 1
    pending = hub.pending()
    if pending:
        lines.append("pending asynchronous steps (hub.settle() applies them): "
                     + ", ".join(kind for _due, kind in pending))
    return "\n".join(lines)


def _call(request: Any, response: Any) -> str:
    target = request.headers.get("X-Amz-Target", b"")
    prefix, _, operation = (target.decode() if isinstance(target, bytes) else target).partition(".")
    sent = json.dumps(json.loads(request.body or b"{}"), separators=(",", ":"))
    answer = json.loads(response.content or b"{}")
    if response.status_code >= 400:
        code = str(answer.get("__type", "")).rpartition("#")[2]
        outcome = f"{code}: {answer.get('Message') or answer.get('message') or ''}"
    else:
        outcome = "OK " + json.dumps(answer, default=str, separators=(",", ":")) if answer else "OK"
    return f"{_SERVICES.get(prefix, prefix)} {operation} {_clip(sent, 80)} -> {response.status_code} {_clip(outcome, 80)}"


def _task(task: dict[str, Any]) -> str:
    state = task["Task"] or {}
    parts = [f"{task['ProgressUpdateStream']}/{task['MigrationTaskName']}: {state.get('Status', 'never notified')}"]
    if "ProgressPercent" in state:
        parts.append(f"{state['ProgressPercent']}%")
    if state.get("StatusDetail"):
        parts.append(repr(state["StatusDetail"]))
    for key, label in (("ResourceAttributeList", "attributes"), ("discovered", "discovered"),
                       ("artifacts", "artifacts"), ("sources", "sources")):
        items = task[key]
        if items:
            values = [i.get("Value") or i.get("ConfigurationId") or i.get("Name") for i in items]
            parts.append(f"{label}={','.join(map(str, values))}")
    return " ".join(parts)


def _short(line: str) -> str:
    return _clip(line, WIDTH)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
