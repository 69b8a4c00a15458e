"""Ordered collections and opaque page tokens.

A page token names the *key* of the last item served, not a position and not
the next item: the next page starts after that key wherever the collection
stands now, so an item deleted between two pages never makes the listing lose
or repeat anything.  Tokens are base64 (the shape of the model's ``Token``
pattern), signed with the hub's secret and bound to the listing they came from
(whose name holds the account), so a tampered token, a token from another hub,
account or listing is refused instead of silently restarting.  Like the real
service's tokens (AWS Encryption SDK ciphertexts), they are opaque: the key
(a task or host name) and the listing are encrypted, so nothing of one account's
data decodes out of a token.

The cipher is the standard library's: the MAC of the plaintext (HMAC-SHA256) is
the nonce of a SHAKE-256 keystream (a synthetic-IV construction), so a token
needs no random bytes and is no longer than the signed plaintext was.

A token holds a digest of its listing (which can name a stream, a task and up to
100 application ids), not the listing itself, and its key as UTF-8: the longest
key, a 256-character task name in a 50-character stream, four bytes a character,
still gives a token under the model's 2048 characters.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from bisect import bisect_right, insort
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

from .errors import INVALID_INPUT, ServiceError

K = TypeVar("K", bound="SupportsRichComparison")  # hashable and ordered: str, int, tuples of them
V = TypeVar("V")

_MAC_BYTES = 12
_LISTING_BYTES = 8


class OrderedIndex(Generic[K, V]):
    """A dict kept in key order, with O(log n) lookup of where a page starts.

    Keys that grow (sequence numbers) are appended at the end in O(1)."""

    __slots__ = ("_keys", "_items")

    def __init__(self) -> None:
        self._keys: list[K] = []
        self._items: dict[K, V] = {}

    @classmethod
    def from_items(cls, items: list[tuple[K, V]]) -> OrderedIndex[K, V]:
        """The index of ``(key, value)`` pairs given in any order (one sort, not one
        insertion each); keys are unique."""
        index: OrderedIndex[K, V] = cls()
        index._items = dict(items)
        index._keys = sorted(index._items)
        return index

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[K]:
        """The keys, in order (as iterating a dict gives its keys)."""
        return iter(self._keys)

    def get(self, key: K) -> V | None:
        return self._items.get(key)

    def put(self, key: K, value: V) -> None:
        if key not in self._items:
            keys = self._keys
            if not keys or key > keys[-1]:  # type: ignore[operator]  # growing keys append in O(1)
                keys.append(key)
            else:
                insort(keys, key)
        self._items[key] = value

    def pop(self, key: K) -> V | None:
        value = self._items.pop(key, None)
        if value is not None:
            keys = self._keys
            del keys[bisect_right(keys, key) - 1]
        return value

    def values(self) -> Iterator[V]:
        items = self._items
        return (items[k] for k in self._keys)

    def values_after(self, after: K | None) -> Iterator[V]:
        """The values whose key sorts after ``after`` (all when None), in key order."""
        keys, items = self._keys, self._items
        start = 0 if after is None else bisect_right(keys, after)
        return (items[keys[i]] for i in range(start, len(keys)))

    def page(self, after: K | None, limit: int) -> tuple[list[V], K | None]:
        """Up to ``limit`` values whose key sorts after ``after``, and the key to
        resume from (``None`` when nothing is left)."""
        keys = self._keys
        start = 0 if after is None else bisect_right(keys, after)
        chunk = keys[start : start + limit]
        items = self._items
        more = start + limit < len(keys)
        return [items[k] for k in chunk], (chunk[-1] if more and chunk else None)


class PageTokens:
    """Issues and reads the opaque ``NextToken`` values of one hub."""

    __slots__ = ("_secret",)

    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or os.urandom(16)

    @property
    def secret(self) -> bytes:
        """The key tokens are signed and encrypted with (a snapshot keeps it, so tokens
        issued before the snapshot resume after a restore of it)."""
        return self._secret

    def issue(self, listing: str, after: Any, now: float) -> str:
        # surrogatepass: a name may hold a lone surrogate (JSON's "\\ud800" decodes to one)
        payload = _digest(listing) + json.dumps([after, int(now)], separators=(",", ":"), ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
        mac = hmac.new(self._secret, payload, hashlib.sha256).digest()[:_MAC_BYTES]
        return base64.b64encode(mac + self._cipher(mac, payload)).decode("ascii")

    def read(
        self,
        token: str,
        listing: str,
        now: float,
        ttl: float | None = None,
        *,
        error_code: str = INVALID_INPUT,
        member: str = "NextToken",
        listing_kinds: str = "operation, stream, task or account",
    ) -> Any:
        """The resume key inside ``token``; ``error_code`` (InvalidInputException,
        or ADS's InvalidParameterValueException) when the token is not one this hub
        issued for this listing, or it expired.  ``listing_kinds`` says, in the
        refusal, what can make two listings of the operation differ."""
        try:
            raw = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        mac = raw[:_MAC_BYTES]
        payload = self._cipher(mac, raw[_MAC_BYTES:])
        expected = hmac.new(self._secret, payload, hashlib.sha256).digest()[:_MAC_BYTES]
        if len(payload) <= _LISTING_BYTES or not hmac.compare_digest(mac, expected):
            raise ServiceError(
                error_code,
                f"The {member} is not valid: pass the {member} of the previous page of this "
                "same listing unchanged, or omit it to start from the first page.",
            )
        if payload[:_LISTING_BYTES] != _digest(listing):
            raise ServiceError(
                error_code,
                f"The {member} was issued for a different listing (another {listing_kinds}): "
                "a token can only continue the listing it came from.",
            )
        after, issued_at = json.loads(payload[_LISTING_BYTES:].decode("utf-8", "surrogatepass"))
        if ttl is not None and now - issued_at > ttl:
            raise ServiceError(
                error_code,
                f"The {member} has expired: tokens of this operation are valid for "
                f"{int(ttl // 3600)} hours. Start again without a {member}.",
            )
        return tuple(after) if isinstance(after, list) else after

    def _cipher(self, nonce: bytes, data: bytes) -> bytes:
        """``data`` XOR a keystream drawn from the secret and ``nonce``: encrypts and
        decrypts alike."""
        if not data:
            return data
        stream = hashlib.shake_256(self._secret + b"|page-token|" + nonce).digest(len(data))
        return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def _digest(listing: str) -> bytes:
    return hashlib.blake2b(listing.encode("utf-8", "surrogatepass"), digest_size=_LISTING_BYTES).digest()
