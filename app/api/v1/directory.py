"""/v1/speakers, /v1/sources, /v1/locations: directories built from the articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import (
    CodecDep,
    DatabaseDep,
    LocationId,
    ReadKey,
    SessionDep,
    SourceId,
    SpeakerId,
)
from app.api.listing import Listing, export_responses, serve_list
from app.core.errors import NotFound
from app.repositories import directory as repo
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.directory import LocationRead, SourceRead, SpeakerRead
from app.schemas.filters import LocationFilter, SourceFilter, SpeakerFilter
from app.services.views import location_reads, source_reads, speaker_reads

speakers = APIRouter(prefix="/speakers", tags=["speakers"])
sources = APIRouter(prefix="/sources", tags=["sources"])
locations = APIRouter(prefix="/locations", tags=["locations"])

SPEAKERS = Listing(
    "speakers",
    SpeakerRead,
    repo.speaker_page,
    lambda f, _dialect: repo.speaker_statement(f),
    lambda session, rows, _: speaker_reads(session, rows),
)
SOURCES = Listing(
    "sources",
    SourceRead,
    repo.source_page,
    lambda f, _dialect: repo.source_statement(f),
    lambda _session, rows, _: source_reads(rows),
)
LOCATIONS = Listing(
    "locations",
    LocationRead,
    repo.location_page,
    lambda f, _dialect: repo.location_statement(f),
    lambda _session, rows, _: location_reads(rows),
)


@speakers.get(
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
    return serve_list(SPEAKERS, filters, request, response, session, codec, database)


@speakers.get(
    "/{speaker_id}",
    response_model=SpeakerRead,
    summary="Get a speaker",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_speaker(speaker_id: SpeakerId, session: SessionDep, _: ReadKey) -> SpeakerRead:
    """One speaker with roles, aliases and counts. Their quotes: `GET /v1/quotes?speaker_id=`."""
    row = repo.speaker_with_counts(session, speaker_id)
    if row is None:
        raise NotFound(f"No speaker with id {speaker_id}.")
    return speaker_reads(session, [row])[0]


@sources.get(
    "",
    response_model=Page[SourceRead],
    summary="List sources",
    responses={**export_responses(SourceRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_sources(
    filters: Annotated[SourceFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Publishers, alphabetically, with how many stored articles each has."""
    return serve_list(SOURCES, filters, request, response, session, codec, database)


@sources.get(
    "/{source_id}",
    response_model=SourceRead,
    summary="Get a source",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_source(source_id: SourceId, session: SessionDep, _: ReadKey) -> SourceRead:
    """One publisher with its article count. Its articles: `GET /v1/articles?source_id=`."""
    row = repo.source_with_count(session, source_id)
    if row is None:
        raise NotFound(f"No source with id {source_id}.")
    return source_reads([row])[0]


@locations.get(
    "",
    response_model=Page[LocationRead],
    summary="List locations",
    responses={**export_responses(LocationRead), **problems(400, 422, *READ_PROBLEMS)},
)
def list_locations(
    filters: Annotated[LocationFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
    _: ReadKey,
) -> Any:
    """Places mentioned in articles, alphabetically, with kind, ISO 3166 country code,
    coordinates where known, and how many articles mention each."""
    return serve_list(LOCATIONS, filters, request, response, session, codec, database)


@locations.get(
    "/{location_id}",
    response_model=LocationRead,
    summary="Get a location",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_location(location_id: LocationId, session: SessionDep, _: ReadKey) -> LocationRead:
    """One place with its article count. Its articles: `GET /v1/articles?location_id=`."""
    row = repo.location_with_count(session, location_id)
    if row is None:
        raise NotFound(f"No location with id {location_id}.")
    return location_reads([row])[0]
