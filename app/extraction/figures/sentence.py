"""One sentence prepared for figure search: tokens (glued words split), lows, term hits.

Text extracted from PDFs often loses the space between two words ("weredisplaced",
"hadfled", "inUNsites"). Such a token is split, with exact offsets, when its parts are known
words and at least one of them matters for figures (a reporting term, a counted noun or a
function word next to one), so every later rule sees ordinary tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import compress
from operator import attrgetter

from app.extraction.figures.terms import TERM_PREFIXES, TERM_WORDS, TermHit, find_terms
from app.extraction.figures.vocab import GLUE_WORDS, PEOPLE_NOUNS, UNIT_NOUNS, words
from app.extraction.numbers import Token, tokenize
from app.extraction.sentences import Span
from app.extraction.wordmemo import WordMemo

SENT_TOKEN_CAP = 400
CONTENT_WORDS = (
    frozenset(w for w in TERM_WORDS if len(w) >= 4) | PEOPLE_NOUNS | frozenset(UNIT_NOUNS)
) - GLUE_WORDS
SPLIT_MIN = 6


SUFFIXES = words(
    "_ e s es ed d ing ings ion ions ee ees y ies ied ped ping ment ments ure ures"
) | {""}


#: term prefixes by their first three letters (every prefix has at least three)
_PREFIXES_BY_HEAD: dict[str, list[str]] = {}
for _p in TERM_PREFIXES:
    _PREFIXES_BY_HEAD.setdefault(_p[:3], []).append(_p)


def _content(part: str) -> bool:
    if part in CONTENT_WORDS:
        return True
    return len(part) >= 5 and any(
        part.startswith(p) and part[len(p) :] in SUFFIXES
        for p in _PREFIXES_BY_HEAD.get(part[:3], ())
    )


def _known(part: str) -> bool:
    return _content(part) or part in GLUE_WORDS


def _case_split(text: str) -> list[int]:
    """Cut points at case changes: "inUNsites" -> in|UN|sites (not "IDPs")."""
    cuts: list[int] = []
    for k in range(1, len(text)):
        a, b = text[k - 1], text[k]
        if a.islower() and b.isupper():
            cuts.append(k)
        elif a.isupper() and b.islower() and k >= 2 and text[k - 2].isupper():
            rest = len(text) - k
            if rest >= 3:
                cuts.append(k - 0)
    return cuts


def _word_split(low: str) -> int | None:
    """Cut point splitting a lower-case glued pair of known words, or None."""
    if _known(low) or len(low) < SPLIT_MIN:
        return None
    for k in range(2, len(low) - 1):
        a, b = low[:k], low[k:]
        if _known(a) and _known(b) and (_content(a) or _content(b)):
            return k
    return None


def _find_cuts(text: str) -> tuple[int, ...]:
    """Where to cut ``text`` into the words glued in it (empty: one word, or not a word)."""
    if len(text) < SPLIT_MIN - 1 or not text.isalpha():
        return ()
    cuts = _case_split(text) if not text.islower() and not text.isupper() else []
    if cuts and not all(_known(p.lower()) for p in _parts(text, cuts)):
        cuts = []
    if not cuts:
        k = _word_split(text.lower())
        return () if k is None else (k,)
    return tuple(cuts)


_CUTS = WordMemo(_find_cuts)  # one entry per distinct word: a corpus has tens of thousands
_TEXT = attrgetter("text")
_LOW = attrgetter("low")


def split_glued(tok: Token) -> list[Token]:
    """``tok`` as one or more tokens (offsets kept) when it is two words glued together."""
    text = tok.text
    cuts = _CUTS[text]
    if not cuts:
        return [tok]
    out: list[Token] = []
    prev = 0
    for c in [*cuts, len(text)]:
        out.append(Token(text[prev:c], tok.start + prev, tok.start + c))
        prev = c
    return out


def _parts(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]


class FigureSentence:
    """A sentence's tokens, lower-cased words and reporting terms."""

    #: the reporting terms of the sentence, left to right
    terms: list[TermHit]
    #: the term that covers each token that some term covers
    term_at: dict[int, TermHit]
    #: the sentence's lower-cased words as a set
    low_set: frozenset[str]

    def __init__(self, body: str, span: Span, tokens: list[Token] | None = None) -> None:
        self.body = body
        self.span = span
        base = tokens if tokens is not None else tokenize(body, span.start, span.end)
        toks = base[:SENT_TOKEN_CAP]
        # the tokens split_glued cuts, found in one pass (most are too short or are one word)
        glued = list(compress(range(len(toks)), map(_CUTS.__getitem__, map(_TEXT, toks))))
        for k in reversed(glued):
            toks[k : k + 1] = split_glued(toks[k])
        self.toks = toks
        self.lows: list[str] = list(map(_LOW, toks))
        #: ``low(i)``: lower-cased token ``i`` ("" out of range); the rules call it tens of
        #: times per figure, so it is a dict look-up, not a Python method
        self.low: Callable[[int], str] = _ByIndex(enumerate(self.lows)).__getitem__
        self.low_set = frozenset(self.lows)
        self.terms = find_terms(self.lows)
        self.term_at = {}
        for h in self.terms:
            for k in range(h.start, h.end + 1):
                self.term_at[k] = h

    def text(self, i: int) -> str:
        """Token ``i`` as written ("" out of range)."""
        return self.toks[i].text if 0 <= i < len(self.toks) else ""


class _ByIndex(dict[int, str]):
    """Token words by index, "" for any index out of range."""

    __slots__ = ()

    def __missing__(self, i: int) -> str:
        return ""
