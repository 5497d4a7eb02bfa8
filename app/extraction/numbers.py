"""Offset-preserving number recognition: numerals, number words, scales, ranges, vague amounts.

Only isolated number-word spans are ever handed to ``text_to_num.text2num``; the text itself is
never rewritten, so every :class:`NumberMatch` indexes the original string.

Vague amounts get a conservative value, the smallest the words allow, as casualty and
displacement monitors record them (documented contract):
``dozens`` → 12, ``scores`` → 40, ``hundreds`` → 100, ``thousands`` → 1000,
``tens of thousands`` → 10 000, ``hundreds of thousands`` → 100 000, ``millions`` → 1 000 000;
"several / a few / many" + a scale word count the scale ("several thousand" → 1000).
"""

from __future__ import annotations

import re
from itertools import compress
from operator import attrgetter
from typing import NamedTuple

import regex
from text_to_num import text2num

from app.extraction.charsafe import is_plain
from app.extraction.wordmemo import WordMemo

MAX_NUMERAL_CHARS = 18

#: words first: most tokens are words, and a word and a numeral never start alike
_TOKEN_PATTERN = r"[^\W\d_]++(?:['’\-][^\W\d_]++)*+|\d++(?:[.,]\d++)*+|\S"
TOKEN_RE = regex.compile(_TOKEN_PATTERN, regex.V1)
#: the same pattern in ``re``, for spans of plain characters (see :mod:`.charsafe`)
PLAIN_TOKEN_RE = re.compile(_TOKEN_PATTERN)


