"""The failure report: the calls a hub answered (from its journal) and the tasks
it holds, short enough to read in a terminal.  The journal keeps no credentials.

Stored names are shown by the console's rule (``fakehub.console.printable``): a control,
bidi or surrogate character is written as a visible escape, so the report says what is stored
and pytest can always write it (terminal, JUnit XML) as UTF-8."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from fakehub.console import printable

if TYPE_CHECKING:
    from fakehub import Hub

MAX_CALLS = 20
MAX_TASKS = 20
WIDTH = 160


def describe(hub: Hub) -> str:
    calls = hub.journal.calls()
    lines = [f"calls: {len(calls)}" + (f" (the last {MAX_CALLS} shown)" if len(calls) > MAX_CALLS else "")]
    lines += [_short("  " + _call(entry)) for entry in calls[-MAX_CALLS:]]
    shown = 0
    for account in hub.accounts():
        streams = hub.streams(account)
        lines.append(printable(f"account {account}: streams: {', '.join(streams) or '(none)'}"))
        for stream, name in hub.tasks(account):
            if shown == MAX_TASKS:
                lines.append("  ... more tasks not shown")
                break
            lines.append(_short("  " + _task(hub.task(stream, name, account))))
            shown += 1
    pending = hub.pending()
    if pending:
        lines.append(
            "pending asynchronous steps (hub.settle() applies them): " + ", ".join(kind for _due, kind in pending)
        )
    return "\n".join(lines)


def _call(entry: Any) -> str:
    sent = json.dumps(entry.params, separators=(",", ":"))
    if entry.ok:
        outcome = "OK " + json.dumps(entry.result, default=str, separators=(",", ":")) if entry.result else "OK"
    else:
        outcome = printable(f"{entry.error_code}: {entry.error_message or ''}")
    return f"{entry.service} {entry.operation} {_clip(sent, 80)} -> {entry.status} {_clip(outcome, 80)}"


def _task(task: dict[str, Any]) -> str:
    state = task["Task"] or {}
    parts = [f"{task['ProgressUpdateStream']}/{task['MigrationTaskName']}: {state.get('Status', 'never notified')}"]
    if "ProgressPercent" in state:
        parts.append(f"{state['ProgressPercent']}%")
    if state.get("StatusDetail"):
        parts.append(f'"{state["StatusDetail"]}"')  # quoted, not repr: printable() escapes it once
    for key, label in (
        ("ResourceAttributeList", "attributes"),
        ("discovered", "discovered"),
        ("artifacts", "artifacts"),
        ("sources", "sources"),
    ):
        items = task[key]
        if items:
            values = [i.get("Value") or i.get("ConfigurationId") or i.get("Name") for i in items]
            parts.append(f"{label}={','.join(map(str, values))}")
    return printable(" ".join(parts))


def _short(line: str) -> str:
    return _clip(line, WIDTH)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."
