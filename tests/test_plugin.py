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
    code = (
        "import sys, pytest_fakehub.plugin; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'boto3', 'botocore', 'fakehub', 'hypothesis'}))"
    )
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


LOADER_PROBE = """
    def test_loader(mgh_client, migrationhub_config_client, discovery_client):
        loaders = {id(c._loader) for c in (mgh_client, migrationhub_config_client, discovery_client)}
        print("LOADER", *loaders, len(mgh_client._loader.search_paths), mgh_client._loader.search_paths[0])
"""


def _loaders_seen(pytester: pytest.Pytester) -> list[str]:
    result = run(pytester, "-s")
    result.assert_outcomes(passed=1)
    return re.findall(r"LOADER (.*)$", result.stdout.str(), re.MULTILINE)


def test_the_client_fixtures_of_every_session_share_one_botocore_loader(pytester: pytest.Pytester) -> None:
    """botocore's loader holds the models and endpoint data it has decoded (read-only): a
    fresh one per session made each pytest run in a process (pytester's) decode them again.
    Shared, boto3's data folder must not be added to its search paths once per session."""
    import boto3  # noqa: F401 - loaded before the runs, as in a process that keeps it (pytester unloads what a run loads)

    pytester.makepyfile(LOADER_PROBE)
    first, second = _loaders_seen(pytester), _loaders_seen(pytester)
    assert first == second and len(first) == 1 and len(first[0].split()) == 3  # one loader, 2 paths


def test_a_data_path_of_the_users_gets_a_loader_of_its_own(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``AWS_DATA_PATH`` (botocore's ``data_path``) adds folders of models: clients read through it."""
    pytester.makepyfile(LOADER_PROBE)
    [default] = _loaders_seen(pytester)
    monkeypatch.setenv("AWS_DATA_PATH", str(pytester.path))
    [custom] = _loaders_seen(pytester)
    assert custom.split()[0] != default.split()[0] and custom.split()[-1] == str(pytester.path)


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
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.fakehub: unknown argument(s) home_regoin; accepted: accounts, delays, home_region, seed*",
            "*@pytest.mark.fakehub takes keyword arguments only*",
        ]
    )


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
    pytester.makepyfile(
        test_root="""
        import pytest

        @pytest.mark.parametrize("fakehub_home_region", ["eu-west-1", "ap-southeast-2"])
        def test_direct_parametrization(mgh_client, fakehub_home_region):
            assert mgh_client.meta.region_name == fakehub_home_region

        def test_defaults_outside_the_overrides(fakehub, mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="P")
            assert mgh_client.meta.region_name == "us-west-2"
            assert fakehub.streams() == ["P"] and fakehub.accounts() == ["123456789012"]
            assert fakehub.state.seed == 0
    """
    )
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
        [
            "RAN eu-central-1 0",
            "RAN eu-central-1 7",
            "RAN us-west-2 0",
            "RAN us-west-2 7",
            "RAN marked 0",
            "RAN marked 0",
            "RAN marked 7",
            "RAN marked 7",
            "RAN plain",
        ]
    )


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
    result.stdout.fnmatch_lines(
        [
            "*fakehub: what the hub saw*",
            "calls: 4",
            '  mgh CreateProgressUpdateStream {"ProgressUpdateStreamName":"SMS"} -> 200 OK',
            "  mgh ImportMigrationTask *DMS* -> 400 ResourceNotFoundException: *",
            "account 123456789012: streams: SMS",
            "  SMS/web-01: IN_PROGRESS 40%",
        ]
    )
    text = result.stdout.str()
    assert text.count("what the hub saw") == 1  # the passing test adds nothing
    assert "Credential=" not in text and "testing" not in text