class Token:
    """A word, numeral or punctuation character with its offsets; ``low`` is its lower case
    (computed once: the stages read it hundreds of thousands of times per corpus)."""

    __slots__ = ("end", "low", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return (self.text, self.start, self.end) == (other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


class NumberMatch(NamedTuple):
    """A figure found in text: ``text[start:end]`` is the number phrase (no qualifier)."""

    start: int
    end: int
    value: float
    value_max: float | None
    vague: bool
    percent: bool
    currency: str | None
    words: bool
    first_token: int
    last_token: int


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Split ``text[start:end]`` into tokens with absolute offsets (linear time)."""
    stop = len(text) if end is None else end
    rx = PLAIN_TOKEN_RE if is_plain(text, start, stop) else TOKEN_RE
    # the slots are filled directly: calling the class per token costs twice as much
    out: list[Token] = []
    append, new = out.append, object.__new__
    for m in rx.finditer(text, start, stop):
        tok = new(Token)
        tok.text = word = m.group()
        tok.start = m.start()
        tok.end = m.end()
        tok.low = word.lower()
        append(tok)
    return out


UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
               "trillion": 10**12}  # fmt: skip
SUFFIX_SCALES = {
    "million": 10**6, "millions": 10**6, "mn": 10**6, "mln": 10**6, "m": 10**6,
    "billion": 10**9, "billions": 10**9, "bn": 10**9, "b": 10**9, "trillion": 10**12,
    "tn": 10**12, "thousand": 1000, "k": 1000, "hundred": 100,
}  # fmt: skip
VAGUE = {"dozens": 12, "scores": 40, "hundreds": 100, "thousands": 1000, "millions": 10**6,
         "billions": 10**9}  # fmt: skip
VAGUE_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "dozen": 12}
VAGUE_DETERMINERS = {"several", "few", "many"}
CURRENCY_SYMBOLS = {"$": "usd", "€": "eur", "£": "gbp", "₴": "uah"}
CURRENCY_WORDS = {
    "dollars": "usd", "dollar": "usd", "usd": "usd", "euros": "eur", "euro": "eur",
    "eur": "eur", "pounds": "gbp", "gbp": "gbp", "hryvnias": "uah", "hryvnia": "uah",
    "hryvnas": "uah", "uah": "uah", "rubles": "rub", "roubles": "rub", "shekels": "ils",
    "yuan": "cny", "francs": "chf",
}  # fmt: skip
DASHES = {"-", "–", "—"}
SPACE_GROUP_GAPS = {" ", "\u00a0", "\u202f", "\u2009"}


def _numeral_value(raw: str) -> float | None:
    if len(raw) > MAX_NUMERAL_CHARS:
        return None
    if "," in raw:
        parts = raw.split(",")
        if all(len(p) == 3 for p in parts[1:]) and "." not in parts[0] and len(parts[0]) <= 3:
            raw = raw.replace(",", "")
        elif len(parts) == 2 and len(parts[1]) in (1, 2) and "." not in raw:
            raw = raw.replace(",", ".")
        else:
            return None
    if raw.count(".") > 1:
        return None
    try:
        return float(raw)
    except ValueError:
        return None


def _is_number_word(low: str) -> bool:
    if low in UNITS or low in SCALE_WORDS:
        return True
    if "-" in low:
        a, _, b = low.partition("-")
        return a in UNITS and b in UNITS and UNITS[a] >= 20 and UNITS[b] < 10
    return False


WORD_STARTS = frozenset(UNITS) | frozenset(SCALE_WORDS) | {"a", "an", "half"}


def _may_start_number(text: str) -> bool:
    """Cheap test: can a number (numeral or words) start at this token?"""
    if text[0].isdigit():
        return True
    low = text.lower()
    return low in WORD_STARTS or ("-" in low and _is_number_word(low))


def _words_value(text: str) -> float | None:
    try:
        return float(text2num(text.replace("’", "'"), "en"))
    except (ValueError, TypeError):
        return None


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def adjacent(self, i: int, j: int) -> bool:
        """True when token j directly follows token i with no gap."""
        return self.toks[i].end == self.toks[j].start

    def scale_after(self, i: int) -> tuple[float, int]:
        """Scale word right after token i (e.g. 'million', 'bn') -> (factor, last index)."""
        nxt = self.low(i + 1)
        if nxt in SUFFIX_SCALES and (len(nxt) > 1 or self.adjacent(i, i + 1)):
            if nxt in ("m", "b", "k") and not self.adjacent(i, i + 1):
                return 1.0, i
            return float(SUFFIX_SCALES[nxt]), i + 1
        return 1.0, i

    def simple_number(self, i: int) -> tuple[float, int, bool] | None:
        """Parse a single number at token i -> (value, last token index, words?)."""
        tok = self.toks[i]
        if tok.text[0].isdigit():
            value = _numeral_value(tok.text)
            if value is None:
                return None
            j = self.space_groups(i)
            if j > i:
                value = float("".join(t.text for t in self.toks[i : j + 1]))
            factor, last = self.scale_after(j)
            return value * factor, last, False
        return self.word_number(i)

    def space_groups(self, i: int) -> int:
        """Last token of thousands grouped by single spaces ("3 450", "1 204 560"), else i.

        The first group has 1-3 digits and each further group exactly 3, one space (or a
        no-break / thin space) apart; a number already grouped otherwise is left alone.
        """
        first = self.toks[i].text
        if not (first.isdigit() and len(first) <= 3) or (i > 0 and self._grouped(i - 1, i)):
            return i
        j = i
        while j + 1 < len(self.toks) and self._grouped(j, j + 1) and j - i < 4:
            j += 1
        return j

    def _grouped(self, i: int, j: int) -> bool:
        a, b = self.toks[i], self.toks[j]
        gap = self.text[a.end : b.start]
        return (
            len(gap) == 1
            and gap in SPACE_GROUP_GAPS
            and a.text.isdigit()
            and b.text.isdigit()
            and len(b.text) == 3
        )

    def word_number(self, i: int) -> tuple[float, int, bool] | None:
        low = self.low(i)
        n = len(self.toks)
        # "half a million", "half a dozen"
        if low == "half" and self.low(i + 1) == "a":
            nxt = self.low(i + 2)
            if nxt in SCALE_WORDS:
                return 0.5 * SCALE_WORDS[nxt], i + 2, True
            if nxt == "dozen":
                return 6.0, i + 2, True
            return None
        if low == "a" or low == "an":
            nxt = self.low(i + 1)
            if nxt == "dozen":
                return 12.0, i + 1, True
            if nxt in ("hundred", "thousand", "million", "billion"):
                return self._half_suffix(float(SCALE_WORDS[nxt]), i + 1, per_unit=1.0)
            return None
        if not _is_number_word(low) or (low in SCALE_WORDS and low != "hundred"):
            return None
        j = i
        while j + 1 < n:
            nxt = self.low(j + 1)
            if _is_number_word(nxt):
                j += 1
            elif (
                nxt == "and"
                and j + 2 < n
                and _is_number_word(self.low(j + 2))
                and (self.low(j) in SCALE_WORDS)
            ):
                j += 2
            else:
                break
            if j - i > 12:
                break
        span = self.text[self.toks[i].start : self.toks[j].end]
        parsed = _words_value(span)
        if parsed is None:
            return None
        value: float = parsed
        if self.low(j + 1) == "dozen":
            return value * 12, j + 1, True
        return self._half_suffix(value, j, per_unit=1.0)

    def _half_suffix(self, value: float, j: int, per_unit: float) -> tuple[float, int, bool]:
        # "two and a half", "three and a half million"
        if self.low(j + 1) == "and" and self.low(j + 2) == "a" and self.low(j + 3) == "half":
            value += 0.5 * per_unit
            j += 3
            nxt = self.low(j + 1)
            if nxt in ("million", "billion", "thousand"):
                value *= SCALE_WORDS[nxt]
                j += 1
        return value, j, True


def _vague(p: _Parser, i: int) -> NumberMatch | None:
    """ "dozens", "hundreds", "tens of thousands", "several thousand" at token ``i``."""
    low, nxt, nxt2 = p.low(i), p.low(i + 1), p.low(i + 2)
    first = i
    if low in ("tens", "hundreds") and nxt == "of" and nxt2 in ("thousands", "millions"):
        value, last = float((10 if low == "tens" else 100) * VAGUE[nxt2]), i + 2
    elif low in VAGUE:
        value, last = float(VAGUE[low]), i
    elif low in VAGUE_SCALES and p.low(i - 1) in VAGUE_DETERMINERS:
        value, last = float(VAGUE_SCALES[low]), i  # "several thousand": the scale itself
        first = i - 1
    else:
        return None
    return NumberMatch(p.toks[first].start, p.toks[last].end, value, None, True, False, None,
                       True, first, last)  # fmt: skip


def _currency_prefix(p: _Parser, i: int) -> tuple[str | None, int, int]:
    """(currency, first token, token of the number) for "$5", "US$5", "EUR 5"; else i, i."""
    toks, n = p.toks, len(p.toks)
    ch, low = toks[i].text[0], toks[i].low
    if ch in CURRENCY_SYMBOLS and i + 1 < n and toks[i + 1].text[0].isdigit():
        first = (
            i - 1 if i > 0 and toks[i - 1].text in ("US", "A", "C") and p.adjacent(i - 1, i) else i
        )
        return CURRENCY_SYMBOLS[ch], first, i + 1
    if low in ("usd", "eur", "uah", "gbp") and i + 1 < n and toks[i + 1].text[0].isdigit():
        return low, i, i + 1
    return None, i, i


def _range(
    p: _Parser, value: float, last: int, words: bool, between: bool
) -> tuple[float, float | None, int] | None:
    """(low value, high value or None, last token) for "10-15", "10 to 15", "between 10 and 15";
    None when "between/from" is not followed by a range (not a figure)."""
    toks, n = p.toks, len(p.toks)
    link = p.low(last + 1)
    dash = (
        link in DASHES
        and p.adjacent(last, last + 1)
        and last + 2 < n
        and p.adjacent(last + 1, last + 2)
    )
    if not (
        dash or (link in ("to", "and") and (between or link == "to")) or (link == "or" and words)
    ):
        return None if between else (value, None, last)
    k = last + 2
    if k < n and toks[k].text[0] in CURRENCY_SYMBOLS:
        k += 1
    second = p.simple_number(k) if k < n else None
    if second is None or second[0] <= value:
        return None if between else (value, None, last)
    v2, last2, _ = second
    # "10 to 15 million": the scale of the upper bound applies to both
    if v2 >= 1000 and value < 1000 and toks[last2].low in SUFFIX_SCALES | SCALE_WORDS:
        value *= SUFFIX_SCALES.get(toks[last2].low) or SCALE_WORDS[toks[last2].low]
    return value, v2, last2


def _ratio(p: _Parser, first: int, value: float, last: int, words: bool) -> NumberMatch | None:
    """ "two out of three", "one in five" as a percentage."""
    toks, n = p.toks, len(p.toks)
    nxt = p.low(last + 1)
    at = (
        last + 3
        if (nxt == "out" and p.low(last + 2) == "of")
        else (last + 2 if nxt == "in" else -1)
    )
    if not (0 < at < n) or toks[at].text[:1] in CURRENCY_SYMBOLS:
        return None
    denom = p.simple_number(at)
    if (
        denom is None
        or not value < denom[0] <= 1000
        or not (denom[2] or len(toks[at].text) < 4)
        or value != int(value)
        or value <= 0
    ):
        return None
    return NumberMatch(toks[first].start, toks[denom[1]].end, round(100.0 * value / denom[0], 1),
                       None, False, True, None, words, first, denom[1])  # fmt: skip


def _markers(p: _Parser, last: int, currency: str | None) -> tuple[bool, str | None, int]:
    """(percent?, currency, last token) after the number: "%", "per cent", "dollars"."""
    nxt = p.low(last + 1)
    if nxt == "%" or nxt == "percent":
        return True, currency, last + 1
    if nxt == "per" and p.low(last + 2) == "cent":
        return True, currency, last + 2
    if currency is None and nxt in CURRENCY_WORDS:
        return False, CURRENCY_WORDS[nxt], last + 1
    if currency is None and nxt == "us" and p.low(last + 2) == "dollars":
        return False, "usd", last + 2
    return False, currency, last


#: lower-case words at which a figure (vague, currency, range or number words) may start;
#: a token that is none of these, holds no hyphen and starts with neither a digit nor a
#: currency symbol starts no figure
_STARTS = frozenset(VAGUE) | frozenset(VAGUE_SCALES) | WORD_STARTS
_STARTS |= {"tens", "usd", "eur", "uah", "gbp", "between", "from"}


def _may_start_figure(low: str) -> bool:
    # a token's first character is a digit or a currency sign exactly when its lower case's is
    return low in _STARTS or low[0].isdigit() or low[0] in CURRENCY_SYMBOLS or "-" in low


_STARTS_FIGURE = WordMemo(_may_start_figure)
_LOW = attrgetter("low")


def find_numbers(text: str, tokens: list[Token] | None = None) -> list[NumberMatch]:
    """Find every figure in ``text`` (numerals, words, ranges, vague amounts), left to right."""
    toks = tokens if tokens is not None else tokenize(text)
    p = _Parser(text, toks)
    out: list[NumberMatch] = []
    n = len(toks)
    i = 0  # the first token not yet read
    # the tokens a figure may start at (most tokens of a sentence are not), found in one pass
    for start in compress(range(n), map(_STARTS_FIGURE.__getitem__, map(_LOW, toks))):
        if start < i:
            continue  # inside a figure already read
        i = start
        vague = _vague(p, i)
        if vague is not None:
            out.append(vague)
            i = vague.last_token + 1
            continue
        currency, first, i = _currency_prefix(p, i)
        between = toks[i].low in ("between", "from") and i == first
        if between:
            if i + 1 >= n or p.simple_number(i + 1) is None:
                i += 1
                continue
            i += 1
        parsed = p.simple_number(i) if between or _may_start_number(toks[i].text) else None
        if parsed is None:
            i += 1
            continue
        value, last, words = parsed
        ranged = _range(p, value, last, words, between)
        if ranged is None:
            i = last + 1
            continue
        value, value_max, last = ranged
        ratio = _ratio(p, first, value, last, words) if value_max is None else None
        if ratio is not None:
            out.append(ratio)
            i = ratio.last_token + 1
            continue
        percent, currency, last = _markers(p, last, currency)
        out.append(NumberMatch(toks[first].start, toks[last].end, value, value_max, False, percent,
                               currency, words, first, last))  # fmt: skip
        i = last + 1
    return out
