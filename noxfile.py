"""The version matrix: ``nox -l`` lists the sessions, the README says which passed.

* ``tests-3.10`` … ``tests-3.13``: the suite on each supported Python, newest releases of everything;
* ``newest``: the same on the newest supported Python, every package upgraded;
* ``lowest``: the lowest supported Python with every dependency (and the build backend) at the
  lower bound pyproject.toml declares, pinned from pyproject by ``lower_bounds()``;
* ``sdist``: the suite run from an unpacked sdist, fakehub installed from it (not editable);
* ``wheel``: a user's install, the wheel with the user-facing extras only, outside this tree.

Each environment installs this checkout's fakehub, never another copy. Interpreters are found on
PATH (``python3.10`` …) or, failing that, in pyenv's versions folder even where pyenv's shims do
not answer for them. ``uv`` (from PyPI) makes the environments; ``pip install nox uv``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sys
import tarfile
import tempfile
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - nox itself on 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
SUITE = ("python", "-m", "pytest", "-q", "-p", "no:cacheprovider")
# pytester's runs must happen outside the checkout: under it (nox's own TMPDIR is
# .nox/<session>/tmp), pytest 8.0 takes the checkout's pyproject.toml for theirs.
OUTSIDE = {"TMPDIR": tempfile.gettempdir()}

nox.options.default_venv_backend = "uv"
nox.options.error_on_missing_interpreters = True  # a missing Python fails, never skips
nox.options.sessions = ["tests", "lowest", "sdist", "wheel"]
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")  # only interpreters this machine has


def _expose_pyenv_pythons() -> None:
    """Put ``python3.X`` of every pyenv version on PATH (pyenv's shims answer only for the
    versions ``pyenv global`` names, and nox would skip the others as missing)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    links = ROOT / ".nox" / "_pythons"
    found = False
    for version in PYTHONS:
        if shutil.which(f"python{version}") and not _is_pyenv_shim(shutil.which(f"python{version}")):
            continue
        candidates = sorted(glob.glob(str(root / "versions" / f"{version}.*" / "bin" / f"python{version}")))
        if candidates:
            links.mkdir(parents=True, exist_ok=True)
            link = links / f"python{version}"
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(candidates[-1])
            found = True
    if found:
        os.environ["PATH"] = f"{links}{os.pathsep}{os.environ.get('PATH', '')}"


def _is_pyenv_shim(path: str | None) -> bool:
    return path is not None and f"{os.sep}shims{os.sep}" in path


_expose_pyenv_pythons()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirements(extra: str) -> list[Requirement]:
    """fakehub's own requirements plus one extra's, with extras that name fakehub expanded."""
    project = _pyproject()["project"]
    optional = project.get("optional-dependencies", {})
    found: list[Requirement] = [Requirement(r) for r in project["dependencies"]]
    todo, seen = [extra], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in optional[name]:
            req = Requirement(line)
            if canonicalize_name(req.name) == canonicalize_name(project["name"]):
                todo.extend(req.extras)
            else:
                found.append(req)
    return found


def lower_bounds(requirements: list[Requirement]) -> dict[str, str]:
    """``name -> version`` of each requirement's ``>=`` bound. Every requirement must have
    one: a dependency without a lower bound has no lowest version to test."""
    bounds: dict[str, str] = {}
    for req in requirements:
        lows = [spec.version for spec in req.specifier if spec.operator == ">="]
        if len(lows) != 1:
            raise ValueError(f"{req}: every dependency declares exactly one lower bound (>=)")
        name = canonicalize_name(req.name)
        if bounds.get(name, lows[0]) != lows[0]:
            raise ValueError(f"{name}: two different lower bounds, {bounds[name]} and {lows[0]}")
        bounds[name] = lows[0]
    return bounds


def _write_pins(session: nox.Session, name: str, bounds: dict[str, str]) -> Path:
    path = Path(session.create_tmp()).resolve() / name
    path.write_text("".join(f"{pkg}=={version}\n" for pkg, version in sorted(bounds.items())))
    session.log(f"{name}: " + ", ".join(f"{pkg}=={version}" for pkg, version in sorted(bounds.items())))
    return path


