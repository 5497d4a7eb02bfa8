"""The seed article must pass every criterion of shared/checks/seed_check.py, in process."""

from __future__ import annotations

import time

import pytest

from app.extraction import ExtractionResult, extract
from tests.extraction.helpers import assert_provenance, norm, seed_text


@pytest.fixture(scope="module")
def seed() -> ExtractionResult:
    result = extract(seed_text())
    assert_provenance(result)
    return result


def _seed_misses(out: ExtractionResult) -> tuple[list[str], int]:
    """Same criteria as shared/checks/seed_check.py, applied to an ExtractionResult."""
    misses: list[str] = []
    total = 0

    def need(cond: bool, what: str) -> None:
        nonlocal total
        total += 1
        if not cond:
            misses.append(what)

    body = out.body
    need((out.title or "").startswith("Umerov: Ukraine is fighting"), f"title {out.title!r}")
    need(norm(out.source) == "rks news", f"source {out.source!r}")
    need(out.read_time_minutes == 4, f"read time {out.read_time_minutes!r}")
    need(body.startswith("Russian forces carried out"), f"body starts {body[:40]!r}")
    for noise in ("Share this Post", "Leave a Comment", "Min Read", "RKS NEWS"):
        need(noise not in body, f"body holds {noise!r}")
    for q in (*out.quotes, *out.statistics):
        need(0 <= q.start < q.end <= len(body), f"bad offsets on {q.text[:40]!r}")
    direct = [q for q in out.quotes if q.kind == "direct"]
    indirect = [q for q in out.quotes if q.kind == "indirect"]
    gold_direct = [
        ("Ukraine is fighting to liberate all territories occupied by Russia", "umerov"),
        ("First and foremost, we are fighting for our values", "umerov"),
        ("We remain focused on protecting our people", "umerov"),
        ("We were in the shelter, waiting", "natalya"),
        ("A Shahed drone hit a building near a music school", "viachislav"),
        ("The real concern is whether the energy sector will be targeted again", "schmale"),
    ]
    for phrase, who in gold_direct:
        hit = [q for q in direct if norm(phrase) in norm(q.text)]
        if not hit:
            need(False, f"direct quote not found: {phrase[:40]!r}")
            continue
        name = norm(hit[0].speaker.name if hit[0].speaker else None)
        need(who in name, f"direct quote {phrase[:30]!r} attributed to {name!r}, want {who}")
    need(len(direct) == 6, f"{len(direct)} direct quotes, want 6")
    gold_indirect = [
        ("zelenskyy", "peace can only be achieved"),
        ("kiper", "maternity hospital"),
        ("ambassador", "open to negotiations"),
        ("schmale", "greater risk"),
        ("schmale", "65"),
    ]
    found = 0
    for who, phrase in gold_indirect:
        for q in indirect:
            sp = q.speaker
            label = norm(f"{sp.name} {sp.role}") if sp else ""
            if phrase in q.text and who in label:
                found += 1
                break
    need(found >= 4, f"indirect quotes attributed: {found}/5")
    stats = out.statistics

    def has(
        value: float,
        metric_words: list[str],
        qualifier: set[str] | None = None,
        unit: set[str] | None = None,
    ) -> bool:
        for s in stats:
            if abs(s.value - value) > 1e-6 * max(1, value):
                continue
            m = norm(s.metric)
            if metric_words and not any(w in m for w in metric_words):
                continue
            if qualifier and s.qualifier not in qualifier:
                continue
            if unit and norm(s.unit) not in unit:
                continue
            return True
        return False

    need(has(1, ["kill", "dead", "death"]), "1 killed")
    need(has(10, ["injur", "wound"]), "10 injured")
    need(has(3_600_000, ["displac"]), "3.6 million displaced")
    need(
        has(6_000_000, ["refugee", "fled", "displac"], {"over", "more_than", "at_least"}),
        "over 6 million fled",
    )
    need(
        has(
            65,
            ["energy", "power", "capacity"],
            {"approximately", "around", "about"},
            {"percent", ""},
        ),
        "around 65% energy",
    )
    need(
        any(s.qualifier == "vague" and "thousands" in norm(s.text) for s in stats),
        "vague thousands",
    )
    need(has(2.5, [], {"over", "more_than"}, {"years", "year"}), "over two and a half years")
    need(not any(norm(s.unit) in {"minutes", "minute"} for s in stats), "read time as stat")
    locs = repr(out.locations).lower()
    for place in ("odesa", "kyiv", "oslo", "geneva", "crimea"):
        need(place in locs, f"location missing: {place}")
    return misses, total


