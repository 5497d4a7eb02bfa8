"""List pages assembled from stored item JSON (app/projections/list_items.py): the items'
bytes, a snippet appended to each when the list was searched, and the envelope
(`{"data":[...],"next_cursor":...}`) written around them, byte for byte what the item
schema's serialisation gives (tests/services/test_stored_pages.py compares them), with no
validation or ORM on the way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_json

from app.core.pagination import PageResult


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


def assemble(
    result: PageResult,
    live: Callable[[list[Any]], dict[str, bytes]],
    searched: Callable[[Any], str | None] | None,
) -> StoredPage:
    """A page of rows carrying `content` (the stored item, or None) and `id`: the items not
    stored rendered by `live` (rows -> {id: item}), each with the snippet `searched` cuts
    from its row when the list was searched, in the envelope."""
    missing = [row for row in result.rows if row.content is None]
    rendered = live(missing) if missing else {}
    out = []
    for row in result.rows:
        item = rendered[row.id] if row.content is None else bytes(row.content)
        out.append(item if searched is None else with_snippet(item, searched(row)))
    return envelope(out, result.next_cursor)
