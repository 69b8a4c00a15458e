"""fakehub: an in-process, stateful fake of AWS Migration Hub for tests.

>>> from fakehub import mock_migrationhub
>>> with mock_migrationhub(home_region="us-west-2") as hub:
...     ...  # every boto3 mgh / migrationhub-config / discovery client is answered by ``hub``
"""

from __future__ import annotations

from .core.state import Delays
from .hook import active_hub
from .hub import Hub
from .mock import mock_migrationhub

__all__ = ["Delays", "Hub", "active_hub", "mock_migrationhub"]
__version__ = "0.1.0"
