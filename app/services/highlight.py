"""Snippets: the passage of a text where the search words occur, with `<mark>` around them.
Done in Python on the page's rows only, the same way on every engine."""

from __future__ import annotations

import html

import regex

from app.core.query_syntax import Query

_WORD = regex.compile(r"[\p{L}\p{N}]+", regex.V1)
WINDOW = 200


def _stem_match(word: str, term: str, prefix: bool) -> bool:
    if word == term or (prefix and word.startswith(term)):
        return True
    # Engines stem ("talks" finds "talk"): accept a shared stem of 4+ letters.
    stem = min(len(word), len(term))
    return stem >= 4 and word[: max(4, stem - 2)] == term[: max(4, stem - 2)]


def snippet(text: str, query: Query) -> str:
    """An HTML-escaped excerpt around the first hit, hits wrapped in `<mark>`."""
    terms = [(w, t.prefix) for group in query.groups for t in group for w in t.words]
    hits = [
        m.span()
        for m in _WORD.finditer(text)
        if any(_stem_match(m.group().lower(), w, p) for w, p in terms)
    ]
    if hits:
        start = max(0, hits[0][0] - WINDOW // 3)
        start = text.rfind(" ", 0, start) + 1 if start else 0
    else:
        start = 0
    end = min(len(text), start + WINDOW)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + WINDOW // 2)
    out, pos = [], start
    for a, b in hits:
        if a < start or b > end:
            continue
        out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(text[pos:end]))
    prefix = "\u2026" if start > 0 else ""
    suffix = "\u2026" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix
