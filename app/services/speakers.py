"""Speakers: the directory list and one speaker."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.repositories import speakers as repo
from app.schemas.directory import SpeakerRead
from app.schemas.filters import SpeakerFilter
from app.services.listing import ListEndpoint, one_or_404
from app.services.views import speaker_reads

SPEAKERS: ListEndpoint[SpeakerFilter] = ListEndpoint(
    "speakers",
    SpeakerRead,
    statement=lambda f, _dialect: repo.speaker_statement(f),
    render=lambda session, rows, _: speaker_reads(session, rows),
)


def get_speaker(session: Session, speaker_id: str) -> SpeakerRead:
    row = one_or_404(repo.speaker_with_counts(session, speaker_id), "speaker", speaker_id)
    return speaker_reads(session, [row])[0]
