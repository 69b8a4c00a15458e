"""Migration Hub's asynchronous steps: what happens after a call has answered.

Two steps exist: auto-mapping a task to an ADS server after PutResourceAttributes,
and purging a stream after DeleteProgressUpdateStream.  Each is queued on the
hub's ``Scheduler`` as data (its kind and the names
of the account, stream and task it acts on), looked up again when it runs, so a
snapshot can hold pending steps and a restored hub runs them as the original would.

The association helpers live here too: auto-mapping associates servers as
AssociateDiscoveredResource does, and both keep the same indexes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .paging import OrderedIndex
from .records import ApplicationState, Stream, Task, TaskKey
from .scheduler import Step

if TYPE_CHECKING:
    from .state import AccountState, HubState

AUTO_MAPPING = "auto-mapping"
STREAM_DELETION = "stream-deletion"
SUBJECTS = {AUTO_MAPPING: ("account", "stream", "task"), STREAM_DELETION: ("account", "stream")}
"""What each kind of step acts on: the names its subject holds, in order."""
KINDS = tuple(SUBJECTS)


def schedule_deletion(state: HubState, account: AccountState, stream: Stream, now: float) -> None:
    """The background half of DeleteProgressUpdateStream, due after the stream-deletion delay."""
    state.scheduler.schedule(now + state.delays.stream_deletion, STREAM_DELETION, (account.account_id, stream.name))


def schedule_mapping(state: HubState, account: AccountState, task: Task, now: float) -> None:
    """Auto-mapping runs in the background after PutResourceAttributes has answered; a
    newer PutResourceAttributes supersedes one not yet mapped."""
    if task.pending_mapping is not None:
        task.pending_mapping.cancelled = True
    task.pending_mapping = state.scheduler.schedule(
        now + state.delays.auto_mapping, AUTO_MAPPING, (account.account_id, task.stream, task.name)
    )


def run(state: HubState, step: Step, when: float) -> None:
    """Apply a due step (the scheduler's ``run``)."""
    account = state.accounts[step.subject[0]]
    if step.kind == AUTO_MAPPING:
        _, stream, name = step.subject
        task = account.tasks.get((stream, name))
        if task is not None:  # a superseded or purged step was cancelled: it never runs
            _map(account, task, when)
    else:
        purge_stream(account, step.subject[1])


def purge_stream(account: AccountState, name: str) -> None:
    """The stream and all its tasks, attributes, artifacts and associations go.  A stream
    being deleted accepts no call, so nothing can have replaced it meanwhile."""
    stream = account.streams.pop(name)
    if stream is None:
        return
    for task in stream.tasks.values():
        if task.pending_mapping is not None:
            task.pending_mapping.cancelled = True
        if task.discovered is not None:
            for item in task.discovered:
                unindex_resource(account, item["ConfigurationId"], task.key)
        account.tasks.pop(task.key)


def _map(account: AccountState, task: Task, when: float) -> None:
    """Map the task to the ADS server its attributes match, adding a server when none
    does; the task's previous auto-mapping (not manual associations) is replaced.  The
    attributes are the task's own: a newer PutResourceAttributes cancels this step."""
    task.pending_mapping = None
    server = account.discovery.match_or_create_server(task.attributes, when)
    previous = task.auto_mapped
    if previous is not None and previous != server and task.discovered is not None:
        task.discovered.remove(previous)
        unindex_resource(account, previous, task.key)
    if task.discovered is None or server not in task.discovered:
        associate_resource(account, task, {"ConfigurationId": server})
        task.auto_mapped = server
    elif previous != server:  # the tool associated that server itself: the association stays its own
        task.auto_mapped = None
    advance_applications(account, task, when)


def associate_resource(account: AccountState, task: Task, resource: dict[str, str]) -> None:
    """Associate an ADS configuration with a task: by the API, or by auto-mapping."""
    task.associations("discovered").put(resource["ConfigurationId"], resource)
    index = account.tasks_by_resource.get(resource["ConfigurationId"])
    if index is None:
        index = account.tasks_by_resource[resource["ConfigurationId"]] = OrderedIndex()
    index.put(task.key, task)


def unindex_resource(account: AccountState, configuration_id: str, key: TaskKey) -> None:
    tasks = account.tasks_by_resource.get(configuration_id)
    if tasks is not None:
        tasks.pop(key)
        if not tasks:
            del account.tasks_by_resource[configuration_id]


def advance_applications(account: AccountState, task: Task, when: float) -> None:
    """Documented for the console: the first time a task for a server of an
    application starts, the application turns IN_PROGRESS by itself."""
    if task.state is None or task.state["Status"] == "NOT_STARTED" or not task.discovered:
        return
    for resource in task.discovered:
        for application_id in account.discovery.applications_of_server(resource["ConfigurationId"]):
            current = account.applications.get(application_id)
            if current is None or current.status == "NOT_STARTED":
                account.applications.put(application_id, ApplicationState(application_id, "IN_PROGRESS", when))
