"""The conformance suite against fakehub, and proof that it catches a fake that
breaks a documented rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from fakehub.conformance import MigrationHubConformance, Target, run_conformance
from fakehub.core.migrationhub import MigrationHubService

ROOT = Path(__file__).resolve().parents[1]
CI = settings(max_examples=60, stateful_step_count=40, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
# Finding is enough here: no shrinking, and one failure rather than a group of them.
QUICK = settings(CI, max_examples=100, stateful_step_count=30, phases=[Phase.generate], report_multiple_bugs=False,
                 derandomize=True)


def test_fakehub_conforms() -> None:
    run_conformance(Target.fakehub(), settings=CI)


def test_fakehub_conforms_however_slow_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reading of the clock two seconds after the last: a deletion must still wait for
    the machine's finish_deletions, as it waits for AWS (it once completed behind the model's
    back after the default one second, a flaky failure on a slow CI machine)."""
    import itertools

    from fakehub.core import clock

    readings = itertools.count()
    monkeypatch.setattr(clock, "now", lambda: 1_700_000_000 + 2 * next(readings))
    run_conformance(Target.fakehub(), settings=QUICK)


def test_fakehub_conforms_in_another_home_region() -> None:
    run_conformance(Target.fakehub("eu-central-1"), settings=settings(CI, max_examples=10))


def _merging_put(self: MigrationHubService, call: Any, **params: Any) -> dict[str, Any]:
    task = self._task(self._state.account(call.account), params["ProgressUpdateStream"],
                      params["MigrationTaskName"], writing=True)
    task.attributes = (task.attributes or []) + list(params["ResourceAttributeList"])
    return {}


def _no_deleting_check(self: MigrationHubService, account: Any, name: str, *, writing: bool) -> Any:
    found = account.streams.get(name)
    if found is None:
        from fakehub.core.errors import not_found

        raise not_found(name)
    return found


def _last_page_lost(self: MigrationHubService, call: Any, **params: Any) -> dict[str, Any]:
    answer = ORIGINAL_LIST_STREAMS(self, call, **params)
    answer.pop("NextToken", None)
    return answer


ORIGINAL_LIST_STREAMS = MigrationHubService.list_progress_update_streams


@pytest.mark.parametrize(("method", "broken", "message"), [
    ("put_resource_attributes", _merging_put, "merged, not replaced"),
    ("_stream", _no_deleting_check, "expected InvalidInputException"),
    ("list_progress_update_streams", _last_page_lost, "list_streams"),
])
def test_the_suite_catches_a_fake_that_breaks_a_documented_rule(monkeypatch: pytest.MonkeyPatch, method: str,
                                                                broken: Any, message: str) -> None:
    monkeypatch.setattr(MigrationHubService, method, broken)
    with pytest.raises(AssertionError, match=message):
        run_conformance(Target.fakehub(), settings=QUICK)


def test_a_subclass_adds_rules_for_its_own_tool(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.copy_example(str(ROOT / "examples" / "test_conformance_subclass.py"))
    result = pytester.runpytest_subprocess("-p", "no:fakehub", "-p", "pytest_fakehub.plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_one_command_runs_the_suite_and_skips_aws_without_credentials(pytester: pytest.Pytester,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    plugin = ("-p", "no:fakehub", "-p", "pytest_fakehub.plugin", "-p", "no:cacheprovider")
    pytester.runpytest_subprocess(*plugin, "--pyargs", "fakehub.conformance").assert_outcomes(passed=1)
    aws = pytester.runpytest_subprocess(*plugin, "--pyargs", "fakehub.conformance", "--fakehub-target=aws",
                                        "--fakehub-region=us-west-2", "-rs")
    aws.assert_outcomes(skipped=1)
    aws.stdout.fnmatch_lines(["*no AWS credentials found*"])


def test_the_aws_target_names_its_streams_uniquely() -> None:
    class FakeSession:
        region_name = "eu-west-1"

        def client(self, name: str) -> Any:
            import boto3

            return boto3.Session(aws_access_key_id="x", aws_secret_access_key="y",
                                 region_name=self.region_name).client(name)

    first, second = (MigrationHubConformance(Target.aws(FakeSession())) for _ in range(2))
    assert first.prefix.startswith("fakehub-conformance-") and first.prefix != second.prefix
    assert len(first.stream("a")) <= 50


def test_the_docs_show_the_example_verbatim() -> None:
    assert (ROOT / "examples" / "test_conformance_subclass.py").read_text() in (ROOT / "docs" / "conformance.md").read_text()
