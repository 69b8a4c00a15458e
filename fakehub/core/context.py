"""Who is calling, from where, and when: the facts the wire layer hands to the core."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Call:
    """One request, as the core sees it.

    ``account`` comes from the caller's access key, ``region`` from the region
    the request was signed for, ``now`` from ``fakehub.core.clock.now``
    read once when the request arrived (so one call sees one instant).
    """

    account: str
    region: str
    now: float
    access_key: str = ""  # the caller's policies are attached to it
