"""Reported (indirect) speech, found cue first.

For each sentence: find the speech cues (:mod:`.cues`), then for each cue its source
(:mod:`.source`) and its content clause (:mod:`.content`) through one of the constructions in
:mod:`.constructions`. Every report carries the names of the rules that produced it.

A report whose content is mostly inside quotation marks is a direct quote and is left to the
direct-quote finder; scare quotes inside a reported clause are fine. Work per sentence is
bounded (cues per sentence, content length), so the pass is linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from app.extraction.lexicon.verbs import CLAUSE_FORMS
from app.extraction.reported.constructions import (
    Found,
    Sentence,
    according,
    as_by,
    as_cue,
    asked,
    attribution_commas,
    inverted_source,
    participle,
    subject_for,
    verb_final,
    verb_forward,
)
from app.extraction.reported.cues import find_cues
from app.extraction.reported.source import Source, phrase_of
from app.extraction.reported.vocab import Tok, tokenize
from app.extraction.sentences import Span
from app.extraction.speakers import SpeakerPhrase

__all__ = ["Report", "clause_span", "reports_in"]

MAX_SENTENCE_TOKENS = 400
WORD = re.compile(r"[a-z]+")
#: words of which a sentence needs one to hold a cue (a cheap test before tokenising)
CUE_WORDS = frozenset(f.split()[0] for f in CLAUSE_FORMS) | {"according"}


@dataclass(frozen=True, slots=True)
class Report:
    """A reported clause ``body[start:end]``, its source and the rules that found it."""

    start: int
    end: int
    phrase: SpeakerPhrase | None
    cue: str
    context: str | None
    rules: tuple[str, ...]


def _blocked(toks: list[Tok], ranges: list[tuple[int, int]], span: Span) -> list[bool]:
    """Which tokens sit inside quotation marks (``ranges``: sorted mark spans)."""
    first = bisect.bisect_right(ranges, span.start, key=_start) - 1
    last = bisect.bisect_left(ranges, span.end, key=_start)
    if all(ranges[i][1] <= span.start for i in range(max(first, 0), last)):
        return [False] * len(toks)
    # the tokens run left to right: the last range opening at or before each one, by a walk
    out = []
    i, n = first, len(ranges)
    for t in toks:
        pos = t.start
        while i + 1 < n and ranges[i + 1][0] <= pos:
            i += 1
        out.append(i >= 0 and ranges[i][0] <= pos < ranges[i][1])
    return out


def _start(r: tuple[int, int]) -> int:
    return r[0]


def _find(s: Sentence) -> list[tuple[Found, str]]:
    """Reports of one sentence as token spans, with their cue forms."""
    toks = s.toks
    cues = find_cues(toks, s.blocked)
    if not cues:
        return []
    s.stops = attribution_commas(toks, cues)
    out: list[tuple[Found, str]] = []
    previous: Source | None = None
    for cue in cues:
        found: Found | None = None
        if cue.kind == "according":
            found = according(s, cue, 0)
        elif cue.kind == "participle":
            found = participle(s, cue, previous)
        else:
            subject = subject_for(s, cue)
            if subject is not None:
                found = verb_forward(s, cue, subject) or as_cue(s, cue, subject)
                previous = subject
            found = found or verb_final(s, cue, subject, 0)
            if subject is None:
                found = found or asked(s, cue) or as_by(s, cue)
            if subject is None:
                previous = inverted_source(toks, cue, after_quote=True) or previous
        if found is not None:
            out.append((found, cue.form))
    return out


def _same_words(a: int, b: int, x: int, y: int) -> bool:
    """Whether token spans [a, b) and [x, y) mostly cover the same words."""
    shared = max(0, min(b, y) - max(a, x))
    return 2 * shared >= 0.8 * ((b - a) + (y - x))


def reports_in(
    body: str, span: Span, ranges: list[tuple[int, int]], is_place: Callable[[str], bool]
) -> list[Report]:
    """Reported speech in the sentence ``body[span.start:span.end]``.

    ``ranges`` are the (sorted) spans of direct quotes including their marks.
    """
    if CUE_WORDS.isdisjoint(WORD.findall(body[span.start : span.end].lower())):
        return []
    toks = tokenize(body, span.start, span.end)
    if len(toks) < 5 or len(toks) > MAX_SENTENCE_TOKENS:
        return []
    sent = Sentence(toks, _blocked(toks, ranges, span))
    kept: list[tuple[Found, str]] = []
    for found, form in _find(sent):
        a, b = found.content
        same = [i for i, (f, _) in enumerate(kept) if _same_words(a, b, *f.content)]
        if not same:
            kept.append((found, form))
        elif all(b - a > kept[i][0].content[1] - kept[i][0].content[0] for i in same):
            # rule reported.one_per_clause: two cues, one content; the longer reading wins
            kept = [x for i, x in enumerate(kept) if i not in same] + [(found, form)]
    return [_report(body, toks, found, form, is_place) for found, form in kept]


def _report(
    body: str, toks: list[Tok], found: Found, form: str, is_place: Callable[[str], bool]
) -> Report:
    """The report for a found span: character offsets, speaker phrase, context."""
    a, b = found.content
    start, end = toks[a].start, toks[b - 1].end
    phrase = None
    if found.source is not None:
        phrase = phrase_of(body, toks[found.source[0] : found.source[1]], is_place)
    context = None
    if found.context is not None:
        c0, c1 = found.context
        text = body[toks[c0].start : toks[c1 - 1].end].strip(" ,")
        context = text if 0 < len(text) <= 200 else None
    rules = found.rules if phrase is not None else (*found.rules, "reported.source.none")
    return Report(start, end, phrase, form, context, rules)


def clause_span(toks: list[Tok], a: int, b: int) -> tuple[int, int] | None:
    """Character span of ``toks[a:b]`` without edge punctuation (None if under 3 tokens)."""
    while b > a and toks[b - 1].text in (".", ",", "!", "?", ";", ":", "—", "”", '"'):
        b -= 1
    while a < b and toks[a].text in (",", ":", "—", "-"):
        a += 1
    if b - a < 3:
        return None
    return toks[a].start, toks[b - 1].end
