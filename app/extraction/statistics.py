"""Compatibility name for the figure stage, now :mod:`app.extraction.figures`."""

from __future__ import annotations

from collections.abc import Sequence

from app.extraction.document import Document
from app.extraction.figures import find_figures
from app.extraction.places import PlaceMention
from app.extraction.types import ExtractedQuote, ExtractedStatistic


def find_statistics(
    body: str,
    mentions: Sequence[PlaceMention],
    quotes: Sequence[ExtractedQuote],
    default_location: str | None = None,
) -> list[ExtractedStatistic]:
    """All figures of ``body`` (see :func:`app.extraction.figures.find_figures`)."""
    return find_figures(Document(body), mentions, quotes, default_location)
