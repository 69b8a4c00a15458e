"""Auto-mapping on virtual time: PutResourceAttributes maps the task to an ADS server
about five minutes later, as in AWS, and freezegun moves fakehub's clock."""

import datetime as dt

import boto3
from freezegun import freeze_time

from fakehub import Delays, mock_migrationhub


def main() -> None:
    with (
        freeze_time("2026-01-05 09:00:00") as clock,
        mock_migrationhub(home_region="us-west-2", delays=Delays(auto_mapping=300)) as hub,
    ):
        server = hub.add_server(hostname="web-01", ip_addresses=["10.0.0.7"])  # as a discovery agent would
        mgh = boto3.client("mgh", region_name="us-west-2")
        mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
        mgh.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")
        mgh.put_resource_attributes(
            ProgressUpdateStream="SMS",
            MigrationTaskName="web-01",
            ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.0.0.7"}],
        )
        listed = lambda: mgh.list_discovered_resources(  # noqa: E731
            ProgressUpdateStream="SMS", MigrationTaskName="web-01"
        )["DiscoveredResourceList"]
        assert listed() == []  # not mapped yet
        clock.tick(dt.timedelta(minutes=10))
        assert listed() == [{"ConfigurationId": server}]
        print("web-01 mapped to", server)


if __name__ == "__main__":
    main()
