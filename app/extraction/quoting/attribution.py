"""Attribution of direct quotes: who said the words in quotation marks.

Sieves, most exact first; the first that finds a speaker names itself in the quote's ``rules``:

after the closing mark (to the end of the line, up to the next quotation mark)

* ``attr.after:cue_name``: "…," said Lena Oduya, a nurse.
* ``attr.after:name_cue``: "…," Lena Oduya (D-Ore.), 34, a nurse, said on Monday.
* ``attr.after:dash``: "…" — Lena Oduya (a signature at the end of the line)

before the opening mark (same sentence)

* ``attr.before:according_to``: According to Oduya, "…"
* ``attr.before:name_cue``: Oduya said: "…" / Oduya told reporters, "…"
* ``attr.before:participle``: Oduya criticised the plan, saying, "…"
* ``attr.before:as_puts_it``: As Oduya put it, "…"
* ``attr.before:colon``: Oduya agreed: "…" (a colon introduction without a speech verb)
* ``attr.before:subject``: Oduya called the raid "an act of piracy." (a partial quote inside
  narration goes to the sentence's subject)
* ``attr.before:previous_sentence.*``: Oduya has run the clinic since May. "We have no
  water." (the quote opens a sentence: the rules above, applied to the previous sentence)
* ``attr.before:colon_paragraph``: a quote paragraph after a paragraph ending "Oduya said:"

``DirectAttribution`` is a mixin of the quote finder (it needs the phrase rules).
"""

from __future__ import annotations

import re

from app.extraction.lexicon.verbs import FORMS
from app.extraction.quoting.events import _Attribution
from app.extraction.quoting.phrases import CONTEXT_START, OBJECT_WORDS, PhraseRules, wide_lower_ok
from app.extraction.speakers import (
    DESCRIPTION_HEADS,
    DETERMINERS,
    PARTY_TAG_RE,
    PREPOSITIONS,
    SpeakerPhrase,
    is_cap,
    parse_speaker,
    words,
)
from app.extraction.wordtokens import Tok

#: third-person and past forms that are also common plural nouns are not cues on their own
_NOUNISH = {"reports", "posts", "notes", "comments", "charges", "counters", "objects", "answers",
            "signals", "hints", "forecasts", "laughs", "sighs", "cries", "demands", "promises",
            "pledges", "vows", "estimates", "claims", "protests", "indicates", "suggests",
            "reveals"}  # fmt: skip
#: cue forms (lexicon forms other than the bare lemma, which is rarely a narrative cue)
CUES: frozenset[str] = frozenset(
    f for f, v in FORMS.items() if " " not in f and f != v.lemma and f not in _NOUNISH
) | {"say", "tell", "puts", "put"}
PARTICIPLES = frozenset(f for f in CUES if f.endswith("ing"))
QUOTE_MARKS = {"“", "”", '"', "«", "»", "‘"}
#: one of :data:`QUOTE_MARKS`: none is ever part of a word token, so a window may stop there
_MARK_RE = re.compile("[" + "".join(sorted(QUOTE_MARKS)) + "]")
SENTENCE_END = {".", "!", "?", ";"}
LEAD_SKIP = {",", ".", "!", "?", "—", "–", "-", "…", "'", "’"}
ADVERBS = {"also", "later", "then", "once", "again", "simply", "finally", "quickly", "recently",
           "previously", "earlier", "flatly", "firmly", "has", "had", "have", "would", "will",
           "could", "did", "only", "just", "now", "still", "separately", "publicly",
           "privately", "repeatedly", "reportedly", "told"}  # fmt: skip
LEAD_WORDS = {"but", "and", "yet", "still", "so", "meanwhile", "however", "then", "instead",
              "now", "also", "later", "there", "here", "indeed", "even", "or", "moreover",
              "furthermore", "besides", "thus", "hence", "otherwise", "perhaps", "maybe",
              "clearly", "obviously", "finally", "first", "second", "third", "again",
              "similarly", "likewise", "nonetheless", "nevertheless"}  # fmt: skip
