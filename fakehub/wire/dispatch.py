"""One table-driven path from a botocore request to a core call and back.

Order of checks, the same for every operation: the region has the service →
signature present → the body is a JSON object (else the protocol's
SerializationException) → the request satisfies the service model →
home-region gate → DryRun → the operation itself.  Pending asynchronous work that has fallen due is applied
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
from ..hook import is_faked
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

    def handle(self, request: AWSPreparedRequest, *, faked: bool = False) -> AWSResponse | None:
        """The answer to ``request``, or None when it is not for a faked service (``faked``:
        the caller knows it is, as fakehub's service-specific ``before-send`` handler does)."""
        target = request.headers.get("X-Amz-Target")
        spec = self._table.get(target)  # type: ignore[arg-type]
        if spec is None:
            if faked or is_faked(request):  # a faked service, an operation it does not have
                named = _text(target or "(no X-Amz-Target)")
                return self._protocol_error(request, "UnknownOperationException",
                                            f"Unknown operation {named}: no operation of that name exists.")
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
        except _ProtocolError as error:  # the request is not a JSON 1.1 request of this operation
            data = encode(error_body(error.code, error.message, "Message", {}))
            status = 400
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
        body = _decode(request.body, spec.members)
        with hub.lock:
            state = hub.state
            state.scheduler.run_due(now)
            hub.faults.check(spec, call, body)  # fakehub.faults: decided before anything changes state
            try:
                violations = spec.validate(body)
                message = format_violations(violations) if violations else ""
            except RecursionError:
                raise _ProtocolError(SERIALIZATION, "The request body is nested too deeply.") from None
            if violations:
                raise ServiceError(spec.service.invalid_input, message)
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

    def _protocol_error(self, request: AWSPreparedRequest, code: str, message: str) -> AWSResponse:
        hub = self._hub
        return answer(request.url, 400, encode(error_body(code, message, "Message", {})),
                      request_id(hub.id, next(self._request_ids)))


# ---- the JSON 1.1 protocol -------------------------------------------------------------------

SERIALIZATION = "SerializationException"


class _ProtocolError(Exception):
    """A request that is not a well-formed JSON 1.1 request: every AWS JSON service answers
    these with a protocol-level code (400), whatever the operation models."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _decode(raw: bytes | str | None, members: frozenset[str]) -> dict[str, Any]:
    """The request's members, as the operation takes them: a body that is not a JSON object
    is a SerializationException; members the model does not have are ignored, and a JSON
    ``null`` counts as absent (at any depth), as AWS's JSON services do."""
    if not raw:
        return {}
    try:
        body = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:  # not JSON, not UTF-8, NaN/Infinity, huge integers
        raise _ProtocolError(SERIALIZATION, f"The request body is not valid JSON: {_text(str(error))}") from None
    if not isinstance(body, dict):
        raise _ProtocolError(SERIALIZATION, f"The request body must be a JSON object, not {type(body).__name__}.")
    if not members.issuperset(body):
        body = {name: value for name, value in body.items() if name in members}
    if b"null" in (raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")):
        body = _without_nulls(body)
    return body


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]  # a null item stays: the model refuses it
    return value


def _text(value: Any, limit: int = 200) -> str:
    """A value for a message: decoded, and cut short."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text if len(text) <= limit else text[:limit] + "…"
