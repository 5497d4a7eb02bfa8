"""A per-word memo that answers in C on a hit: ``map(memo.__getitem__, words)``.

The figure stage asks the same few questions of every token of a sentence (can a figure start
here? does a reporting term start here? is this two words glued together?). The answers depend
on the word alone, so each is computed once per distinct word; the memo is a ``dict`` whose
``__missing__`` computes and stores, so a look-up of a known word runs no Python code and a
whole sentence is answered with ``map`` and ``itertools.compress``. It is emptied when it
reaches ``limit`` entries, so no input grows it without bound.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V")


class WordMemo(dict[str, V]):
    """``memo[word] == fn(word)``, computed on first use and kept (at most ``limit`` words)."""

    __slots__ = ("fn", "limit")

    def __init__(self, fn: Callable[[str], V], limit: int = 65536) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, word: str) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.fn(word)
        return value
