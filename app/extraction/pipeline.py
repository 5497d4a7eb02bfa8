"""The extraction pipeline: :func:`extract` (raw text) and :func:`analyse` (a given body)."""

from __future__ import annotations

from dataclasses import replace

from app.extraction.cleaning import clean
from app.extraction.document import Document
from app.extraction.figures import find_figures
from app.extraction.places import find_places, gazetteer
from app.extraction.quotes import QuoteFinder
from app.extraction.types import ExtractionResult

#: what the raw-text parse adds to :func:`analyse`'s result
METADATA = ("title", "source", "read_time_minutes", "authors", "published_at")


def analyse(body: str) -> ExtractionResult:
    """Find quotes, statistics, places and speakers in ``body``, used exactly as given.

    All offsets index ``body``. Title/source/read time are None (see :func:`extract`).
    """
    if not body or not body.strip():
        raise ValueError("body is empty or whitespace only")
    gaz = gazetteer()
    doc = Document(body)
    quotes, speakers, name_spans = QuoteFinder.from_document(doc, gaz.is_place).run()
    places, mentions = find_places(body, name_spans)
    primary = next((p.name for p in places if p.primary), None)
    stats = find_figures(doc, mentions, quotes, primary)
    return ExtractionResult(
        title=None,
        source=None,
        read_time_minutes=None,
        authors=(),
        published_at=None,
        body=body,
        quotes=tuple(quotes),
        statistics=tuple(stats),
        locations=tuple(places),
        speakers=tuple(speakers),
    )


def extract(text: str) -> ExtractionResult:
    """Parse raw scraped text (or HTML): metadata, clean body, then :func:`analyse`.

    Raises ``ValueError`` for empty or whitespace-only text.
    """
    if not text or not text.strip():
        raise ValueError("text is empty or whitespace only")
    cleaned = clean(text)
    meta = {f: getattr(cleaned, f) for f in METADATA}
    return replace(analyse(cleaned.body), **meta)
