"""A bulk batch's new articles written together: the checks and the directory rows as for
one article (`services/articles.py`), then every article, tag, place link, quote and figure
of the batch in one multi-row INSERT per table, instead of an ORM unit of work per article.

The ORM events that keep the derived tables exact do not see Core inserts, so the batch
tells each projection what it wrote, and they do their work at the commit as after a flush:
the read model renders the documents (`read_model.note_written`), the rollup recomputes
the touched days (`rollups.note_written`), the estimates regroup the figures' buckets (their
reference columns set as `before_flush` sets them: `projection.reference_columns`). The
change log and the webhook outbox are written by `changes.record`, as for one article.

Each article is all or nothing: a line refused by a check (a duplicate, a span that is not
the body's) has written nothing when it is refused, and the batch's rows are written inside
one SAVEPOINT, so a database error (a concurrent writer's unique URL) leaves nothing of
the batch and the caller stores its lines one by one instead."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import AppError
from app.models.base import new_id, utcnow
from app.projections import read_model, rollups
from app.reconciliation import projection as estimates
from app.repositories import article_rows as repo
from app.schemas.article import ArticleCreate
from app.schemas.places import PlaceIn
from app.services import changes
from app.services.articles import (
    Checked,
    article_values,
    check_new,
    directory_rows,
    identity,
)
from app.services.directory import Known

Item = tuple[int, ArticleCreate, Sequence[PlaceIn] | None]
"""(line, article, places found by extraction or None) of one line to store."""

_SPAN = {"start": "span_start", "end": "span_end"}


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    return {_SPAN.get(name, name): value for name, value in values.items()}


class _Batch:
    """The rows of the batch's articles, built article by article."""

    def __init__(self, session: Session, known: Known, items: Sequence[Item]) -> None:
        self.session = session
        self.known = known
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in repo.TABLES}
        canonicals: list[str] = []
        digests: list[str] = []
        for _, data, _ in items:
            canonical, digest = identity(data)
            if canonical:
                canonicals.append(canonical)
            else:
                digests.append(digest)
        self.ids = repo.duplicates(session, canonicals, digests)

    def duplicate_of(self, canonical: str | None, digest: str) -> str | None:
        return self.ids.get(("url", canonical) if canonical else ("hash", digest))

    def add(self, data: ArticleCreate, places: Sequence[PlaceIn] | None) -> str:
        """Check one article, find or create its directory rows, build its rows; its id.
        Raises the AppError that refuses it (nothing of it written then)."""
        checked = check_new(data, places, self.duplicate_of)
        source, writer = directory_rows(self.session, checked, self.known)
        now = utcnow()
        article_id = new_id("art")
        values = article_values(checked, now)
        sort_at = values["sort_at"]
        self.rows["article"].append(
            {
                **values,
                "id": article_id,
                "source_id": source.id if source is not None else None,
                "version": 1,
                "updated_at": now,
            }
        )
        common = {"article_id": article_id}
        self.rows["article_tag"] += [{**common, "tag": t} for t in dict.fromkeys(data.tags)]
        links, by_key = writer.links(checked.places)
        self.rows["article_location"] += [
            {
                **common,
                "location_id": link.location.id,
                "mentions": link.mentions,
                "is_primary": link.is_primary,
            }
            for link in links
        ]
        stamps = {**common, "created_at": now, "updated_at": now}
        for q in checked.quotes:
            quote = writer.quote_values(q, sort_at)
            speaker = quote.pop("speaker")
            self.rows["quote"].append(
                {
                    **_columns(quote),
                    **stamps,
                    "id": new_id("quo"),
                    "speaker_id": speaker and speaker.id,
                }
            )
        for s in checked.statistics:
            figure = writer.statistic_values(s, by_key, sort_at)
            figure.update(estimates.reference_columns(figure, data.body))
            self.rows["statistic"].append({**_columns(figure), **stamps, "id": new_id("sta")})
        changes.record(self.session, "article", article_id, "created")
        self._stored(checked, article_id)
        return article_id

    def _stored(self, checked: Checked, article_id: str) -> None:
        """A later line of the batch with the same URL (or content) is its duplicate."""
        key = ("url", checked.canonical) if checked.canonical else ("hash", checked.digest)
        self.ids.setdefault(key, article_id)

    def write(self) -> None:
        """Insert the rows and tell the projections of them."""
        self.session.flush()  # the new places and speakers first: the rows refer to them
        repo.insert_all(self.session, self.rows)
        read_model.note_written(self.session, [a["id"] for a in self.rows["article"]])
        figures = self.rows["statistic"]
        rollups.note_written(
            self.session,
            [(f["metric"], f["location_id"], f["unit"], f["sort_at"]) for f in figures],
        )
        estimates.note_written(self.session, [f["id"] for f in figures])


def write_batch(session: Session, items: Sequence[Item], known: Known) -> dict[int, str | AppError]:
    """Store these lines' articles in one SAVEPOINT of the session's transaction: per line,
    the new article's id or the AppError that refused it (a `Conflict` for a duplicate).
    A database error propagates, and then nothing of the batch was kept."""
    outcomes: dict[int, str | AppError] = {}
    known.defer_inserts = True
    with session.begin_nested():
        batch = _Batch(session, known, items)
        for line, data, places in items:
            try:
                outcomes[line] = batch.add(data, places)
            except AppError as exc:
                outcomes[line] = exc
        batch.write()
        session.flush()  # the change log, the webhook outbox, directory rows changed
    known.defer_inserts = False
    return outcomes
