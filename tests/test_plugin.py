"""The pytest plugin, run through pytest's own ``pytester``. The plugin is loaded by its
installed module name, ``pytest_fakehub.plugin`` (an editable install maps it to this
checkout's ``conftest_plugin/``); ``-p no:fakehub`` keeps the entry point from loading it twice."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ("-p", "no:fakehub", "-p", "pytest_fakehub.plugin", "-p", "no:cacheprovider")


@pytest.fixture
def subprocess_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Subprocess runs import fakehub and the plugin from this checkout."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest(*PLUGIN, *args)


def test_importing_the_plugin_loads_neither_fakehub_nor_boto() -> None:
    code = ("import sys, pytest_fakehub.plugin; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'boto3', 'botocore', 'fakehub', 'hypothesis'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_each_test_gets_its_own_active_hub_and_working_clients(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import fakehub as fh
        import pytest

        @pytest.mark.parametrize("n", range(3))
        def test_isolated(fakehub, mgh_client, migrationhub_config_client, discovery_client, n):
            assert fakehub is fh.active_hub()
            assert fakehub.streams() == []
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="SMS")
            assert mgh_client.list_progress_update_streams()["ProgressUpdateStreamSummaryList"] == [
                {"ProgressUpdateStreamName": "SMS"}]
            assert mgh_client.meta.region_name == "us-west-2"
            assert migrationhub_config_client.meta.service_model.service_name == "migrationhub-config"
            assert discovery_client.meta.service_model.service_name == "discovery"

        def test_clients_are_built_once(mgh_client, request):
            assert mgh_client is request.getfixturevalue("mgh_client")

        def test_no_hub_after_the_tests():
            assert fh.active_hub() is None
    """)
    run(pytester).assert_outcomes(passed=5)


def test_marker_sets_the_hub_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest
        from botocore.exceptions import ClientError

        @pytest.mark.fakehub(home_region=None)
        def test_no_home_region(mgh_client):
            with pytest.raises(ClientError) as caught:
                mgh_client.create_progress_update_stream(ProgressUpdateStreamName="SMS")
            assert caught.value.response["Error"]["Code"] == "HomeRegionNotSetException"

        @pytest.mark.fakehub(home_region="eu-west-1", accounts={"testing": "111122223333"},
                             delays={"stream_deletion": 5.0})
        def test_region_accounts_delays(fakehub, mgh_client):
            assert mgh_client.meta.region_name == "eu-west-1"
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="SMS")
            assert fakehub.streams("111122223333") == ["SMS"]
            mgh_client.delete_progress_update_stream(ProgressUpdateStreamName="SMS")
            [(due, kind)] = fakehub.pending()
            assert kind == "stream-deletion" and due > 4

        @pytest.mark.fakehub(seed=7)
        def test_marker_alone_activates_a_hub():
            import fakehub
            assert fakehub.active_hub() is not None

        @pytest.mark.fakehub(home_region="eu-west-1")
        class TestOnAClass:
            def test_inherits(self, mgh_client):
                assert mgh_client.meta.region_name == "eu-west-1"
    """)
    run(pytester).assert_outcomes(passed=4)


def test_unknown_marker_arguments_are_refused_by_name(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest

        @pytest.mark.fakehub(home_regoin="eu-west-1")
        def test_typo(fakehub):
            pass

        @pytest.mark.fakehub("eu-west-1")
        def test_positional(fakehub):
            pass
    """)
    result = run(pytester)
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines([
        "*@pytest.mark.fakehub: unknown argument(s) home_regoin; accepted: accounts, delays, home_region, seed*",
        "*@pytest.mark.fakehub takes keyword arguments only*",
    ])


