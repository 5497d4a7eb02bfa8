"""Immutable result types of the extraction engine (the web layer imports these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

QuoteKind = Literal["direct", "indirect"]


@dataclass(frozen=True, slots=True)
class ExtractedSpeaker:
    """A person or body quoted in an article.

    ``name`` is the fullest proper name seen in the article; for unnamed speakers it is their
    description (e.g. "Russian ambassador to the United Nations in Geneva").
    """

    name: str
    role: str | None
    organisation: str | None
    named: bool = True
    """False for a description-only speaker ("a senior UN official", "authorities"): ``name``
    then holds the description and is not a person's or body's name for the directory."""


@dataclass(frozen=True, slots=True)
class ExtractedQuote:
    """A direct (in quotation marks) or indirect (reported) quote; ``text == body[start:end]``."""

    text: str
    kind: QuoteKind
    speaker: ExtractedSpeaker | None
    cue: str | None
    context: str | None
    start: int
    end: int
    rules: tuple[str, ...] = ()
    """Names of the rules that produced this quote and its speaker (``explain=true``)."""


@dataclass(frozen=True, slots=True)
class ExtractedStatistic:
    """A figure reported in the body; ``text == body[start:end]`` is the figure's phrase."""

    text: str
    value: float
    value_max: float | None
    unit: str
    metric: str
    qualifier: str
    subject: str | None
    location: str | None
    attributed_to: str | None
    sentence: str
    start: int
    end: int
    rules: tuple[str, ...] = ()
    """Names of the rules that produced this figure, its metric and its place."""


@dataclass(frozen=True, slots=True)
class ExtractedPlace:
    """One distinct place; span of its first mention (``text == body[start:end]``)."""

    name: str
    text: str
    kind: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    start: int
    end: int
    mentions: int
    primary: bool


@dataclass(frozen=True, slots=True)
class CleanedText:
    """Metadata and body parsed from raw text."""

    title: str | None
    source: str | None
    read_time_minutes: int | None
    authors: tuple[str, ...]
    published_at: datetime | None
    body: str


@dataclass(frozen=True, slots=True)
class ExtractionResult(CleanedText):
    """Everything found in one article: the cleaned text and what was extracted from it."""

    quotes: tuple[ExtractedQuote, ...]
    statistics: tuple[ExtractedStatistic, ...]
    locations: tuple[ExtractedPlace, ...]
    speakers: tuple[ExtractedSpeaker, ...]