NOT_SUBJECT = {"it", "this", "that", "there", "what", "which", "these", "those", "i", "we",
               "you", "who", "one", "some", "many", "all", "both", "each", "amid", "alongside",
               "among", "despite", "unlike", "like", "following", "without", "within", "under",
               "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december", "two", "three", "four", "five",
               "six", "seven", "eight", "nine", "ten", "fifteen", "twenty", "hundreds",
               "thousands", "dozens", "most", "few", "several", "more", "less", "such",
               "everyone", "nobody", "someone", "anyone", "if", "when", "while", "although",
               "though", "because", "since", "once", "asked", "after", "before"}  # fmt: skip
#: clause words that end a speaker phrase written before its cue
NOT_IN_SUBJECT = {"to", "that", "which", "but", "although", "because", "if", "when", "while",
                  "as", "so", "since", "until", "though", "whether", "where"}  # fmt: skip
MAX_SUBJECT_TOKENS = 30
SHORT_PAST = {"shot", "went", "cut", "began", "wrote", "spoke", "broke", "threw", "put"}
TIME_WORDS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
              "today", "yesterday", "tonight", "recently", "afterward", "afterwards"}  # fmt: skip
ATTR_WINDOW = 300


def _cut_at_quote(toks: list[Tok], j: int) -> list[Tok]:
    for idx in range(j, len(toks)):
        if toks[idx].text in QUOTE_MARKS or (
            toks[idx].text == "'" and idx + 1 < len(toks) and toks[idx + 1].text == "'"
        ):
            return toks[:idx]
    return toks


def t_is_not_cue(tok: Tok) -> bool:
    return tok.low not in CUES


def _is_cue(tok: Tok) -> bool:
    return tok.low in CUES and tok.text[:1].islower()


def speaker_tokens(toks: list[Tok]) -> list[Tok]:
    """Tokens of a speaker phrase without party tags, parentheses and ages."""
    out: list[Tok] = []
    depth = 0
    for i, t in enumerate(toks):
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and not PARTY_TAG_RE.match(t.text):
            if t.text.isdigit() and out and out[-1].text == ",":
                continue  # an age apposition ", 34,"
            if t.text == "," and out and out[-1].text == ",":
                continue
            out.append(t)
        del i
    while out and out[-1].text in (",", "—", "–", "-"):
        out.pop()
    return out


def _plausible_subject(toks: list[Tok]) -> bool:
    """A speaker phrase written before its cue: its head (up to the first comma) holds no
    clause ("... declined to comment and aides said") and no finite verb."""
    if not toks or toks[0].low in NOT_SUBJECT - {"one", "some", "many", "several"}:
        return False
    head = toks
    for c, t in enumerate(toks):
        if t.text in (",", "("):
            head = toks[:c]
            break
    for idx, t in enumerate(head):
        low = t.low
        if not t.text[:1].islower():
            continue
        if low in NOT_IN_SUBJECT:
            return False
        if low == "and" and not (idx + 1 < len(head) and is_cap(head[idx + 1])):
            return False
        if low.endswith("ed") and not (idx > 0 and head[idx - 1].low in DETERMINERS):
            return False
    return True


