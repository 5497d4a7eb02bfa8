"""Statistics: figures with unit, metric, qualifier, subject, location and attribution.

Built on :mod:`app.extraction.numbers` (offset-preserving number spans). Per figure:

* **exclusions** — years ("in 2022", "2022 and 2023"), dates ("24 February"), clock times,
  ordinals ("24th"), ages ("a 45-year-old", "aged 45", "Natalya, 34,"), read times
  ("4 min read"), designations and references ("Su-25", "Resolution 2334", "page 4"), phone
  numbers, and pronoun "one" ("no one", "one of the");
* **unit** — from the noun that follows (people nouns → ``people``; homes, drones, missiles,
  years, ...), percent and currency markers; bare counts next to a people metric are ``people``;
* **metric** — the nearest metric keyword in the sentence (killed, injured, displaced, fled the
  country, without electricity, energy ... out of service, ...), or from the unit (time units →
  ``duration``; money + aid words → ``aid_amount``); otherwise ``other``. Small number words
  (< 10) with metric ``other`` are dropped as noise;
* **qualifier** — words before the figure (over/more than → over, around/about/some → approximately,
  at least, nearly/almost, up to/as many as; fewer/less than → up_to) or after it ("or more");
  vague amounts → ``vague``;
* **location** — nearest named place in the sentence, else a demonym's country, else the previous
  sentence of the paragraph; **attributed_to** — the speaker of the quote that covers it.
"""

from __future__ import annotations

import bisect

import regex

from app.extraction.numbers import NumberMatch, Token, find_numbers, tokenize
from app.extraction.places import PlaceMention
from app.extraction.sentences import Span
from app.extraction.types import ExtractedQuote, ExtractedStatistic

MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
          "jul", "aug", "sep", "sept", "oct", "nov", "dec"}  # fmt: skip
REFERENCE_WORDS = {"page", "pages", "section", "article", "chapter", "resolution", "no",
                   "number", "paragraph", "item", "route", "highway", "road", "flight",
                   "brigade", "battalion", "division", "regiment", "platform", "gate", "line",
                   "room", "block", "level", "grade", "phase", "stage", "round", "episode",
                   "part", "vol", "volume", "figure", "table", "category", "model", "unit",
                   "channel", "code", "street", "apartment", "house", "building", "ward", "bus",
                   "tel", "phone", "ext", "year", "class", "point", "points", "series",
                   "mark", "corps", "camp", "sector", "zone", "kilometre", "kilometer", "km",
                   "window", "top"}  # fmt: skip
TIME_WORDS = {"am", "pm", "a.m", "p.m", "gmt", "utc", "hrs", "o'clock", "o’clock", "cet", "est",
              "local"}  # fmt: skip
ONE_BEFORE = {
    "no",
    "any",
    "every",
    "each",
    "the",
    "this",
    "that",
    "which",
    "anyone",
    "someone",
    "only",
    "just",
    "at",
    "as",
    "not",
    "last",
    "first",
    "another",
    "such",
}
ONE_AFTER = {"of", "another", "day", "time", "point", "side", "hand", "way", "thing", "such",
             "who", "that", "which", "morning", "night", "evening", "afternoon",
             "moment", "more", "last", "step", "question", "issue", "reason"}  # fmt: skip
