"""/v1/speakers, /v1/sources, /v1/locations: directories built from the articles."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.auth import require_scope
from app.api.deps import CodecDep, SessionDep
from app.core.errors import NotFound
from app.core.pagination import apply_link
from app.repositories import directory as repo
from app.schemas.common import READ_PROBLEMS, Page, problems
from app.schemas.directory import LocationRead, SourceRead, SpeakerRead
from app.schemas.filters import LocationFilter, SourceFilter, SpeakerFilter

speakers = APIRouter(
    prefix="/speakers", tags=["speakers"], dependencies=[Depends(require_scope("read"))]
)
sources = APIRouter(
    prefix="/sources", tags=["sources"], dependencies=[Depends(require_scope("read"))]
)
locations = APIRouter(
    prefix="/locations", tags=["locations"], dependencies=[Depends(require_scope("read"))]
)


def _id_path(what: str, prefix: str) -> Any:
    return Path(
        min_length=1,
        max_length=64,
        description=f"{what} id.",
        examples=[f"{prefix}_0195c1a2b3c47d8e9f00112233445566"],
    )


SpeakerId = Annotated[str, _id_path("Speaker", "spk")]
SourceId = Annotated[str, _id_path("Source", "src")]
LocationId = Annotated[str, _id_path("Location", "loc")]


def _speakers(session: Any, rows: list[Any]) -> list[SpeakerRead]:
    roles = repo.speaker_roles(session, [row[0].id for row in rows])
    return [
        SpeakerRead(
            id=sp.id,
            name=sp.name,
            organisation=sp.organisation,
            aliases=sorted(a.alias for a in sp.aliases),
            roles=roles.get(sp.id, []),
            quote_count=qc,
            article_count=ac,
        )
        for sp, qc, ac in rows
    ]


@speakers.get(
    "",
    response_model=Page[SpeakerRead],
    summary="List speakers",
    responses=problems(400, 422, *READ_PROBLEMS),
)
def list_speakers(
    filters: Annotated[SpeakerFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
) -> Page[SpeakerRead]:
    """People and bodies quoted, alphabetically, with the roles they were quoted in, their
    aliases and how many quotes and articles they appear in."""
    result = repo.speaker_page(session, filters, codec)
    apply_link(response, request.url, result.next_cursor)
    return Page[SpeakerRead](data=_speakers(session, result.rows), next_cursor=result.next_cursor)


@speakers.get(
    "/{speaker_id}",
    response_model=SpeakerRead,
    summary="Get a speaker",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_speaker(speaker_id: SpeakerId, session: SessionDep) -> SpeakerRead:
    """One speaker with roles, aliases and counts. Their quotes: `GET /v1/quotes?speaker_id=`."""
    row = repo.speaker_with_counts(session, speaker_id)
    if row is None:
        raise NotFound(f"No speaker with id {speaker_id}.")
    return _speakers(session, [row])[0]


@sources.get(
    "",
    response_model=Page[SourceRead],
    summary="List sources",
    responses=problems(400, 422, *READ_PROBLEMS),
)
def list_sources(
    filters: Annotated[SourceFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
) -> Page[SourceRead]:
    """Publishers, alphabetically, with how many stored articles each has."""
    result = repo.source_page(session, filters, codec)
    apply_link(response, request.url, result.next_cursor)
    data = [
        SourceRead(id=s.id, name=s.name, domain=s.domain, article_count=n) for s, n in result.rows
    ]
    return Page[SourceRead](data=data, next_cursor=result.next_cursor)


@sources.get(
    "/{source_id}",
    response_model=SourceRead,
    summary="Get a source",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_source(source_id: SourceId, session: SessionDep) -> SourceRead:
    """One publisher with its article count. Its articles: `GET /v1/articles?source_id=`."""
    row = repo.source_with_count(session, source_id)
    if row is None:
        raise NotFound(f"No source with id {source_id}.")
    source, count = row
    return SourceRead(id=source.id, name=source.name, domain=source.domain, article_count=count)


def _location(loc: Any, count: int) -> LocationRead:
    return LocationRead(
        id=loc.id,
        name=loc.name,
        kind=loc.kind,
        country_code=loc.country_code,
        latitude=loc.latitude,
        longitude=loc.longitude,
        article_count=count,
    )


@locations.get(
    "",
    response_model=Page[LocationRead],
    summary="List locations",
    responses=problems(400, 422, *READ_PROBLEMS),
)
def list_locations(
    filters: Annotated[LocationFilter, Query()],
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
) -> Page[LocationRead]:
    """Places mentioned in articles, alphabetically, with kind, ISO 3166 country code,
    coordinates where known, and how many articles mention each."""
    result = repo.location_page(session, filters, codec)
    apply_link(response, request.url, result.next_cursor)
    return Page[LocationRead](
        data=[_location(loc, n) for loc, n in result.rows], next_cursor=result.next_cursor
    )


@locations.get(
    "/{location_id}",
    response_model=LocationRead,
    summary="Get a location",
    responses=problems(404, 422, *READ_PROBLEMS),
)
def get_location(location_id: LocationId, session: SessionDep) -> LocationRead:
    """One place with its article count. Its articles: `GET /v1/articles?location_id=`."""
    row = repo.location_with_count(session, location_id)
    if row is None:
        raise NotFound(f"No location with id {location_id}.")
    return _location(*row)
