"""Testing that a migration tool stays inside its own progress update stream."""

import boto3
from botocore.exceptions import ClientError

from fakehub import mock_migrationhub

TOOL_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "mgh:*", "Resource": "arn:aws:mgh:*:*:progressUpdateStream/MyTool*"},
        {"Effect": "Allow", "Action": "mgh:ListMigrationTasks", "Resource": "*"},
    ],
}


def main() -> None:
    with mock_migrationhub(home_region="us-west-2") as hub:
        hub.attach_policy("AKIDMYTOOL", TOOL_POLICY)
        tool = boto3.Session(aws_access_key_id="AKIDMYTOOL", aws_secret_access_key="x", region_name="us-west-2").client(
            "mgh"
        )
        tool.create_progress_update_stream(ProgressUpdateStreamName="MyTool")
        tool.import_migration_task(ProgressUpdateStream="MyTool", MigrationTaskName="web-01")
        try:
            tool.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")
        except ClientError as error:
            assert error.response["Error"]["Code"] == "AccessDeniedException"  # noqa: PT017 - a script, not a test
            print("refused:", error.response["Error"]["Message"])
        else:
            raise AssertionError("the tool reached outside its stream")


if __name__ == "__main__":
    main()
