"""Reporting terms of the metric registry compiled for matching over lower-cased tokens.

A term (see :mod:`app.extraction.lexicon.metrics`) becomes a tuple of word alternatives; every
term is indexed by the words it may start with (exact words) or by its prefix (``word*``).
:func:`find_terms` returns the longest term starting at each token, left to right, with all the
metrics that share it ("destroyed" signals homes, buildings, schools ... destroyed alike; the
counted thing picks one).
"""

from __future__ import annotations

from itertools import compress
from typing import NamedTuple

from app.extraction.lexicon.metrics import METRICS
from app.extraction.wordmemo import WordMemo

Pattern = tuple[tuple[str, ...], ...]
WordTests = tuple[tuple[frozenset[str], tuple[str, ...]], ...]


class TermHit(NamedTuple):
    """A reporting term found in a sentence: tokens ``start..end`` (inclusive)."""

    start: int
    end: int
    term: str
    metrics: tuple[str, ...]


def _compile(term: str) -> Pattern:
    return tuple(tuple(word.split("|")) for word in term.split())


def _word_test(alts: tuple[str, ...]) -> tuple[frozenset[str], tuple[str, ...]]:
    """A pattern word as (exact words, prefixes): ``low`` matches when it is one of the first
    or starts with one of the second."""
    exact = frozenset(a for a in alts if not a.endswith("*"))
    return exact, tuple(a[:-1] for a in alts if a.endswith("*"))


def _rest_matches(tests: WordTests, lows: list[str], i: int) -> bool:
    """Whether the words after a pattern's first match ``lows[i + 1 :]``."""
    for exact, prefixes in tests:
        i += 1
        low = lows[i]
        if low not in exact and not (prefixes and low.startswith(prefixes)):
            return False
    return True


_BY_TERM: dict[str, list[str]] = {}
for _metric in METRICS:
    for _term in _metric.terms:
        _BY_TERM.setdefault(_term, []).append(_metric.name)
_PATTERNS: list[tuple[Pattern, str, tuple[str, ...]]] = [
    (_compile(t), t, tuple(ms)) for t, ms in _BY_TERM.items()
]
#: per pattern, the tests of its words after the first
_REST: list[WordTests] = [tuple(_word_test(alts) for alts in p[1:]) for p, _t, _ms in _PATTERNS]
_EXACT: dict[str, list[int]] = {}
_PREFIX: list[tuple[str, int]] = []
for _i, (_pat, _t, _ms) in enumerate(_PATTERNS):
    for _alt in _pat[0]:
        if _alt.endswith("*"):
            _PREFIX.append((_alt[:-1], _i))
        else:
            _EXACT.setdefault(_alt, []).append(_i)
TERM_WORDS = frozenset(
    w for pat, _t, _ms in _PATTERNS for alts in pat for w in alts if not w.endswith("*")
)
TERM_PREFIXES = tuple(sorted({p for p, _i in _PREFIX}))
assert all(len(p) >= 3 for p in TERM_PREFIXES), "a prefix term needs 3 letters"


_PREFIX_BY_HEAD: dict[str, list[tuple[str, int]]] = {}
for _p, _i in _PREFIX:
    _PREFIX_BY_HEAD.setdefault(_p[:3], []).append((_p, _i))


def _starting(low: str) -> tuple[int, ...]:
    """The patterns whose first word ``low`` is."""
    out = _EXACT.get(low, [])
    heads = _PREFIX_BY_HEAD.get(low[:3])
    if not heads:
        return tuple(out)
    return (*out, *(i for prefix, i in heads if low.startswith(prefix)))


_CANDIDATES = WordMemo(_starting)  # one entry per distinct word: a corpus has tens of thousands


def find_terms(lows: list[str]) -> list[TermHit]:
    """Longest reporting term starting at each token (terms do not overlap)."""
    out: list[TermHit] = []
    i, n = 0, len(lows)  # i: the first token not inside a term found
    # only tokens that some term starts with are tried (found in one pass)
    cands = list(map(_CANDIDATES.__getitem__, lows))
    for start in compress(range(n), cands):
        if start < i:
            continue
        i = start
        best: tuple[int, int] | None = None
        for idx in cands[i]:
            rest = _REST[idx]
            size = len(rest) + 1
            if i + size > n:
                continue
            if (best is None or size > best[1]) and _rest_matches(rest, lows, i):
                best = (idx, size)
        if best is None:
            i += 1
            continue
        _pat, term, metrics = _PATTERNS[best[0]]
        out.append(TermHit(i, i + best[1] - 1, term, metrics))
        i += best[1]
    return out
