"""Who signed a request: access key and region, read from the SigV4 header.

The fake does not verify signatures (it has no secrets to check them with);
it reads the credential scope botocore wrote, which is what decides the
account and the region in AWS too.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

_CREDENTIAL = b"Credential="


def credential_scope(headers: Mapping[str, bytes | str]) -> tuple[str, str] | None:
    """(access key id, region) from the ``Credential=`` scope of ``Authorization``, or None
    for a request that is unsigned or whose scope names no key or no region (a scope that
    is not UTF-8 counts as none)."""
    auth = headers.get("Authorization")
    if not auth:
        return None
    if isinstance(auth, str):
        auth = auth.encode("utf-8", "surrogateescape")
    start = auth.find(_CREDENTIAL)
    if start < 0:
        return None
    end = auth.find(b",", start)
    scope = auth[start + len(_CREDENTIAL) : end if end >= 0 else len(auth)].split(b"/")
    if len(scope) < 3 or not scope[0] or not scope[2]:
        return None
    try:
        access_key, region = scope[0].decode(), scope[2].decode()
    except UnicodeDecodeError:
        return None
    # Interned: the journal keeps them for every call, and they repeat.
    return sys.intern(access_key), sys.intern(region)


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
