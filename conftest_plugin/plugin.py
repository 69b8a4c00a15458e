"""pytest plugin: the ``fakehub`` fixture.  Importing this module is cheap: fakehub
itself (and botocore) load only when a test asks for the fixture."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def fakehub() -> Iterator[Any]:
    """A fresh, active hub for the test."""
    from fakehub import mock_migrationhub

    with mock_migrationhub() as hub:
        yield hub
