"""Who signed a request: access key and region, read from the SigV4 header.

The fake does not verify signatures (it has no secrets to check them with);
it reads the credential scope botocore wrote, which is what decides the
account and the region in AWS too.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping


_CREDENTIAL = b"Credential="


def signer(headers: Mapping[str, bytes | str]) -> tuple[str, str] | None:
    """(access key id, region) from ``Authorization``, or None for an unsigned request."""
    auth = headers.get("Authorization")
    if not auth:
        return None
    if isinstance(auth, str):
        auth = auth.encode()
    start = auth.find(_CREDENTIAL)
    if start < 0:
        return None
    scope = auth[start + len(_CREDENTIAL) : auth.find(b",", start)].split(b"/")
    if len(scope) < 3:
        return None
    # Interned: the journal keeps them for every call, and they repeat.
    return sys.intern(scope[0].decode()), sys.intern(scope[2].decode())


def account_for(access_key: str, mapping: Mapping[str, str], default: str) -> str:
    """The account an access key belongs to: the hub's mapping first, then a key
    that is itself a 12-digit account id (LocalStack's convention), else the
    hub's default account."""
    found = mapping.get(access_key)
    if found is not None:
        return found
    if len(access_key) == 12 and access_key.isdigit():
        return access_key
    return default
