"""Speaker phrases: parsing names, roles and organisations; keys and fuzzy identity.

A *speaker phrase* is the noun phrase next to a cue verb ("said Defense Minister Rustem Umerov",
"Natalya, a local resident, said", "the Russian ambassador to the United Nations in Geneva
said"). :func:`parse_speaker` splits it into a proper name (the trailing run of capitalised
tokens that are not role words), a role (everything before the name, or an apposition) and an
organisation (an acronym or an organisation-like capitalised phrase inside the role).
Unnamed speakers are named by their description.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz import fuzz

from app.extraction.charsafe import is_plain
from app.extraction.lexicon.names import GIVEN_NAMES
from app.extraction.lexicon.organisations import ORG_HEADS as ORG_HEADS
from app.extraction.lexicon.titles import BODY_ROLE_HEADS, PERSON_ROLE_HEADS
from app.extraction.lexicon.titles import PERSON_TITLES as PERSON_TITLES
from app.extraction.lexicon.titles import ROLE_HEADS as ROLE_HEADS
from app.extraction.lexicon.titles import ROLE_WORDS as ROLE_WORDS
from app.extraction.wordtokens import ABBREVIATIONS as ABBREVIATIONS
from app.extraction.wordtokens import Tok, word_tokens

WORD_RE = regex.compile(
    r"\p{L}[\p{L}\p{M}]*+(?:[’'\-.][\p{L}\p{M}]++)*+(?:[’']s\b)?|\d++|[^\s\p{L}\p{M}\d]",
    regex.V1,
)
#: ``WORD_RE`` for spans of plain characters (see :mod:`.charsafe`): there ``\p{L}`` is
#: ``[^\W\d_]``, no combining marks occur, and the only word character that is neither a
#: letter nor a digit is "_"
PLAIN_WORD_RE = re.compile(r"[^\W\d_][^\W\d_]*+(?:[’'\-.][^\W\d_]++)*+(?:[’']s\b)?|\d++|[^\s\w]|_")

# abbreviations that only count when capitalised (US states, further titles)
CAP_ABBREVIATIONS = {"ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill",
                     "ind", "kan", "kans", "ky", "la", "md", "mass", "mich", "minn", "miss", "mo",
                     "mont", "neb", "nev", "okla", "ore", "pa", "penn", "tenn", "tex", "va", "vt",
                     "wash", "wis", "wyo", "rev", "hon", "msgr", "fr", "supt", "cmdr", "insp",
                     "amb", "sens", "reps", "govs", "messrs", "mt", "ft", "assn", "dept", "corp",
                     "inc", "co", "bros", "atty", "gens", "treas", "secy"}  # fmt: skip
TITLE_DOTTED = {"mr.", "mrs.", "ms.", "dr.", "sen.", "rep.", "gov.", "gen.", "prof.", "rev."}
PARTY_TAG_RE = regex.compile(r"^[DRI]-[A-Z][A-Za-z.]*$")
CUE_VERBS: dict[str, str] = {}
for _base, _forms in {
    "say": "said says say saying",
    "tell": "told tells telling",
    "add": "added adds",
    "explain": "explained explains",
    "emphasize": "emphasized emphasised emphasizes emphasises",
    "stress": "stressed stresses",
    "state": "stated states",
    "note": "noted notes",
    "warn": "warned warns",
    "claim": "claimed claims",
    "insist": "insisted insists",
    "declare": "declared declares",
    "announce": "announced announces",
    "write": "wrote writes",
    "post": "posted",
    "tweet": "tweeted",
    "argue": "argued argues",
    "recall": "recalled recalls",
    "remark": "remarked",
    "continue": "continued",
    "ask": "asked",
    "reply": "replied",
    "respond": "responded",
    "urge": "urged urges",
    "acknowledge": "acknowledged acknowledges",
    "admit": "admitted admits",
    "confirm": "confirmed confirms",
    "caution": "cautioned",
    "predict": "predicted",
    "vow": "vowed vows",
    "pledge": "pledged",
    "promise": "promised",
    "report": "reported reports",
    "observe": "observed",
    "suggest": "suggested",
    "conclude": "concluded",
    "lament": "lamented",
    "complain": "complained",
    "recount": "recounted",
    "describe": "described",
    "underline": "underlined",
    "underscore": "underscored",
    "reiterate": "reiterated",
    "maintain": "maintained",
    "allege": "alleged",
    "deny": "denied",
    "shout": "shouted",
    "whisper": "whispered",
    "cry": "cried",
    "estimate": "estimated",
    "believe": "believes",
    "assert": "asserted",
}.items():
    for _f in _forms.split():
        CUE_VERBS[_f] = _f

PRONOUNS = {"he": "m", "she": "f", "they": "p"}
DETERMINERS = {"the", "a", "an", "another", "one", "two", "three", "several", "some", "many",
               "his", "her", "their", "its", "our", "this", "that"}  # fmt: skip
#: heads of speaker descriptions in direct-quote attribution (core set + lexicon)
DESCRIPTION_HEADS = frozenset(ROLE_HEADS | PERSON_ROLE_HEADS | BODY_ROLE_HEADS)
STOP_BEFORE = {"that", "as", "while", "when", "after", "because", "and", "but", "if", "which",
               "who", "where", "since", "although", "though", "before", "until", "so"}  # fmt: skip
PREPOSITIONS = {"on", "in", "at", "during", "after", "before", "while", "from", "via", "when",
                "as", "to", "with", "by", "for", "of", "outside", "inside", "near", "following",
                "late", "earlier", "later", "yesterday", "today", "tonight", "this", "last",
                "speaking", "adding", "according"}  # fmt: skip
NAME_PARTICLES = {"al", "el", "bin", "ibn", "van", "von", "de", "del", "der", "da", "di", "la",
                  "le", "abu", "abd", "ben", "dos", "du"}  # fmt: skip
TITLE_WORDS = ROLE_WORDS | {"mr", "mrs", "ms", "dr", "sir", "madam", "lady", "lord"}


@dataclass(frozen=True, slots=True)
class SpeakerPhrase:
    """A parsed speaker mention."""

    name: str
    role: str | None
    organisation: str | None
    named: bool
    pronoun: str | None
    start: int
    end: int
    name_start: int
    name_end: int


def words(text: str, start: int = 0, end: int | None = None) -> list[Tok]:
    """Word/punctuation tokens of ``text[start:end]`` (absolute offsets), abbreviations kept."""
    stop = len(text) if end is None else end
    rx = PLAIN_WORD_RE if is_plain(text, start, stop) else WORD_RE
    return word_tokens(text, start, stop, rx, _abbreviation)


def _abbreviation(tok: Tok) -> bool:
    """Whether a "." right after ``tok`` belongs to it (title, initial, state, party tag)."""
    if tok.low in ABBREVIATIONS:
        return True
    text = tok.text
    if len(text) == 1:
        return text.isupper()
    tagged = PARTY_TAG_RE.match(text) is not None
    return text[0].isupper() and (tok.low in CAP_ABBREVIATIONS or tagged)


def is_cap(tok: Tok) -> bool:
    """Capitalised word (or acronym)."""
    return tok.text[:1].isupper()


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(("’s", "'s")) else word


def is_role_word(tok: Tok) -> bool:
    """Word that belongs to a title/role rather than a name."""
    low = _strip_possessive(tok.low).rstrip(".")
    if low in ROLE_WORDS or (tok.low.endswith(".") and low in ABBREVIATIONS):
        return True
    return (
        any(p in ROLE_WORDS for p in low.split("-") if p)
        and "-" in low
        and low not in (NAME_PARTICLES)
    )


def is_acronym(tok: Tok) -> bool:
    """All-caps token such as UN, NATO, UNHCR, U.S."""
    letters = [c for c in tok.text if c.isalpha()]
    return 2 <= len(letters) <= 7 and all(c.isupper() for c in letters)


def strip_accents(text: str) -> str:
    """Remove combining marks (Zelenskyy → Zelenskyy, Médecins → Medecins)."""
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


@lru_cache(maxsize=8192)
def speaker_key(name: str) -> str:
    """Normalised key for cross-article merging: casefold, no accents, titles and roles removed.

    >>> speaker_key("Defense Minister Rustem Umerov")
    'rustem umerov'
    """
    toks = [t for t in words(strip_accents(name)) if t.text[0].isalnum()]
    if not toks:
        return ""
    # keep the trailing run of non-role words (the name); fall back to everything
    joiners = {"in", "of", "for", "at", "to", "the", "and", "on"}
    idx = len(toks)
    while (
        idx > 0
        and not is_role_word(toks[idx - 1])
        and not is_acronym(toks[idx - 1])
        and toks[idx - 1].low not in joiners
    ):
        idx -= 1
    kept = toks[idx:] or toks
    if idx > 0 and toks[idx - 1].low in joiners and len(kept) >= 3:
        kept = kept[1:]  # "... Coordinator in Ukraine Matthias Schmale"
    return " ".join(_strip_possessive(t.text).casefold().strip(".") for t in kept)


@lru_cache(maxsize=16384)
def same_person(a: str, b: str) -> bool:
    """True when two names plausibly denote one person ("Umerov" / "Rustem Umerov").

    Requires agreement of the surname (last token, exact or fuzzy ≥ 88) and, when both names
    carry given names, compatible given names (initial, prefix or fuzzy ≥ 85).
    """
    ka, kb = speaker_key(a).split(), speaker_key(b).split()
    if not ka or not kb:
        return False
    if fuzz.ratio(ka[-1], kb[-1]) < 88:
        return False
    if len(ka) > 1 and len(kb) > 1:
        fa, fb = ka[0].rstrip("."), kb[0].rstrip(".")
        if fa[:1] != fb[:1]:
            return False
        if len(fa) > 1 and len(fb) > 1 and fuzz.ratio(fa, fb) < 85:
            return False
    return fuzz.WRatio(" ".join(ka), " ".join(kb)) >= 85 or len(ka) == 1 or len(kb) == 1


def _organisation(role_toks: list[Tok], text: str) -> str | None:
    for t in role_toks:
        if is_acronym(t) and t.low not in ("u.s.", "u.k.", "mp", "ceo"):
            return _strip_possessive(t.text)
    # a capitalised run containing an organisation head word ("United Nations", "Red Cross")
    run: list[Tok] = []
    best: str | None = None
    for t in [*role_toks, Tok(".", 0, 0, ".")]:
        if is_cap(t) or (run and t.low in ("of", "for", "the", "and")):
            run.append(t)
            continue
        while run and not is_cap(run[-1]):
            run.pop()
        if run and any(_strip_possessive(x.low) in ORG_HEADS for x in run):
            best = text[run[0].start : run[-1].end]
            best = best[:-2] if best.endswith(("’s", "'s")) else best
            break
        run = []
    return best


def _name_run(toks: list[Tok], is_place: Callable[[str], bool]) -> int:
    """Index where the trailing proper-name run of ``toks`` starts (len(toks) when none)."""
    idx = len(toks)
    while idx > 0:
        t = toks[idx - 1]
        low = t.low
        surname_role = (
            is_cap(t)
            and is_role_word(t)
            and idx == len(toks)
            and idx >= 2
            and (
                toks[idx - 2].low in GIVEN_NAMES
                or (toks[idx - 2].text.endswith(".") and toks[idx - 2].low in TITLE_DOTTED)
            )
        )  # "Ann Major", "Mr. King": a surname that is also a role word
        if (
            (
                is_cap(t)
                and not is_role_word(t)
                and not is_acronym(t)
                and not t.text.endswith(("’s", "'s"))
            )
            or (low in NAME_PARTICLES and idx < len(toks))
            or surname_role
        ):
            idx -= 1
            if len(toks) - idx > 5:
                break
            continue
        break
    # never start a name with a particle or a determiner ("The")
    while idx < len(toks) and (toks[idx].low in NAME_PARTICLES or toks[idx].low in DETERMINERS):
        idx += 1
    # "Coordinator in Ukraine Matthias Schmale": drop places introduced by a preposition
    while (
        len(toks) - idx >= 2
        and idx > 0
        and toks[idx - 1].low in ("in", "of", "for", "at", "to")
        and is_place(toks[idx].text)
        and toks[idx].low not in GIVEN_NAMES
    ):
        idx += 1
    # "Secretary of State Antony Blinken", "Chief of Staff Andriy Yermak"
    if (
        len(toks) - idx >= 3
        and idx >= 2
        and toks[idx - 1].low in ("of", "for")
        and is_role_word(toks[idx - 2])
    ):
        idx += 1
    # a leading place/demonym token before a 2+ word name ("Ukraine Matthias Schmale")
    while len(toks) - idx >= 3 and is_place(toks[idx].text) and toks[idx].low not in GIVEN_NAMES:
        idx += 1
    return idx


def parse_speaker(
    text: str,
    toks: list[Tok],
    is_place: Callable[[str], bool],
    heads: AbstractSet[str] = ROLE_HEADS,
) -> SpeakerPhrase | None:
    """Parse a speaker phrase made of ``toks`` (tokens of ``text``); ``heads`` are the nouns
    that may head a description."""
    toks = [t for t in toks if t.text not in ("“", "”", '"', "‘", "’")]
    while toks and toks[-1].text in (",", ".", ";", ":"):
        toks = toks[:-1]
    while toks and toks[0].text in (",", ".", ";", ":", "—", "–", "-"):
        toks = toks[1:]
    if not toks or len(toks) > 22:
        return None
    first = toks[0]
    if len(toks) == 1 and first.low in PRONOUNS:
        return SpeakerPhrase(
            first.low, None, None, False, first.low, first.start, first.end, first.start, first.end
        )
    # split appositions at commas
    parts: list[list[Tok]] = [[]]
    for t in toks:
        if t.text == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    parts = [p for p in parts if p and not all(x.text.isdigit() for x in p)]
    if not parts:
        return None
    head = parts[0]
    if len(head) > 2 and head[0].low == "the" and head[1].text.endswith(".") and is_cap(head[1]):
        head = head[1:]  # "the Rev. Amos Tull": the article belongs to the title
    appos = parts[1] if len(parts) > 1 else []
    for cut, t in enumerate(appos):
        if t.low in ("who", "which", "whose", "whom") and cut > 0:
            appos = appos[:cut]
            break
    start, end = toks[0].start, toks[-1].end
    if (
        appos
        and head[0].low not in DETERMINERS
        and appos[0].low not in DETERMINERS
        and any(_strip_possessive(t.low) in heads for t in appos)
        and not is_cap(appos[0])
    ) or (
        appos
        and appos[0].low not in DETERMINERS
        and any(_strip_possessive(t.low) in heads for t in appos)
        and head
        and all(is_cap(t) for t in head)
        and head[0].low not in DETERMINERS
        and not any(is_cap(t) and not is_role_word(t) for t in appos)
    ):
        # "Dr. Hassan Adam, director of the hospital"
        return _named(
            text, head, appos, start, end, is_place, heads, appositive=True, prefer_extra=True
        )
    if appos and head[0].low not in DETERMINERS and appos[0].low in DETERMINERS | {"who"}:
        # "Natalya, a local resident" / "Viachislav, another resident"
        role_toks = _clean_role(appos[1:] if appos[0].low in DETERMINERS else appos)
        if appos[0].low == "who":
            role_toks = []
        return _named(
            text, head, role_toks, start, end, is_place, heads, appositive=True, prefer_extra=True
        )
    if appos and head[0].low in DETERMINERS:
        idx = _name_run(appos, is_place)
        if idx < len(appos) and len(appos) <= 6:
            # "the regional governor, Oleh Kiper" / "the spokesman, Major General Zaw Min Tun"
            return _named(text, appos[idx:], head, start, end, is_place, heads, appositive=True)
    return _named(text, head, [], start, end, is_place, heads, appositive=False)


def _named(
    text: str,
    head: list[Tok],
    extra_role: list[Tok],
    start: int,
    end: int,
    is_place: Callable[[str], bool],
    heads: AbstractSet[str],
    *,
    appositive: bool,
    prefer_extra: bool = False,
) -> SpeakerPhrase | None:
    if not head:
        return None
    org_phrase = _org_name(text, head)
    if org_phrase is not None:
        return org_phrase
    if head[0].low in PRONOUNS and len(head) == 1:
        t = head[0]
        return SpeakerPhrase(t.low, None, None, False, t.low, start, end, t.start, t.end)
    idx = _name_run(head, is_place)
    name_toks = head[idx:]
    role_toks = [t for t in head[:idx] if not (t is head[0] and t.low in DETERMINERS)]
    titles_only = all(
        t.low.rstrip(".") in ABBREVIATIONS
        or t.low.rstrip(".") in CAP_ABBREVIATIONS
        or t.low in ("sir", "dame")
        for t in role_toks
    )
    if appositive and extra_role and (not role_toks or (prefer_extra and titles_only)):
        role_toks = _clean_role(extra_role[1:] if extra_role[0].low in DETERMINERS else extra_role)
    role = text[role_toks[0].start : role_toks[-1].end] if role_toks else None
    org = _organisation(role_toks, text) if role_toks else None
    if name_toks and not all(is_place(t.text) for t in name_toks):
        name = text[name_toks[0].start : name_toks[-1].end]
        # single capitalised word that is really a role/description ("Authorities")
        return SpeakerPhrase(
            name, role, org, True, None, start, end, name_toks[0].start, name_toks[-1].end
        )
    desc_toks = [t for t in head if not (t is head[0] and t.low in DETERMINERS)]
    if not desc_toks:
        return None
    if not any(
        _strip_possessive(t.low) in heads
        or is_acronym(t)
        or t.low in ORG_HEADS
        or _strip_possessive(t.low).rstrip("s") in heads
        for t in desc_toks
    ):
        return None
    desc = text[desc_toks[0].start : desc_toks[-1].end]
    org = _organisation(desc_toks, text)
    return SpeakerPhrase(
        desc, desc, org, False, None, start, end, desc_toks[0].start, desc_toks[-1].end
    )


def _org_name(text: str, head: list[Tok]) -> SpeakerPhrase | None:
    """'The World Food Programme', 'International Organization for Migration' as one name."""
    toks = head[1:] if head and head[0].low in DETERMINERS else head
    if len(toks) < 2 or not is_cap(toks[0]) or not is_cap(toks[-1]):
        return None
    joiners = {"of", "for", "the", "and", "on", "in"}
    if not all(is_cap(t) or t.low in joiners for t in toks):
        return None
    if any(
        _strip_possessive(t.low) in PERSON_TITLES or (t.text.endswith(".") and is_role_word(t))
        for t in toks
    ) or is_role_word(toks[-1]):
        return None
    if not (any(_strip_possessive(t.low) in ORG_HEADS for t in toks) or head[0].low == "the"):
        return None
    name = text[toks[0].start : toks[-1].end]
    return SpeakerPhrase(
        name, None, name, True, None, head[0].start, head[-1].end, toks[0].start, toks[-1].end
    )


AGE_RE = regex.compile(r"^(?:\d+|-|(?:years?|months?|weeks?)-old)$")


def _clean_role(toks: list[Tok]) -> list[Tok]:
    """Drop ages ("45-year-old") from a role phrase."""
    out = [t for t in toks if not AGE_RE.match(t.low)]
    while out and out[0].low in DETERMINERS and out[0].low not in ("one",):
        out = out[1:]
    return out


@lru_cache(maxsize=8192)
def role_head(role: str | None) -> str | None:
    """The head role noun of a role phrase ("Defense Minister" → "minister")."""
    if not role:
        return None
    found: str | None = None
    for t in words(role):
        low = _strip_possessive(t.low)
        if low in ROLE_HEADS:
            found = low
        elif low in ("to", "of", "for", "in", "at") and found:
            break
    return found
