"""The metric registry: one entry per metric, every metric the engine emits is registered."""

from __future__ import annotations

import re

import pytest

from app.extraction import analyse
from app.extraction.figures.terms import find_terms
from app.extraction.lexicon import metrics
from tests.extraction.helpers import TEXTS

CLASSES = {"killed", "injured", "missing", "detained", "displaced", "housing", "infrastructure",
           "needs", "military", "money", "time", "other"}  # fmt: skip
# names stored data and API filters already use: they must stay valid
STORED = {"killed", "injured", "missing", "detained", "hostages", "casualties",
          "displaced_internal", "refugees", "evacuated", "without_power", "without_heating",
          "without_water", "people_in_need", "food_insecure", "malnourished", "disease_cases",
          "trapped", "energy_capacity_offline", "facilities_closed", "buildings_damaged",
          "buildings_destroyed", "homes_damaged", "homes_destroyed", "schools_damaged",
          "schools_destroyed", "hospitals_damaged", "hospitals_destroyed", "villages_damaged",
          "villages_destroyed", "bridges_damaged", "bridges_destroyed", "aid_amount",
          "damage_cost", "amount", "duration", "drones", "missiles", "attacks", "bombs",
          "other"}  # fmt: skip


def test_registry_api() -> None:
    names = metrics.names()
    assert len(names) == len(set(names)) == len(metrics.METRICS)
    assert set(names) >= STORED
    assert set(metrics.classes()) <= CLASSES
    killed = metrics.get("killed")
    assert killed is not None
    assert (killed.metric_class, killed.unit, killed.nature) == ("killed", "people", "event")
    assert metrics.get("no_such_metric") is None
    assert {m.name for m in metrics.by_class("housing")} >= {"homes_destroyed", "homes_damaged"}


@pytest.mark.parametrize("entry", metrics.METRICS, ids=lambda m: m.name)
def test_entries_are_complete(entry: metrics.Metric) -> None:
    assert re.fullmatch(r"[a-z][a-z_]*", entry.name)
    assert entry.description
    assert "\n" not in entry.description
    assert entry.nature in ("event", "cumulative")
    assert entry.unit
    for term in entry.terms:
        assert term == term.lower()
        assert "  " not in term


def test_displacement_and_housing_names_show_their_class() -> None:
    """The name alone tells the family (downstream tools map names to classes by pattern)."""
    hints = {"displaced": r"displac|evacu|relocat|refugee|homeless|shelter|camp|stranded|return",
             "housing": r"home|building"}  # fmt: skip
    for cls, rx in hints.items():
        for m in metrics.by_class(cls):
            assert re.search(rx, m.name), m.name


def test_weapon_units_keep_their_metric_names() -> None:
    found = {s.metric for s in analyse("Jets dropped 12 bombs and fired 30 rockets.").statistics}
    assert found == {"bombs", "missiles"}


def test_terms_find_longest_match() -> None:
    hits = find_terms(
        ["they", "were", "forced", "to", "flee", "and", "later", "internally", "displaced"]
    )
    assert [(h.term, h.metrics) for h in hits] == [
        ("forced to flee|leave", ("displaced_internal",)),
        ("internally displaced", ("displaced_internal",)),
    ]
    shared = find_terms(["destroyed"])[0].metrics
    assert {"homes_destroyed", "buildings_destroyed", "schools_destroyed"} <= set(shared)


@pytest.mark.parametrize("path", sorted(TEXTS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_emitted_metric_is_registered(path) -> None:  # type: ignore[no-untyped-def]
    for st in analyse(path.read_text(encoding="utf-8")).statistics:
        assert metrics.get(st.metric) is not None, st.metric