PEOPLE_NOUNS = set(
    [
        "people",
        "persons",
        "person",
        "civilians",
        "civilian",
        "residents",
        "resident",
        "children",
        "child",
        "kids",
        "women",
        "men",
        "soldiers",
        "soldier",
        "troops",
        "fighters",
        "refugees",
        "migrants",
        "patients",
        "workers",
        "staff",
        "journalists",
        "villagers",
        "inhabitants",
        "individuals",
        "victims",
        "others",
        "casualties",
        "prisoners",
        "detainees",
        "hostages",
        "students",
        "doctors",
        "nurses",
        "servicemen",
        "servicemembers",
        "members",
        "demonstrators",
        "protesters",
        "boys",
        "girls",
        "babies",
        "infants",
        "adults",
        "displaced",
        "ukrainians",
        "palestinians",
        "sudanese",
        "gazans",
        "israelis",
        "russians",
        "syrians",
        "civilians'",
        "newborns",
        "toddlers",
        "minors",
        "teenagers",
        "elderly",
        "pensioners",
        "personnel",
        "officers",
        "policemen",
        "police",
        "volunteers",
        "medics",
        "paramedics",
        "rescuers",
        "firefighters",
        "miners",
        "farmers",
        "teachers",
        "survivors",
        "evacuees",
        "asylum-seekers",
        "recruits",
        "conscripts",
        "militants",
        "combatants",
        "rebels",
        "insurgents",
        "captives",
        "employees",
        "passengers",
        "pilgrims",
        "worshippers",
        "fishermen",
        "herders",
        "nationals",
        "citizens",
        "rohingya",
    ]
)
UNIT_NOUNS = {
    "year": "years", "years": "years", "month": "months", "months": "months", "week": "weeks",
    "weeks": "weeks", "day": "days", "days": "days", "hour": "hours", "hours": "hours",
    "decade": "decades", "decades": "decades", "homes": "homes", "houses": "homes",
    "apartments": "homes", "dwellings": "homes", "shelters": "shelters", "buildings": "buildings",
    "drones": "drones", "uavs": "drones", "shaheds": "drones", "missiles": "missiles",
    "rockets": "missiles", "attacks": "attacks", "strikes": "attacks", "airstrikes": "attacks",
    "air-strikes": "attacks", "raids": "attacks", "megawatts": "megawatts", "mw": "megawatts",
    "gigawatts": "gigawatts", "gw": "gigawatts", "tonnes": "tonnes", "tons": "tonnes",
    "km": "km", "kilometres": "km", "kilometers": "km", "miles": "miles", "villages": "villages",
    "towns": "towns", "schools": "schools", "hospitals": "hospitals", "clinics": "clinics",
    "trucks": "trucks", "lorries": "trucks", "families": "families", "households": "households",
    "shells": "shells", "tanks": "tanks", "settlements": "settlements", "hectares": "hectares",
    "litres": "litres", "liters": "litres", "meals": "meals", "doses": "doses", "beds": "beds",
    "vehicles": "vehicles", "facilities": "facilities", "bridges": "bridges", "cases": "cases",
    "camps": "camps", "aircraft": "aircraft", "boats": "boats", "bombs": "bombs",
}  # fmt: skip
TIME_UNITS = {"years", "months", "weeks", "days", "hours", "decades"}
SKIP_BETWEEN = {
    "of",
    "more",
    "other",
    "additional",
    "further",
    "new",
    "local",
    "young",
    "than",
    "innocent",
    "unarmed",
    "ukrainian",
    "russian",
    "palestinian",
    "sudanese",
    "internally",
    "fellow",
    "elderly",
    "small",
    "civilian",
    "residential",
    "private",
    "damaged",
    "destroyed",
    "armed",
    "foreign",
    "displaced",
    "injured",
    "wounded",
    "its",
    "their",
    "the",
    "whom",
    "which",
    "and",
    "energy",
    "power",
    "heating",
    "water",
    "electricity",
    "health",
    "medical",
    "aid",
    "food",
    "attack",
    "kamikaze",
    "shahed",
    "ballistic",
    "cruise",
    "long-range",
    "russian-made",
    "iranian-made",
}
QUALIFIERS: list[tuple[tuple[str, ...], str]] = [
    (("more", "than"), "over"), (("in", "excess", "of"), "over"), (("upwards", "of"), "over"),
    (("just", "over"), "over"), (("well", "over"), "over"), (("over",), "over"),
    (("above",), "over"), (("exceeding",), "over"), (("at", "least"), "at_least"),
    (("no", "fewer", "than"), "at_least"), (("no", "less", "than"), "at_least"),
    (("a", "minimum", "of"), "at_least"), (("an", "estimated"), "approximately"),
    (("approximately",), "approximately"), (("around",), "approximately"),
    (("about",), "approximately"), (("roughly",), "approximately"),
    (("some",), "approximately"), (("estimated",), "approximately"),
    (("circa",), "approximately"), (("~",), "approximately"), (("close", "to"), "nearly"),
    (("just", "under"), "nearly"), (("nearly",), "nearly"), (("almost",), "nearly"),
    (("up", "to"), "up_to"), (("as", "many", "as"), "up_to"), (("as", "much", "as"), "up_to"),
    (("a", "maximum", "of"), "up_to"), (("fewer", "than"), "up_to"), (("less", "than"), "up_to"),
    (("under",), "up_to"), (("below",), "up_to"),
]  # fmt: skip
# metric keyword patterns: (words..., metric); a trailing "*" means prefix match
KEYWORDS: list[tuple[tuple[str, ...], str]] = [
    (("kill*",), "killed"), (("dead",), "killed"), (("died",), "killed"), (("die",), "killed"),
    (("death*",), "killed"), (("fatalities",), "killed"), (("lives",), "killed"),
    (("bodies",), "killed"), (("massacred",), "killed"), (("slain",), "killed"),
    (("injur*",), "injured"), (("wound*",), "injured"), (("hurt",), "injured"),
    (("missing",), "missing"), (("unaccounted",), "missing"), (("detain*",), "detained"),
    (("arrest*",), "detained"), (("abduct*",), "detained"), (("kidnap*",), "detained"),
    (("captured",), "detained"), (("imprisoned",), "detained"), (("hostage*",), "hostages"),
    (("casualties",), "casualties"), (("internally", "displaced"), "displaced_internal"),
    (("displaced",), "displaced_internal"), (("displacement",), "displaced_internal"),
    (("idps",), "displaced_internal"), (("uprooted",), "displaced_internal"),
    (("homeless",), "displaced_internal"), (("refugee*",), "refugees"),
    (("asylum",), "refugees"), (("fled",), "fled"), (("flee*",), "fled"),
    (("evacuat*",), "evacuated"), (("relocated",), "evacuated"),
    (("without", "heating"), "without_heating"), (("without", "heat"), "without_heating"),
    (("without", "electricity"), "without_power"), (("without", "power"), "without_power"),
    (("blackout*",), "without_power"), (("outage*",), "without_power"),
    (("lost", "power"), "without_power"), (("power", "cuts"), "without_power"),
    (("without", "water"), "without_water"), (("clean", "water"), "without_water"),
    (("in", "need"), "people_in_need"), (("need", "humanitarian"), "people_in_need"),
    (("need", "aid"), "people_in_need"), (("need", "assistance"), "people_in_need"),
    (("require", "assistance"), "people_in_need"), (("hunger",), "food_insecure"),
    (("famine",), "food_insecure"), (("starvation",), "food_insecure"),
    (("food", "insecurity"), "food_insecure"), (("food", "insecure"), "food_insecure"),
    (("malnourish*",), "malnourished"), (("malnutrition",), "malnourished"),
    (("cholera",), "disease_cases"), (("infected",), "disease_cases"),
    (("trapped",), "trapped"), (("besieged",), "trapped"), (("cut", "off"), "trapped"),
    (("stranded",), "trapped"), (("cross", "into"), "refugees"),
    (("crossed", "into"), "refugees"), (("crossed", "the", "border"), "refugees"),
]  # fmt: skip
ENERGY_WORDS = {
    "energy",
    "power",
    "generation",
    "generating",
    "electricity",
    "grid",
    "production",
    "capacity",
}
OFFLINE_WORDS = {"out", "offline", "destroyed", "damaged", "lost", "knocked", "disabled"}
AID_WORDS = {
    "needed",
    "need",
    "needs",
    "requires",
    "required",
    "relief",
    "emergency",
    "aid",
    "assistance",
    "funding",
    "package",
    "appeal",
    "pledge",
    "pledged",
    "donated",
    "donation",
    "donations",
    "humanitarian",
    "support",
    "grant",
    "loan",
    "funds",
}
DAMAGE_WORDS = {
    "damage",
    "damages",
    "reconstruction",
    "losses",
    "rebuild",
    "rebuilding",
    "recovery",
}
ABROAD_WORDS = {
    "country",
    "abroad",
    "border",
    "borders",
    "neighbouring",
    "neighboring",
    "across",
    "overseas",
    "europe",
}
PEOPLE_METRICS = {
    "killed",
    "injured",
    "missing",
    "detained",
    "hostages",
    "casualties",
    "displaced_internal",
    "refugees",
    "evacuated",
    "without_power",
    "without_heating",
    "without_water",
    "people_in_need",
    "food_insecure",
    "malnourished",
    "disease_cases",
}
PHONE_RE = regex.compile(
    r"\+\d[\d\s().\-]{6,20}\d|\(\d{2,5}\)\s?\d{3,4}[\s.\-]\d{3,4}|\b\d{3}[\s.\-]\d{3}[\s.\-]\d{4}\b"
)
SENT_TOKEN_CAP = 400


