"""Original fictional conflict reports (tests/extraction/texts/) with exact expectations."""

from __future__ import annotations

from functools import cache

from app.extraction import ExtractionResult, extract
from tests.extraction.helpers import (
    TEXTS,
    assert_provenance,
    quote_with,
    speaker_name,
    stat_with,
)


@cache
def run(name: str) -> ExtractionResult:
    result = extract((TEXTS / name).read_text(encoding="utf-8"))
    assert_provenance(result)
    return result


def places(r: ExtractionResult) -> dict[str, tuple[str, str | None]]:
    return {p.name: (p.kind, p.country_code) for p in r.locations}


def primary(r: ExtractionResult) -> str:
    return next(p.name for p in r.locations if p.primary)


# --- Sudan: header metadata, colon-introduced quote, interrupted quote, ranges -------------
def test_sudan_metadata_and_body() -> None:
    r = run("sudan-el-fasher.txt")
    assert r.title == "Hospital in besieged Sudanese city struggles as shelling intensifies"
    assert r.source == "Horn Monitor"
    assert r.read_time_minutes == 6
    assert r.authors == ("Amina Yusuf", "Peter Lang")
    assert r.published_at is not None
    assert r.published_at.isoformat() == "2025-03-12T00:00:00+00:00"
    assert r.body.startswith("Artillery fire hit")
    for noise in ("Share on Facebook", "Related Articles", "Subscribe", "6 min read"):
        assert noise not in r.body
    assert "\n\n\n" not in r.body


def test_sudan_quotes() -> None:
    r = run("sudan-el-fasher.txt")
    q = quote_with(r, "We have no anaesthetic left")
    assert q.speaker is not None
    assert (q.speaker.name, q.speaker.role) == ("Hassan Adam", "director of the hospital")
    assert (q.cue, q.context) == ("told", "by phone")
    # interrupted quote: one quote per piece, both to the pronoun's antecedent
    a = quote_with(r, "Every night the shells come closer")
    b = quote_with(r, "Yesterday one of them landed")
    assert speaker_name(a) == speaker_name(b) == "Hassan Adam"
    # surname-only attribution takes the full name given earlier
    c = quote_with(r, "We walked for three days")
    assert c.speaker is not None
    assert (c.speaker.name, c.speaker.role) == ("Mariam Ishaq", "teacher")
    un = quote_with(r, "1.5 million people are trapped", kind="indirect")
    assert speaker_name(un) == "United Nations"
    assert un.cue == "according to"
    wfp = quote_with(r, "famine conditions had spread", kind="indirect")
    assert speaker_name(wfp) == "World Food Programme"
    assert len([x for x in r.quotes if x.kind == "direct"]) == 4


def test_sudan_statistics() -> None:
    r = run("sudan-el-fasher.txt")
    killed = stat_with(r, 40, "killed")
    assert (killed.qualifier, killed.unit, killed.location) == ("at_least", "people", "El Fasher")
    wounded = stat_with(r, 20, "injured")
    assert wounded.value_max == 30
    assert wounded.text == "between 20 and 30 others"
    trapped = stat_with(r, 1_500_000, "trapped")
    assert trapped.qualifier == "nearly"
    assert trapped.attributed_to == "United Nations"
    families = stat_with(r, 12_000, "displaced_internal")
    assert (families.unit, families.qualifier) == ("families", "approximately")
    money = stat_with(r, 2_700_000_000, "aid_amount")
    assert money.unit == "usd"
    # not statistics: the age, the date, the year, "one of them", "No one"
    values = {s.value for s in r.statistics}
    assert not values & {45, 12, 2025, 2024, 2023, 1}
    assert primary(r) == "El Fasher"
    assert places(r)["North Darfur"] == ("region", "SD")


# --- Gaza: straight quotes, partial quote, "according to", percent, dozens, half a million ---
def test_gaza_quotes() -> None:
    r = run("gaza-aid-convoy.txt")
    assert r.source == "Levant Desk"
    assert "Leave a Comment" not in r.body
    q1 = quote_with(r, "The children here have not eaten")
    q2 = quote_with(r, "Mothers are boiling weeds")
    assert speaker_name(q1) == speaker_name(q2) == "Leila Haddad"
    assert q1.speaker is not None
    assert q1.speaker.role == "nurse at a clinic in Jabalia"
    added = quote_with(r, "more than 200 patients", kind="indirect")
    assert (speaker_name(added), added.cue) == ("Leila Haddad", "added")  # "She added"
    partial = quote_with(r, "terrorist infrastructure")
    assert speaker_name(partial) == "Israeli military"
    khalil = quote_with(r, "Half the people in my street")
    assert speaker_name(khalil) == "Omar Khalil"
    ministry = quote_with(r, "at least 58 people were killed", kind="indirect")
    assert speaker_name(ministry) == "health ministry in Gaza"
    estimate = quote_with(r, "More than 60 percent of buildings", kind="indirect")
    assert speaker_name(estimate) == "UN satellite agency"
    assert estimate.context == "in its latest assessment"


