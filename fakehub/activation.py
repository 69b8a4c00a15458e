"""The one way a hub becomes active: ``mock_migrationhub`` and the pytest plugin
both come through here.

An activation makes sure the process-wide patches are in (:mod:`fakehub.patching`),
sets fake credentials when the environment has none (so ``boto3.client(...)`` works,
as with moto), registers the hub (:mod:`fakehub.active`) and tells whoever watches
activations (the pytest plugin, for its failure report).  Fake credentials are
counted: overlapping activations in several threads share them, and the last one
out removes them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from . import active, patching

if TYPE_CHECKING:
    from .hub import Hub

FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}

watchers: list[Callable[[Hub], None]] = []
"""Called with each hub as it is activated (the pytest plugin keeps the test's hubs)."""

_lock = threading.Lock()
_credential_users = 0  # activations relying on the fake credentials set now
_credentials_set: list[str] = []  # what this module put into os.environ
_lingering = False  # set, with no user: kept for the next activation (see deactivate)


def activate(hub: Hub, *, fake_credentials: bool = True) -> bool:
    """Make ``hub`` the active hub; returns whether this activation uses fake credentials
    (pass that back to :func:`deactivate`)."""
    patching.on_activation()
    uses_fake = fake_credentials and _take_fake_credentials()
    active.push(hub)
    for watch in watchers:
        watch(hub)
    return uses_fake


def deactivate(hub: Hub, uses_fake_credentials: bool, *, linger: bool = False) -> None:
    """End ``hub``'s activation.  ``linger``: leave fake credentials this was the last user
    of in place for the next activation, until :func:`end_lingering` (the pytest plugin's
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
        if "AWS_ACCESS_KEY_ID" in environ or "AWS_PROFILE" in environ:
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
