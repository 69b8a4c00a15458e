"""moto side by side with fakehub.

botocore calls every ``before-send`` handler of a request and keeps the first answer.
A client made before fakehub was imported carries moto's catch-all handler but not
fakehub's, so while ``mock_aws()`` is active moto would answer its Migration Hub
requests (a 404 "not yet implemented") before fakehub's guard on botocore's send
could.  Once moto is loaded, the first activation or request after it makes moto's handler
answer nothing for the faked services while a hub is active: their requests reach
fakehub, whatever the client.  (For clients that carry fakehub's handler, which runs
first, this only spares moto's handler its work: its answer was ignored anyway.)
"""

from __future__ import annotations

from typing import Any


def install(stubber: Any) -> None:
    """Patch moto, given its loaded ``moto.core.botocore_stubber`` (fakehub.hook calls this
    once, at the first activation or request after moto is loaded)."""
    stubber_class = getattr(stubber, "BotocoreStubber", None)
    if stubber_class is None:  # a moto without it: nothing to step around
        return
    from .hook import _active, is_faked

    original = stubber_class.__call__

    def __call__(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:
        if _active and is_faked(request):
            return None
        return original(self, event_name, request, **kwargs)

    stubber_class.__call__ = __call__
