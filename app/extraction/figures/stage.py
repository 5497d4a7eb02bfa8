"""The figure stage: numbers → figures with unit, metric, qualifier, subject, place, source.

Per sentence: numbers (:mod:`app.extraction.numbers`), minus those an exclusion rule rejects
(:mod:`.exclusions`); per figure its qualifier (:mod:`.qualifiers`), unit (:mod:`.units`),
metric (:mod:`.metric`, first from the figure's own clause, then from the rest of the sentence)
and place (:mod:`.location`); ``attributed_to`` is the speaker of the quote that covers it.
Every figure lists the rules that produced it in ``rules``: its number (``number.*``), unit
(``unit.*``), metric (``metric.<rule>:<metric>``, e.g. ``metric.predicate:evacuated``) and place
(``place.*``, ``place.none`` when it has none).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from typing import NamedTuple

import regex

from app.extraction.document import Document
from app.extraction.figures import metric as metric_rules
from app.extraction.figures.exclusions import exclusion
from app.extraction.figures.location import PlaceIndex, place_of
from app.extraction.figures.metric import FigureContext, MetricChoice
from app.extraction.figures.qualifiers import qualifier
from app.extraction.figures.sentence import FigureSentence
from app.extraction.figures.units import Unit, unit_of
from app.extraction.lexicon import metrics as registry
from app.extraction.numbers import NumberMatch, find_numbers
from app.extraction.places import PlaceMention
from app.extraction.sentences import Span
from app.extraction.types import ExtractedQuote, ExtractedStatistic

PHONE_RE = regex.compile(
    r"\+\d[\d\s().\-]{6,20}\d|\(\d{2,5}\)\s?\d{3,4}[\s.\-]\d{3,4}|\b\d{3}[\s.\-]\d{3}[\s.\-]\d{4}\b"
)
DIGIT_RE = regex.compile(r"\d")
NUMBER_WORD_RE = regex.compile(
    r"(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen|dozens|hundreds|"
    r"thousands|millions|scores|half)\b"
)
SMALL_WORD_COUNT = 10
ANOTHER_VERBS = frozenset(["was", "is", "has", "had", "died", "were"])
ELLIPSIS = frozenset(["and", ",", "while", "with"])


class _Found(NamedTuple):
    fig: FigureContext
    qualifier: str
    choice: MetricChoice | None


def number_rule(body: str, m: NumberMatch) -> str:
    """Stable name of the number rule that read ``m``."""
    if m.vague:
        return "number.vague"
    if m.percent:
        return "number.percent"
    if m.currency:
        return "number.currency"
    if m.value_max is not None:
        return "number.range"
    if m.words:
        return "number.another" if body[m.start : m.end].lower() == "another" else "number.words"
    if any(ch.isspace() for ch in body[m.start : m.end]):
        return "number.space_grouped"
    return "number.numeral"


def _another(s: FigureSentence, matches: list[NumberMatch]) -> list[NumberMatch]:
    """ "One guard was killed and another was hurt": "another" before a verb counts one."""
    out: list[NumberMatch] = []
    if "another" not in s.lows:
        return out
    for i, low in enumerate(s.lows):
        after_figure = any(m.last_token < i for m in matches)
        if low == "another" and s.low(i + 1) in ANOTHER_VERBS and after_figure:
            t = s.toks[i]
            out.append(NumberMatch(t.start, t.end, 1.0, None, False, False, None, True, i, i))
    return out


def _contexts(s: FigureSentence, matches: list[NumberMatch]) -> list[tuple[FigureContext, str]]:
    contexts: list[tuple[FigureContext, str]] = []
    left = 0
    prev_unit: Unit | None = None
    for m in matches:
        qual, q_first = qualifier(s, m)
        unit = unit_of(s, m)
        end_tok = m.last_token
        if unit.noun is not None and unit.noun - m.last_token <= 4:
            end_tok = unit.noun
        ctx = FigureContext(m, q_first, unit, end_tok, left)
        if unit.unit == "count" and prev_unit is not None and s.low(q_first - 1) in ELLIPSIS:
            # "1 450 houses flattened and 12 300 damaged": the noun is understood
            alt = FigureContext(m, q_first, Unit(prev_unit.unit, None, (), "unit.elliptic"),
                                end_tok, left)  # fmt: skip
            if metric_rules.own_clause(s, alt, set()) is not None:
                ctx = alt
        contexts.append((ctx, qual))
        if unit.noun is not None and metric_rules.kind_of(unit.unit) != "people":
            prev_unit = unit
        left = end_tok + 1
    return contexts


def _sentence_figures(s: FigureSentence) -> list[_Found]:
    numbers = find_numbers(s.body, s.toks)
    if not numbers:
        return []
    sp = s.span
    phones = [(x.start(), x.end()) for x in PHONE_RE.finditer(s.body, sp.start, sp.end)]
    matches = [m for m in numbers if exclusion(s, m, phones) is None]
    if not matches:
        return []  # "another" counts one only after a figure
    matches = sorted(matches + _another(s, matches), key=lambda m: m.first_token)
    contexts = _contexts(s, matches)
    starts = {c.q_first for c, _q in contexts}
    chosen = [metric_rules.own_clause(s, c, starts) for c, _q in contexts]
    owned = {ch.hit.start for ch in chosen if ch is not None and ch.hit is not None}
    out: list[_Found] = []
    for (ctx, qual), choice in zip(contexts, chosen, strict=True):
        label_unit = metric_rules.label_unit(s, ctx)
        if label_unit is not None:
            ctx = FigureContext(ctx.m, ctx.q_first, Unit(label_unit, None, (), "unit.label"),
                                ctx.end_tok, ctx.left_bound)  # fmt: skip
            choice = metric_rules.own_clause(s, ctx, starts)
        if choice is None:
            kind = metric_rules.kind_of(ctx.unit.unit)
            choice = metric_rules.sentence_nearest(s, ctx, kind, owned - _own_hits(choice))
        if choice is not None:
            choice = metric_rules.refine(s, ctx, choice)
        out.append(_Found(ctx, qual, choice))
    return out


def _own_hits(choice: MetricChoice | None) -> set[int]:
    return {choice.hit.start} if choice is not None and choice.hit is not None else set()


def _may_hold_figures(body: str, sp: Span) -> bool:
    if DIGIT_RE.search(body, sp.start, sp.end) is not None:
        return True
    # on the sentence alone: at its edges "\b" must not see the neighbouring sentences
    return NUMBER_WORD_RE.search(body[sp.start : sp.end]) is not None


def find_figures(
    doc: Document,
    mentions: Sequence[PlaceMention],
    quotes: Sequence[ExtractedQuote],
    default_location: str | None = None,
) -> list[ExtractedStatistic]:
    """All figures of ``doc`` (offsets into its body)."""
    body = doc.body
    places = PlaceIndex(body, mentions)
    q_sorted = sorted(quotes, key=lambda q: q.start)
    q_reach = list(itertools.accumulate((q.end for q in q_sorted), max))
    out: list[ExtractedStatistic] = []
    prev_place: tuple[int, str | None] = (-1, None)
    for index, sp in enumerate(doc.sentences):
        if not _may_hold_figures(body, sp):
            continue
        s = FigureSentence(body, sp, doc.tokens(index))
        found = _sentence_figures(s)
        if not found:
            continue
        para = doc.para_of(sp.start)
        last_subject: str | None = None
        for k, f in enumerate(found):
            p = _parts(s, f, found[k + 1] if k + 1 < len(found) else None, places, sp)
            if p is None:
                continue
            place, place_rule = p.place, p.place_rule
            if place is None and prev_place[0] == para:
                place, place_rule = prev_place[1], "place.paragraph"
            if place is not None:
                prev_place = (para, place)
            elif default_location is not None:
                place, place_rule = default_location, "place.article_main"
            subject = p.subject
            if subject is None and p.unit == "people":
                subject = last_subject
            if p.unit == "people" and subject:
                last_subject = subject
            speaker = _speaker_for(q_sorted, q_reach, sp, p.start)
            out.append(_statistic(s, f, p, (place, place_rule), subject, speaker))
    return out


class _Parts(NamedTuple):
    """What a figure's own sentence says of it; its paragraph may still give it a place or a
    subject (the :class:`ExtractedStatistic`, a frozen dataclass, is built once, at the end)."""

    unit: str
    metric: str
    metric_rules: tuple[str, ...]
    subject: str | None
    start: int
    end: int
    place: str | None
    place_rule: str


def _parts(
    s: FigureSentence, f: _Found, nxt: _Found | None, places: PlaceIndex, sp: Span
) -> _Parts | None:
    ctx, m = f.fig, f.fig.m
    metric = f.choice.metric if f.choice is not None else "other"
    metric_rule = (
        tuple(f"{name}:{metric}" for name in f.choice.rule.split("+"))
        if f.choice is not None
        else ("metric.none",)
    )
    unit = ctx.unit.unit
    if unit == "count" and _counts_people(metric):
        unit = "people"
    if m.words and m.value < SMALL_WORD_COUNT and m.value_max is None and metric == "other":
        return None  # "two dams", "three children": small word counts are noise
    subject: str | None = None
    if ctx.unit.noun is not None and unit == "people":
        subject = s.toks[ctx.unit.noun].text
        if subject.lower() in ("others", "other"):
            subject = None
    start, end = s.toks[ctx.q_first].start, s.toks[ctx.end_tok].end
    clause_end = s.toks[nxt.fig.q_first].start if nxt is not None else sp.end
    clause = (s.toks[ctx.left_bound].start if ctx.left_bound < len(s.toks) else sp.start,
              clause_end)  # fmt: skip
    place, place_rule = place_of(places, clause, (sp.start, sp.end), s.toks[m.first_token].start)
    return _Parts(unit, metric, metric_rule, subject, start, end, place, place_rule)


def _statistic(
    s: FigureSentence,
    f: _Found,
    p: _Parts,
    place: tuple[str | None, str],
    subject: str | None,
    speaker: str | None,
) -> ExtractedStatistic:
    m, body, sp = f.fig.m, s.body, s.span
    return ExtractedStatistic(
        text=body[p.start : p.end],
        value=_num(m.value),
        value_max=_num(m.value_max) if m.value_max is not None else None,
        unit=p.unit,
        metric=p.metric,
        qualifier=f.qualifier,
        subject=subject,
        location=place[0],
        attributed_to=speaker,
        sentence=body[sp.start : sp.end],
        start=p.start,
        end=p.end,
        rules=(number_rule(body, m), f.fig.unit.rule, *p.metric_rules, place[1] or "place.none"),
    )


def _counts_people(metric: str) -> bool:
    entry = registry.get(metric)
    return entry is not None and "people" in entry.counts and entry.unit == "people"


def _num(v: float) -> float:
    return float(int(v)) if v == int(v) else v


def _speaker_for(quotes: list[ExtractedQuote], reach: list[int], sp: Span, pos: int) -> str | None:
    """Speaker of the quote that covers ``pos``, else of the first that overlaps ``sp``.

    ``reach[i]`` is the furthest end among ``quotes[: i + 1]`` (sorted by start): the quotes
    before the first whose reach passes ``sp.start`` end before the sentence and are skipped,
    so a long article is not rescanned from its first quote for every figure.
    """
    covering = None
    for i in range(bisect.bisect_right(reach, sp.start), len(quotes)):
        q = quotes[i]
        if q.start > sp.end:
            break
        if q.start <= pos < q.end and q.speaker is not None:
            return q.speaker.name
        if q.end > sp.start and q.start < sp.end and q.speaker is not None and covering is None:
            covering = q.speaker.name
    return covering


__all__ = ["find_figures", "number_rule"]
