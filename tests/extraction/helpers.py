"""Shared assertions for extraction tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.extraction import ExtractedQuote, ExtractedStatistic, ExtractionResult

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS = REPO_ROOT.parent / "shared" / "seeds"
TEXTS = Path(__file__).resolve().parent / "texts"


def assert_provenance(result: ExtractionResult) -> None:
    """Every quote, statistic and place span indexes the body exactly."""
    body = result.body
    for item in (*result.quotes, *result.statistics, *result.locations):
        assert 0 <= item.start < item.end <= len(body), item
        assert body[item.start : item.end] == item.text, item
    for st in result.statistics:
        assert st.sentence in body
        assert st.text in st.sentence or st.start >= 0
    primaries = [p for p in result.locations if p.primary]
    assert len(primaries) == (1 if result.locations else 0)


def seed_text(name: str = "odesa-umerov.txt") -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed article not present: ../shared/seeds/{name}")
    return path.read_text(encoding="utf-8")


def norm(s: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", (s or "").lower().replace("\u2019", "'"))


def quote_with(result: ExtractionResult, phrase: str, kind: str = "direct") -> ExtractedQuote:
    hits = [q for q in result.quotes if q.kind == kind and phrase in q.text]
    assert hits, f"no {kind} quote containing {phrase!r}: {[q.text[:50] for q in result.quotes]}"
    return hits[0]


def stat_with(
    result: ExtractionResult,
    value: float,
    metric: str | None = None,
) -> ExtractedStatistic:
    hits = [
        s
        for s in result.statistics
        if abs(s.value - value) < 1e-6 and (metric is None or s.metric == metric)
    ]
    assert hits, (
        f"no statistic {value} {metric}: {[(s.text, s.value, s.metric) for s in result.statistics]}"
    )
    return hits[0]


def speaker_name(q: ExtractedQuote) -> str | None:
    return q.speaker.name if q.speaker else None
