"""Reported-speech constructions, cue first: for each cue, its source and its content.

Each construction is one small function returning a :class:`Found` (token spans plus the names
of the rules that fired) or None:

* ``verb_forward``: "X said (that) …", "X told reporters on Monday …", "When X said …, …",
  "…, who said …", "X praised … and said …";
* ``verb_final``: "…, X said." / "…, said X." and the parenthetical "A, X said, B.";
* ``as_cue``: "As X noted, …";
* ``participle``: "…, saying (that) …" (source: the previous cue's, else the clause subject);
* ``according``: "According to X, …" / "…, according to X." / "A, according to X, B".
"""

from __future__ import annotations

from dataclasses import dataclass

from app.extraction.reported.content import (
    Content,
    after_cue,
    before,
    clause_end,
    quoted_share,
    skip_between,
    tail_context,
    trim,
)
from app.extraction.reported.cues import Cue
from app.extraction.reported.source import (
    Source,
    main_subject,
    np_after,
    np_ok,
    subject_before,
    window_before,
)
from app.extraction.reported.vocab import (
    CLAUSE_ENDERS,
    CLAUSE_PUNCT,
    CLAUSE_STARTERS,
    DETERMINERS,
    PARTICIPLE_CUES,
    PREPOSITIONS,
    RELATIVES,
    SUBORDINATORS,
    Tok,
    is_cap,
    is_word,
)
from app.extraction.reported.vocab import (
    QUOTE_MARKS as QUOTES,
)

MAX_QUOTED = 0.5
ASKED_AFTER = frozenset({"when", "if", "once", "after", ",", "—", "and", "but"})
ASKED_START = frozenset({"if", "whether", "what", "why", "how", "who", "where", "when", "about"})
PARTICIPLE_AFTER = frozenset({",", "—", "–", "by", "and", "after", "while", "before", "in"})


@dataclass(frozen=True, slots=True)
class Found:
    """One report in a sentence (token spans) with the rules that produced it."""

    content: tuple[int, int]
    source: tuple[int, int] | None
    context: tuple[int, int] | None
    rules: tuple[str, ...]


@dataclass(slots=True)
class Sentence:
    """One sentence's tokens, which are quoted, and the commas before later attributions."""

    toks: list[Tok]
    blocked: list[bool]
    stops: frozenset[int] = frozenset()


def _ok(s: Sentence, a: int, b: int, least: int = 3) -> bool:
    """Rule content.not_direct: most words outside quotation marks, at least three tokens."""
    return b - a >= least and quoted_share(s.toks, s.blocked, a, b) <= MAX_QUOTED


def _found(
    cue: Cue, content: Content, source: Source | None, *extra: str, ctx: bool = True
) -> Found:
    rules = (f"reported.cue:{cue.lemma.replace(' ', '_')}", *extra, *content.rules)
    if source is not None:
        rules = (*rules, source.rule)
    src = (source.start, source.end) if source is not None else None
    return Found((content.start, content.end), src, content.context if ctx else None, rules)


def verb_forward(s: Sentence, cue: Cue, subject: Source) -> Found | None:
    """Source before the cue, content after it."""
    assert cue.verb is not None
    extra: list[str] = []
    at_comma = False
    if subject.boundary in SUBORDINATORS and subject.boundary != "that":
        extra.append("reported.construction.subordinate")
        at_comma = True
    if subject.rule == "reported.source.relative":
        extra.append("reported.construction.relative")
        at_comma = subject.boundary != "that" and s.toks[subject.end].text == ","
    content = after_cue(s.toks, cue.end, cue.verb, s.stops, at_comma, cue.nounish)
    if content is None or not _ok(s, content.start, content.end):
        return None
    return _found(cue, content, subject, *extra)


