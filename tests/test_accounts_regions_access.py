"""Home regions, accounts and access control through real boto3 clients."""

from __future__ import annotations

import functools
import json

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fakehub import mock_migrationhub
from helpers import raises, setup_task

HOME, AWAY = "us-west-2", "eu-central-1"
ACCOUNT_B = "111122223333"


@functools.cache
def client(service: str, region: str = HOME, key: str = "AKIDA"):
    """Clients are reused across hubs: fakehub answers whichever hub is active.  Each has its
    own region and access key (the key decides the account), all from one session: a client
    of a new session costs ~100 ms more, as the session loads the models again."""
    return _session().client(service, region_name=region, aws_access_key_id=key, aws_secret_access_key="s")


@functools.cache
def _session() -> boto3.Session:
    return boto3.Session()  # made in the first test that needs it, under the test environment


# ---- home region -------------------------------------------------------------------------------


def test_an_account_without_a_home_region_gets_home_region_not_set():
    with mock_migrationhub(home_region=None):
        assert "HomeRegion" not in client("migrationhub-config", "us-east-1").get_home_region()
        with raises("HomeRegionNotSetException", match="home_region"):
            client("mgh").create_progress_update_stream(ProgressUpdateStreamName="SMS")
        with raises("HomeRegionNotSetException", service="discovery"):
            client("discovery").get_discovery_summary()
        # the 2024 operations do not model HomeRegionNotSetException: InvalidInputException instead
        with raises("InvalidInputException", match="home region is not set"):
            client("mgh").list_source_resources(ProgressUpdateStream="SMS", MigrationTaskName="t")


def test_calls_outside_the_home_region_are_refused_with_a_message_naming_home():
    with mock_migrationhub(home_region=HOME):
        with raises("InvalidInputException", match=f"home region of this account is {HOME}"):
            client("mgh", AWAY).create_progress_update_stream(ProgressUpdateStreamName="SMS")
        with raises("InvalidInputException", match="mock_migrationhub(home_region=...)"):
            client("mgh", AWAY).list_progress_update_streams()
        with raises("InvalidParameterValueException", service="discovery", match=HOME):
            client("discovery", AWAY).create_application(name="x")
        assert client("discovery", AWAY).get_discovery_summary()["servers"] == 0  # ADS documents reads as permitted
        assert client("migrationhub-config", AWAY).get_home_region()["HomeRegion"] == HOME


def test_auto_home_region_is_the_region_of_the_first_call():
    with mock_migrationhub():
        client("mgh", AWAY).create_progress_update_stream(ProgressUpdateStreamName="SMS")
        assert client("migrationhub-config", HOME).get_home_region()["HomeRegion"] == AWAY
        with raises("InvalidInputException"):
            client("mgh", HOME).list_progress_update_streams()


# Retries of each botocore retry mode at its default max_attempts (legacy 5 attempts, standard and
# adaptive 3). The mode is set on the client: botocore's default changed from legacy to standard
# in 1.44, and the fake must leave botocore's own retrying alone in every mode.
DEFAULT_RETRIES = {"legacy": 4, "standard": 2, "adaptive": 2}


@pytest.mark.parametrize("mode", sorted(DEFAULT_RETRIES))
@pytest.mark.parametrize("service", ["mgh", "migrationhub-config", "discovery"])
def test_a_region_without_migration_hub_has_no_endpoint_to_answer(service, mode):
    """botocore's endpoint data lists seven regions for mgh and discovery (migrationhub-config,
    absent from it, is taken to have the same): elsewhere the host name does not resolve in AWS,
    so botocore retries and raises EndpointConnectionError.  Nothing is answered, and in "auto"
    mode no home region gets set there."""
    from botocore.config import Config
    from botocore.exceptions import EndpointConnectionError

    call = {
        "mgh": lambda c: c.create_progress_update_stream(ProgressUpdateStreamName="S"),
        "migrationhub-config": lambda c: c.get_home_region(),
        "discovery": lambda c: c.list_configurations(configurationType="SERVER"),
    }[service]
    away = _session().client(
        service,
        region_name="sa-east-1",
        aws_access_key_id="AKIDA",
        aws_secret_access_key="s",
        config=Config(retries={"mode": mode}),
    )
    with mock_migrationhub() as hub:
        with pytest.raises(EndpointConnectionError, match="sa-east-1"):
            call(away)
        assert hub.accounts() == [] and len(hub.journal) == 0
        backoffs = [s for s in hub.faults.sleeps if s.reason == "retry backoff"]
        assert len(backoffs) == DEFAULT_RETRIES[mode]  # botocore's own retries, slept in virtual time
        assert client("migrationhub-config").get_home_region()["HomeRegion"] == HOME  # the first call that arrived


