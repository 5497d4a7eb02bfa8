"""Snippets: the passage of a text where the search words occur, with `<mark>` around them.
Done in Python on the page's rows only, the same way on every engine."""

from __future__ import annotations

import html
from functools import lru_cache

import regex

from app.search.stemming import stem
from app.search.syntax import Query

WINDOW = 200


@lru_cache(maxsize=256)
def _pattern(stems: tuple[str, ...]) -> regex.Pattern[str]:
    alternatives = "|".join(regex.escape(s) for s in sorted(stems, key=len, reverse=True))
    return regex.compile(
        rf"(?<![\p{{L}}\p{{N}}])(?:{alternatives})[\p{{L}}\p{{N}}]*",
        regex.IGNORECASE | regex.V1,
    )


def snippet(text: str, query: Query) -> str:
    """An HTML-escaped excerpt around the first hit, hits wrapped in `<mark>`."""
    stems = tuple(
        sorted({w if t.prefix else stem(w) for g in query.groups for t in g for w in t.words})
    )
    pattern = _pattern(stems)
    first = pattern.search(text)
    start = 0
    if first is not None and first.start() > WINDOW // 3:
        start = text.rfind(" ", 0, first.start() - WINDOW // 3) + 1
    end = min(len(text), start + WINDOW)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + WINDOW // 2)
    out, pos = [], start
    for m in pattern.finditer(text, start, end):
        out += [html.escape(text[pos : m.start()]), "<mark>", html.escape(m.group()), "</mark>"]
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    prefix = "\u2026" if start > 0 else ""
    suffix = "\u2026" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix
