"""The qualifier of a figure: the words around it that say how exact it is.

"more than" / "over" → ``over``; "at least" / "no fewer than" → ``at_least``; "about" /
"some" / "an estimated" → ``approximately``; "nearly" / "almost" → ``nearly``; "up to" /
"fewer than" → ``up_to``; "or more" after it → ``at_least``; vague amounts ("dozens",
"hundreds", "thousands") → ``vague``; otherwise ``exact``.
"""

from __future__ import annotations

from app.extraction.figures.sentence import FigureSentence
from app.extraction.numbers import NumberMatch

QUALIFIERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("more", "than"), "over"), (("in", "excess", "of"), "over"), (("upwards", "of"), "over"),
    (("just", "over"), "over"), (("well", "over"), "over"), (("over",), "over"),
    (("above",), "over"), (("exceeding",), "over"), (("at", "least"), "at_least"),
    (("no", "fewer", "than"), "at_least"), (("no", "less", "than"), "at_least"),
    (("a", "minimum", "of"), "at_least"), (("an", "estimated"), "approximately"),
    (("approximately",), "approximately"), (("around",), "approximately"),
    (("about",), "approximately"), (("roughly",), "approximately"),
    (("some",), "approximately"), (("estimated",), "approximately"),
    (("circa",), "approximately"), (("~",), "approximately"), (("close", "to"), "nearly"),
    (("just", "under"), "nearly"), (("nearly",), "nearly"), (("almost",), "nearly"),
    (("up", "to"), "up_to"), (("as", "many", "as"), "up_to"), (("as", "much", "as"), "up_to"),
    (("a", "maximum", "of"), "up_to"), (("fewer", "than"), "up_to"), (("less", "than"), "up_to"),
    (("under",), "up_to"), (("below",), "up_to"),
)  # fmt: skip
_BY_LAST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words, _q in QUALIFIERS:
    _BY_LAST.setdefault(_words[-1], []).append((_words, _q))


def qualifier(s: FigureSentence, m: NumberMatch) -> tuple[str, int]:
    """(qualifier, index of the first token of the qualifier phrase)."""
    f = m.first_token
    if m.vague:
        return "vague", f
    if s.low(f) in ("between", "from"):
        return "exact", f
    for words, q in _BY_LAST.get(s.low(f - 1), ()):
        n = len(words)
        if f - n >= 0 and tuple(s.lows[f - n : f]) == words:
            return q, f - n
    nxt, nxt2 = s.low(m.last_token + 1), s.low(m.last_token + 2)
    if nxt == "or" and nxt2 == "more":
        return "at_least", f
    if nxt == "+" or nxt == "-plus" or (nxt == "-" and nxt2 == "plus"):
        return "over", f
    return "exact", f
