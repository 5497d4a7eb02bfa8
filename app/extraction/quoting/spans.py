"""Direct-quote spans: where quotation marks open and close.

Rules (each named in a quote's ``rules``):

* ``direct.curly``: “…” (and „…“, «…»);
* ``direct.straight``: "…";
* ``direct.doubled``: ''…'' (two apostrophes, one archive's way of writing a double mark);
* ``direct.single``: ‘…’ or '…' (an apostrophe inside a word or a plural possessive is not a
  mark);
* ``direct.multipara``: a paragraph whose quote is not closed, followed by a paragraph that
  opens with a mark, is one quote over both.

Inside an open double quote, a pair of other double marks (a curly pair inside a straight
quote, a straight pair inside ''…'') is a nested quote and does not end the outer one.
The scan is linear in the text; quotes are capped in length, paragraphs and number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extraction.sentences import Span

MAX_QUOTE_CHARS = 6000
MAX_QUOTE_PARAGRAPHS = 8
MAX_QUOTES = 500
DOUBLE_OPEN = {"“", "„", "«"}
DOUBLE_CLOSE = {"”", "»"}
MARK_RE = re.compile("[“”„«»\"'‘’]")
NOT_AFTER_POSS = {"and", "or", "but", "to", "in", "on", "at", "for", "with", "said", "he", "she",
                  "they", "it", "as", "from", "by", "after", "before", "while", "when", "which",
                  "who", "the", "a", "an", "was", "is", "were", "are", "says", "added",
                  "told", "that", "this", "because", "if", "so", "of"}  # fmt: skip
STYLE_RULE = {"curly": "direct.curly", "straight": "direct.straight", "doubled": "direct.doubled",
              "single": "direct.single"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quotation: words ``[start, end)``, marks ``[mark_start, mark_end)``."""

    start: int
    end: int
    mark_start: int
    mark_end: int
    para: int
    style: str
    paragraphs: int = 1

    @property
    def rules(self) -> tuple[str, ...]:
        base = (STYLE_RULE[self.style],)
        return (*base, "direct.multipara") if self.paragraphs > 1 else base


def _next_word(text: str, pos: int) -> str:
    chunk = text[pos : pos + 24].lstrip()
    word = chunk.split(" ", 1)[0] if chunk else ""
    return word.strip(",.;:!?").lower()


def _doubled_at(body: str, i: int, end: int) -> bool:
    return body[i] == "'" and i + 1 < end and body[i + 1] == "'"


def _opener(body: str, i: int, para: Span) -> tuple[str, int] | None:
    """(style, mark length) of a quotation mark opening at ``i``, if one does."""
    c = body[i]
    after = body[i + 1] if i + 1 < para.end else " "
    before = body[i - 1] if i > para.start else " "
    if c in DOUBLE_OPEN:
        return ("curly", 1)
    if c == '"':
        return ("straight", 1) if not after.isspace() else None
    if _doubled_at(body, i, para.end):
        nxt = body[i + 2] if i + 2 < para.end else " "
        return ("doubled", 2) if not nxt.isspace() and not before.isalnum() else None
    if c in ("‘", "'") and not before.isalnum() and after.isalnum():
        return ("single", 1)
    return None


def _single_closes(body: str, i: int, end: int) -> bool:
    """Whether the apostrophe at ``i`` closes a single-quoted span."""
    if body[i] not in ("’", "'") or i == 0 or body[i - 1].isspace():
        return False
    if i + 1 < end and body[i + 1].isalpha():
        return False
    nxt = body[i + 1 : i + 3]
    possessive = (
        body[i - 1] in "sS"
        and len(nxt) == 2
        and nxt[0] == " "
        and nxt[1].islower()
        and _next_word(body, i + 1) not in NOT_AFTER_POSS
    )
    return not possessive


@dataclass(slots=True)
class _Open:
    at: int
    style: str
    char: str
    para: int
    paragraphs: int = 1
    nested: bool = False


def _closer(body: str, i: int, end: int, op: _Open) -> int:
    """Length of the mark closing ``op`` at ``i`` (0 when none; -1: a curly restart)."""
    c = body[i]
    if op.style == "doubled":
        if _doubled_at(body, i, end):
            return 2
        return 1 if c in DOUBLE_CLOSE or c == '"' else 0
    if op.style == "straight":
        if c == "“":
            op.nested = True
            return 0
        if c == "”" and op.nested:
            op.nested = False
            return 0
        return 1 if c == '"' or c in DOUBLE_CLOSE else 0
    if c in DOUBLE_CLOSE or c == '"' or (c == "“" and op.char == "„"):
        return 1
    return -1 if c == "“" else 0


def _scan(body: str, para: Span, pi: int, op: _Open | None, out: list[QuoteSpan]) -> _Open | None:
    """Scan one paragraph; returns the double quote still open at its end (if any).

    Only quotation-mark characters can change the state, so the scan jumps between them."""
    skip = para.start
    for m in MARK_RE.finditer(body, para.start, para.end):
        i = m.start()
        if i < skip:
            continue
        if len(out) >= MAX_QUOTES:
            break
        if op is not None and i - op.at > MAX_QUOTE_CHARS:
            op = None
        if op is None:
            found = _opener(body, i, para)
            if found is not None:
                op = _Open(i, found[0], body[i], pi)
                skip = i + found[1]
        elif op.style == "single":
            if _single_closes(body, i, para.end):
                out.append(QuoteSpan(op.at + 1, i, op.at, i + 1, pi, "single"))
                op = None
        else:
            n = _closer(body, i, para.end, op)
            if n == -1:
                op = _Open(i, "curly", "“", pi)  # an unmatched earlier opener: restart here
            elif n > 0:
                lead = 2 if op.style == "doubled" else 1
                out.append(
                    QuoteSpan(op.at + lead, i, op.at, i + n, op.para, op.style, op.paragraphs)
                )
                op = None
                skip = i + n
    if op is not None and para.end - op.at > MAX_QUOTE_CHARS:
        op = None
    return op if op is not None and op.style != "single" else None


def _reopens(body: str, para: Span, op: _Open) -> int:
    """Length of the mark re-opening a carried quote at the start of ``para`` (0: none)."""
    if _doubled_at(body, para.start, para.end):
        return 2
    return 1 if body[para.start] in DOUBLE_OPEN or body[para.start] == '"' else 0


def direct_spans(body: str, paras: list[Span]) -> list[QuoteSpan]:
    """Every quotation in ``body`` (with letters in it), in order."""
    out: list[QuoteSpan] = []
    carry: _Open | None = None
    for pi, para in enumerate(paras):
        op: _Open | None = None
        start = para.start
        if carry is not None:
            n = _reopens(body, para, carry)
            if n:
                op, start = carry, para.start + n
                op.paragraphs += 1
                op.nested = False
        left = _scan(body, Span(start, para.end), pi, op, out)
        carry = None
        if left is not None and (
            left.paragraphs < MAX_QUOTE_PARAGRAPHS and para.end - left.at <= MAX_QUOTE_CHARS
        ):
            carry = left
        if len(out) >= MAX_QUOTES:
            break
    return [q for q in (_trim(body, q) for q in out) if q is not None]


def _trim(body: str, q: QuoteSpan) -> QuoteSpan | None:
    ts, te = q.start, q.end
    while ts < te and body[ts].isspace():
        ts += 1
    while te > ts and body[te - 1].isspace():
        te -= 1
    if not any(ch.isalpha() for ch in body[ts : min(te, ts + 200)]):
        return None
    return QuoteSpan(ts, te, q.mark_start, q.mark_end, q.para, q.style, q.paragraphs)
