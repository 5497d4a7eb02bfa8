"""Article use cases: create, update, delete. Services flush; they never commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import Conflict, NotFound, Unprocessable
from app.core.http_cache import check_if_match
from app.core.normalise import canonical_url, content_hash, name_key
from app.models import Article, Source
from app.models.base import utcnow
from app.projections import read_model
from app.repositories import articles as repo
from app.schemas.article import (
    ArticleCreate,
    ArticleUpdate,
    QuoteIn,
    RawArticleCreate,
    StatisticIn,
)
from app.schemas.places import PlaceIn
from app.services import changes, extraction
from app.services.article_children import ChildWriter
from app.services.article_reads import Document
from app.services.directory import Known, get_or_create_source, location_key


def _word_count(body: str) -> int:
    return len(body.split())


def span_errors(
    body: str, items: Sequence[QuoteIn | StatisticIn] | None, field: str
) -> list[dict[str, Any]]:
    """Provenance check: `body[start:end]` must be exactly each item's `text`."""
    errors: list[dict[str, Any]] = []
    for i, item in enumerate(items or ()):
        if item.end > len(body) or body[item.start : item.end] != item.text:
            found = body[item.start : item.end]
            errors.append(
                {
                    "loc": ["body", field, i, "text"],
                    "msg": (
                        f"body[{item.start}:{item.end}] is {found!r}, not the item's text"
                        if item.end <= len(body)
                        else f"span {item.start}:{item.end} lies beyond the body "
                        f"({len(body)} characters)"
                    ),
                    "type": "span_mismatch",
                }
            )
    return errors


def _raise_on_span_errors(errors: list[dict[str, Any]]) -> None:
    if errors:
        raise Unprocessable(
            "Each quote and statistic must satisfy body[start:end] == text.", errors=errors
        )


def _duplicate_conflict(existing_id: str, by_url: bool) -> Conflict:
    what = "canonical URL" if by_url else "title and body"
    return Conflict(
        f"An article with the same {what} already exists: {existing_id}.",
        headers={"Location": f"/v1/articles/{existing_id}"},
        extra={"existing_id": existing_id},
    )


@contextmanager
def _unique_or_conflict(session: Session, canonical: str | None, digest: str) -> Iterator[None]:
    """Make the article's changes inside a SAVEPOINT and flush them there: a unique
    violation from a concurrent writer then rolls back only this block, and the duplicate
    can be looked up and reported as a 409. (The SAVEPOINT must start before the article is
    touched: starting one flushes pending changes outside it.)"""
    try:
        with session.begin_nested():
            yield
            session.flush()
    except IntegrityError as exc:
        existing = repo.find_duplicate(session, canonical, digest)
        if existing is None:
            raise Conflict(
                "The write collided with a concurrent one on a unique value; retry it."
            ) from exc
        raise _duplicate_conflict(existing.id, canonical is not None) from exc


@dataclass(frozen=True)
class Checked:
    """A new article that passed the checks (not a duplicate, every span exact), with the
    quotes, figures and places it stores."""

    data: ArticleCreate
    canonical: str | None
    digest: str
    quotes: Sequence[QuoteIn]
    statistics: Sequence[StatisticIn]
    places: Sequence[PlaceIn]


DuplicateOf = Callable[[str | None, str], str | None]
"""(canonical URL, content hash) -> the id of an article already stored with them, or None."""


def stored_duplicate(session: Session) -> DuplicateOf:
    """The duplicate check against the database, one query per article."""

    def find(canonical: str | None, digest: str) -> str | None:
        existing = repo.find_duplicate(session, canonical, digest)
        return existing.id if existing is not None else None

    return find


def identity(data: ArticleCreate) -> tuple[str | None, str]:
    """What makes two articles the same: (canonical URL or None, content hash)."""
    return (canonical_url(data.url) if data.url else None), content_hash(data.title, data.body)


def check_new(
    data: ArticleCreate, places: Sequence[PlaceIn] | None, duplicate_of: DuplicateOf
) -> Checked:
    """Refuse a duplicate (409) or a span that is not the body's (422); find the quotes and
    figures when none were sent and `extract` is on."""
    canonical, digest = identity(data)
    existing = duplicate_of(canonical, digest)
    if existing is not None:
        raise _duplicate_conflict(existing, canonical is not None)
    _raise_on_span_errors(
        span_errors(data.body, data.quotes, "quotes")
        + span_errors(data.body, data.statistics, "statistics")
    )
    quotes, stats = data.quotes, data.statistics
    if places is None:
        places = [PlaceIn.from_client(loc) for loc in data.locations or ()]
    if quotes is None and stats is None and data.extract:
        found = extraction.analyse_body(data.body)
        quotes, stats = found.quotes, found.statistics
        if data.locations is None:
            places = list(found.places)
    return Checked(data, canonical, digest, quotes or (), stats or (), places)


