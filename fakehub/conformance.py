"""A conformance suite for anything that answers the Migration Hub API: a Hypothesis
state machine that drives an ``mgh`` boto3 client through random sequences of all
the stream, task, association and listing operations and checks every answer
against a small model of the *documented* behaviour.

It runs against fakehub in CI and, unchanged, against a real AWS account, so what
it asserts must hold in both.  Where the documentation is silent and fakehub made
a choice (creating an existing stream, re-importing a task, disassociating what
was never associated, what a never-notified task looks like), the machine either
accepts any modeled answer or checks fakehub's choice only when the target is
fakehub (``self.target.is_fakehub``).  See ``docs/conformance.md``.

Against AWS it uses only streams named ``fakehub-conformance-<random>-...``, and
deletes them when each example ends.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)

from . import strategies as fs

__all__ = ["MigrationHubConformance", "Target", "run_conformance"]

ANY = "any modeled answer"  # an expectation: the documentation does not say
STREAM_SUFFIXES = st.sampled_from(["a", "b", "c"])
TASK_NAMES = st.sampled_from(["web-01", "db/02", "app 03"])  # app 03 is never imported at the start
ANY_TASK_NAME = st.one_of(TASK_NAMES, TASK_NAMES, fs.task_names())  # mostly names that collide
TASKS = Bundle("tasks")  # (stream suffix, task name) of every import so far
PLACES = st.one_of(TASKS, TASKS, TASKS, st.tuples(STREAM_SUFFIXES, ANY_TASK_NAME))  # mostly tasks that exist
# Built once: Hypothesis validates a strategy object on its first draw, and validating this one
# (its patterns and filters) costs milliseconds, paid on every draw when a rule built it anew.
ARTIFACT_NAMES = fs.created_artifact_names()
_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def _page_sizes(operation: str) -> st.SearchStrategy[int]:
    """MaxResults values for ``operation``, from its model range, often small so listings span
    pages, and often the smallest, with which any listing of two items does: drawn from a small
    range alone, a page of one came in 2 of 58 stream listings, and a lost last page went
    unseen for 99 examples of the derandomized run (15 with it)."""
    shape = _mgh_model().operation_model(operation).input_shape.members["MaxResults"]
    low, high = shape.metadata["min"], shape.metadata["max"]
    return st.one_of(st.just(low), st.integers(low, min(low + 2, high)), st.integers(low, high))


@cache
def _mgh_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("mgh")


@dataclass(frozen=True)
class Target:
    """Where the machine sends its calls: fakehub (a fresh hub per example) or the AWS
    account of a boto3 session (its home region must be the session's region)."""

    kind: str
    region: str
    session: Any = None
    deletion_timeout: float = 900.0  # seconds to wait for AWS to finish deleting a stream

    @classmethod
    def fakehub(cls, region: str = "us-west-2") -> Target:
        return cls("fakehub", region)

    @classmethod
    def aws(cls, session: Any) -> Target:
        return cls("aws", session.region_name, session)

    @property
    def is_fakehub(self) -> bool:
        return self.kind == "fakehub"

    def settings(self) -> settings:
        """The settings of a run against this target, built on the loaded Hypothesis profile.

        Against fakehub the profile decides the depth: its ``max_examples`` and
        ``stateful_step_count`` where it changes them from Hypothesis' defaults (100 and 50),
        else 40 examples of 40 steps.  Against AWS a run is always 3 examples of 25 steps:
        each example can take minutes there, and a profile made for in-process runs would
        take hours (pass ``settings=`` to ``run_conformance`` to go deeper).  The rest of the
        profile (phases, database, derandomize, verbosity...) applies as it is, except that
        there is no deadline: how long a call takes is not what the suite checks."""
        profile = settings()  # the loaded profile's settings
        if not self.is_fakehub:
            return settings(
                profile,
                max_examples=3,
                stateful_step_count=25,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
        hypothesis_default = settings.get_profile("default")

        def chosen(name: str, ours: int) -> int:
            value: int = getattr(profile, name)
            return value if value != getattr(hypothesis_default, name) else ours

        return settings(
            profile,
            max_examples=chosen("max_examples", 40),
            stateful_step_count=chosen("stateful_step_count", 40),
            deadline=None,
            suppress_health_check=list(dict.fromkeys([*profile.suppress_health_check, HealthCheck.too_slow])),
        )


@cache
def _client(target: Target) -> Any:
    """One client per target: clients are reusable across hubs, and slow to build."""
    if target.is_fakehub:
        return _fakehub_session().client("mgh", region_name=target.region)
    return target.session.client("mgh")


@cache
def _fakehub_session() -> Any:
    """One session for every fakehub target: a client of a new session costs ~100 ms more
    (the session loads the models again)."""
    import boto3

    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")


@dataclass
class _TaskModel:
    state: dict[str, Any] | None = None  # last Task sent; None: never notified (or unknown after re-import)
    state_known: bool = True
    attributes: list[dict[str, str]] | None = None
    notified: list[dict[str, Any]] = field(default_factory=list)
    artifacts: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    discovered: set[str] = field(default_factory=set)
    undiscovered: set[str] = field(default_factory=set)  # disassociated, not associated since


@dataclass
class _StreamModel:
    deleting: bool = False
    tasks: dict[str, _TaskModel] = field(default_factory=dict)


class MigrationHubConformance(RuleBasedStateMachine):
    """Subclass it to add rules for your own tool; call ``self.call(...)`` for checked calls."""

    def __init__(self, target: Target | None = None) -> None:
        super().__init__()
        self.target = target or Target.fakehub()
        self.client = _client(self.target)
        self._mock: Any = None
        if self.target.is_fakehub:
            from . import Delays, mock_migrationhub

            # A deletion completes when finish_deletions settles the hub, as it waits for AWS:
            # never behind the model's back because a slow machine let a second of clock pass.
            self._mock = mock_migrationhub(home_region=self.target.region, delays=Delays(stream_deletion=7 * 86400))
            self.hub = self._mock.__enter__()
            self.prefix = "fakehub-conformance-0"
        else:
            self.prefix = f"fakehub-conformance-{secrets.token_hex(4)}"
        self.streams: dict[str, _StreamModel] = {}
        self.created: set[str] = set()  # every stream this example created (cleanup)
        self._tick = 0

    # ---- calling and checking ------------------------------------------------------------

    def call(self, method: str, expect: str | None = ANY, **params: Any) -> tuple[dict[str, Any] | None, str | None]:
        """Call ``method`` of the client; returns (answer, None) or (None, error code).
        Any error code must be one the model lists for the operation; ``expect`` is the
        code the documentation promises (None: success; ``ANY``: nothing promised)."""
        from botocore.exceptions import ClientError

        operation = self.client.meta.method_to_api_mapping[method]
        try:
            answer, code = getattr(self.client, method)(**params), None
        except ClientError as error:
            answer, code = None, error.response["Error"]["Code"]
            modeled = _modeled_errors(operation)
            assert code in modeled, f"{operation} answered {code}, which its model does not list ({sorted(modeled)})"
        if expect is not ANY:
            assert code == expect, f"{operation}({params}) answered {code or 'success'}, expected {expect or 'success'}"
        return answer, code

    def pages(self, method: str, result_key: str, page_size: int, **params: Any) -> list[dict[str, Any]]:
        """The whole listing, fetched ``page_size`` at a time (no page larger than asked)."""
        items: list[dict[str, Any]] = []
        token = None
        for _ in range(100_000):
            answer, _code = self.call(
                method, None, MaxResults=page_size, **params, **({"NextToken": token} if token else {})
            )
            assert answer is not None
            assert len(answer[result_key]) <= page_size, f"a page of {method} is larger than MaxResults"
            items += answer[result_key]
            token = answer.get("NextToken")
            if not token:
                return items
        raise AssertionError(f"{method} never stopped returning a NextToken")

    def stream(self, suffix: str) -> str:
        return f"{self.prefix}-{suffix}"

    def _write_expectation(self, stream: str, task: str | None, documented_when_deleting: bool) -> str | None:
        """What a write must answer: RNF for an unknown stream or task, InvalidInput on a
        deleting stream (documented for Create/Import/Notify/Associate*), else success."""
        found = self.streams.get(stream)
        if found is None:
            return "ResourceNotFoundException"
        if found.deleting:
            return "InvalidInputException" if documented_when_deleting else ANY
        if task is not None and task not in found.tasks:
            return "ResourceNotFoundException"
        return None

    def _task(self, stream: str, task: str) -> _TaskModel | None:
        found = self.streams.get(stream)
        return found.tasks.get(task) if found is not None and not found.deleting else None

    # ---- streams -------------------------------------------------------------------------

    @initialize(target=TASKS)
    def start_with_streams_and_tasks(self) -> Any:
        """Most rules need a stream and a task to say anything: start with some."""
        for suffix in ("a", "b"):
            self.create_stream(suffix)
        return multiple(*(self.import_task(suffix, task) for suffix in ("a", "b") for task in ("web-01", "db/02")))

    @rule(suffix=STREAM_SUFFIXES)
    def create_stream(self, suffix: str) -> None:
        name = self.stream(suffix)
        found = self.streams.get(name)
        if found is not None and not found.deleting:
            expect = None if self.target.is_fakehub else ANY  # undocumented; fakehub: a no-op
        else:
            expect = "InvalidInputException" if found is not None else None
        self.created.add(name)
        _answer, code = self.call("create_progress_update_stream", expect, ProgressUpdateStreamName=name)
        if code is None and found is None:
            self.streams[name] = _StreamModel()

    @rule(suffix=STREAM_SUFFIXES)
    def dry_run_create_stream(self, suffix: str) -> None:
        """DryRun answers DryRunOperation (or UnauthorizedOperation) and changes nothing."""
        name = self.stream(suffix)
        if name in self.streams:
            return
        _answer, code = self.call("create_progress_update_stream", ANY, ProgressUpdateStreamName=name, DryRun=True)
        assert code in ("DryRunOperation", "UnauthorizedOperation"), f"DryRun answered {code or 'success'}"

    @rule(suffix=STREAM_SUFFIXES)
    def delete_stream(self, suffix: str) -> None:
        name = self.stream(suffix)
        found = self.streams.get(name)
        expect = "ResourceNotFoundException" if found is None else (ANY if found.deleting else None)
        _answer, code = self.call("delete_progress_update_stream", expect, ProgressUpdateStreamName=name)
        if code is None and found is not None:
            found.deleting = True

    @rule()
    def finish_deletions(self) -> None:
        """After deletion completes, a stream is gone with everything in it."""
        gone = [name for name, s in self.streams.items() if s.deleting]
        if not gone:
            return
        self._wait_until_deleted(gone)
        for name in gone:
            tasks = self.streams.pop(name).tasks
            listed = {s["ProgressUpdateStreamName"] for s in self._own_streams()}
            assert name not in listed, f"deleted stream {name} is still listed"
            for task in list(tasks)[:2]:
                self.call(
                    "describe_migration_task",
                    "ResourceNotFoundException",
                    ProgressUpdateStream=name,
                    MigrationTaskName=task,
                )

    def _wait_until_deleted(self, names: list[str]) -> None:
        if self.target.is_fakehub:
            self.hub.settle()
            return
        deadline = time.monotonic() + self.target.deletion_timeout
        while {s["ProgressUpdateStreamName"] for s in self._own_streams()} & set(names):
            assert time.monotonic() < deadline, f"AWS did not finish deleting {names} in time"
            time.sleep(10)

    def _own_streams(self, page_size: int = 100) -> list[dict[str, Any]]:
        listed = self.pages("list_progress_update_streams", "ProgressUpdateStreamSummaryList", page_size)
        return [s for s in listed if s["ProgressUpdateStreamName"].startswith(self.prefix + "-")]

    @rule(page_size=_page_sizes("ListProgressUpdateStreams"))
    def list_streams(self, page_size: int) -> None:
        names = [s["ProgressUpdateStreamName"] for s in self._own_streams(page_size)]
        assert len(names) == len(set(names)), f"a stream is listed twice across pages: {names}"
        active = {n for n, s in self.streams.items() if not s.deleting}
        deleting = {n for n, s in self.streams.items() if s.deleting}
        assert active <= set(names) <= active | deleting, f"listed {sorted(names)}, model has {sorted(active)}"
        if self.target.is_fakehub:
            assert set(names) == active | deleting  # fakehub keeps a deleting stream listed until settled

    # ---- tasks ---------------------------------------------------------------------------

    @rule(target=TASKS, suffix=STREAM_SUFFIXES, task=ANY_TASK_NAME)
    def import_task(self, suffix: str, task: str) -> tuple[str, str]:
        stream = self.stream(suffix)
        expect = self._write_expectation(stream, None, documented_when_deleting=True)
        existing = self._task(stream, task)
        if expect is None and existing is not None and not self.target.is_fakehub:
            expect = ANY  # re-import is undocumented
        _answer, code = self.call("import_migration_task", expect, ProgressUpdateStream=stream, MigrationTaskName=task)
        if code is None:
            if existing is None:
                self.streams[stream].tasks[task] = _TaskModel()
            elif not self.target.is_fakehub:  # AWS may reset a re-imported task: stop predicting it
                existing.state_known = False
        return suffix, task

    @rule(where=PLACES, state=fs.task_payloads(), next_update=st.integers(0, 3600))
    def notify(self, where: tuple[str, str], state: dict[str, Any], next_update: int) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        self._tick += 1  # strictly newer timestamps: the newest notification is the current state
        when = _EPOCH + dt.timedelta(minutes=self._tick)
        _answer, code = self.call(
            "notify_migration_task_state",
            self._write_expectation(stream, task, documented_when_deleting=True),
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            Task=state,
            UpdateDateTime=when,
            NextUpdateSeconds=next_update,
        )
        found = self._task(stream, task)
        if code is None and found is not None:
            found.state, found.state_known = state, True
            found.notified.append(state)
            self.check_task(stream, task)

    @rule(where=PLACES, attributes=fs.resource_attribute_lists(max_size=6))
    def put_attributes(self, where: tuple[str, str], attributes: list[dict[str, str]]) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        _answer, code = self.call(
            "put_resource_attributes",
            self._write_expectation(stream, task, documented_when_deleting=False),
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            ResourceAttributeList=attributes,
        )
        found = self._task(stream, task)
        if code is None and found is not None:
            found.attributes = attributes  # the new list replaces the old one: overwritten, not merged
            self.check_task(stream, task)

    @rule(where=PLACES)
    def describe_task(self, where: tuple[str, str]) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        if self._task(stream, task) is not None:
            self.check_task(stream, task)
        elif stream not in self.streams or not self.streams[stream].deleting:  # reads while deleting: undocumented
            self.call(
                "describe_migration_task",
                "ResourceNotFoundException",
                ProgressUpdateStream=stream,
                MigrationTaskName=task,
            )

    def check_task(self, stream: str, task: str) -> None:
        """DescribeMigrationTask shows the newest state sent and exactly the last attributes put."""
        found = self._task(stream, task)
        assert found is not None
        answer, _code = self.call("describe_migration_task", None, ProgressUpdateStream=stream, MigrationTaskName=task)
        described = answer["MigrationTask"]  # type: ignore[index]
        assert (described["ProgressUpdateStream"], described["MigrationTaskName"]) == (stream, task)
        if found.state is not None and found.state_known:
            assert described.get("Task") == found.state, f"Task is {described.get('Task')}, last sent {found.state}"
        elif found.state is None and self.target.is_fakehub:
            assert "Task" not in described  # fakehub's choice for a never-notified task
        if found.attributes is not None:
            got = {
                (a["Type"], a["Value"]) for a in described.get("ResourceAttributeList", [])
            }  # duplicates: undocumented
            assert got == {(a["Type"], a["Value"]) for a in found.attributes}, (
                f"attributes were merged, not replaced: {got}"
            )

    @rule(page_size=_page_sizes("ListMigrationTasks"))
    def list_tasks(self, page_size: int) -> None:
        listed = [
            t
            for t in self.pages("list_migration_tasks", "MigrationTaskSummaryList", page_size)
            if t["ProgressUpdateStream"].startswith(self.prefix + "-")
        ]
        keys = [(t["ProgressUpdateStream"], t["MigrationTaskName"]) for t in listed]
        assert len(keys) == len(set(keys)), "a task is listed twice across pages"
        expected = {(s, t) for s, m in self.streams.items() if not m.deleting for t in m.tasks}
        deleting = {s for s, m in self.streams.items() if m.deleting}
        assert {k for k in keys if k[0] not in deleting} == expected
        for summary in listed:
            found = self._task(summary["ProgressUpdateStream"], summary["MigrationTaskName"])
            if found is not None and found.state is not None and found.state_known:
                assert summary["Status"] == found.state["Status"]

    @rule(where=PLACES, page_size=_page_sizes("ListMigrationTaskUpdates"))
    def list_updates(self, where: tuple[str, str], page_size: int) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        found = self._task(stream, task)
        if found is None:
            return
        updates = self.pages(
            "list_migration_task_updates",
            "MigrationTaskUpdateList",
            page_size,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
        )
        states = [u["MigrationTaskState"] for u in updates]
        assert all(u["UpdateType"] == "MIGRATION_TASK_STATE_UPDATED" for u in updates)
        if found.state_known:
            missing = [s for s in found.notified if s not in states]
            assert not missing, f"notifications missing from ListMigrationTaskUpdates: {missing}"
        if self.target.is_fakehub:
            assert states == found.notified

    # ---- associations --------------------------------------------------------------------

    @rule(
        where=PLACES,
        arn=ARTIFACT_NAMES,
        description=st.none() | fs.model_values("CreatedArtifactDescription"),
    )
    def associate_artifact(self, where: tuple[str, str], arn: str, description: str | None) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        artifact = {"Name": arn} if description is None else {"Name": arn, "Description": description}
        expect = self._write_expectation(stream, task, documented_when_deleting=True)
        found = self._task(stream, task)
        if expect is None and found is not None and arn in found.artifacts and not self.target.is_fakehub:
            expect = ANY  # associating twice is undocumented
        _answer, code = self.call(
            "associate_created_artifact",
            expect,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            CreatedArtifact=artifact,
        )
        if code is None and found is not None:
            found.artifacts.add(arn)

    @rule(where=PLACES, data=st.data())
    def disassociate_artifact(self, where: tuple[str, str], data: st.DataObject) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        found = self._task(stream, task)
        known = sorted(found.artifacts) if found is not None else []
        arn = data.draw(st.sampled_from(known) if known else ARTIFACT_NAMES, label="arn")
        expect = self._write_expectation(stream, task, documented_when_deleting=False)
        if expect is None and arn not in known:
            expect = "ResourceNotFoundException" if self.target.is_fakehub else ANY
        _answer, code = self.call(
            "disassociate_created_artifact",
            expect,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            CreatedArtifactName=arn,
        )
        if code is None and found is not None:
            found.artifacts.discard(arn)

    @rule(where=PLACES, name=st.sampled_from(["wave-1", "server-a", "app/x"]), detail=fs.model_values("StatusDetail"))
    def associate_source(self, where: tuple[str, str], name: str, detail: str) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        expect = self._write_expectation(stream, task, documented_when_deleting=True)
        found = self._task(stream, task)
        if expect is None and found is not None and name in found.sources and not self.target.is_fakehub:
            expect = ANY
        _answer, code = self.call(
            "associate_source_resource",
            expect,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            SourceResource={"Name": name, "StatusDetail": detail},
        )
        if code is None and found is not None:
            found.sources.add(name)

    @rule(where=PLACES, name=st.sampled_from(["wave-1", "server-a", "app/x"]))
    def disassociate_source(self, where: tuple[str, str], name: str) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        found = self._task(stream, task)
        expect = self._write_expectation(stream, task, documented_when_deleting=False)
        if expect is None and found is not None and name not in found.sources:
            expect = "ResourceNotFoundException" if self.target.is_fakehub else ANY
        _answer, code = self.call(
            "disassociate_source_resource",
            expect,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            SourceResourceName=name,
        )
        if code is None and found is not None:
            found.sources.discard(name)

    @rule(where=PLACES, configuration_id=fs.configuration_ids())
    def associate_discovered(self, where: tuple[str, str], configuration_id: str) -> None:
        """The id is unknown to ADS (never created here): success, RNF or PolicyError may all be right."""
        suffix, task = where
        stream = self.stream(suffix)
        expect = self._write_expectation(stream, task, documented_when_deleting=True)
        _answer, code = self.call(
            "associate_discovered_resource",
            ANY if expect is None else expect,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            DiscoveredResource={"ConfigurationId": configuration_id},
        )
        found = self._task(stream, task)
        if code is None and found is not None:
            found.discovered.add(configuration_id)
            found.undiscovered.discard(configuration_id)

    @rule(where=PLACES, data=st.data())
    def disassociate_discovered(self, where: tuple[str, str], data: st.DataObject) -> None:
        suffix, task = where
        stream = self.stream(suffix)
        found = self._task(stream, task)
        if found is None or not found.discovered:
            return
        configuration_id = data.draw(st.sampled_from(sorted(found.discovered)), label="configuration_id")
        self.call(
            "disassociate_discovered_resource",
            None,
            ProgressUpdateStream=stream,
            MigrationTaskName=task,
            ConfigurationId=configuration_id,
        )
        found.discovered.discard(configuration_id)
        found.undiscovered.add(configuration_id)

    @rule(where=PLACES, page_size=_page_sizes("ListCreatedArtifacts"))
    def list_associations(self, where: tuple[str, str], page_size: int) -> None:
        """Each association listing, page by page, holds what was associated and not disassociated."""
        suffix, task = where
        stream = self.stream(suffix)
        found = self._task(stream, task)
        if found is None:
            return
        params = {"ProgressUpdateStream": stream, "MigrationTaskName": task}
        artifacts = [
            a["Name"] for a in self.pages("list_created_artifacts", "CreatedArtifactList", page_size, **params)
        ]
        sources = [s["Name"] for s in self.pages("list_source_resources", "SourceResourceList", page_size, **params)]
        discovered = [
            d["ConfigurationId"]
            for d in self.pages("list_discovered_resources", "DiscoveredResourceList", page_size, **params)
        ]
        for listed in (artifacts, sources, discovered):
            assert len(listed) == len(set(listed)), f"an item is listed twice across pages: {listed}"
        assert set(artifacts) == found.artifacts
        assert set(sources) == found.sources
        # Auto-mapping may add servers of its own; what was associated by hand must be there.
        assert found.discovered <= set(discovered) and not found.undiscovered & set(discovered)

    @invariant()
    def unknown_stream_is_not_found(self) -> None:
        self.call(
            "list_created_artifacts",
            "ResourceNotFoundException",
            ProgressUpdateStream=self.stream("unknown"),
            MigrationTaskName="web-01",
        )

    def teardown(self) -> None:
        if self._mock is not None:
            self._mock.__exit__(None, None, None)
            return
        for name in sorted(self.created):  # AWS: delete what this example created, nothing else
            self.call("delete_progress_update_stream", ANY, ProgressUpdateStreamName=name)


@cache
def _modeled_errors(operation: str) -> frozenset[str]:
    return frozenset(shape.name for shape in _mgh_model().operation_model(operation).error_shapes)


def run_conformance(
    target: Target,
    machine: Callable[[Target], MigrationHubConformance] = MigrationHubConformance,
    settings: settings | None = None,
) -> None:
    """Run ``machine`` (the suite, or your subclass of it) against ``target``."""

    def factory() -> MigrationHubConformance:
        return machine(target)

    # hypothesis calls its first argument to make each machine; its stubs name only a class.
    run_state_machine_as_test(factory, settings=settings or target.settings())  # type: ignore[arg-type]


def test_conformance(fakehub_target: Target) -> None:
    """``pytest --pyargs fakehub.conformance [--fakehub-target=aws --fakehub-region=...]``"""
    run_conformance(fakehub_target)