KW_BY_WORD: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _kw_pattern, _kw_metric in KEYWORDS:
    if not _kw_pattern[0].endswith("*"):
        KW_BY_WORD.setdefault(_kw_pattern[0], []).append((_kw_pattern, _kw_metric))
KW_PREFIXES = {p[0][:3] for p, _m in KEYWORDS if p[0].endswith("*")}


def _kw_match(toks: list[Token], i: int, pattern: tuple[str, ...]) -> bool:
    for off, w in enumerate(pattern):
        if i + off >= len(toks):
            return False
        low = toks[i + off].low
        if w.endswith("*"):
            if not low.startswith(w[:-1]):
                return False
        elif low != w:
            return False
    return True


class _Sentence:
    def __init__(self, body: str, span: Span) -> None:
        self.body = body
        self.span = span
        self.toks = tokenize(body, span.start, span.end)[:SENT_TOKEN_CAP]
        self.lows = [t.low for t in self.toks]
        self.kw: list[tuple[int, str]] = []
        for i, low in enumerate(self.lows):
            cands = KW_BY_WORD.get(low, [])
            if not cands and low[:3] in KW_PREFIXES:
                cands = KEYWORDS
            for pattern, metric in cands:
                if _kw_match(self.toks, i, pattern):
                    self.kw.append((i, metric))
                    break

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < len(self.lows) else ""


