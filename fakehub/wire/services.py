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
    page_size: int | None  # the model's largest MaxResults, used when the caller sends none


def _operation_spec(service: ServiceSpec, model: Any, name: str) -> OperationSpec:
    op = model.operation_model(name)
    members = op.input_shape.members if op.input_shape is not None else {}
    max_results = members.get("MaxResults") or members.get("maxResults")
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
    )


_lock = threading.Lock()
_by_target: dict[bytes, OperationSpec] = {}


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
