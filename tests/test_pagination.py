"""Paginated listings through boto3: complete, stable under deletes, tokens checked."""

from __future__ import annotations

import boto3
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub import mock_migrationhub
from helpers import raises

REGION = "us-west-2"


_CLIENT = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION).client("mgh")


def client():
    return _CLIENT


@settings(max_examples=25)
@given(
    names=st.lists(st.text(st.sampled_from("abcXYZ019-_."), min_size=1, max_size=6), unique=True, max_size=30),
    page_size=st.integers(1, 7),
    victims=st.lists(st.integers(0, 10_000), max_size=6),
)
def test_pages_concatenate_to_the_listing_with_deletes_between_pages(names, page_size, victims):
    """Deleting any stream between pages (the last one served included) never makes
    the listing skip or repeat a stream."""
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = client()
        for name in names:
            mgh.create_progress_update_stream(ProgressUpdateStreamName=name)
        full = [
            s["ProgressUpdateStreamName"] for s in mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
        ]
        assert full == sorted(names)
        seen: list[str] = []
        deleted_unseen: set[str] = set()
        alive = set(names)
        token = None
        while True:
            page = mgh.list_progress_update_streams(MaxResults=page_size, **({"NextToken": token} if token else {}))
            seen += [s["ProgressUpdateStreamName"] for s in page["ProgressUpdateStreamSummaryList"]]
            token = page.get("NextToken")
            if not token:
                break
            if victims and alive:
                victim = sorted(alive)[victims.pop() % len(alive)]
                mgh.delete_progress_update_stream(ProgressUpdateStreamName=victim)
                hub.settle()
                alive.discard(victim)
                if victim not in seen:
                    deleted_unseen.add(victim)
        assert len(seen) == len(set(seen))
        assert seen == sorted(set(names) - deleted_unseen)


def test_paginators_of_every_listing_walk_all_items():
    with mock_migrationhub(home_region=REGION) as hub:
        mgh = client()
        for i in range(23):
            mgh.create_progress_update_stream(ProgressUpdateStreamName=f"s{i:02}")
        mgh.import_migration_task(ProgressUpdateStream="s00", MigrationTaskName="t")
        for i in range(23):
            mgh.associate_created_artifact(
                ProgressUpdateStream="s00",
                MigrationTaskName="t",
                CreatedArtifact={"Name": f"arn:aws:ec2:us-west-2:123456789012:image/ami-{i:04}"},
            )
            mgh.associate_source_resource(
                ProgressUpdateStream="s00", MigrationTaskName="t", SourceResource={"Name": f"src{i}"}
            )
            server = hub.add_server(hostname=f"h{i}")
            mgh.associate_discovered_resource(
                ProgressUpdateStream="s00", MigrationTaskName="t", DiscoveredResource={"ConfigurationId": server}
            )

        def walk(operation, key, **params):
            pages = list(mgh.get_paginator(operation).paginate(PaginationConfig={"PageSize": 4}, **params))
            return len(pages), sum(len(p[key]) for p in pages)

        task = {"ProgressUpdateStream": "s00", "MigrationTaskName": "t"}
        assert walk("list_progress_update_streams", "ProgressUpdateStreamSummaryList") == (6, 23)
        assert walk("list_created_artifacts", "CreatedArtifactList", **task) == (6, 23)
        assert walk("list_source_resources", "SourceResourceList", **task) == (6, 23)
        assert walk("list_discovered_resources", "DiscoveredResourceList", **task) == (6, 23)
        # no trailing empty page: the last page carries no NextToken
        last = mgh.list_progress_update_streams(MaxResults=23)
        assert "NextToken" not in last and len(last["ProgressUpdateStreamSummaryList"]) == 23


def test_foreign_tampered_and_cross_listing_tokens_are_refused():
    with mock_migrationhub(home_region=REGION):
        mgh = client()
        for name in "abc":
            mgh.create_progress_update_stream(ProgressUpdateStreamName=name)
        token = mgh.list_progress_update_streams(MaxResults=1)["NextToken"]
        assert mgh.list_progress_update_streams(NextToken=token)["ProgressUpdateStreamSummaryList"][0] == {
            "ProgressUpdateStreamName": "b"
        }
        assert mgh.list_progress_update_streams(NextToken="")["ProgressUpdateStreamSummaryList"]  # "" = first page
        with raises("InvalidInputException", match="different listing"):
            mgh.list_migration_tasks(NextToken=token)
        with raises("InvalidInputException", match="not valid"):
            mgh.list_progress_update_streams(NextToken=token[:-4] + "AAAA")
    with mock_migrationhub(home_region=REGION), raises("InvalidInputException", match="not valid"):
        client().list_progress_update_streams(NextToken=token)  # another hub never issued it


