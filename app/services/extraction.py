"""Bridge between the pure extraction package and the article service's input types."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

import structlog
from pydantic import BaseModel, ValidationError

from app.core import metrics
from app.core.errors import Unprocessable
from app.extraction import ExtractionResult, analyse, extract, warm_up
from app.schemas.article import (
    MAX_BODY_CHARS,
    ArticleCreate,
    QuoteIn,
    RawArticleCreate,
    StatisticIn,
)
from app.schemas.places import PlaceIn

log = structlog.get_logger(__name__)
M = TypeVar("M", bound=BaseModel)

TITLE_FALLBACK_CHARS = 120
# What a found place carries into the article service as it is (its name is clipped).
_PLACE_CARRIED = ("kind", "country_code", "latitude", "longitude", "mentions", "primary")


@dataclass(frozen=True)
class Found:
    quotes: list[QuoteIn] = field(default_factory=list)
    statistics: list[StatisticIn] = field(default_factory=list)
    places: list[PlaceIn] = field(default_factory=list)


def _clip(text: str | None, limit: int) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text[: limit - 1].rstrip() + "\u2026" if len(text) > limit else (text or None)


def _valid(model: type[M], data: dict[str, Any]) -> M | None:
    """Extraction output is checked against the same schema as client input; an item that
    does not fit is dropped (and logged) rather than failing the article."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        log.warning("extracted_item_dropped", model=model.__name__, errors=exc.error_count())
        return None


def _found(result: ExtractionResult) -> Found:
    quotes = [
        _valid(
            QuoteIn,
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "kind": q.kind,
                "speaker": None
                if q.speaker is None
                else {
                    "name": _clip(q.speaker.name, 300),
                    "role": _clip(q.speaker.role, 300),
                    "organisation": _clip(q.speaker.organisation, 300),
                    "named": q.speaker.named,
                },
                "cue": _clip(q.cue, 64),
                "context": _clip(q.context, 500),
            },
        )
        for q in result.quotes
    ]
    stats = [
        _valid(
            StatisticIn,
            {
                "text": s.text,
                "start": s.start,
                "end": s.end,
                "value": s.value,
                "value_max": s.value_max,
                "unit": _clip(s.unit, 32),
                "metric": _clip(s.metric, 64),
                "qualifier": s.qualifier,
                "subject": _clip(s.subject, 300),
                "location": _clip(s.location, 300),
                "cited_by": _clip(s.attributed_to, 300),
                "sentence": s.sentence[:20_000],
            },
        )
        for s in result.statistics
    ]
    places = [
        PlaceIn(p.name[:200], **{f: getattr(p, f) for f in _PLACE_CARRIED})
        for p in result.locations
    ]
    return Found(
        quotes=[q for q in quotes if q is not None],
        statistics=[s for s in stats if s is not None],
        places=places,
    )


def analyse_body(body: str) -> Found:
    """Quotes, statistics and places found in a body used as given (offsets into it)."""
    if not body.strip():
        return Found()
    return _found(analyse(body))


def extraction_document(result: ExtractionResult, *, explain: bool = False) -> dict[str, Any]:
    """The dry-run document (`POST /v1/extract`, `conflict-news extract`).

    With ``explain`` every quote and figure keeps ``rules``: the names of the extraction rules
    that produced it (its span, speaker or metric, place); without it they are left out.
    """
    doc = asdict(result)
    for stat in doc["statistics"]:
        stat["cited_by"] = stat.pop("attributed_to")
    if not explain:
        for item in (*doc["quotes"], *doc["statistics"]):
            item.pop("rules", None)
    return doc


def warm_up_extraction() -> None:
    """Load extraction's data before the first request (server start-up)."""
    warm_up()


def run_extract(text: str) -> ExtractionResult:
    """Parse and extract raw text; empty or unusable text is a 422."""
    try:
        with metrics.extraction_timer():
            return extract(text)
    except ValueError as exc:
        raise Unprocessable(
            str(exc),
            errors=[{"loc": ["body", "text"], "msg": str(exc), "type": "value_error"}],
        ) from exc


@dataclass(frozen=True)
class ParsedArticle:
    article: ArticleCreate
    places: list[PlaceIn]


def parse_raw(raw: RawArticleCreate) -> ParsedArticle:
    """Raw scraped text -> a structured article with what extraction found."""
    result = run_extract(raw.text)
    if not result.body.strip():
        raise Unprocessable(
            "No article body was left after removing boilerplate.",
            errors=[{"loc": ["body", "text"], "msg": "no body text", "type": "value_error"}],
        )
    found = _found(result)
    title = result.title or _clip(result.body.split("\n", 1)[0], TITLE_FALLBACK_CHARS) or ""
    article = ArticleCreate.model_validate(
        {
            "title": title[:1000],
            "body": result.body[:MAX_BODY_CHARS],
            "url": raw.url,
            "source": _clip(result.source, 300),
            "published_at": raw.published_at or result.published_at,
            "language": raw.language,
            "authors": [a for a in (_clip(x, 300) for x in result.authors) if a][:50],
            "tags": raw.tags,
            "read_time_minutes": result.read_time_minutes,
            # Already-validated items: pydantic keeps model instances as they are.
            "quotes": found.quotes,
            "statistics": found.statistics,
            "extract": False,
            "licence": raw.licence,
            "attribution": raw.attribution,
        }
    )
    return ParsedArticle(article=article, places=found.places)
