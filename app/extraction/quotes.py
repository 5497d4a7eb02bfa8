"""Direct and indirect quotes with attribution.

Design decisions (documented contract):

* **Direct quotes** are spans inside quotation marks: curly or straight, double or single,
  guillemets and „low-high“ marks. Nested marks belong to the outer quote. ``text`` is the
  words inside the marks (marks excluded).
* **Multi-paragraph quotes** (a paragraph whose quote is not closed, followed by a paragraph
  that opens with a mark) are ONE quote whose span runs from the first word to the final
  closing mark; it therefore contains the inner paragraph break and re-opening mark.
* **Interrupted quotes** (“…,” he said. “…”) are one quote per piece: a quote span never holds
  attribution words. A piece without its own attribution inherits the speaker of the adjacent
  piece in the same paragraph, then a colon introduction ("He said:"), then (for a paragraph
  that is only a quotation) the speaker of the previous two paragraphs.
* **Indirect quotes** are reported clauses: "X said (that) …", "X stated on Telegram that …",
  "…, X added.", "…, said X.", "according to X, …" / "…, according to X.". ``text`` is the
  reported clause.
* Pronouns (he/she) resolve to the most recent singular speaker, "they" to the most recent
  plural description, short role nouns ("the minister") to the latest speaker with that role;
  named aliases (Umerov / Rustem Umerov) are merged and all quotes carry the fullest name.

All scanning is linear in the text length; quotes are capped in length and number.

Layout: quotation spans in :mod:`app.extraction.quoting.spans`, non-quotes (titles, scare
quotes) in ``quoting.filters``, attribution sieves in ``quoting.attribution``, speaker
clustering and pronouns in ``quoting.coref``; every rule that fires is named in the quote's
``rules``. The language data (verbs, titles, organisations, given names) is in
:mod:`app.extraction.lexicon`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from app.extraction.document import Document
from app.extraction.numbers import Token
from app.extraction.quoting.attribution import DirectAttribution
from app.extraction.quoting.coref import Resolver
from app.extraction.quoting.events import _Attribution, _Event, _reported
from app.extraction.quoting.filters import introduced, is_markup, is_scare, is_title
from app.extraction.quoting.phrases import (
    AUXILIARIES,
    CLAUSE_PLURAL,
    CONTEXT_START,
    NP_LOWER_OK,
    OBJECT_WORDS,
    PhraseRules,
)
from app.extraction.quoting.spans import direct_spans
from app.extraction.sentences import Span
from app.extraction.speakers import CUE_VERBS, DETERMINERS, SpeakerPhrase, is_cap, words
from app.extraction.types import ExtractedQuote, ExtractedSpeaker

ATTR_WINDOW = 300
__all__ = ["CLAUSE_PLURAL", "NP_LOWER_OK", "PhraseRules", "QuoteFinder", "SpeakerPhrase"]


class QuoteFinder(DirectAttribution, Resolver):
    """Finds quotes in one body; use :meth:`run`."""

    def __init__(
        self, body: str, paras: list[Span], sents: list[Span], is_place: Callable[[str], bool]
    ) -> None:
        self.body = body
        self.paras = paras
        self.sents = sents
        self.sent_starts = [s.start for s in sents]
        self.para_starts = [p.start for p in paras]
        self.is_place = is_place
        self.events: list[_Event] = []

    @classmethod
    def from_document(cls, doc: Document, is_place: Callable[[str], bool]) -> QuoteFinder:
        """A finder over the pipeline's one tokenised document."""
        return cls(doc.body, doc.paragraphs, doc.sentences, is_place)

    # ---- helpers -------------------------------------------------------------------------
    def sentence_at(self, pos: int) -> Span:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0:
            return Span(0, 0)
        return self.sents[i]

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    # ---- main passes ---------------------------------------------------------------------
    def find_direct(self) -> None:
        body = self.body
        for q in direct_spans(body, self.paras):
            ms, me = q.mark_start, q.mark_end
            if is_markup(body, ms):
                continue
            attr, side = self.attribute(q.start, q.end, ms, me)
            ev = _Event(
                q.start, q.end, "direct", ms, me, q.para, attr or _Attribution(None, None, None)
            )
            ev.kept = not self._filtered(body[q.start : q.end], ms, attr, side)
            ev.rules.extend(q.rules)
            if attr is not None:
                ev.rules.append(f"attr.{side}:{attr.rule or 'cue'}")
            self.events.append(ev)

    def _filtered(self, text: str, ms: int, attr: _Attribution | None, side: str) -> bool:
        """Titles and scare quotes (see :mod:`app.extraction.quoting.filters`); they still
        mask their sentence from reported-speech search."""
        follows = attr is not None and side == "after"
        if is_title(text) and not follows:
            return True
        cued = attr is not None and (attr.cue is not None or introduced(self.body, ms))
        return is_scare(text) and not (follows or cued)

    def find_indirect(self) -> None:
        direct_ranges = sorted((e.mark_start, e.mark_end) for e in self.events)
        starts = [r[0] for r in direct_ranges]
        for s in self.sents:
            i = bisect.bisect_left(starts, s.end)
            if i > 0 and direct_ranges[i - 1][1] > s.start:
                continue
            ev = self.indirect_in(s)
            if ev is not None:
                self.events.append(ev)

    def _clause(self, toks: list[Token], a: int, b: int) -> tuple[int, int] | None:
        while b > a and toks[b - 1].text in (".", ",", "!", "?", ";", ":", "—", "”", '"'):
            b -= 1
        while a < b and toks[a].text in (",", ":", "—", "-"):
            a += 1
        if b - a < 3:
            return None
        return toks[a].start, toks[b - 1].end

    def indirect_in(self, s: Span) -> _Event | None:
        toks = words(self.body, s.start, s.end)
        n = len(toks)
        if n < 5:
            return None
        para = self.para_of(s.start)
        # C: according to X, clause / clause, according to X.
        for k in range(n - 1):
            if toks[k].low == "according" and toks[k + 1].low == "to":
                end = self.np_forward(toks, k + 2)
                phrase = self.parse(toks[k + 2 : end])
                if phrase is None:
                    break
                span = (
                    self._clause(toks, end, n)
                    if k == 0 or toks[k - 1].text != ","
                    else self._clause(toks, 0, k)
                )
                if span is None:
                    break
                return _reported(span, para, _Attribution(phrase, "according to", None))
        # B: clause, X said (context). / clause, said X (context).
        for k in range(2, n - 1):
            if toks[k].text != ",":
                continue
            j = k + 1
            if toks[j].low in CUE_VERBS:
                end = self.np_forward(toks, j + 1)
                if end == j + 1:
                    continue
                rest_ok = (
                    end >= n - 1
                    or toks[end].low in CONTEXT_START
                    or toks[end].text in (".", "!", "?")
                )
                phrase = self.parse(toks[j + 1 : end]) if rest_ok else None
                if phrase is not None:
                    span = self._clause(toks, 0, k)
                    if span is not None:
                        return _reported(
                            span,
                            para,
                            _Attribution(phrase, toks[j].low, self.context_after(toks, end, None)),
                        )
                continue
            for c in range(j + 1, min(n, j + 12)):
                if toks[c].low in CUE_VERBS:
                    start, np_end = self.np_backward(toks, c, j)
                    if (
                        (start != j or np_end <= start)
                        and c - j <= 8
                        and (toks[j].low in DETERMINERS or is_cap(toks[j]))
                        and not any(x.text in (",", ";", ":") for x in toks[j:c])
                    ):
                        start, np_end = j, c
                        while np_end > start and toks[np_end - 1].low in AUXILIARIES:
                            np_end -= 1
                    if start != j or np_end <= start:
                        break
                    after = c + 1
                    ctx = self.context_after(toks, after, toks[c].low)
                    tail_ok = (
                        after >= n - 1
                        or toks[after].text in (".", "!", "?", ",")
                        or ctx is not None
                        or (
                            toks[c].low == "told"
                            and all(t.low != "that" for t in toks[after:])
                            and n - after <= 5
                        )
                    )
                    if not tail_ok:
                        break
                    phrase = self.parse(toks[start:np_end])
                    if phrase is None:
                        break
                    span = self._clause(toks, 0, k)
                    if span is None:
                        break
                    return _reported(span, para, _Attribution(phrase, toks[c].low, ctx))
                if toks[c].text in (",", ".", ";"):
                    break
        # A: X said (context) that clause / X said clause
        for k in range(1, min(n - 2, 30)):
            t = toks[k]
            if t.low not in CUE_VERBS or toks[k - 1].low in ("was", "were", "been", "be", "to"):
                continue
            start, np_end = self.np_backward(toks, k)
            if start >= np_end:
                continue
            if (
                start > 0
                and toks[start - 1].text not in (",",)
                and toks[start - 1].low not in ("meanwhile", "however", "but", "and")
            ):
                continue
            phrase = self.parse(toks[start:np_end])
            if phrase is None:
                continue
            that = None
            for m in range(k + 1, min(n, k + 12)):
                if toks[m].low == "that":
                    that = m
                    break
                if toks[m].text in (".", ";", "“", '"'):
                    break
            if that is not None:
                ctx = None
                if that > k + 1:
                    ctx = self.context_after(toks, k + 1, t.low)
                    if ctx is None and toks[k + 1].low not in OBJECT_WORDS and t.low != "told":
                        seg = self.body[toks[k + 1].start : toks[that - 1].end]
                        ctx = seg if len(seg) <= 60 else None
                span = self._clause(toks, that + 1, n)
            else:
                j = k + 1
                if t.low in ("told", "tells"):
                    while (
                        j < n
                        and j - k <= 4
                        and (
                            toks[j].low in OBJECT_WORDS
                            or is_cap(toks[j])
                            or toks[j].low in ("the", "a")
                        )
                    ):
                        j += 1
                    if j == k + 1:
                        continue
                elif t.low not in (
                    "said",
                    "says",
                    "warned",
                    "added",
                    "claimed",
                    "insisted",
                    "believes",
                    "stated",
                    "argued",
                    "noted",
                    "acknowledged",
                    "admitted",
                ):
                    continue
                if (
                    j >= n
                    or toks[j].low in CONTEXT_START
                    or toks[j].text in (",", ".", ":", "“", '"')
                ):
                    continue
                ctx = None
                span = self._clause(toks, j, n)
            if span is None:
                continue
            return _reported(span, para, _Attribution(phrase, t.low, ctx))
        return None

    # ---- resolution ----------------------------------------------------------------------

    def run(self) -> tuple[list[ExtractedQuote], list[ExtractedSpeaker], list[tuple[int, int]]]:
        self.find_direct()
        self.find_indirect()
        self.events = [e for e in self.events if e.kept]
        quotes = self.resolve()
        spans = sorted(
            {
                (e.attr.phrase.name_start, e.attr.phrase.name_end)
                for e in self.events
                if e.attr.phrase is not None and e.attr.phrase.named
            }
        )
        used = {q.speaker for q in quotes if q.speaker is not None}
        speakers = [s for s in self.speakers if s in used]
        quotes.sort(key=lambda q: q.start)
        return quotes, speakers, spans
