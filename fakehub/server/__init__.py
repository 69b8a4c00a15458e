"""Server mode: the same hub over HTTP, for migration tools written in any language.

``fakehub.serve()`` starts a loopback HTTP/1.1 server in a thread that answers AWS's JSON 1.1
requests (``POST /``, ``X-Amz-Target``, SigV4 ``Authorization``) with the hub's own
dispatcher, the one the in-process botocore hook uses, plus a control API under
``/_fakehub/`` and the console at ``GET /``.  ``python -m fakehub serve`` runs one in its
own process (``fakehub.server.cli``).
"""

from __future__ import annotations

from .app import Server, serve

__all__ = ["Server", "serve"]
