"""Operation specs compiled once per process from botocore's service models.

For each operation of ``mgh``, ``migrationhub-config`` and ``discovery``: the
``X-Amz-Target`` it arrives with, its validator, its modeled error codes with
their HTTP statuses, whether it takes ``DryRun``, whether it models
``HomeRegionNotSetException``, and the page size to use when ``MaxResults``
is left out.  The dispatch is one table lookup by target.

What tells a faked request from any other (the services' target prefixes and
botocore service ids) lives here too, beside the table it is derived from.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from botocore import xform_name
from botocore.loaders import Loader, create_loader
from botocore.model import ServiceModel
from botocore.regions import EndpointResolver

from ..core.errors import ServiceError
from ..core.homeregion import RegionGate, region_gate
from .validation import compile_validator

SERVICES = ("mgh", "migrationhub-config", "discovery")

# Each service's ``targetPrefix`` and hyphenized ``serviceId`` as its model states them
# (botocore's events name a service by the latter); tests/test_layers.py checks both
# against the models, so a model change cannot slip past.
TARGET_PREFIXES = {
    "mgh": "AWSMigrationHub",
    "migrationhub-config": "AWSMigrationHubMultiAccountService",
    "discovery": "AWSPoseidonService_V2015_11_01",
}
SERVICE_IDS = {
    "mgh": "migration-hub",
    "migrationhub-config": "migrationhub-config",
    "discovery": "application-discovery-service",
}
_FAKED_PREFIXES = tuple(f"{prefix}.".encode() for prefix in TARGET_PREFIXES.values())


def is_faked_target(target: bytes | str | None) -> bool:
    """Whether an ``X-Amz-Target`` names (an operation of) one of the faked services."""
    if isinstance(target, str):
        target = target.encode("utf-8", "surrogateescape")
    return bool(target) and target.startswith(_FAKED_PREFIXES)  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str  # botocore service name
    message_member: str  # 'Message', or 'message' for ADS's error shapes
    invalid_input: str  # the code a request that breaks the model is answered with
    access_denied: str
    internal_error: str


SERVICE_SPECS = {
    "mgh": ServiceSpec("mgh", "Message", "InvalidInputException", "AccessDeniedException", "InternalServerError"),
    "migrationhub-config": ServiceSpec(
        "migrationhub-config", "Message", "InvalidInputException", "AccessDeniedException", "InternalServerError"
    ),
    "discovery": ServiceSpec(
        "discovery",
        "message",
        "InvalidParameterValueException",
        "AuthorizationErrorException",
        "ServerInternalErrorException",
    ),
}

RegionGateFunction = Callable[[str, bool, "str | None", str], "ServiceError | None"]


@dataclass(frozen=True, slots=True)
class OperationSpec:
    service: ServiceSpec
    name: str  # e.g. 'ImportMigrationTask'
    method: str  # e.g. 'import_migration_task'
    validate: Callable[[Mapping[str, Any]], list[str]]
    errors: Mapping[str, int]  # modeled error code -> HTTP status
    dry_run: bool
    home_region_not_set: bool
    # The model's largest page, sent as ``page_member`` (MaxResults, or ADS's maxResults)
    # when the caller sends none.
    page_size: int | None
    page_member: str | None
    # The home-region rule: resolve the account's home region ("auto") before the call, and
    # the gate that may refuse it (None: the config API answers from any region).
    resolves_home_region: bool
    region_gate: RegionGateFunction | None
    regions: frozenset[str]  # where the service has an endpoint
    members: frozenset[str]  # the input's member names, as they arrive on the wire
    signing_name: str  # the service name a SigV4 credential scope must hold ('mgh' for the config API too)


def _operation_spec(service: ServiceSpec, model: ServiceModel, name: str, regions: frozenset[str]) -> OperationSpec:
    op = model.operation_model(name)
    members = op.input_shape.members if op.input_shape is not None else {}
    page_member = next((m for m in ("MaxResults", "maxResults") if m in members), None)
    max_results = members[page_member] if page_member is not None else None
    errors = {
        # botocore's Shape.metadata drops the model's "fault" flag; read it from the raw shape.
        shape.name: shape.metadata.get("error", {}).get(
            "httpStatusCode",
            500 if shape._shape_model.get("fault") else 400,  # type: ignore[attr-defined]
        )
        for shape in op.error_shapes
    }
    return OperationSpec(
        service=service,
        name=name,
        method=xform_name(name),
        validate=_LazyValidator(op.input_shape) if op.input_shape is not None else (lambda _body: []),
        errors=errors,
        dry_run="DryRun" in members,
        home_region_not_set="HomeRegionNotSetException" in errors,
        page_size=max_results.metadata.get("max") if max_results is not None else None,
        page_member=page_member,
        # CreateHomeRegionControl and DeleteHomeRegionControl set or remove it explicitly.
        resolves_home_region=name not in ("CreateHomeRegionControl", "DeleteHomeRegionControl"),
        region_gate=_REGION_GATES.get(service.name, region_gate),
        regions=regions,
        members=frozenset(m.serialization.get("name", n) for n, m in members.items()),
        signing_name=model.signing_name,
    )


class _LazyValidator:
    """An operation's validator, compiled at its first request: compiling all 52 would be a
    third of the first faked call's cost, and a test uses a few operations."""

    __slots__ = ("_shape", "_validate")

    def __init__(self, shape: Any) -> None:
        self._shape = shape
        self._validate: Callable[[Mapping[str, Any]], list[str]] | None = None

    def __call__(self, body: Mapping[str, Any]) -> list[str]:
        validate = self._validate
        if validate is None:  # two threads may both compile it: the results are the same
            validate = self._validate = compile_validator(self._shape)
        return validate(body)


