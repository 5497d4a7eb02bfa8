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

from app.core.db import Database
from app.core.pagination import CursorCodec, PageResult, seek_after, seek_cursor
from app.repositories import plain_pages


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


async def plain_page(
    database: Database, name: str, limit: int, cursor: str | None, codec: CursorCodec
) -> StoredPage | None:
    """The plain page (no filter, no search) of the list `name` from its stored items, one
    pre-written keyset statement on the driver (app/core/driver_rows.py): the bytes and the
    cursor the list's own path gives. None when a row's item is not stored (that page is
    assembled by the list's own path, which renders it)."""
    plain = plain_pages.LISTS[name]
    to_db, from_db = plain_pages.sort_key_io(database.engine.dialect)
    if cursor:
        at, id_ = seek_after(codec, plain.scope, cursor, plain.bookmarks, 2)
        rows = await database.rows(plain.after, to_db(at), id_, limit + 1)
    else:
        rows = await database.rows(plain.first, limit + 1)
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        _, last_id, last_at = rows[-1]
        next_cursor = seek_cursor(codec, plain.scope, [from_db(last_at), last_id], plain.bookmarks)
    if any(row[0] is None for row in rows):
        return None
    return envelope([bytes(row[0]) for row in rows], next_cursor)
