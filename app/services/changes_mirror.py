"""`conflict-news sync`: mirror a remote instance into this database through its public
change feed (`GET /v1/changes?include=document`), keeping every id.

Each page of changes is applied in one transaction together with the remote's new cursor
(`sync_state`), so a sync stopped at any point resumes exactly after the last page it
committed. The documents are the rows as they are now on the remote, so applying them in
feed order converges on the remote's current state. The local database should be written
only by the sync: a local row holding a name the remote gives another id is a conflict."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import models
from app.core.errors import Conflict, RemoteError
from app.core.normalise import canonical_url, content_hash, name_key
from app.models import Article, Location, Quote, Source, Speaker, Statistic
from app.repositories import changes as repo
from app.services import changes
from app.services.directory import location_key


@dataclass(frozen=True)
class FeedPage:
    changes: list[dict[str, Any]]
    next_cursor: str
    has_more: bool


def feed_url(remote: str, cursor: str | None, limit: int) -> str:
    query = {"include": "document", "limit": str(limit)}
    if cursor:
        query["since"] = cursor
    return f"{remote.rstrip('/')}/v1/changes?{urllib.parse.urlencode(query)}"


def fetch_page(
    remote: str, cursor: str | None, limit: int, key: str | None, timeout: float = 60
) -> FeedPage:
    """One page of the remote's feed with documents."""
    request = urllib.request.Request(feed_url(remote, cursor, limit))
    request.add_header("Accept", "application/json")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            page = json.load(resp)
    except urllib.error.HTTPError as exc:
        raise RemoteError(f"{remote} answered {exc.code} to the change feed.") from exc
    except (OSError, ValueError) as exc:
        raise RemoteError(f"{remote} could not be read: {exc}") from exc
    return FeedPage(page["data"], page["next_cursor"], bool(page["has_more"]))


def remote_key(remote: str) -> str:
    return remote.rstrip("/")


def cursor_of(session: Session, remote: str) -> str | None:
    """Where the last sync of `remote` stopped (None: never synced)."""
    state = repo.sync_state(session, remote_key(remote))
    return None if state is None else state.cursor


def pages(remote: str, cursor: str | None, limit: int, key: str | None) -> Iterator[FeedPage]:
    """The remote's feed from `cursor` on, page by page, until it is up to date."""
    while True:
        page = fetch_page(remote, cursor, limit, key)
        yield page
        cursor = page.next_cursor
        if not page.has_more:
            return


def apply_page(session: Session, remote: str, page: FeedPage) -> int:
    """Apply one page of changes and store the cursor after it; returns how many applied."""
    try:
        with session.begin_nested():
            for change in page.changes:
                _apply(session, change)
            session.flush()
    except IntegrityError as exc:
        raise Conflict(
            "A local row holds a name or URL the remote gives another id; sync into a "
            "database written only by the sync."
        ) from exc
    state = repo.sync_state(session, remote_key(remote))
    if state is None:
        state = models.SyncState(remote=remote_key(remote), cursor=page.next_cursor, applied=0)
        session.add(state)
    state.cursor = page.next_cursor
    state.applied = (state.applied or 0) + len(page.changes)
    session.flush()
    return len(page.changes)


def _apply(session: Session, change: dict[str, Any]) -> None:
    doc = change.get("document")
    kind, id_ = change["resource"], change["id"]
    if kind == "article":
        if doc is None:
            _delete_article(session, id_)
        else:
            _article(session, doc)
    elif doc is not None and kind in _DIRECTORY:
        _DIRECTORY[kind](session, doc)
        changes.record(session, kind, id_, change["action"])
    # A resource this version does not know (the list may grow) is skipped.


def _when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


R = TypeVar("R", Source, Speaker, Location)


def _row(session: Session, model: type[R], row_id: str) -> R:
    """The mirrored row with this id, or a new one added to the session."""
    row = session.get(model, row_id)
    if row is None:
        row = model(id=row_id)
        session.add(row)
    return row


def _source(session: Session, doc: dict[str, Any]) -> Source:
    row = _row(session, Source, doc["id"])
    row.name, row.name_key, row.domain = doc["name"], name_key(doc["name"]), doc.get("domain")
    row.licence, row.attribution = doc.get("licence"), doc.get("attribution")
    return row


