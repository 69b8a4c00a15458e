"""One table-driven path from a botocore request to a core call and back.

Order of checks, the same for every operation: signature present → the
request satisfies the service model → home-region gate → DryRun → the
operation itself.  Pending asynchronous work that has fallen due is applied
first, so every answer reflects the clock at the moment of the call.
"""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING, Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse

from ..core import clock
from ..core.context import Call
from ..core.errors import DRY_RUN_OPERATION, DRY_RUN_SUCCESS_MESSAGE, ServiceError
from ..core.homeregion import region_gate
from .identity import account_for, signer
from .protocol import answer, error_body
from .services import OperationSpec, by_target
from .validation import format_violations

if TYPE_CHECKING:
    from ..hub import Hub

_hub_ids = itertools.count(1)


class FakehubBug(AssertionError):
    """The fake tried to answer with something the service model does not allow
    (an error code not modeled for the operation): a bug in fakehub, raised in
    the test instead of being hidden from it."""


class Dispatcher:
    __slots__ = ("_hub", "_table", "_request_ids", "_hub_id")

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._table = by_target()
        self._request_ids = itertools.count(1)
        self._hub_id = next(_hub_ids)

    def handle(self, request: AWSPreparedRequest) -> AWSResponse | None:
        """The answer to ``request``, or None when it is not for a faked service."""
        spec = self._table.get(request.headers.get("X-Amz-Target"))  # type: ignore[arg-type]
        if spec is None:
            return None
        request_id = f"{self._hub_id:08x}-fa6e-4b0b-8000-{next(self._request_ids):012x}"
        try:
            status, body = 200, self._call(spec, request)
        except ServiceError as error:
            status = spec.errors.get(error.code)
            if status is None:
                raise FakehubBug(
                    f"fakehub answered {spec.name} with {error.code}, which the {spec.service.name} model does not "
                    f"list for this operation (it lists {sorted(spec.errors)}): please report this."
                ) from error
            body = error_body(error.code, error.message, spec.service.message_member, error.members)
        response = answer(request.url, status, body, request_id)
        self._hub.journal.record(spec, request, response)  # fakehub.journal: one entry per answer
        return response

    def _call(self, spec: OperationSpec, request: AWSPreparedRequest) -> dict[str, Any]:
        hub = self._hub
        now = clock.now()
        signed = signer(request.headers)  # type: ignore[arg-type]
        if signed is None:
            raise ServiceError(spec.service.access_denied, "Request is missing Authentication Token: sign it with credentials.")
        access_key, region = signed
        body: dict[str, Any] = json.loads(request.body) if request.body else {}
        with hub.lock:
            state = hub.state
            state.scheduler.run_due(now)
            call = Call(account_for(access_key, hub.access_keys), region, now, spec.name, access_key)
            hub.faults.check(spec, call, body)  # fakehub.faults: decided before anything changes state
            violations = spec.validate(body)
            if violations:
                raise ServiceError(spec.service.invalid_input, format_violations(violations))
            if spec.service.name != "migrationhub-config":
                account = state.account(call.account)
                refusal = region_gate(spec.name, spec.home_region_not_set, account.resolve_home_region(region), region)
                if refusal is not None:
                    raise refusal
            if spec.dry_run and body.pop("DryRun", False):
                raise ServiceError(DRY_RUN_OPERATION, DRY_RUN_SUCCESS_MESSAGE)
            if spec.page_size is not None:
                body.setdefault("MaxResults" if spec.service.name != "discovery" else "maxResults", spec.page_size)
            return hub.operation(spec)(call, **body)