# ADS's own docs permit reads (list, describe, stop, delete) outside the home region;
# migrationhub-config answers from any region (it is how a client finds its home region).
_REGION_GATES: dict[str, RegionGateFunction | None] = {
    "discovery": RegionGate(reads_outside_home=True),
    "migrationhub-config": None,
}


_lock = threading.RLock()  # by_target() holds it while it asks regions()
_by_target: dict[bytes, OperationSpec] = {}
_regions: dict[str, frozenset[str]] = {}
_loader: list[Loader] = []


def _shared_loader() -> Loader:
    """One botocore data loader for everything fakehub reads from botocore's data (a session
    per lookup would cost ~20 ms of handler registration each)."""
    if not _loader:
        _loader.append(create_loader())
    return _loader[0]


def regions(service: str) -> frozenset[str]:
    """The regions where ``service`` has an endpoint, as botocore's
    ``Session.get_available_regions`` gives them (the ``aws`` partition's regional endpoints).
    ``migrationhub-config`` is not in that data (its endpoint rules build a host name for
    any region): it is taken to have Migration Hub's regions (inferred, docs/operations.md)."""
    if not _regions:
        with _lock:
            if not _regions:
                _regions.update(_load_regions())
    return _regions[service]


def _load_regions() -> dict[str, frozenset[str]]:
    data = _aws_partition_excerpt() or _shared_loader().load_data("endpoints")
    resolver = EndpointResolver(data)
    found = {name: frozenset(resolver.get_available_endpoints(name)) for name in SERVICES}
    return {name: regions or found["mgh"] for name, regions in found.items()}


def _aws_partition_excerpt() -> dict[str, Any] | None:
    """Just what ``regions`` needs of botocore's 1.2 MB ``endpoints.json``: the ``aws``
    partition's region list and the faked services' entries, decoded from where they stand in
    the file (a full decode is most of the first faked call's cost).  None when the file is not
    laid out as expected (a customized or future botocore): the caller then decodes it whole.
    tests/test_layers.py checks the excerpt answers what botocore's own lookup does."""
    path = next(
        (p for p in (os.path.join(d, "endpoints.json") for d in _shared_loader().search_paths) if os.path.isfile(p)),
        None,
    )
    if path is None:
        return None
    with open(path, encoding="utf-8") as file:
        text = file.read()
    decoder = json.JSONDecoder()

    def value_after(key: str, start: int, end: int) -> tuple[Any, int] | None:
        at = text.find(f'"{key}" : ', start, end)
        if at < 0 or text.find(f'"{key}" : ', at + 1, end) >= 0:  # absent, or not one place only
            return None
        return decoder.raw_decode(text, at + len(key) + 5)

    first = text.find('"partition" : "aws"')
    end = text.find('"partition" : "', first + 1)  # the next partition
    if first < 0 or end < 0:
        return None
    regions = value_after("regions", first, end)
    if regions is None or not isinstance(regions[0], dict):
        return None
    services: dict[str, Any] = {}
    for name in SERVICES:
        entry = value_after(name, regions[1], end)
        if entry is not None:
            if not isinstance(entry[0], dict) or "endpoints" not in entry[0]:
                return None
            services[name] = entry[0]
    return {"partitions": [{"partition": "aws", "regions": regions[0], "services": services}]}


