"""The one way a hub becomes active: ``mock_migrationhub`` and the pytest plugin
both come through here.

An activation makes sure the process-wide patches are in (``fakehub.patching``),
sets fake credentials when the environment has none (so ``boto3.client(...)`` works,
as with moto), registers the hub (``fakehub.active``) and tells whoever watches
activations (the pytest plugin, for its failure report).  Fake credentials are
counted: overlapping activations in several threads share them, and the last one
out removes them.

"Credentials configured" means what botocore would find without asking the network:
``AWS_ACCESS_KEY_ID``, a profile named by ``AWS_PROFILE``/``AWS_DEFAULT_PROFILE``, or a
``default`` profile that holds credentials in the shared credentials or config file.  The
files are read once per process for each set of paths (the environment variables that
name them), not on every activation: activation runs per test.
"""

from __future__ import annotations

import configparser
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from . import active, patching

if TYPE_CHECKING:
    from .hub import Hub

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
PROFILE_VARIABLES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")  # botocore reads both
CREDENTIAL_SETTINGS = frozenset(
    # A profile with any of these gives botocore credentials: static keys, an assumed role
    # (source_profile, credential_source or a web identity), SSO, or an external process.
    {"aws_access_key_id", "role_arn", "credential_process", "sso_session", "sso_start_url"}
)
_HOME = "USERPROFILE" if os.name == "nt" else "HOME"  # what os.path.expanduser reads

watchers: list[Callable[[Hub], None]] = []
"""Called with each hub as it is activated (the pytest plugin keeps the test's hubs)."""

_lock = threading.Lock()
_credential_users = 0  # activations relying on the fake credentials set now
_credentials_set: list[str] = []  # what this module put into os.environ
_lingering = False  # set, with no user: kept for the next activation (see deactivate)
_files_checked: dict[tuple[str | None, str | None, str | None], bool] = {}  # paths -> credentials in them


def activate(hub: Hub, *, fake_credentials: bool = True) -> bool:
    """Make ``hub`` the active hub; returns whether this activation uses fake credentials
    (pass that back to ``deactivate``)."""
    patching.on_activation()
    uses_fake = fake_credentials and _take_fake_credentials()
    active.push(hub)
    for watch in watchers:
        watch(hub)
    return uses_fake


def deactivate(hub: Hub, uses_fake_credentials: bool, *, linger: bool = False) -> None:
    """End ``hub``'s activation.  ``linger``: leave fake credentials this was the last user
    of in place for the next activation, until ``end_lingering`` (the pytest plugin's
    way to spare back-to-back hub tests ~10 us of ``os.environ`` writes each; it ends them
    before any test that does not use a hub)."""
    active.remove(hub)
    if uses_fake_credentials:
        _release_fake_credentials(linger)


def end_lingering() -> None:
    """Remove fake credentials left in place by ``deactivate(..., linger=True)``."""
    global _lingering
    with _lock:
        if _lingering:
            _lingering = False
            _remove_fake_credentials()


def _take_fake_credentials() -> bool:
    global _credential_users, _lingering
    environ = os.environ
    with _lock:
        if _credential_users:
            _credential_users += 1
            return True
        if _lingering:
            _lingering = False
            if environ.get("AWS_ACCESS_KEY_ID") == FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"]:  # still ours
                _credential_users = 1
                return True
            _credentials_set.clear()  # changed meanwhile: they are someone else's now
        if _credentials_configured(environ):
            return False  # the user's own credentials are never overridden
        _credentials_set[:] = [name for name in FAKE_CREDENTIALS if name not in environ]
        for name in _credentials_set:
            environ[name] = FAKE_CREDENTIALS[name]
        _credential_users = 1
        return True


def _release_fake_credentials(linger: bool) -> None:
    global _credential_users, _lingering
    with _lock:
        _credential_users -= 1
        if _credential_users:
            return
        if linger:
            _lingering = True
        else:
            _remove_fake_credentials()


def _remove_fake_credentials() -> None:
    environ = os.environ
    for name in _credentials_set:
        if environ.get(name) == FAKE_CREDENTIALS[name]:  # unless the test put its own there meanwhile
            del environ[name]
    _credentials_set.clear()


def _credentials_configured(environ: Mapping[str, str]) -> bool:
    """Whether botocore would find the user's own credentials (the network aside)."""
    variables, (key_id, profile, default_profile, credentials_file, config_file, home) = _variables(environ)
    if key_id in variables or profile in variables or default_profile in variables:
        return True
    paths = (variables.get(credentials_file), variables.get(config_file), variables.get(home))
    found = _files_checked.get(paths)
    if found is None:
        if len(_files_checked) > 64:  # a suite that makes a HOME per test: keep the cache small
            _files_checked.clear()
        found = _default_profile_has_credentials(environ.get(_WATCHED[3]), environ.get(_WATCHED[4]))
        _files_checked[paths] = found
    return found


_WATCHED = ("AWS_ACCESS_KEY_ID", *PROFILE_VARIABLES, "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", _HOME)
_ENCODE_KEY = getattr(os.environ, "encodekey", None)
_ENCODED = tuple(_ENCODE_KEY(name) for name in _WATCHED) if _ENCODE_KEY is not None else _WATCHED


def _variables(environ: Mapping[str, str]) -> tuple[Mapping[Any, Any], tuple[Any, ...]]:
    """The mapping to look the watched variables up in, and their keys there: ``os.environ``'s
    own dict where it has one (CPython's and PyPy's ``os._Environ`` keep the encoded variables
    in ``_data``), since a miss in ``os.environ`` itself raises and catches ``KeyError`` twice.
    The variables are usually unset, so this is most of the check's cost (6 misses measured on
    a loaded 2-core machine: 11 us through ``os.environ``, 0.4 us in its dict)."""
    data = getattr(environ, "_data", None)
    if type(data) is dict and _ENCODE_KEY is not None and getattr(environ, "encodekey", None) is _ENCODE_KEY:
        return data, _ENCODED
    return environ, _WATCHED


def _default_profile_has_credentials(credentials_file: str | None, config_file: str | None) -> bool:
    """Whether the ``default`` profile of the shared files holds credentials, read as
    botocore reads them (``[default]`` in the credentials file; ``[default]`` or
    ``[profile default]`` in the config file)."""
    sources = (
        (credentials_file or "~/.aws/credentials", ("default",)),
        (config_file or "~/.aws/config", ("default", "profile default")),
    )
    for path, sections in sources:
        parser = configparser.RawConfigParser()
        try:
            parser.read(os.path.expanduser(path))
        except (configparser.Error, UnicodeDecodeError):
            continue  # botocore refuses it too (ConfigParseError): no credentials to keep
        for section in sections:
            if parser.has_section(section) and not CREDENTIAL_SETTINGS.isdisjoint(parser.options(section)):
                return True
    return False
