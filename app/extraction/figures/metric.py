"""Which metric a figure reports: named rules over the figure's own clause.

Rules, in order (the first that finds an applicable reporting term wins):

* ``metric.object_of``: a term governs the figure from the left ("displaced about 2,700
  people", "forced the evacuation of 300", "the death toll has risen to 14", "damage to 200
  houses");
* ``metric.predicate``: the figure is the subject of a term to its right in its own clause,
  skipping an apposition ("Some 2,000 families, or 11,000 people, were displaced") and
  stopping at the next figure, so coordinated clauses keep their own verbs ("Two guards were
  killed and five villagers were wounded");
* ``metric.counted_noun``: the counted noun or its modifiers name it ("IDPs",
  "displacements", "evacuees", "displaced people");
* ``metric.label``: a short label before the figure ("Evacuated residents: 2,480");
* ``metric.sentence_nearest``: the nearest term elsewhere in the sentence that no other figure
  of the sentence took as its own.

A term applies only to a figure whose counted thing it can describe (the registry's ``counts``:
"destroyed" needs homes or buildings, "killed" needs people). Before those, ``metric.special``
rules handle percentages of energy capacity or of homes, money, time spans and weapons.
"""

from __future__ import annotations

from typing import NamedTuple

from app.extraction.figures.sentence import FigureSentence
from app.extraction.figures.terms import TermHit
from app.extraction.figures.units import Unit
from app.extraction.figures.vocab import (
    GLUE_WORDS,
    PEOPLE_NOUNS,
    TIME_UNITS,
    UNIT_KIND,
    UNIT_NOUNS,
    words,
)
from app.extraction.lexicon import metrics as registry
from app.extraction.numbers import NumberMatch

BRIDGE = words(
    "the of a an to for another additional further total some all nearly almost about around "
    "approximately roughly over least at more than up as many by has have had risen rose "
    "climbed reached stands stood increased jumped grew now already is was are were estimated "
    "been"
)
APPOSITION_START = words(
    "or including among of mostly mainly most many some about around nearly more who which half "
    "all both plus mainly among almost approximately roughly i.e"
)
CLAUSE_STOP = words(
    "; . ! ? but while whereas although though after before when because since amid following "
    "unless until"
)
PREDICATE_SPAN = 25
NEAREST_MAX = 14
NOUN_METRICS = {"lives": "killed", "detainees": "detained"}
ABROAD_WORDS = words(
    "country abroad border borders neighbouring neighboring across overseas europe"
)
ENERGY_WORDS = words("energy power generation generating electricity grid production capacity")
OFFLINE_WORDS = words("out offline destroyed damaged lost knocked disabled")
AID_WORDS = words(
    "needed need needs requires required relief emergency aid assistance funding package appeal "
    "pledge pledged donated donation donations humanitarian support grant loan funds"
)
DAMAGE_WORDS = words("damage damages reconstruction losses rebuild rebuilding recovery")
FACILITY_NOUNS = words("clinics hospitals schools facilities pharmacies bakeries")
CLOSED_WORDS = words("closed shut service functioning non-functional functional")
GROUP_NOUNS = words("groups batches convoys waves units increments")
CHANGE_WORDS = words(
    "increase increases rise rises decrease decreases decline drop drops jump fall reduction "
    "growth hike surge"
)
WEAPON_UNITS = {"drones": "drones", "missiles": "missiles", "attacks": "attacks",
                "shells": "attacks", "bombs": "bombs"}  # fmt: skip


class FigureContext(NamedTuple):
    """What the metric rules need to know about one figure."""

    m: NumberMatch
    q_first: int
    unit: Unit
    end_tok: int
    left_bound: int


class MetricChoice(NamedTuple):
    """A metric, the rule that chose it and the term it came from (None for special rules)."""

    metric: str
    rule: str
    hit: TermHit | None = None


def kind_of(unit: str) -> str:
    """The kind of counted thing of ``unit`` (what registry ``counts`` name)."""
    return UNIT_KIND.get(unit, unit)


def applicable(hit: TermHit, kind: str) -> str | None:
    """The first metric of ``hit`` that can describe a figure counting ``kind``."""
    for name in hit.metrics:
        entry = registry.get(name)
        if entry is not None and kind in entry.counts:
            return name
    return None


def _apposition_end(s: FigureSentence, j: int, figure_starts: set[int]) -> int | None:
    """Index after an apposition opening at ``j`` ("(some 900 people)", ", or 4,000 people,")."""
    opener = s.low(j)
    closer = {"(": ")", ",": ",", "—": "—", "–": "–", "-": "-"}.get(opener)
    if closer is None:
        return None
    nxt = s.low(j + 1)
    if not (nxt in APPOSITION_START or nxt[:1].isdigit() or (j + 1) in figure_starts):
        return None
    for k in range(j + 1, min(len(s.toks), j + 16)):
        if s.low(k) == closer:
            return k + 1
        if s.low(k) in (";", "."):
            return None
    return None


