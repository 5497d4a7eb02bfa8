"""Speaker noun phrases around a cue verb: how far they reach forward and backward.

Shared by direct-quote attribution and reported speech. ``PhraseRules`` is a mixin of the quote
finder: it reads ``body`` and ``is_place`` from it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import regex

from app.extraction.lexicon.names import GIVEN_NAMES
from app.extraction.lexicon.verbs import FORMS
from app.extraction.speakers import (
    ABBREVIATIONS,
    CUE_VERBS,
    DESCRIPTION_HEADS,
    DETERMINERS,
    PREPOSITIONS,
    ROLE_HEADS,
    ROLE_WORDS,
    STOP_BEFORE,
    SpeakerPhrase,
    is_cap,
    parse_speaker,
)
from app.extraction.wordtokens import Tok

AUXILIARIES = {"has", "have", "had", "was", "is", "also", "later", "repeatedly", "consistently",
               "previously", "again", "earlier", "recently", "then", "once", "further",
               "would", "will", "publicly", "separately", "reportedly", "did",
               "not", "already", "firmly", "flatly"}  # fmt: skip
OBJECT_WORDS = {
    "reporters",
    "journalists",
    "me",
    "us",
    "him",
    "her",
    "them",
    "parliament",
    "lawmakers",
    "listeners",
    "viewers",
    "residents",
    "supporters",
    "delegates",
}
CONTEXT_START = {"on", "in", "at", "during", "after", "before", "while", "from", "via", "with",
                 "outside", "inside", "speaking", "yesterday", "today", "tonight", "last", "this",
                 "earlier", "late", "following", "near", "when", "by", "over", "to", "through",
                 "ahead", "as"}  # fmt: skip
NP_LOWER_OK = ROLE_WORDS | DETERMINERS | {"to", "of", "for", "in", "at", "the", "and", "on",
                                          "local", "top", "senior", "former", "another", "elderly",
                                          "young", "old", "retired", "displaced", "injured",
                                          "wounded", "exhausted", "rescue", "aid", "camp", "city",
                                          "hospital", "district", "village", "provincial", "state",
                                          "government", "federal", "ministry", "army",
                                          "spokesperson"}  # fmt: skip


def wide_lower_ok(low: str) -> bool:
    """Lowercase words allowed in a speaker phrase of a direct quote (more role nouns)."""
    return _lower_ok(low) or low in DESCRIPTION_HEADS


def _lower_ok(low: str) -> bool:
    """Lowercase words allowed inside a speaker phrase."""
    return (
        low in NP_LOWER_OK
        or low in ROLE_HEADS
        or low in CLAUSE_PLURAL
        or low.endswith(("ers", "ists", "ians", "ives", "ials", "ors"))
    )


CLAUSE_PLURAL = {
    "officials",
    "authorities",
    "residents",
    "witnesses",
    "doctors",
    "medics",
    "activists",
    "workers",
    "villagers",
    "analysts",
    "experts",
    "police",
    "they",
    "monitors",
    "volunteers",
    "survivors",
    "families",
    "agencies",
    "groups",
}


NAME_RUN_RE = regex.compile(
    r"(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.\-]*){1,5}"
)
_NON_SPACE_RE = re.compile(r"\S+")
NOT_NAME_START = {"as", "when", "but", "and", "if", "after", "before", "while", "the", "a", "an",
                  "in", "on", "at", "for", "with", "from", "by", "of", "to", "then", "so", "yet",
                  "i", "we", "he", "she", "they", "it", "this", "that", "since", "because",
                  "although", "though", "until", "said", "says", "told", "asked", "why", "how",
                  "what", "where", "who", "according", "like", "unlike", "meanwhile", "still",
                  "also", "even", "now", "today", "yesterday", "last", "next", "mr", "ms",
                  "mrs", "dr"}  # fmt: skip


class PhraseRules:
    """Speaker-phrase boundaries (mixin; the finder supplies ``body`` and ``is_place``)."""

    body: str
    is_place: Callable[[str], bool]
    _names: dict[str, list[int]]

    def known_surname(self, word: str) -> bool:
        """Whether the article writes ``word`` after a given name or a title elsewhere
        ("Bolton" after "John Bolton": a surname, though also a place)."""
        for start in self._name_index().get(word, ())[:8]:
            first = self.body[start : start + 40].split(" ", 1)[0]
            low = first.lower()
            if low in GIVEN_NAMES or (first.endswith(".") and low.rstrip(".") in ABBREVIATIONS):
                return True
        return False

    def _name_index(self) -> dict[str, list[int]]:
        """Last word of each run of capitalised words -> where such runs start (one scan)."""
        index: dict[str, list[int]] | None = getattr(self, "_names", None)
        if index is not None:
            return index
        index = {}
        for m in NAME_RUN_RE.finditer(self.body, 0, min(len(self.body), 200_000)):
            # the run's words and where each starts (``str.split``'s whitespace is ``\s``'s)
            pieces = list(_NON_SPACE_RE.finditer(self.body, m.start(), m.end()))
            toks = [w.group() for w in pieces]
            offsets = [w.start() for w in pieces]
            first = 0
            while first < len(toks) - 1 and (
                toks[first].lower() in NOT_NAME_START or toks[first].lower() in FORMS
            ):
                first += 1
            for k in range(first + 1, len(toks)):
                index.setdefault(toks[k].rstrip(".,"), []).append(offsets[first])
        self._names = index
        return index

    def parse(self, toks: list[Tok]) -> SpeakerPhrase | None:
        return parse_speaker(self.body, toks, self.is_place)

    def context_after(self, toks: list[Tok], j: int, cue: str | None) -> str | None:
        """Adverbial/prepositional context starting at toks[j] (e.g. 'in Geneva')."""
        if cue == "told" or cue == "tells":
            k = j
            while (
                k < len(toks)
                and k - j < 5
                and toks[k].low not in CONTEXT_START
                and (toks[k].text not in (",", ".", ":", ";"))
                and toks[k].low != "that"
            ):
                k += 1
            j = k
        while j < len(toks) and toks[j].text == ",":
            j += 1
        if j >= len(toks) or toks[j].low not in CONTEXT_START:
            return None
        end = j
        while (
            end < len(toks)
            and toks[end].text not in (".", ";", ":", "!", "?", "“", "”", '"')
            and toks[end].low != "that"
        ):
            if toks[end].text == ",":
                break
            end += 1
        while end > j and toks[end - 1].text in (",", "—", "-"):
            end -= 1
        if end <= j:
            return None
        text = self.body[toks[j].start : toks[end - 1].end]
        return text if len(text) <= 200 else None

    def np_forward(
        self, toks: list[Tok], j: int, lower_ok: Callable[[str], bool] | None = None
    ) -> int:
        """End index (exclusive) of a speaker phrase starting at toks[j]."""
        k = j
        n = len(toks)
        has_name = False
        while k < n and k - j < 20:
            t = toks[k]
            if t.text in (".", ";", ":", "!", "?", "“", "”", '"', "—", "–", "(", ")"):
                break
            if t.text == ",":
                if k + 1 < n and toks[k + 1].low in ("a", "an", "the", "another") and k > j:
                    k += 1
                    while (
                        k < n
                        and toks[k].text not in (",", ".", ";", ":", "“", '"')
                        and (
                            toks[k].low not in CONTEXT_START
                            or toks[k].low in ("in", "at", "of", "for", "to", "from", "near", "by")
                        )
                        and toks[k].low not in CUE_VERBS
                        and toks[k].low not in ("who", "which", "whose", "whom")
                    ):
                        k += 1
                    break
                if (
                    k + 1 < n
                    and toks[k + 1].text[:1].isdigit()
                    and k + 2 < n
                    and (toks[k + 2].text == ",")
                ):
                    k += 3  # age apposition "Ahmed Salih, 34, said"
                    continue
                break
            if t.low in CUE_VERBS and k > j:
                break
            if not is_cap(t):
                if t.low in PREPOSITIONS and k > j:
                    # keep "in Ukraine Matthias Schmale" / "to the United Nations" in the phrase
                    last = toks[k - 1]
                    if has_name and last.low not in ROLE_WORDS:
                        break
                    m = k + 1
                    while m < n and toks[m].low in ("the", "of"):
                        m += 1
                    if m >= n or not is_cap(toks[m]):
                        break
                elif not (lower_ok or _lower_ok)(t.low) and not (
                    k == j and t.low in ("he", "she", "they")
                ):
                    break
            else:
                has_name = has_name or t.low not in ROLE_WORDS
            k += 1
            if k - 1 == j and toks[j].low in ("he", "she", "they"):
                break
        return k

    def np_backward(
        self,
        toks: list[Tok],
        k: int,
        floor: int = 0,
        lower_ok: Callable[[str], bool] | None = None,
    ) -> tuple[int, int]:
        """(start, end) of a speaker phrase ending before toks[k], auxiliaries skipped.

        Handles "NAME, a ROLE, said", "the spokesman, NAME, told" and "NAME, who ..., said".
        """
        j = k
        while j > floor and (
            toks[j - 1].low in AUXILIARIES
            or (toks[j - 1].low.endswith("ly") and not is_cap(toks[j - 1]))
        ):
            j -= 1
        if j > floor and toks[j - 1].text == ",":
            # apposition or relative clause closed by a comma
            c = j - 2
            while c > floor and toks[c].text != "," and j - c < 18:
                if toks[c].text in (".", ";", ":", "“", "”", '"'):
                    return (j, j)
                c -= 1
            if c < floor or toks[c].text != ",":
                return (j, j)
            seg = toks[c + 1 : j - 1]
            if not seg:
                return (j, j)
            head_start, head_end = self._np_strict(toks, c, floor, lower_ok)
            if head_start >= head_end:
                return (j, j)
            if seg[0].low in ("who", "which", "whose"):
                return (head_start, head_end)
            head_det = toks[head_start].low in DETERMINERS
            seg_role = seg[0].low in DETERMINERS or any(
                t.low in ROLE_HEADS or t.low in ROLE_WORDS for t in seg
            )
            seg_name = all(is_cap(t) for t in seg)
            if seg_role or (head_det and seg_name):
                return (head_start, j - 1)
            return (j, j)
        return self._np_strict(toks, j, floor, lower_ok)

    def _np_strict(
        self,
        toks: list[Tok],
        end: int,
        floor: int,
        lower_ok: Callable[[str], bool] | None = None,
    ) -> tuple[int, int]:
        i = end
        while i > floor and end - i < 16:
            t = toks[i - 1]
            if t.text in (
                ".",
                ";",
                ":",
                "!",
                "?",
                "“",
                "”",
                '"',
                "—",
                "–",
                "(",
                ")",
                "‘",
                "’",
                ",",
            ):
                break
            if t.low in STOP_BEFORE or t.low in CUE_VERBS:
                break
            ok = (lower_ok or _lower_ok)(t.low)
            if not is_cap(t) and not ok and t.low not in ("he", "she", "they"):
                # "The eastern administration": adjectives right after a determiner
                for back in (2, 3):
                    d = i - back
                    if (
                        d >= floor
                        and toks[d].low in DETERMINERS
                        and all(x.text[:1].isalpha() for x in toks[d + 1 : i])
                        and (d == floor or not toks[d - 1].text[:1].isalpha() or d == 0)
                    ):
                        i = d
                        break
                break
            i -= 1
        while i < end and toks[i].low in ("to", "of", "for", "in", "at", "and", "on"):
            i += 1
        return (i, end) if i < end else (end, end)
