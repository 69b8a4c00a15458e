"""fakehub's pytest plugin: the ``fakehub`` fixture, ready boto3 clients, the
``fakehub`` marker, and a report section showing what the hub saw when a test
fails.

Importing this module is cheap on purpose (pytest imports every plugin of every
run): fakehub, boto3 and botocore load only when a test asks for a fixture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from fakehub import Hub
    from fakehub.conformance import Target

MARKER_ARGS = ("accounts", "delays", "home_region", "seed")
DEFAULT_REGION = "us-west-2"
_HUB = pytest.StashKey["Hub"]()
_REGION = pytest.StashKey[str]()
_MARK = pytest.StashKey["pytest.Mark"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakehub", "fakehub (fake AWS Migration Hub)")
    group.addoption("--fakehub-target", choices=("fakehub", "aws"), default=None,
                    help="what the conformance suite drives: the fake (default) or the real AWS account of the "
                         "current credentials (also: FAKEHUB_TARGET).")
    group.addoption("--fakehub-region", default=None,
                    help=f"region of the fixtures' clients and of a conformance run against AWS "
                         f"(also: FAKEHUB_REGION; default {DEFAULT_REGION}).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fakehub(home_region=..., accounts=..., delays=..., seed=...): options of the test's fake Migration Hub "
        "(see fakehub.mock_migrationhub); a marked test gets an active hub even without the fixture.",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked ``@pytest.mark.fakehub`` runs with a hub, as with time-machine's marker.
    (The marker is looked up here once, not again in the fixture.)"""
    for item in items:
        marker = item.get_closest_marker("fakehub")
        names = getattr(item, "fixturenames", None)
        if marker is not None and names is not None:
            item.stash[_MARK] = marker
            if "fakehub" not in names:
                names.insert(0, "fakehub")


# ---- configuration fixtures (override them in a conftest.py or a test module) ----------------


@pytest.fixture(scope="session")
def fakehub_home_region(pytestconfig: pytest.Config) -> str:
    """The hub's home region, and the region of the client fixtures."""
    return pytestconfig.getoption("fakehub_region") or os.environ.get("FAKEHUB_REGION") or DEFAULT_REGION


@pytest.fixture(scope="session")
def fakehub_options() -> Mapping[str, Any]:
    """Further ``mock_migrationhub`` options (accounts, delays, seed) for every test in scope;
    a ``fakehub`` marker on a test overrides them."""
    return {}


# ---- the hub and the clients -----------------------------------------------------------------


@pytest.fixture
def fakehub(request: pytest.FixtureRequest, fakehub_home_region: str,
            fakehub_options: Mapping[str, Any]) -> Iterator[Hub]:
    """A fresh hub, active for the test: every mgh, migrationhub-config and discovery
    call of the test (from any boto3 client) is answered by it."""
    from fakehub import Delays, mock_migrationhub

    options: dict[str, Any] = {"home_region": fakehub_home_region, **fakehub_options}
    marker = request.node.stash.get(_MARK, None)
    if marker is not None:
        options.update(_marker_options(marker))
    _check_options(options, "fakehub_options")
    if isinstance(options.get("delays"), Mapping):
        options["delays"] = Delays(**options["delays"])
    home = options["home_region"]
    with mock_migrationhub(**options) as hub:
        request.node.stash[_REGION] = home if home not in (None, "auto") else fakehub_home_region
        request.node.stash[_HUB] = hub
        yield hub


@pytest.fixture(scope="session")
def _fakehub_clients() -> dict[tuple[str, str], Any]:
    """Clients built once per session: a botocore client is not tied to a hub (fakehub's
    handler answers from whichever hub is active), and building one costs milliseconds."""
    return {}


def _client(clients: dict[tuple[str, str], Any], service: str, request: pytest.FixtureRequest) -> Any:
    region = request.node.stash[_REGION]
    found = clients.get((service, region))
    if found is None:
        import boto3

        # Explicit fake credentials: a test never signs with, or needs, the developer's own.
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)
        found = clients[(service, region)] = session.client(service)
    return found


@pytest.fixture
def mgh_client(fakehub: Hub, _fakehub_clients: dict[tuple[str, str], Any], request: pytest.FixtureRequest) -> Any:
    """A boto3 ``mgh`` client in the hub's home region."""
    return _client(_fakehub_clients, "mgh", request)


@pytest.fixture
def migrationhub_config_client(fakehub: Hub, _fakehub_clients: dict[tuple[str, str], Any],
                               request: pytest.FixtureRequest) -> Any:
    """A boto3 ``migrationhub-config`` client in the hub's home region."""
    return _client(_fakehub_clients, "migrationhub-config", request)


@pytest.fixture
def discovery_client(fakehub: Hub, _fakehub_clients: dict[tuple[str, str], Any], request: pytest.FixtureRequest) -> Any:
    """A boto3 ``discovery`` (Application Discovery Service) client in the hub's home region."""
    return _client(_fakehub_clients, "discovery", request)


@pytest.fixture
def fakehub_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    """Where the conformance suite sends its calls: ``--fakehub-target`` / ``FAKEHUB_TARGET``.
    Against AWS it skips, naming the reason, when no credentials are found."""
    from fakehub.conformance import Target

    kind = pytestconfig.getoption("fakehub_target") or os.environ.get("FAKEHUB_TARGET") or "fakehub"
    region = pytestconfig.getoption("fakehub_region") or os.environ.get("FAKEHUB_REGION") or DEFAULT_REGION
    if kind == "fakehub":
        yield Target.fakehub(region)
        return
    if kind != "aws":
        raise pytest.UsageError(f"FAKEHUB_TARGET must be 'fakehub' or 'aws', not {kind!r}")
    import boto3

    session = boto3.Session(region_name=region)
    if session.get_credentials() is None:
        pytest.skip("--fakehub-target=aws: no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID)")
    yield Target.aws(session)


# ---- the failure report ----------------------------------------------------------------------


def _marker_options(marker: pytest.Mark) -> dict[str, Any]:
    if marker.args:
        pytest.fail(f"@pytest.mark.fakehub takes keyword arguments only ({', '.join(MARKER_ARGS)}), "
                    f"got {marker.args!r}", pytrace=False)
    _check_options(marker.kwargs, "@pytest.mark.fakehub")
    return dict(marker.kwargs)


def _check_options(options: Mapping[str, Any], where: str) -> None:
    unknown = sorted(set(options) - set(MARKER_ARGS))
    if unknown:
        pytest.fail(f"{where}: unknown argument(s) {', '.join(unknown)}; accepted: {', '.join(MARKER_ARGS)}",
                    pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report: pytest.TestReport = yield
    if report.failed:
        hub = item.stash.get(_HUB, None)
        if hub is not None:
            from .report import describe

            report.sections.append(("fakehub: what the hub saw", describe(hub)))
    return report  # type: ignore[return-value]
