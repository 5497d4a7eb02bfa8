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
from app.extraction.quoting.attribution import DirectAttribution
from app.extraction.quoting.coref import Resolver
from app.extraction.quoting.events import _Attribution, _Event, _reported
from app.extraction.quoting.filters import introduced, is_markup, is_scare, is_title
from app.extraction.quoting.phrases import (
    CLAUSE_PLURAL,
    NP_LOWER_OK,
    PhraseRules,
)
from app.extraction.quoting.spans import direct_spans
from app.extraction.reported import clause_span, reports_in
from app.extraction.sentences import Span
from app.extraction.speakers import SpeakerPhrase
from app.extraction.types import ExtractedQuote, ExtractedSpeaker
from app.extraction.wordtokens import Tok

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
        """Reported speech, cue first (see :mod:`app.extraction.reported`)."""
        ranges = sorted((e.mark_start, e.mark_end) for e in self.events if e.kind == "direct")
        for s in self.sents:
            for r in reports_in(self.body, s, ranges, self.is_place):
                attr = _Attribution(r.phrase, r.cue, r.context)
                ev = _reported((r.start, r.end), self.para_of(r.start), attr)
                ev.rules.extend(r.rules)
                self.events.append(ev)

    def _clause(self, toks: list[Tok], a: int, b: int) -> tuple[int, int] | None:
        return clause_span(toks, a, b)

    def indirect_in(self, s: Span) -> _Event | None:
        """The first reported clause of sentence ``s`` (for tests of one sentence)."""
        ranges = sorted((e.mark_start, e.mark_end) for e in self.events if e.kind == "direct")
        for r in reports_in(self.body, s, ranges, self.is_place):
            ev = _reported(
                (r.start, r.end), self.para_of(r.start), _Attribution(r.phrase, r.cue, r.context)
            )
            ev.rules.extend(r.rules)
            return ev
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
