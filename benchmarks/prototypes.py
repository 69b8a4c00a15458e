"""Optimisations measured by bench.py and profile_hotpath.py but NOT applied to fakehub.

They live here so the dispatch owner can see exactly what was measured; nothing in
``fakehub/`` imports this module.

Cheap signer
------------
botocore spends a large share of every call on SigV4 (canonical request, four
HMAC-SHA256 rounds, header formatting).  fakehub verifies no signature: it only
reads the access key and region from the ``Credential=`` scope of the
``Authorization`` header.  This prototype keeps that contract while skipping the
HMAC work, for faked services and only while a hub is active:

* a ``choose-signer.migration-hub`` handler returns the signature version
  ``fakehub-v4`` when a hub is active (otherwise None: botocore signs as usual,
  so a client whose hub was deactivated talks SigV4 to AWS again);
* ``fakehub-v4`` is an auth class registered in ``botocore.auth.AUTH_TYPE_MAPS``.
  botocore's ``RequestSigner.get_auth_instance`` still resolves and freezes the
  client's credentials (refreshing them if they are refreshable) and passes them
  with the signing region, exactly as for SigV4; no credentials still raises
  ``NoCredentialsError``.  It writes an ``Authorization`` header in SigV4 form
  (``Credential=<key>/<date>/<region>/<service>/aws4_request``) with a dummy
  signature, so fakehub's ``wire/identity.py`` reads it unchanged.
"""

from __future__ import annotations

import time
from typing import Any

import botocore.auth
from botocore.exceptions import NoCredentialsError

from fakehub import hook

SIGNATURE_VERSION = "fakehub-v4"


class CredentialScopeAuth(botocore.auth.BaseSigner):
    """SigV4's header shape, without the signature: the credential scope only."""

    REQUIRES_REGION = True

    def __init__(self, credentials: Any, service_name: str, region_name: str) -> None:
        self.credentials = credentials
        self._service_name = service_name
        self._region_name = region_name

    def add_auth(self, request: Any) -> None:
        if self.credentials is None:
            raise NoCredentialsError()
        date = time.strftime("%Y%m%d", time.gmtime())
        headers = request.headers
        if "Authorization" in headers:  # a retry re-signs the same request
            del headers["Authorization"]
        headers["Authorization"] = (
            f"AWS4-HMAC-SHA256 Credential={self.credentials.access_key}/{date}/{self._region_name}/"
            f"{self._service_name}/aws4_request, SignedHeaders=host, Signature=fakehub-not-signed"
        )
        if self.credentials.token:
            if "X-Amz-Security-Token" in headers:
                del headers["X-Amz-Security-Token"]
            headers["X-Amz-Security-Token"] = self.credentials.token


def choose_signer(signature_version: Any = None, **_kwargs: Any) -> str | None:
    if hook._active and signature_version == "v4":
        return SIGNATURE_VERSION
    return None


botocore.auth.AUTH_TYPE_MAPS.setdefault(SIGNATURE_VERSION, CredentialScopeAuth)

FAKED_SERVICE_IDS = ("migration-hub", "migrationhub-config", "application-discovery-service")


def use_cheap_signer(client: Any) -> None:
    """Install the prototype on one client (the benchmark's way; fakehub would add
    ``choose-signer.<service id>`` to BUILTIN_HANDLERS next to its before-send ones)."""
    service_id = client.meta.service_model.service_id.hyphenize()
    client.meta.events.register(f"choose-signer.{service_id}", choose_signer)
