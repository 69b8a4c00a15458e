"""fakehub's pytest plugin: the ``fakehub`` fixture, ready boto3 clients, the
``fakehub`` marker, and a report section showing what the hub saw when a test
fails.

Importing this module is cheap on purpose (pytest imports every plugin of every
run): fakehub, boto3 and botocore load only when a test asks for a fixture.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Generator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from typing import Literal

    from fakehub import Hub, Server
    from fakehub.conformance import Target

    _Service = Literal["mgh", "migrationhub-config", "discovery"]  # the services the fixtures give clients of

MARKER_ARGS = ("accounts", "delays", "home_region", "seed", "snapshot")
DEFAULT_REGION = "us-west-2"
REGION_VARIABLES = ("AWS_DEFAULT_REGION", "AWS_REGION")  # followed after the plugin's own


class FakehubWarning(pytest.PytestWarning):
    """A test uses fakehub's fixtures in a way that gives it another hub than it may expect."""


_ACTIVE = pytest.StashKey["tuple[Hub, str]"]()  # the test's hub and its clients' region
_MARK = pytest.StashKey["pytest.Mark"]()
_SEEN = pytest.StashKey["list[Hub]"]()  # every hub activated during the test
MAX_HUBS_REPORTED = 3  # a property test may activate hundreds


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakehub", "fakehub (fake AWS Migration Hub)")
    group.addoption(
        "--fakehub-target",
        choices=("fakehub", "aws"),
        default=None,
        help="what the conformance suite drives: the fake (default) or the real AWS account of the "
        "current credentials (also: FAKEHUB_TARGET).",
    )
    group.addoption(
        "--fakehub-region",
        default=None,
        help="home region of the fixture's hub, region of its clients and of a conformance run against AWS "
        f"(also: FAKEHUB_REGION; default: AWS_DEFAULT_REGION, AWS_REGION, else {DEFAULT_REGION}).",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fakehub(home_region=..., accounts=..., delays=..., seed=..., snapshot=...): options of the test's fake "
        "Migration Hub (see fakehub.mock_migrationhub); a marked test gets an active hub even without the fixture.",
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
        if names is not None and "fakehub" in names and _decorated_with_mock(item):
            item.warn(_two_hubs_warning(item.name))


def _decorated_with_mock(item: pytest.Item) -> bool:
    """Whether the test (its function, or its ``unittest.TestCase`` class) is decorated with
    ``mock_migrationhub``."""
    return any(getattr(getattr(item, where, None), MOCKED, False) for where in ("obj", "cls"))


MOCKED = "__fakehub_mock_migrationhub__"  # fakehub.mock.MOCKED, without importing fakehub here


def _two_hubs_warning(test: str) -> FakehubWarning:
    return FakehubWarning(
        f"{test} is decorated with @mock_migrationhub and also uses the fakehub fixture (directly, "
        "through a client fixture or @pytest.mark.fakehub): that makes two hubs, and the test's calls "
        "are answered by the decorator's hub, not by the fakehub fixture's. Use one of them: drop the "
        "decorator (the fixture gives every test a fresh hub; set its options with "
        "@pytest.mark.fakehub(...)), or drop the fixture and get the hub with fakehub.active_hub()."
    )


# ---- configuration fixtures (override them in a conftest.py or a test module) ----------------


@pytest.fixture(scope="session")
def fakehub_home_region() -> str:
    """The hub's home region, and the region of the client fixtures."""
    return _default_home_region(_item().config)


def _default_home_region(config: pytest.Config) -> str:
    """``--fakehub-region``, ``FAKEHUB_REGION``, then the region the user's own clients get
    (``AWS_DEFAULT_REGION``, which botocore reads, then ``AWS_REGION``, which other SDKs and
    code written for Lambda read) when Migration Hub has a home region there, else us-west-2."""
    from fakehub.wire.services import regions

    explicit = config.getoption("fakehub_region") or os.environ.get("FAKEHUB_REGION")
    if explicit:
        if explicit not in regions("mgh"):
            pytest.fail(
                f"--fakehub-region / FAKEHUB_REGION {explicit!r}: Migration Hub has no home region there; "
                f"use one of {', '.join(sorted(regions('mgh')))}",
                pytrace=False,
            )
        return str(explicit)
    for name in REGION_VARIABLES:
        region = os.environ.get(name)
        if region and region in regions("mgh"):
            return str(region)
    return DEFAULT_REGION


@pytest.fixture(scope="session")
def fakehub_options() -> Mapping[str, Any]:
    """Further ``mock_migrationhub`` options (accounts, delays, seed) for every test in scope;
    a ``fakehub`` marker on a test overrides them."""
    return {}


# ---- the hub and the clients -----------------------------------------------------------------


# The test items running now, innermost last (a test may run a pytest session of its own, as
# pytester does).  The fixtures below read their test's item here instead of taking pytest's
# ``request``: pytest builds a FixtureDef for ``request`` on every use, which inspects a
# function's signature, a cost every test using the fixture would pay (~25 us).
_ITEMS: list[pytest.Item] = []


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _ITEMS.append(item)
    if "fakehub" in sys.modules:  # the test may activate hubs itself: watch for them
        activation = _fakehub()[1]
        if "fakehub" not in getattr(item, "fixturenames", ()):
            activation.end_lingering()  # a test without the fixture sees no fake credentials


def pytest_unconfigure() -> None:
    if _FAKEHUB:
        _FAKEHUB[1].end_lingering()


def pytest_runtest_logfinish() -> None:
    if _ITEMS:
        stash = _ITEMS.pop().stash
        if _SEEN in stash:  # pytest keeps every item until the session ends
            del stash[_SEEN]


def _item() -> pytest.Item:
    if not _ITEMS:
        raise RuntimeError("fakehub's fixtures are meant for tests run by pytest (no test is running)")
    return _ITEMS[-1]


@pytest.fixture
def fakehub() -> Iterator[Hub]:
    """A fresh hub, active for the test: every mgh, migrationhub-config and discovery
    call of the test (from any boto3 client) is answered by it."""
    hub_class, activation = _fakehub()
    node = _item()
    fakehub_home_region, fakehub_options = _configuration(node)
    marker = node.stash.get(_MARK, None)
    active = activation.active.hubs
    if active and active[-1] not in _MADE:  # a longer-lived hub of the user's: the test's hub
        yield from _share(node, active[-1], fakehub_home_region, bool(fakehub_options) or marker is not None)
        return
    if fakehub_options or marker is not None:
        hub = _hub(hub_class, fakehub_home_region, fakehub_options, marker)
        home = hub.state.default_home_region
        region = home if home not in (None, "auto") else fakehub_home_region
    else:  # the common case: nothing to merge or check
        hub = hub_class(home_region=fakehub_home_region)
        region = fakehub_home_region
    # pytest keeps every item (and its stash) until the session ends: the teardown drops the
    # hub, or every test's hub would stay alive.  The call phase's failure report is made by then.
    node.stash[_ACTIVE] = (hub, region)
    uses_fake_credentials = activation.activate(hub)  # the path mock_migrationhub takes too
    _MADE.append(hub)
    try:
        yield hub
    finally:
        # The fake credentials stay for a next hub test; removed before any other test runs.
        activation.deactivate(hub, uses_fake_credentials, linger=True)
        _MADE.remove(hub)
        del node.stash[_ACTIVE]


# The hubs the fixture made and activated, innermost last: a hub active when the fixture starts
# is the user's own unless it is one of these (the fixture's hub of a test running pytest itself).
_MADE: list[Hub] = []


def _share(node: pytest.Item, hub: Hub, fakehub_home_region: str, has_options: bool) -> Iterator[Hub]:
    """Give the test the hub a longer-lived ``mock_migrationhub`` of the user's made (in a
    module-scoped fixture, say), as nested ``mock_aws`` share moto's state: a fresh hub
    would hide it from the test's calls.  Options for a fresh hub cannot apply to it."""
    if has_options:
        warnings.warn(
            FakehubWarning(
                f"{node.name}: the hub active when the test started (made by mock_migrationhub, in a "
                "longer-lived fixture say) is the test's hub, so the options of @pytest.mark.fakehub or "
                "fakehub_options do not apply to it; set them on that mock_migrationhub(...) instead"
            ),
            stacklevel=1,
        )
    home = hub.state.default_home_region  # the clients' region: the hub's home region, if it has one
    node.stash[_ACTIVE] = (hub, home if home not in (None, "auto") else fakehub_home_region)
    try:
        yield hub
    finally:
        del node.stash[_ACTIVE]


# The configuration fixtures are not arguments of ``fakehub``: pytest would resolve both on
# every test (~8 us each, even cached session fixtures), for values that are almost always the
# defaults.  ``fakehub`` asks pytest for them only for a test that can see an override (a
# fixture of that name in a conftest, module, class or plugin, or a direct parametrization).
_CONFIGURATION = ("fakehub_home_region", "fakehub_options")
_OVERRIDES = pytest.StashKey["dict[str, Sequence[Any]]"]()
_DEFAULT_REGION = pytest.StashKey[str]()


def _configuration(node: pytest.Item) -> tuple[str, Mapping[str, Any]]:
    """The test's ``fakehub_home_region`` and ``fakehub_options``."""
    callspec = getattr(node, "callspec", None)
    if _overrides(node) or (callspec is not None and not callspec.params.keys().isdisjoint(_CONFIGURATION)):
        request = _pytest_internal(node, "_request")  # the test's own request, as fixtures get it
        if request is None:
            pytest.fail(
                "this pytest's test items have no _request: fakehub's plugin needs pytest >= 8.0", pytrace=False
            )
        return request.getfixturevalue(_CONFIGURATION[0]), request.getfixturevalue(_CONFIGURATION[1])
    config = node.config
    region = config.stash.get(_DEFAULT_REGION, None)
    if region is None:
        region = config.stash[_DEFAULT_REGION] = _default_home_region(config)
    return region, {}


def _overrides(node: pytest.Item) -> dict[str, Sequence[Any]]:
    """The overridden configuration fixtures the test sees, with pytest's definitions of each.
    Tests of one module or class see the same fixtures: worked out once for them."""
    scope = node.parent if node.parent is not None else node
    found = scope.stash.get(_OVERRIDES, None)
    if found is None:
        found = scope.stash[_OVERRIDES] = {}
        for name in _CONFIGURATION:
            definitions = _definitions(node, name)
            if definitions is None or getattr(definitions[-1].func, "__module__", None) != __name__:
                found[name] = definitions or ()
    return found


def _definitions(node: pytest.Item, name: str) -> Sequence[Any] | None:
    """pytest's definitions of fixture ``name`` that ``node`` sees, nearest last (None: pytest
    could not say, so the fixture counts as overridden and pytest is asked for its value)."""
    manager = _pytest_internal(node.session, "_fixturemanager")
    for where in (node, node.nodeid):  # pytest >= 8.1 takes the node, older ones its id
        try:
            return manager.getfixturedefs(name, where) or None
        except (AttributeError, TypeError):
            continue
    return None


_PYTEST_INTERNALS = frozenset({"_request", "_fixturemanager", "_arg2fixturedefs"})


def _pytest_internal(obj: Any, name: str) -> Any:
    """The one place the plugin reads pytest's internals, for its fast path (not asking pytest
    for the configuration fixtures of tests that cannot see an override): an item's
    ``_request``, the session's ``_fixturemanager``, a metafunc's ``_arg2fixturedefs``.
    None where this pytest lacks one: a missing fixture manager counts every fixture as
    overridden (pytest is then asked for their values), a missing ``_arg2fixturedefs`` leaves
    parametrized overrides to the test's own closure, and a missing ``_request`` fails the test
    saying which pytest is needed.  tests/test_plugin.py exercises every path, and CI runs it
    on the lowest (8.0) and newest supported pytest (the nox sessions)."""
    if name not in _PYTEST_INTERNALS:
        raise AssertionError(f"fakehub's plugin reads no pytest internal {name!r}")
    return getattr(obj, name, None)


@pytest.hookimpl(tryfirst=True)
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """An override with ``params`` parametrizes every test that uses the hub, as it would if
    the configuration fixtures were arguments of ``fakehub``: pytest's own parametrization of
    fixtures (which runs after this hook) sees them in the test's fixture closure."""
    if "fakehub" not in metafunc.fixturenames and metafunc.definition.get_closest_marker("fakehub") is None:
        return
    known = _pytest_internal(metafunc, "_arg2fixturedefs")
    for name, definitions in _overrides(metafunc.definition).items():
        if definitions and known is not None and name not in metafunc.fixturenames:
            metafunc.fixturenames.append(name)
            known[name] = definitions


_FAKEHUB: list[Any] = []  # (Hub, fakehub.activation) as imported; see _fakehub()


def _fakehub() -> tuple[Any, Any]:
    """fakehub's Hub and activation module, imported on first use (the plugin's import stays
    cheap) and imported again if they were unloaded: pytester's in-process runs restore
    ``sys.modules``, and a stale module would activate hubs nobody consults."""
    if not _FAKEHUB or sys.modules.get("fakehub.activation") is not _FAKEHUB[1]:
        from fakehub import Hub, activation

        _FAKEHUB[:] = [Hub, activation]
        activation.watchers.append(_seen)
    return _FAKEHUB[0], _FAKEHUB[1]


def _seen(hub: Hub) -> None:
    """An activation watcher: the hubs a test activated (through the fixture, or
    ``mock_migrationhub`` in the test), for its failure report."""
    if _ITEMS:
        seen = _ITEMS[-1].stash.setdefault(_SEEN, [])
        if hub not in seen:
            seen.append(hub)


def _hub(hub_class: Any, home_region: str, fakehub_options: Mapping[str, Any], marker: pytest.Mark | None) -> Any:
    """The test's hub, made with ``mock_migrationhub``'s options: the defaults, then
    ``fakehub_options``, then the marker; or restored from ``snapshot=`` alone (a snapshot
    holds the hub's options)."""
    given: dict[str, Any] = dict(fakehub_options)
    if marker is not None:
        given.update(_marker_options(marker))
    _check_options(given, "fakehub_options")
    from fakehub import Delays
    from fakehub.hub import check_options, check_snapshot_alone

    where = "@pytest.mark.fakehub" if marker is not None else "fakehub_options"
    try:
        if "snapshot" in given:
            check_snapshot_alone(set(given) - {"snapshot"})
            return hub_class.from_snapshot(given["snapshot"])
        options = {"home_region": home_region, **given}
        if isinstance(options.get("delays"), Mapping):
            options["delays"] = Delays(**options["delays"])
        check_options(**{"accounts": None, "delays": None, "seed": 0, **options})
    except (TypeError, ValueError, OSError) as error:  # a plain message, not a traceback into fakehub
        pytest.fail(f"{where}: {error}", pytrace=False)
    return hub_class(**options)


class _Clients:
    """The client fixtures' clients, built once per session: a botocore client is not tied to
    a hub (fakehub's handler answers from whichever hub is active), and building one costs
    milliseconds.  One boto3 session per region makes them."""

    def __init__(self) -> None:
        self._sessions: dict[str, Any] = {}
        self._clients: dict[tuple[str, str], Any] = {}

    def get(self, service: _Service, region: str) -> Any:
        found = self._clients.get((service, region))
        if found is None:
            session = self._sessions.get(region)
            if session is None:
                session = self._sessions[region] = _session(region)
            found = self._clients[(service, region)] = session.client(service)
        return found


# botocore's data loaders, by the folders they search: a loader keeps the models and endpoint
# data it has decoded (read-only data), ~50 ms of a new session's first client; shared, the
# sessions of every pytest run in the process (pytester's) decode them once.
_LOADERS: dict[tuple[str, ...], Any] = {}


def _session(region: str) -> Any:
    """A boto3 session in ``region`` with explicit fake credentials (a test never signs with,
    or needs, the developer's own), reading botocore's data through a shared loader."""
    import boto3
    import botocore.session
    from botocore.loaders import Loader, create_loader

    core = botocore.session.get_session()
    fresh = create_loader(core.get_config_variable("data_path"))  # as the session would make it
    loader = _LOADERS.get(tuple(fresh.search_paths))
    if not isinstance(loader, Loader):  # none yet, or one of a botocore unloaded since (pytester)
        loader = _LOADERS[tuple(fresh.search_paths)] = fresh
    core.register_component("data_loader", loader)
    session = boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region, botocore_session=core
    )
    loader.search_paths[:] = dict.fromkeys(loader.search_paths)  # boto3 adds its data folder on every session
    return session


