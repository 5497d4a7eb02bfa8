"""Where Python's ``re`` engine may stand in for ``regex``: text of "plain" characters only.

``regex`` reads ``\\w``, ``\\d``, ``\\s`` and ``\\p{L}`` by Unicode properties, ``re`` by
``str.isalnum`` and friends; the two disagree on combining marks, superscript digits,
vulgar fractions, a few separators and joiners, and much of the scripts this engine never
reads. On the characters of :data:`PLAIN` (Latin, Greek, Cyrillic, general punctuation,
currency signs; each checked one by one in the tests) they agree, and ``re`` tokenises about
twice as fast, so the tokenisers take it for a span made only of them.
"""

from __future__ import annotations

import re

#: character ranges on which ``re`` and ``regex`` (V1) agree for \w, \d, \s and \p{L}\p{M}
PLAIN = (
    "\x00-\x1b\x20-\xb1\xb4-\xb8\xba\xbb\xbf-\u02ff\u0370-\u0482\u048a-\u052f"
    "\u2000-\u200b\u200e-\u203e\u2041-\u2053\u2055-\u206f\u20a0-\u20cf"
)
_NOT_PLAIN_RE = re.compile(f"[^{PLAIN}]")


def is_plain(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` holds only :data:`PLAIN` characters (one scan in C)."""
    stop = len(text) if end is None else end
    return _NOT_PLAIN_RE.search(text, start, stop) is None
