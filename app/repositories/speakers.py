"""Speaker queries: the directory list, one speaker, and name/alias lookups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, distinct, func, or_, select
from sqlalchemy.orm import Session

from app.core.normalise import name_key
from app.models import Quote, Speaker, SpeakerAlias
from app.schemas.filters import SpeakerFilter


def speaker_ids_for(name: str | None, speaker_id: str | None) -> Select[str] | None:
    """Sub-select of speaker ids matching a name/alias and/or an id; None when no filter."""
    if not name and not speaker_id:
        return None
    stmt = select(Speaker.id)
    if speaker_id:
        stmt = stmt.where(Speaker.id == speaker_id)
    if name:
        key = name_key(name)
        matches = [
            Speaker.name_key == key,
            Speaker.id.in_(select(SpeakerAlias.speaker_id).where(SpeakerAlias.alias_key == key)),
        ]
        if key and " " not in key:
            # One word also finds people by surname: "umerov" -> "rustem umerov".
            matches.append(Speaker.name_key.like(f"% {_escape_like(key)}", escape="\\"))
        stmt = stmt.where(or_(*matches))
    return stmt


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _speaker_counts() -> tuple[Any, Any]:
    quote_count = (
        select(func.count(Quote.id)).where(Quote.speaker_id == Speaker.id).scalar_subquery()
    )
    article_count = (
        select(func.count(distinct(Quote.article_id)))
        .where(Quote.speaker_id == Speaker.id)
        .scalar_subquery()
    )
    return quote_count.label("quote_count"), article_count.label("article_count")


def speaker_statement(f: SpeakerFilter, _dialect: str = "") -> Select[Any]:
    stmt = select(Speaker, *_speaker_counts())
    ids = speaker_ids_for(f.name, None)
    if ids is not None:
        stmt = stmt.where(Speaker.id.in_(ids))
    if not f.include_descriptions:
        stmt = stmt.where(Speaker.named.is_(True))
    return stmt.order_by(Speaker.name_key, Speaker.id)


def speaker_with_counts(session: Session, speaker_id: str) -> Any:
    stmt = select(Speaker, *_speaker_counts()).where(Speaker.id == speaker_id)
    return session.execute(stmt).one_or_none()


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
