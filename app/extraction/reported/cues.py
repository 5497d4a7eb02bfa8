"""Speech cues in a sentence: reporting-verb forms used as verbs, and "according to".

Each check is a small named rule; :func:`find_cues` returns the cues of one sentence's tokens
that survive them, in order.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.extraction.lexicon.verbs import CLAUSE_FORMS, FORMS, MULTI_FORMS, ReportingVerb
from app.extraction.reported.vocab import (
    AUX,
    BE,
    DETERMINERS,
    NOUN_ADJECTIVES,
    PREPOSITIONS,
    SUBJECT_PRONOUNS,
    Tok,
    is_adverb,
    is_cap,
    word_set,
)

MAX_CUES = 12
#: words at which a cue can start (any other token is passed over at once)
CUE_STARTS = frozenset(CLAUSE_FORMS) | frozenset(MULTI_FORMS) | {"according"}
MODALS = word_set(
    """will would could can may might must should shall do does did don’t didn’t doesn’t won’t
    wouldn’t can’t couldn’t don't didn't doesn't won't wouldn't can't couldn't to"""
)
#: words that make a subject plural ("most say", "six in ten say", "those polled say")
PLURAL_SUBJECTS = word_set(
    """they we i you people police others some many most all both few several majority
    percent staff public media military clergy personnel those these"""
)
#: fixed phrases in which a reporting-verb form is not a report ("all told", "says who")
IDIOM_BEFORE = {"told": {"all", "truth"}, "say": {"needless", "suffice", "let’s", "let's"}}
IDIOM_AFTER = {"says": {"who"}, "say": {",", "so"}, "said": {"and"}}


#: lemmas whose -s form is more often a plural noun ("states", "reports", "remarks")
NOUNISH = word_set(
    """state report claim remark question estimate comment note promise pledge vow charge
    answer reply tweet post demand protest object counter signal hint forecast point boast
    record repeat concern warning notice"""
)


@dataclass(frozen=True, slots=True)
class Cue:
    """A speech cue at ``toks[start:end]``; ``kind`` is verb, participle or according."""

    start: int
    end: int
    form: str
    verb: ReportingVerb | None
    kind: str

    @property
    def lemma(self) -> str:
        return self.verb.lemma if self.verb is not None else "according to"

    @property
    def nounish(self) -> bool:
        """An -s form that is as often a plural noun: its clause needs "that"."""
        return self.lemma in NOUNISH and self.form.endswith("s") and self.form != self.lemma


def _prev_index(toks: list[Tok], k: int) -> int:
    """Index of the word before ``toks[k]`` with auxiliaries and adverbs skipped (-1: none)."""
    j = k - 1
    while j >= 0 and (toks[j].low in AUX or is_adverb(toks[j])):
        j -= 1
    return j


def _noun_reading(toks: list[Tok], k: int) -> bool:
    """Rule cue.noun: a determiner, preposition or possessive right before the form."""
    if k == 0:
        return False
    prev = toks[k - 1]
    low = prev.low
    if low in DETERMINERS or (low in PREPOSITIONS and not toks[k].low.endswith("ing")):
        return True  # "the said …", "of reports" (but "by saying" is a gerund)
    if low.endswith(("’s", "'s")) and low[:-2] not in SUBJECT_PRONOUNS | {"who", "that"}:
        return True
    form = toks[k].low
    return prev.text[:1].isdigit() and not form.endswith(("ed", "id", "ld", "te"))