def test_tokens_of_the_2024_listings_expire_after_24_hours():
    import datetime as dt

    from freezegun import freeze_time

    with freeze_time("2026-01-05 09:00:00") as frozen, mock_migrationhub(home_region=REGION):
        mgh = client()
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        for i in range(3):
            mgh.associate_source_resource(
                ProgressUpdateStream="S", MigrationTaskName="t", SourceResource={"Name": f"s{i}"}
            )
        token = mgh.list_source_resources(ProgressUpdateStream="S", MigrationTaskName="t", MaxResults=1)["NextToken"]
        frozen.tick(dt.timedelta(hours=23))
        assert mgh.list_source_resources(ProgressUpdateStream="S", MigrationTaskName="t", NextToken=token)[
            "SourceResourceList"
        ]
        frozen.tick(dt.timedelta(hours=2))
        with raises("InvalidInputException", match="expired"):
            mgh.list_source_resources(ProgressUpdateStream="S", MigrationTaskName="t", NextToken=token)


def test_tokens_stay_within_the_model_limit_for_the_longest_keys_and_listings():
    """A token holds a digest of its listing and its key in UTF-8, so neither 100
    application ids nor the longest four-byte-character names push it past the model's
    2048 characters (which fakehub's own validation would refuse on the next page)."""
    stream, names = "😀" * 50, ["😀" * 255 + tail for tail in "ab"]
    ads = boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION).client("discovery")
    with mock_migrationhub(home_region=REGION):
        mgh = client()
        mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
        for name in names:
            mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=name)
        first = mgh.list_migration_tasks(MaxResults=1)
        assert len(first["NextToken"]) <= 2048
        second = mgh.list_migration_tasks(MaxResults=1, NextToken=first["NextToken"])
        assert [
            t["MigrationTaskName"] for t in first["MigrationTaskSummaryList"] + second["MigrationTaskSummaryList"]
        ] == names

        apps = [ads.create_application(name=f"wave-{i:03d}")["configurationId"] for i in range(100)]
        for app in apps:
            mgh.notify_application_state(ApplicationId=app, Status="IN_PROGRESS")
        pages = list(
            mgh.get_paginator("list_application_states").paginate(ApplicationIds=apps, PaginationConfig={"PageSize": 7})
        )
        assert [s["ApplicationId"] for p in pages for s in p["ApplicationStateList"]] == sorted(apps)
        assert len(pages) == 15


def test_a_listed_page_is_the_bytes_json_gives_and_a_notification_shows_at_once():
    """Task summaries are kept with their JSON text until the task changes: the page is
    joined from them, and must be what encoding the page afresh gives."""
    import json

    from fakehub.core.records import Rendered
    from fakehub.wire.protocol import encode

    page = {
        "MigrationTaskSummaryList": [Rendered(Name="é\u2028\ud800", N=1, T=1.5), Rendered(Name="b", Z=None)],
        "NextToken": "t",
    }
    assert encode(page) == json.dumps(page, separators=(",", ":")).encode()
    assert encode(page) == encode(page)  # the second time, from the kept text
    with mock_migrationhub(home_region="us-west-2"):
        mgh = boto3.client("mgh", region_name="us-west-2")
        mgh.create_progress_update_stream(ProgressUpdateStreamName="S")
        mgh.import_migration_task(ProgressUpdateStream="S", MigrationTaskName="t")
        assert "Status" not in mgh.list_migration_tasks()["MigrationTaskSummaryList"][0]
        for status in ("IN_PROGRESS", "COMPLETED"):
            mgh.notify_migration_task_state(
                ProgressUpdateStream="S",
                MigrationTaskName="t",
                Task={"Status": status},
                UpdateDateTime=1.0,
                NextUpdateSeconds=5,
            )
            assert mgh.list_migration_tasks()["MigrationTaskSummaryList"][0]["Status"] == status