@pytest.fixture(scope="session")
def _fakehub_clients() -> _Clients:
    return _Clients()


def _client(clients: _Clients, service: _Service) -> Any:
    return clients.get(service, _item().stash[_ACTIVE][1])


@pytest.fixture
def mgh_client(fakehub: Hub, _fakehub_clients: _Clients) -> Any:
    """A boto3 ``mgh`` client in the hub's home region."""
    return _client(_fakehub_clients, "mgh")


@pytest.fixture
def migrationhub_config_client(fakehub: Hub, _fakehub_clients: _Clients) -> Any:
    """A boto3 ``migrationhub-config`` client in the hub's home region."""
    return _client(_fakehub_clients, "migrationhub-config")


@pytest.fixture
def discovery_client(fakehub: Hub, _fakehub_clients: _Clients) -> Any:
    """A boto3 ``discovery`` (Application Discovery Service) client in the hub's home region."""
    return _client(_fakehub_clients, "discovery")


@pytest.fixture(scope="session")
def fakehub_server() -> Iterator[Server]:
    """A fakehub HTTP server on loopback, started once per session (per xdist worker), for
    tools that are not Python or not in this process (``fakehub.serve()``)."""
    from fakehub import serve

    server = serve()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def fakehub_endpoint(fakehub: Hub, fakehub_server: Server) -> Iterator[str]:
    """The URL of the session's server, answering with this test's ``fakehub`` hub: what a
    tool under test writes over HTTP, the test reads in process, and the other way round."""
    previous = fakehub_server.hub
    fakehub_server.hub = fakehub
    try:
        yield fakehub_server.endpoint_url
    finally:
        fakehub_server.hub = previous


