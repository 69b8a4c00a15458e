"""What a Migration Hub console user would see, rendered from the hub's state.

Plain text for terminals and test reports (``render_text``), and a
self-contained HTML page for when a person would rather look than read
(``render_html``).  Per account: application states, servers with the
tasks mapped to them, and per tool (progress update stream) its tasks with
status, progress, detail, last update and "stale" where it applies.  Discovery
data is shown when the account has an ADS repository and left out otherwise.

Every stored value goes through ``printable`` first, so what a name looks like is
what it is: a control, format (bidi override, zero-width) or surrogate character
cannot hide, reorder or break the page, and every rendering can be written as UTF-8.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .core import clock
from .core.clock import iso_utc as when
from .core.staleness import stale_since

if TYPE_CHECKING:
    from .core.state import AccountState
    from .hub import Hub


@dataclass(frozen=True)
class Section:
    title: str
    columns: tuple[str, ...]
    rows: Sequence[Sequence[str]]
    empty: str  # what to say when there are no rows


def sections(hub: Hub, *, now: float | dt.datetime | None = None) -> list[tuple[str, list[Section]]]:
    """(account heading, its sections) for every account the hub holds: the data both
    renderings show, every value made ``printable``.  Asynchronous steps due at the
    hub's clock are applied first, as a request would (never those due only by ``now``)."""
    now = _epoch(now)
    with hub.lock:
        hub.catch_up()
        return [
            (printable(f"Account {a.account_id} - home region {_home(a)}"), [_printable(s) for s in _account(a, now)])
            for a in hub.state.accounts.values()
        ]


def printable(text: str) -> str:
    """``text`` shown unambiguously: every character Python does not count as printable
    (controls, format characters such as bidi overrides and zero-width joiners, surrogates,
    private-use and unassigned code points, separators other than the space) becomes a
    visible escape as ``repr`` writes it (``\\x00``, ``\\u202e``, ``\\U000e0001``, ``\\n``), and
    a backslash is doubled, so the escape of a character and the same text typed in differ.
    The one rule of the console's text and HTML and of the pytest plugin's failure report."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(map(_escape, text))


_NAMED_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(char: str) -> str:
    named = _NAMED_ESCAPES.get(char)
    if named is not None:
        return named
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _printable(section: Section) -> Section:
    return Section(
        printable(section.title), section.columns, [tuple(map(printable, row)) for row in section.rows], section.empty
    )


def _home(account: AccountState) -> str:
    control = account.home.control
    return control.home_region if control is not None else "not set"


def _account(account: AccountState, now: float) -> list[Section]:
    apps = []
    for app in account.discovery.applications():
        reported = account.applications.get(app.configuration_id)
        apps.append(
            (
                f"{app.name} ({app.configuration_id})",
                reported.status if reported else "NOT_STARTED",
                when(reported.updated) if reported else "",
            )
        )
    found = [
        Section("Applications", ("Application", "Status", "Last updated"), apps, "No applications in discovery."),
        _servers(account),
    ]
    for stream in account.streams.values():
        rows = []
        for task in stream.tasks.values():
            state = task.state or {}
            since = stale_since(task, now)
            rows.append(
                (
                    task.name,
                    state.get("Status", "(imported, no update yet)"),
                    f"{state['ProgressPercent']}%" if "ProgressPercent" in state else "",
                    state.get("StatusDetail", ""),
                    when(task.update_time) if task.update_time is not None else "",
                    f"STALE since {when(since)}" if since is not None else "",
                    str(len(task.attributes or ())),
                    str(len(task.artifacts or ())),
                )
            )
        title = f"Tool {stream.name}" + (" (being deleted)" if stream.deleting else "")
        found.append(
            Section(
                title,
                ("Task", "Status", "Progress", "Status detail", "Last update", "Stale", "Attributes", "Artifacts"),
                rows,
                "No migration tasks.",
            )
        )
    if not account.streams:
        found.append(Section("Tools", (), [], "No progress update streams: no tool has reported yet."))
    return found


def _servers(account: AccountState) -> Section:
    """Every ADS server with the migration tasks mapped to it (as the console's
    Servers page lists them)."""
    rows = []
    for server in account.discovery.servers():
        keys = account.tasks_by_resource.get(server.configuration_id, ())
        rows.append((server.configuration_id, server.hostname or "", ", ".join(f"{s}/{t}" for s, t in sorted(keys))))
    return Section("Servers", ("Server", "Host name", "Mapped migration tasks"), rows, "No servers in discovery.")


def render_text(hub: Hub, *, now: float | dt.datetime | None = None) -> str:
    """The console as plain text: one aligned table per section."""
    now = _epoch(now)
    out = [f"Migration Hub as of {when(now)}"]
    for heading, account_sections in sections(hub, now=now):
        out += ["", heading, "=" * len(heading)]
        for section in account_sections:
            out += ["", section.title, "-" * len(section.title)]
            if not section.rows:
                out.append(section.empty)
                continue
            widths = [max(len(c), *(len(r[i]) for r in section.rows)) for i, c in enumerate(section.columns)]
            for row in (section.columns, *section.rows):
                out.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip())
    if len(out) == 1:
        out.append("No calls yet: the hub holds no account.")
    return "\n".join(out) + "\n"


_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #16191f; }
h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #d5dbdb; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #d5dbdb; padding: .3em .7em; text-align: left; }
th { background: #f2f3f3; } .stale { color: #d13212; font-weight: bold; } .empty { color: #687078; }
"""


def render_html(hub: Hub, *, now: float | dt.datetime | None = None) -> str:
    """The console as one self-contained, well-formed HTML page (every value escaped)."""
    now = _epoch(now)
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        f"<title>fakehub - Migration Hub as of {e(when(now))}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Migration Hub as of {e(when(now))}</h1>",
    ]
    for heading, account_sections in sections(hub, now=now):
        out.append(f"<h2>{e(heading)}</h2>")
        for section in account_sections:
            out.append(f"<h3>{e(section.title)}</h3>")
            if not section.rows:
                out.append(f'<p class="empty">{e(section.empty)}</p>')
                continue
            out.append(
                "<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in section.columns) + "</tr></thead><tbody>"
            )
            for row in section.rows:
                cells = "".join(
                    f'<td class="stale">{e(c)}</td>' if name == "Stale" and c else f"<td>{e(c)}</td>"
                    for name, c in zip(section.columns, row, strict=False)
                )
                out.append(f"<tr>{cells}</tr>")
            out.append("</tbody></table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _epoch(now: float | dt.datetime | None) -> float:
    """The view's moment: the hub's clock, or the one given (epoch seconds or a datetime;
    a naive datetime is UTC, as botocore takes it)."""
    if now is None:
        return clock.now()
    if isinstance(now, dt.datetime):
        return (now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)).timestamp()
    return now
