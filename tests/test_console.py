"""The console view: text and HTML renderings of the hub's state."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import boto3
import pytest
from freezegun import freeze_time
from hypothesis import given
from hypothesis import strategies as st
from pytest_fakehub.report import describe

from fakehub import console, mock_migrationhub

REGION = "us-west-2"


@pytest.fixture
def migrated():
    with freeze_time("2025-06-02 09:00:00") as frozen, mock_migrationhub(home_region=REGION) as hub:
        mgh = boto3.client("mgh", region_name=REGION)
        mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
        for name, status, percent, detail, every in (
            ("web-01", "IN_PROGRESS", 40, "<script>alert(1)</script> & co", 60),
            ("db-01", "COMPLETED", 100, "Cut over", 60),
            ("app-01", "IN_PROGRESS", 10, "Copying", 3600),
        ):
            mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName=name)
            mgh.notify_migration_task_state(
                ProgressUpdateStream="Mover",
                MigrationTaskName=name,
                Task={"Status": status, "ProgressPercent": percent, "StatusDetail": detail},
                UpdateDateTime=dt.datetime.now(dt.timezone.utc),
                NextUpdateSeconds=every,
            )
        mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="queued")
        mgh.put_resource_attributes(
            ProgressUpdateStream="Mover",
            MigrationTaskName="db-01",
            ResourceAttributeList=[{"Type": "VM_NAME", "Value": "db-01"}],
        )
        frozen.tick(120)
        yield hub


def rows(text: str) -> dict[str, str]:
    return {line.split()[0]: line for line in text.splitlines() if line.split()[:1]}


def test_text_shows_tools_tasks_and_staleness(migrated):
    text = console.render_text(migrated)
    assert text.startswith("Migration Hub as of 2025-06-02T09:02:00Z")
    assert "Account 123456789012 - home region us-west-2" in text and "Tool Mover" in text
    by_task = rows(text)
    assert "IN_PROGRESS" in by_task["web-01"] and "40%" in by_task["web-01"]
    assert "STALE since 2025-06-02T09:01:00Z" in by_task["web-01"]
    assert "STALE" not in by_task["db-01"] and "STALE" not in by_task["app-01"]  # completed; promised an hour
    assert "(imported, no update yet)" in by_task["queued"]
    # db-01's attributes (a VM name, no host name) were put 120 s ago: the view applied their mapping.
    [server] = [line for line in text.splitlines() if line.startswith("d-server-")]
    assert server.split()[1:] == ["Mover/db-01"] and "No applications in discovery." in text


def test_html_is_well_formed_escaped_and_self_contained(migrated):
    page = console.render_html(migrated)
    assert page.startswith("<!DOCTYPE html>")
    root = ET.fromstring(page.split("\n", 1)[1])  # well-formed: a strict XML parser accepts it
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert not root.findall(".//script") and not root.findall(".//link") and "http" not in page
    cells = [td.text for td in root.iter("td")]
    assert "<script>alert(1)</script> & co" in cells
    stale = [td.text for td in root.iter("td") if td.get("class") == "stale"]
    assert stale == ["STALE since 2025-06-02T09:01:00Z"]


def test_an_empty_hub_renders(hub):
    assert "No calls yet" in console.render_text(hub)
    ET.fromstring(console.render_html(hub).split("\n", 1)[1])


def test_servers_are_listed_with_their_host_names_and_mapped_tasks(hub, mgh):
    server = hub.add_server(hostname="web-01.example.com")
    hub.add_server(hostname="idle")
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover")
    mgh.import_migration_task(ProgressUpdateStream="Mover", MigrationTaskName="web-01")
    mgh.associate_discovered_resource(
        ProgressUpdateStream="Mover", MigrationTaskName="web-01", DiscoveredResource={"ConfigurationId": server}
    )
    lines = console.render_text(hub).splitlines()
    [row] = [line for line in lines if server in line]
    assert row.split() == [server, "web-01.example.com", "Mover/web-01"]
    assert any(line.split() == [line.split()[0], "idle"] for line in lines if "idle" in line)


def test_now_may_be_a_datetime_or_epoch_seconds():
    with mock_migrationhub(home_region="us-west-2") as hub:
        boto3.client("mgh", region_name="us-west-2").create_progress_update_stream(ProgressUpdateStreamName="S")
        moment = dt.datetime(2025, 1, 1, 12, tzinfo=dt.timezone.utc)
        assert console.render_text(hub, now=moment) == console.render_text(hub, now=moment.timestamp())
        assert console.render_text(hub, now=moment.replace(tzinfo=None)) == console.render_text(hub, now=moment)
        assert "2025-01-01T12:00:00Z" in console.render_html(hub, now=moment)


# Names the models allow that a terminal or a browser would not show as stored: controls
# (NUL, ESC, DEL, C1), bidi and zero-width format characters, a lone surrogate, separators,
# and a name that is the escape of another typed in.
HOSTILE = {
    "nul\x00name": "nul\\x00name",
    "nul\\x00name": "nul\\\\x00name",
    "esc\x1b[31mred": "esc\\x1b[31mred",
    "del\x7f-c1\x9b": "del\\x7f-c1\\x9b",
    "gpj.\u202eexe": "gpj.\\u202eexe",
    "zero\u200bwidth": "zero\\u200bwidth",
    "lone\ud800": "lone\\ud800",
    "tag\U000e0041": "tag\\U000e0041",
    "tab\tand\u00a0nbsp": "tab\\tand\\xa0nbsp",
    "café 日本": "café 日本",
}


@pytest.fixture
def hostile(hub, mgh):
    mgh.create_progress_update_stream(ProgressUpdateStreamName="Mover\u202e")
    for name in HOSTILE:
        mgh.import_migration_task(ProgressUpdateStream="Mover\u202e", MigrationTaskName=name)
        mgh.notify_migration_task_state(
            ProgressUpdateStream="Mover\u202e",
            MigrationTaskName=name,
            Task={"Status": "IN_PROGRESS", "StatusDetail": name},
            UpdateDateTime=dt.datetime.now(dt.timezone.utc),
            NextUpdateSeconds=60,
        )
    hub.add_server(hostname="host\x00\u202e\u2028")  # a line separator: only ADS may hold one
    return hub


def test_every_stored_name_is_shown_as_its_escape_in_text_and_html(hostile):
    text, page = console.render_text(hostile), console.render_html(hostile)
    text.encode("utf-8"), page.encode("utf-8")  # strict: a lone surrogate would raise
    root = ET.fromstring(page.split("\n", 1)[1])  # well-formed XML: no NUL, ESC or surrogate in it
    cells = [td.text for td in root.iter("td")]
    for shown in HOSTILE.values():
        assert cells.count(shown) == 2  # the task and its status detail
        assert sum(line.split("  ")[0] == shown for line in text.splitlines()) == 1
    assert "Tool Mover\\u202e" in text and "host\\x00\\u202e\\u2028" in text
    assert [h3.text for h3 in root.iter("h3") if h3.text.startswith("Tool")] == ["Tool Mover\\u202e"]
    for out in (text, page):
        assert all(line.isprintable() for line in out.splitlines())


def test_the_failure_report_shows_names_by_the_same_rule_and_encodes_as_utf8(hostile):
    report = describe(hostile)
    report.encode("utf-8")
    assert "account 123456789012: streams: Mover\\u202e" in report
    for shown in HOSTILE.values():
        assert f'  Mover\\u202e/{shown}: IN_PROGRESS "{shown}"' in report.splitlines()
    assert all(line.isprintable() for line in report.splitlines())


@given(st.text(st.characters(exclude_categories=())))
def test_printable_is_printable_and_reversible(text):
    shown = console.printable(text)
    assert shown.isprintable()
    # Reversible, so two stored names never look alike: Python's own escapes decode it back.
    assert shown.encode("latin-1", "backslashreplace").decode("unicode_escape") == text
