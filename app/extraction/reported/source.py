"""The source of a report: the noun phrase that did the saying.

Tok-index spans over one sentence; each finder names the rule that found the span.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.extraction.lexicon.verbs import CLAUSE_FORMS
from app.extraction.reported.vocab import (
    AUX,
    BE,
    BREAK_PUNCT,
    COORDINATORS,
    DETERMINERS,
    NOT_IN_NP,
    PREPOSITIONS,
    QUOTE_MARKS,
    RELATIVES,
    SUBJECT_PRONOUNS,
    SUBORDINATORS,
    VAGUE_PRONOUNS,
    Tok,
    is_adverb,
    is_cap,
    is_time,
    is_word,
    word_set,
)
from app.extraction.speakers import SpeakerPhrase, parse_speaker

MAX_NP = 12
OBJECTS = word_set("them us those whom")
#: sentence adverbs set off by commas between a subject and its verb
DISCOURSE = word_set(
    """however meanwhile too though instead therefore nonetheless nevertheless moreover
    indeed still also now then again today yesterday"""
)
#: common irregular past-tense verbs: a subject phrase ends before them
IRREGULAR_PAST = word_set(
    """found made took gave came went got held left met put ran saw sent spent sought spoke
    stood struck won lost hit cut set led kept began brought built bought caught chose drew
    drove fell felt fought grew heard knew laid meant paid rose sold shot shut sat thought
    threw understood became did had was were is are has have"""
)


@dataclass(frozen=True, slots=True)
class Source:
    """``toks[start:end]`` is the source phrase; ``rule`` names how it was found;
    ``boundary`` is the lower-cased token just before it ("" at the sentence start)."""

    start: int
    end: int
    rule: str
    boundary: str = ""


def np_ok(toks: list[Tok]) -> bool:
    """Rule source.np: a plausible noun phrase (or one subject pronoun)."""
    if not toks or len(toks) > MAX_NP:
        return False
    if len(toks) == 1 and toks[0].low in SUBJECT_PRONOUNS:
        return True
    if not all(is_word(t) or t.text in ("-", "&", ".", "’", "'", "(", ")") for t in toks):
        return False
    for i, t in enumerate(toks):
        named = i > 0 and is_cap(t)  # "Yin May", "Will Hart"
        if (
            t.low in NOT_IN_NP
            and not named
            and not (i > 0 and toks[i - 1].low == "of" and t.low in OBJECTS)
        ):
            return False  # "most of them" is a phrase, "he was" is not
    last = toks[-1].low
    if last in DETERMINERS or last in PREPOSITIONS or is_adverb(toks[-1]):
        return False
    if last in CLAUSE_FORMS and last.endswith(("ed", "ing")):
        return False
    return not (len(toks) == 1 and toks[0].low.endswith(("ed", "ing", "ly")))


def _trim_leading_pp(toks: list[Tok], a: int, b: int) -> int:
    """Rule source.after_pp: "In a statement the agency" -> "the agency"; returns new start."""
    if a >= b or toks[a].low not in PREPOSITIONS or toks[a].low in ("about", "of", "around"):
        return a
    i = a + 1
    while i < b and (is_time(toks[i].low) or toks[i].text[:1].isdigit()):
        i += 1
    if i > a + 1:
        return i
    for d in range(b - 1, a + 1, -1):
        if toks[d].low in DETERMINERS:
            return d
    c = b
    while c > a + 1 and is_cap(toks[c - 1]):
        c -= 1
    return c if c < b and c > a + 1 and not is_cap(toks[c - 1]) else b


def window_before(toks: list[Tok], end: int, floor: int) -> tuple[int, str]:
    """Start of the phrase ending at ``end`` and the boundary word that stopped it."""
    i = end
    while i > floor and end - i < MAX_NP + 2:
        t = toks[i - 1]
        low = t.low
        if t.text == ")":
            j = i - 2
            while j > floor and i - j < 7 and toks[j].text not in ("(", ")", ","):
                j -= 1
            if j > floor and toks[j].text == "(":
                i = j  # "Sen. Ada Park (D-Ore.) said": the affiliation stays in the phrase
                continue
        if (
            t.text in BREAK_PUNCT
            or t.text in QUOTE_MARKS
            or low in SUBORDINATORS
            or low in RELATIVES
            or low in COORDINATORS
            or low == "that"
        ):
            return i, low
        i -= 1
    return i, ("" if i == floor else "?")


def skip_aux(toks: list[Tok], k: int, floor: int, progressive: bool) -> int:
    """Index where the auxiliaries and adverbs before the cue at ``k`` begin."""
    j = k
    while j > floor and (
        toks[j - 1].low in AUX or is_adverb(toks[j - 1]) or (progressive and toks[j - 1].low in BE)
    ):
        j -= 1
    return j


def subject_before(toks: list[Tok], k: int, floor: int, progressive: bool) -> Source | None:
    """The subject of the cue at ``toks[k]``: plain, relative, apposition or coordinated."""
    end = skip_aux(toks, k, floor, progressive)
    start, boundary = window_before(toks, end, floor)
    if boundary == "?":
        return None
    if start < end:
        start = _trim_leading_pp(toks, start, end)
        if np_ok(toks[start:end]):
            return Source(start, end, "reported.source.subject", boundary)
        return None
    if end <= floor:
        return None
    prev = toks[end - 1]
    if prev.low in RELATIVES or prev.low == "that":
        a = end - 1
        if a > floor and toks[a - 1].text == ",":
            a -= 1
        s, _ = window_before(toks, a, floor)
        s = _trailing_np(toks, s, a)
        if s < a and toks[a - 1].low not in SUBJECT_PRONOUNS:
            return Source(s, a, "reported.source.relative", prev.low)
        return None
    if prev.low in COORDINATORS:
        return Source(end - 1, end - 1, "reported.source.coordinated", prev.low)
    if prev.text == ",":
        return _apposition(toks, end - 1, floor)
    return None


def _trailing_np(toks: list[Tok], s: int, a: int) -> int:
    """Start of the longest noun phrase ending at ``a`` ("raised by Petra Lund" -> "Petra
    Lund"); ``a`` when there is none."""
    for j in range(s, a):
        t = toks[j]
        if (is_cap(t) or t.low in DETERMINERS) and np_ok(toks[j:a]):
            return j
    return a


def _comma_before(toks: list[Tok], comma: int, floor: int) -> int | None:
    """Index of the comma opening the aside that ``toks[comma]`` closes."""
    c = comma - 1
    while c > floor and toks[c].text != "," and comma - c < 26:
        if toks[c].text in BREAK_PUNCT or toks[c].text in QUOTE_MARKS:
            return None
        c -= 1
    if c <= floor or toks[c].text != "," or c + 1 >= comma:
        return None
    return c


def _apposition(toks: list[Tok], comma: int, floor: int) -> Source | None:
    """Rule source.apposition: "Vera Lind, a lawyer for the family, said", "Ada Moss, 61,
    said", "Critics, for their part, say"."""
    c = _comma_before(toks, comma, floor)
    if c is None:
        return None
    seg = toks[c + 1 : comma]
    first = seg[0]
    aside = (len(seg) <= 6 and first.low in PREPOSITIONS) or all(
        is_adverb(t) or t.low in DISCOURSE for t in seg
    )
    role = first.low in DETERMINERS or first.low in RELATIVES or is_cap(first)
    if not (aside or role or (is_cap(toks[c - 1]) and first.low not in NOT_IN_NP)):
        return None
    head_end = c
    if toks[c - 1].text.isdigit() and c - 2 > floor and toks[c - 2].text == ",":
        head_end = c - 2  # "Name, 34, a teacher, said"
    s, boundary = window_before(toks, head_end, floor)
    s = _trim_leading_pp(toks, s, head_end)
    head = toks[s:head_end]
    if boundary != "?" and head and np_ok(head):
        if aside:
            return Source(s, head_end, "reported.source.subject", boundary)
        if is_cap(head[-1]) or head[0].low in DETERMINERS:
            return Source(s, comma, "reported.source.apposition", boundary)
    if not aside and all(is_cap(t) for t in seg) and len(seg) <= 5:
        return Source(c + 1, comma, "reported.source.apposition", ",")
    return None


def np_after(toks: list[Tok], a: int) -> int:
    """End of a (possibly inverted) source phrase starting at ``toks[a]``."""
    n = len(toks)
    if a < n and toks[a].low in SUBJECT_PRONOUNS:
        return a + 1
    i = a
    while i < n and i - a < MAX_NP:
        t = toks[i]
        low = t.low
        if t.text in BREAK_PUNCT or t.text in QUOTE_MARKS or is_time(low) or low in NOT_IN_NP:
            break
        if low in SUBORDINATORS or low in COORDINATORS or low in CLAUSE_FORMS:
            break
        keep_in = low == "in" and i + 1 < n and is_cap(toks[i + 1]) and i > a
        if low in PREPOSITIONS and low not in ("of", "for", "at", "to") and not keep_in:
            break
        i += 1
    return i


def main_subject(toks: list[Tok], limit: int) -> Source | None:
    """Rule source.main_clause: the subject at the start of the clause holding ``limit``."""
    s = 0
    for i in range(limit - 1, -1, -1):
        if toks[i].text in (";", ":"):
            s = i + 1
            break
    while s < limit and (toks[s].low in COORDINATORS or toks[s].text in ("—", "-")):
        s += 1
    if s < limit and (toks[s].low in PREPOSITIONS or toks[s].low in SUBORDINATORS):
        for i in range(s, min(limit, s + 14)):
            if toks[i].text == ",":
                s = i + 1
                break
        else:
            return None
    if s >= limit:
        return None
    if toks[s].low in SUBJECT_PRONOUNS:
        return Source(s, s + 1, "reported.source.main_clause")
    e = s
    if toks[s].low in DETERMINERS or (is_cap(toks[s]) and not is_cap(toks[min(s + 1, limit - 1)])):
        e = s + 1
        while e < limit and e - s < 6 and _np_word(toks[e]):
            e += 1
    else:
        while e < limit and e - s < 8 and (is_cap(toks[e]) or toks[e].low in ("of", "for")):
            e += 1
        while e < limit and e - s < 8 and toks[e].low.endswith(("ers", "ists", "ians", "ials")):
            e += 1
    while e > s and toks[e - 1].low in ("of", "for"):
        e -= 1
    if e <= s or not np_ok(toks[s:e]):
        return None
    return Source(s, e, "reported.source.main_clause")


def _np_word(t: Tok) -> bool:
    low = t.low
    if not is_word(t) or low in NOT_IN_NP or low in AUX or low in CLAUSE_FORMS:
        return False
    if low in IRREGULAR_PAST or (low.endswith("ed") and not is_cap(t)) or is_adverb(t):
        return False
    return not (low in PREPOSITIONS and low not in ("of", "for"))


def _without_brackets(toks: list[Tok]) -> list[Tok]:
    """The tokens outside parentheses ("Ada Park (D-Ore.)" -> "Ada Park")."""
    out: list[Tok] = []
    depth = 0
    for t in toks:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(t)
    return out


def phrase_of(body: str, toks: list[Tok], is_place: Callable[[str], bool]) -> SpeakerPhrase | None:
    """A speaker phrase for the source tokens; descriptions with any head are kept."""
    toks = _without_brackets([t for t in toks if t.text not in QUOTE_MARKS])
    while toks and not is_word(toks[-1]):
        toks = toks[:-1]
    if not toks or (len(toks) == 1 and toks[0].low in VAGUE_PRONOUNS):
        return None
    phrase = parse_speaker(body, toks, is_place)
    if phrase is not None:
        return phrase
    head = toks
    for i, t in enumerate(toks):
        if t.text == ",":
            head = toks[:i]
            break
    desc = head[1:] if head and head[0].low in DETERMINERS else head
    if not desc:
        return None
    text = body[desc[0].start : desc[-1].end]
    start, end = toks[0].start, toks[-1].end
    return SpeakerPhrase(text, text, None, False, None, start, end, desc[0].start, desc[-1].end)
