"""How requests reach the active hub: botocore's ``before-send`` event.

At import, fakehub adds one handler per faked service to botocore's built-in
handlers, so every botocore session created afterwards (boto3's default
session, custom sessions, the AWS CLI's) and every client they make carry it,
whether the client was made before or after a mock is activated.  The events
are the narrow ``before-send.<service id>`` ones: no other service pays for
fakehub, and the handler runs before moto's catch-all ``before-send`` handler.

A second handler per service, on ``choose-signer``, spares those requests
SigV4's HMAC work while a hub is active (:mod:`fakehub.signer`).

Sessions created before fakehub was imported lack the handlers; for those,
``Endpoint._send`` (botocore's last step before the network) is guarded from
the first activation on, so that while a hub is active their requests for a
faked service are answered by the hub too, and can never reach AWS.  aiobotocore's
own endpoint is guarded the same way once it is loaded (:mod:`fakehub.aio`).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from botocore import handlers
from botocore.endpoint import Endpoint

from . import aio, with_moto
from .signer import SIGNATURE_VERSION

if TYPE_CHECKING:
    from .hub import Hub

# botocore's ServiceId.hyphenize() of mgh, migrationhub-config and discovery.
EVENTS = (
    "before-send.migration-hub",
    "before-send.migrationhub-config",
    "before-send.application-discovery-service",
)
_TARGET_PREFIXES = (b"AWSMigrationHub.", b"AWSMigrationHubMultiAccountService.", b"AWSPoseidonService_V2015_11_01.")

_active: list[Hub] = []  # innermost activation last; shared by all threads on purpose
_lock = threading.Lock()
_original_send = Endpoint._send


def _on_before_send(request: Any, **_kwargs: Any) -> Any:
    if _active:
        if _AIO in _INTEROP and _AIO in sys.modules:  # aiobotocore loaded while a hub is active:
            _patch_loaded()  # patched before this request can be retried (moto's patch only matters
            # for clients without this handler, so activation is soon enough for it)
        hub = _active[-1]
        response = hub.handle(request)
        if response is None:  # this event is one of the faked services' own: an operation they lack
            response = hub.handle(request, faked=True)
        return response
    return None


# Libraries fakehub steps around once they are loaded, each patched once: aiobotocore's own
# endpoint (fakehub.aio) and moto's catch-all handler (fakehub.with_moto).  Emptied as they are.
_AIO = "aiobotocore.endpoint"
_INTEROP: dict[str, Callable[[Any], None]] = {
    _AIO: aio.install,
    "moto.core.botocore_stubber": with_moto.install,
}


def _patch_loaded() -> None:
    for name in list(_INTEROP):  # a copy: another thread may empty it meanwhile
        if name in sys.modules:
            install = _INTEROP.pop(name, None)  # None: another thread got there first
            if install is not None:
                install(sys.modules[name])


def _choose_signer(signature_version: Any = None, **_kwargs: Any) -> str | None:
    """While a hub is active, requests for the faked services carry only their
    credential scope instead of a SigV4 signature (see :mod:`fakehub.signer`)."""
    if _active and signature_version == "v4":
        return SIGNATURE_VERSION
    return None


def is_faked(request: Any) -> bool:
    """Whether a prepared request is for one of the faked services."""
    target = request.headers.get("X-Amz-Target")
    if isinstance(target, str):
        target = target.encode()
    return bool(target) and target.startswith(_TARGET_PREFIXES)


def _guarded_send(self: Endpoint, request: Any) -> Any:
    if _active and is_faked(request):
        return _active[-1].handle(request)
    return _original_send(self, request)


def _install() -> None:
    for event in EVENTS:
        handlers.BUILTIN_HANDLERS.append((event, _on_before_send))
        handlers.BUILTIN_HANDLERS.append((event.replace("before-send", "choose-signer"), _choose_signer))
    boto3 = sys.modules.get("boto3")
    default = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
    if default is not None:  # made before fakehub was imported: its future clients need the handler too
        for event in EVENTS:
            default._session.register(event, _on_before_send, unique_id=f"fakehub-{event}")
            signer_event = event.replace("before-send", "choose-signer")
            default._session.register(signer_event, _choose_signer, unique_id=f"fakehub-{signer_event}")


def activate(hub: Hub) -> None:
    with _lock:
        if Endpoint._send is not _guarded_send:
            # Installed at the first activation and left in place: with no hub active the guard
            # is one list check before botocore's own send, and leaving it spares every
            # activation two writes to a class (which also flush Python's attribute caches).
            Endpoint._send = _guarded_send  # type: ignore[method-assign]
        if _INTEROP:
            _patch_loaded()
        _active.append(hub)


def deactivate(hub: Hub) -> None:
    with _lock:
        for i in range(len(_active) - 1, -1, -1):
            if _active[i] is hub:
                del _active[i]
                break


def active_hub() -> Hub | None:
    """The hub answering requests now (the innermost activation), if any."""
    return _active[-1] if _active else None


_install()
