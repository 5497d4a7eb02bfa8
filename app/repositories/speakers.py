"""Speaker queries: the directory list, one speaker, and name/alias lookups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, distinct, func, literal, or_, select
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.models import Quote, Speaker, SpeakerAlias
from app.models.base import UtcDateTime
from app.repositories import common
from app.schemas.filters import SpeakerFilter


def speaker_ids_for(
    names: Sequence[str] | None, speaker_ids: Sequence[str] | None
) -> Select[str] | None:
    """Sub-select of speaker ids matching any of the names/aliases and/or of the ids; None
    when no filter."""
    if not names and not speaker_ids:
        return None
    stmt = select(Speaker.id)
    if speaker_ids:
        stmt = stmt.where(Speaker.id.in_(speaker_ids))
    if names:
        keys = list(dict.fromkeys(name_key(name) for name in names))
        matches = [
            Speaker.name_key.in_(keys),
            Speaker.id.in_(select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias_key.in_(keys))),
        ]
        # One word also finds people by surname: "umerov" -> "rustem umerov".
        matches.extend(
            Speaker.name_key.like(f"% {_escape_like(key)}", escape="\\")
            for key in keys
            if key and " " not in key
        )
        stmt = stmt.where(or_(*matches))
    return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _speaker_counts() -> tuple[Any, Any, Any]:
    quote_count = (
        select(func.count(Quote.id)).where(Quote.speaker_id == Speaker.id).scalar_subquery()
    )
    article_count = (
        select(func.count(distinct(Quote.article_id)))
        .where(Quote.speaker_id == Speaker.id)
        .scalar_subquery()
    )
    latest = select(func.max(Quote.sort_at)).where(Quote.speaker_id == Speaker.id)
    return (
        quote_count.label("quote_count"),
        article_count.label("article_count"),
        latest.scalar_subquery().label("latest_quote_at"),
    )


# A speaker with no quote left (merged away, or all its articles deleted) sorts last by
# `latest_quote`: keyset pages cannot compare NULLs.
_NEVER = datetime(1, 1, 1, tzinfo=UTC)


def _aggregated() -> Any:
    """Every speaker's quote count and latest quote in one grouped pass over the covering
    index (for the sorts by them: correlated counts for every speaker, then sorted, took
    over a second at 100k quotes; 40 ms so). The article counts, which need the rows, are
    read for the page only (`article_counts`)."""
    return (
        select(
            Quote.speaker_id.label("speaker_id"),
            func.count().label("quote_count"),
            func.max(Quote.sort_at).label("latest_quote_at"),
        )
        .where(Quote.speaker_id.is_not(None))
        .group_by(Quote.speaker_id)
        .subquery("speaker_counts")
    )


def speaker_statement(f: SpeakerFilter, _dialect: str = "") -> Select[Any]:
    if f.sort == "name":
        stmt = select(Speaker, *_speaker_counts())
    else:
        agg = _aggregated()
        quote_count = func.coalesce(agg.c.quote_count, 0)
        latest = func.coalesce(agg.c.latest_quote_at, literal(_NEVER, UtcDateTime()))
        stmt = select(
            Speaker,
            quote_count.label("quote_count"),
            literal(None).label("article_count"),  # filled by article_counts()
            agg.c.latest_quote_at,
        ).outerjoin(agg, agg.c.speaker_id == Speaker.id)
    stmt = stmt.where(*common.selection(f, Speaker.id, Speaker.updated_at))
    ids = speaker_ids_for(f.name, None)
    if ids is not None:
        stmt = stmt.where(Speaker.id.in_(ids))
    words = f.q_words()
    if words:
        aliases = [
            select(SpeakerAlias.speaker_id).where(common.word_prefix(SpeakerAlias.alias_key, w))
            for w in words
        ]
        stmt = stmt.where(
            *(
                or_(common.word_prefix(Speaker.name_key, w), Speaker.id.in_(alias))
                for w, alias in zip(words, aliases, strict=True)
            )
        )
    if not f.include_descriptions:
        stmt = stmt.where(Speaker.named.is_(True))
    if f.sort == "quote_count":
        return stmt.order_by(quote_count.desc(), Speaker.name_key, Speaker.id)
    if f.sort == "latest_quote":
        return stmt.order_by(latest.desc(), Speaker.name_key, Speaker.id)
    return stmt.order_by(Speaker.name_key, Speaker.id)


def speaker_with_counts(session: Session, speaker_id: str) -> Any:
    stmt = select(Speaker, *_speaker_counts()).where(Speaker.id == speaker_id)
    return session.execute(stmt).one_or_none()


def article_counts(session: Session, speaker_ids: Sequence[str]) -> dict[str, int]:
    """How many articles quote each of these speakers."""
    if not speaker_ids:
        return {}
    rows = session.execute(
        select(Quote.speaker_id, func.count(distinct(Quote.article_id)))
        .where(Quote.speaker_id.in_(speaker_ids))
        .group_by(Quote.speaker_id)
    )
    return {sid: n for sid, n in rows if sid is not None}


def speaker_roles(session: Session, speaker_ids: Sequence[str]) -> dict[str, list[str]]:
    if not speaker_ids:
        return {}
    rows = session.execute(
        select(Quote.speaker_id, Quote.speaker_role)
        .where(Quote.speaker_id.in_(speaker_ids), Quote.speaker_role.is_not(None))
        .distinct()
        .order_by(Quote.speaker_id, Quote.speaker_role)
    ).all()
    roles: dict[str, list[str]] = defaultdict(list)
    for sid, role in rows:
        if sid is not None and role is not None:
            roles[sid].append(role)
    return roles


def find_speaker(session: Session, key: str) -> Speaker | None:
    by_name = session.scalars(select(Speaker).where(Speaker.name_key == key)).first()
    if by_name is not None:
        return by_name
    return session.scalars(
        select(Speaker)
        .join(SpeakerAlias, SpeakerAlias.speaker_id == Speaker.id)
        .where(SpeakerAlias.alias_key == key)
        .order_by(Speaker.id)
        .limit(1)
    ).first()


def speakers_with_surname(session: Session, surname_key: str) -> list[Speaker]:
    """Speakers whose full name ends with this single-word key ("umerov")."""
    pattern = f"% {_escape_like(surname_key)}"
    return list(
        session.scalars(select(Speaker).where(Speaker.name_key.like(pattern, escape="\\")).limit(3))
    )


def speakers_by_surname(session: Session, surname_keys: Sequence[str]) -> dict[str, list[Speaker]]:
    """`speakers_with_surname` for many single-word keys at once: every match of each key
    (in id order), a query per 200 keys."""
    wanted = sorted(set(surname_keys))
    found: dict[str, list[Speaker]] = {k: [] for k in wanted}
    for start in range(0, len(wanted), 200):
        patterns = [
            Speaker.name_key.like(f"% {_escape_like(k)}", escape="\\")
            for k in wanted[start : start + 200]
        ]
        for speaker in session.scalars(select(Speaker).where(or_(*patterns)).order_by(Speaker.id)):
            matches = found.get(speaker.name_key.rsplit(" ", 1)[-1])
            if matches is not None:
                matches.append(speaker)
    return found


def find_speakers(session: Session, keys: Sequence[str]) -> dict[str, Speaker]:
    """`find_speaker` for many keys at once (by name, else by alias); absent keys are left
    out."""
    wanted = sorted(set(keys))
    found: dict[str, Speaker] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for speaker in session.scalars(select(Speaker).where(Speaker.name_key.in_(chunk))):
            found[speaker.name_key] = speaker
        rest = [k for k in chunk if k not in found]
        if rest:
            rows = session.execute(
                select(SpeakerAlias.alias_key, Speaker)
                .join(Speaker, SpeakerAlias.speaker_id == Speaker.id)
                .where(SpeakerAlias.alias_key.in_(rest))
                .order_by(Speaker.id)
            ).all()
            for alias_key, speaker in rows:
                found.setdefault(alias_key, speaker)
    return found