def _excluded(s: _Sentence, m: NumberMatch, phones: list[tuple[int, int]]) -> bool:
    toks = s.toks
    f, last = m.first_token, m.last_token
    prev, prev2 = s.low(f - 1), s.low(f - 2)
    nxt, nxt2 = s.low(last + 1), s.low(last + 2)
    raw = toks[f].text
    if any(a <= toks[f].start < b for a, b in phones):
        return True
    if m.vague or m.percent or m.currency:
        return False
    adj_next = last + 1 < len(toks) and toks[last].end == toks[last + 1].start
    if adj_next and nxt in ("st", "nd", "rd", "th"):
        return True  # ordinal
    if nxt in TIME_WORDS or (adj_next and nxt == ":" and s.low(last + 2)[:1].isdigit()):
        return True
    if prev == ":" and f > 0 and toks[f - 1].start == toks[f - 2].end if f > 1 else False:
        return True
    if nxt in MONTHS or prev in MONTHS or (prev == "." and prev2 in MONTHS):
        return True
    if nxt in ("-", "–") and nxt2.startswith(("year-old", "month-old", "week-old", "day-old")):
        return True
    if nxt2 == "old" and nxt in ("years", "year", "months", "weeks"):
        return True
    if nxt.startswith(("year-old", "month-old")) or prev in ("aged", "age", "ages"):
        return True
    if (
        nxt in UNIT_NOUNS
        and UNIT_NOUNS[nxt] in TIME_UNITS
        and nxt2 in ("later", "earlier", "ago", "afterwards", "before", "after")
    ):
        return True  # relative time: "two days later"
    if nxt in ("min", "mins", "minute", "minutes") and nxt2 == "read":
        return True
    if prev in REFERENCE_WORDS and not m.words and prev not in ("top",):
        return True
    if prev == "-" and f > 1 and toks[f - 1].start == toks[f - 2].end:
        return True  # designations: Su-25, F-16, Covid-19
    if f > 0 and toks[f - 1].end == toks[f].start and toks[f - 1].text[:1].isalpha():
        return True  # glued to a word: MH17, A320
    if prev == "," and nxt == "," and f > 1 and toks[f - 2].text[:1].isupper() and not m.words:
        return True  # age apposition: "Natalya, 34, said"
    if (
        not m.words
        and m.value_max is None
        and raw.isdigit()
        and len(raw) == 4
        and (1800 <= m.value <= 2100)
        and toks[last].text == raw
    ):
        noun = nxt if nxt not in SKIP_BETWEEN else nxt2
        if noun not in PEOPLE_NOUNS and noun not in UNIT_NOUNS:
            return True  # a year
    return (
        m.words
        and toks[f].low == "one"
        and m.value_max is None
        and last == f
        and (prev in ONE_BEFORE or nxt in ONE_AFTER)
    )


