"""Synthetic, realistic-looking conflict news for benchmarks: articles with sources, places,
speakers, tags, quotes and statistics, written in batches with SQLAlchemy Core.

Everything is derived from one `random.Random(seed)`, so two runs with the same seed write
the same texts (ids are fresh uuid7s, so they never collide with rows already stored).
Directory rows (sources, speakers, places) are looked up by their unique keys first and
reused, so seeding twice into one database adds articles without duplicating the directory.

Text properties that search benchmarks rely on (fractions of documents):

* "humanitarian" ~40% (common), "ceasefire" ~3% (medium), "desalination" ~0.1% (rare),
  "dialysis" ~0.005% (very rare: ~50 articles per million, as most proper search terms are);
* a vocabulary of ~4,000 words with Zipf(1) frequencies, the most frequent ones shortest.

Every quote and statistic satisfies `body[start:end] == text`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import queue
import random
import time
from bisect import bisect
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

from sqlalchemy import JSON, Engine, Table, insert, select
from sqlalchemy.engine import Connection

from app.core.normalise import name_key
from app.models import (
    Article,
    ArticleLocation,
    ArticleTag,
    Location,
    Quote,
    Source,
    Speaker,
    Statistic,
)
from app.models.base import new_id, utcnow
from app.projections import read_model, rollups
from app.search.engine import SEARCHED_TABLES, optimize_full_text

GAZETTEER = Path(__file__).resolve().parents[1] / "app" / "extraction" / "data" / "gazetteer.json"

START = datetime(2022, 1, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)

COMMON_WORD, COMMON_RATE = "humanitarian", 0.40
MEDIUM_WORD, MEDIUM_RATE = "ceasefire", 0.03
RARE_WORD, RARE_RATE = "desalination", 0.001
VERY_RARE_WORD, VERY_RARE_RATE = "dialysis", 0.00005
CONTROLLED = frozenset({COMMON_WORD, MEDIUM_WORD, RARE_WORD, VERY_RARE_WORD})

PG_WRITERS = 2  # batches written at once on PostgreSQL (one per core here)
QUOTES_PER_ARTICLE = 5
SQLITE_CACHE_KIB = 512 * 1024
STATISTICS_PER_ARTICLE = 5


@dataclass(frozen=True)
class SeedStats:
    """What one `seed()` call wrote, and how long it took."""

    articles: int
    quotes: int
    statistics: int
    article_locations: int
    article_tags: int
    sources_created: int
    speakers_created: int
    locations_created: int
    seconds: float

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0


# --- fixed word lists -------------------------------------------------------------------

TAGS = [
    "energy", "infrastructure", "drones", "missiles", "shelling", "airstrikes", "civilians",
    "children", "refugees", "displacement", "aid", "food-security", "health", "water",
    "diplomacy", "negotiations", "sanctions", "prisoners", "hostages", "detention",
    "human-rights", "war-crimes", "landmines", "reconstruction", "economy", "grain",
    "shipping", "elections", "protests", "cyber",
]  # fmt: skip

SOURCE_WORDS_A = [
    "Danube", "Frontline", "Steppe", "Levant", "Sahel", "Horn", "Caucasus", "Border",
    "Harbour", "Delta", "Highland", "River", "Coastal", "Northern", "Eastern", "Capital",
    "Continental", "Meridian", "Atlas", "Crescent",
]  # fmt: skip
SOURCE_WORDS_B = [
    "Dispatch", "Herald", "Monitor", "Ledger", "Courier", "Observer", "Bulletin", "Chronicle",
    "Wire", "Gazette", "Review", "Report", "Times", "Post", "Telegraph", "Sentinel",
]  # fmt: skip

FIRST_NAMES = [
    "Amara", "Oksana", "Dmytro", "Iryna", "Vasyl", "Lena", "Yusuf", "Leila", "Omar", "Fatima",
    "Hassan", "Mariam", "Ahmad", "Nour", "Samir", "Rania", "Karim", "Aisha", "Ibrahim", "Zainab",
    "Olena", "Taras", "Natalia", "Bohdan", "Halyna", "Andriy", "Svitlana", "Mykola", "Kateryna",
    "Petro", "Grace", "Daniel", "Sarah", "Michael", "Anna", "Thomas", "Elena", "Marco", "Sofia",
    "Lucas", "Ingrid", "Henrik", "Claire", "Julien", "Amina", "Moussa", "Aminata", "Kofi",
    "Abena", "Tesfaye", "Hiwot", "Abdi", "Hodan", "Mohamed", "Halima", "Aung", "Thandar",
    "Min", "Khin", "Carlos", "Lucia", "Diego", "Valentina", "Arash", "Shirin", "Reza", "Nasrin",
    "Tigran", "Anahit", "Elvin", "Leyla", "Giorgi", "Nino", "Pavel", "Marta", "Jonas", "Ewa",
    "Kenji", "Priya", "Ravi", "Farah", "Idris", "Salma", "Youssef", "Hana", "Malik", "Yara",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Hrytsenko", "Levchenko", "Sokil", "Marchenko", "Vasylenko", "Haddad", "Khalil",
    "Nasser", "Mansour", "Darwish", "Saleh", "Aziz", "Karimi", "Rahimi", "Hosseini", "Bakr",
    "Osman", "Farouk", "Abdullah", "Kovalenko", "Bondarenko", "Tkachenko", "Shevchuk", "Melnyk",
    "Kravets", "Moroz", "Savchenko", "Rudenko", "Lysenko", "Brennan", "Lindqvist", "Moreau",
    "Bernard", "Rossi", "Esposito", "Novak", "Kowalski", "Schneider", "Weber", "Hansen",
    "Jensen", "Diallo", "Traore", "Keita", "Coulibaly", "Mensah", "Boateng", "Tadesse",
    "Bekele", "Warsame", "Hirsi", "Abdi", "Nyambura", "Otieno", "Mwangi", "Htun", "Naing",
    "Soe", "Ramirez", "Herrera", "Castillo", "Vargas", "Petrosyan", "Hakobyan", "Aliyev",
    "Mammadov", "Beridze", "Kapanadze", "Volkov", "Sorokin", "Lebedev", "Tanaka", "Sato",
    "Sharma", "Iyer", "Qureshi", "Chaudhry", "Yilmaz", "Demir", "Kaya", "Celik", "Suleiman",
]  # fmt: skip

ROLES = [
    "spokesperson", "spokesman", "spokeswoman", "regional governor", "mayor", "deputy mayor",
    "head of the regional military administration", "foreign minister", "defence minister",
    "health minister", "energy minister", "country director", "emergency coordinator",
    "field coordinator", "senior analyst", "researcher", "military analyst", "commander",
    "deputy commander", "hospital director", "surgeon", "paramedic", "aid worker",
    "camp manager", "schoolteacher", "shop owner", "farmer", "resident", "volunteer",
    "human rights investigator", "UN special rapporteur", "chief negotiator", "envoy",
    "police chief", "port official", "railway official", "grid operator engineer",
]  # fmt: skip
ORGANISATIONS = [
    "UNHCR", "UNICEF", "World Food Programme", "OCHA", "World Health Organization",
    "International Committee of the Red Cross", "Norwegian Refugee Council",
    "Médecins Sans Frontières", "International Rescue Committee", "Save the Children",
    "Amnesty International", "Human Rights Watch", "ministry of defence",
    "ministry of foreign affairs", "ministry of health", "ministry of energy",
    "regional military administration", "city council", "national grid operator",
    "state emergency service", "national police", "general staff", "border guard service",
    "port authority", "railway company", "Institute for Conflict Studies",
    "Centre for Security Analysis", "Crisis Monitoring Group", "local hospital",
    "civil defence", "water utility", "African Union mission", "European Commission",
]  # fmt: skip

# Regions and whole countries (name, ISO code, kind, lat, lon): real places, approximate.
REGIONS: list[tuple[str, str, str, float, float]] = [
    ("Donetsk Oblast", "UA", "region", 48.0, 37.8), ("Luhansk Oblast", "UA", "region", 48.6, 39.3),
    ("Zaporizhzhia Oblast", "UA", "region", 47.5, 35.6),
    ("Kherson Oblast", "UA", "region", 46.6, 33.5), ("Kharkiv Oblast", "UA", "region", 49.6, 36.5),
    ("Sumy Oblast", "UA", "region", 50.9, 34.8),
    ("Dnipropetrovsk Oblast", "UA", "region", 48.5, 35.0),
    ("Odesa Oblast", "UA", "region", 46.5, 30.5), ("Mykolaiv Oblast", "UA", "region", 47.0, 32.0),
    ("Chernihiv Oblast", "UA", "region", 51.5, 31.3), ("Kursk Oblast", "RU", "region", 51.7, 36.2),
    ("Belgorod Oblast", "RU", "region", 50.6, 36.6), ("Crimea", "UA", "region", 45.3, 34.4),
    ("Gaza Strip", "PS", "region", 31.4, 34.4), ("West Bank", "PS", "region", 31.9, 35.2),
    ("Golan Heights", "SY", "region", 33.0, 35.8), ("North Darfur", "SD", "region", 15.8, 25.0),
    ("South Darfur", "SD", "region", 11.8, 24.9), ("West Darfur", "SD", "region", 13.0, 22.5),
    ("Kordofan", "SD", "region", 13.0, 30.0), ("Tigray", "ET", "region", 14.0, 38.5),
    ("Amhara", "ET", "region", 11.6, 38.0), ("Oromia", "ET", "region", 7.5, 39.5),
    ("North Kivu", "CD", "region", -0.8, 29.0), ("South Kivu", "CD", "region", -3.0, 28.3),
    ("Ituri", "CD", "region", 1.6, 29.8), ("Cabo Delgado", "MZ", "region", -12.3, 39.5),
    ("Borno", "NG", "region", 11.9, 13.2), ("Idlib Governorate", "SY", "region", 35.9, 36.6),
    ("Deir ez-Zor Governorate", "SY", "region", 35.3, 40.1),
    ("Marib Governorate", "YE", "region", 15.5, 45.3),
    ("Hodeidah Governorate", "YE", "region", 14.8, 43.0),
    ("Rakhine State", "MM", "region", 19.8, 93.9), ("Shan State", "MM", "region", 21.5, 97.9),
    ("Sagaing Region", "MM", "region", 22.0, 95.3),
    ("Nagorno-Karabakh", "AZ", "region", 39.8, 46.7),
    ("South Lebanon", "LB", "region", 33.3, 35.4), ("Bekaa Valley", "LB", "region", 33.8, 36.0),
    ("Helmand", "AF", "region", 31.0, 64.0), ("Balochistan", "PK", "region", 28.5, 65.0),
    ("Kurdistan Region", "IQ", "region", 36.2, 44.0),
    ("Sinai Peninsula", "EG", "region", 29.5, 33.8),
    ("Anglophone regions", "CM", "region", 5.5, 9.8),
    ("Liptako-Gourma", "BF", "region", 14.0, 0.5), ("Ouest", "HT", "region", 18.5, -72.3),
    ("Ukraine", "UA", "country", 49.0, 32.0), ("Russia", "RU", "country", 55.75, 37.6),
    ("Syria", "SY", "country", 35.0, 38.5), ("Sudan", "SD", "country", 15.5, 30.0),
    ("South Sudan", "SS", "country", 7.0, 30.0), ("Yemen", "YE", "country", 15.5, 47.5),
    ("Lebanon", "LB", "country", 33.9, 35.9), ("Israel", "IL", "country", 31.5, 34.8),
    ("Iraq", "IQ", "country", 33.0, 44.0), ("Afghanistan", "AF", "country", 34.0, 66.0),
    ("Somalia", "SO", "country", 5.0, 46.0), ("Ethiopia", "ET", "country", 9.0, 39.5),
    ("Myanmar", "MM", "country", 21.0, 96.0), ("Mali", "ML", "country", 17.0, -4.0),
    ("Burkina Faso", "BF", "country", 12.3, -1.6), ("Niger", "NE", "country", 17.0, 8.0),
    ("Libya", "LY", "country", 27.0, 17.0), ("Haiti", "HT", "country", 19.0, -72.5),
    ("Armenia", "AM", "country", 40.2, 44.9), ("Azerbaijan", "AZ", "country", 40.4, 47.5),
    ("Democratic Republic of the Congo", "CD", "country", -2.9, 23.7),
    ("Central African Republic", "CF", "country", 6.6, 20.9),
    ("Chad", "TD", "country", 15.0, 19.0), ("Nigeria", "NG", "country", 9.1, 8.7),
    ("Mozambique", "MZ", "country", -18.7, 35.5), ("Colombia", "CO", "country", 4.6, -74.1),
    ("Pakistan", "PK", "country", 30.4, 69.3), ("Moldova", "MD", "country", 47.0, 28.9),
    ("Georgia", "GE", "country", 42.3, 43.4),
    ("Palestinian Territories", "PS", "country", 31.9, 35.2),
]  # fmt: skip
CONFLICT_COUNTRIES = sorted({code for _, code, _, _, _ in REGIONS})
CITY_RENAMES = {"Zaporizhzhya": "Zaporizhzhia", "Kiev": "Kyiv", "Odessa": "Odesa"}
CITIES_WANTED = 225

# Common English words first (Zipf ranks 1..), then conflict-news words; pseudo-words fill
# the tail. None of the controlled search words may appear here.
ENGLISH = """the of and to in a that on for was with as by at from said is were it its had
has have be are not but which after this they their an more been who two also over said
would than other about new one people some into there when up out against could three
while all last since week city area near during before under four region local forces
officials government military attack attacks troops killed wounded village town border
residents reported early late night morning day days hours month months year years report
state security war fighting front line lines strike strikes drone drones missile missiles
shelling artillery air defence power water food aid support says told added warned
according statement ministry spokesperson minister president army soldiers civilians
children women families homes buildings hospital hospitals school schools road roads bridge
bridges supply supplies convoy convoys fuel electricity heating winter summer damage damaged
destroyed repairs crews emergency services rescue rubble fire fires smoke debris shelter
shelters basement basements sirens alert alerts curfew checkpoint checkpoints corridor
evacuation evacuations talks negotiations envoy delegation agreement deal sanctions
prisoners exchange exchanges detained missing bodies graves investigation investigators
evidence witnesses satellite images footage video videos claims claimed denied confirmed
unverified sources independent journalists observers monitors mission peacekeepers camp
camps displaced refugees returnees host communities rations wheat grain flour bread prices
market markets currency inflation salaries wages jobs farmers harvest fields mines mined
demining explosive explosives ordnance unexploded cluster munitions tanks vehicles armoured
brigade battalion units positions trenches offensive counteroffensive advance advances
retreat withdrew withdrawal captured recaptured control controlled territory frontlines
outskirts suburbs district districts province provinces capital coast port ports ships
shipping vessels cargo railway station stations substation substations grid outages blackout
generators pumps pipes wells cholera measles clinics doctors nurses medicines vaccines
surgery patients injured casualties toll dead death deaths funerals mourners relatives
neighbours volunteers donors donations funding appeal appeals shortfall budget parliament
elections vote protest protests opposition rebels militia militias insurgents fighters
group groups factions commanders leaders council governor mayor administration authorities
police officers guards intelligence agency agencies analysts analysis experts research
survey data figures estimate estimates estimated least nearly almost about around roughly
dozens hundreds thousands millions overnight weekend monday tuesday wednesday thursday
friday saturday sunday january february march april may june july august september october
november december""".split()  # noqa: SIM905


def _pseudo_words(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    onsets = ["b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
              "br", "dr", "gr", "kr", "pr", "tr", "st", "sk", "sh", "ch", "th"]  # fmt: skip
    vowels = ["a", "e", "i", "o", "u", "ai", "ou", "ea", "io"]
    codas = ["", "", "", "n", "r", "l", "s", "t", "m", "nd", "rk", "st"]
    out: list[str] = []
    while len(out) < count:
        # Longer words further down the ranks, as in natural language.
        syllables = 1 + min(2, len(out) * 3 // max(count, 1)) + rng.randrange(2)
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        word += rng.choice(codas)
        if word not in taken and word not in CONTROLLED:
            taken.add(word)
            out.append(word)
    return out


# --- text generation --------------------------------------------------------------------


class _Vocabulary:
    """~4,000 words with Zipf(1) weights; the frequent words are the real, short ones."""

    def __init__(self, size: int = 4000) -> None:
        rng = random.Random(20220101)  # the vocabulary never depends on the seed
        words = list(dict.fromkeys(w for w in ENGLISH if w not in CONTROLLED))
        words += _pseudo_words(size - len(words), rng, set(words))
        self.words = words
        self.cum_weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(size)))
        self.total = self.cum_weights[-1]

    def sample(self, rng: random.Random, k: int) -> list[str]:
        words, cw, total, hi = self.words, self.cum_weights, self.total, len(self.words) - 1
        rnd = rng.random
        return [words[bisect(cw, rnd() * total, 0, hi)] for _ in range(k)]


CONFLICT_PHRASES = [
    "air defence units intercepted most of the incoming drones",
    "shelling continued through the night",
    "rescue crews searched the rubble for survivors",
    "the regional administration said repairs were under way",
    "residents spent the night in basements and metro stations",
    "the claims could not be independently verified",
    "the military did not comment on the report",
    "aid convoys were unable to reach the area",
    "power was cut to several districts",
    "schools switched to remote lessons",
    "the death toll is expected to rise",
    "local officials urged people to stay in shelters",
    "satellite images showed damage to the port",
    "hospitals were treating the wounded",
    "the front line has barely moved in months",
    "prices for bread and fuel have doubled",
]
COMMON_SENTENCES = [
    "The humanitarian situation in {place} remains dire, aid groups said.",
    "Agencies warned of a growing humanitarian crisis around {place}.",
    "A humanitarian convoy reached {place} on {weekday} after days of delays.",
    "Officials called for safe humanitarian access to {place}.",
    "The UN said its humanitarian appeal for {place} was badly underfunded.",
]
MEDIUM_SENTENCES = [
    "Talks on a ceasefire around {place} stalled again this week.",
    "A local ceasefire agreed on {weekday} was broken within hours, officials said.",
    "Mediators proposed a ceasefire to allow evacuations from {place}.",
]
RARE_SENTENCES = [
    "The strike also damaged a desalination plant that supplies {place} with drinking water.",
    "Engineers said the desalination station near {place} could be repaired within weeks.",
]
VERY_RARE_SENTENCES = [
    "Power cuts forced the hospital in {place} to ration dialysis sessions.",
    "Doctors in {place} said dialysis patients were being sent to other towns.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov",
          "Dec"]  # fmt: skip
TITLE_TEMPLATES = [
    "{event} in {place} leaves {n} {what}",
    "{event} hits {place} as {topic} worsens",
    "{place}: {n} {what} after overnight {event_l}",
    "Officials in {place} report {n} {what}",
    "{topic} in {place} deepens after {event_l}",
    "Residents of {place} count the cost of {event_l}",
]
EVENTS = ["Drone strike", "Missile attack", "Shelling", "Air raid", "Flooding",
          "Clashes", "Ambush", "Artillery fire", "Bombardment", "Raid"]  # fmt: skip
TOPICS = ["energy crisis", "displacement", "hunger", "water shortage", "fighting",
          "aid shortfall", "power outages", "insecurity"]  # fmt: skip
CUES = ["said", "said", "said", "told reporters", "warned", "added", "wrote", "stressed"]
CONTEXTS = [None, None, None, "at a briefing in Geneva", "on Telegram", "in a statement",
            "in an interview", "at a press conference", "on social media"]  # fmt: skip

# (metric, unit, noun phrase after the figure, subject, value range)
STAT_KINDS: list[tuple[str, str, str, str | None, int, int]] = [
    ("killed", "people", "people were killed", None, 1, 400),
    ("killed", "people", "civilians were killed", "civilians", 1, 200),
    ("injured", "people", "people were injured", None, 1, 600),
    ("injured", "people", "children were injured", "children", 1, 60),
    ("missing", "people", "people remain missing", None, 1, 300),
    ("detained", "people", "people were detained", None, 2, 500),
    ("hostages", "people", "hostages are still held", "hostages", 1, 250),
    ("displaced_internal", "people", "people have been displaced", None, 500, 2_000_000),
    ("refugees", "people", "refugees have crossed the border", "refugees", 200, 1_500_000),
    ("evacuated", "people", "residents were evacuated", "residents", 20, 50_000),
    ("without_power", "people", "people were left without power", None, 1_000, 2_000_000),
    ("without_power", "households", "households lost electricity", None, 500, 800_000),
    ("without_water", "people", "people have no running water", None, 1_000, 900_000),
    ("people_in_need", "people", "people need aid to survive", None, 10_000, 25_000_000),
    ("food_insecure", "people", "people face acute hunger", None, 10_000, 18_000_000),
    ("homes_destroyed", "homes", "homes were destroyed", None, 2, 5_000),
    ("homes_damaged", "homes", "homes were damaged", None, 5, 20_000),
    ("drones", "drones", "drones were launched overnight", None, 5, 700),
    ("missiles", "missiles", "missiles were fired", None, 1, 120),
]
QUALIFIERS: list[tuple[str, str]] = [
    ("exact", ""), ("exact", ""), ("approximately", "about "), ("approximately", "some "),
    ("over", "more than "), ("over", "over "), ("at_least", "at least "),
    ("nearly", "nearly "), ("nearly", "almost "), ("up_to", "up to "),
]  # fmt: skip
# Metric names are the registry's (app/extraction/lexicon/metrics.py); a test checks it.
PERCENT_KINDS = [
    ("energy_capacity_offline", "of the grid's capacity has been lost"),
    ("without_water", "of households have no safe water"),
    ("facilities_closed", "of hospitals are no longer functioning"),
]
USD_KINDS = [
    ("aid_amount", "in aid was pledged"),
    ("aid_amount", "is still missing from the UN appeal"),
    ("damage_cost", "will be needed for reconstruction"),
]
CITED_BY = ["the UN", "local officials", "the health ministry", "OCHA", "UNHCR",
            "the regional governor", "the World Food Programme", None, None, None]  # fmt: skip


def _figure(n: int) -> str:
    if n >= 1_000_000 and n % 100_000 == 0:
        return f"{n / 1_000_000:g} million"
    return f"{n:,}"


def _round_value(rng: random.Random, lo: int, hi: int) -> int:
    # Log-uniform, rounded like reporters round large numbers.
    n = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    for limit, step in ((1_000_000, 100_000), (10_000, 1_000), (1_000, 100), (100, 10)):
        if n >= limit and rng.random() < 0.8:
            return max(step, n // step * step)
    return max(n, lo)


@dataclass
class _Place:
    id: str
    name: str
    kind: str
    country_code: str
    latitude: float
    longitude: float


@dataclass
class _Speaker:
    id: str
    name: str
    organisation: str
    roles: list[str]


@dataclass
class _Directory:
    sources: list[tuple[str, str, str]]  # id, name, domain
    source_cw: list[float]
    places: list[_Place]
    place_cw: list[float]
    speakers: list[_Speaker]
    speaker_cw: list[float]
    authors: list[str]
    created: dict[str, int] = field(default_factory=dict)


def _table(model: Any) -> Table:
    return cast(Table, model.__table__)


def _zipf_cw(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** s for rank in range(n)))


def _pick(rng: random.Random, items: Sequence[Any], cw: Sequence[float]) -> Any:
    return items[bisect(cw, rng.random() * cw[-1], 0, len(items) - 1)]


# --- directory rows ---------------------------------------------------------------------


def _gazetteer_cities(rng: random.Random) -> list[tuple[str, str, str, float, float]]:
    data = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    wanted = set(CONFLICT_COUNTRIES)
    by_country: dict[str, list[tuple[str, str, str, float, float]]] = {}
    for name, code, lat, lon, population, *_ in data["cities"]:
        if code in wanted and population >= 20_000:
            by_country.setdefault(code, []).append(
                (CITY_RENAMES.get(name, name), code, "city", float(lat), float(lon))
            )
    # Most cities from the most reported conflicts, a few from the others.
    quota = {"UA": 60, "SY": 18, "SD": 14, "PS": 10, "IL": 10, "YE": 10, "LB": 8, "RU": 10}
    out: list[tuple[str, str, str, float, float]] = []
    for code in CONFLICT_COUNTRIES:
        cities = by_country.get(code, [])  # the gazetteer lists big cities first
        out += cities[: quota.get(code, 5)]
    rng.shuffle(out)
    return out[:CITIES_WANTED]


def _existing(conn: Connection, column: Any, id_column: Any, keys: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for i in range(0, len(keys), 500):
        chunk = keys[i : i + 500]
        rows = conn.execute(select(column, id_column).where(column.in_(chunk)))
        found.update((str(k), str(v)) for k, v in rows)
    return found


def _build_directory(conn: Connection, rng: random.Random, now: datetime) -> _Directory:
    created: dict[str, int] = {}

    # Sources: 40 fictional publishers with .example domains, Zipf-skewed output.
    names: list[str] = []
    pairs = list(itertools.product(SOURCE_WORDS_A, SOURCE_WORDS_B))
    rng.shuffle(pairs)
    names = [f"{a} {b}" for a, b in pairs[:40]]
    keys = [name_key(n) for n in names]
    have = _existing(conn, Source.name_key, Source.id, keys)
    rows = []
    sources: list[tuple[str, str, str]] = []
    for name, key in zip(names, keys, strict=True):
        domain = key.replace(" ", "-") + ".example"
        sid = have.get(key) or new_id("src")
        if key not in have:
            rows.append({"id": sid, "name": name, "name_key": key, "domain": domain,
                         "created_at": now, "updated_at": now})  # fmt: skip
        sources.append((sid, name, domain))
    if rows:
        conn.execute(insert(_table(Source)), rows)
    created["sources"] = len(rows)

    # Places: real conflict-zone cities from the gazetteer, plus regions and countries.
    specs = list(REGIONS) + _gazetteer_cities(rng)
    seen: set[str] = set()
    place_specs = []
    for spec in specs:
        key = f"{name_key(spec[0])}|{spec[1]}"
        if key not in seen:
            seen.add(key)
            place_specs.append((key, spec))
    rng.shuffle(place_specs)
    have = _existing(conn, Location.location_key, Location.id, [k for k, _ in place_specs])
    rows = []
    places: list[_Place] = []
    for key, (name, code, kind, lat, lon) in place_specs:
        lid = have.get(key) or new_id("loc")
        if key not in have:
            rows.append({"id": lid, "name": name, "name_key": name_key(name),
                         "location_key": key, "kind": kind, "country_code": code,
                         "latitude": round(lat, 4), "longitude": round(lon, 4),
                         "created_at": now, "updated_at": now})  # fmt: skip
        places.append(_Place(lid, name, kind, code, round(lat, 4), round(lon, 4)))
    if rows:
        conn.execute(insert(_table(Location)), rows)
    created["locations"] = len(rows)

    # Speakers: 2,000 fictional people, each with an organisation and one or two roles.
    people = [f"{f} {last}" for f in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(people)
    people = people[:2000]
    keys = [name_key(n) for n in people]
    have = _existing(conn, Speaker.name_key, Speaker.id, keys)
    rows = []
    speakers: list[_Speaker] = []
    for name, key in zip(people, keys, strict=True):
        org = rng.choice(ORGANISATIONS)
        roles = rng.sample(ROLES, 1 + (rng.random() < 0.3))
        spid = have.get(key) or new_id("spk")
        if key not in have:
            rows.append({"id": spid, "name": name, "name_key": key, "organisation": org,
                         "created_at": now, "updated_at": now})  # fmt: skip
        speakers.append(_Speaker(spid, name, org, roles))
    if rows:
        conn.execute(insert(_table(Speaker)), rows)
    created["speakers"] = len(rows)

    authors = [f"{f} {last}" for f in FIRST_NAMES[::2] for last in LAST_NAMES[1::3]]
    rng.shuffle(authors)
    return _Directory(
        sources=sources,
        source_cw=_zipf_cw(len(sources), 1.1),
        places=places,
        place_cw=_zipf_cw(len(places), 0.9),
        speakers=speakers,
        speaker_cw=_zipf_cw(len(speakers), 0.8),
        authors=authors[:400],
        created=created,
    )


# --- one article ------------------------------------------------------------------------


class _Bursts:
    """published_at: 65% spread evenly over the period, 35% in short bursts of news."""

    def __init__(self, rng: random.Random, count: int = 30) -> None:
        span = (END - START).total_seconds()
        self.span = span
        self.centres = [rng.uniform(0, span) for _ in range(count)]

    def sample(self, rng: random.Random) -> datetime:
        if rng.random() < 0.35:
            offset = rng.gauss(rng.choice(self.centres), 4 * 86400)
            offset = min(max(offset, 0.0), self.span - 1)
        else:
            offset = rng.uniform(0, self.span - 1)
        return START + timedelta(seconds=int(offset))


class _Body:
    """Accumulates body text and knows the offset of everything appended."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> int:
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start

    def text(self) -> str:
        return "".join(self.parts)


