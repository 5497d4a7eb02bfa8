"""The content of a report: which tokens hold what was said.

``after_cue`` skips an addressee and time or place phrases, then takes a "that" clause, an
embedded question, a to-infinitive, a that-less clause or a noun phrase, as the verb allows;
``clause_end`` decides where that content stops. Token indices are over one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.extraction.lexicon.verbs import ReportingVerb
from app.extraction.reported.vocab import (
    CLAUSE_ENDERS,
    CLAUSE_PUNCT,
    CLAUSE_STARTERS,
    DETERMINERS,
    OBJECT_PRONOUNS,
    QUOTE_MARKS,
    SUBORDINATORS,
    TIME_HEADS,
    TIME_MODIFIERS,
    Tok,
    is_adverb,
    is_cap,
    is_time,
    is_word,
    word_set,
)

MAX_CONTENT = 120
OBJECT_DETERMINERS = word_set("the a an his her their its our my your")
#: verbs that always name the addressee before a that-less clause ("told them …")
OBJECT_REQUIRED = word_set("tell inform remind notify assure reassure brief advise")
#: words that never open what was said (a coordinated verb, a comparison, an adverb)
NOT_CONTENT_START = word_set(
    """and but or nor as than so too also again yes no goodbye hello thanks sorry about of
    by with for from into onto at on in up out off over against upon after before during
    without while when since until through throughout under amid despite because unless
    among near via like then later earlier here"""
)
WH_WORDS = word_set("if whether what why how who where")
CONTEXT_PREPS = word_set(
    """in on at during from via with over before after through outside inside near while
    for"""
)
ADDRESSEES = word_set(
    """reporters journalists lawmakers legislators supporters voters viewers listeners
    residents delegates members students crowds audiences donors investigators colleagues
    officials parliament congress"""
)


@dataclass(frozen=True, slots=True)
class Content:
    """``toks[start:end]`` is the content; ``context`` the skipped phrase (token span)."""

    start: int
    end: int
    rules: tuple[str, ...]
    context: tuple[int, int] | None = None


def _skip_object(toks: list[Tok], i: int, n: int, wh: bool = False) -> int:
    """Rule skip.object: the addressee after "told"/"warned" (index after it, or ``i``)."""
    if i >= n:
        return i
    low = toks[i].low
    if low in OBJECT_PRONOUNS or low in ADDRESSEES:
        return i + 1
    if low in CONTEXT_PREPS or low == "that" or is_time(low):
        return i
    for m in range(i, min(n, i + 14)):
        if toks[m].low == "that" or (wh and toks[m].low in WH_WORDS and m < i + 6):
            return m if m > i else i
        if not is_word(toks[m]):
            break
    if low in OBJECT_DETERMINERS and i + 2 < n and is_word(toks[i + 1]) and not is_cap(toks[i + 1]):
        nxt = toks[i + 2]
        if nxt.low in CLAUSE_STARTERS or (is_cap(nxt) and nxt.low not in ("i",)):
            return i + 2  # "told the court her client …"
    if is_cap(toks[i]) or low in ("the",):
        j = i + 1 if low == "the" else i
        while j < n and j - i < 6 and (is_cap(toks[j]) or toks[j].low in ("of", "the", "&")):
            j += 1
        last = toks[j - 1]
        if j > i and is_cap(last) and not last.low.endswith(("’s", "'s")):
            return j
    return i


def _skip_time(toks: list[Tok], i: int, n: int) -> int:
    """Rule skip.time: "on Monday", "Tuesday night", "last week", "earlier this month"."""
    j = i
    if j < n and toks[j].low == "on" and j + 1 < n and is_time(toks[j + 1].low):
        j += 1
    if j < n and toks[j].low in TIME_MODIFIERS:
        k = j + 1
        if k < n and toks[k].low in ("this", "that", "last", "next"):
            k += 1
        if k < n and (toks[k].low in TIME_HEADS or is_time(toks[k].low)):
            return k + 1
        return i
    if j < n and is_time(toks[j].low):
        j += 1
        while j < n and (toks[j].low in TIME_HEADS or toks[j].text[:1].isdigit()):
            j += 1
        return j
    return i


def _skip_context(toks: list[Tok], i: int, n: int, bare_ok: bool) -> int:
    """Rule skip.context: "in a statement", "at a rally in Ohio" before "that" (or a comma)."""
    if i >= n or toks[i].low not in CONTEXT_PREPS:
        return i
    for m in range(i + 1, min(n, i + 16)):
        t = toks[m]
        if t.low == "that":
            return m
        if t.text == "," and m > i + 1:
            return m + 1 if bare_ok else i
        if t.text in CLAUSE_PUNCT or t.text in QUOTE_MARKS or t.text == ":":
            return i
    return i


def tail_context(toks: list[Tok], i: int, n: int) -> int:
    """Rule skip.tail: "…, X said in a statement." skips the phrase to the comma or the end."""
    if i >= n or (toks[i].low not in CONTEXT_PREPS and not is_time(toks[i].low)):
        return i
    for m in range(i + 1, min(n, i + 16)):
        t = toks[m]
        if t.text == "," or (t.text in CLAUSE_PUNCT and m == n - 1):
            return m
        if t.text in QUOTE_MARKS or t.low == "that":
            return i
    return n if n - i < 16 else i


def skip_between(toks: list[Tok], i: int, n: int, verb: ReportingVerb) -> tuple[int, int, bool]:
    """(content start, context start, whether an object was skipped) after the cue."""
    obj = False
    if verb.object:
        j = _skip_object(toks, i, n, verb.wh_content)
        obj = j > i
        i = j
    while i < n and (is_adverb(toks[i]) or toks[i].low in ("again", "also", "repeatedly")):
        i += 1
    ctx = i
    for _ in range(3):
        j = _skip_time(toks, i, n)
        j = _skip_context(toks, j, n, verb.that_optional)
        if j < n and toks[j].text == "," and j + 1 < n and toks[j + 1].low == "that":
            j += 1
        if j == i:
            break
        i = j
    return i, ctx, obj


def _start_rule(tok: Tok, verb: ReportingVerb) -> str | None:
    low = tok.low.replace("’", "'").split("'")[0]
    if low == "that":
        return "reported.content.that"
    if low in WH_WORDS and verb.wh_content:
        return "reported.content.question"
    if low == "to":
        return "reported.content.infinitive" if verb.to_content else None
    if verb.weight < 1.0 or not verb.that_optional:
        return None
    if low in WH_WORDS:
        return None
    if low in CLAUSE_STARTERS or is_cap(tok) or tok.text[:1].isdigit():
        return "reported.content.bare" if not verb.noun_content else "reported.content.clause"
    if is_word(tok) and low not in NOT_CONTENT_START and not low.endswith("ly"):
        return "reported.content.bare"  # "said stocks were down", "says expanding it will…"
    return None


def clause_end(toks: list[Tok], a: int, n: int, stops: frozenset[int], at_comma: bool) -> int:
    """Rule content.end: the clause runs to the sentence end, a semicolon, or a comma that
    opens an aside, a contrast or another attribution (``stops``: such commas)."""
    i = a
    limit = min(n, a + MAX_CONTENT)
    while i < limit:
        t = toks[i]
        if t.text == ";" or (t.text == ":" and i + 1 < n and toks[i + 1].text in QUOTE_MARKS):
            break
        if t.text in CLAUSE_PUNCT and not (0 < i < n - 1 and _inside_word(toks, i)):
            break
        if t.text in (",", "—", "–") and i > a:
            if at_comma or i in stops:
                break
            if i + 1 < n and toks[i + 1].low in CLAUSE_ENDERS:
                break
        i += 1
    return i


def _inside_word(toks: list[Tok], i: int) -> bool:
    """A full stop inside a number or an abbreviation ("2.7", "a.m")."""
    return toks[i - 1].end == toks[i].start and toks[i + 1].start == toks[i].end


def after_cue(
    toks: list[Tok],
    i: int,
    verb: ReportingVerb,
    stops: frozenset[int],
    at_comma: bool,
    nounish: bool = False,
) -> Content | None:
    """The content after a reporting verb ending at ``toks[i - 1]``."""
    n = len(toks)
    start, ctx, obj = skip_between(toks, i, n, verb)
    if start >= n:
        return None
    rule = _start_rule(toks[start], verb)
    if rule is None:
        return None
    if rule == "reported.content.bare" and verb.object and verb.lemma in OBJECT_REQUIRED:
        first = toks[start]
        if not obj or not (first.low in CLAUSE_STARTERS or is_cap(first)):
            return None  # rule skip.object: "told the panel …" needs a clear addressee
    if nounish and rule != "reported.content.that":
        return None  # rule cue.nounish: "states", "reports", "claims" need "that"
    end = trim(toks, start, clause_end(toks, start, n, stops, at_comma))
    if sum(1 for t in toks[start:end] if is_word(t)) < 3:
        return None
    rules = [rule]
    if obj:
        rules.append("reported.skip.object")
    context = (ctx, start) if start > ctx else None
    if context is not None:
        rules.append("reported.skip.context")
    return Content(start, end, tuple(rules), context)


def trim(toks: list[Tok], a: int, b: int) -> int:
    """End index with trailing punctuation and unbalanced quotation marks dropped."""
    while b > a and (not is_word(toks[b - 1])):
        t = toks[b - 1].text
        if t in QUOTE_MARKS and sum(1 for x in toks[a:b] if x.text in QUOTE_MARKS) % 2 == 0:
            break
        b -= 1
    return b


def before(toks: list[Tok], floor: int, comma: int) -> Content | None:
    """Rule content.before: "…, X said." takes the words from ``floor`` to the comma."""
    a = floor
    while a < comma and not is_word(toks[a]) and toks[a].text not in QUOTE_MARKS:
        a += 1
    b = trim(toks, a, comma)
    if sum(1 for t in toks[a:b] if is_word(t)) < 3:
        return None
    first = toks[a]
    if first.low in DETERMINERS and b - a < 3:
        return None
    short = sum(1 for t in toks[a:b] if is_word(t)) <= 6
    if short and (first.low in CONTEXT_PREPS or first.low.endswith(("ing", "ed"))):
        return None  # rule content.not_adverbial: "At one point, …" / "Asked about it, …"
    lead = first.low in SUBORDINATORS or first.low in ("to", "even", "overall")
    if lead and not any(t.text == "," for t in toks[a:b]):
        return None  # "When she got to the church, she said …": a leading adverbial clause
    return Content(a, b, ("reported.content.before",))


def quoted_share(toks: list[Tok], blocked: list[bool], a: int, b: int) -> float:
    """Share of the words in ``toks[a:b]`` that sit inside quotation marks."""
    w = [i for i in range(a, b) if is_word(toks[i])]
    if not w:
        return 1.0
    return sum(1 for i in w if blocked[i]) / len(w)