def _qualifier(s: _Sentence, m: NumberMatch) -> tuple[str, int]:
    """(qualifier, index of the first token of the qualifier phrase)."""
    if m.vague:
        return "vague", m.first_token
    f = m.first_token
    if s.low(f) in ("between", "from"):
        return "exact", f
    for words_, q in QUALIFIERS:
        n = len(words_)
        if f - n < 0:
            continue
        if tuple(s.lows[f - n : f]) == words_:
            return q, f - n
    nxt, nxt2 = s.low(m.last_token + 1), s.low(m.last_token + 2)
    if nxt == "or" and nxt2 == "more":
        return "at_least", f
    if nxt == "+" or nxt == "-plus" or (nxt == "-" and nxt2 == "plus"):
        return "over", f
    return "exact", f


def _unit_noun(s: _Sentence, m: NumberMatch) -> tuple[str | None, int | None]:
    """(unit noun, its token index) following the figure."""
    j = m.last_token + 1
    skipped = 0
    while j < len(s.toks) and skipped <= 3:
        low = s.lows[j]
        if low in PEOPLE_NOUNS or low in UNIT_NOUNS:
            return low, j
        if low in SKIP_BETWEEN or (low.endswith(("ian", "ese", "ish")) and skipped < 2):
            j += 1
            skipped += 1
            continue
        if (
            low.isalpha()
            and len(low) > 3
            and low.endswith("s")
            and not low.endswith(("ss", "us", "is"))
            and low not in NOT_NOUNS
        ):
            return low, j  # an unlisted plural noun: "14 areas", "40 tents"
        return None, None
    return None, None


def _nearest(s: _Sentence, m: NumberMatch, vocab: set[str]) -> int:
    best = 10**6
    for i, low in enumerate(s.lows):
        if low in vocab:
            d = m.first_token - i if i < m.first_token else i - m.last_token
            best = min(best, d)
    return best