def verb_final(s: Sentence, cue: Cue, subject: Source | None, floor: int) -> Found | None:
    """ "…, X said (on Monday)." / "…, said X." / parenthetical "A, X said, B."."""
    assert cue.verb is not None
    toks = s.toks
    n = len(toks)
    if cue.nounish:
        return None  # "…, the states" / "…, his remarks": plural nouns, not cues
    if subject is None:
        subject = inverted_source(toks, cue)
        if subject is None:
            return None
        comma, after = cue.start - 1, subject.end
    else:
        comma = subject.start - 1
        if comma < 0 or toks[comma].text not in (",", "—"):
            return None
        after = cue.end
    tail = after
    after, _, _ = skip_between(toks, after, n, cue.verb)
    after = tail_context(toks, after, n)
    context = (tail, after) if after > tail and toks[tail].low not in ("that",) else None
    if after < n and toks[after].text == "," and subject.rule == "reported.source.inverted":
        after = _apposition_end(toks, after)
    final = after >= n or toks[after].text in CLAUSE_PUNCT
    if not final and toks[after].text != ",":
        return None
    if not final and after + 1 < n and (s.blocked[after + 1] or toks[after + 1].text in QUOTES):
        return None  # ", X said, “…”": the cue of a direct quote
    left = sum(1 for t in toks[floor:comma] if is_word(t))
    if left == 1 and not final:
        return _after_aside(s, cue, subject, after)
    if final or not _verb_like(toks[after + 1] if after + 1 < n else toks[after]):
        content = before(toks, floor, comma)
        if content is None or not _ok(s, content.start, content.end):
            return None
        content = Content(content.start, content.end, content.rules, context)
        return _found(cue, content, subject, "reported.construction.clause_final")
    end = trim(toks, floor, clause_end(toks, after + 1, n, s.stops, False))
    if left < 1 or end - after < 3 or not _ok(s, floor, end):
        return None
    content = Content(floor, end, ("reported.content.around",))
    return _found(cue, content, subject, "reported.construction.parenthetical", ctx=False)


def _after_aside(s: Sentence, cue: Cue, subject: Source, comma: int) -> Found | None:
    """ "Rather, he said, the levee will hold": after a one-word aside the clause follows."""
    a = comma + 1
    end = trim(s.toks, a, clause_end(s.toks, a, len(s.toks), s.stops, False))
    if not _ok(s, a, end):
        return None
    content = Content(a, end, ("reported.content.after_comma",))
    return _found(cue, content, subject, "reported.construction.parenthetical")


def _verb_like(tok: Tok) -> bool:
    """Rule construction.parenthetical: what follows ", X said," goes on with a verb."""
    low = tok.low
    if not is_word(tok) or is_cap(tok) or low in CLAUSE_STARTERS or low in PREPOSITIONS:
        return False
    if low.endswith("ing"):
        return False  # ", he said, wiping his brow": a participle, not the clause's verb
    return low not in CLAUSE_ENDERS and low not in PARTICIPLE_CUES and low not in SUBORDINATORS


def _apposition_end(toks: list[Tok], comma: int) -> int:
    """After ", said X, a lawyer for Y" skip the apposition (index of what follows)."""
    n = len(toks)
    if comma + 1 < n and toks[comma + 1].low in ("a", "an", "the", "who", "which"):
        j = comma + 1
        while j < n and toks[j].text not in (",", ".", ";", "!", "?"):
            j += 1
        return j
    return comma


def inverted_source(toks: list[Tok], cue: Cue, after_quote: bool = False) -> Source | None:
    """Rule source.inverted: ", said Nadia Sorel" — the source follows the cue (also after a
    closing quotation mark when ``after_quote``)."""
    marks = (",", "—", *QUOTES) if after_quote else (",", "—")
    if cue.start == 0 or toks[cue.start - 1].text not in marks:
        return None
    e = np_after(toks, cue.end)
    if e == cue.end:
        return None
    first = toks[cue.end]
    if not (is_cap(first) or first.low in DETERMINERS or first.low in ("he", "she", "they")):
        return None  # ", pledged delegates": no source after the verb
    return Source(cue.end, e, "reported.source.inverted")


def asked(s: Sentence, cue: Cue) -> Found | None:
    """ "Asked (by X) whether …, she said …" / "when asked about …": the question is the
    content; who asked is left open."""
    toks = s.toks
    n = len(toks)
    if cue.lemma != "ask" or not (cue.start == 0 or toks[cue.start - 1].low in ASKED_AFTER):
        return None
    i = cue.end
    if i < n and toks[i].low == "by":
        i = np_after(toks, i + 1)
    i, _, _ = skip_between(toks, i, n, cue.verb) if cue.verb is not None else (i, i, False)
    if i >= n or toks[i].low not in ASKED_START:
        return None
    end = trim(toks, i, clause_end(toks, i, n, s.stops, True))
    if not _ok(s, i, end):
        return None
    content = Content(i, end, ("reported.content.question",))
    return _found(cue, content, None, "reported.construction.asked")


def as_by(s: Sentence, cue: Cue) -> Found | None:
    """ "As reported by the agency, …": source after "by", content after the comma."""
    toks = s.toks
    n = len(toks)
    if cue.start == 0 or toks[cue.start - 1].low != "as" or cue.end >= n:
        return None
    if toks[cue.end].low != "by":
        return None
    e = np_after(toks, cue.end + 1)
    if e == cue.end + 1 or e >= n or toks[e].text != ",":
        return None
    end = trim(toks, e + 1, clause_end(toks, e + 1, n, s.stops, False))
    if not _ok(s, e + 1, end):
        return None
    content = Content(e + 1, end, ("reported.content.after_comma",))
    source = Source(cue.end + 1, e, "reported.source.by")
    return _found(cue, content, source, "reported.construction.as_cue")