def _speaker(session: Session, doc: dict[str, Any]) -> Speaker:
    row = _row(session, Speaker, doc["id"])
    row.name, row.name_key = doc["name"], name_key(doc["name"])
    row.organisation = doc.get("organisation")
    row.named = doc.get("named", True)
    if "aliases" in doc:
        wanted = {name_key(a): a for a in doc["aliases"]}
        row.aliases = [a for a in row.aliases if a.alias_key in wanted]
        have = {a.alias_key for a in row.aliases}
        row.aliases += [
            models.SpeakerAlias(alias_key=k, alias=a) for k, a in wanted.items() if k not in have
        ]
    return row


def _location(session: Session, doc: dict[str, Any]) -> Location:
    row = _row(session, Location, doc["id"])
    row.name, row.name_key = doc["name"], name_key(doc["name"])
    row.location_key = location_key(doc["name"], doc.get("country_code"))
    row.kind, row.country_code = doc.get("kind") or "other", doc.get("country_code")
    row.latitude, row.longitude = doc.get("latitude"), doc.get("longitude")
    return row


_DIRECTORY = {"source": _source, "speaker": _speaker, "location": _location}


def _delete_article(session: Session, article_id: str) -> None:
    article = session.get(Article, article_id)
    if article is not None:
        changes.record(session, "article", article_id, "deleted")
        session.delete(article)
        session.flush()


def _article(session: Session, doc: dict[str, Any]) -> None:
    source = _source(session, doc["source"]) if doc.get("source") else None
    places = {p["id"]: _location(session, p) for p in doc["locations"]}
    for q in doc["quotes"]:
        if q["speaker"] and session.get(Speaker, q["speaker"]["id"]) is None:
            _speaker(session, q["speaker"])  # normally created by an earlier change
    session.flush()
    article = session.get(Article, doc["id"])
    action = "updated"
    if article is None:
        article, action = Article(id=doc["id"]), "created"
        session.add(article)
    else:  # children are replaced whole: drop the old rows first (their ids come back)
        article.quotes, article.statistics, article.tags, article.locations = [], [], [], []
        session.flush()
    own = doc.get("licence_from") == "article"
    article.title, article.url, article.body = doc["title"], doc["url"], doc["body"]
    article.canonical_url = canonical_url(doc["url"]) if doc["url"] else None
    article.content_hash = content_hash(doc["title"], doc["body"])
    article.source = source
    article.published_at = _when(doc["published_at"])
    article.created_at = _when(doc["created_at"]) or article.created_at
    article.updated_at = _when(doc["updated_at"]) or article.updated_at
    article.sort_at = article.published_at or article.created_at
    article.language, article.authors = doc["language"], list(doc["authors"])
    article.read_time_minutes, article.word_count = doc["read_time_minutes"], doc["word_count"]
    article.licence = doc.get("licence") if own else None
    article.attribution = doc.get("attribution") if own else None
    article.tags = [models.ArticleTag(tag=t) for t in doc["tags"]]
    article.locations = [
        models.ArticleLocation(
            location_id=p["id"],
            location=places[p["id"]],
            mentions=p["mentions"],
            is_primary=p["primary"],
        )
        for p in doc["locations"]
    ]
    by_name = {name_key(p["name"]): p["id"] for p in doc["locations"]}
    article.quotes = [_quote(q, article.sort_at) for q in doc["quotes"]]
    article.statistics = [_statistic(s, article.sort_at, by_name) for s in doc["statistics"]]
    session.flush()
    changes.record(session, "article", article.id, action)


def _quote(q: dict[str, Any], sort_at: datetime) -> Quote:
    speaker = q["speaker"]
    return Quote(
        id=q["id"],
        text=q["text"],
        kind=q["kind"],
        speaker_id=speaker["id"] if speaker else None,
        speaker_name=speaker["name"] if speaker else None,
        speaker_role=speaker["role"] if speaker else None,
        cue=q["cue"],
        context=q["context"],
        start=q["start"],
        end=q["end"],
        sort_at=sort_at,
    )


def _statistic(s: dict[str, Any], sort_at: datetime, places: dict[str, str]) -> Statistic:
    return Statistic(
        id=s["id"],
        value=s["value"],
        value_max=s["value_max"],
        unit=s["unit"],
        metric=s["metric"],
        qualifier=s["qualifier"],
        subject=s["subject"],
        location=s["location"],
        location_id=places.get(name_key(s["location"])) if s["location"] else None,
        cited_by=s["cited_by"],
        text=s["text"],
        sentence=s["sentence"],
        start=s["start"],
        end=s["end"],
        sort_at=sort_at,
    )