def _metric(s: _Sentence, m: NumberMatch, unit: str, noun_idx: int | None) -> str:
    lows = set(s.lows)
    if m.percent and lows & ENERGY_WORDS and lows & OFFLINE_WORDS:
        return "energy_capacity_offline"
    if m.percent:
        of_noun = _noun_after_of(s, m.last_token) or (
            s.lows[noun_idx] if noun_idx is not None else None
        )
        if of_noun in FACILITY_NOUNS and (lows & CLOSED_WORDS):
            return "facilities_closed"
        if of_noun in ("homes", "houses", "buildings", "housing"):
            if lows & {"damaged", "hit", "struck"}:
                return "buildings_damaged"
            if lows & {"destroyed", "razed", "flattened"}:
                return "buildings_destroyed"
    if m.currency:
        aid, damage = _nearest(s, m, AID_WORDS), _nearest(s, m, DAMAGE_WORDS)
        if aid < 10**6 and aid <= damage:
            return "aid_amount"
        if damage < 10**6:
            return "damage_cost"
        return "amount"
    if unit in ("clinics", "hospitals", "schools", "facilities") and lows & CLOSED_WORDS:
        return "facilities_closed"
    if unit in TIME_UNITS:
        return "duration"
    if unit in ("megawatts", "gigawatts") and lows & OFFLINE_WORDS:
        return "energy_capacity_offline"
    anchor = m.first_token
    best: tuple[int, str] | None = None
    for idx, metric in s.kw:
        if m.first_token <= idx <= m.last_token:
            continue
        dist = anchor - idx if idx < anchor else idx - m.last_token
        lo, hi = (idx, anchor) if idx < anchor else (m.last_token, idx)
        if any(s.lows[x] in (",", ";", "—", "–") for x in range(lo, hi)):
            dist += 10  # a keyword in another clause counts less
        # a figure after the keyword's clause boundary counts less
        if best is None or dist < best[0]:
            best = (dist, metric)
    metric = best[1] if best is not None and best[0] <= 14 else "other"
    if unit in ("homes", "buildings", "schools", "hospitals", "villages", "bridges"):
        if lows & {"destroyed", "razed", "flattened"}:
            return f"{unit}_destroyed" if unit != "buildings" else "buildings_destroyed"
        if lows & {"damaged", "hit", "struck"}:
            return f"{unit}_damaged"
        return "other" if metric in PEOPLE_METRICS else metric
    if unit in ("drones", "missiles", "attacks", "shells", "bombs"):
        return unit if unit != "shells" else "attacks"
    if metric == "fled":
        tail = set(s.lows[m.last_token : m.last_token + 12])
        return "refugees" if tail & ABROAD_WORDS or "refugees" in lows else "displaced_internal"
    if unit not in ("people", "count", "families", "households", "percent") and (
        metric in PEOPLE_METRICS
    ):
        return "other"
    return metric


FACILITY_NOUNS = {"clinics", "hospitals", "schools", "facilities", "pharmacies", "bakeries"}
CLOSED_WORDS = {"closed", "shut", "service", "functioning", "non-functional", "functional"}
NOT_NOUNS = {
    "others",
    "has",
    "was",
    "does",
    "this",
    "its",
    "his",
    "hers",
    "theirs",
    "ours",
    "across",
    "less",
    "unless",
    "whereas",
    "various",
    "previous",
    "thus",
    "plus",
    "perhaps",
    "always",
    "sometimes",
    "besides",
    "towards",
    "afterwards",
    "as",
}


def _noun_after_of(s: _Sentence, j: int) -> str | None:
    if s.low(j + 1) != "of":
        return None
    k = j + 2
    while k < len(s.lows) and k - j < 6:
        low = s.lows[k]
        if low in FACILITY_NOUNS or low in UNIT_NOUNS or low in PEOPLE_NOUNS:
            return low
        if not low.isalpha():
            return None
        k += 1
    return None