def test_seed_check_passes_fully(seed: ExtractionResult) -> None:
    misses, total = _seed_misses(seed)
    assert total >= 36
    assert misses == []


def test_seed_exact_details(seed: ExtractionResult) -> None:
    direct = [q for q in seed.quotes if q.kind == "direct"]
    by_text = {q.text[:20]: q for q in direct}
    umerov = by_text["Ukraine is fighting t"[:20]]
    assert umerov.speaker is not None
    assert umerov.speaker.name == "Rustem Umerov"
    assert umerov.speaker.role == "Defense Minister"
    assert umerov.context == "on Friday"
    oslo = next(q for q in direct if q.text.startswith("First and foremost"))
    assert oslo.context == "during a joint press conference with his Norwegian counterpart in Oslo"
    assert oslo.text.endswith("Territorial integrity is part of these values,")
    natalya = next(q for q in direct if q.text.startswith("We were in the shelter"))
    assert natalya.speaker is not None
    assert (natalya.speaker.name, natalya.speaker.role) == ("Natalya", "local resident")
    slava = next(q for q in direct if q.text.startswith("A Shahed"))
    assert slava.speaker is not None
    assert (slava.speaker.name, slava.speaker.role) == ("Viachislav", "resident")
    schmale = next(q for q in direct if q.text.startswith("The real concern"))
    assert schmale.speaker is not None
    assert schmale.speaker.name == "Matthias Schmale"
    assert schmale.speaker.role == "UN Humanitarian Coordinator in Ukraine"
    assert schmale.speaker.organisation == "UN"
    assert (schmale.cue, schmale.context) == ("told", "in Geneva")
    kiper = next(q for q in seed.quotes if "maternity hospital" in q.text)
    assert kiper.context == "on Telegram"
    assert kiper.speaker is not None
    assert kiper.speaker.name == "Oleh Kiper"
    names = {s.name for s in seed.speakers}
    assert "Umerov" not in names  # alias merged into the full name
    primary = [p for p in seed.locations if p.primary]
    assert [p.name for p in primary] == ["Odesa"]
    geneva = next(p for p in seed.locations if p.name == "Geneva")
    assert geneva.country_code == "CH"


def test_seed_statistics_details(seed: ExtractionResult) -> None:
    stats = {(s.value, s.metric): s for s in seed.statistics}
    refugees = stats[(6_000_000, "refugees")]
    assert (refugees.qualifier, refugees.unit) == ("over", "people")
    idp = stats[(3_600_000, "displaced_internal")]
    assert (idp.subject, idp.location, idp.qualifier) == ("Ukrainians", "Ukraine", "exact")
    energy = stats[(65, "energy_capacity_offline")]
    assert (energy.unit, energy.qualifier, energy.attributed_to) == (
        "percent",
        "approximately",
        "Matthias Schmale",
    )
    killed = stats[(1, "killed")]
    assert killed.location == "Odesa"
    years = stats[(2.5, "duration")]
    assert (years.unit, years.qualifier) == ("years", "over")
    assert not any(s.value in (2022, 2023) for s in seed.statistics)
    assert not any(s.value == 4 for s in seed.statistics)


def test_seed_extract_is_fast(seed: ExtractionResult) -> None:
    text = seed_text()
    extract(text)
    runs = 20
    t0 = time.perf_counter()
    for _ in range(runs):
        extract(text)
    per_call = (time.perf_counter() - t0) / runs
    assert per_call < 0.1  # loose guard; measured ≈ a few ms on the 2-core box
