"""Small helpers shared by the repositories."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session


def dialect_of(session: Session | Connection) -> str:
    if isinstance(session, Connection):
        return session.dialect.name
    return session.get_bind().dialect.name


def list_scope(name: str, filters: Any) -> str:
    """The cursor scope of a list: a relevance cursor holds a score, so it is bound to its
    query; a date cursor fits any query on that list."""
    if getattr(filters, "by_relevance", False):
        return f"{name}:relevance:{hashlib.sha256(filters.q.encode()).hexdigest()[:12]}"
    return name
