"""Operation specs compiled once per process from botocore's service models.

For each operation of ``mgh``, ``migrationhub-config`` and ``discovery``: the
``X-Amz-Target`` it arrives with, its validator, its modeled error codes with
their HTTP statuses, whether it takes ``DryRun``, whether it models
``HomeRegionNotSetException``, and the page size to use when ``MaxResults``
is left out.  The dispatch is one table lookup by target.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore import xform_name

from ..core.errors import ServiceError
from ..core.homeregion import RegionGate, region_gate
from .validation import compile_validator

SERVICES = ("mgh", "migrationhub-config", "discovery")


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    name: str  # botocore service name
    message_member: str  # 'Message', or 'message' for ADS's error shapes
    invalid_input: str  # the code a request that breaks the model is answered with
    access_denied: str
    internal_error: str


SERVICE_SPECS = {
    "mgh": ServiceSpec("mgh", "Message", "InvalidInputException", "AccessDeniedException", "InternalServerError"),
    "migrationhub-config": ServiceSpec("migrationhub-config", "Message", "InvalidInputException",
                                       "AccessDeniedException", "InternalServerError"),
    "discovery": ServiceSpec("discovery", "message", "InvalidParameterValueException",
                             "AuthorizationErrorException", "ServerInternalErrorException"),
}


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
    region_gate: Callable[[str, bool, str | None, str], ServiceError | None] | None
    regions: frozenset[str]  # where the service has an endpoint
    members: frozenset[str]  # the input's member names, as they arrive on the wire


def _operation_spec(service: ServiceSpec, model: Any, name: str) -> OperationSpec:
    op = model.operation_model(name)
    members = op.input_shape.members if op.input_shape is not None else {}
    page_member = next((m for m in ("MaxResults", "maxResults") if m in members), None)
    max_results = members[page_member] if page_member is not None else None
    errors = {
        # botocore's Shape.metadata drops the model's "fault" flag; read it from the raw shape.
        shape.name: shape.metadata.get("error", {}).get("httpStatusCode", 500 if shape._shape_model.get("fault") else 400)
        for shape in op.error_shapes
    }
    return OperationSpec(
        service=service,
        name=name,
        method=xform_name(name),
        validate=compile_validator(op.input_shape) if op.input_shape is not None else (lambda _body: []),
        errors=errors,
        dry_run="DryRun" in members,
        home_region_not_set="HomeRegionNotSetException" in errors,
        page_size=max_results.metadata.get("max") if max_results is not None else None,
        page_member=page_member,
        # CreateHomeRegionControl and DeleteHomeRegionControl set or remove it explicitly.
        resolves_home_region=name not in ("CreateHomeRegionControl", "DeleteHomeRegionControl"),
        region_gate=_REGION_GATES.get(service.name, region_gate),
        regions=regions(service.name),
        members=frozenset(m.serialization.get("name", n) for n, m in members.items()),
    )


# ADS's own docs permit reads (list, describe, stop, delete) outside the home region;
# migrationhub-config answers from any region (it is how a client finds its home region).
_REGION_GATES: dict[str, Any] = {"discovery": RegionGate(reads_outside_home=True), "migrationhub-config": None}


_lock = threading.Lock()
_by_target: dict[bytes, OperationSpec] = {}
_regions: dict[str, frozenset[str]] = {}


def regions(service: str) -> frozenset[str]:
    """The regions where ``service`` has an endpoint, from botocore's endpoint data.
    ``migrationhub-config`` is not in that data (its endpoint rules build a host name for
    any region): it is taken to have Migration Hub's regions (inferred, docs/operations.md)."""
    found = _regions.get(service)
    if found is None:
        session = botocore.session.get_session()
        found = frozenset(session.get_available_regions(service) or session.get_available_regions("mgh"))
        _regions[service] = found
    return found


def by_target() -> dict[bytes, OperationSpec]:
    """``X-Amz-Target`` (as botocore sends it, bytes) -> operation spec; built on
    first use, shared by every hub of the process."""
    if not _by_target:
        with _lock:
            if not _by_target:
                session = botocore.session.get_session()
                table = {}
                for name in SERVICES:
                    model = session.get_service_model(name)
                    prefix = model.metadata["targetPrefix"]
                    for op_name in model.operation_names:
                        table[f"{prefix}.{op_name}".encode()] = _operation_spec(SERVICE_SPECS[name], model, op_name)
                _by_target.update(table)
    return _by_target
