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
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field

import regex

from app.extraction.numbers import Token
from app.extraction.quoting.spans import direct_spans
from app.extraction.sentences import Span
from app.extraction.speakers import (
    CUE_VERBS,
    DETERMINERS,
    PREPOSITIONS,
    ROLE_HEADS,
    ROLE_WORDS,
    STOP_BEFORE,
    SpeakerPhrase,
    is_cap,
    parse_speaker,
    role_head,
    same_person,
    words,
)
from app.extraction.types import ExtractedQuote, ExtractedSpeaker

ATTR_WINDOW = 300
AUXILIARIES = {"has", "have", "had", "was", "is", "also", "later", "repeatedly", "consistently",
               "previously", "again", "earlier", "recently", "then", "once", "further",
               "would", "will", "publicly", "separately", "reportedly", "did",
               "not", "already", "firmly", "flatly"}  # fmt: skip
OBJECT_WORDS = {
    "reporters",
    "journalists",
    "me",
    "us",
    "him",
    "her",
    "them",
    "parliament",
    "lawmakers",
    "listeners",
    "viewers",
    "residents",
    "supporters",
    "delegates",
}
CONTEXT_START = {"on", "in", "at", "during", "after", "before", "while", "from", "via", "with",
                 "outside", "inside", "speaking", "yesterday", "today", "tonight", "last", "this",
                 "earlier", "late", "following", "near", "when", "by", "over", "to", "through",
                 "ahead", "as"}  # fmt: skip
NP_LOWER_OK = ROLE_WORDS | DETERMINERS | {"to", "of", "for", "in", "at", "the", "and", "on",
                                          "local", "top", "senior", "former", "another", "elderly",
                                          "young", "old", "retired", "displaced", "injured",
                                          "wounded", "exhausted", "rescue", "aid", "camp", "city",
                                          "hospital", "district", "village", "provincial", "state",
                                          "government", "federal", "ministry", "army",
                                          "spokesperson"}  # fmt: skip


def _lower_ok(low: str) -> bool:
    """Lowercase words allowed inside a speaker phrase."""
    return (
        low in NP_LOWER_OK
        or low in ROLE_HEADS
        or low in CLAUSE_PLURAL
        or low.endswith(("ers", "ists", "ians", "ives", "ials", "ors"))
    )


CLAUSE_PLURAL = {
    "officials",
    "authorities",
    "residents",
    "witnesses",
    "doctors",
    "medics",
    "activists",
    "workers",
    "villagers",
    "analysts",
    "experts",
    "police",
    "they",
    "monitors",
    "volunteers",
    "survivors",
    "families",
    "agencies",
    "groups",
}


@dataclass(slots=True)
class _Attribution:
    phrase: SpeakerPhrase | None
    cue: str | None
    context: str | None
    rule: str | None = None


@dataclass(slots=True)
class _Event:
    start: int
    end: int
    kind: str
    mark_start: int
    mark_end: int
    para: int
    attr: _Attribution
    cluster: int | None = None
    inherited: bool = False
    rules: list[str] = field(default_factory=list)


def _reported(span: tuple[int, int], para: int, attribution: _Attribution) -> _Event:
    """An indirect quote: the reported clause is both the quote and its marked span."""
    return _Event(span[0], span[1], "indirect", span[0], span[1], para, attribution)


@dataclass(slots=True)
class _Cluster:
    names: list[SpeakerPhrase] = field(default_factory=list)
    named: bool = False