@pytest.fixture
def fakehub_target(pytestconfig: pytest.Config) -> Iterator[Target]:
    """Where the conformance suite sends its calls: ``--fakehub-target`` / ``FAKEHUB_TARGET``.
    Against AWS it skips, naming the reason, when no credentials are found."""
    from fakehub.conformance import Target

    kind = pytestconfig.getoption("fakehub_target") or os.environ.get("FAKEHUB_TARGET") or "fakehub"
    region = _configuration(_item())[0]  # an overridden fakehub_home_region counts here too
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
        pytest.fail(
            f"@pytest.mark.fakehub takes keyword arguments only ({', '.join(MARKER_ARGS)}), got {marker.args!r}",
            pytrace=False,
        )
    _check_options(marker.kwargs, "@pytest.mark.fakehub")
    return dict(marker.kwargs)


def _check_options(options: Mapping[str, Any], where: str) -> None:
    unknown = sorted(set(options) - set(MARKER_ARGS))
    if unknown:
        pytest.fail(
            f"{where}: unknown argument(s) {', '.join(unknown)}; accepted: {', '.join(MARKER_ARGS)}", pytrace=False
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        hubs = list(item.stash.get(_SEEN, ()))
        active = item.stash.get(_ACTIVE, None)
        if active is not None and active[0] not in hubs:
            hubs.insert(0, active[0])
        if hubs:
            from .report import describe

            shown = hubs[:MAX_HUBS_REPORTED]
            for n, hub in enumerate(shown, 1):
                title = "fakehub: what the hub saw" + (f" (hub {n} of {len(hubs)})" if len(hubs) > 1 else "")
                report.sections.append((title, describe(hub)))
            if len(hubs) > len(shown):
                report.sections.append(
                    ("fakehub", f"{len(hubs) - len(shown)} more hubs this test activated are not shown")
                )
    return report
