"""One tokenised document, built once per body and handed to every extraction stage.

Paragraphs and sentences come from :mod:`app.extraction.sentences`; tokens of a sentence are
made on first use and cached, so every stage sees the same tokens with the same offsets.
"""

from __future__ import annotations

import bisect
from functools import cached_property

from app.extraction.numbers import Token, tokenize
from app.extraction.sentences import Span, paragraphs, sentences


class Document:
    """A body with its paragraphs, sentences and (lazily) tokens; every offset indexes it."""

    def __init__(self, body: str) -> None:
        self.body = body
        self.paragraphs: list[Span] = paragraphs(body)
        self.sentences: list[Span] = sentences(body)
        self._sent_starts = [s.start for s in self.sentences]
        self._para_starts = [p.start for p in self.paragraphs]
        self._tokens: dict[int, list[Token]] = {}

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence that holds ``pos`` (the previous one between sentences)."""
        return max(0, bisect.bisect_right(self._sent_starts, pos) - 1)

    def sentence_at(self, pos: int) -> Span:
        """The sentence that holds ``pos`` (``Span(0, 0)`` before the first)."""
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        return self.sentences[i] if i >= 0 else Span(0, 0)

    def para_of(self, pos: int) -> int:
        """Index of the paragraph that holds ``pos``."""
        return max(0, bisect.bisect_right(self._para_starts, pos) - 1)

    def tokens(self, sentence: int) -> list[Token]:
        """Tokens of sentence number ``sentence`` (cached)."""
        toks = self._tokens.get(sentence)
        if toks is None:
            sp = self.sentences[sentence]
            toks = tokenize(self.body, sp.start, sp.end)
            self._tokens[sentence] = toks
        return toks

    @cached_property
    def has_digits(self) -> bool:
        """Whether any digit occurs in the body (a cheap gate for figure search)."""
        return any(ch.isdigit() for ch in self.body)
