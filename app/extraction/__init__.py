"""Extraction engine: quotes, speakers, statistics and places from conflict news text."""

from app.extraction.pipeline import analyse, extract
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
]