def _base_form_ok(toks: list[Tok], k: int) -> bool:
    """Rule cue.base: "say"/"claim" is finite only after a plural subject or a modal."""
    j = k - 1
    while j >= 0 and is_adverb(toks[j]):
        j -= 1
    if j < 0:
        return False
    prev = toks[j]
    low = prev.low
    if low == "to":
        return False
    if low == ",":
        return True  # "Critics, for their part, say …": the subject rule decides
    if low in MODALS or low in {"they", "we", "i", "you", "others", "some", "many", "most"}:
        return True
    if low in NOUN_ADJECTIVES or low in DETERMINERS or low in PREPOSITIONS:
        return False
    for t in toks[max(0, j - 8) : j + 1][::-1]:
        if t.text in (",", ";", ":", "(", ")") or t.low in ("that", "which", "who"):
            break
        if _plural(t.low):
            return True  # "people close to the mayor say", "those surveyed say"
    return False


def _plural(low: str) -> bool:
    """A plural subject word: "officials", "people", "most", "percent", "they"."""
    if low in PLURAL_SUBJECTS:
        return True
    return low.endswith("s") and not low.endswith(("ss", "’s", "'s", "us", "is")) and len(low) > 3


def _classify(
    toks: list[Tok], k: int, form: str, verb: ReportingVerb, title: bool = False
) -> str | None:
    """verb / participle, or None when this use of the form is not a report."""
    tok = toks[k]
    capital_ok = (k == 0 and form == "asked") or (title and k > 0)
    if (is_cap(tok) and not capital_ok) or _noun_reading(toks, k):
        return None
    if k > 0 and toks[k - 1].low in IDIOM_BEFORE.get(form, ()):
        return None
    if k + 1 < len(toks) and toks[k + 1].low in IDIOM_AFTER.get(form, ()):
        return None
    j = _prev_index(toks, k)
    prev = toks[j].low if j >= 0 else ""
    if form.endswith("ing") and form != verb.lemma:
        if prev in BE:
            return "verb"
        return "participle"
    if prev in BE:
        return None  # passive: "was told", "is said to"
    if form == verb.lemma and not form.endswith("ed") and not _base_form_ok(toks, k):
        return None
    if form.endswith("s") and form != verb.lemma and prev in NOUN_ADJECTIVES:
        return None
    return "verb"


def _title_case(toks: list[Tok]) -> bool:
    """Rule cue.headline: a headline in title case ("Mayor Says Bridge Will Reopen")."""
    words = [t for t in toks if t.text[:1].isalpha()]
    if len(words) < 4:
        return False
    return sum(1 for t in words if is_cap(t)) >= 0.75 * len(words)


def find_cues(toks: list[Tok], blocked: list[bool]) -> list[Cue]:
    """Speech cues of one sentence (``blocked[i]``: token i is inside quotation marks)."""
    out: list[Cue] = []
    n = len(toks)
    title: bool | None = None  # headline test, made only for a capitalised cue (it needs one)
    k = 0  # the first token not yet read
    # the tokens a cue may start at, found in one pass (most tokens of a sentence are not)
    for start in [i for i, t in enumerate(toks) if t.low in CUE_STARTS]:
        if len(out) >= MAX_CUES:
            break
        if start < k:
            continue  # inside a cue already read
        k = start
        tok = toks[k]
        low = tok.low
        if blocked[k]:
            k += 1
            continue
        if low == "according" and k + 1 < n and toks[k + 1].low == "to":
            out.append(Cue(k, k + 2, "according to", None, "according"))
            k += 2
            continue
        multi = MULTI_FORMS.get(low)
        if multi:
            for parts in multi:
                m = len(parts)
                if tuple(t.low for t in toks[k : k + m]) == parts:
                    verb = FORMS[" ".join(parts)]
                    kind = _classify(toks, k, parts[0], verb)
                    if kind is not None:
                        out.append(Cue(k, k + m, " ".join(parts), verb, kind))
                        k += m - 1
                    break
        elif low in CLAUSE_FORMS:
            verb = FORMS[low]
            if title is None and k > 0 and is_cap(tok):
                title = _title_case(toks)
            kind = _classify(toks, k, low, verb, bool(title))
            if kind is not None:
                out.append(Cue(k, k + 1, low, verb, kind))
        k += 1
    return out