class QuoteFinder:
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

    # ---- helpers -------------------------------------------------------------------------
    def sentence_at(self, pos: int) -> Span:
        i = bisect.bisect_right(self.sent_starts, pos) - 1
        if i < 0:
            return Span(0, 0)
        return self.sents[i]

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def parse(self, toks: list[Token]) -> SpeakerPhrase | None:
        return parse_speaker(self.body, toks, self.is_place)

    def context_after(self, toks: list[Token], j: int, cue: str | None) -> str | None:
        """Adverbial/prepositional context starting at toks[j] (e.g. 'in Geneva')."""
        if cue == "told" or cue == "tells":
            k = j
            while (
                k < len(toks)
                and k - j < 5
                and toks[k].low not in CONTEXT_START
                and (toks[k].text not in (",", ".", ":", ";"))
                and toks[k].low != "that"
            ):
                k += 1
            j = k
        while j < len(toks) and toks[j].text == ",":
            j += 1
        if j >= len(toks) or toks[j].low not in CONTEXT_START:
            return None
        end = j
        while (
            end < len(toks)
            and toks[end].text not in (".", ";", ":", "!", "?", "“", "”", '"')
            and toks[end].low != "that"
        ):
            if toks[end].text == ",":
                break
            end += 1
        while end > j and toks[end - 1].text in (",", "—", "-"):
            end -= 1
        if end <= j:
            return None
        text = self.body[toks[j].start : toks[end - 1].end]
        return text if len(text) <= 200 else None

    def np_forward(self, toks: list[Token], j: int) -> int:
        """End index (exclusive) of a speaker phrase starting at toks[j]."""
        k = j
        n = len(toks)
        has_name = False
        while k < n and k - j < 20:
            t = toks[k]
            if t.text in (".", ";", ":", "!", "?", "“", "”", '"', "—", "–", "(", ")"):
                break
            if t.text == ",":
                if k + 1 < n and toks[k + 1].low in ("a", "an", "the", "another") and k > j:
                    k += 1
                    while (
                        k < n
                        and toks[k].text not in (",", ".", ";", ":", "“", '"')
                        and (
                            toks[k].low not in CONTEXT_START
                            or toks[k].low in ("in", "at", "of", "for", "to", "from", "near", "by")
                        )
                        and toks[k].low not in CUE_VERBS
                        and toks[k].low not in ("who", "which", "whose", "whom")
                    ):
                        k += 1
                    break
                if (
                    k + 1 < n
                    and toks[k + 1].text[:1].isdigit()
                    and k + 2 < n
                    and (toks[k + 2].text == ",")
                ):
                    k += 3  # age apposition "Ahmed Salih, 34, said"
                    continue
                break
            if t.low in CUE_VERBS and k > j:
                break
            if not is_cap(t):
                if t.low in PREPOSITIONS and k > j:
                    # keep "in Ukraine Matthias Schmale" / "to the United Nations" in the phrase
                    last = toks[k - 1]
                    if has_name and last.low not in ROLE_WORDS:
                        break
                    m = k + 1
                    while m < n and toks[m].low in ("the", "of"):
                        m += 1
                    if m >= n or not is_cap(toks[m]):
                        break
                elif not _lower_ok(t.low) and not (k == j and t.low in ("he", "she", "they")):
                    break
            else:
                has_name = has_name or t.low not in ROLE_WORDS
            k += 1
            if k - 1 == j and toks[j].low in ("he", "she", "they"):
                break
        return k

    def np_backward(self, toks: list[Token], k: int, floor: int = 0) -> tuple[int, int]:
        """(start, end) of a speaker phrase ending before toks[k], auxiliaries skipped.

        Handles "NAME, a ROLE, said", "the spokesman, NAME, told" and "NAME, who ..., said".
        """
        j = k
        while j > floor and (
            toks[j - 1].low in AUXILIARIES
            or (toks[j - 1].low.endswith("ly") and not is_cap(toks[j - 1]))
        ):
            j -= 1
        if j > floor and toks[j - 1].text == ",":
            # apposition or relative clause closed by a comma
            c = j - 2
            while c > floor and toks[c].text != "," and j - c < 18:
                if toks[c].text in (".", ";", ":", "“", "”", '"'):
                    return (j, j)
                c -= 1
            if c < floor or toks[c].text != ",":
                return (j, j)
            seg = toks[c + 1 : j - 1]
            if not seg:
                return (j, j)
            head_start, head_end = self._np_strict(toks, c, floor)
            if head_start >= head_end:
                return (j, j)
            if seg[0].low in ("who", "which", "whose"):
                return (head_start, head_end)
            head_det = toks[head_start].low in DETERMINERS
            seg_role = seg[0].low in DETERMINERS or any(
                t.low in ROLE_HEADS or t.low in ROLE_WORDS for t in seg
            )
            seg_name = all(is_cap(t) for t in seg)
            if seg_role or (head_det and seg_name):
                return (head_start, j - 1)
            return (j, j)
        return self._np_strict(toks, j, floor)

    def _np_strict(self, toks: list[Token], end: int, floor: int) -> tuple[int, int]:
        i = end
        while i > floor and end - i < 16:
            t = toks[i - 1]
            if t.text in (
                ".",
                ";",
                ":",
                "!",
                "?",
                "“",
                "”",
                '"',
                "—",
                "–",
                "(",
                ")",
                "‘",
                "’",
                ",",
            ):
                break
            if t.low in STOP_BEFORE or t.low in CUE_VERBS:
                break
            if not is_cap(t) and not _lower_ok(t.low) and t.low not in ("he", "she", "they"):
                # "The eastern administration": adjectives right after a determiner
                for back in (2, 3):
                    d = i - back
                    if (
                        d >= floor
                        and toks[d].low in DETERMINERS
                        and all(x.text[:1].isalpha() for x in toks[d + 1 : i])
                        and (d == floor or not toks[d - 1].text[:1].isalpha() or d == 0)
                    ):
                        i = d
                        break
                break
            i -= 1
        while i < end and toks[i].low in ("to", "of", "for", "in", "at", "and", "on"):
            i += 1
        return (i, end) if i < end else (end, end)

    # ---- attribution ---------------------------------------------------------------------
    def attribution_after(self, pos: int, limit: int) -> _Attribution | None:
        toks = words(self.body, pos, limit)
        j = 0
        while j < len(toks) and toks[j].text in (",", ".", "!", "?", "—", "–", "-", "…", "'"):
            j += 1
        cut = len(toks)
        for idx in range(j, len(toks)):
            if toks[idx].text in ("“", '"', "«", "‘") or (
                toks[idx].text == "'" and idx + 1 < len(toks) and toks[idx + 1].text == "'"
            ):
                cut = idx
                break
        toks = toks[:cut]
        if j >= len(toks):
            return None
        if toks[j].low in CUE_VERBS and toks[j].low not in ("reports", "post", "posted"):
            end = self.np_forward(toks, j + 1)
            phrase = self.parse(toks[j + 1 : end])
            if phrase is not None:
                return _Attribution(phrase, toks[j].low, self.context_after(toks, end, None))
            return None
        for k in range(j + 1, min(len(toks), j + 16)):
            if toks[k].low in CUE_VERBS and toks[k - 1].low not in ("was", "were", "been", "be"):
                start, np_end = self.np_backward(toks, k, j)
                if start != j or np_end <= start:
                    return None
                phrase = self.parse(toks[start:np_end])
                if phrase is None:
                    return None
                return _Attribution(
                    phrase, toks[k].low, self.context_after(toks, k + 1, toks[k].low)
                )
            if toks[k].text in (".", "!", "?", ";"):
                break
        return None

    def attribution_before(self, start: int, pos: int) -> _Attribution | None:
        toks = words(self.body, start, pos)
        floor = 0
        for idx in range(len(toks) - 1, -1, -1):
            if toks[idx].text in ("“", "”", '"', "«", "»"):
                floor = idx + 1
                break
        toks = toks[floor:]
        while toks and toks[-1].text in (",", ":", "—", "–", "-"):
            toks = toks[:-1]
        if not toks:
            return None
        # "According to X, “…”"
        for k in range(len(toks) - 1):
            if toks[k].low == "according" and toks[k + 1].low == "to":
                end = self.np_forward(toks, k + 2)
                phrase = self.parse(toks[k + 2 : end])
                if phrase is not None:
                    return _Attribution(phrase, "according to", None)
        for k in range(len(toks) - 1, -1, -1):
            t = toks[k]
            if t.low in CUE_VERBS and (k == 0 or toks[k - 1].low not in ("was", "were", "been")):
                if k == 0:
                    continue
                s, np_end = self.np_backward(toks, k)
                if s < np_end:
                    phrase = self.parse(toks[s:np_end])
                    if phrase is not None:
                        return _Attribution(phrase, t.low, self.context_after(toks, k + 1, t.low))
                # inverted before the quote: "said the minister: “…”"
                end = self.np_forward(toks, k + 1)
                if end > k + 1:
                    phrase = self.parse(toks[k + 1 : end])
                    if phrase is not None:
                        return _Attribution(phrase, t.low, self.context_after(toks, end, None))
        return None

    # ---- main passes ---------------------------------------------------------------------
    def find_direct(self) -> None:
        for q in direct_spans(self.body, self.paras):
            ms, me = q.mark_start, q.mark_end
            line_end = self.body.find("\n", me)
            limit = min(len(self.body) if line_end < 0 else line_end, me + ATTR_WINDOW)
            s_open = self.sentence_at(ms)
            attr = self.attribution_after(me, limit)
            side = "after"
            if attr is None:
                attr = self.attribution_before(max(s_open.start, ms - ATTR_WINDOW), ms)
                side = "before"
            n_words = len(self.body[q.start : q.end].split())
            if attr is None and n_words < 2:
                continue
            ev = _Event(
                q.start, q.end, "direct", ms, me, q.para, attr or _Attribution(None, None, None)
            )
            ev.rules.extend(q.rules)
            if attr is not None:
                ev.rules.append(f"attr.{side}:{attr.rule or 'cue'}")
            self.events.append(ev)

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
    def resolve(self) -> list[ExtractedQuote]:
        self.events.sort(key=lambda e: e.start)
        clusters: list[_Cluster] = []
        history: list[int] = []  # cluster ids in order of attribution

        def new_cluster(p: SpeakerPhrase) -> int:
            clusters.append(_Cluster([p], p.named))
            self._expand_one(clusters[-1])
            return len(clusters) - 1

        def find_named(p: SpeakerPhrase) -> int | None:
            for ci in range(len(clusters) - 1, -1, -1):
                c = clusters[ci]
                if c.named and any(x.named and same_person(x.name, p.name) for x in c.names):
                    return ci
            return None

        for ev in self.events:
            p = ev.attr.phrase
            if p is None:
                continue
            cid: int | None = None
            if p.pronoun in ("he", "she"):
                for ci in reversed(history):
                    if (
                        clusters[ci].named
                        or clusters[ci].names[-1].name.split()[-1].lower() not in CLAUSE_PLURAL
                    ):
                        cid = ci
                        break
            elif p.pronoun == "they":
                for ci in reversed(history):
                    if not clusters[ci].named:
                        cid = ci
                        break
            elif p.named:
                cid = find_named(p)
                if cid is None:
                    cid = new_cluster(p)
                else:
                    clusters[cid].names.append(p)
            else:
                head = role_head(p.role)
                short = len(p.name.split()) <= 3
                if head and short:
                    for ci in reversed(history):
                        roles = [role_head(x.role) for x in clusters[ci].names]
                        if head in roles:
                            cid = ci
                            break
                if cid is None:
                    for ci, c in enumerate(clusters):
                        if not c.named and any(x.name.lower() == p.name.lower() for x in c.names):
                            cid = ci
                            break
                if cid is None:
                    cid = new_cluster(p)
                else:
                    clusters[cid].names.append(p)
            ev.cluster = cid
            if cid is not None:
                history.append(cid)
        self._merge_roles(clusters)
        self._expand_surnames(clusters)
        self._inherit(history)
        speakers = [self._speaker(c) for c in clusters]
        self.speakers = speakers
        out: list[ExtractedQuote] = []
        for ev in self.events:
            sp = speakers[ev.cluster] if ev.cluster is not None else None
            out.append(
                ExtractedQuote(
                    self.body[ev.start : ev.end],
                    "direct" if ev.kind == "direct" else "indirect",
                    sp,
                    ev.attr.cue,
                    ev.attr.context,
                    ev.start,
                    ev.end,
                    tuple(ev.rules),
                )
            )
        return out

    def _merge_roles(self, clusters: list[_Cluster]) -> None:
        """Merge a description ("Ukraine's Defense Minister") into the one named speaker whose
        role words it contains ("Defense Minister Rustem Umerov")."""
        for ci, c in enumerate(clusters):
            if c.named:
                continue
            desc = {
                w.low.replace("’s", "").replace("'s", "") for p in c.names for w in words(p.name)
            }
            matches = []
            for cj, other in enumerate(clusters):
                if not other.named:
                    continue
                roles = [x.role for x in other.names if x.role]
                for role in roles:
                    rw = {w.low for w in words(role)}
                    if rw and role_head(role) and rw <= desc:
                        matches.append(cj)
                        break
            if len(matches) == 1:
                target = matches[0]
                clusters[target].names.extend(c.names)
                for ev in self.events:
                    if ev.cluster == ci:
                        ev.cluster = target

    def _inherit(self, history: list[int]) -> None:
        direct = [e for e in self.events if e.kind == "direct"]
        attributed = [e for e in self.events if e.cluster is not None]
        attributed_starts = [e.start for e in attributed]
        for idx, ev in enumerate(direct):
            if ev.cluster is not None or ev.attr.phrase is not None:
                continue
            prev = direct[idx - 1] if idx > 0 else None
            nxt = direct[idx + 1] if idx + 1 < len(direct) else None
            if prev is not None and prev.para == ev.para and prev.cluster is not None:
                ev.cluster, ev.attr.cue = prev.cluster, prev.attr.cue
            elif nxt is not None and nxt.para == ev.para and nxt.cluster is not None:
                ev.cluster, ev.attr.cue = nxt.cluster, nxt.attr.cue
            else:
                k = bisect.bisect_left(attributed_starts, ev.start) - 1
                before = attributed[k] if k >= 0 else None
                if (
                    before is not None
                    and self.para_of(ev.mark_start) - before.para <= 2
                    and (
                        self.body[ev.mark_start - 1 : ev.mark_start] in ("", "\n")
                        or self.body[max(0, ev.mark_start - 80) : ev.mark_start]
                        .rstrip()
                        .endswith(":")
                    )
                ):
                    ev.cluster = before.cluster
            ev.inherited = ev.cluster is not None

    def _expand_surnames(self, clusters: list[_Cluster]) -> None:
        """A speaker named by surname only ("Ishaq") takes the fuller name the article gives
        elsewhere ("Mariam Ishaq, a 45-year-old teacher"), with its apposition as role."""
        for c in clusters:
            self._expand_one(c)

    def _expand_one(self, c: _Cluster) -> None:
        if not c.named or any(len(x.name.split()) > 1 for x in c.names if x.named):
            return
        surname = c.names[0].name
        rx = regex.compile(
            r"(?<![\p{L}\p{M}])((?:\p{Lu}[\p{L}\p{M}'’.\-]*\s+){1,4})"
            + regex.escape(surname)
            + r"(?![\p{L}\p{M}])"
        )
        for m in rx.finditer(self.body, 0, min(len(self.body), 200_000)):
            end = min(len(self.body), m.end() + 200)
            tail = words(self.body, m.start(), end)
            stop = self.np_forward(tail, 0)
            phrase = self.parse(tail[:stop])
            if (
                phrase is not None
                and phrase.named
                and phrase.name.endswith(surname)
                and len(phrase.name.split()) > 1
                and not any(self.is_place(w) for w in phrase.name.split()[:-1])
            ):
                c.names.append(phrase)
                return

    @staticmethod
    def _speaker(c: _Cluster) -> ExtractedSpeaker:
        names = c.names
        if c.named:
            named = [x for x in names if x.named]
            best = max(named, key=lambda x: (len(x.name.split()), len(x.name)))
            role = best.role or next((x.role for x in named if x.role), None)
            org = best.organisation or next((x.organisation for x in named if x.organisation), None)
            return ExtractedSpeaker(best.name, role, org)
        best = max(names, key=lambda x: len(x.name))
        return ExtractedSpeaker(best.name, best.role, best.organisation)

    def run(self) -> tuple[list[ExtractedQuote], list[ExtractedSpeaker], list[tuple[int, int]]]:
        self.find_direct()
        self.find_indirect()
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