@pytest.mark.usefixtures("subprocess_env")
@pytest.mark.slow  # a deeper run: `pytest -m slow` (CI runs it)
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
    result = pytester.runpytest(*PLUGIN, "-n", "2")  # the workers are processes; the controller need not be
    result.assert_outcomes(passed=8)
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_aws_target_without_credentials_skips_with_the_reason(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    assert (ROOT / "examples" / "test_plugin_fixtures.py").read_text() in (
        ROOT / "docs" / "pytest-plugin.md"
    ).read_text()


def test_fake_credentials_do_not_outlive_the_test_that_set_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import os

        def test_with_hub(fakehub, mgh_client):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"

        def test_later_without_hub():
            assert "AWS_ACCESS_KEY_ID" not in os.environ and "AWS_SECRET_ACCESS_KEY" not in os.environ
    """)
    run(pytester).assert_outcomes(passed=2)


def test_a_failing_test_that_activates_a_hub_itself_gets_the_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import boto3
        from fakehub import mock_migrationhub

        def test_direct():
            with mock_migrationhub(home_region="us-west-2"):
                boto3.client("mgh", region_name="us-west-2").create_progress_update_stream(
                    ProgressUpdateStreamName="Seen")
            assert False

        def test_fixture_and_its_own(fakehub, mgh_client):
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="Outer")
            with mock_migrationhub(home_region="us-west-2"):
                boto3.client("mgh", region_name="us-west-2").create_progress_update_stream(
                    ProgressUpdateStreamName="Inner")
            assert False
    """)
    result = run(pytester)
    result.assert_outcomes(failed=2)
    text = result.stdout.str()
    assert text.count("fakehub: what the hub saw -") == 1  # test_direct: one hub, no numbering
    assert "streams: Seen" in text
    assert "fakehub: what the hub saw (hub 1 of 2)" in text and "fakehub: what the hub saw (hub 2 of 2)" in text
    assert "streams: Outer" in text and "streams: Inner" in text


def test_fake_credentials_lingering_between_hub_tests_are_gone_before_a_test_without_a_hub(
    pytester: pytest.Pytester,
) -> None:
    """Back-to-back hub tests share the fake credentials; any other test, and the session's
    end, sees none (a test that replaced them keeps its own)."""
    pytester.makepyfile("""
        import os
        import pytest

        def test_a(fakehub):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"

        def test_b_replaces_them(fakehub, monkeypatch):
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", "mine")

        def test_c(fakehub):
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"

        def test_d_without_hub():
            assert "AWS_ACCESS_KEY_ID" not in os.environ

        def test_e(fakehub):
            assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
    """)
    run(pytester).assert_outcomes(passed=5)
    import os

    assert "AWS_ACCESS_KEY_ID" not in os.environ and "AWS_SECRET_ACCESS_KEY" not in os.environ