def as_cue(s: Sentence, cue: Cue, subject: Source) -> Found | None:
    """ "As X noted, …": the content follows the comma."""
    toks = s.toks
    if subject.boundary != "as" or cue.end >= len(toks) or toks[cue.end].text != ",":
        return None
    a = cue.end + 1
    end = trim(toks, a, clause_end(toks, a, len(toks), s.stops, False))
    if not _ok(s, a, end):
        return None
    content = Content(a, end, ("reported.content.after_comma",))
    return _found(cue, content, subject, "reported.construction.as_cue")


def participle(s: Sentence, cue: Cue, previous: Source | None) -> Found | None:
    """ ", saying (that) …", ", adding …": the source is the previous cue's or the subject's."""
    assert cue.verb is not None
    toks = s.toks
    if cue.start == 0:
        return None
    noun = None
    if toks[cue.start - 1].low not in PARTICIPLE_AFTER:
        # "with 30 percent of voters saying …": the noun phrase before the participle
        start, boundary = window_before(toks, cue.start, 0)
        window = toks[start : cue.start]
        if boundary in ("?", *SUBORDINATORS) or not window or len(window) > 6:
            return None
        if not np_ok(window) or any(t.low.endswith(("ed", "ing")) for t in window):
            return None
        while start < cue.start - 1 and toks[start].low in PREPOSITIONS:
            start += 1
        noun = Source(start, cue.start, "reported.source.subject", boundary)
    content = after_cue(toks, cue.end, cue.verb, s.stops, False, cue.nounish)
    if content is None or not _ok(s, content.start, content.end):
        return None
    source = noun or previous or main_subject(toks, cue.start)
    rule = "reported.source.previous_cue" if noun is None and previous is not None else None
    found = _found(cue, content, source, "reported.construction.participle")
    if rule is not None:
        found = Found(found.content, found.source, found.context, (*found.rules, rule))
    return found


def according(s: Sentence, cue: Cue, floor: int) -> Found | None:
    """ "According to X, …", "…, according to X." and "A, according to X, B"."""
    toks = s.toks
    n = len(toks)
    a = cue.end
    e = a
    while e < n and toks[e].text not in (",", ".", ";", "!", "?", ":") and e - a < 16:
        e += 1
    if e == a or s.blocked[a]:
        return None
    source = Source(a, e, "reported.source.according_to")
    lead = cue.start == floor or (cue.start > 0 and toks[cue.start - 1].low in SUBORDINATORS)
    if lead and e < n and toks[e].text == ",":
        b = trim(toks, e + 1, clause_end(toks, e + 1, n, s.stops, False))
        if not _ok(s, e + 1, b):
            return None
        content = Content(e + 1, b, ("reported.content.after_comma",))
        return _found(cue, content, source, "reported.construction.according_to")
    if cue.start == 0 or toks[cue.start - 1].text not in (",", "—", "("):
        return None
    comma = cue.start - 1
    if e >= n or toks[e].text in CLAUSE_PUNCT or (e + 1 < n and not _verb_like(toks[e + 1])):
        content_b = before(toks, floor, comma)
        if content_b is None or not _ok(s, content_b.start, content_b.end):
            return None
        return _found(cue, content_b, source, "reported.construction.according_to")
    end = trim(toks, floor, clause_end(toks, e + 1, n, s.stops, False))
    if end - e < 3 or not _ok(s, floor, end):
        return None
    content = Content(floor, end, ("reported.content.around",))
    return _found(cue, content, source, "reported.construction.parenthetical")


def attribution_commas(toks: list[Tok], cues: list[Cue]) -> frozenset[int]:
    """Commas right before a later attribution (", officials said"): a clause ends there."""
    out: set[int] = set()
    for cue in cues:
        if cue.kind == "according" and cue.start > 0:
            out.add(cue.start - 1)
            continue
        start, boundary = window_before(toks, cue.start, 0)
        if (boundary == "," and start > 0) or (
            start == cue.start and start > 0 and toks[start - 1].text == ","
        ):
            out.add(start - 1)
    return frozenset(out)


def subject_for(s: Sentence, cue: Cue) -> Source | None:
    """The subject of a finite verb cue (None when none is found)."""
    sub = subject_before(s.toks, cue.start, 0, progressive=cue.form.endswith("ing"))
    if sub is None:
        return None
    if sub.rule == "reported.source.coordinated":
        main = main_subject(s.toks, cue.start)
        if main is None:
            return None
        return Source(main.start, main.end, "reported.source.coordinated", sub.boundary)
    if sub.boundary in RELATIVES and sub.rule == "reported.source.subject":
        return None
    return sub
