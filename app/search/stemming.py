"""The one crude stem the app uses outside the engines: "talks" and "talking" both give
"talk". The engines stem for matching; this stem counts occurrences for SQLite's relevance
(`engine.score`) and marks hits in snippets, so both agree with what the engine matched."""

from __future__ import annotations


def stem(word: str) -> str:
    """A word's first letters: all but the last two of a word longer than five letters,
    never fewer than four."""
    return word[: max(4, len(word) - 2)] if len(word) > 5 else word
