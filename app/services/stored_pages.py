"""List pages assembled from stored item JSON (app/projections/list_items.py): the items'
bytes, a snippet appended to each when the list was searched, and the envelope
(`{"data":[...],"next_cursor":...}`) written around them, byte for byte what the item
schema's serialisation gives (tests/services/test_stored_pages.py compares them), with no
validation or ORM on the way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic_core import to_json


@dataclass(frozen=True)
class StoredPage:
    """A page's JSON bytes, and its next cursor (for the `Link` header)."""

    content: bytes
    next_cursor: str | None


def with_snippet(item: bytes, snippet: str | None) -> bytes:
    """A stored item (a JSON object whose last field precedes `snippet`) with `snippet`."""
    return item[:-1] + b',"snippet":' + to_json(snippet) + b"}"


def envelope(items: Sequence[bytes], next_cursor: str | None) -> StoredPage:
    """The list envelope around already-serialised items."""
    content = b'{"data":[' + b",".join(items) + b'],"next_cursor":' + to_json(next_cursor) + b"}"
    return StoredPage(content, next_cursor)
