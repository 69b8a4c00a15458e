"""One table-driven path from a botocore request to a core call and back.

Order of checks, the same for every operation: the region has the service →
signature present → the request satisfies the service model → home-region
gate → DryRun → the operation itself.  Pending asynchronous work that has fallen due is applied
first, so every answer reflects the clock at the moment of the call.
"""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import EndpointConnectionError

from ..core import clock
from ..core.context import Call
from ..core.errors import (
    ACCESS_DENIED,
    DRY_RUN_OPERATION,
    DRY_RUN_SUCCESS_MESSAGE,
    INVALID_INPUT,
    POLICY_ERROR,
    UNAUTHORIZED_OPERATION,
    ServiceError,
)
from ..core.policy import Decision, PolicySet, denial, iam_action, resources_for
from .identity import account_for, signer
from .protocol import answer, encode, error_body, request_id
from .services import OperationSpec, by_target
from .validation import format_violations

if TYPE_CHECKING:
    from ..hub import Hub

# Migration Hub codes the core raises, and the ServiceSpec field naming each service's own word for them.
_GENERIC = {INVALID_INPUT: "invalid_input", ACCESS_DENIED: "access_denied"}
_NO_DISCOVERY_ROLE = (
    "Migration Hub cannot access the Application Discovery Service: the migrationhub-discovery role is missing "
    "or not configured correctly. In fakehub, this is hub.discovery_role = False; set it to True to restore access."
)


class FakehubBug(AssertionError):
    """The fake tried to answer with something the service model does not allow
    (an error code not modeled for the operation): a bug in fakehub, raised in
    the test instead of being hidden from it."""


class Dispatcher:
    __slots__ = ("_hub", "_table", "_request_ids")

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._table = by_target()
        self._request_ids = itertools.count(1)

    def handle(self, request: AWSPreparedRequest) -> AWSResponse | None:
        """The answer to ``request``, or None when it is not for a faked service."""
        spec = self._table.get(request.headers.get("X-Amz-Target"))  # type: ignore[arg-type]
        if spec is None:
            return None
        hub = self._hub
        signed = signer(request.headers)  # type: ignore[arg-type]
        access_key, region = signed if signed is not None else ("", "")
        if region and region not in spec.regions:
            # No such endpoint: in AWS the host name does not resolve, and botocore retries
            # and then raises this (the hub answers nothing, so nothing is journaled).
            _ = hub.faults  # made now if not yet: it installs the virtual sleep the retries back off with
            raise EndpointConnectionError(endpoint_url=request.url)
        seq = next(self._request_ids)
        account = account_for(access_key, hub.access_keys, hub.default_account) if signed is not None else ""
        try:
            if signed is None:
                raise ServiceError(spec.service.access_denied, "Request is missing Authentication Token: sign it with credentials.")
            status, data = 200, encode(self._call(spec, request, Call(account, region, clock.now(), access_key)))
        except ServiceError as error:
            if error.code not in spec.errors and error.code in _GENERIC:  # ADS says it its own way
                error = ServiceError(getattr(spec.service, _GENERIC[error.code]), error.message, **error.members)
            status = spec.errors.get(error.code)  # type: ignore[assignment]
            if status is None:
                raise FakehubBug(
                    f"fakehub answered {spec.name} with {error.code}, which the {spec.service.name} model does not "
                    f"list for this operation (it lists {sorted(spec.errors)}): please report this."
                ) from error
            data = encode(error_body(error.code, error.message, spec.service.message_member, error.members))
        hub.journal.record(spec, account, region, request.body, status, seq, data)  # fakehub.journal
        return answer(request.url, status, data, request_id(hub.id, seq))

    def _call(self, spec: OperationSpec, request: AWSPreparedRequest, call: Call) -> dict[str, Any]:
        hub = self._hub
        now = call.now
        region = call.region
        body: dict[str, Any] = json.loads(request.body) if request.body else {}
        with hub.lock:
            state = hub.state
            state.scheduler.run_due(now)
            hub.faults.check(spec, call, body)  # fakehub.faults: decided before anything changes state
            violations = spec.validate(body)
            if violations:
                raise ServiceError(spec.service.invalid_input, format_violations(violations))
            if spec.resolves_home_region:
                home_region = state.home_region(state.account(call.account), region, now)
                if spec.region_gate is not None:
                    refusal = spec.region_gate(spec.name, spec.home_region_not_set, home_region, region)
                    if refusal is not None:
                        raise refusal
            policies = hub.policies.get(call.access_key)
            if policies is not None:
                self._authorize(spec, policies, body, call)
            if spec.dry_run and body.pop("DryRun", False):
                raise ServiceError(DRY_RUN_OPERATION, DRY_RUN_SUCCESS_MESSAGE)
            if not hub.discovery_role and POLICY_ERROR in spec.errors:
                raise ServiceError(POLICY_ERROR, _NO_DISCOVERY_ROLE)
            if spec.page_member is not None:
                body.setdefault(spec.page_member, spec.page_size)
            return hub.operation(spec)(call, **body)

    @staticmethod
    def _authorize(spec: OperationSpec, policies: PolicySet, body: dict[str, Any], call: Call) -> None:
        """IAM-like evaluation of the caller's identity policies (opt-in: only keys
        with policies attached are checked)."""
        action = iam_action(spec.service.name, spec.name)
        resources = resources_for(spec.name, body, call.region, call.account)
        decision = policies.evaluate(action, resources)
        if decision is not Decision.ALLOW:
            raise denial(action, resources[0], decision, UNAUTHORIZED_OPERATION in spec.errors, bool(body.get("DryRun")))
