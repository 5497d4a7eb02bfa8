"""The article read model: `article_document` holds each article's rendered JSON and ETag,
so GET /v1/articles/{id} is one primary-key read and no serialisation.

It is kept current in the transaction of every write, whatever the path (create, PATCH,
DELETE, bulk import, a directory row changed by a later article), by two session events:

* `after_flush` notes which articles' documents a flush changed: an article, its quotes,
  statistics, tags or places written; or a speaker, source or place whose shown fields
  (name, organisation, domain, coordinates, kind) changed, for every article showing it.
* `before_commit` flushes, re-renders the noted documents and deletes the rows of articles
  that showed a changed directory row (they are rendered live until rewritten).

The same render keeps each article's list item (`list_items`: `article_item`).

Deleting an article deletes its document by the foreign key's ON DELETE CASCADE. Writes that
bypass the ORM (the synthetic seeder) call `refresh()` themselves; `rebuild()` fills the
table for a database migrated from before it existed (`conflict-news db reindex`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app import models
from app.core.http_cache import etag_for
from app.projections import list_items
from app.repositories import documents
from app.schemas.article import ArticleRead

_STALE = "read_model_stale"
_SHOWN_BY = "read_model_shown_by"

# Directory rows appear inside other articles' documents: which of their fields are shown
# (which articles show a given row: `documents.delete_showing`).
_SHOWN_FIELDS: dict[type[Any], tuple[str, ...]] = {
    models.Speaker: ("name", "organisation"),
    models.Source: ("name", "domain", "licence", "attribution"),
    models.Location: ("name", "kind", "country_code", "latitude", "longitude"),
}
_CHILDREN = (models.Quote, models.Statistic, models.ArticleTag, models.ArticleLocation)


# The stored document, as one driver-level statement (app/core/db.py DriverReads).
STORED = documents.STORED_SQL


def render(doc: dict[str, Any]) -> bytes:
    """A document dict (`repositories.documents`) as the JSON bytes every route returns."""
    return ArticleRead.model_validate(doc).model_dump_json().encode()


def read(conn: Connection, article_id: str) -> tuple[bytes, str] | None:
    """(content, ETag) of an article: the stored document, else rendered live."""
    return documents.stored(conn, article_id) or render_live(conn, article_id)


def render_live(conn: Connection, article_id: str) -> tuple[bytes, str] | None:
    """(content, ETag) rendered from the article's rows (no stored document yet)."""
    doc = documents.fetch(conn, article_id)
    if doc is None:
        return None
    content = render(doc)
    return content, etag_for(content)


def refresh(conn: Connection, article_ids: Iterable[str]) -> int:
    """Re-render and store the documents of these articles (batched queries); ids of
    articles that no longer exist lose their row. Returns how many were stored."""
    return len(_store(conn, article_ids))


def _store(conn: Connection, article_ids: Iterable[str]) -> dict[str, tuple[bytes, str]]:
    """`refresh`, returning what was stored: (content, ETag) per existing article."""
    ids = sorted(set(article_ids))
    stored: dict[str, tuple[bytes, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        docs = documents.fetch_many(conn, chunk)
        rows = []
        for doc in docs:
            content = render(doc)
            stored[doc["id"]] = content, etag_for(content)
            rows.append({"article_id": doc["id"], "etag": stored[doc["id"]][1], "content": content})
        documents.replace_stored(conn, chunk, rows)
        list_items.store(conn, chunk, docs)
    return stored


def rebuild(conn: Connection, progress: Callable[[int], None] | None = None) -> int:
    """Render every article's document (after a migration or a Core bulk load)."""
    done, last = 0, ""
    while True:
        ids = documents.article_ids_after(conn, last, 2000)
        if not ids:
            return done
        done += refresh(conn, ids)
        last = ids[-1]
        if progress is not None:
            progress(done)


def current(session: Session, article_id: str) -> tuple[bytes, str]:
    """Flush, then render and store this article's document now (the write's response and
    its ETag), so the commit need not render it again."""
    session.flush()
    stored = _store(session.connection(), [article_id])
    session.info.get(_STALE, set()).discard(article_id)
    assert article_id in stored, "the article was just read or written in this transaction"
    return stored[article_id]


def note_written(session: Session, article_ids: Iterable[str]) -> None:
    """Articles written without the ORM (a bulk batch's Core inserts) in this session's
    transaction: their documents are rendered at its commit, as if a flush had noted them."""
    session.info.setdefault(_STALE, set()).update(article_ids)


def _shown_change(obj: Any) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in _SHOWN_FIELDS[type(obj)])


def _note_changes(session: Session, _: UOWTransaction) -> None:
    stale: set[str] = session.info.setdefault(_STALE, set())
    shown_by: set[tuple[type[Any], str]] = session.info.setdefault(_SHOWN_BY, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, models.Article):
            stale.add(obj.id)
        elif isinstance(obj, _CHILDREN):
            stale.add(obj.article_id)
        elif type(obj) in _SHOWN_FIELDS and obj in session.dirty and _shown_change(obj):
            shown_by.add((type(obj), obj.id))


def _write_documents(session: Session) -> None:
    # Only the outermost commit: a SAVEPOINT's release (a line of a bulk batch, a unique
    # check) leaves its articles for the enclosing commit, which renders them together.
    if session.in_nested_transaction():
        return
    # `before_commit` runs before the commit's own flush: flush pending changes first, so
    # a change made without one (a place's coordinates corrected) is noted too.
    if session.new or session.dirty or session.deleted:
        session.flush()
    if not session.info.get(_STALE) and not session.info.get(_SHOWN_BY):
        return
    stale: set[str] = session.info.pop(_STALE, set())
    shown_by: set[tuple[type[Any], str]] = session.info.pop(_SHOWN_BY, set())
    conn = session.connection()
    for kind, id_ in shown_by:
        documents.delete_showing(conn, kind, id_)
        list_items.forget_showing(conn, kind, id_)
    refresh(conn, stale)


def register() -> None:
    """Listen to every session's flushes and commits (idempotent)."""
    for name, listener in (("after_flush", _note_changes), ("before_commit", _write_documents)):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
