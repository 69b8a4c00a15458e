"""The 21 Migration Hub operations through real boto3 clients: happy paths and
every error path the core decides."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import NOW, notify, raises, setup_task

STREAM, TASK = "SMS", "web-01"
ARN = "arn:aws:ec2:us-west-2:123456789012:instance/i-0abc"


# ---- streams ----------------------------------------------------------------------------------


def test_create_list_and_recreate_a_stream(mgh):
    mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")
    mgh.create_progress_update_stream(ProgressUpdateStreamName="DMS")
    mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS")  # inferred: existing stream is a no-op
    listed = mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
    assert listed == [{"ProgressUpdateStreamName": "DMS"}, {"ProgressUpdateStreamName": "SMS"}]


def test_stream_deletion_is_asynchronous_and_refuses_writes_meanwhile(mgh, hub):
    setup_task(mgh)
    mgh.delete_progress_update_stream(ProgressUpdateStreamName=STREAM)
    # documented: it may still be listed, and writes answer InvalidInputException
    assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == [
        {"ProgressUpdateStreamName": STREAM}
    ]
    with raises("InvalidInputException", match="being deleted"):
        mgh.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName="other")
    with raises("InvalidInputException"):
        mgh.create_progress_update_stream(ProgressUpdateStreamName=STREAM)
    with raises("InvalidInputException"):
        notify(mgh)
    with raises("InvalidInputException"):
        mgh.associate_created_artifact(
            ProgressUpdateStream=STREAM, MigrationTaskName=TASK, CreatedArtifact={"Name": ARN}
        )
    assert mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)  # reads still answer
    assert hub.settle() == 1
    assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []
    assert mgh.list_migration_tasks()["MigrationTaskSummaryList"] == []
    mgh.create_progress_update_stream(ProgressUpdateStreamName=STREAM)  # a new, empty stream
    with raises("ResourceNotFoundException"):
        mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)


def test_deleting_an_unknown_stream_is_not_found(mgh):
    with raises("ResourceNotFoundException", match="'nope'"):
        mgh.delete_progress_update_stream(ProgressUpdateStreamName="nope")


# ---- tasks ------------------------------------------------------------------------------------


def test_import_requires_the_stream_and_reimport_keeps_state(mgh):
    with raises("ResourceNotFoundException", match="CreateProgressUpdateStream"):
        mgh.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)
    setup_task(mgh)
    notify(mgh, ProgressPercent=40)
    mgh.import_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert task["Task"] == {"Status": "IN_PROGRESS", "ProgressPercent": 40}


def test_a_never_notified_task_has_no_task_state(mgh):
    setup_task(mgh)
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert task == {"ProgressUpdateStream": STREAM, "MigrationTaskName": TASK}
    assert mgh.list_migration_tasks()["MigrationTaskSummaryList"] == [task]


def test_notify_stores_the_callers_time_and_keeps_every_update(mgh):
    setup_task(mgh)
    later = NOW + dt.timedelta(minutes=5)
    notify(mgh, ProgressPercent=10, StatusDetail="copying")
    mgh.notify_migration_task_state(
        ProgressUpdateStream=STREAM,
        MigrationTaskName=TASK,
        Task={"Status": "COMPLETED", "ProgressPercent": 100},
        UpdateDateTime=later,
        NextUpdateSeconds=2**63 - 1,
    )  # no upper bound (inferred)
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert task["Task"] == {"Status": "COMPLETED", "ProgressPercent": 100}
    assert task["UpdateDateTime"] == later
    updates = mgh.list_migration_task_updates(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)[
        "MigrationTaskUpdateList"
    ]
    assert [(u["UpdateType"], u["MigrationTaskState"]["Status"], u["UpdateDateTime"]) for u in updates] == [
        ("MIGRATION_TASK_STATE_UPDATED", "IN_PROGRESS", NOW),
        ("MIGRATION_TASK_STATE_UPDATED", "COMPLETED", later),
    ]
    summary = mgh.list_migration_tasks()["MigrationTaskSummaryList"][0]
    assert summary["Status"] == "COMPLETED" and summary["ProgressPercent"] == 100 and "StatusDetail" not in summary


def test_any_status_transition_is_accepted(mgh):
    setup_task(mgh)
    for status in ("COMPLETED", "NOT_STARTED", "FAILED", "IN_PROGRESS"):
        notify(mgh, status=status)
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert task["Task"]["Status"] == "IN_PROGRESS"


@pytest.mark.parametrize(
    "operation",
    [
        "describe_migration_task",
        "list_created_artifacts",
        "list_discovered_resources",
        "list_source_resources",
        "list_migration_task_updates",
    ],
)
def test_reads_of_an_unknown_task_or_stream_are_not_found(mgh, operation):
    with raises("ResourceNotFoundException"):
        getattr(mgh, operation)(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)
    mgh.create_progress_update_stream(ProgressUpdateStreamName=STREAM)
    with raises("ResourceNotFoundException", match="ImportMigrationTask"):
        getattr(mgh, operation)(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)


def test_notify_of_a_task_never_imported_is_not_found(mgh):
    mgh.create_progress_update_stream(ProgressUpdateStreamName=STREAM)
    with raises("ResourceNotFoundException"):
        notify(mgh)


# ---- attributes -------------------------------------------------------------------------------


def test_attributes_overwrite_never_merge_and_show_at_once(mgh):
    setup_task(mgh)
    mgh.put_resource_attributes(
        ProgressUpdateStream=STREAM,
        MigrationTaskName=TASK,
        ResourceAttributeList=[{"Type": "MAC_ADDRESS", "Value": "00:11:22:33:44:55"}],
    )
    second = [{"Type": "IPV4_ADDRESS", "Value": "10.0.0.7"}, {"Type": "FQDN", "Value": "web-01.example.com"}]
    mgh.put_resource_attributes(ProgressUpdateStream=STREAM, MigrationTaskName=TASK, ResourceAttributeList=second)
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert task["ResourceAttributeList"] == second


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("IPV4_ADDRESS", "10.0.0.256"),
        ("IPV6_ADDRESS", "fe80::zz"),
        ("MAC_ADDRESS", "00:11:22:33:44"),
        ("FQDN", "web/01"),
    ],
)
def test_attribute_values_in_the_wrong_format_are_refused(mgh, kind, value):
    setup_task(mgh)
    with raises("InvalidInputException", match=kind):
        mgh.put_resource_attributes(
            ProgressUpdateStream=STREAM, MigrationTaskName=TASK, ResourceAttributeList=[{"Type": kind, "Value": value}]
        )
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert "ResourceAttributeList" not in task  # nothing stored


# ---- created artifacts, discovered and source resources ---------------------------------------


def test_created_artifacts(mgh):
    setup_task(mgh)
    mgh.associate_created_artifact(
        ProgressUpdateStream=STREAM, MigrationTaskName=TASK, CreatedArtifact={"Name": ARN, "Description": "target"}
    )
    mgh.associate_created_artifact(
        ProgressUpdateStream=STREAM, MigrationTaskName=TASK, CreatedArtifact={"Name": ARN, "Description": "again"}
    )  # upsert
    listed = mgh.list_created_artifacts(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["CreatedArtifactList"]
    assert listed == [{"Name": ARN, "Description": "again"}]
    mgh.disassociate_created_artifact(ProgressUpdateStream=STREAM, MigrationTaskName=TASK, CreatedArtifactName=ARN)
    assert mgh.list_created_artifacts(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["CreatedArtifactList"] == []
    with raises("ResourceNotFoundException", match="not associated"):
        mgh.disassociate_created_artifact(ProgressUpdateStream=STREAM, MigrationTaskName=TASK, CreatedArtifactName=ARN)


def test_discovered_resources_must_exist_in_ads(mgh, hub):
    setup_task(mgh)
    with raises("ResourceNotFoundException", match="Application Discovery Service"):
        mgh.associate_discovered_resource(
            ProgressUpdateStream=STREAM,
            MigrationTaskName=TASK,
            DiscoveredResource={"ConfigurationId": "d-server-0025db43a885966c8"},
        )
    server = hub.add_server(hostname="web-01", ip_addresses=["10.0.0.7"])
    mgh.associate_discovered_resource(
        ProgressUpdateStream=STREAM,
        MigrationTaskName=TASK,
        DiscoveredResource={"ConfigurationId": server, "Description": "web"},
    )
    assert mgh.list_discovered_resources(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)[
        "DiscoveredResourceList"
    ] == [{"ConfigurationId": server, "Description": "web"}]
    tasks = mgh.list_migration_tasks(ResourceName=server)["MigrationTaskSummaryList"]
    assert [t["MigrationTaskName"] for t in tasks] == [TASK]
    mgh.disassociate_discovered_resource(ProgressUpdateStream=STREAM, MigrationTaskName=TASK, ConfigurationId=server)
    assert mgh.list_migration_tasks(ResourceName=server)["MigrationTaskSummaryList"] == []
    with raises("ResourceNotFoundException"):
        mgh.disassociate_discovered_resource(
            ProgressUpdateStream=STREAM, MigrationTaskName=TASK, ConfigurationId=server
        )
    with raises("ResourceNotFoundException"):
        mgh.list_migration_tasks(ResourceName="d-server-0nosuchserver00")


def test_source_resources(mgh):
    setup_task(mgh)
    source = {"Name": "vm-42 in wave 3", "Description": "source VM", "StatusDetail": "replicating"}
    mgh.associate_source_resource(ProgressUpdateStream=STREAM, MigrationTaskName=TASK, SourceResource=source)
    assert mgh.list_source_resources(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["SourceResourceList"] == [
        source
    ]
    mgh.disassociate_source_resource(
        ProgressUpdateStream=STREAM, MigrationTaskName=TASK, SourceResourceName=source["Name"]
    )
    with raises("ResourceNotFoundException"):
        mgh.disassociate_source_resource(
            ProgressUpdateStream=STREAM, MigrationTaskName=TASK, SourceResourceName=source["Name"]
        )


# ---- application state ------------------------------------------------------------------------


def test_application_state_needs_an_ads_application(mgh, session):
    discovery = session.client("discovery")
    with raises("ResourceNotFoundException"):
        mgh.notify_application_state(ApplicationId="d-application-0nosuchapp0000", Status="IN_PROGRESS")
    with raises("ResourceNotFoundException"):
        mgh.describe_application_state(ApplicationId="d-application-0nosuchapp0000")
    app = discovery.create_application(name="shop")["configurationId"]
    never_notified = mgh.describe_application_state(ApplicationId=app)
    assert never_notified["ApplicationStatus"] == "NOT_STARTED" and "LastUpdatedTime" not in never_notified
    mgh.notify_application_state(ApplicationId=app, Status="COMPLETED", UpdateDateTime=NOW)
    state = mgh.describe_application_state(ApplicationId=app)
    assert (state["ApplicationStatus"], state["LastUpdatedTime"]) == ("COMPLETED", NOW)
    listed = mgh.list_application_states()["ApplicationStateList"]
    assert [(s["ApplicationId"], s["ApplicationStatus"]) for s in listed] == [(app, "COMPLETED")]
    assert (
        mgh.list_application_states(ApplicationIds=[app, "d-application-0unknown000000"])["ApplicationStateList"]
        == listed
    )
    with raises("InvalidInputException", match="enum"):
        mgh.notify_application_state(ApplicationId=app, Status="FAILED")


def test_task_progress_moves_its_applications_to_in_progress(mgh, session, hub):
    discovery = session.client("discovery")
    server = hub.add_server(hostname="db-01", ip_addresses=["10.1.0.5"])
    app = discovery.create_application(name="billing")["configurationId"]
    discovery.associate_configuration_items_to_application(applicationConfigurationId=app, configurationIds=[server])
    setup_task(mgh, task="db-01")
    mgh.put_resource_attributes(
        ProgressUpdateStream=STREAM,
        MigrationTaskName="db-01",
        ResourceAttributeList=[{"Type": "IPV4_ADDRESS", "Value": "10.1.0.5"}],
    )
    hub.settle()
    notify(mgh, task="db-01", status="NOT_STARTED")
    assert mgh.describe_application_state(ApplicationId=app)["ApplicationStatus"] == "NOT_STARTED"
    notify(mgh, task="db-01", status="IN_PROGRESS")
    assert mgh.describe_application_state(ApplicationId=app)["ApplicationStatus"] == "IN_PROGRESS"


# ---- DryRun -----------------------------------------------------------------------------------


def test_dry_run_validates_first_then_answers_dry_run_operation_and_changes_nothing(mgh):
    with raises("DryRunOperation", match="Dry Run was a success!"):
        mgh.create_progress_update_stream(ProgressUpdateStreamName="SMS", DryRun=True)
    assert mgh.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []
    with raises("InvalidInputException", match="progressUpdateStreamName"):
        mgh.create_progress_update_stream(ProgressUpdateStreamName="a/b", DryRun=True)
    setup_task(mgh)
    with raises("DryRunOperation"):
        notify_dry = dict(
            ProgressUpdateStream=STREAM,
            MigrationTaskName=TASK,
            Task={"Status": "COMPLETED"},
            UpdateDateTime=NOW,
            NextUpdateSeconds=1,
            DryRun=True,
        )
        mgh.notify_migration_task_state(**notify_dry)
    task = mgh.describe_migration_task(ProgressUpdateStream=STREAM, MigrationTaskName=TASK)["MigrationTask"]
    assert "Task" not in task


def test_every_operation_that_takes_dry_run_answers_dry_run_operation(mgh, hub):
    setup_task(mgh)
    server = hub.add_server(hostname="x")
    calls = {
        "associate_created_artifact": {"CreatedArtifact": {"Name": ARN}},
        "associate_discovered_resource": {"DiscoveredResource": {"ConfigurationId": server}},
        "associate_source_resource": {"SourceResource": {"Name": "src"}},
        "disassociate_created_artifact": {"CreatedArtifactName": ARN},
        "disassociate_discovered_resource": {"ConfigurationId": server},
        "disassociate_source_resource": {"SourceResourceName": "src"},
        "import_migration_task": {},
        "notify_migration_task_state": {"Task": {"Status": "FAILED"}, "UpdateDateTime": NOW, "NextUpdateSeconds": 1},
        "put_resource_attributes": {"ResourceAttributeList": [{"Type": "FQDN", "Value": "x.example"}]},
    }
    for operation, params in calls.items():
        with raises("DryRunOperation"):
            getattr(mgh, operation)(ProgressUpdateStream=STREAM, MigrationTaskName=TASK, DryRun=True, **params)
    for operation in ("create_progress_update_stream", "delete_progress_update_stream"):
        with raises("DryRunOperation"):
            getattr(mgh, operation)(ProgressUpdateStreamName=STREAM, DryRun=True)
    with raises("DryRunOperation"):
        mgh.notify_application_state(ApplicationId="d-application-0abc", Status="COMPLETED", DryRun=True)
    assert hub.task(STREAM, TASK)["artifacts"] == [] and hub.streams() == [STREAM] and hub.pending() == []


# ---- wire fidelity ----------------------------------------------------------------------------


def test_errors_carry_the_modeled_status_and_request_id(mgh):
    with raises("ResourceNotFoundException") as info:
        mgh.describe_migration_task(ProgressUpdateStream="x", MigrationTaskName="y")
    response = info.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RequestId"]
