"""Organisations: head words that make a capitalised phrase an organisation, and aliases.

General knowledge of international and national bodies in the news. ``canonical`` maps an alias
or acronym to one name, so that "UN" and "United Nations" are one organisation.
"""

from __future__ import annotations

from functools import lru_cache

_ORG_HEADS = """
administration agency alliance army authority bank borders coalition command commission
committee corps council court crescent cross federation forces front frontières fund
government group guard hospital institute international kremlin ministry mission movement
nations network office organisation organization party pentagon police program programme
service union university watch
"""

ORG_HEADS: set[str] = set(_ORG_HEADS.split())

#: canonical name -> aliases (acronyms, short and older forms)
ALIASES: dict[str, tuple[str, ...]] = {
    "United Nations": ("UN", "U.N.", "U.N", "the UN", "the U.N."),
    "European Union": ("EU", "E.U.", "the EU"),
    "North Atlantic Treaty Organization": ("NATO", "Nato", "North Atlantic Treaty Organisation"),
    "World Health Organization": ("WHO", "World Health Organisation"),
    "UN refugee agency": ("UNHCR", "U.N. refugee agency", "UN High Commissioner for Refugees"),
    "United Nations Children's Fund": ("UNICEF", "Unicef", "UN children's agency"),
    "World Food Programme": ("WFP", "World Food Program", "UN World Food Programme"),
    "International Committee of the Red Cross": ("ICRC",),
    "Médecins Sans Frontières": ("MSF", "Doctors Without Borders"),
    "International Organization for Migration": ("IOM", "International Organisation for Migration"),
    "Office for the Coordination of Humanitarian Affairs": ("OCHA", "UN OCHA"),
    "International Criminal Court": ("ICC",),
    "International Monetary Fund": ("IMF",),
    "African Union": ("AU",),
    "Federal Bureau of Investigation": ("FBI",),
    "Central Intelligence Agency": ("CIA",),
    "Department of Homeland Security": ("DHS", "Homeland Security Department"),
    "Department of Justice": ("DOJ", "Justice Department"),
    "State Department": ("Department of State",),
    "Pentagon": ("Department of Defense", "Defense Department", "DOD"),
    "Republican National Committee": ("RNC",),
    "Democratic National Committee": ("DNC",),
    "Human Rights Watch": ("HRW",),
}

_EXACT: dict[str, str] = {}
_FOLDED: dict[str, str] = {}
for _name, _aliases in ALIASES.items():
    for _alias in (_name, *_aliases):
        _EXACT.setdefault(_alias, _name)
        if not _alias.replace(".", "").isupper():  # acronyms only in capitals ("WHO", not "who")
            _FOLDED.setdefault(_alias.casefold(), _name)


@lru_cache(maxsize=8192)
def canonical(name: str) -> str:
    """The one name of an organisation ("UN" -> "United Nations"); ``name`` when unknown."""
    key = name.strip()
    if key[:4].lower() == "the ":
        key = key[4:]
    return _EXACT.get(key) or _FOLDED.get(key.casefold()) or name
