"""One table-driven path from a JSON 1.1 request to a core call and back.

Transport-free: it takes the request's target, headers and body and gives the
status and body of the answer, so the botocore hook and the HTTP server hand
requests to the same code.  What it needs of a hub is the ``Backend``
protocol; it imports no hub and no shell.

Order of checks, the same for every operation: the region has the service →
signature present → the body is at most ``MAX_BODY_BYTES`` (else the protocol's
RequestEntityTooLargeException, 413) → the body is a JSON object (else the protocol's
SerializationException) → pending asynchronous work that has fallen due is
applied (so every answer reflects the clock at the moment of the call) →
injected faults → the request satisfies the service model → home-region gate →
caller's policies → DryRun → the operation itself.  A home region an ``auto``
account takes from this call is kept only if the call succeeds.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

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
from ..core.state import HubState
from .decoding import ProtocolError, decode, text
from .identity import account_for, credential_scope
from .protocol import Payload, encode, error_body, request_id
from .services import OperationSpec, by_target, is_faked_target
from .validation import format_violations

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


class NoEndpoint(Exception):
    """The request was signed for a region where the service has no endpoint: in AWS its
    host name does not resolve, so there is no answer to give (the botocore hook raises
    botocore's ``EndpointConnectionError``, as the real network would make botocore do)."""


class Backend(Protocol):
    """What the dispatcher needs of a hub (``fakehub.Hub`` is one)."""

    @property
    def state(self) -> HubState: ...
    @property
    def lock(self) -> threading.RLock: ...
    @property
    def access_keys(self) -> Mapping[str, str]: ...
    @property
    def default_account(self) -> str: ...
    @property
    def policies(self) -> Mapping[str, PolicySet]: ...
    @property
    def discovery_role(self) -> bool: ...

    def check_faults(self, spec: OperationSpec, call: Call, body: Mapping[str, Any]) -> None:
        """Raise the injected error for this call, if any (before anything changes state)."""

    def record(
        self,
        spec: OperationSpec,
        call: Call,
        body: bytes | None,
        status: int,
        seq: int,
        data: bytes,
        user_agent: str | None,
        source_ip: str | None,
    ) -> None:
        """Keep the call in the journal (with what a CloudTrail record needs of the request)."""

    def operation(self, spec: OperationSpec) -> Callable[..., dict[str, Any]]:
        """The core method implementing ``spec``."""


@dataclass(frozen=True, slots=True)
class Reply:
    """An answer to send: HTTP status, JSON body and the ``x-amzn-RequestId``."""

    status: int
    body: Payload
    request_id: str


class Dispatcher:
    __slots__ = ("_backend", "_table", "_request_ids", "_hub_id")

    def __init__(self, backend: Backend, hub_id: int) -> None:
        self._backend = backend
        self._table = by_target()
        self._request_ids = itertools.count(1)  # next() on a count is atomic under the GIL
        self._hub_id = hub_id

    def dispatch(
        self,
        target: bytes | None,
        headers: Mapping[str, Any],
        body: bytes | None,
        *,
        faked: bool = False,
        source_ip: str | None = None,
    ) -> Reply | None:
        """The answer to a request, or None when it is not for a faked service (``faked``:
        the caller knows it is, as fakehub's service-specific ``before-send`` handler does).

        ``target`` is the ``X-Amz-Target`` header; ``headers`` holds at least ``Authorization``
        and, when the client sent one, ``User-Agent`` (bytes or str values); ``source_ip`` is
        the client's address when the request came over a network (None: in process)."""
        spec = self._table.get(target) if target is not None else None
        if spec is None:
            if faked or is_faked_target(target):  # a faked service, an operation it does not have
                named = text(target or "(no X-Amz-Target)")
                return self._protocol_error(
                    "UnknownOperationException", f"Unknown operation {named}: no operation of that name exists."
                )
            return None
        backend = self._backend
        scope = credential_scope(headers)
        access_key, region = scope if scope is not None else ("", "")
        if region and region not in spec.regions:
            raise NoEndpoint(region)
        seq = next(self._request_ids)
        account = account_for(access_key, backend.access_keys, backend.default_account) if scope is not None else ""
        call = Call(account, region, clock.now(), access_key)
        try:
            if scope is None:
                raise ServiceError(
                    spec.service.access_denied, "Request is missing Authentication Token: sign it with credentials."
                )
            status, data = 200, encode(self._call(spec, body, call))
        except ProtocolError as error:  # the request is not a JSON 1.1 request of this operation
            status, data = error.status, encode(error_body(error.code, error.message, "Message", {}))
        except ServiceError as error:
            status, data = self._error(spec, error)
        backend.record(spec, call, body, status, seq, data, _user_agent(headers), source_ip)
        return Reply(status, data, request_id(self._hub_id, seq))

    def _call(self, spec: OperationSpec, raw: bytes | None, call: Call) -> dict[str, Any]:
        backend = self._backend
        now = call.now
        body = decode(raw, spec.members, spec.name)
        with backend.lock:
            state = backend.state
            state.scheduler.run_due(now)
            backend.check_faults(spec, call, body)  # decided before anything changes state
            violations = spec.validate(body)
            if violations:
                raise ServiceError(spec.service.invalid_input, format_violations(violations))
            undo = None
            if spec.resolves_home_region:
                account = state.account(call.account)
                undo = state.claim_auto_home_region(account, call.region, now)
                control = account.home.control
                home_region = control.home_region if control is not None else None
            try:
                if spec.resolves_home_region and spec.region_gate is not None:
                    refusal = spec.region_gate(spec.name, spec.home_region_not_set, home_region, call.region)
                    if refusal is not None:
                        raise refusal
                policies = backend.policies.get(call.access_key)
                if policies is not None:
                    _authorize(spec, policies, body, call)
                if spec.dry_run and body.pop("DryRun", False):
                    raise ServiceError(DRY_RUN_OPERATION, DRY_RUN_SUCCESS_MESSAGE)
                if not backend.discovery_role and POLICY_ERROR in spec.errors:
                    raise ServiceError(POLICY_ERROR, _NO_DISCOVERY_ROLE)
                if spec.page_member is not None:
                    body.setdefault(spec.page_member, spec.page_size)
                return backend.operation(spec)(call, **body)
            except ServiceError:
                if undo is not None:  # a refused call decides nothing
                    undo()
                raise

    @staticmethod
    def _error(spec: OperationSpec, error: ServiceError) -> tuple[int, Payload]:
        if error.code not in spec.errors and error.code in _GENERIC:  # ADS says it its own way
            error = ServiceError(getattr(spec.service, _GENERIC[error.code]), error.message, **error.members)
        status = spec.errors.get(error.code)
        if status is None:
            raise FakehubBug(
                f"fakehub answered {spec.name} with {error.code}, which the {spec.service.name} model does not "
                f"list for this operation (it lists {sorted(spec.errors)}): please report this."
            ) from error
        return status, encode(error_body(error.code, error.message, spec.service.message_member, error.members))

    def _protocol_error(self, code: str, message: str) -> Reply:
        data = encode(error_body(code, message, "Message", {}))
        return Reply(400, data, request_id(self._hub_id, next(self._request_ids)))


def _user_agent(headers: Mapping[str, Any]) -> str | None:
    """The request's ``User-Agent``, as text (None when it sent none)."""
    agent = headers.get("User-Agent")
    return agent.decode("utf-8", "replace") if isinstance(agent, bytes) else agent


def _authorize(spec: OperationSpec, policies: PolicySet, body: dict[str, Any], call: Call) -> None:
    """IAM-like evaluation of the caller's identity policies (opt-in: only keys
    with policies attached are checked)."""
    action = iam_action(spec.service.name, spec.name)
    resources = resources_for(spec.name, body, call.region, call.account)
    decision = policies.evaluate(action, resources)
    if decision is not Decision.ALLOW:
        raise denial(action, resources[0], decision, UNAUTHORIZED_OPERATION in spec.errors, bool(body.get("DryRun")))