@pytest.mark.parametrize("region", ["us-east-2", "mars-north-9"])
def test_a_preset_home_region_must_be_a_migration_hub_region(region):
    with (
        pytest.raises(
            ValueError,
            match=f"home_region='{region}': Migration Hub is not available there; use one of "
            "ap-northeast-1, .*us-west-2, None .* or 'auto'",
        ),
        mock_migrationhub(home_region=region),
    ):
        pass


def test_the_documented_change_home_region_flow():
    with mock_migrationhub(home_region=HOME):
        config = client("migrationhub-config", HOME)
        assert config.get_home_region()["HomeRegion"] == HOME
        [control] = config.describe_home_region_controls(HomeRegion=HOME)["HomeRegionControls"]
        assert control["Target"] == {"Type": "ACCOUNT", "Id": "123456789012"}
        assert control["ControlId"].startswith("hrc-") and len(control["ControlId"]) == 16
        with raises("InvalidInputException", service="migrationhub-config", match="DeleteHomeRegionControl"):
            config.create_home_region_control(HomeRegion=AWAY, Target={"Type": "ACCOUNT"})
        config.delete_home_region_control(ControlId=control["ControlId"])
        assert "HomeRegion" not in config.get_home_region()  # polling until empty ends at once
        with raises("DryRunOperation", service="migrationhub-config"):
            config.create_home_region_control(HomeRegion=AWAY, Target={"Type": "ACCOUNT"}, DryRun=True)
        created = config.create_home_region_control(HomeRegion=AWAY, Target={"Type": "ACCOUNT"})["HomeRegionControl"]
        assert created["HomeRegion"] == AWAY
        client("mgh", AWAY).create_progress_update_stream(ProgressUpdateStreamName="SMS")
        with raises("InvalidInputException", service="migrationhub-config"):
            config.delete_home_region_control(ControlId="hrc-000000000000")


# ---- accounts ----------------------------------------------------------------------------------


def test_access_keys_map_to_accounts_and_twelve_digit_keys_are_accounts():
    with mock_migrationhub(home_region=HOME, accounts={"AKIDB": ACCOUNT_B}) as hub:
        client("mgh", key="AKIDB").create_progress_update_stream(ProgressUpdateStreamName="B-tool")
        client("mgh", key="444455556666").create_progress_update_stream(ProgressUpdateStreamName="C-tool")
        hub.map_access_key("AKIDLATE", ACCOUNT_B)
        assert hub.streams(ACCOUNT_B) == ["B-tool"] and hub.streams("444455556666") == ["C-tool"]
        assert client("mgh", key="AKIDLATE").list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == [
            {"ProgressUpdateStreamName": "B-tool"}
        ]
        assert client("mgh").list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == []
        with pytest.raises(ValueError, match="12-digit"):
            hub.map_access_key("AKIDX", "not-an-account")


operations = st.lists(
    st.tuples(
        st.sampled_from(["AKIDA", "AKIDB"]),
        st.sampled_from(["create", "import", "delete", "app"]),
        st.sampled_from(["s1", "s2"]),
    ),
    max_size=25,
)


