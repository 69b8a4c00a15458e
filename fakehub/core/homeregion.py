"""The Migration Hub home region: the ``migrationhub-config`` service and the
region gate every ``mgh`` and ``discovery`` request passes.

One control per account, kept in a store that does not depend on the request
region (the home region is a global, per-account fact).  The region rules and
every choice made where the AWS documents are silent or disagree are written up
in ``docs/home-region-and-access.md``.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .context import Call
from .errors import HOME_REGION_NOT_SET, ServiceError, invalid_input
from .paging import PageTokens

TARGET_TYPE_ACCOUNT = "ACCOUNT"
_UNDER_PYTEST = (
    " (under the pytest plugin: @pytest.mark.fakehub(home_region=...), a fakehub_home_region fixture"
    " or --fakehub-region)"
)
HOW_TO_SET = (
    f"In fakehub, set it with mock_migrationhub(home_region=...){_UNDER_PYTEST} or with migrationhub-config "
    "CreateHomeRegionControl."
)
HOW_TO_CHANGE = (
    f"In fakehub, change it with mock_migrationhub(home_region=...){_UNDER_PYTEST} or with "
    "migrationhub-config DeleteHomeRegionControl followed by CreateHomeRegionControl."
)
_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(slots=True)
class HomeRegionControl:
    """The one home-region setting of an account, as DescribeHomeRegionControls shows it."""

    control_id: str
    home_region: str
    target_type: str
    target_id: str
    requested_time: float

    def to_wire(self) -> dict[str, Any]:
        return {
            "ControlId": self.control_id,
            "HomeRegion": self.home_region,
            "Target": {"Type": self.target_type, "Id": self.target_id},
            "RequestedTime": self.requested_time,
        }


@dataclass(slots=True)
class AccountHomeRegion:
    """Per-account holder; ``control`` is ``None`` while no home region is set."""

    control: HomeRegionControl | None = None


class HomeRegionService:
    """The four ``migrationhub-config`` operations over per-account holders.

    ``accounts`` maps an account id to its ``AccountHomeRegion``; the hub
    passes its own store so the mgh core and the region gate see the same
    control.  ``supported_regions`` limits which regions can become home
    (``None`` accepts any region name the model's pattern allows).
    """

    def __init__(
        self,
        accounts: Callable[[str], AccountHomeRegion] | None = None,
        rng: random.Random | None = None,
        supported_regions: frozenset[str] | None = None,
        tokens: PageTokens | None = None,
    ) -> None:
        self._accounts = accounts or _default_store()
        self._rng = rng or random.Random()
        self._supported = supported_regions
        self._tokens = tokens or PageTokens()

    def home_region(self, account: str) -> str | None:
        """The account's home region, or ``None``: what the region gate needs."""
        control = self._accounts(account).control
        return control.home_region if control else None

    def create_home_region_control(self, call: Call, HomeRegion: str, Target: Mapping[str, Any]) -> dict[str, Any]:
        holder = self._accounts(call.account)
        self._check_region(HomeRegion)
        target_id = self._check_target(call, Target)
        if holder.control is not None:
            raise _already_set(holder.control)
        holder.control = new_control(self._rng, HomeRegion, target_id, call.now)
        return {"HomeRegionControl": holder.control.to_wire()}

    def describe_home_region_controls(
        self,
        call: Call,
        ControlId: str | None = None,
        HomeRegion: str | None = None,
        Target: Mapping[str, Any] | None = None,
        MaxResults: int | None = None,
        NextToken: str | None = None,
    ) -> dict[str, Any]:
        scope = json.dumps([call.account, "DescribeHomeRegionControls", ControlId, HomeRegion, Target], sort_keys=True)
        start = self._tokens.read(NextToken, scope, call.now) if NextToken else 0
        control = self._accounts(call.account).control
        matches = [control] if control and _matches(control, ControlId, HomeRegion, Target) else []
        end = len(matches) if MaxResults is None else start + MaxResults
        result: dict[str, Any] = {"HomeRegionControls": [c.to_wire() for c in matches[start:end]]}
        if end < len(matches):
            result["NextToken"] = self._tokens.issue(scope, end, call.now)
        return result

    def delete_home_region_control(self, call: Call, ControlId: str) -> dict[str, Any]:
        holder = self._accounts(call.account)
        if holder.control is None or holder.control.control_id != ControlId:
            raise invalid_input(
                f"No home region control {ControlId} exists for account {call.account}. "
                "DescribeHomeRegionControls lists the account's control."
            )
        holder.control = None
        return {}

    def get_home_region(self, call: Call) -> dict[str, Any]:
        """Answers from any region: clients call it to find out where home is."""
        region = self.home_region(call.account)
        return {"HomeRegion": region} if region else {}

    def _check_region(self, region: str) -> None:
        if self._supported is not None:
            check_home_region(region, self._supported)

    @staticmethod
    def _check_target(call: Call, target: Mapping[str, Any]) -> str:
        """The control always applies to the caller's own account."""
        target_id = target.get("Id")
        if target_id is not None and target_id != call.account:
            raise invalid_input(
                f"Target.Id {target_id} is not the calling account {call.account}; "
                "a home region control can only be created for the current account."
            )
        return call.account


def check_home_region(region: str, supported: frozenset[str]) -> None:
    """CreateHomeRegionControl's refusal of a region where Migration Hub has no endpoint."""
    if region not in supported:
        raise invalid_input(
            f"Migration Hub is not available in {region}, so it cannot be the home region. "
            f"Choose one of: {', '.join(sorted(supported))}."
        )


def new_control(rng: random.Random, home_region: str, account: str, now: float) -> HomeRegionControl:
    """A control as CreateHomeRegionControl makes it (id ``hrc-`` + 12 of [a-z0-9])."""
    control_id = "hrc-" + "".join(rng.choice(_ID_ALPHABET) for _ in range(12))
    return HomeRegionControl(control_id, home_region, TARGET_TYPE_ACCOUNT, account, now)


def _default_store() -> Callable[[str], AccountHomeRegion]:
    accounts: dict[str, AccountHomeRegion] = {}
    return lambda account: accounts.setdefault(account, AccountHomeRegion())


def _already_set(control: HomeRegionControl) -> ServiceError:
    return invalid_input(
        f"A home region control already exists for account {control.target_id}: "
        f"{control.control_id} (home region {control.home_region}). An account has one "
        f"home region; call DeleteHomeRegionControl with ControlId {control.control_id} "
        "before creating a new one."
    )


def _matches(
    control: HomeRegionControl,
    control_id: str | None,
    home_region: str | None,
    target: Mapping[str, Any] | None,
) -> bool:
    if control_id is not None and control.control_id != control_id:
        return False
    if home_region is not None and control.home_region != home_region:
        return False
    if target is not None:
        if target.get("Type", control.target_type) != control.target_type:
            return False
        if target.get("Id") is not None and target["Id"] != control.target_id:
            return False
    return True


# --------------------------------------------------------------------------
# The region gate for mgh and discovery requests.

#: The mgh operations added in 2024-12 whose models lack HomeRegionNotSetException.
OPS_WITHOUT_HOME_REGION_NOT_SET = frozenset(
    {"AssociateSourceResource", "DisassociateSourceResource", "ListMigrationTaskUpdates", "ListSourceResources"}
)
_READ_VERBS = ("List", "Describe", "Get")
#: "read actions (list, describe, stop, and delete) are permitted outside of your home region".
_DOCUMENTED_OUTSIDE_VERBS = ("Stop", "Delete")
HOME_REGION_NOT_SET_MESSAGE = "The home region is not set. Set the home region to continue."


@cache
def is_read(operation: str, delete_is_read: bool = True) -> bool:
    """Whether the home-region docs count ``operation`` as a read.

    List/Describe/Get are reads; so are Stop and Delete when ``delete_is_read``
    (the home-region docs list them with the reads).  A leading ``Batch`` is
    skipped so ``BatchDeleteAgents`` classifies as a delete.  Anything else
    (Create, Notify, Associate, Import, Put, Update, Start, ...) is a write.
    """
    verb_part = operation.removeprefix("Batch")
    verbs = _READ_VERBS + (_DOCUMENTED_OUTSIDE_VERBS if delete_is_read else ())
    return verb_part.startswith(verbs)


class RegionGate:
    """Decides, before the core runs, whether a call is refused for its region.

    ``reads_outside_home`` permits reads from a non-home region; off by default
    because the mgh docs themselves (the service model text and the current API
    reference) say calls outside the home region get InvalidInputException, and
    a test whose client points at the wrong region should fail loudly.  The
    wire layer may build a permissive gate for ``discovery``, whose docs say
    reads are permitted.  ``delete_is_read`` follows the home-region docs'
    "read actions (list, describe, stop, and delete)".
    """

    def __init__(self, reads_outside_home: bool = False, delete_is_read: bool = True) -> None:
        self._reads_outside_home = reads_outside_home
        self._delete_is_read = delete_is_read

    def __call__(
        self, operation: str, models_home_region_not_set: bool, home_region: str | None, request_region: str
    ) -> ServiceError | None:
        if home_region is None:
            return _not_set(operation, models_home_region_not_set)
        if request_region == home_region:
            return None
        if self._reads_outside_home and is_read(operation, self._delete_is_read):
            return None
        return invalid_input(
            f"{operation} was called in {request_region}, but the Migration Hub home region "
            f"of this account is {home_region}. Make the call in {home_region}. {HOW_TO_CHANGE}"
        )


def _not_set(operation: str, models_home_region_not_set: bool) -> ServiceError:
    hint = f"{HOME_REGION_NOT_SET_MESSAGE} {HOW_TO_SET}"
    if models_home_region_not_set:
        return ServiceError(HOME_REGION_NOT_SET, hint)
    return invalid_input(f"{operation} cannot be used while the home region is not set. {hint}")


DEFAULT_GATE = RegionGate()


def region_gate(
    operation: str, models_home_region_not_set: bool, home_region: str | None, request_region: str
) -> ServiceError | None:
    """The default gate (reads outside the home region refused); see ``RegionGate``."""
    return DEFAULT_GATE(operation, models_home_region_not_set, home_region, request_region)
