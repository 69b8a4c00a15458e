"""Ordered indexes, page tokens and the scheduler: the pure pieces every listing and
every asynchronous step relies on."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakehub.core.errors import ServiceError
from fakehub.core.paging import OrderedIndex, PageTokens
from fakehub.core.scheduler import Scheduler

TOKEN = re.compile(r"[a-zA-Z0-9/+=]{0,2048}")


def refusal(fn, *args):
    with pytest.raises(ServiceError) as info:
        fn(*args)
    return info.value


def test_tokens_round_trip_and_fit_the_model_pattern():
    tokens = PageTokens(b"k" * 16)
    token = tokens.issue("L|123456789012", ["SMS", "web-01"], 1000.0)
    assert TOKEN.fullmatch(token)
    assert tokens.read(token, "L|123456789012", 1000.0) == ("SMS", "web-01")


def test_tokens_refuse_tampering_other_listings_other_hubs_and_expiry():
    tokens = PageTokens(b"k" * 16)
    token = tokens.issue("A", 5, 1000.0)
    raw = bytearray(base64.b64decode(token))
    raw[-2] ^= 1
    for bad in ("not-base64!", "", base64.b64encode(bytes(raw)).decode(), PageTokens(b"x" * 16).issue("A", 5, 1000.0)):
        if bad:
            assert refusal(tokens.read, bad, "A", 1000.0).code == "InvalidInputException"
    assert "different listing" in refusal(tokens.read, token, "B", 1000.0).message
    assert tokens.read(token, "A", 1000.0 + 3600, 24 * 3600) == 5
    assert "expired" in refusal(tokens.read, token, "A", 1000.0 + 25 * 3600, 24 * 3600).message


@given(
    keys=st.lists(st.text(max_size=4), unique=True, max_size=40),
    limit=st.integers(1, 7),
    deletions=st.lists(st.integers(0, 1000), max_size=10),
)
def test_pages_concatenate_to_the_listing_even_with_deletes_between_pages(keys, limit, deletions):
    index: OrderedIndex[str, str] = OrderedIndex()
    for key in keys:
        index.put(key, key)
    deleted: set[str] = set()
    seen: list[str] = []
    after = None
    while True:
        page, after = index.page(after, limit)
        seen.extend(page)
        if after is None:
            break
        if deletions:  # delete an arbitrary item between pages
            victims = sorted(set(keys) - deleted)
            if victims:
                victim = victims[deletions.pop() % len(victims)]
                index.pop(victim)
                deleted.add(victim)
    # nothing repeated, nothing lost: every item that survived the listing was served once
    assert len(seen) == len(set(seen))
    assert set(keys) - deleted <= set(seen)
    assert seen == sorted(seen)


def test_scheduler_runs_in_due_order_only_when_due_and_skips_cancelled():
    ran: list[str] = []
    scheduler = Scheduler(lambda step, when: ran.append(f"{step.kind}{step.subject}@{when}"))
    scheduler.schedule(20.0, "b", ("2",))
    scheduler.schedule(10.0, "a", ("1",))
    cancelled = scheduler.schedule(15.0, "c", ())
    cancelled.cancelled = True
    assert scheduler.run_due(9.9) == 0 and ran == []
    assert scheduler.pending() == [(10.0, "a"), (20.0, "b")]
    assert [(step.kind, step.subject) for step in scheduler.steps()] == [("a", ("1",)), ("b", ("2",))]
    assert scheduler.run_due(15.0) == 1 and ran == ["a('1',)@10.0"]
    assert scheduler.settle(16.0) == 1 and ran == ["a('1',)@10.0", "b('2',)@16.0"]  # applied early: stamped "now"
    assert len(scheduler) == 0


def test_scheduler_ties_run_in_the_order_they_were_scheduled():
    ran: list[str] = []
    scheduler = Scheduler(lambda step, when: ran.append(step.subject[0]))
    for name in ("x", "y", "z"):
        scheduler.schedule(5.0, "k", (name,))
    scheduler.settle(0.0)
    assert ran == ["x", "y", "z"]


def test_a_token_shows_nothing_of_its_listing_or_key():
    """Real tokens are encrypted blobs: the key (a host name, a task name) and the listing
    (an account id) must not decode out of one."""
    tokens = PageTokens(b"k" * 16)
    token = tokens.issue("ListConfigurations|111122223333|abc", [[1, "web-secret.corp"], 7], 1000.0)
    raw = base64.b64decode(token)
    for secret in (b"web-secret", b"111122223333", b"ListConfigurations", b"1000"):
        assert secret not in raw
    assert tokens.read(token, "ListConfigurations|111122223333|abc", 1000.0) == ([1, "web-secret.corp"], 7)


def test_the_refusal_of_a_token_from_another_listing_can_name_what_differs():
    tokens = PageTokens(b"k" * 16)
    token = tokens.issue("A", 5, 1000.0)
    refused = refusal(lambda: tokens.read(token, "B", 1000.0, listing_kinds="account, filters or order"))
    assert "different listing (another account, filters or order)" in refused.message