class _Generator:
    def __init__(self, rng: random.Random, directory: _Directory, now: datetime) -> None:
        self.rng = rng
        self.vocab = _Vocabulary()
        self.dir = directory
        self.bursts = _Bursts(rng)
        self.now = now

    def _words(self, lo: int, hi: int) -> str:
        rng = self.rng
        words = self.vocab.sample(rng, rng.randint(lo, hi))
        if rng.random() < 0.25:
            words.insert(rng.randrange(len(words) + 1), rng.choice(CONFLICT_PHRASES))
        return " ".join(words)

    def _sentence(self) -> str:
        text = self._words(7, 20)
        return text[0].upper() + text[1:] + "."

    def _quote(self, body: _Body, article_id: str, sort_at: datetime) -> dict[str, Any]:
        rng = self.rng
        sp: _Speaker = _pick(rng, self.dir.speakers, self.dir.speaker_cw)
        role = rng.choice(sp.roles)
        cue = rng.choice(CUES)
        context = rng.choice(CONTEXTS)
        inner = self._words(6, 18)
        ctx = f" {context}" if context else ""
        if rng.random() < 0.6:
            kind = "direct"
            text = inner[0].upper() + inner[1:]
            body.add("\u201c")
            start = body.add(text)
            body.add(f",\u201d {cue} {sp.name}, {role} at the {sp.organisation}{ctx}. ")
        else:
            kind = "indirect"
            text = inner
            body.add(f"{sp.name}, {role} at the {sp.organisation}, {cue}{ctx} that ")
            start = body.add(text)
            body.add(". ")
        return {
            "id": new_id("quo"), "article_id": article_id, "speaker_id": sp.id,
            "speaker_name": sp.name, "speaker_role": role, "text": text, "kind": kind, "cue": cue,
            "context": context, "span_start": start, "span_end": start + len(text),
            "sort_at": sort_at, "created_at": self.now, "updated_at": self.now,
        }  # fmt: skip

    def _statistic(
        self, body: _Body, article_id: str, sort_at: datetime, place: _Place
    ) -> dict[str, Any]:
        rng = self.rng
        value_max: int | None = None
        roll = rng.random()
        subject: str | None = None
        if roll < 0.08:
            metric, tail = rng.choice(PERCENT_KINDS)
            value, unit, qualifier = rng.randint(5, 90), "percent", "approximately"
            text = f"about {value} percent {tail}"
        elif roll < 0.14:
            metric, tail = rng.choice(USD_KINDS)
            value = rng.randint(2, 900) * 1_000_000
            unit, qualifier = "usd", "exact"
            text = f"${value // 1_000_000} million {tail}"
        else:
            metric, unit, tail, subject, lo, hi = rng.choice(STAT_KINDS)
            value = _round_value(rng, lo, hi)
            if rng.random() < 0.08 and value >= 10:
                qualifier = "exact"
                value_max = value + _round_value(rng, max(1, value // 10), max(2, value // 2))
                text = f"between {_figure(value)} and {_figure(value_max)} {tail}"
            else:
                qualifier, prefix = rng.choice(QUALIFIERS)
                text = f"{prefix}{_figure(value)} {tail}"
        cited = rng.choice(CITED_BY)
        lead = rng.choice(["", "Officials said ", "By evening, ", "In total, ", "Overall, "])
        if lead:
            sentence_head = lead
        else:
            text = text[0].upper() + text[1:]
            sentence_head = ""
        tail_txt = f" in {place.name}" + (f", according to {cited}" if cited else "") + "."
        sentence = sentence_head + text + tail_txt
        body.add(sentence_head)
        start = body.add(text)
        body.add(tail_txt + " ")
        return {
            "id": new_id("sta"), "article_id": article_id, "value": value,
            "value_max": value_max, "unit": unit, "metric": metric, "qualifier": qualifier,
            "subject": subject, "location": place.name, "location_id": place.id,
            "cited_by": cited, "text": text, "sentence": sentence, "span_start": start,
            "span_end": start + len(text), "sort_at": sort_at, "created_at": self.now,
            "updated_at": self.now,
        }  # fmt: skip

    def batch(self, n: int) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in _ORDER}
        for _ in range(n):
            self.article(out)
        return out

    def article(self, out: dict[str, list[dict[str, Any]]]) -> None:
        rng, d = self.rng, self.dir
        article_id = new_id("art")
        published = self.bursts.sample(rng)
        source_id, _name, domain = _pick(rng, d.sources, d.source_cw)

        n_places = rng.choice((1, 1, 2, 2, 3))
        places: list[_Place] = []
        while len(places) < n_places:
            p = _pick(rng, d.places, d.place_cw)
            if p not in places:
                places.append(p)
        primary = places[0]

        body = _Body()
        body.add(f"{primary.name.upper()}, {MONTHS[published.month - 1]} {published.day} \u2014 ")
        target_words = rng.randint(300, 600)
        slots = ["q"] * QUOTES_PER_ARTICLE + ["s"] * STATISTICS_PER_ARTICLE
        extra = []
        if rng.random() < COMMON_RATE:
            extra.append(rng.choice(COMMON_SENTENCES))
        if rng.random() < MEDIUM_RATE:
            extra.append(rng.choice(MEDIUM_SENTENCES))
        if rng.random() < RARE_RATE:
            extra.append(rng.choice(RARE_SENTENCES))
        if rng.random() < VERY_RARE_RATE:
            extra.append(rng.choice(VERY_RARE_SENTENCES))
        slots += extra
        # Quote and figure sentences take ~20 words each: filler makes up the rest.
        filler_sentences = max(4, (target_words - 20 * len(slots)) // 15)
        slots += ["f"] * filler_sentences
        rng.shuffle(slots)
        slots.insert(0, "f")

        quotes, stats = out["quote"], out["statistic"]
        sent_in_para = 0
        for slot in slots:
            if slot == "f":
                body.add(self._sentence() + " ")
            elif slot == "q":
                quotes.append(self._quote(body, article_id, published))
            elif slot == "s":
                place = places[0] if rng.random() < 0.6 else rng.choice(places)
                stats.append(self._statistic(body, article_id, published, place))
            else:
                place = rng.choice(places)
                body.add(slot.format(place=place.name, weekday=rng.choice(WEEKDAYS)) + " ")
            sent_in_para += 1
            if sent_in_para >= 3 and rng.random() < 0.35:
                # Paragraph break: every slot ends with a space; make it a blank line.
                body.parts[-1] = body.parts[-1][:-1] + "\n\n"
                body.length += 1
                sent_in_para = 0
        text = body.text().rstrip()

        mentions = {p.id: 1 for p in places}
        for p in places:
            mentions[p.id] = max(1, text.count(p.name))
        for i, p in enumerate(places):
            out["article_location"].append(
                {
                    "article_id": article_id,
                    "location_id": p.id,
                    "mentions": mentions[p.id],
                    "is_primary": i == 0,
                }
            )
        tags = rng.sample(TAGS, rng.choice((1, 2, 2, 3, 3, 4)))
        if any(MEDIUM_WORD in e for e in extra) and "negotiations" not in tags:
            tags.append("negotiations")
        for tag in tags:
            out["article_tag"].append({"article_id": article_id, "tag": tag})

        event = rng.choice(EVENTS)
        stat = stats[-1]
        title = rng.choice(TITLE_TEMPLATES).format(
            event=event, event_l=event.lower(), place=primary.name, n=_figure(int(stat["value"])),
            what=stat["metric"].replace("_", " "), topic=rng.choice(TOPICS),
        )  # fmt: skip
        title = title[0].upper() + title[1:]
        slug = "-".join(name_key(title).replace("'", "").split()[:8])
        url = f"https://{domain}/{published:%Y/%m/%d}/{slug}-{article_id[-12:]}"
        words = len(text.split())
        n_authors = rng.choice((0, 1, 1, 1, 2))
        out["article"].append(
            {
                "id": article_id, "title": title, "url": url, "canonical_url": url,
                "content_hash": hashlib.sha256(f"{article_id}\n{title}".encode()).hexdigest(),
                "source_id": source_id, "published_at": published, "sort_at": published,
                "language": "en", "authors": rng.sample(d.authors, n_authors),
                "read_time_minutes": max(1, round(words / 230)), "body": text,
                "word_count": words, "version": 1, "created_at": self.now,
                "updated_at": self.now,
            }
        )  # fmt: skip


# --- entry point ------------------------------------------------------------------------


def _bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert generated rows (every column given). PostgreSQL: one COPY, which costs the
    server a fraction of the ~80,000 single-row INSERTs per batch that executemany sends
    (~3x faster writes measured at 5,000 articles). SQLite: executemany, already in C."""
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), rows)
        return
    from psycopg.types.json import Jsonb

    columns = list(rows[0])
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    raw = conn.connection.driver_connection
    assert raw is not None
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([Jsonb(row[c]) if c in json_columns else row[c] for c in columns])


# SQLite's full-text index is filled by AFTER INSERT triggers, one FTS5 insert per row and
# segment merges as it grows: ~60% of the write time. The seeder drops those triggers, and
# puts them back, rebuilds the index in one pass and merges its segments at the end
# (whatever happens).
def _defer_full_text(conn: Connection) -> list[str]:
    """Drop the FTS5 insert triggers; returns the SQL that creates them again."""
    found = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
        + "("
        + ", ".join(f"'{t}_fts_ai'" for t in SEARCHED_TABLES)
        + ")"
    ).all()
    for name, _ in found:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return [sql for _, sql in found]


def _restore_full_text(conn: Connection, triggers: list[str]) -> None:
    for sql in triggers:
        conn.exec_driver_sql(sql)
    for name in SEARCHED_TABLES:
        conn.exec_driver_sql(f"INSERT INTO {name}_fts({name}_fts) VALUES ('rebuild')")
    # 'rebuild' still writes many segments (the articles' index at 1M took 52 s more to
    # merge): without the merge, each FTS5 probe of a date-index walk reads every segment.
    optimize_full_text(conn)


_ORDER = ("article", "article_tag", "article_location", "quote", "statistic")
_TABLES = {
    "article": _table(Article),
    "article_tag": _table(ArticleTag),
    "article_location": _table(ArticleLocation),
    "quote": _table(Quote),
    "statistic": _table(Statistic),
}


def seed(
    engine: Engine,
    articles: int,
    *,
    batch: int = 5000,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> SeedStats:
    """Write `articles` synthetic articles (with directory rows, tags, places, 5 quotes and
    5 statistics each) into an already-migrated database; one transaction per batch.
    `progress` is called with the number of articles written so far after each batch."""
    if articles < 0:
        raise ValueError("articles must be >= 0")
    batch = max(1, batch)
    started = time.perf_counter()
    rng = random.Random(seed)
    now = utcnow()
    counts = dict.fromkeys(_ORDER, 0)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # Bulk index maintenance wants a big page cache (default is 2 MB); reset after.
            previous = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
            conn.commit()
        deferred: list[str] = []
        extra: list[Connection] = []
        try:
            with conn.begin():
                directory = _build_directory(conn, rng, now)
                if sqlite:
                    deferred = _defer_full_text(conn)
            gen = _Generator(rng, directory, now)
            sizes = [min(batch, articles - i) for i in range(0, articles, batch)]
            writers = 1 if sqlite else PG_WRITERS
            idle: queue.SimpleQueue[Connection] = queue.SimpleQueue()
            idle.put(conn)
            for _ in range(writers - 1):
                extra.append(engine.connect())
                idle.put(extra[-1])

            def write(out: dict[str, list[dict[str, Any]]]) -> None:
                c = idle.get()
                try:
                    with c.begin():
                        for name in _ORDER:
                            if out[name]:
                                _bulk_insert(c, _TABLES[name], out[name])
                        # Core inserts bypass the ORM events that keep the read model.
                        read_model.refresh(c, [a["id"] for a in out["article"]])
                finally:
                    idle.put(c)

            # The next batch is generated in a thread while earlier ones are written: the
            # drivers release the GIL while the database works, so the two overlap on a
            # second core. On PostgreSQL two batches are written at once, by two server
            # processes (computing the tsvectors is most of the writing).
            with ThreadPoolExecutor(1) as generating, ThreadPoolExecutor(writers) as writing:
                pending = generating.submit(gen.batch, sizes[0]) if sizes else None
                inflight: deque[tuple[Future[None], dict[str, int]]] = deque()
                done = written = 0
                for i in range(len(sizes) + 1):
                    if i < len(sizes):
                        assert pending is not None
                        out = pending.result()
                        nxt = i + 1 < len(sizes)
                        pending = generating.submit(gen.batch, sizes[i + 1]) if nxt else None
                        sent = {name: len(rows) for name, rows in out.items()}
                        inflight.append((writing.submit(write, out), sent))
                        del out
                    while inflight and (len(inflight) >= writers or i == len(sizes)):
                        future, sent = inflight.popleft()
                        future.result()
                        for name in _ORDER:
                            counts[name] += sent[name]
                        done += sent["article"]
                        written += 1
                        if not sqlite and (written & (written - 1)) == 0:
                            # After batches 1, 2, 4, 8...: without fresh statistics
                            # (autovacuum may be off or behind) the planner seq-scans the
                            # growing tables.
                            with engine.connect() as c, c.begin():
                                c.exec_driver_sql("ANALYZE " + ", ".join(_ORDER))
                        if progress is not None:
                            progress(done)
            # The figure rollup, like the documents, is kept by ORM events these inserts skip.
            with conn.begin():
                rollups.rebuild(conn)
        finally:
            for c in extra:
                c.close()
            if deferred:
                conn.rollback()
                with conn.begin():
                    _restore_full_text(conn, deferred)
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql(f"PRAGMA cache_size={int(previous or -2000)}")
                conn.commit()
    return SeedStats(
        articles=counts["article"],
        quotes=counts["quote"],
        statistics=counts["statistic"],
        article_locations=counts["article_location"],
        article_tags=counts["article_tag"],
        sources_created=directory.created["sources"],
        speakers_created=directory.created["speakers"],
        locations_created=directory.created["locations"],
        seconds=time.perf_counter() - started,
    )
