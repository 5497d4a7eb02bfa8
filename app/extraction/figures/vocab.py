"""Word lists of the figure stage: counted nouns, units, exclusion cues, glue words.

General knowledge of how English news writes figures; which metric a figure reports is in
:mod:`app.extraction.lexicon.metrics`.
"""

from __future__ import annotations

from app.extraction.lexicon.places import DEMONYMS


def words(text: str) -> frozenset[str]:
    """The space-separated words of ``text`` as a set."""
    return frozenset(text.split())


MONTHS = words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
REFERENCE_WORDS = words(
    "page pages section article chapter resolution no number paragraph item route highway road "
    "flight brigade battalion division regiment platform gate line room block level grade phase "
    "stage round episode part vol volume figure table category model unit channel code street "
    "apartment house building ward bus tel phone ext year class point points series mark corps "
    "camp sector zone kilometre kilometer km window top"
)
TIME_WORDS = words("am pm a.m p.m gmt utc hrs o'clock o’clock cet est local")
ONE_BEFORE = words(
    "no any every each the this that which anyone someone only just at not last first another such"
)
ONE_AFTER = words(
    "of another day time point side hand way thing such who that which morning night evening "
    "afternoon moment more last step question issue reason"
)
_PEOPLE = (
    "people persons person civilians civilian residents resident children child kids women men "
    "soldiers soldier troops fighters refugees migrants patients workers staff journalists "
    "villagers inhabitants individuals victims others casualties prisoners detainees hostages "
    "students doctors nurses servicemen servicemembers members demonstrators protesters boys "
    "girls babies infants adults displaced civilians' newborns toddlers minors teenagers elderly "
    "pensioners personnel officers policemen police volunteers medics paramedics rescuers "
    "firefighters miners farmers teachers survivors evacuees asylum-seekers recruits conscripts "
    "militants combatants rebels insurgents captives employees passengers pilgrims worshippers "
    "fishermen herders nationals citizens rohingya idps idp returnees orphans guards agents "
    "troopers villagers tourists locals deaths fatalities bodies "
    "lives displacements evacuations relocations"
)
PEOPLE_NOUNS = (
    frozenset(_PEOPLE.split())
    | frozenset(f.lower() + "s" for f in DEMONYMS if not f.endswith(("s", "sh", "ch", "ese")))
    | frozenset(f.lower() for f in DEMONYMS if f.endswith(("ese", "i")))
)
"""Counted nouns that are people (nationality plurals too: "Afghans", "Somalis")."""
UNIT_NOUNS: dict[str, str] = {
    "year": "years", "years": "years", "month": "months", "months": "months", "week": "weeks",
    "weeks": "weeks", "day": "days", "days": "days", "hour": "hours", "hours": "hours",
    "decade": "decades", "decades": "decades", "homes": "homes", "houses": "homes",
    "apartments": "homes", "dwellings": "homes", "huts": "homes", "shelters": "shelters",
    "buildings": "buildings", "drones": "drones", "uavs": "drones", "shaheds": "drones",
    "missiles": "missiles", "rockets": "missiles", "attacks": "attacks", "strikes": "attacks",
    "airstrikes": "attacks", "air-strikes": "attacks", "raids": "attacks",
    "megawatts": "megawatts", "mw": "megawatts", "gigawatts": "gigawatts", "gw": "gigawatts",
    "tonnes": "tonnes", "tons": "tonnes", "km": "km", "kilometres": "km", "kilometers": "km",
    "miles": "miles", "villages": "villages", "towns": "towns", "schools": "schools",
    "hospitals": "hospitals", "clinics": "clinics", "trucks": "trucks", "lorries": "trucks",
    "families": "families", "households": "households", "hhs": "households",
    "shells": "shells", "tanks": "tanks",
    "settlements": "settlements", "hectares": "hectares", "litres": "litres",
    "liters": "litres", "meals": "meals", "doses": "doses", "beds": "beds",
    "vehicles": "vehicles", "facilities": "facilities", "bridges": "bridges", "cases": "cases",
    "camps": "camps", "aircraft": "aircraft", "boats": "boats", "bombs": "bombs",
    "centres": "centres", "centers": "centres", "sites": "sites",
}  # fmt: skip
TIME_UNITS = frozenset({"years", "months", "weeks", "days", "hours", "decades"})
PEOPLE_UNITS = frozenset({"people", "count", "families", "households"})
UNIT_KIND = {
    **{u: "people" for u in PEOPLE_UNITS},
    "percent": "percent", "homes": "homes", "shelters": "homes", "buildings": "buildings",
    "schools": "schools", "hospitals": "hospitals", "villages": "villages",
    "bridges": "bridges", "clinics": "facilities", "facilities": "facilities",
    "drones": "drones", "missiles": "missiles", "attacks": "attacks", "shells": "attacks",
    "bombs": "attacks", "megawatts": "megawatts", "gigawatts": "gigawatts",
}  # fmt: skip
"""The kind of counted thing of a unit (what registry ``counts`` name)."""
SKIP_BETWEEN = words(
    "of more other additional further new local young than innocent unarmed ukrainian russian "
    "palestinian sudanese internally fellow elderly small civilian residential private damaged "
    "destroyed armed foreign displaced injured wounded its their the whom which and energy "
    "power heating water electricity health medical aid food attack kamikaze shahed ballistic "
    "cruise long-range russian-made iranian-made repeated undocumented affected vulnerable "
    "evacuated homeless dead stranded returning registered newly recently mostly already"
)
NOT_NOUNS = words(
    "others has was does this its his hers theirs ours across less unless whereas various "
    "previous thus plus perhaps always sometimes besides towards afterwards as"
)
GLUE_WORDS = words(
    "the a an of in on at to from by for with and or but were was are is be been being have has "
    "had already still also more than about some over nearly almost their his her its our "
    "people who that which after before since into out as "
    "able new total"
)
"""Function words that PDF text glues to a neighbour ("weredisplaced", "hadfled")."""
