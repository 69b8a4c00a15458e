"""Every process-wide patch fakehub makes, and when it makes it.

At import of ``fakehub`` (``install_handlers``):

* ``botocore.handlers.BUILTIN_HANDLERS`` gains, per faked service, a
  ``before-send.<service id>`` handler (the active hub answers the request) and a
  ``choose-signer.<service id>`` handler (``fakehub.signer``), so every botocore
  session created afterwards, and every client it makes, carries them; no other
  service pays for fakehub, and they run before moto's catch-all ``before-send``;
* boto3's default session, if one was made before fakehub was imported, gets the
  same handlers registered;
* ``botocore.auth.AUTH_TYPE_MAPS`` learns the credential-scope signer's name.

At the first activation of a hub (``on_activation``), left in place afterwards
(with no hub active each patched step does what botocore's own does; leaving them
spares every activation writes to classes, which also flush Python's caches):

* ``botocore.endpoint.Endpoint._send``: requests for a faked service from sessions
  made before fakehub was imported are answered by the active hub, never sent;
* ``botocore.endpoint.time`` and ``botocore.retries.bucket.TokenBucket._acquire``:
  retry backoff and the adaptive rate limiter sleep virtually (``fakehub.virtual_sleep``);

and, at an activation or at a faked request after the library was loaded, once each:

* aiobotocore's endpoint, backoff and rate limiter (``fakehub.aio``);
* moto's catch-all ``BotocoreStubber`` steps aside for the faked services (``fakehub.with_moto``).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import botocore.auth
import botocore.endpoint
from botocore import handlers
from botocore.endpoint import Endpoint
from botocore.retries import bucket

from . import aio, with_moto
from .active import hubs
from .hook import answer_request, is_faked
from .signer import SIGNATURE_VERSION, CredentialScopeAuth, choose_signer
from .virtual_sleep import EndpointTime, acquiring_virtually, refill_virtually, virtual_faults
from .wire.services import SERVICE_IDS, is_aws_url

BEFORE_SEND_EVENTS = tuple(f"before-send.{service_id}" for service_id in SERVICE_IDS.values())
CHOOSE_SIGNER_EVENTS = tuple(f"choose-signer.{service_id}" for service_id in SERVICE_IDS.values())

_lock = threading.Lock()
_original_send = Endpoint._send  # type: ignore[attr-defined]  # private: botocore-stubs omit it
_AIO = "aiobotocore.endpoint"


def _before_send(request: Any, **_kwargs: Any) -> Any:
    """``before-send.<faked service>``: the active hub answers (this event is the faked
    services' own, so even an operation they lack is answered)."""
    if not hubs:
        return None
    if _AIO in _LATE and _AIO in sys.modules:  # aiobotocore loaded while a hub is active:
        _patch_loaded()  # patched before this request can be retried
    return answer_request(request, faked=True)


def _guarded_send(self: Endpoint, request: Any) -> Any:
    if _taken(request):
        return answer_request(request)
    return _original_send(self, request)


def _taken(request: Any) -> bool:
    """Whether the active hub answers ``request``: a faked service's, addressed to AWS."""
    return bool(hubs) and is_faked(request) and is_aws_url(request.url)


def _install_aio(endpoint: Any) -> None:
    aio.install(endpoint, answer=_answer_if_taken, virtual_faults=virtual_faults, refill_virtually=refill_virtually)


def _answer_if_taken(request: Any) -> Any:
    return answer_request(request) if _taken(request) else None


def _install_moto(stubber: Any) -> None:
    with_moto.install(stubber, taken=_taken)


# Libraries patched once they are loaded, each once; emptied as they are.
_LATE: dict[str, Callable[[Any], None]] = {_AIO: _install_aio, "moto.core.botocore_stubber": _install_moto}


def _patch_loaded() -> None:
    for name in list(_LATE):  # a copy: another thread may empty it meanwhile
        if name in sys.modules:
            install = _LATE.pop(name, None)  # None: another thread got there first
            if install is not None:
                install(sys.modules[name])


def install_handlers() -> None:
    """The import-time patches (see the module docstring)."""
    botocore.auth.AUTH_TYPE_MAPS.setdefault(SIGNATURE_VERSION, CredentialScopeAuth)
    pairs = [
        *((event, _before_send) for event in BEFORE_SEND_EVENTS),
        *((event, choose_signer) for event in CHOOSE_SIGNER_EVENTS),
    ]
    handlers.BUILTIN_HANDLERS.extend(pairs)
    boto3 = sys.modules.get("boto3")
    default = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
    if default is not None:  # made before fakehub was imported: its future clients need the handlers too
        for event, handler in pairs:
            default._session.register(event, handler, unique_id=f"fakehub-{event}")


def on_activation() -> None:
    """The activation-time patches (see the module docstring); cheap once they are in."""
    # ``Endpoint._send``, ``botocore.endpoint.time`` and ``TokenBucket._acquire`` are private: botocore-stubs omit them.
    if Endpoint._send is not _guarded_send:  # type: ignore[attr-defined]
        with _lock:
            if Endpoint._send is not _guarded_send:  # type: ignore[attr-defined]
                Endpoint._send = _guarded_send  # type: ignore[attr-defined]
                botocore.endpoint.time = EndpointTime()  # type: ignore[attr-defined]
                bucket.TokenBucket._acquire = acquiring_virtually(bucket.TokenBucket._acquire)  # type: ignore[attr-defined]
    if _LATE:
        _patch_loaded()