_suffixes: list[tuple[str, ...]] = []


def aws_dns_suffixes() -> tuple[str, ...]:
    """The DNS suffixes of every AWS partition, dual-stack ones included (``amazonaws.com``,
    ``api.aws``, ``amazonaws.com.cn``, …), from botocore's ``partitions.json``: a request to a
    host under one of them is addressed to AWS."""
    if not _suffixes:
        found: set[str] = set()
        for partition in _shared_loader().load_data("partitions")["partitions"]:
            outputs = partition.get("outputs", {})
            found.update(outputs[key] for key in ("dnsSuffix", "dualStackDnsSuffix") if outputs.get(key))
        _suffixes.append(tuple(sorted(found)))
    return _suffixes[0]


def is_aws_host(host: str) -> bool:
    """Whether ``host`` (a name, no port) is an AWS endpoint's, by its partition's DNS suffix."""
    host = host.lower().rstrip(".")
    return any(host.endswith("." + suffix) for suffix in aws_dns_suffixes())


_AWS_URLS: dict[str, bool] = {}  # a client sends to one URL: decided once per URL


def is_aws_url(url: str) -> bool:
    """Whether a request URL is addressed to AWS (not to ``fakehub.serve()``'s server or
    another endpoint a client was given)."""
    found = _AWS_URLS.get(url)
    if found is None:
        if len(_AWS_URLS) > 4096:  # URLs with paths or queries: keep the cache small
            _AWS_URLS.clear()
        found = _AWS_URLS[url] = is_aws_host(urlsplit(url).hostname or "")
    return found


def service_model(name: str) -> ServiceModel:
    """botocore's model of a faked service (its latest API version), read through the shared
    loader.  ``Loader.load_service_model`` would first list every service botocore has
    (~13 ms) to check that this one exists; these three always do."""
    loader = _shared_loader()
    latest = loader.list_api_versions(name, "service-2")[-1]
    return ServiceModel(loader.load_data(f"{name}/{latest}/service-2"), service_name=name)


def by_target() -> dict[bytes, OperationSpec]:
    """``X-Amz-Target`` (as botocore sends it, bytes) -> operation spec; built on
    first use, shared by every hub of the process."""
    if not _by_target:
        with _lock:
            if not _by_target:
                table = {}
                for name in SERVICES:
                    model = service_model(name)
                    prefix = model.metadata["targetPrefix"]
                    spec = SERVICE_SPECS[name]
                    for op_name in model.operation_names:
                        target = f"{prefix}.{op_name}".encode()
                        table[target] = _operation_spec(spec, model, op_name, regions(name))
                _by_target.update(table)
    return _by_target


def operation_named(name: str) -> OperationSpec:
    """The faked operation a user names in fakehub's own API (``hub.faults``, ``hub.journal``):
    its API name (``"ImportMigrationTask"``) or boto3's method name (``"import_migration_task"``).
    An unknown name is a ValueError saying what is accepted, so a typo cannot make a filter or a
    fault plan silently match nothing."""
    for spec in by_target().values():
        if name == spec.name or name == spec.method:
            return spec
    raise ValueError(
        f"unknown operation {name!r}: name an operation of {', '.join(SERVICES)} by its API name "
        "('NotifyMigrationTaskState') or its boto3 name ('notify_migration_task_state')"
    )