def find_statistics(
    body: str,
    sents: list[Span],
    mentions: list[PlaceMention],
    quotes: list[ExtractedQuote],
    paras: list[Span],
    default_location: str | None = None,
) -> list[ExtractedStatistic]:
    """All statistics of ``body`` (offsets into it)."""
    out: list[ExtractedStatistic] = []
    m_starts = [pm.start for pm in mentions]
    q_sorted = sorted(quotes, key=lambda q: q.start)
    para_starts = [p.start for p in paras]
    prev_loc: tuple[int, str | None] = (-1, None)
    for sp in sents:
        if not any(ch.isdigit() for ch in body[sp.start : sp.end]) and not regex.search(
            r"(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
            r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen|"
            r"dozens|hundreds|thousands|millions|scores|half)\b",
            body[sp.start : sp.end],
        ):
            continue
        s = _Sentence(body, sp)
        phones = [
            (x.start() + sp.start, x.end() + sp.start)
            for x in PHONE_RE.finditer(body[sp.start : sp.end])
        ]
        para = bisect.bisect_right(para_starts, sp.start) - 1
        last_subject: str | None = None
        for m in find_numbers(body, s.toks):
            if _excluded(s, m, phones):
                continue
            qualifier, q_first = _qualifier(s, m)
            noun, noun_idx = _unit_noun(s, m)
            if m.percent:
                unit = "percent"
            elif m.currency:
                unit = m.currency
            elif noun in PEOPLE_NOUNS:
                unit = "people"
            elif noun is not None:
                unit = UNIT_NOUNS.get(noun, noun)
            else:
                unit = "count"
            metric = _metric(s, m, unit, noun_idx)
            if unit == "count" and metric in PEOPLE_METRICS:
                unit = "people"
            if (
                m.words
                and m.value < 10
                and m.value_max is None
                and metric == "other"
                and not m.percent
            ):
                continue  # "two dams", "three children": small word counts are noise
            subject: str | None = None
            if noun_idx is not None and unit == "people":
                subject = s.toks[noun_idx].text
                if subject.lower() in ("others", "other"):
                    subject = None
            elif unit == "people":
                subject = last_subject
            if unit == "people" and subject:
                last_subject = subject
            end_tok = m.last_token
            if noun_idx is not None and noun_idx - m.last_token <= 2:
                end_tok = noun_idx
            start = s.toks[q_first].start
            end = s.toks[end_tok].end
            location = _location(body, mentions, m_starts, sp, s.toks[m.first_token].start)
            if location is None and prev_loc[0] == para:
                location = prev_loc[1]
            if location is not None:
                prev_loc = (para, location)
            else:
                location = default_location
            out.append(
                ExtractedStatistic(
                    text=body[start:end],
                    value=_num(m.value),
                    value_max=_num(m.value_max) if m.value_max is not None else None,
                    unit=unit,
                    metric=metric,
                    qualifier=qualifier,
                    subject=subject,
                    location=location,
                    attributed_to=_speaker_for(q_sorted, sp, start),
                    sentence=body[sp.start : sp.end],
                    start=start,
                    end=end,
                )
            )
        _ = para
    return out


def _num(v: float) -> float:
    return float(int(v)) if v == int(v) else v


def _location(
    body: str, mentions: list[PlaceMention], starts: list[int], sp: Span, pos: int
) -> str | None:
    lo = bisect.bisect_left(starts, sp.start)
    hi = bisect.bisect_left(starts, sp.end)
    cands = mentions[lo:hi]
    if not cands:
        return None
    named = [c for c in cands if not c.demonym] or cands
    rank = {"city": 0, "region": 0, "country": 1}
    best = min(named, key=lambda c: (rank.get(c.entry.kind, 2), abs(c.start - pos)))
    return best.entry.name


def _speaker_for(quotes: list[ExtractedQuote], sp: Span, pos: int) -> str | None:
    covering = None
    for q in quotes:
        if q.start > sp.end:
            break
        if q.start <= pos < q.end and q.speaker is not None:
            return q.speaker.name
        if q.end > sp.start and q.start < sp.end and q.speaker is not None and covering is None:
            covering = q.speaker.name
    return covering