def directory_rows(
    session: Session, checked: Checked, known: Known | None
) -> tuple[Source | None, ChildWriter]:
    """The article's source, places and speakers, found or created (while no article is
    pending: their inserts flush only themselves), and the writer that knows them."""
    data = checked.data
    source = (
        get_or_create_source(session, data.source, domain=data.source_domain, url=data.url)
        if data.source
        else None
    )
    writer = ChildWriter(session, known)
    writer.prepare(checked.places, checked.quotes)
    return source, writer


def article_values(checked: Checked, now: datetime) -> dict[str, Any]:
    """The new article's own attributes (its source apart)."""
    data = checked.data
    return {
        "title": data.title,
        "url": data.url,
        "canonical_url": checked.canonical,
        "content_hash": checked.digest,
        "published_at": data.published_at,
        "sort_at": data.published_at or now,
        "created_at": now,  # an undated article sorts by this very time (a mirror recomputes it)
        "language": data.language.lower() if data.language else None,
        "authors": list(data.authors),
        "read_time_minutes": data.read_time_minutes,
        "body": data.body,
        "word_count": _word_count(data.body),
        "licence": data.licence,
        "attribution": data.attribution,
    }


def create_article(
    session: Session,
    data: ArticleCreate,
    *,
    places: Sequence[PlaceIn] | None = None,
    known: Known | None = None,
) -> Article:
    """Store a structured article. Quotes/statistics sent are stored as given (after the
    provenance check); when neither is sent and `extract` is on, they are found in the body.
    `places` are places found by extraction (with mention counts), used instead of
    `data.locations`. `known`: directory rows looked up beforehand for many writes of this
    transaction (`look_up`)."""
    checked = check_new(data, places, stored_duplicate(session))
    source, writer = directory_rows(session, checked, known)
    article = Article(source=source, **article_values(checked, utcnow()))
    # Nothing is flushed until the end of the block: a duplicate URL must surface there,
    # not in a directory lookup's autoflush.
    with _unique_or_conflict(session, checked.canonical, checked.digest), session.no_autoflush:
        session.add(article)
        writer.set_tags(article, data.tags)
        by_name = writer.set_locations(article, checked.places)
        writer.set_quotes(article, checked.quotes)
        writer.set_statistics(article, checked.statistics, by_name)
    changes.record(session, "article", article.id, "created")
    return article


def look_up(
    session: Session, items: Sequence[tuple[ArticleCreate, Sequence[PlaceIn] | None]]
) -> Known:
    """The places and speakers these articles (each with the places `create_article` gets)
    name, looked up in two queries each instead of one or two per name."""
    places: list[str] = []
    speakers: list[str] = []
    for data, found in items:
        chosen = (
            found if found is not None else [PlaceIn.from_client(x) for x in data.locations or ()]
        )
        places += [location_key(p.name, p.country_code) for p in chosen]
        for q in data.quotes or ():
            if q.speaker:
                key = name_key(q.speaker.name)
                speakers.append(key)
                if " " in key:
                    speakers.append(key.rsplit(" ", 1)[1])  # the surname a short row may have
    known = Known()
    known.load(session, places, speakers)
    return known


def extracted(data: ArticleCreate) -> tuple[ArticleCreate, list[PlaceIn] | None]:
    """What `create_article` would extract from a structured article, found now (outside
    any transaction): the article with its quotes and statistics filled in, and the places
    found (None: use the article's own `locations`). Unchanged when nothing is to be found."""
    if data.quotes is not None or data.statistics is not None or not data.extract:
        return data, None
    found = extraction.analyse_body(data.body)
    places = list(found.places) if data.locations is None else None
    filled = {"quotes": list(found.quotes), "statistics": list(found.statistics)}
    return data.model_copy(update={**filled, "extract": False}), places


@dataclass(frozen=True)
class Extracted:
    """How many items an update's re-extraction stored (None: that list was sent)."""

    quotes: int | None
    statistics: int | None

    def header(self) -> str:
        """`quotes=3; statistics=2` (only the lists that were extracted)."""
        counts = {"quotes": self.quotes, "statistics": self.statistics}
        return "; ".join(f"{k}={v}" for k, v in counts.items() if v is not None)


