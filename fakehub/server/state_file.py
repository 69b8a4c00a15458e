"""``python -m fakehub serve --state FILE``: the server's hub kept in a snapshot file
between runs (the format of ``hub.snapshot()``, docs/snapshots.md).

The file is read at start, if it exists, and written at a clean stop, whole or not at
all: a new file is written beside it and moved over it, so a crash while writing leaves
the previous state, never half of one.  The server owns its process's clock, so the
snapshot's clock offset is applied on restore (a test that moved the server's clock
forward finds it where it left it).
"""

from __future__ import annotations

import json
import os
import tempfile

from ..core import clock
from ..core.snapshot import SnapshotError
from ..hub import Hub, read_snapshot_document


class StateFileError(Exception):
    """The state file cannot be used: the message says why."""


def load(path: str) -> Hub | None:
    """The hub the file holds (None if it does not exist yet), after checking that the
    file can be written back at the stop."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise StateFileError(f"the folder {folder} does not exist or is not writable, so the hub could not be saved")
    if not os.path.exists(path):
        return None
    try:
        doc = read_snapshot_document(path)
        hub = Hub.from_snapshot(doc)
    except (OSError, ValueError) as error:  # SnapshotError (JSON errors included) is a ValueError
        kind = "not a snapshot fakehub can restore" if isinstance(error, SnapshotError) else "cannot be read"
        raise StateFileError(f"{kind}: {error}") from None
    clock.set_offset(doc["clock_offset"])
    return hub


def save(path: str, hub: Hub) -> None:
    """Write the hub's snapshot to ``path``, replacing what was there only once it is whole."""
    folder = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(prefix=".fakehub-state-", suffix=".json", dir=folder)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(hub.snapshot(), file, allow_nan=False)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