def test_configuration_fixtures_can_be_overridden(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
        import pytest

        @pytest.fixture
        def fakehub_home_region():
            return "ap-southeast-2"

        @pytest.fixture
        def fakehub_options():
            return {"accounts": {"testing": "444455556666"}}
    """)
    pytester.makepyfile("""
        import pytest

        def test_overrides(fakehub, mgh_client):
            assert mgh_client.meta.region_name == "ap-southeast-2"
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="DMS")
            assert fakehub.streams("444455556666") == ["DMS"]

        @pytest.mark.fakehub(accounts={})
        def test_marker_wins(fakehub, mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="DMS")
            assert fakehub.streams() == ["DMS"]
    """)
    run(pytester).assert_outcomes(passed=2)


def test_overrides_are_found_wherever_pytest_would_find_them(pytester: pytest.Pytester) -> None:
    """The plugin asks pytest for the configuration fixtures only where an override is
    visible; each way of overriding a fixture must still reach the hub, and only there."""
    conftest_a = """
        import pytest

        @pytest.fixture
        def fakehub_options(tmp_path):  # an override may take fixtures of its own
            return {"accounts": {"testing": "444455556666"}}
    """
    module_a = """
        import pytest

        @pytest.fixture
        def fakehub_home_region(fakehub_home_region):  # the override asks for the one it overrides
            return "eu-central-1" if fakehub_home_region == "us-west-2" else "wrong"

        @pytest.fixture(autouse=True)
        def stream(fakehub, mgh_client):  # an autouse fixture that uses the hub, set up first
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="Auto")

        def test_module_and_conftest(fakehub, mgh_client, fakehub_home_region):
            assert mgh_client.meta.region_name == fakehub_home_region == "eu-central-1"
            assert fakehub.streams("444455556666") == ["Auto"]

        class TestClass:
            @pytest.fixture
            def fakehub_home_region(self):
                return "ap-northeast-1"

            def test_class_override(self, fakehub, mgh_client):
                assert mgh_client.meta.region_name == "ap-northeast-1"
    """
    conftest_b = """
        import pytest

        @pytest.fixture(scope="session")
        def fakehub_options():
            return {"seed": 3}
    """
    module_b = """
        def test_session_override(fakehub):
            assert fakehub.state.seed == 3
    """
    for directory, conftest, module in (("a", conftest_a, module_a), ("b", conftest_b, module_b)):
        pytester.mkpydir(directory)
        pytester.makeconftest(conftest).rename(pytester.path / directory / "conftest.py")
        pytester.makepyfile(module).rename(pytester.path / directory / f"test_{directory}.py")
    pytester.makepyfile(test_root="""
        import pytest

        @pytest.mark.parametrize("fakehub_home_region", ["eu-west-1", "ap-southeast-2"])
        def test_direct_parametrization(mgh_client, fakehub_home_region):
            assert mgh_client.meta.region_name == fakehub_home_region

        def test_defaults_outside_the_overrides(fakehub, mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="P")
            assert mgh_client.meta.region_name == "us-west-2"
            assert fakehub.streams() == ["P"] and fakehub.accounts() == ["123456789012"]
            assert fakehub.state.seed == 0
    """)
    run(pytester).assert_outcomes(passed=6)


def test_a_parametrized_override_runs_each_hub_test_once_per_value(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session", params=["us-west-2", "eu-central-1"])
        def fakehub_home_region(request):
            return request.param

        @pytest.fixture(params=[0, 7], ids=["seed0", "seed7"])
        def fakehub_options(request):
            return {"seed": request.param}
    """)
    pytester.makepyfile("""
        import pytest

        def test_client(fakehub, mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="S")
            print("RAN", mgh_client.meta.region_name, fakehub.state.seed)

        @pytest.mark.fakehub
        def test_marked_only():
            import fakehub
            print("RAN marked", fakehub.active_hub().state.seed)

        def test_without_the_hub():
            print("RAN plain")
    """)
    result = run(pytester, "-s")
    result.assert_outcomes(passed=4 + 4 + 1)
    assert sorted(re.findall(r"RAN[^\n]*", result.stdout.str())) == sorted(
        ["RAN eu-central-1 0", "RAN eu-central-1 7", "RAN us-west-2 0", "RAN us-west-2 7"]
        + ["RAN marked 0", "RAN marked 0", "RAN marked 7", "RAN marked 7", "RAN plain"])