@settings(max_examples=25)
@given(ops=operations)
def test_two_accounts_never_observe_each_others_data(ops):
    with mock_migrationhub(home_region=HOME, accounts={"AKIDB": ACCOUNT_B}) as hub:
        own: dict[str, set[str]] = {"AKIDA": set(), "AKIDB": set()}
        for key, op, stream in ops:
            mgh = client("mgh", key=key)
            try:
                if op == "create":
                    mgh.create_progress_update_stream(ProgressUpdateStreamName=f"{key}-{stream}")
                    own[key].add(f"{key}-{stream}")
                elif op == "import":
                    mgh.import_migration_task(ProgressUpdateStream=f"{key}-{stream}", MigrationTaskName="t")
                elif op == "delete":
                    mgh.delete_progress_update_stream(ProgressUpdateStreamName=f"{key}-{stream}")
                    hub.settle()
                    own[key].discard(f"{key}-{stream}")
                else:
                    client("discovery", key=key).create_application(name=f"{key}-app")
            except mgh.exceptions.ResourceNotFoundException:
                pass
        for key in ("AKIDA", "AKIDB"):
            listed = {
                s["ProgressUpdateStreamName"]
                for s in client("mgh", key=key).list_progress_update_streams()["ProgressUpdateStreamSummaryList"]
            }
            assert listed == own[key]
            tasks = client("mgh", key=key).list_migration_tasks()["MigrationTaskSummaryList"]
            assert all(t["ProgressUpdateStream"].startswith(key) for t in tasks)
            apps = client("discovery", key=key).list_configurations(configurationType="APPLICATION")["configurations"]
            assert all(a["application.name"] == f"{key}-app" for a in apps)


# ---- access control ----------------------------------------------------------------------------

OWN_STREAM_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "mgh:*", "Resource": "arn:aws:mgh:*:*:progressUpdateStream/MyTool*"},
        {"Effect": "Allow", "Action": ["mgh:ListProgressUpdateStreams", "mgh:ListMigrationTasks"], "Resource": "*"},
    ],
}


def test_a_tool_limited_to_its_own_stream_is_denied_everything_else():
    with mock_migrationhub(home_region=HOME) as hub:
        hub.attach_policy("AKIDTOOL", json.dumps(OWN_STREAM_ONLY))
        tool = client("mgh", key="AKIDTOOL")
        setup_task(tool, stream="MyTool", task="web-01")
        tool.list_migration_tasks()
        with raises(
            "AccessDeniedException",
            match="mgh:CreateProgressUpdateStream on resource: "
            "arn:aws:mgh:us-west-2:123456789012:progressUpdateStream/SMS",
        ):
            tool.create_progress_update_stream(ProgressUpdateStreamName="SMS")
        with raises("UnauthorizedOperation"):
            tool.create_progress_update_stream(ProgressUpdateStreamName="SMS", DryRun=True)
        with raises("DryRunOperation"):
            tool.create_progress_update_stream(ProgressUpdateStreamName="MyTool-2", DryRun=True)
        with raises("AccessDeniedException"):
            tool.describe_application_state(ApplicationId="d-application-0aaaaaaaaaaaaa")
        with raises("AuthorizationErrorException", service="discovery"):
            client("discovery", key="AKIDTOOL").get_discovery_summary()
        client("mgh").create_progress_update_stream(ProgressUpdateStreamName="SMS")  # no policy: all allowed


def test_explicit_deny_wins_over_allow():
    with mock_migrationhub(home_region=HOME) as hub:
        hub.attach_policy(
            "AKIDTOOL",
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "mgh:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "mgh:Delete*", "Resource": "*"},
                ],
            },
        )
        tool = client("mgh", key="AKIDTOOL")
        tool.create_progress_update_stream(ProgressUpdateStreamName="MyTool")
        with raises("AccessDeniedException", match="explicit deny"):
            tool.delete_progress_update_stream(ProgressUpdateStreamName="MyTool")


def test_malformed_policies_are_refused_with_the_reason():
    with mock_migrationhub() as hub, pytest.raises(ValueError, match="Effect"):
        hub.attach_policy("AKIDTOOL", {"Version": "2012-10-17", "Statement": [{"Action": "mgh:*", "Resource": "*"}]})


def test_a_missing_discovery_role_gives_policy_error_on_the_four_operations_that_model_it():
    with mock_migrationhub(home_region=HOME) as hub:
        hub.discovery_role = False
        mgh = client("mgh")
        with raises("PolicyErrorException", match="migrationhub-discovery"):
            mgh.list_migration_tasks()
        with raises("PolicyErrorException"):
            mgh.describe_application_state(ApplicationId="d-application-0aaaaaaaaaaaaa")
        mgh.list_progress_update_streams()  # the others are unaffected


def test_moto_account_id_sets_the_default_account_as_in_moto(monkeypatch):
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "777788889999")
    with mock_migrationhub(home_region=HOME) as hub:
        client("mgh").create_progress_update_stream(ProgressUpdateStreamName="SMS")
        assert hub.streams() == ["SMS"] and hub.streams("777788889999") == ["SMS"]
        assert hub.streams("123456789012") == []
