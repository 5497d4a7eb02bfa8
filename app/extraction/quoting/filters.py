"""Quotation marks that do not hold anyone's words.

Each rule is named; a span it rejects is not returned as a quote.

* ``filter.markup``: the marks delimit an attribute value in left-over markup (``x="..."``);
* ``filter.title``: a short Title Case span (a book, show, film or slogan: "Meet the Nation")
  that no attribution follows;
* ``filter.scare``: one or two words in marks (a scare quote or a term: the so-called
  "buffer zone") that no cue introduces or follows directly.
"""

from __future__ import annotations

SMALL_WORDS = {"of", "the", "a", "an", "and", "for", "in", "on", "to", "at", "by", "with",
               "from", "or", "is", "are", "as", "vs", "vs.", "de", "la", "du"}  # fmt: skip
MAX_TITLE_WORDS = 8
MAX_SCARE_WORDS = 2


def _words(text: str) -> list[str]:
    return [w.strip(",.;:!?()[]-—–'’\"“”") for w in text.split()]


def is_markup(body: str, mark_start: int) -> bool:
    """``filter.markup``: an attribute value (``name="value"``)."""
    return mark_start > 0 and body[mark_start - 1] == "="


def is_title(text: str) -> bool:
    """``filter.title``: every word capitalised but small function words, few words, no
    sentence inside."""
    words = [w for w in _words(text) if w]
    if not words or len(words) > MAX_TITLE_WORDS:
        return False
    if any(ch in text.rstrip(".,!?") for ch in ".!?;"):
        return False
    if not words[0][:1].isupper() and not words[0][:1].isdigit():
        return False
    if len(words) == 1:
        return False  # a single capitalised word is as often a name or a slogan word
    pronouns = {"i", "we", "you", "my", "our", "me", "us"}
    if any(w.lower() in pronouns for w in words):
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_WORDS for w in words)


def is_scare(text: str) -> bool:
    """``filter.scare``: at most two words."""
    return len([w for w in _words(text) if w]) <= MAX_SCARE_WORDS


def introduced(body: str, mark_start: int) -> bool:
    """Whether the quote opens right after its introduction ("said:", "said,", a dash)."""
    i = mark_start - 1
    while i >= 0 and body[i] in " \t":
        i -= 1
    return i >= 0 and body[i] in ":,—–"
