"""Reporting terms of the metric registry compiled for matching over lower-cased tokens.

A term (see :mod:`app.extraction.lexicon.metrics`) becomes a tuple of word alternatives; every
term is indexed by the words it may start with (exact words) or by its prefix (``word*``).
:func:`find_terms` returns the longest term starting at each token, left to right, with all the
metrics that share it ("destroyed" signals homes, buildings, schools ... destroyed alike; the
counted thing picks one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from app.extraction.lexicon.metrics import METRICS

Pattern = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class TermHit:
    """A reporting term found in a sentence: tokens ``start..end`` (inclusive)."""

    start: int
    end: int
    term: str
    metrics: tuple[str, ...]


def _compile(term: str) -> Pattern:
    return tuple(tuple(word.split("|")) for word in term.split())


def _word_ok(alts: tuple[str, ...], low: str) -> bool:
    for a in alts:
        if a.endswith("*"):
            if low.startswith(a[:-1]):
                return True
        elif low == a:
            return True
    return False


_BY_TERM: dict[str, list[str]] = {}
for _metric in METRICS:
    for _term in _metric.terms:
        _BY_TERM.setdefault(_term, []).append(_metric.name)
_PATTERNS: list[tuple[Pattern, str, tuple[str, ...]]] = [
    (_compile(t), t, tuple(ms)) for t, ms in _BY_TERM.items()
]
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


@lru_cache(maxsize=65536)  # one entry per distinct word: a corpus has tens of thousands
def _candidates(low: str) -> tuple[int, ...]:
    out = _EXACT.get(low, [])
    heads = _PREFIX_BY_HEAD.get(low[:3])
    if not heads:
        return tuple(out)
    return (*out, *(i for prefix, i in heads if low.startswith(prefix)))


def find_terms(lows: list[str]) -> list[TermHit]:
    """Longest reporting term starting at each token (terms do not overlap)."""
    out: list[TermHit] = []
    i, n = 0, len(lows)  # i: the first token not inside a term found
    # only tokens that some term starts with are tried (found in one pass)
    for start in [k for k, low in enumerate(lows) if _candidates(low)]:
        if start < i:
            continue
        i = start
        best: tuple[int, int] | None = None
        for idx in _candidates(lows[i]):
            pat = _PATTERNS[idx][0]
            if i + len(pat) > n:
                continue
            longer = best is None or len(pat) > best[1]
            if longer and all(_word_ok(pat[k], lows[i + k]) for k in range(1, len(pat))):
                best = (idx, len(pat))
        if best is None:
            i += 1
            continue
        pat, term, metrics = _PATTERNS[best[0]]
        out.append(TermHit(i, i + best[1] - 1, term, metrics))
        i += best[1]
    return out