def test_gaza_statistics() -> None:
    r = run("gaza-aid-convoy.txt")
    trucks = stat_with(r, 10)
    assert (trucks.value_max, trucks.unit) == (15, "trucks")
    killed = stat_with(r, 58, "killed")
    assert killed.qualifier == "at_least"
    dozens = stat_with(r, 12, "injured")
    assert (dozens.qualifier, dozens.text) == ("vague", "dozens")
    damaged = stat_with(r, 60, "buildings_damaged")
    assert (damaged.unit, damaged.qualifier) == ("percent", "over")
    hunger = stat_with(r, 500_000, "food_insecure")
    assert hunger.text == "Half a million people"
    patients = stat_with(r, 200)
    assert (patients.subject, patients.qualifier) == ("patients", "over")
    assert places(r)["Gaza Strip"] == ("region", "PS")
    assert places(r)["Khan Younis"] == ("city", "PS")


# --- Sahel: number words, role noun resolution, trailing attribution ----------------------
def test_sahel() -> None:
    r = run("sahel-ambush.txt")
    assert (r.source, r.read_time_minutes) == ("Sahel Wire", 4)
    army = quote_with(r, "Twenty-five soldiers were killed", kind="indirect")
    assert (speaker_name(army), army.context) == ("army", "on Thursday")
    camara = quote_with(r, "roadside bombs", kind="indirect")
    assert camara.speaker is not None
    assert (camara.speaker.name, camara.speaker.role) == ("Sadio Camara", "Defence Minister")
    assert camara.context == "yesterday"
    minister = quote_with(r, "escorting fuel tankers", kind="indirect")
    assert speaker_name(minister) == "Sadio Camara"  # "The minister said" resolved
    farmer = quote_with(r, "We hear the engines")
    assert farmer.speaker is not None
    assert (farmer.speaker.name, farmer.speaker.role) == (
        "Fatoumata",
        "farmer from a village near Menaka",
    )
    assert speaker_name(quote_with(r, "granaries were burned")) == "Fatoumata"
    spokesman = quote_with(r, "$45 million", kind="indirect")
    assert (speaker_name(spokesman), spokesman.cue) == ("spokesman", "added")
    soldiers = stat_with(r, 25, "killed")
    assert (soldiers.subject, soldiers.text) == ("soldiers", "Twenty-five soldiers")
    villages = stat_with(r, 12)
    assert villages.unit == "villages"
    displaced = stat_with(r, 300_000, "displaced_internal")
    assert displaced.qualifier == "up_to"
    hundreds = stat_with(r, 100)
    assert (hundreds.qualifier, hundreds.subject) == ("vague", "civilians")
    money = stat_with(r, 45_000_000)
    assert (money.unit, money.qualifier) == ("usd", "approximately")
    assert not any(s.value == 3 for s in r.statistics)  # "the third major attack"
    assert places(r)["Burkina Faso"] == ("country", "BF")
    assert places(r)["Sahel"][0] == "region"


# --- Myanmar: single curly quotes, per cent, partial quote, apposition with a name ---------
def test_myanmar() -> None:
    r = run("myanmar-rakhine.txt")
    left = quote_with(r, "We left with nothing")
    burned = quote_with(r, "The soldiers burned the houses")
    assert speaker_name(left) == speaker_name(burned) == "Hla Hla Win"
    assert left.speaker is not None
    assert left.speaker.role == "mother of three"
    missing = quote_with(r, "at least 70 people", kind="indirect")
    assert speaker_name(missing) == "Hla Hla Win"  # "She said that"
    partial = quote_with(r, "a campaign of terror against civilians")
    assert partial.speaker is not None
    assert partial.speaker.name == "Khin Zaw"
    assert partial.speaker.role == "rights researcher based in Bangkok"
    junta = quote_with(r, "only targeting insurgents", kind="indirect")
    assert junta.speaker is not None
    assert (junta.speaker.name, junta.speaker.role) == ("Zaw Min Tun", "junta’s spokesman")
    who = quote_with(r, "65 per cent of clinics", kind="indirect")
    assert speaker_name(who) == "World Health Organization"
    s = stat_with(r, 3_000_000, "displaced_internal")
    assert (s.qualifier, s.location) == ("nearly", "Myanmar")
    pct = stat_with(r, 40)
    assert (pct.unit, pct.qualifier) == ("percent", "approximately")
    rng = stat_with(r, 1000, "refugees")
    assert (rng.value_max, rng.subject) == (1500, "Rohingya")
    clinics = stat_with(r, 65, "facilities_closed")
    assert clinics.unit == "percent"
    assert stat_with(r, 1000, "displaced_internal").qualifier == "vague"
    assert places(r)["Rakhine"] == ("region", "MM")
    assert primary(r) == "Rakhine"


