"""The metric registry: every metric a figure can have, in one place.

Extraction (the figure stage), the API's filter descriptions and validation, the README and the
demo/synthetic data all read this table, so a metric is added or described here and nowhere
else. Each :class:`Metric` has

* ``name``: the stable identifier stored with a figure (``killed``, ``evacuated``, ...);
* ``metric_class``: the family it belongs to (``killed``, ``injured``, ``missing``,
  ``detained``, ``displaced``, ``housing``, ``infrastructure``, ``needs``, ``military``,
  ``money``, ``time``, ``other``);
* ``description``: one line for API docs;
* ``terms``: the reporting terms that signal it (see *Term syntax*);
* ``counts``: the kinds of counted thing the metric applies to (``people`` covers people,
  families and households; ``homes``, ``buildings``, ... for damage to structures);
* ``unit``: the default unit of its figures;
* ``nature``: ``event`` (a count of what happened in one incident: killed in an attack) or
  ``cumulative`` (a stock or running total: people displaced as of a date).

Term syntax: words separated by spaces, matched against lower-cased tokens; ``a|b`` is either
word, a trailing ``*`` is a prefix. Terms are general knowledge of how English news and
humanitarian monitoring (OCHA, IDMC, IOM-DTM, ACLED-style casualty reporting) name what they
count, never phrases from a particular text.

Public API: :data:`METRICS` (a tuple, in registry order), :func:`get` (a name to its entry or
``None``), :func:`names` (all names), :func:`classes` (all classes) and :func:`by_class`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Nature = Literal["event", "cumulative"]
PEOPLE = ("people", "percent")
POSS = "their|his|her|its|our|the"
HOME_NOUNS = "home|homes|house|houses|dwelling|dwellings"
CAMP_KINDS = "relief|idp|displacement|transit|temporary|makeshift|tent|refugee|protection"


@dataclass(frozen=True, slots=True)
class Metric:
    """One registry entry (see the module docstring for the fields)."""

    name: str
    metric_class: str
    description: str
    terms: tuple[str, ...] = ()
    counts: tuple[str, ...] = PEOPLE
    unit: str = "people"
    nature: Nature = "event"


def _m(
    name: str,
    metric_class: str,
    description: str,
    terms: tuple[str, ...] = (),
    counts: tuple[str, ...] = PEOPLE,
    unit: str = "people",
    nature: Nature = "event",
) -> Metric:
    return Metric(name, metric_class, description, terms, counts, unit, nature)


DESTROYED_TERMS = (
    "destroy*", "destruction", "razed", "flattened", "levelled|leveled", "collapsed",
    "collapse", "buried", "washed|swept away", "reduced to rubble|ashes", "burned|burnt down",
    "burnt|torched", "uninhabitable", "totally|completely|fully damaged", "gutted",
)  # fmt: skip
DAMAGED_TERMS = (
    "damag*", "hit", "struck", "partially|partly destroyed", "flooded", "inundated",
    "submerged", "cracked", "shelled",
)  # fmt: skip


def _structure(noun: str, label: str) -> tuple[Metric, Metric]:
    return (
        _m(f"{noun}_destroyed", "housing" if noun in ("homes", "buildings") else "infrastructure",
           f"{label} destroyed or made uninhabitable", DESTROYED_TERMS, (noun,), noun),
        _m(f"{noun}_damaged", "housing" if noun in ("homes", "buildings") else "infrastructure",
           f"{label} damaged", DAMAGED_TERMS, (noun,), noun),
    )  # fmt: skip


METRICS: tuple[Metric, ...] = (
    # casualties
    _m("killed", "killed", "People killed (deaths, fatalities, bodies found)",
       ("kill*", "dead", "died", "die", "dies", "death*", "fatalities", "fatality",
        "bodies", "massacred", "slain", "perished", "murdered", "executed", "drowned",
        "toll", "shot dead", "lost " + POSS + " lives|life")),
    _m("injured", "injured", "People injured or wounded",
       ("injur*", "wound*", "hurt", "maimed")),
    _m("casualties", "killed", "Casualties: killed and injured counted together",
       ("casualties",)),
    _m("missing", "missing", "People missing or unaccounted for", ("missing", "unaccounted")),
    _m("detained", "detained", "People detained, arrested or imprisoned",
       ("detain*", "arrest*", "captured", "imprisoned", "jailed")),
    _m("abducted", "detained", "People abducted or kidnapped", ("abduct*", "kidnap*")),
    _m("hostages", "detained", "People held hostage", ("hostage*",)),
    # displacement
    _m("displaced_internal", "displaced",
       "People displaced within their country (IDPs, forced to flee, driven from their homes)",
       ("internally displaced", "displaced", "displacement*", "displacing", "idps", "idp",
        "uprooted", "forced to flee|leave", "forced out|from", "driven out|from",
        "fled", "flee*", "left " + POSS + " " + HOME_NOUNS + "|villages|town|city",
        "abandoned " + POSS + " " + HOME_NOUNS + "|villages", "escaped", "moved away|out",
        "from|out " + POSS + " " + HOME_NOUNS, "out of " + POSS + " " + HOME_NOUNS),
       nature="cumulative"),
    _m("refugees", "displaced", "Refugees and asylum seekers: people who fled abroad",
       ("refugee*", "asylum", "cross|crossed|crossing into", "crossed the border",
        "fled abroad"), nature="cumulative"),
    _m("evacuated", "displaced", "People (or homes) evacuated",
       ("evacuat*", "evacuees", "moved|taken|brought to safety|safer"),
       counts=("people", "percent", "homes")),
    _m("relocated", "displaced", "People relocated or resettled by authorities",
       ("relocat*", "resettled"), counts=("people", "percent", "homes")),
    _m("sheltered", "displaced",
       "People in shelters, evacuation centres or staying with host families",
       ("shelter*", "took|taken|sought|seek|seeking|find|found refuge",
        "staying|stayed|living|lived with host|relatives|friends",
        "host families", "evacuation centres|centers|sites", "collective centres|centers|sites",
        "accommodation centres|centers|sites", "temporary accommodation", "accommodated",
        "housed"), nature="cumulative"),
    _m("in_relief_camps", "displaced", "People living in relief or displacement camps",
       ("in|inside|into camp|camps", "in|inside|into " + CAMP_KINDS + " camp|camps",
        "in|inside|into the|a " + CAMP_KINDS + " camp|camps", "relief camps", "idpcamps"),
       nature="cumulative"),
    _m("homeless", "displaced", "People left homeless or without shelter",
       ("homeless", "homelessness", "lost " + POSS + " " + HOME_NOUNS, "without shelter"),
       nature="cumulative"),
    _m("stranded", "displaced", "People stranded away from home", ("stranded",)),
    _m("displacement_returns", "displaced",
       "Displaced people returning to their homes or areas of origin (returnees)",
       ("returned", "returning", "returnees", "return"), nature="event"),
    _m("shelter_needs", "needs", "People in need of shelter",
       ("need|needs|needed of|for shelter", "need|needs|needed of|for emergency shelter",
        "need|needs|needed emergency shelter", "in need of|for shelter",
        "in need of|for emergency shelter"), nature="cumulative"),
    _m("trapped", "needs", "People trapped, besieged or cut off",
       ("trapped", "besieged", "cut off"), nature="cumulative"),
    # needs and services
    _m("without_power", "infrastructure", "People or homes without electricity",
       ("without electricity|power", "blackout*", "outage*", "lost power", "power cuts"),
       counts=("people", "percent", "homes"), nature="cumulative"),
    _m("without_heating", "infrastructure", "People or homes without heating",
       ("without heating|heat",), counts=("people", "percent", "homes"), nature="cumulative"),
    _m("without_water", "infrastructure", "People without (clean) water",
       ("without water", "clean water"), nature="cumulative"),
    _m("people_in_need", "needs", "People in need of humanitarian assistance",
       ("in need", "need humanitarian|aid|assistance", "require assistance"),
       nature="cumulative"),
    _m("food_insecure", "needs", "People facing hunger or food insecurity",
       ("hunger", "famine", "starvation", "food insecurity|insecure"), nature="cumulative"),
    _m("malnourished", "needs", "People (often children) malnourished",
       ("malnourish*", "malnutrition"), nature="cumulative"),
    _m("disease_cases", "needs", "Cases of disease (cholera, infections)",
       ("cholera", "infected"), nature="cumulative"),
    # structures
    *_structure("homes", "Homes (houses, apartments, dwellings)"),
    *_structure("buildings", "Buildings"),
    *_structure("schools", "Schools"),
    *_structure("hospitals", "Hospitals"),
    *_structure("villages", "Villages"),
    *_structure("bridges", "Bridges"),
    _m("facilities_closed", "infrastructure", "Clinics, hospitals or schools closed",
       ("closed", "shut", "out of service", "not functioning", "non-functional"),
       counts=("facilities", "percent"), unit="facilities", nature="cumulative"),
    _m("energy_capacity_offline", "infrastructure",
       "Share or amount of energy generation capacity out of service", (),
       counts=("percent", "megawatts", "gigawatts"), unit="percent", nature="cumulative"),
    # military
    _m("drones", "military", "Drones launched or shot down", (), ("drones",), "drones"),
    _m("missiles", "military", "Missiles or rockets fired", (), ("missiles",), "missiles"),
    _m("attacks", "military", "Attacks, strikes, raids or shells", (), ("attacks",), "attacks"),
    _m("bombs", "military", "Bombs dropped or found", (), ("attacks",), "bombs"),
    # money and time
    _m("aid_amount", "money", "Aid, funding or assistance pledged or needed", (),
       ("money",), "usd"),
    _m("damage_cost", "money", "Cost of damage, losses or reconstruction", (), ("money",), "usd"),
    _m("amount", "money", "Another amount of money", (), ("money",), "usd"),
    _m("duration", "time", "A length of time (years, months, days)", (), ("time",), "years"),
    _m("other", "other", "A figure whose counted thing is not in the registry", (),
       (), "count"),
)  # fmt: skip

_BY_NAME = {m.name: m for m in METRICS}


def get(name: str) -> Metric | None:
    """The entry named ``name``, or ``None`` for an unknown name."""
    return _BY_NAME.get(name)


def names() -> tuple[str, ...]:
    """Every metric name, in registry order."""
    return tuple(_BY_NAME)


def classes() -> tuple[str, ...]:
    """Every metric class, in order of first use."""
    return tuple(dict.fromkeys(m.metric_class for m in METRICS))


def by_class(metric_class: str) -> tuple[Metric, ...]:
    """The entries of one class."""
    return tuple(m for m in METRICS if m.metric_class == metric_class)
