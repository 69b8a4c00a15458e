"""The 21 operations of the Migration Hub API (``mgh``) over ``HubState``.

Each method is named after its operation and takes the operation's request
members as keyword arguments, exactly as a boto3 client does; it returns the
response members.  Requests reach these methods already validated against the
service model and past the home-region and DryRun gates (see
``fakehub.wire.dispatch``), so what is checked here is state: does the
stream exist, is it being deleted, is the task imported.

Behaviour the documentation leaves open is decided here; every such choice is
listed with its reason in ``docs/operations.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from . import mapping, steps
from .context import Call
from .errors import invalid_input, not_found
from .records import ApplicationState, Rendered, Stream, Task, TaskKey
from .state import AccountState, HubState

_TOKEN_TTL_24H = 24 * 3600.0  # documented for ListMigrationTaskUpdates and ListSourceResources


def _page(items: Sequence[dict[str, Any]], key: str, next_token: str | None) -> dict[str, Any]:
    return {key: items, "NextToken": next_token} if next_token else {key: items}


class MigrationHubService:
    """Migration Hub, backed by one hub's state."""

    def __init__(self, state: HubState) -> None:
        self._state = state

    # ---- lookups shared by the operations -------------------------------------------------

    def _stream(self, account: AccountState, name: str, *, writing: bool) -> Stream:
        stream = account.streams.get(name)
        if stream is None:
            raise not_found(
                f"Progress update stream '{name}' does not exist. Create it with CreateProgressUpdateStream."
            )
        if writing and stream.deleting:
            raise invalid_input(
                f"Progress update stream '{name}' is being deleted; it accepts no changes until the deletion "
                f"completes (then a stream of the same name can be created anew)."
            )
        return stream

    def _task(self, account: AccountState, stream_name: str, task_name: str, *, writing: bool) -> Task:
        stream = self._stream(account, stream_name, writing=writing)
        task = stream.tasks.get(task_name)
        if task is None:
            raise not_found(
                f"Migration task '{task_name}' does not exist in progress update stream '{stream_name}'. "
                f"Import it with ImportMigrationTask first."
            )
        return task

    # ---- streams ---------------------------------------------------------------------------

    def create_progress_update_stream(self, call: Call, *, ProgressUpdateStreamName: str) -> dict[str, Any]:
        account = self._state.account(call.account)
        existing = account.streams.get(ProgressUpdateStreamName)
        if existing is not None:
            if existing.deleting:
                raise invalid_input(
                    f"Progress update stream '{ProgressUpdateStreamName}' is being deleted; create it again once "
                    f"the deletion has completed."
                )
            return {}  # inferred: creating an existing stream is a no-op
        account.streams.put(ProgressUpdateStreamName, Stream(ProgressUpdateStreamName, call.now))
        return {}

    def delete_progress_update_stream(self, call: Call, *, ProgressUpdateStreamName: str) -> dict[str, Any]:
        account = self._state.account(call.account)
        stream = self._stream(account, ProgressUpdateStreamName, writing=True)
        stream.deleting = True
        steps.schedule_deletion(self._state, account, stream, call.now)
        return {}

    def list_progress_update_streams(
        self, call: Call, *, MaxResults: int, NextToken: str | None = None
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        listing = f"ListProgressUpdateStreams|{call.account}"
        after = self._resume(call, listing, NextToken)
        streams, last = account.streams.page(after, MaxResults)
        items = [{"ProgressUpdateStreamName": s.name} for s in streams]
        return _page(items, "ProgressUpdateStreamSummaryList", self._next(call, listing, last))

    # ---- tasks -----------------------------------------------------------------------------

    def import_migration_task(self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str) -> dict[str, Any]:
        account = self._state.account(call.account)
        stream = self._stream(account, ProgressUpdateStream, writing=True)
        if MigrationTaskName not in stream.tasks:  # inferred: re-import keeps the task as it is
            task = Task(stream.name, MigrationTaskName, call.now)  # the stream's own name string: one per stream
            stream.tasks[MigrationTaskName] = task
            account.tasks.put(task.key, task)
        return {}

    def describe_migration_task(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        task = self._task(account, ProgressUpdateStream, MigrationTaskName, writing=False)
        described: dict[str, Any] = {"ProgressUpdateStream": task.stream, "MigrationTaskName": task.name}
        if task.state is not None:
            described["Task"] = task.state
            described["UpdateDateTime"] = task.update_time
        if task.attributes:
            described["ResourceAttributeList"] = task.attribute_list()
        return {"MigrationTask": described}

    def notify_migration_task_state(
        self,
        call: Call,
        *,
        ProgressUpdateStream: str,
        MigrationTaskName: str,
        Task: dict[str, Any],
        UpdateDateTime: float,
        NextUpdateSeconds: int,
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        task = self._task(account, ProgressUpdateStream, MigrationTaskName, writing=True)
        # Inferred: each notification is "the current status", so the last one received wins,
        # whatever its UpdateDateTime; every one is kept in the update history.
        if task.state is not None and task.update_time is not None:
            earlier = (task.update_time, task.state)
            if task.updates is None:
                task.updates = [earlier]
            else:
                task.updates.append(earlier)
        task.state = _task_state(Task)
        task.summary = None
        task.update_time = UpdateDateTime
        task.next_update_seconds = NextUpdateSeconds
        steps.advance_applications(account, task, call.now)
        return {}

    def list_migration_tasks(
        self, call: Call, *, MaxResults: int, NextToken: str | None = None, ResourceName: str | None = None
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        listing = f"ListMigrationTasks|{call.account}|{ResourceName or ''}"
        after = self._resume(call, listing, NextToken)
        if ResourceName is None:
            tasks, last = account.tasks.page(after, MaxResults)
        else:
            tasks, last = self._tasks_of_resource(account, ResourceName, after, MaxResults)
        items = [t.summary or _summary(t) for t in tasks]  # kept summaries: no call each
        return _page(items, "MigrationTaskSummaryList", self._next(call, listing, last))

    def _tasks_of_resource(
        self, account: AccountState, resource: str, after: Any, limit: int
    ) -> tuple[list[Task], TaskKey | None]:
        """A page of the resource's tasks: its own ordered index, so a page costs what
        a page of the plain listing costs, however many tasks the resource has."""
        tasks = account.tasks_by_resource.get(resource)
        if tasks is None:
            if not _known_to_ads(account, resource):
                raise not_found(
                    f"Discovered resource '{resource}' does not exist in the Application Discovery Service repository."
                )
            return [], None
        return tasks.page(after, limit)

    def list_migration_task_updates(
        self,
        call: Call,
        *,
        ProgressUpdateStream: str,
        MigrationTaskName: str,
        MaxResults: int,
        NextToken: str | None = None,
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        task = self._task(account, ProgressUpdateStream, MigrationTaskName, writing=False)
        listing = f"ListMigrationTaskUpdates|{call.account}|{ProgressUpdateStream}|{MigrationTaskName}"
        start = self._resume(call, listing, NextToken, ttl=_TOKEN_TTL_24H) or 0
        updates = task.history()
        chunk = [
            {"UpdateDateTime": when, "UpdateType": "MIGRATION_TASK_STATE_UPDATED", "MigrationTaskState": state}
            for when, state in updates[start : start + MaxResults]
        ]
        end = start + len(chunk)
        return _page(chunk, "MigrationTaskUpdateList", self._next(call, listing, end if end < len(updates) else None))

    def put_resource_attributes(
        self,
        call: Call,
        *,
        ProgressUpdateStream: str,
        MigrationTaskName: str,
        ResourceAttributeList: list[dict[str, str]],
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        task = self._task(account, ProgressUpdateStream, MigrationTaskName, writing=True)
        pairs = tuple((sys.intern(a["Type"]), a["Value"]) for a in ResourceAttributeList)  # ten types: share them
        problems = mapping.validate_attribute_values(pairs)
        if problems:
            raise invalid_input("; ".join(problems))
        task.attributes = pairs  # overwrite, never merge
        steps.schedule_mapping(self._state, account, task, call.now)
        return {}

    # ---- associations ----------------------------------------------------------------------

    def associate_created_artifact(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str, CreatedArtifact: dict[str, str]
    ) -> dict[str, Any]:
        return self._associate(
            call, ProgressUpdateStream, MigrationTaskName, "artifacts", CreatedArtifact["Name"], CreatedArtifact
        )

    def disassociate_created_artifact(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str, CreatedArtifactName: str
    ) -> dict[str, Any]:
        return self._disassociate(
            call, ProgressUpdateStream, MigrationTaskName, "artifacts", CreatedArtifactName, "Created artifact"
        )

    def list_created_artifacts(
        self,
        call: Call,
        *,
        ProgressUpdateStream: str,
        MigrationTaskName: str,
        MaxResults: int,
        NextToken: str | None = None,
    ) -> dict[str, Any]:
        return self._list_associations(
            call,
            "ListCreatedArtifacts",
            "artifacts",
            "CreatedArtifactList",
            ProgressUpdateStream,
            MigrationTaskName,
            MaxResults,
            NextToken,
        )

    def associate_discovered_resource(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str, DiscoveredResource: dict[str, str]
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        task = self._task(account, ProgressUpdateStream, MigrationTaskName, writing=True)
        configuration_id = DiscoveredResource["ConfigurationId"]
        if not _known_to_ads(account, configuration_id):
            raise not_found(
                f"Configuration '{configuration_id}' does not exist in the Application Discovery Service repository "
                f"of account {call.account}. Add it there first (in the fake: hub.add_server(...))."
            )
        steps.associate_resource(account, task, dict(DiscoveredResource))
        if task.auto_mapped == configuration_id:  # associated by the tool now: a re-map leaves it alone
            task.auto_mapped = None
        steps.advance_applications(account, task, call.now)
        return {}

    def disassociate_discovered_resource(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str, ConfigurationId: str
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        task = self._task(account, ProgressUpdateStream, MigrationTaskName, writing=True)
        if not task.associations("discovered").remove(ConfigurationId):
            raise not_found(
                f"Discovered resource '{ConfigurationId}' is not associated with migration task '{MigrationTaskName}'."
            )
        steps.unindex_resource(account, ConfigurationId, task.key)
        if task.auto_mapped == ConfigurationId:
            task.auto_mapped = None
        return {}

    def list_discovered_resources(
        self,
        call: Call,
        *,
        ProgressUpdateStream: str,
        MigrationTaskName: str,
        MaxResults: int,
        NextToken: str | None = None,
    ) -> dict[str, Any]:
        return self._list_associations(
            call,
            "ListDiscoveredResources",
            "discovered",
            "DiscoveredResourceList",
            ProgressUpdateStream,
            MigrationTaskName,
            MaxResults,
            NextToken,
        )

    def associate_source_resource(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str, SourceResource: dict[str, str]
    ) -> dict[str, Any]:
        return self._associate(
            call, ProgressUpdateStream, MigrationTaskName, "sources", SourceResource["Name"], SourceResource
        )

    def disassociate_source_resource(
        self, call: Call, *, ProgressUpdateStream: str, MigrationTaskName: str, SourceResourceName: str
    ) -> dict[str, Any]:
        return self._disassociate(
            call, ProgressUpdateStream, MigrationTaskName, "sources", SourceResourceName, "Source resource"
        )

    def list_source_resources(
        self,
        call: Call,
        *,
        ProgressUpdateStream: str,
        MigrationTaskName: str,
        MaxResults: int,
        NextToken: str | None = None,
    ) -> dict[str, Any]:
        return self._list_associations(
            call,
            "ListSourceResources",
            "sources",
            "SourceResourceList",
            ProgressUpdateStream,
            MigrationTaskName,
            MaxResults,
            NextToken,
            ttl=_TOKEN_TTL_24H,
        )

    def _associate(
        self, call: Call, stream: str, task_name: str, kind: str, name: str, item: dict[str, str]
    ) -> dict[str, Any]:
        """Artifacts and source resources: associating a name again keeps its place and takes
        the new details (inferred: no conflict error is modeled, and retries must be safe)."""
        task = self._task(self._state.account(call.account), stream, task_name, writing=True)
        task.associations(kind).put(name, dict(item))
        return {}

    def _disassociate(
        self, call: Call, stream: str, task_name: str, kind: str, name: str, label: str
    ) -> dict[str, Any]:
        task = self._task(self._state.account(call.account), stream, task_name, writing=True)
        if not task.associations(kind).remove(name):
            raise not_found(f"{label} '{name}' is not associated with migration task '{task_name}'.")
        return {}

    def _list_associations(
        self,
        call: Call,
        operation: str,
        kind: str,
        result_key: str,
        stream: str,
        task_name: str,
        limit: int,
        token: str | None,
        ttl: float | None = None,
    ) -> dict[str, Any]:
        task = self._task(self._state.account(call.account), stream, task_name, writing=False)
        listing = f"{operation}|{call.account}|{stream}|{task_name}"
        after = self._resume(call, listing, token, ttl=ttl)
        found = getattr(task, kind)
        items, last = found.page(after, limit) if found is not None else ([], None)
        return _page(items, result_key, self._next(call, listing, last))

    # ---- application state -----------------------------------------------------------------

    def notify_application_state(
        self, call: Call, *, ApplicationId: str, Status: str, UpdateDateTime: float | None = None
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        self._require_application(account, ApplicationId)
        when = call.now if UpdateDateTime is None else UpdateDateTime
        account.applications.put(ApplicationId, ApplicationState(ApplicationId, Status, when))
        return {}

    def describe_application_state(self, call: Call, *, ApplicationId: str) -> dict[str, Any]:
        account = self._state.account(call.account)
        self._require_application(account, ApplicationId)
        found = account.applications.get(ApplicationId)
        if found is None:
            # Inferred: an ADS application never notified shows the console's initial state.
            return {"ApplicationStatus": "NOT_STARTED"}
        return {"ApplicationStatus": found.status, "LastUpdatedTime": found.updated}

    def list_application_states(
        self, call: Call, *, MaxResults: int, ApplicationIds: list[str] | None = None, NextToken: str | None = None
    ) -> dict[str, Any]:
        account = self._state.account(call.account)
        wanted = None if ApplicationIds is None else set(ApplicationIds)
        listing = f"ListApplicationStates|{call.account}|{','.join(sorted(wanted)) if wanted else ''}"
        after = self._resume(call, listing, NextToken)
        self._forget_deleted_applications(account)
        if wanted is None:
            states, last = account.applications.page(after, MaxResults)
        else:  # inferred: ids never notified (or unknown) are left out, as no error is modeled
            ordered = [i for i in sorted(wanted) if i in account.applications and (after is None or i > after)]
            states = [account.applications.get(i) for i in ordered[:MaxResults]]  # type: ignore[misc]
            last = ordered[MaxResults - 1] if len(ordered) > MaxResults else None
        items = [
            {"ApplicationId": s.application_id, "ApplicationStatus": s.status, "LastUpdatedTime": s.updated}
            for s in states
        ]
        return _page(items, "ApplicationStateList", self._next(call, listing, last))

    def _forget_deleted_applications(self, account: AccountState) -> None:
        """Application states go with their ADS application (DeleteApplications)."""
        gone = [
            s.application_id
            for s in account.applications.values()
            if not account.discovery.application_exists(s.application_id)
        ]
        for application_id in gone:
            account.applications.pop(application_id)

    def _require_application(self, account: AccountState, application_id: str) -> None:
        if not account.discovery.application_exists(application_id):
            raise not_found(
                f"Application '{application_id}' does not exist in the Application Discovery Service repository "
                f"of account {account.account_id}. Create it with the discovery CreateApplication API first."
            )

    # ---- page tokens -----------------------------------------------------------------------

    def _resume(self, call: Call, listing: str, token: str | None, ttl: float | None = None) -> Any:
        if not token:  # the documented sample sends "" for the first page
            return None
        return self._state.tokens.read(token, listing, call.now, ttl)

    def _next(self, call: Call, listing: str, last: Any) -> str | None:
        return None if last is None else self._state.tokens.issue(listing, last, call.now)


def _task_state(sent: dict[str, Any]) -> dict[str, Any]:
    """The ``Task`` member as stored: the same members, with shared key and status
    strings (a hub may hold tens of thousands of tasks)."""
    state: dict[str, Any] = {"Status": sys.intern(sent["Status"])}
    if "ProgressPercent" in sent:
        state["ProgressPercent"] = sent["ProgressPercent"]
    if "StatusDetail" in sent:
        state["StatusDetail"] = sent["StatusDetail"]
    return state


def _known_to_ads(account: AccountState, configuration_id: str) -> bool:
    discovery = account.discovery
    return bool(discovery.server_exists(configuration_id) or discovery.application_exists(configuration_id))


def _summary(task: Task) -> Rendered:
    """The task as ListMigrationTasks shows it, made and kept on the task (the listing uses
    the kept one until a notification clears it)."""
    state = task.state
    if state is None:
        summary = Rendered(ProgressUpdateStream=task.stream, MigrationTaskName=task.name)
    else:  # the stored Task's members (Status, ProgressPercent, StatusDetail) are the summary's own names
        summary = Rendered(
            ProgressUpdateStream=task.stream, MigrationTaskName=task.name, **state, UpdateDateTime=task.update_time
        )
    task.summary = summary
    return summary
