"""Add a rule for your own tool to the conformance suite: here, a tool that reports
a finished server migration as COMPLETED at 100%, which Migration Hub must show."""

from __future__ import annotations

from hypothesis.stateful import rule

from fakehub.conformance import MigrationHubConformance, Target, run_conformance


def report_done(client, stream: str, task: str) -> None:
    """The 'tool' under test (yours would live in your package)."""
    import datetime as dt

    client.notify_migration_task_state(
        ProgressUpdateStream=stream,
        MigrationTaskName=task,
        Task={"Status": "COMPLETED", "ProgressPercent": 100},
        UpdateDateTime=dt.datetime.now(dt.timezone.utc),
        NextUpdateSeconds=0,
    )


class MyToolConformance(MigrationHubConformance):
    @rule()
    def my_tool_reports_a_finished_migration(self) -> None:
        # The suite's own rules keep its model (and the clean-up list) up to date.
        self.create_stream("mytool")
        self.import_task("mytool", "srv-1")  # (called directly, it does not add to the TASKS bundle)
        stream = self.stream("mytool")
        report_done(self.client, stream, "srv-1")
        answer, _ = self.call("describe_migration_task", None, ProgressUpdateStream=stream, MigrationTaskName="srv-1")
        assert answer["MigrationTask"]["Task"]["Status"] == "COMPLETED"


def test_my_tool_conforms(fakehub_target: Target) -> None:
    run_conformance(fakehub_target, MyToolConformance)