def update_article(
    session: Session, article: Article, data: ArticleUpdate
) -> tuple[Article, Extracted | None]:
    """Apply a partial update. A new body without new quotes/statistics re-extracts them;
    what was extracted is returned with the article."""
    fields = data.model_dump(exclude_unset=True)
    body = fields.get("body", article.body)
    body_changed = body != article.body
    _raise_on_span_errors(
        span_errors(body, data.quotes if "quotes" in fields else None, "quotes")
        + span_errors(body, data.statistics if "statistics" in fields else None, "statistics")
    )
    new_url = data.url if "url" in fields else article.url
    new_canonical = canonical_url(new_url) if new_url else None
    new_title = data.title if data.title is not None else article.title
    new_digest = content_hash(new_title, body)
    other = repo.find_duplicate(session, new_canonical, new_digest)
    if other is not None and other.id != article.id:
        raise _duplicate_conflict(other.id, new_canonical is not None)

    # What the new version needs, decided (and directory rows created) before the article
    # itself changes, so those inserts never flush a half-updated article.
    found = None
    if body_changed and ("quotes" not in fields or "statistics" not in fields):
        found = extraction.analyse_body(body)
    places: list[PlaceIn] | None = None
    if "locations" in fields:
        places = [PlaceIn.from_client(loc) for loc in data.locations or ()]
    elif found is not None:
        places = found.places
    quotes: Sequence[QuoteIn] | None = found.quotes if found else None
    if "quotes" in fields:
        quotes = data.quotes or []
    stats: Sequence[StatisticIn] | None = found.statistics if found else None
    if "statistics" in fields:
        stats = data.statistics or []
    source = None
    if "source" in fields and data.source:
        source = get_or_create_source(session, data.source, url=new_url)
    writer = ChildWriter(session)
    writer.prepare(places or (), quotes or ())

    with _unique_or_conflict(session, new_canonical, new_digest), session.no_autoflush:
        article.updated_at = utcnow()  # always a row update, so the version (and ETag) moves
        article.url, article.canonical_url = new_url, new_canonical
        article.content_hash = new_digest
        for name in (
            "title", "published_at", "authors", "read_time_minutes", "licence", "attribution",
        ):  # fmt: skip
            if name in fields:
                setattr(article, name, fields[name])
        if "language" in fields:
            article.language = data.language.lower() if data.language else None
        if "source" in fields:
            article.source = source
        if body_changed:
            article.body = body
            article.word_count = _word_count(body)
        article.sort_at = article.published_at or article.created_at
        if "tags" in fields:
            writer.set_tags(article, data.tags or ())
        if places is not None:
            by_name = writer.set_locations(article, places)
        else:
            by_name = {link.location.name_key: link.location for link in article.locations}
        if quotes is not None:
            writer.set_quotes(article, quotes)
        if stats is not None:
            writer.set_statistics(article, stats, by_name)
        for quote in article.quotes:
            quote.sort_at = article.sort_at
        for stat in article.statistics:
            stat.sort_at = article.sort_at
    changes.record(session, "article", article.id, "updated")
    if found is None:
        return article, None
    return article, Extracted(
        quotes=None if "quotes" in fields else len(found.quotes),
        statistics=None if "statistics" in fields else len(found.statistics),
    )


def delete_article(session: Session, article: Article) -> None:
    changes.record(session, "article", article.id, "deleted")
    session.delete(article)
    session.flush()


def get_article(session: Session, article_id: str) -> Article:
    """The article with this id, or NotFound."""
    article = repo.get(session, article_id)
    if article is None:
        raise NotFound(f"No article with id {article_id}.")
    return article


# --- writes as the routes answer them: the stored document and its ETag -------------------


def store(session: Session, payload: ArticleCreate | RawArticleCreate) -> Document:
    """Create an article sent structured or raw; its document is rendered now."""
    if isinstance(payload, RawArticleCreate):
        parsed = extraction.parse_raw(payload)
        article = create_article(session, parsed.article, places=parsed.places)
    else:
        article = create_article(session, payload)
    return _rendered(session, article.id)


def change(
    session: Session, article: Article, data: ArticleUpdate, if_match: str | None
) -> tuple[Document, Extracted | None]:
    """Apply an update if `If-Match` (when sent) still matches; the new document, and what
    re-extraction stored if it ran."""
    check_if_match(if_match, _current_etag(session, article))
    updated, extracted = update_article(session, article, data)
    return _rendered(session, updated.id), extracted


def remove(session: Session, article: Article, if_match: str | None) -> None:
    """Delete an article if `If-Match` (when sent) still matches."""
    check_if_match(if_match, _current_etag(session, article))
    delete_article(session, article)


def _rendered(session: Session, article_id: str) -> Document:
    content, etag = read_model.current(session, article_id)
    return Document(article_id, content, etag)


def _current_etag(session: Session, article: Article) -> str:
    """The ETag a GET of the article returns now (for If-Match)."""
    found = read_model.read(session.connection(), article.id)
    assert found is not None, "the article was just read in this transaction"
    return found[1]
