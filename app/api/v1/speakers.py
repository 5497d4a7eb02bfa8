"""/v1/speakers: people and bodies quoted across articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import CodecDep, DatabaseDep, ReadKey, SessionDep, SpeakerId
from app.api.listing import export_responses, serve_list
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.directory import SpeakerRead
from app.schemas.filters import SpeakerFilter
from app.services import speakers as service

router = APIRouter(prefix="/speakers", tags=["speakers"])


@router.get(
    "",
    response_model=Page[SpeakerRead],
    summary="List speakers",
    responses={**export_responses(SpeakerRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_speakers(
    filters: Annotated[SpeakerFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """People and bodies quoted, alphabetically, with the roles they were quoted in, their
    aliases and how many quotes and articles they appear in."""
    return serve_list(service.SPEAKERS, filters, request, response, session, codec, database)


@router.get(
    "/{speaker_id}",
    response_model=SpeakerRead,
    summary="Get a speaker",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_speaker(speaker_id: SpeakerId, session: SessionDep, _: ReadKey) -> SpeakerRead:
    """One speaker with roles, aliases and counts. Their quotes: `GET /v1/quotes?speaker_id=`."""
    return service.get_speaker(session, speaker_id)
