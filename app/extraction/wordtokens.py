"""Word tokens of the quote side: the speaker and reported-speech rules read these.

A :class:`Tok` is a word (inner apostrophes, hyphens and dots kept), a number or one mark,
with absolute offsets and its lower case. It is a named tuple: made in C, which matters at a
few hundred thousand tokens per corpus. :func:`word_tokens` makes them with a given pattern
and joins a "." to the word right before it when that word is an abbreviation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import regex

#: words that keep a "." right after them (titles, "U.S.")
ABBREVIATIONS = frozenset({"u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj",
                           "sgt", "capt", "prof", "st", "sen", "rep", "gov", "jr", "sr", "brig",
                           "adm", "cpl", "pte", "e.u"})  # fmt: skip


class Tok(NamedTuple):
    """A word or punctuation token, with absolute offsets and lower case."""

    text: str
    start: int
    end: int
    low: str


def word_tokens(
    text: str,
    start: int,
    end: int,
    pattern: re.Pattern[str] | regex.Pattern[str],
    joins_dot: Callable[[Tok], bool],
) -> list[Tok]:
    """Tokens of ``text[start:end]`` found by ``pattern``; a "." right after a token for
    which ``joins_dot`` holds becomes part of it ("Dr.", "U.S.")."""
    new = tuple.__new__  # the named tuple's own __new__ is one Python call more per token
    toks: list[Tok] = [
        new(Tok, (w := m.group(), *m.span(), w.lower())) for m in pattern.finditer(text, start, end)
    ]
    if text.find(".", start, end) < 0:
        return toks
    # only the "." tokens are looked at
    out: list[Tok] = []
    done = 0
    for k in [k for k, t in enumerate(toks) if t.text == "."]:
        out += toks[done:k]
        dot = toks[k]
        if out and out[-1].end == dot.start and joins_dot(out[-1]):
            prev = out.pop()
            out.append(new(Tok, (prev.text + ".", prev.start, dot.end, prev.low + ".")))
        else:
            out.append(dot)
        done = k + 1
    out += toks[done:]
    return out
