"""Sentence and paragraph boundaries with character offsets (sentencex + paragraph breaks)."""

from __future__ import annotations

from dataclasses import dataclass

import regex
import sentencex

PARA_BREAK_RE = regex.compile(r"\n[ \t]*\n\s*")
MAX_SENTENCE_CHARS = 2000
CHUNK_CHARS = 5000


@dataclass(frozen=True, slots=True)
class Span:
    """A [start, end) region of the body."""

    start: int
    end: int


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans (separated by a blank line), whitespace-trimmed."""
    out: list[Span] = []
    pos = 0
    for m in PARA_BREAK_RE.finditer(text):
        _add_trimmed(text, pos, m.start(), out)
        pos = m.end()
    _add_trimmed(text, pos, len(text), out)
    return out


def _add_trimmed(text: str, start: int, end: int, out: list[Span]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Span(start, end))


def sentences(text: str) -> list[Span]:
    """Sentence spans, never crossing a paragraph break or a single newline.

    sentencex keeps a multi-sentence quotation in one segment, which is what attribution
    wants. Over-long segments (no punctuation in a pathological text) are cut at
    ``MAX_SENTENCE_CHARS`` so that downstream windows stay bounded.
    """
    out: list[Span] = []
    line_start = 0
    for idx in [*_newlines(text, 0, len(text)), len(text)]:
        for a, b in _chunks(text, line_start, idx):
            if text[a:b].strip():
                for seg in sentencex.get_sentence_boundaries("en", text[a:b]):
                    _add_capped(text, a + int(seg["start_index"]), a + int(seg["end_index"]), out)
        line_start = idx + 1
    return out


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a line into pieces of at most ``CHUNK_CHARS`` (sentencex is superlinear on
    pathological lines), preferring a cut after sentence punctuation or whitespace."""
    res: list[tuple[int, int]] = []
    while end - start > CHUNK_CHARS:
        cut = start + CHUNK_CHARS
        for j in range(cut, cut - 1000, -1):
            if text[j - 1] in ".!?" and text[j].isspace():
                cut = j
                break
        res.append((start, cut))
        start = cut
    res.append((start, end))
    return res


def _newlines(text: str, start: int, end: int) -> list[int]:
    res: list[int] = []
    idx = text.find("\n", start, end)
    while idx != -1:
        res.append(idx)
        idx = text.find("\n", idx + 1, end)
    return res


def _add_capped(text: str, start: int, end: int, out: list[Span]) -> None:
    while end - start > MAX_SENTENCE_CHARS:
        _add_trimmed(text, start, start + MAX_SENTENCE_CHARS, out)
        start += MAX_SENTENCE_CHARS
    _add_trimmed(text, start, end, out)