def test_credentials_in_the_shared_credentials_file_are_kept_by_the_fixture(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The user's shared credentials file counts as their own: the fixture sets no fake keys
    over it, and a client of the test's own signs with the file's key."""
    credentials = pytester.path / "credentials"
    credentials.write_text("[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = s\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    pytester.makepyfile("""
        import os
        import boto3
        import pytest

        @pytest.mark.fakehub(accounts={"AKIDFROMFILE": "111122223333"})
        def test_own_client(fakehub, mgh_client):
            assert "AWS_ACCESS_KEY_ID" not in os.environ
            boto3.Session(region_name="us-west-2").client("mgh").create_progress_update_stream(
                ProgressUpdateStreamName="Mine")
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="Fixture")  # fake keys of its own
            assert fakehub.streams("111122223333") == ["Mine"] and fakehub.streams() == ["Fixture"]
    """)
    run(pytester).assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("variables", "option", "expected"),
    [
        pytest.param({"AWS_DEFAULT_REGION": "eu-west-1"}, (), "eu-west-1", id="AWS_DEFAULT_REGION"),
        pytest.param({"AWS_REGION": "ap-northeast-1"}, (), "ap-northeast-1", id="AWS_REGION"),
        pytest.param(
            {"AWS_DEFAULT_REGION": "eu-central-1", "AWS_REGION": "eu-west-2"}, (), "eu-central-1", id="default-first"
        ),
        pytest.param({"AWS_DEFAULT_REGION": "us-east-2"}, (), "us-west-2", id="no-migration-hub-there"),
        pytest.param({"AWS_DEFAULT_REGION": "eu-west-1", "FAKEHUB_REGION": "eu-west-2"}, (), "eu-west-2", id="env"),
        pytest.param({"FAKEHUB_REGION": "eu-west-2"}, ("--fakehub-region=us-east-1",), "us-east-1", id="option"),
    ],
)
def test_the_default_home_region_follows_the_plugins_options_then_the_users_default_region(
    pytester: pytest.Pytester,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    option: tuple[str, ...],
    expected: str,
) -> None:
    """A client of the user's own, made with their default region, is in the hub's home region."""
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "FAKEHUB_REGION"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    pytester.makepyfile(f"""
        import boto3

        def test_region(fakehub, mgh_client, fakehub_home_region):
            assert fakehub_home_region == mgh_client.meta.region_name == {expected!r}
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="Fixture")
            # None: boto3's default region
            region = None if {variables.get("AWS_DEFAULT_REGION") == expected} else {expected!r}
            boto3.Session(region_name=region).client("mgh").create_progress_update_stream(
                ProgressUpdateStreamName="Own")
            assert fakehub.streams() == ["Fixture", "Own"]
    """)
    run(pytester, *option).assert_outcomes(passed=1)


def test_a_longer_lived_hub_of_the_users_is_the_one_the_fixtures_use(pytester: pytest.Pytester) -> None:
    """As nested mock_aws share moto's state: the client fixtures talk to the module's hub
    instead of hiding it behind a fresh one; options meant for a fresh hub warn."""
    pytester.makepyfile(
        test_shared="""
        import pytest
        import fakehub
        from fakehub import mock_migrationhub

        @pytest.fixture(scope="module", autouse=True)
        def module_hub():
            with mock_migrationhub(home_region="eu-west-1") as hub:
                yield hub

        def test_first(fakehub, mgh_client, module_hub):
            assert fakehub is module_hub and mgh_client.meta.region_name == "eu-west-1"
            mgh_client.create_progress_update_stream(ProgressUpdateStreamName="Kept")

        def test_second_sees_it(mgh_client, module_hub):
            assert fakehub.active_hub() is module_hub
            assert [s["ProgressUpdateStreamName"] for s in
                    mgh_client.list_progress_update_streams()["ProgressUpdateStreamSummaryList"]] == ["Kept"]

        @pytest.mark.fakehub(seed=3)
        def test_marker_cannot_apply(fakehub, module_hub):
            assert fakehub is module_hub
        """,
        test_later="""
        def test_fresh_again(fakehub, mgh_client):
            assert fakehub.streams() == [] and mgh_client.meta.region_name == "us-west-2"
        """,
    )
    result = run(pytester, "-W", "always")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*FakehubWarning: test_marker_cannot_apply: the hub active when the test started*"])
    assert result.stdout.str().count("FakehubWarning") == 1


def test_the_decorator_and_the_fixture_in_one_test_warn_of_two_hubs(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import unittest
        import pytest
        import fakehub
        from fakehub import mock_migrationhub

        @mock_migrationhub()
        def test_both(mgh_client):
            assert fakehub.active_hub() is not None

        @mock_migrationhub()
        @pytest.mark.fakehub(seed=1)
        def test_decorator_and_marker():
            pass

        @mock_migrationhub()
        def test_decorator_alone():
            pass

        @mock_migrationhub()
        @pytest.mark.fakehub(seed=1)
        class TestUnit(unittest.TestCase):
            def test_case(self):
                pass
    """)
    result = run(pytester, "-W", "always")
    result.assert_outcomes(passed=4)
    text = result.stdout.str()
    assert text.count("FakehubWarning: ") == 3
    for name in ("test_both", "test_decorator_and_marker", "test_case"):
        assert f"FakehubWarning: {name} is decorated with @mock_migrationhub and also uses the fakehub fixture" in text


def test_the_plugin_knows_the_decorators_mark() -> None:
    from pytest_fakehub import plugin

    from fakehub import mock

    assert plugin.MOCKED == mock.MOCKED


def test_a_fakehub_region_without_migration_hub_fails_the_test_naming_the_accepted_ones(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile("""
        def test_region(mgh_client):
            pass
    """)
    result = run(pytester, "--fakehub-region=eu-north-1")
    result.assert_outcomes(errors=1)
    expected = "*--fakehub-region / FAKEHUB_REGION 'eu-north-1': Migration Hub has no home region there; use one of"
    result.stdout.fnmatch_lines([f"{expected} ap-northeast-1, *"])
    assert "Traceback" not in result.stdout.str()


def test_a_marker_with_a_bad_option_fails_with_a_plain_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        import pytest

        @pytest.mark.fakehub(delays={"automapping": 0})
        def test_marked(fakehub):
            pass
    """)
    result = run(pytester)
    result.assert_outcomes(errors=1)
    text = result.stdout.str()
    assert "@pytest.mark.fakehub: " in text and "auto_mapping" in text and "Traceback" not in text


def test_a_test_that_activates_many_hubs_gets_a_report_of_the_first_three(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("""
        from fakehub import mock_migrationhub

        def test_many():
            for _ in range(5):
                with mock_migrationhub(home_region="us-west-2"):
                    pass
            assert False
    """)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "(hub 3 of 5)" in text and "(hub 4 of 5)" not in text
    assert "2 more hubs this test activated are not shown" in text
