"""/v1/speakers: people and bodies quoted across articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from app.api.deps import ListsDep, ReadKey, SessionDep, SpeakerId
from app.api.listing import get_route, list_route
from app.schemas.directory import SpeakerRead
from app.schemas.filters import SpeakerFilter
from app.services import speakers as service

router = APIRouter(prefix="/speakers", tags=["speakers"])


@router.get("", **list_route(SpeakerRead, "List speakers"))
def list_speakers(filters: Annotated[SpeakerFilter, Query()], lists: ListsDep, _: ReadKey) -> Any:
    """People and bodies quoted, alphabetically (`sort=quote_count`: most quoted first;
    `sort=latest_quote`: most recently quoted first), with the roles they were quoted in,
    their aliases, how many quotes and articles they appear in and when they were last
    quoted. `q` finds them by word prefixes of a name or alias, titles ignored
    ("Defense Minister Rustem Umerov" and `umer` both find Rustem Umerov)."""
    return lists.serve(service.SPEAKERS, filters)


@router.get("/{speaker_id}", **get_route(SpeakerRead, "Get a speaker"))
def get_speaker(speaker_id: SpeakerId, session: SessionDep, _: ReadKey) -> SpeakerRead:
    """One speaker with roles, aliases and counts. Their quotes: `GET /v1/quotes?speaker_id=`."""
    return service.get_speaker(session, speaker_id)
