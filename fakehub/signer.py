"""A credential-scope "signature" for requests the active hub will answer.

fakehub verifies no signature in process: it reads the caller's access key and
region from the ``Credential=`` scope botocore writes, and SigV4's canonical
request and four HMAC rounds are a large share of every call's cost.  While a
hub is active, a ``choose-signer`` handler for the three faked services picks
this signer instead of SigV4 (``fakehub.patching`` registers both).  botocore
still resolves and freezes the client's credentials (refreshing them when they
are refreshable), passes the signing region, and raises ``NoCredentialsError``
when there are none; only the HMACs are skipped.  With no hub active, the
handler answers nothing and botocore signs with SigV4 as usual.
"""

from __future__ import annotations

from typing import Any

import botocore.auth
from botocore.exceptions import NoCredentialsError

from .active import hubs
from .wire.services import is_aws_url

SIGNATURE_VERSION = "fakehub-credential-scope"


class NoCredentialsForFakehubError(NoCredentialsError):
    """botocore's ``NoCredentialsError`` (so ``except NoCredentialsError`` still catches it),
    with the fix in its message: a client resolves its credentials when it is made, so one
    made before any were set (at import time, say) has none even while a hub is active."""

    fmt = (
        "Unable to locate credentials. A fakehub hub is active, but this client has no credentials: "
        "botocore reads them when a client is created, so a client made before any were set (at "
        "import time, say, before mock_migrationhub() or the pytest fixture set fake ones) has none. "
        "Create the client inside the mock_migrationhub() block or the test, pass "
        "aws_access_key_id=... and aws_secret_access_key=... when creating it, or set "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before creating clients."
    )


class CredentialScopeAuth(botocore.auth.BaseSigner):
    """SigV4's ``Authorization`` header shape with the credential scope only."""

    REQUIRES_REGION = True

    def __init__(self, credentials: Any, service_name: str, region_name: str) -> None:
        self.credentials = credentials
        self._service, self._region = service_name, region_name
        self._scope = f"/00000000/{region_name}/{service_name}/aws4_request, SignedHeaders=host, Signature=none"

    def add_auth(self, request: Any) -> None:
        if self.credentials is None:
            raise NoCredentialsForFakehubError()
        if not is_aws_url(request.url):  # sent over the network (fakehub's server, say): signed for real
            botocore.auth.SigV4Auth(self.credentials, self._service, self._region).add_auth(request)
            return
        headers = request.headers
        if "Authorization" in headers:  # a retry signs the same request again
            del headers["Authorization"]
        headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={self.credentials.access_key}{self._scope}"


def choose_signer(signature_version: Any = None, **_kwargs: Any) -> str | None:
    """``choose-signer`` handler: while a hub is active, requests for the faked services
    carry only their credential scope instead of a SigV4 signature."""
    if hubs and signature_version == "v4":
        return SIGNATURE_VERSION
    return None
