from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# The depth of every property test, the conformance suite's runs included (docs/conformance.md):
# ci is what .ci/run uses, dev the default outside CI, thorough the deep run
# (HYPOTHESIS_PROFILE=thorough python -m pytest -p no:cacheprovider tests/test_conformance.py).
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None)
settings.register_profile(
    "thorough", max_examples=1000, stateful_step_count=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

REGION = "us-west-2"


@pytest.fixture(autouse=True)
def _no_real_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's AWS credentials or config."""
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)


@pytest.fixture
def hub():
    from fakehub import mock_migrationhub

    with mock_migrationhub(home_region=REGION) as active:
        yield active


class _Session:
    """One boto3 session and its clients for the whole run: fakehub answers a client
    in whichever hub is active, and making clients is the slow part of a test."""

    def __init__(self) -> None:
        import boto3

        self._session = boto3.Session(
            aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret", region_name=REGION
        )
        self._clients: dict[str, object] = {}

    def client(self, name: str):
        if name not in self._clients:
            self._clients[name] = self._session.client(name)
        return self._clients[name]


@pytest.fixture(scope="session")
def session() -> _Session:
    return _Session()


@pytest.fixture
def mgh(hub, session):
    return session.client("mgh")