def object_of(s: FigureSentence, fig: FigureContext, kind: str) -> MetricChoice | None:
    """A term right before the figure, through bridge words and a comma-enclosed insert."""
    j, steps = fig.q_first - 1, 0
    while j >= fig.left_bound and steps <= 5:
        hit = s.term_at.get(j)
        if hit is not None:
            name = applicable(hit, kind)
            return MetricChoice(name, "metric.object_of", hit) if name else None
        low = s.lows[j]
        if low == ",":
            k = next((x for x in range(j - 1, max(fig.left_bound, j - 9) - 1, -1)
                      if s.lows[x] == ","), None)  # fmt: skip
            if k is None or s.low(k - 1) not in BRIDGE:
                return None
            j = k - 1
            continue
        if low not in BRIDGE:
            return None
        j -= 1
        steps += 1
    return None


def predicate(
    s: FigureSentence, fig: FigureContext, kind: str, figure_starts: set[int]
) -> MetricChoice | None:
    """The first applicable term to the right, in the figure's own clause."""
    j = fig.end_tok + 1
    after = _apposition_end(s, j, figure_starts)
    if after is not None:
        j = after
    stop = min(len(s.toks), j + PREDICATE_SPAN)
    while j < stop:
        if j in figure_starts or s.lows[j] in CLAUSE_STOP:
            return None
        hit = s.term_at.get(j)
        if hit is not None and hit.start == j:
            name = applicable(hit, kind)
            if name:
                return MetricChoice(name, "metric.predicate", hit)
            j = hit.end
        j += 1
    return None


def counted_noun(s: FigureSentence, fig: FigureContext, kind: str) -> MetricChoice | None:
    """The counted noun or a modifier before it is itself a term ("IDPs", "displaced")."""
    if fig.unit.noun is None:
        return None
    for j in (fig.unit.noun, *fig.unit.modifiers):
        low = s.lows[j]
        if low in NOUN_METRICS and j == fig.unit.noun:
            return MetricChoice(NOUN_METRICS[low], "metric.counted_noun")
        choice = _term_choice(s, j, kind, "metric.counted_noun")
        if choice is not None:
            return choice
    return None


def _term_choice(s: FigureSentence, j: int, kind: str, rule: str) -> MetricChoice | None:
    """The metric of the term at token ``j``, when one applies to a figure of this kind."""
    hit = s.term_at.get(j)
    if hit is None:
        return None
    name = applicable(hit, kind)
    return MetricChoice(name, rule, hit) if name else None


def label_unit(s: FigureSentence, fig: FigureContext) -> str | None:
    """The counted noun of a short label before the figure ("Damaged houses: 300")."""
    if fig.unit.unit != "count" or not _is_label(s, fig):
        return None
    for j in range(fig.left_bound, fig.q_first):
        low = s.lows[j]
        if low in PEOPLE_NOUNS:
            return "people"
        if low in UNIT_NOUNS:
            return UNIT_NOUNS[low]
    return None


def _is_label(s: FigureSentence, fig: FigureContext) -> bool:
    n = fig.q_first - fig.left_bound
    return fig.left_bound == 0 and 0 < n <= 6 and not any(c.isdigit() for c in s.lows[0][:1])


def label(s: FigureSentence, fig: FigureContext, kind: str) -> MetricChoice | None:
    """A term in a short label that opens the sentence ("Evacuated residents: 2,480")."""
    if not _is_label(s, fig):
        return None
    for j in range(fig.q_first - 1, fig.left_bound - 1, -1):
        choice = _term_choice(s, j, kind, "metric.label")
        if choice is not None:
            return choice
    return None


def sentence_nearest(
    s: FigureSentence, fig: FigureContext, kind: str, owned: set[int]
) -> MetricChoice | None:
    """The nearest applicable term of the sentence that another figure did not take."""
    best: tuple[int, str, TermHit] | None = None
    m = fig.m
    for hit in s.terms:
        if hit.start in owned or m.first_token <= hit.start <= m.last_token:
            continue
        name = applicable(hit, kind)
        if name is None:
            continue
        if hit.start < m.first_token:
            lo, hi, dist = hit.end, m.first_token, m.first_token - hit.end
        else:
            lo, hi, dist = m.last_token, hit.start, hit.start - m.last_token
        if any(s.lows[x] in (",", ";", "—", "–") for x in range(lo, hi)):
            dist += 10  # a term in another clause counts less
        if best is None or dist < best[0]:
            best = (dist, name, hit)
    if best is None or best[0] > NEAREST_MAX:
        return None
    return MetricChoice(best[1], "metric.sentence_nearest", best[2])


