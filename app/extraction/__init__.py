"""Extraction engine: quotes, speakers, statistics and places from conflict news text."""

from app.extraction.pipeline import analyse, extract
from app.extraction.places import gazetteer
from app.extraction.speakers import same_person, speaker_key
from app.extraction.types import (
    ExtractedPlace,
    ExtractedQuote,
    ExtractedSpeaker,
    ExtractedStatistic,
    ExtractionResult,
)

__all__ = [
    "ExtractedPlace",
    "ExtractedQuote",
    "ExtractedSpeaker",
    "ExtractedStatistic",
    "ExtractionResult",
    "analyse",
    "extract",
    "same_person",
    "speaker_key",
    "warm_up",
]


def warm_up() -> None:
    """Build what extraction loads on first use (the place automaton, about a second), so
    that a server's first raw article does not pay for it."""
    gazetteer()