def test_the_conformance_target_follows_an_overridden_home_region(pytester: pytest.Pytester) -> None:
    pytester.makeconftest("""
        import pytest

        @pytest.fixture(scope="session")
        def fakehub_home_region():
            return "eu-central-1"
    """)
    pytester.makepyfile("""
        def test_target(fakehub_target):
            assert fakehub_target.region == "eu-central-1"
    """)
    run(pytester).assert_outcomes(passed=1)


def test_without_overrides_pytest_does_not_set_up_the_configuration_fixtures(pytester: pytest.Pytester) -> None:
    """Resolving them would cost every test ~16 us (issue 7's per-test budget is 50)."""
    pytester.makepyfile("""
        def test_plain(fakehub, mgh_client):
            assert mgh_client.meta.region_name == "us-west-2"
    """)
    result = run(pytester, "--setup-show")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*SETUP    F fakehub*"])
    result.stdout.no_fnmatch_line("*fakehub_home_region*")
    result.stdout.no_fnmatch_line("*fakehub_options*")


def test_a_failing_test_shows_what_the_hub_saw(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import datetime as dt
        import pytest
        from botocore.exceptions import ClientError

        def test_fails(mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="SMS")
            mgh_client.import_migration_task(ProgressUpdateStream="SMS", MigrationTaskName="web-01")
            mgh_client.notify_migration_task_state(
                ProgressUpdateStream="SMS", MigrationTaskName="web-01", Task={"Status": "IN_PROGRESS",
                "ProgressPercent": 40}, UpdateDateTime=dt.datetime(2024, 1, 1), NextUpdateSeconds=60)
            with pytest.raises(ClientError):
                mgh_client.import_migration_task(ProgressUpdateStream="DMS", MigrationTaskName="db")
            assert False, "the tool reported the wrong thing"

        def test_passes(mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="SMS")
    """)
    result = run(pytester)
    result.assert_outcomes(failed=1, passed=1)
    result.stdout.fnmatch_lines([
        "*fakehub: what the hub saw*",
        "calls: 4",
        '  mgh CreateProgressUpdateStream {"ProgressUpdateStreamName":"SMS"} -> 200 OK',
        "  mgh ImportMigrationTask *DMS* -> 400 ResourceNotFoundException: *",
        "account 123456789012: streams: SMS",
        "  SMS/web-01: IN_PROGRESS 40%",
    ])
    text = result.stdout.str()
    assert text.count("what the hub saw") == 1  # the passing test adds nothing
    assert "Credential=" not in text and "testing" not in text


@pytest.mark.usefixtures("subprocess_env")
def test_xdist_workers_each_have_their_own_hub(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist", reason="pytest-xdist (in the test extra) is needed for the -n run")
    pytester.makepyfile("""
        import os, pytest

        @pytest.mark.parametrize("n", range(8))
        def test_worker(fakehub, mgh_client, n):
            worker = os.environ["PYTEST_XDIST_WORKER"]
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName=f"{worker}-{n}")
            assert fakehub.streams() == [f"{worker}-{n}"]
    """)
    result = pytester.runpytest_subprocess(*PLUGIN, "-n", "2")
    result.assert_outcomes(passed=8)
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_aws_target_without_credentials_skips_with_the_reason(pytester: pytest.Pytester,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    pytester.makepyfile("""
        def test_target(fakehub_target):
            raise AssertionError("must not run")
    """)
    result = run(pytester, "--fakehub-target=aws", "--fakehub-region=eu-west-1", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*--fakehub-target=aws: no AWS credentials found*"])



def test_the_documented_example_runs(pytester: pytest.Pytester) -> None:
    pytester.copy_example(str(ROOT / "examples" / "test_plugin_fixtures.py"))
    run(pytester).assert_outcomes(passed=3)


def test_the_docs_show_the_example_verbatim() -> None:
    assert (ROOT / "examples" / "test_plugin_fixtures.py").read_text() in (ROOT / "docs" / "pytest-plugin.md").read_text()