def _of_noun(s: FigureSentence, j: int) -> str | None:
    if s.low(j + 1) != "of":
        return None
    for k in range(j + 2, min(len(s.lows), j + 6)):
        low = s.lows[k]
        if low in FACILITY_NOUNS or low in UNIT_NOUNS or low in PEOPLE_NOUNS:
            return low
        if not low.isalpha():
            return None
    return None


def _share_of_counted(s: FigureSentence, j: int) -> bool:
    """ "47 per cent of the displaced (people)": a breakdown of a counted group, not its size."""
    if s.low(j + 1) != "of":
        return False
    k = j + 2
    if s.low(k) in ("the", "all", "these", "those"):
        k += 1
    for x in range(k, min(k + 3, len(s.lows))):
        hit = s.term_at.get(x)
        if hit is not None:
            return hit.start == x
        if not s.lows[x].isalpha() or s.lows[x] in GLUE_WORDS:
            return False
    return False


def special(s: FigureSentence, fig: FigureContext) -> MetricChoice | None:
    """Percent of energy capacity / homes / facilities, money, time spans, weapons."""
    m, unit = fig.m, fig.unit.unit
    lows = s.low_set
    if s.low(fig.q_first - 1) == "of" and s.low(fig.q_first - 2) in GROUP_NOUNS:
        return MetricChoice("other", "metric.special.group_size")  # "in groups of 20"
    if m.percent:
        if s.low(m.last_token + 1) in CHANGE_WORDS:
            return MetricChoice("other", "metric.special.change")  # "a 40 per cent rise in"
        if _share_of_counted(s, m.last_token):
            return MetricChoice("other", "metric.special.breakdown")  # "30% of the IDPs are"
        if lows & ENERGY_WORDS and lows & OFFLINE_WORDS:
            return MetricChoice("energy_capacity_offline", "metric.special.energy")
        noun = _of_noun(s, m.last_token)
        if noun in FACILITY_NOUNS and lows & CLOSED_WORDS:
            return MetricChoice("facilities_closed", "metric.special.facilities")
        if noun in ("homes", "houses", "buildings", "housing"):
            if lows & {"damaged", "hit", "struck"}:
                return MetricChoice("buildings_damaged", "metric.special.housing_share")
            if lows & {"destroyed", "razed", "flattened"}:
                return MetricChoice("buildings_destroyed", "metric.special.housing_share")
        return None
    if m.currency:
        aid, damage = _nearest_word(s, m, AID_WORDS), _nearest_word(s, m, DAMAGE_WORDS)
        if aid is not None and (damage is None or aid <= damage):
            return MetricChoice("aid_amount", "metric.special.money")
        return MetricChoice("damage_cost" if damage is not None else "amount",
                            "metric.special.money")  # fmt: skip
    if unit in ("clinics", "hospitals", "schools", "facilities") and lows & CLOSED_WORDS:
        return MetricChoice("facilities_closed", "metric.special.facilities")
    if unit in TIME_UNITS:
        return MetricChoice("duration", "metric.special.duration")
    if unit in ("megawatts", "gigawatts") and lows & OFFLINE_WORDS:
        return MetricChoice("energy_capacity_offline", "metric.special.energy")
    if unit in WEAPON_UNITS:
        return MetricChoice(WEAPON_UNITS[unit], "metric.special.weapons")
    return None


def _nearest_word(s: FigureSentence, m: NumberMatch, vocab: frozenset[str]) -> int | None:
    best: int | None = None
    for i, low in enumerate(s.lows):
        if low in vocab:
            d = m.first_token - i if i < m.first_token else i - m.last_token
            best = d if best is None else min(best, d)
    return best


def own_clause(
    s: FigureSentence, fig: FigureContext, figure_starts: set[int]
) -> MetricChoice | None:
    """The metric from the figure's own clause (special, object, predicate, noun, label)."""
    found = special(s, fig)
    if found is not None:
        return found
    kind = kind_of(fig.unit.unit)
    return (
        object_of(s, fig, kind)
        or predicate(s, fig, kind, figure_starts)
        or counted_noun(s, fig, kind)
        or label(s, fig, kind)
    )


def refine(s: FigureSentence, fig: FigureContext, choice: MetricChoice) -> MetricChoice:
    """ "fled" with the border or abroad in view means refugees (``metric.fled_abroad``)."""
    hit = choice.hit
    if choice.metric != "displaced_internal" or hit is None:
        return choice
    if not hit.term.startswith(("fled", "flee")):
        return choice
    tail = set(s.lows[hit.start : hit.end + 12])
    if tail & ABROAD_WORDS or "refugees" in s.lows:
        return MetricChoice("refugees", choice.rule + "+metric.fled_abroad", hit)
    return choice
