"""Property test of your own code with fakehub's strategies: whatever valid names and
attributes your tool is given, what it reports is what Migration Hub shows."""

from __future__ import annotations

from hypothesis import given, settings

from fakehub import mock_migrationhub
from fakehub import strategies as fs


def register_server(mgh, stream: str, server: str, attributes: list[dict[str, str]]) -> None:
    """Stands in for your migration tool."""
    mgh.create_progress_update_stream(ProgressUpdateStreamName=stream)
    mgh.import_migration_task(ProgressUpdateStream=stream, MigrationTaskName=server)
    mgh.put_resource_attributes(ProgressUpdateStream=stream, MigrationTaskName=server, ResourceAttributeList=attributes)


@settings(max_examples=25, deadline=None)
@given(stream=fs.stream_names(), server=fs.task_names(), attributes=fs.resource_attribute_lists(max_size=5))
def test_register_server(stream, server, attributes):
    import boto3

    with mock_migrationhub(home_region="us-west-2") as hub:  # a fresh hub per example: entering one is cheap
        mgh = boto3.client("mgh", region_name="us-west-2")
        register_server(mgh, stream, server, attributes)
        assert hub.task(stream, server)["ResourceAttributeList"] == attributes
