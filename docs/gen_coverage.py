"""Writes the site's coverage page at build time (run by mkdocs-gen-files, see mkdocs.yml).

Every operation of botocore's models of the three faked services, with its status as fakehub
itself answers it: an operation is implemented when the hub's core service has a method for it,
otherwise the hub answers it with its refusing stub (the code of that refusal is shown). Nothing
here is a hand list, so the page follows botocore and fakehub as they change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import botocore
import mkdocs_gen_files

from fakehub import Hub
from fakehub.core.errors import ServiceError
from fakehub.hub import _not_implemented
from fakehub.wire.services import SERVICES, OperationSpec, by_target, service_model

PAGE = "coverage.md"
IMPLEMENTED = "implemented"
NOT_IMPLEMENTED = "not implemented"


@dataclass(frozen=True)
class Row:
    operation: str
    method: str  # boto3's name for it
    status: str  # IMPLEMENTED or NOT_IMPLEMENTED
    refusal: str | None  # the error code a not-implemented operation is answered with


def is_refusing_stub(answer: Callable[..., Any], spec: OperationSpec) -> bool:
    """Whether the hub answers the operation with its not-implemented stub: every stub is the
    same function (one code object), made for its operation."""
    return getattr(answer, "__code__", None) is _not_implemented(spec).__code__


def refusal_code(stub: Callable[..., Any]) -> str:
    """The error code the stub answers with: what a tool calling the operation gets."""
    try:
        stub(None)
    except ServiceError as refused:
        return refused.code
    raise AssertionError("a not-implemented stub answered")  # pragma: no cover - a fakehub bug


def row(hub: Hub, spec: OperationSpec) -> Row:
    answer = hub.operation(spec)
    if is_refusing_stub(answer, spec):
        return Row(spec.name, spec.method, NOT_IMPLEMENTED, refusal_code(answer))
    return Row(spec.name, spec.method, IMPLEMENTED, None)


def rows_by_service() -> dict[str, list[Row]]:
    hub = Hub(home_region=None)
    found: dict[str, list[Row]] = {name: [] for name in SERVICES}
    for spec in by_target().values():
        found[spec.service.name].append(row(hub, spec))
    return {name: sorted(rows, key=lambda r: r.operation) for name, rows in found.items()}


def status_cell(r: Row) -> str:
    if r.status == IMPLEMENTED:
        return f"✅ {IMPLEMENTED}"
    return f"❌ {NOT_IMPLEMENTED} (answers `{r.refusal}`)"


def service_section(name: str, rows: list[Row]) -> Iterable[str]:
    model = service_model(name)
    done = sum(r.status == IMPLEMENTED for r in rows)
    yield f"## {model.metadata['serviceFullName']} (`{name}`) {{#{name}}}"
    yield ""
    yield f"API version {model.api_version}: **{done} of {len(rows)}** operations implemented."
    yield ""
    yield "| operation | boto3 method | status |"
    yield "|---|---|---|"
    for r in rows:
        yield f"| {r.operation} | `{r.method}` | {status_cell(r)} |"
    yield ""


def page() -> str:
    sections = rows_by_service()
    lines = [
        "# Coverage",
        "",
        f"Every operation of botocore {botocore.__version__}'s models of the three services, and whether",
        "fakehub implements it. This page is generated when the site is built, from the models and",
        "from the hub itself (`docs/gen_coverage.py`): an operation is implemented when the hub's",
        "core service answers it. An operation fakehub does not implement is still validated",
        "against the model and answered with a modeled error (shown), never sent to AWS. What each",
        "implemented operation does, and every inferred behaviour, is in",
        "[operations and behaviour](operations.md).",
        "",
    ]
    for name, rows in sections.items():
        lines.extend(service_section(name, rows))
    return "\n".join(lines)


with mkdocs_gen_files.open(PAGE, "w") as out:
    out.write(page())
