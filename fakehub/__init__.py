"""fakehub: an in-process, stateful fake of AWS Migration Hub for tests.

>>> from fakehub import mock_migrationhub
>>> with mock_migrationhub(home_region="us-west-2") as hub:
...     ...  # every boto3 mgh / migrationhub-config / discovery client is answered by ``hub``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import patching
from .active import active_hub
from .contract import ContractBreach
from .core.policy import PolicyDocumentError
from .core.snapshot import SnapshotError
from .core.state import Delays
from .hub import Hub
from .mock import mock_migrationhub
from .wire.dispatch import FakehubBug

__all__ = [
    "ContractBreach",
    "Delays",
    "FakehubBug",
    "Hub",
    "PolicyDocumentError",
    "Server",
    "SnapshotError",
    "active_hub",
    "mock_migrationhub",
    "serve",
]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from .server import Server, serve


def __getattr__(name: str) -> Any:
    """``Server`` and ``serve`` are imported on first use: the HTTP server's modules cost
    ~20 ms, which a suite that never serves over HTTP (and each pytester run) would pay."""
    if name in ("Server", "serve"):
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module 'fakehub' has no attribute {name!r}")


patching.install_handlers()
