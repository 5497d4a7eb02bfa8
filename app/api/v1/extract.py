"""POST /v1/extract: the extraction dry run. Nothing is stored."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from app.api.body import payload_openapi, read_raw_text
from app.api.deps import ReadKey
from app.schemas.common import READ_PROBLEMS, problems
from app.schemas.extract import ExtractRead
from app.services.extraction import extraction_document, run_extract

router = APIRouter(tags=["extract"])


@router.post(
    "/extract",
    response_model=ExtractRead,
    response_model_exclude_unset=True,
    summary="Extract quotes and figures from text",
    responses=problems(400, 413, 415, 422, *READ_PROBLEMS),
    openapi_extra=payload_openapi(raw_only=True),
)
def extract_text(
    _: ReadKey,
    text: Annotated[str, Depends(read_raw_text)],
    explain: Annotated[
        bool,
        Query(
            description="Say for each quote and figure which extraction rules produced it "
            "(a `rules` list of stable rule names)."
        ),
    ] = False,
) -> Any:
    """Parse raw scraped text (or HTML) the way `POST /v1/articles` with `{"text": ...}`
    would: headline, publisher, read time and authors; a body cleaned of share, comment,
    newsletter and read-time noise; direct and indirect quotes with their speakers, cue verbs
    and context; figures with value, unit, metric, qualifier, place and who gave them; and
    the places mentioned. Every offset indexes the returned `body`. Nothing is stored.

    With `explain=true` each quote and figure also lists the named rules that produced it
    (for a quote: its span rule, attribution sieve and coreference step; for a figure: number,
    unit, metric and place rules)."""
    return extraction_document(run_extract(text), explain=explain)