def _report(session: nox.Session) -> None:
    """Which versions ran, and which fakehub (this checkout's, or the one installed from the sdist)."""
    session.run("uv", "pip", "list", "--python", session.virtualenv.location, silent=False)
    session.run(
        "python",
        "-c",
        "import fakehub, pytest_fakehub.plugin as p; "
        "print('fakehub from', fakehub.__file__); print('plugin from', p.__file__)",
    )


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite on one Python, newest releases of everything (editable install)."""
    session.install("-e", ".[test]")
    _report(session)
    session.run(*SUITE, *session.posargs, env=OUTSIDE)


@nox.session(python=PYTHONS[-1])
def newest(session: nox.Session) -> None:
    """The suite on the newest supported Python with every package at its newest release."""
    session.install("--upgrade", "--refresh", "-e", ".[test]")
    _report(session)
    session.run(*SUITE, *session.posargs, env=OUTSIDE)


@nox.session(python=PYTHONS[-1], name="newest-botocore")
def newest_botocore(session: nox.Session) -> None:
    """The newest botocore and boto3, which the newest aiobotocore does not accept yet (it caps
    botocore, so ``newest`` gets an older one): what a user without aiobotocore installs.
    aiobotocore is left out, and only its own tests with it; they run in every other session."""
    session.install("--upgrade", "--refresh", "-e", ".[test]")
    session.run("uv", "pip", "uninstall", "--python", session.virtualenv.location, "aiobotocore")
    session.install("--upgrade", "--refresh", "botocore", "boto3", "awscli")
    _report(session)
    session.run(
        *SUITE,
        "--ignore=tests/test_aiobotocore.py",
        "--deselect=tests/test_examples.py::test_example_runs[async_tool.py]",
        # The docs' test blocks run in one pytester session, docs/aiobotocore.md's among them.
        "--deselect=tests/test_docs.py::test_the_test_blocks_pass",
        *session.posargs,
        env=OUTSIDE,
    )


@nox.session(python=PYTHONS[0])
def lowest(session: nox.Session) -> None:
    """The suite with each declared dependency at its lower bound, on the lowest Python; the
    build backend at its lower bound too. The pins come from pyproject.toml, nowhere else."""
    pins = _write_pins(session, "lowest.txt", lower_bounds(_requirements("test")))
    build = _write_pins(
        session, "lowest-build.txt", lower_bounds([Requirement(r) for r in _pyproject()["build-system"]["requires"]])
    )
    session.install("--constraints", str(pins), "--build-constraints", str(build), "-e", ".[test]")
    _report(session)
    session.run(*SUITE, *session.posargs, env=OUTSIDE)


@nox.session(python=PYTHONS[-1])
def sdist(session: nox.Session) -> None:
    """Build the sdist, install fakehub from it (a wheel built from the sdist, not editable) and
    run the suite from the unpacked sdist."""
    tmp = Path(session.create_tmp()).resolve()
    shutil.rmtree(tmp / "dist", ignore_errors=True)
    session.run("uv", "build", "--sdist", "--out-dir", str(tmp / "dist"), str(ROOT))
    [archive] = (tmp / "dist").glob("fakehub-*.tar.gz")
    unpacked = tmp / "unpacked"
    shutil.rmtree(unpacked, ignore_errors=True)
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    [tree] = unpacked.iterdir()
    session.install(f"{tree}[test]")
    session.chdir(tree)
    _report(session)
    session.run(*SUITE, *session.posargs, env=OUTSIDE)


@nox.session(python=PYTHONS[-1])
def wheel(session: nox.Session) -> None:
    """A user's install: the wheel with the boto3 and hypothesis extras and pytest, nothing of the
    suite's; the documented plugin example and the conformance suite run in a folder outside
    this tree, and importing the plugin loads no botocore."""
    tmp = Path(session.create_tmp()).resolve()
    shutil.rmtree(tmp / "dist", ignore_errors=True)
    session.run("uv", "build", "--wheel", "--out-dir", str(tmp / "dist"), str(ROOT))
    [built] = (tmp / "dist").glob("fakehub-*.whl")
    session.install(f"fakehub[boto3,hypothesis] @ {built.as_uri()}", "pytest")
    project = tmp / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir()
    shutil.copy(ROOT / "examples" / "test_plugin_fixtures.py", project)
    (project / "conftest_plugin.py").write_text("# a project's own module of this name must not matter\n")
    session.chdir(project)
    session.run(
        "python",
        "-c",
        "import sys, pytest_fakehub.plugin; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'boto3', 'botocore', 'fakehub'}); "
        "assert not loaded, loaded; print('plugin import loads no botocore')",
    )
    env = {
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_plugin_fixtures.py", env=env)
    session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "--pyargs", "fakehub.conformance", env=env)