# --- Kharkiv: multi-paragraph quote, times, designations, ordinals, phone numbers ----------
def test_kharkiv() -> None:
    r = run("kharkiv-strikes.txt")
    assert r.read_time_minutes == 3
    multi = quote_with(r, "The enemy is deliberately hitting residential areas")
    assert "We are still pulling people out of the rubble" in multi.text
    assert "\n\n" in multi.text  # one quote across the two paragraphs
    assert speaker_name(multi) == "Oleh Syniehubov"
    tg = quote_with(r, "seven people were killed", kind="indirect")
    assert (speaker_name(tg), tg.context) == ("Oleh Syniehubov", "on Telegram")
    air = quote_with(r, "Russia launched 40 missiles", kind="indirect")
    assert (speaker_name(air), air.context) == ("Ukraine’s air force", "on Saturday")
    iryna = quote_with(r, "We have lived like this")
    assert iryna.speaker is not None
    assert (iryna.speaker.name, iryna.speaker.role) == (
        "Iryna",
        "pensioner from the Saltivka district",
    )
    assert speaker_name(quote_with(r, "You never get used to it")) == "Iryna"
    assert stat_with(r, 40, "missiles").location == "Kharkiv"
    assert stat_with(r, 12, "drones").text == "a dozen Shahed drones"
    assert stat_with(r, 7, "killed").attributed_to == "Oleh Syniehubov"
    assert stat_with(r, 31, "injured").unit == "people"
    homes = stat_with(r, 1200, "homes_damaged")
    assert (homes.qualifier, homes.location) == ("over", "Kharkiv Oblast")
    dur = stat_with(r, 2.5, "duration")
    assert dur.unit == "years"
    power = stat_with(r, 400_000, "without_power")
    assert (power.qualifier, power.subject) == ("approximately", "residents")
    values = {s.value for s in r.statistics}
    # not statistics: 4:30, Kh-101, the 9-year-old, "third", the phone number
    assert not values & {4, 30, 101, 9, 3, 380, 44, 123, 4567}
    assert places(r)["Kharkiv Oblast"] == ("region", "UA")
    assert primary(r) == "Kharkiv"


# --- Libya: flood + conflict, currencies, ratios, relative clause before the cue -----------
def test_libya() -> None:
    r = run("libya-flood-conflict.txt")
    assert (r.source, r.authors, r.read_time_minutes) == (
        "Mediterranean Observer",
        ("Sara Benali",),
        7,
    )
    assert "All rights reserved" not in r.body
    first = quote_with(r, "Torrential rain burst two dams", kind="indirect")
    assert speaker_name(first) == "officials"
    admin = quote_with(r, "5,000 people had been evacuated", kind="indirect")
    assert speaker_name(admin) == "eastern administration"
    salem = quote_with(r, "The water came like a wall")
    assert salem.speaker is not None
    assert (salem.speaker.name, salem.speaker.role) == ("Ahmed Salem", "shopkeeper")
    assert speaker_name(quote_with(r, "We found my cousin")) == "Ahmed Salem"
    assert speaker_name(quote_with(r, "still looking for his son")) == "Ahmed Salem"
    iom = quote_with(r, "30,000 people had been displaced", kind="indirect")
    assert speaker_name(iom) == "International Organization for Migration"
    assert stat_with(r, 3000, "missing").qualifier == "at_least"
    assert stat_with(r, 5000, "evacuated").qualifier == "over"
    assert stat_with(r, 30_000, "displaced_internal").location == "Derna"
    eur = stat_with(r, 40_000_000, "aid_amount")
    assert eur.unit == "eur"
    usd = stat_with(r, 1_200_000_000, "damage_cost")
    assert usd.unit == "usd"
    ratio = stat_with(r, 66.7, "facilities_closed")
    assert ratio.unit == "percent"
    values = {s.value for s in r.statistics}
    assert not values & {2, 52, 2025}  # "two dams", the age, the copyright year
    assert places(r)["Derna"] == ("city", "LY")
    assert primary(r) == "Derna"
