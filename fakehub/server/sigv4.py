"""Checking a request's SigV4 signature with botocore's own signer (``--verify-signatures``).

The signature is recomputed from exactly the headers the client says it signed
(``SignedHeaders``; botocore's signer would pick its own set), with the client's
``X-Amz-Date``.  botocore takes ``x-amz-content-sha256`` on trust, so the body is
checked against it here.  The answers are AWS's protocol-level ones, with the codes
and wording seen from AWS JSON services (inferred for Migration Hub, whose models
name none of them): see ``docs/server.md``.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import time
from collections.abc import Mapping
from email.message import Message

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest, HTTPHeaders
from botocore.credentials import Credentials

SKEW_SECONDS = 15 * 60
_DATE = "%Y%m%dT%H%M%SZ"
_ALGORITHM = "AWS4-HMAC-SHA256"


class SignatureRefused(Exception):
    """The request is not signed as AWS would accept: answered with ``code`` (HTTP 400, or
    403 for a missing ``Authorization``)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def verify(
    method: str,
    path: str,
    headers: Message,
    body: bytes,
    secrets: Mapping[str, str],
    now: float,
    signing_name: str | None = None,
) -> None:
    """Raise ``SignatureRefused`` unless the request carries a valid SigV4 signature by a
    key in ``secrets`` (access key id -> secret access key), made within 15 minutes of ``now``,
    scoped to ``signing_name`` (the operation's service; None: an unknown target, which the
    dispatcher answers)."""
    auth = headers.get("Authorization")
    if not auth:
        raise SignatureRefused(403, "MissingAuthenticationTokenException", "Missing Authentication Token")
    fields = _fields(auth)
    scope = fields.get("Credential", "").split("/")
    signed = [name for name in fields.get("SignedHeaders", "").split(";") if name]
    signature = fields.get("Signature", "")
    if len(scope) != 5 or not signed or not signature or "host" not in signed:
        raise SignatureRefused(
            400,
            "IncompleteSignatureException",
            "Authorization header requires 'Credential' (key/date/region/service/aws4_request), "
            "'SignedHeaders' (including host) and 'Signature'.",
        )
    access_key, _day, region, service, _terminator = scope
    if signing_name is not None and service != signing_name:
        raise SignatureRefused(
            400, "InvalidSignatureException", f"Credential should be scoped to correct service: '{signing_name}'."
        )
    secret = secrets.get(access_key)
    if secret is None:
        raise SignatureRefused(
            400, "UnrecognizedClientException", "The security token included in the request is invalid."
        )
    stamp = headers.get("X-Amz-Date") or ""
    signed_at = _epoch(stamp)
    if signed_at is None:
        raise SignatureRefused(400, "IncompleteSignatureException", "X-Amz-Date must be a date like 20261201T070909Z.")
    _check_skew(stamp, signed_at, now)
    declared = headers.get("X-Amz-Content-SHA256")
    if declared is not None and declared != "UNSIGNED-PAYLOAD" and declared != hashlib.sha256(body).hexdigest():
        raise SignatureRefused(
            400, "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match the body."
        )
    missing = [name for name in signed if headers.get(name) is None]
    if missing:
        raise SignatureRefused(
            400, "InvalidSignatureException", f"SignedHeaders names headers the request lacks: {', '.join(missing)}."
        )
    expected = _signature(method, path, headers, body, signed, stamp, Credentials(access_key, secret), service, region)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise SignatureRefused(
            400,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )


def _fields(auth: str) -> dict[str, str]:
    algorithm, _, rest = auth.partition(" ")
    if algorithm != _ALGORITHM:
        return {}
    fields = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        fields[name] = value
    return fields


def _epoch(stamp: str) -> float | None:
    try:
        return float(calendar.timegm(time.strptime(stamp, _DATE)))
    except ValueError:
        return None


def _check_skew(stamp: str, signed_at: float, now: float) -> None:
    current = time.strftime(_DATE, time.gmtime(now))
    if signed_at < now - SKEW_SECONDS:
        earliest = time.strftime(_DATE, time.gmtime(now - SKEW_SECONDS))
        raise SignatureRefused(
            400,
            "InvalidSignatureException",
            f"Signature expired: {stamp} is now earlier than {earliest} ({current} - 15 min.)",
        )
    if signed_at > now + SKEW_SECONDS:
        latest = time.strftime(_DATE, time.gmtime(now + SKEW_SECONDS))
        raise SignatureRefused(
            400,
            "InvalidSignatureException",
            f"Signature not yet current: {stamp} is still later than {latest} ({current} + 15 min.)",
        )


class _ClientSignedAuth(SigV4Auth):
    """botocore's SigV4 over the headers the client signed, not botocore's own choice of them."""

    def __init__(self, credentials: Credentials, service: str, region: str, signed: list[str]) -> None:
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request: AWSRequest) -> HTTPHeaders:
        chosen = HTTPHeaders()
        for name in self._signed:
            chosen[name] = request.headers[name]
        return chosen


def _signature(
    method: str,
    path: str,
    headers: Message,
    body: bytes,
    signed: list[str],
    stamp: str,
    credentials: Credentials,
    service: str,
    region: str,
) -> str:
    host = headers.get("Host", "")
    request = AWSRequest(
        method=method, url=f"http://{host}{path}", data=body, headers={name: headers[name] for name in signed}
    )
    request.context["timestamp"] = stamp
    auth = _ClientSignedAuth(credentials, service, region, signed)
    canonical = auth.canonical_request(request)
    return auth.signature(auth.string_to_sign(request, canonical), request)
