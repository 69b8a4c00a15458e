"""moto side by side with fakehub.

botocore calls every ``before-send`` handler of a request and keeps the first answer.
A client made before fakehub was imported carries moto's catch-all handler but not
fakehub's, so while ``mock_aws()`` is active moto would answer its Migration Hub
requests (a 404 "not yet implemented") before fakehub's guard on botocore's send
could.  Once moto is loaded, ``fakehub.patching`` calls ``install`` so that
moto's handler answers nothing for the requests fakehub takes: they reach fakehub,
whatever the client.  (For clients that carry fakehub's handler, which runs first,
this only spares moto's handler its work: its answer was ignored anyway.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def install(stubber: Any, *, taken: Callable[[Any], bool]) -> None:
    """Patch moto, given its loaded ``moto.core.botocore_stubber`` module; ``taken(request)``
    says whether fakehub answers the request (a hub is active and it is for a faked service)."""
    stubber_class = getattr(stubber, "BotocoreStubber", None)
    if stubber_class is None:  # a moto without it: nothing to step around
        return
    original = stubber_class.__call__

    def __call__(self: Any, event_name: str, request: Any, **kwargs: Any) -> Any:  # noqa: N807 - becomes the method
        if taken(request):
            return None
        return original(self, event_name, request, **kwargs)

    stubber_class.__call__ = __call__
