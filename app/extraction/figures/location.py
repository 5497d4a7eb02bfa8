"""The place of a figure, tied by grammar.

Rules, in order: ``place.in_clause`` (a place named in the figure's own clause, preferring one
after "in/at/near/from ..." or a possessive "X's"), ``place.sentence`` (a place named elsewhere
in the sentence), ``place.paragraph`` (the place of the previous figure of the same
paragraph), ``place.article_main`` (the article's main place), else none.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from app.extraction.figures.vocab import words
from app.extraction.places import PlaceMention

LOCATIVE = words("in at near from of across around inside outside into to")
KIND_RANK = {"city": 0, "region": 0, "other": 1, "sea": 2, "country": 1}


class PlaceIndex:
    """Place mentions of a body, sorted, for range look-ups."""

    def __init__(self, body: str, mentions: Sequence[PlaceMention]) -> None:
        self.body = body
        self.mentions = list(mentions)
        self.starts = [pm.start for pm in self.mentions]

    def between(self, start: int, end: int) -> list[PlaceMention]:
        """Mentions that start in ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return self.mentions[lo:hi]

    def _prev_word(self, pos: int) -> str:
        j = pos - 1
        while j >= 0 and self.body[j] == " ":
            j -= 1
        k = j
        while k >= 0 and self.body[k].isalpha():
            k -= 1
        return self.body[k + 1 : j + 1].lower()

    def _possessive(self, pm: PlaceMention) -> bool:
        return self.body[pm.end : pm.end + 2] in ("'s", "’s")

    def tied(self, c: PlaceMention) -> bool:
        """Whether a locative preposition or a possessive ties the mention to its clause."""
        return self._prev_word(c.start) in LOCATIVE or self._possessive(c)

    def grammatical(
        self, start: int, end: int, pos: int, tied_only: bool = False
    ) -> PlaceMention | None:
        """The best place named in ``[start, end)`` for a figure at ``pos``."""
        cands = self.between(start, end)
        if tied_only:
            cands = [c for c in cands if not c.demonym and self.tied(c)]
        if not cands:
            return None
        named = [c for c in cands if not c.demonym] or cands

        def key(c: PlaceMention) -> tuple[int, int, int]:
            return (0 if self.tied(c) else 1, KIND_RANK.get(c.entry.kind, 2), abs(c.start - pos))

        return min(named, key=key)


def place_of(
    index: PlaceIndex,
    clause: tuple[int, int],
    sentence: tuple[int, int],
    pos: int,
) -> tuple[str | None, str]:
    """(place name, rule) from the clause, else the sentence; (None, "") when neither names one."""
    hit = index.grammatical(clause[0], clause[1], pos, tied_only=True)
    if hit is not None:
        return hit.entry.name, "place.in_clause"
    hit = index.grammatical(sentence[0], sentence[1], pos)
    if hit is not None:
        return hit.entry.name, "place.sentence"
    return None, ""
