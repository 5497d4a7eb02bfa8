"""API keys: long random tokens, stored as SHA-256 (a fast hash is right for random keys)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

SCOPES = ("read", "write", "admin")
KEY_PREFIX = "cn"


@dataclass(frozen=True)
class NewKey:
    plaintext: str
    prefix: str
    key_hash: str


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


def generate_key() -> NewKey:
    """`cn_<8 hex>_<43 url-safe chars>`: the prefix identifies a key in lists and logs."""
    prefix = secrets.token_hex(4)
    plaintext = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(plaintext=plaintext, prefix=prefix, key_hash=hash_key(plaintext))


def parse_scopes(text: str) -> tuple[str, ...]:
    scopes = tuple(dict.fromkeys(s.strip().lower() for s in text.split(",") if s.strip()))
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise ValueError(f"scopes must be a comma-separated subset of {', '.join(SCOPES)}")
    return scopes


@dataclass(frozen=True)
class Principal:
    """Who is calling: an API key or an anonymous client (identified by IP for limits)."""

    key_id: str | None
    scopes: frozenset[str]
    client: str

    @property
    def anonymous(self) -> bool:
        return self.key_id is None

    def allows(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes

    @property
    def limit_key(self) -> str:
        return f"key:{self.key_id}" if self.key_id else f"ip:{self.client}"
