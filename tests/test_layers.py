"""The architecture holds: each module imports only the layers below it
(docs/architecture.md), and what tells a faked request apart matches the models."""

from __future__ import annotations

import ast
from pathlib import Path

import botocore.session
import pytest

from fakehub.wire import services

ROOT = Path(__file__).resolve().parent.parent

# Module (or package prefix) -> layer.  A module may import its own group and lower layers.
LAYERS = {
    "fakehub.core": 0,
    "fakehub.wire": 1,
    "fakehub.faults": 2,
    "fakehub.journal": 2,
    "fakehub.contract": 3,
    "fakehub.console": 3,
    "fakehub.hub": 4,
    "fakehub.active": 5,
    "fakehub.hook": 6,
    "fakehub.signer": 6,
    "fakehub.virtual_sleep": 6,
    "fakehub.aio": 6,
    "fakehub.with_moto": 6,
    "fakehub.server": 6,  # the HTTP shell: app, control API, SigV4 checks, command line
    "fakehub.patching": 7,
    "fakehub.activation": 8,
    "fakehub.mock": 9,
    "fakehub": 10,  # the package's __init__: the public surface
    "fakehub.strategies": 11,
    "fakehub.demo": 11,
    "fakehub.conformance": 12,
    "fakehub.__main__": 13,
    "pytest_fakehub": 13,  # conftest_plugin/, installed under that name
}
# Third-party packages a layer must not touch: the core is pure.
FORBIDDEN = {"fakehub.core": ("botocore", "boto3", "hypothesis", "pytest", "moto")}


def group(module: str) -> str:
    """The LAYERS entry a module belongs to (the longest matching prefix)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in LAYERS and (name != "fakehub" or module == "fakehub"):  # a new fakehub module needs its own
            return name
    raise KeyError(f"{module} has no layer: add it to LAYERS in tests/test_layers.py and docs/architecture.md")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "fakehub").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    for path in sorted((ROOT / "conftest_plugin").glob("*.py")):
        name = "pytest_fakehub" + ("" if path.stem == "__init__" else f".{path.stem}")
        found[name] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(module: str, source: str, is_package: bool = False) -> list[tuple[int, str]]:
    """(line, imported module) for every import in ``source``, at any depth (function
    bodies included), except under ``if TYPE_CHECKING:``."""
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if node.level and node.module is None:  # from . import a, b: each is a module
                found.extend((node.lineno, f"{prefix}.{alias.name}") for alias in node.names)
            else:
                found.append((node.lineno, prefix))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return found


def violations(module: str, source: str, is_package: bool = False) -> list[str]:
    own = group(module)
    out = []
    for line, target in imports(module, source, is_package):
        top = target.split(".")[0]
        if top in FORBIDDEN.get(own, ()):
            out.append(f"{module}:{line} imports {target}: {own} must not use {top}")
        if top not in ("fakehub", "pytest_fakehub", "conftest_plugin"):
            continue
        if top == "conftest_plugin":
            target = "pytest_fakehub" + target[len("conftest_plugin") :]
        try:
            other = group(target)
        except KeyError:  # ``from . import Name``: a name the package defines, not a module
            other = group(target.rpartition(".")[0])
        if other != own and LAYERS[other] >= LAYERS[own]:
            out.append(f"{module}:{line} imports {target} (layer {LAYERS[other]}) from layer {LAYERS[own]}")
    return out


def test_every_module_imports_only_layers_below_it() -> None:
    found = []
    for module, path in modules().items():
        found += violations(module, path.read_text(encoding="utf-8"), path.name == "__init__.py")
    assert not found, "\n".join(found)


def test_the_check_catches_an_upward_import_also_inside_a_function() -> None:
    source = "from ..hook import is_faked\ndef f():\n    from .. import hub\n"
    assert violations("fakehub.wire.dispatch", source) == [
        "fakehub.wire.dispatch:1 imports fakehub.hook (layer 6) from layer 1",
        "fakehub.wire.dispatch:3 imports fakehub.hub (layer 4) from layer 1",
    ]
    assert violations("fakehub.core.state", "import botocore.session\n") == [
        "fakehub.core.state:1 imports botocore.session: fakehub.core must not use botocore"
    ]
    # A sibling shell is not "below": shells never reach into each other.
    assert violations("fakehub.hook", "from . import signer\n") == [
        "fakehub.hook:1 imports fakehub.signer (layer 6) from layer 6"
    ]


def test_type_checking_imports_are_excepted() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .hub import Hub\n"
    assert violations("fakehub.contract", source) == []


def test_every_module_has_a_layer() -> None:
    for module in modules():
        group(module)


@pytest.mark.parametrize("service", services.SERVICES)
def test_the_faked_request_identity_matches_the_models(service: str) -> None:
    model = botocore.session.get_session().get_service_model(service)
    assert services.TARGET_PREFIXES[service] == model.metadata["targetPrefix"]
    assert services.SERVICE_IDS[service] == model.service_id.hyphenize()
    for op in model.operation_names:
        assert services.is_faked_target(f"{model.metadata['targetPrefix']}.{op}")
    assert not services.is_faked_target("secretsmanager.ListSecrets")
    assert not services.is_faked_target(None)


@pytest.mark.parametrize("service", services.SERVICES)
def test_regions_read_from_the_endpoint_data_excerpt_match_botocores_own_lookup(service: str) -> None:
    session = botocore.session.get_session()
    expected = session.get_available_regions(service) or session.get_available_regions("mgh")
    assert services.regions(service) == frozenset(expected)
    assert services._aws_partition_excerpt() is not None  # the fast path, not the fallback, answered
