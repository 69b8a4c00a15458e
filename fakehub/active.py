"""Which hubs are active now: the one registry every in-process shell reads.

Activations nest (the innermost answers) and are shared by all threads on purpose:
a tool under test may call AWS from worker threads.  Activating a hub patches
nothing by itself; ``fakehub.activation`` does that before it registers a hub.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .hub import Hub

hubs: list[Hub] = []  # innermost activation last; read without the lock on every request
_lock = threading.Lock()


def push(hub: Hub) -> None:
    with _lock:
        hubs.append(hub)


def remove(hub: Hub) -> None:
    """End ``hub``'s innermost activation (an outer one of the same hub stays)."""
    with _lock:
        for i in range(len(hubs) - 1, -1, -1):
            if hubs[i] is hub:
                del hubs[i]
                break


def active_hub() -> Hub | None:
    """The hub answering requests now (the innermost activation), if any."""
    return hubs[-1] if hubs else None