class DirectAttribution(PhraseRules):
    """Attribution windows after and before a quote."""

    def parse_clean(self, toks: list[Tok]) -> SpeakerPhrase | None:
        cleaned = speaker_tokens(toks)
        cut = next((i for i, t in enumerate(cleaned) if t.low in ("who", "whose")), None)
        if cut and cleaned[cut - 1].text != ",":
            cleaned = cleaned[:cut]  # "a city official who spoke anonymously"
        if not cleaned or cleaned[0].low in NOT_SUBJECT - {"one", "some", "many", "several"}:
            return None
        found = parse_speaker(self.body, cleaned, self.is_place, DESCRIPTION_HEADS)
        if found is None and len(cleaned) == 1 and is_cap(cleaned[0]):
            t = cleaned[0]
            if self.is_place(t.text) and self.known_surname(t.text):
                return SpeakerPhrase(t.text, None, None, True, None, t.start, t.end, t.start, t.end)
        return found

    def attribute(self, start: int, end: int, ms: int, me: int) -> tuple[_Attribution | None, str]:
        """Attribution of the quote whose marks span ``[ms, me)``, and on which side."""
        body = self.body
        line_end = body.find("\n", me)
        limit = min(len(body) if line_end < 0 else line_end, me + ATTR_WINDOW)
        closes_sentence = body[start:end].rstrip()[-1:] == "."
        attr = self.attribution_after(me, limit, closes_sentence)
        if attr is not None:
            return attr, "after"
        line_start = body.rfind("\n", 0, ms) + 1
        attr = self.attribution_before(max(line_start, ms - ATTR_WINDOW), ms)
        if attr is None and body[line_start:ms].strip() == "":
            attr = self._colon_paragraph(line_start)
        return attr, "before"

    def _colon_paragraph(self, line_start: int) -> _Attribution | None:
        """``attr.before:colon_paragraph``: a quote paragraph introduced by the previous
        paragraph ending in a colon ("Oduya said:" / "Oduya wrote on her blog:")."""
        prev_end = line_start - 1
        while prev_end > 0 and self.body[prev_end - 1].isspace():
            prev_end -= 1
        if prev_end <= 0 or self.body[prev_end - 1] != ":":
            return None
        prev_start = self.body.rfind("\n", 0, prev_end) + 1
        found = self.attribution_before(max(prev_start, prev_end - ATTR_WINDOW), prev_end)
        if found is None:
            return None
        return _Attribution(found.phrase, found.cue, found.context, "colon_paragraph")

    # ---- after the quote ---------------------------------------------------------------------
    def attribution_after(
        self, pos: int, limit: int, closes_sentence: bool = False
    ) -> _Attribution | None:
        mark = _MARK_RE.search(self.body, pos, limit)
        # the tokens are cut at the first quotation mark (``_cut_at_quote``): none after it
        toks = words(self.body, pos, limit if mark is None else mark.start())
        j = 0
        while j < len(toks) and toks[j].text in LEAD_SKIP:
            j += 1
        dash = j > 0 and toks[j - 1].text in ("—", "–")
        toks = _cut_at_quote(toks, j)
        if j >= len(toks):
            return None
        if _is_cue(toks[j]) and toks[j].low not in PARTICIPLES:
            end = self.np_forward(toks, j + 1, wide_lower_ok)
            phrase = self.parse_clean(toks[j + 1 : end])
            if phrase is None:
                return None
            ctx = self.context_after(toks, end, None)
            return _Attribution(phrase, toks[j].low, ctx, "cue_name")
        found = self._name_cue_after(toks, j)
        if found is not None and closes_sentence and not self._short_tail(toks, found.cue):
            return None  # "…." Kasich said he would …: a new sentence, not an attribution
        if found is None and dash:
            return self._dash_signature(toks, j)
        if found is None:
            return self._name_verb_after(toks, j)
        return found

    def _name_verb_after(self, toks: list[Tok], j: int) -> _Attribution | None:
        """``attr.after:name_verb``: "…" Oduya shot back. / "…," Oduya countered with a smile.
        A name, a past-tense verb the lexicon does not list, and a short end of sentence."""
        if not is_cap(toks[j]):
            return None
        end = self.np_forward(toks, j, wide_lower_ok)
        if end >= len(toks) or end == j:
            return None
        verb = toks[end]
        if not (verb.text[:1].islower() and (verb.low.endswith("ed") or verb.low in SHORT_PAST)):
            return None
        rest = toks[end + 1 :]
        stop = next((i for i, t in enumerate(rest) if t.text in SENTENCE_END), None)
        if stop is None or stop > 4 or any(t.low in ("that", "to") for t in rest[:stop]):
            return None
        phrase = self.parse_clean(toks[j:end])
        if phrase is None or not phrase.named:
            return None
        return _Attribution(phrase, verb.low, None, "name_verb")

    def _name_cue_after(self, toks: list[Tok], j: int) -> _Attribution | None:
        """ "…," NAME [(tag)] [, apposition ,] [adverbs] CUE."""
        first = toks[j]
        opens = is_cap(first) or first.low in DETERMINERS or first.low in ("he", "she", "they")
        descriptor = first.low in DESCRIPTION_HEADS or (
            first.text[:1].isalpha() and any(is_cap(t) for t in toks[j + 1 : j + 4])
        )
        if not (opens or descriptor):
            return None
        for k in range(j + 1, min(len(toks), j + MAX_SUBJECT_TOKENS)):
            t = toks[k]
            if t.text in SENTENCE_END:
                return None
            if not _is_cue(t) or t.low in PARTICIPLES:
                continue
            if toks[k - 1].low in ("was", "were", "been", "be", "to"):
                return None
            end = k
            while end > j and (toks[end - 1].low in ADVERBS or toks[end - 1].low in TIME_WORDS):
                end -= 1
            if not _plausible_subject(toks[j:end]):
                return None
            phrase = self.parse_clean(toks[j:end])
            if phrase is None:
                return None
            return _Attribution(phrase, t.low, self.context_after(toks, k + 1, t.low), "name_cue")
        return None

    @staticmethod
    def _short_tail(toks: list[Tok], cue: str | None) -> bool:
        """Whether the clause after the cue ends within a few words (no reported content)."""
        k = next((i for i, t in enumerate(toks) if t.low == cue), None)
        if k is None or k + 1 >= len(toks):
            return True
        nxt = toks[k + 1]
        return (
            nxt.text in SENTENCE_END
            or nxt.text == ","
            or nxt.low in CONTEXT_START
            or nxt.low in OBJECT_WORDS
            or is_cap(nxt)
        )

    def _dash_signature(self, toks: list[Tok], j: int) -> _Attribution | None:
        end = self.np_forward(toks, j, wide_lower_ok)
        if end < len(toks) and toks[end].text not in SENTENCE_END | {","}:
            return None
        phrase = self.parse_clean(toks[j:end])
        if phrase is None or phrase.pronoun is not None:
            return None
        return _Attribution(phrase, None, None, "dash")

    # ---- before the quote --------------------------------------------------------------------
    def attribution_before(self, start: int, pos: int) -> _Attribution | None:
        # only the tokens after the last quotation mark are read: tokenise from there on
        start = max(start, max(self.body.rfind(m, start, pos) for m in QUOTE_MARKS) + 1)
        toks = words(self.body, start, pos)
        floor = 0
        for idx in range(len(toks) - 1, -1, -1):
            if toks[idx].text in QUOTE_MARKS or toks[idx].text == "'":
                floor = idx + 1
                break
        for idx in range(len(toks) - 1, floor - 1, -1):
            if toks[idx].text in (".", "!", "?") and idx < len(toks) - 1:
                floor = max(floor, idx + 1)
                break
        toks = toks[floor:]
        colon = bool(toks) and toks[-1].text == ":"
        while toks and toks[-1].text in (",", ":", "—", "–", "-"):
            toks = toks[:-1]
        if not toks:
            return None
        found = (
            self._according_to(toks)
            or self._as_puts_it(toks)
            or self._cue_before(toks)
            or self._subject_rule(toks, "colon" if colon else "subject")
        )
        if found is not None and toks[-1].text in (".", "!", "?"):
            # the quote opens a new sentence: the speaker named in the previous one
            found.rule = f"previous_sentence.{found.rule}"
        return found

    def _according_to(self, toks: list[Tok]) -> _Attribution | None:
        for k in range(len(toks) - 1):
            if toks[k].low == "according" and toks[k + 1].low == "to":
                end = self.np_forward(toks, k + 2, wide_lower_ok)
                phrase = self.parse_clean(toks[k + 2 : end])
                if phrase is not None:
                    return _Attribution(phrase, "according to", None, "according_to")
        return None

    def _as_puts_it(self, toks: list[Tok]) -> _Attribution | None:
        for k in range(len(toks) - 2):
            if (toks[k].low == "as" and toks[k + 1].text[:1].isupper()) or (
                toks[k].low == "as" and toks[k + 1].low in DETERMINERS
            ):
                for m in range(k + 2, min(len(toks) - 1, k + 12)):
                    if toks[m].low in ("put", "puts") and toks[m + 1].low == "it":
                        phrase = self.parse_clean(toks[k + 1 : m])
                        if phrase is not None:
                            return _Attribution(phrase, "put it", None, "as_puts_it")
                        break
        return None

    def _cue_before(self, toks: list[Tok]) -> _Attribution | None:
        for k in range(len(toks) - 1, -1, -1):
            t = toks[k]
            if k == 0:
                if t.text[:1].isupper() and t.low in CUES and t.low not in PARTICIPLES:
                    end = self.np_forward(toks, 1, wide_lower_ok)  # "Continued Oduya: “…”"
                    phrase = self.parse_clean(toks[1:end]) if end > 1 else None
                    if phrase is not None:
                        return _Attribution(phrase, t.low, None, "cue_name")
                break
            if not _is_cue(t) or toks[k - 1].low in ("was", "were", "been", "be", "to"):
                continue
            if t.low in PARTICIPLES:
                if toks[k - 1].text == ",":
                    found = self._subject_rule(toks[:k], "participle")
                    if found is not None:
                        return _Attribution(found.phrase, t.low, None, "participle")
                continue
            s, np_end = self.np_backward(toks, k, 0, wide_lower_ok)
            if s < np_end:
                phrase = self.parse_clean(toks[s:np_end])
                if phrase is not None:
                    ctx = self.context_after(toks, k + 1, t.low)
                    return _Attribution(phrase, t.low, ctx, "name_cue")
            if self._context_tail(toks, k):  # "Oduya, who ..., said in a statement: “…”"
                stretch = self._stretch_subject(toks, k)
                if stretch is not None:
                    return _Attribution(stretch, t.low, None, "name_cue")
            end = self.np_forward(toks, k + 1, wide_lower_ok)  # inverted: "said the minister: “…”"
            if end > k + 1 and toks[k + 1].low not in CONTEXT_START | TIME_WORDS:
                phrase = self.parse_clean(toks[k + 1 : end])
                if phrase is not None:
                    ctx = self.context_after(toks, end, None)
                    return _Attribution(phrase, t.low, ctx, "cue_name")
        return None

    @staticmethod
    def _context_tail(toks: list[Tok], k: int) -> bool:
        """Whether only a short context follows the cue at ``k`` before the quote ("said",
        "said on Tuesday", "told reporters", "wrote in a statement")."""
        tail = toks[k + 1 :]
        if len(tail) <= 1:
            return True
        first = tail[0]
        return len(tail) <= 8 and (
            first.low in CONTEXT_START
            or first.low in TIME_WORDS
            or first.low in OBJECT_WORDS
            or (is_cap(first) and t_is_not_cue(first))
        )

    def _stretch_subject(self, toks: list[Tok], k: int) -> SpeakerPhrase | None:
        i = 0
        while i < k and (toks[i].low in LEAD_WORDS or toks[i].text == ","):
            i += 1
        end = k
        while end > i and (toks[end - 1].low in ADVERBS or toks[end - 1].low in TIME_WORDS):
            end -= 1
        if end <= i or end - i > MAX_SUBJECT_TOKENS or not _plausible_subject(toks[i:end]):
            return None
        return self.parse_clean(toks[i:end])

    def _subject_rule(self, toks: list[Tok], rule: str) -> _Attribution | None:
        phrase = self.subject(toks)
        return _Attribution(phrase, None, None, rule) if phrase is not None else None

    def subject(self, toks: list[Tok]) -> SpeakerPhrase | None:
        """The subject of a sentence (its opening noun phrase, leading adverbials skipped),
        when a verb follows it."""
        i = 0
        n = len(toks)
        while (i < n and toks[i].low in LEAD_WORDS) or (i < n and toks[i].text == ","):
            i += 1
        if i < n and (toks[i].low in PREPOSITIONS or toks[i].low in CONTEXT_START):
            comma = next((c for c in range(i + 1, min(n, i + 15)) if toks[c].text == ","), None)
            if comma is None:
                return None
            i = comma + 1
        if i >= n or toks[i].low in NOT_SUBJECT or not toks[i].text[:1].isalpha():
            return None
        end = self.np_forward(toks, i, wide_lower_ok)
        while end < n and (toks[end].text == "(" or PARTY_TAG_RE.match(toks[end].text)):
            close = next((c for c in range(end, min(n, end + 6)) if toks[c].text == ")"), end)
            end = close + 1
        verb = end + 1 if end < n and toks[end].text == "," else end
        if verb >= n or end == i or not toks[verb].text[:1].islower():
            return None
        if toks[verb].low in ("of", "and", "or", "who", "which", "that"):
            return None
        return self.parse_clean(toks[i:end])
