"""The reconciliation evaluation set: fictional articles (written for this suite) about
events in real places, posted as raw text, with the grouping a careful reader would make.

Each article names the figures it is expected to yield as ``"metric:value"`` and the
quantity each one reports: an incident (``I…``) or a cumulative figure (``C…``). Figures the
extractor finds beyond these are not scored. What the set exercises:

* rising tolls over a day or two from several outlets (I1, I8, I12);
* rounding ("nearly 50" against 48, "about 30" against 31: I2, I11);
* sources that disagree at the same time (I7);
* the same number about other events: the same day elsewhere (I3 against I1), the same
  place a week later (I4 against I1);
* two places with one name, the same day and toll (Hyderabad in India and Pakistan, I5, I6);
* two metrics of one incident (I10);
* stocks repeated through a month (C1-C3), with a newer figure replacing an older one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    key: str
    published_at: str
    source: str
    title: str
    paragraphs: tuple[str, ...]
    expect: dict[str, str]

    @property
    def text(self) -> str:
        """The raw text as a scraper would send it: title, outlet, read time, paragraphs."""
        return "\n\n".join([self.title, f"{self.source}\n2 Min Read", *self.paragraphs]) + "\n"


def _a(
    key: str, published: str, source: str, title: str, expect: dict[str, str], *paras: str
) -> Article:
    return Article(key, published, source, title, paras, expect)


UA_STOCK = "Across Ukraine, 3.6 million people have been internally displaced since February 2022."
SD_STOCK = "Across Sudan, 11 million people have been displaced since April 2023."
MM_STOCK = "Across Myanmar, 3 million people have been displaced since the coup."

ARTICLES: tuple[Article, ...] = (
    # I1: Kharkiv rail depot, Monday 2 November 2026, toll 3 -> 5 -> 7
    _a(
        "a01",
        "2026-11-02T09:00:00Z",
        "Eastern Courier",
        "Drone hits Kharkiv rail depot",
        {"killed:3": "I1"},
        "A drone struck a rail depot in Kharkiv on Monday morning, and three people were "
        "killed, the regional governor said.",
        "Fire crews were still at the scene at noon.",
    ),
    _a(
        "a02",
        "2026-11-02T14:00:00Z",
        "Plain Ledger",
        "Kharkiv depot toll rises",
        {"killed:5": "I1"},
        "The number of people killed in Monday's drone strike on a Kharkiv rail depot rose to "
        "five, officials said.",
        "Train drivers were among the dead.",
    ),
    _a(
        "a03",
        "2026-11-03T08:00:00Z",
        "Riverside Post",
        "Seven dead after Kharkiv strike",
        {"killed:7": "I1", "displaced_internal:3600000": "C1"},
        "Seven people were killed in the drone strike on a rail depot in Kharkiv on Monday, "
        "the city council said on Tuesday.",
        UA_STOCK,
    ),
    _a(
        "a04",
        "2026-11-03T10:00:00Z",
        "Hill Gazette",
        "Kharkiv mourns depot workers",
        {"killed:7": "I1"},
        "Kharkiv held a day of mourning on Tuesday for the seven people killed on Monday when "
        "a drone hit the rail depot.",
        "Rail services resumed in the afternoon.",
    ),
    # I2: Kherson market, Tuesday 3 November, "nearly 50" and 48 injured
    _a(
        "a05",
        "2026-11-03T12:00:00Z",
        "Eastern Courier",
        "Market shelled in Kherson",
        {"injured:50": "I2"},
        "Shelling hit the central market in Kherson on Tuesday, and nearly 50 people were "
        "injured, the regional administration said.",
        "Stalls burned for hours.",
    ),
    _a(
        "a06",
        "2026-11-03T16:00:00Z",
        "Plain Ledger",
        "Kherson market attack",
        {"injured:48": "I2"},
        "Doctors said 48 people were injured in Tuesday's shelling of the market in Kherson.",
        "Most had shrapnel wounds.",
    ),
    _a(
        "a07",
        "2026-11-04T07:00:00Z",
        "Riverside Post",
        "Kherson counts the damage",
        {"injured:48": "I2", "displaced_internal:3600000": "C1"},
        "A day after the shelling of the Kherson market on Tuesday, officials confirmed that "
        "48 people were injured.",
        UA_STOCK,
    ),
    # I3: Sumy, also Tuesday 3 November, seven killed (the same number as I1, elsewhere)
    _a(
        "a08",
        "2026-11-03T18:00:00Z",
        "Hill Gazette",
        "Missile strike on Sumy",
        {"killed:7": "I3"},
        "A missile hit an apartment block in Sumy on Tuesday evening, and seven people were "
        "killed, emergency services said.",
    ),
    _a(
        "a09",
        "2026-11-04T09:00:00Z",
        "Eastern Courier",
        "Sumy apartment block strike",
        {"killed:7": "I3"},
        "Rescuers in Sumy said seven people were killed when a missile struck an apartment "
        "block on Tuesday.",
        "The search of the rubble ended at dawn.",
    ),
    # I4: Kharkiv a week after I1, Monday 9 November, seven killed again
    _a(
        "a10",
        "2026-11-09T11:00:00Z",
        "Plain Ledger",
        "Glide bomb hits Kharkiv",
        {"killed:7": "I4"},
        "A glide bomb hit a warehouse district of Kharkiv on Monday, and seven people were "
        "killed, the governor said.",
    ),
    _a(
        "a11",
        "2026-11-10T08:00:00Z",
        "Riverside Post",
        "Kharkiv warehouse strike",
        {"killed:7": "I4", "displaced_internal:3600000": "C1"},
        "Seven people were killed in Monday's glide bomb attack on warehouses in Kharkiv, "
        "officials said.",
        UA_STOCK,
    ),
    # I5 and I6: Hyderabad in India and in Pakistan, both Friday 6 November, six killed
    _a(
        "a12",
        "2026-11-06T12:00:00Z",
        "Southern Ledger",
        "Blast at Hyderabad bus stand",
        {"killed:6": "I5"},
        "A bomb exploded at a bus stand in Hyderabad, India, on Friday, and six people were "
        "killed, Indian police said.",
    ),
    _a(
        "a13",
        "2026-11-06T17:00:00Z",
        "Metro Herald",
        "Hyderabad bus stand bombing",
        {"killed:6": "I5"},
        "Six people were killed in Friday's bombing of a bus stand in Hyderabad, India, "
        "police in the city said.",
    ),
    _a(
        "a14",
        "2026-11-06T13:00:00Z",
        "Indus Daily",
        "Bomb in Hyderabad market",
        {"killed:6": "I6"},
        "A bomb in a market in Hyderabad, Pakistan, killed six people on Friday, Pakistani "
        "police said.",
    ),
    _a(
        "a15",
        "2026-11-07T08:00:00Z",
        "Frontier Times",
        "Hyderabad market bombing",
        {"killed:6": "I6"},
        "Police in Hyderabad, Pakistan, said six people were killed in the market bombing on "
        "Friday.",
    ),
    # I7: El Fasher, Sunday 8 November, sources disagree (12 against 20)
    _a(
        "a16",
        "2026-11-08T15:00:00Z",
        "Nile Observer",
        "Shelling in El Fasher",
        {"killed:12": "I7", "displaced_internal:11000000": "C2"},
        "Artillery fire hit a camp in El Fasher on Sunday, and 12 civilians were killed, the "
        "army said.",
        SD_STOCK,
    ),
    _a(
        "a17",
        "2026-11-08T16:00:00Z",
        "Sahel Report",
        "El Fasher camp attack",
        {"killed:20": "I7"},
        "Medics in El Fasher said 20 civilians were killed when shells hit the camp on Sunday.",
    ),
    _a(
        "a18",
        "2026-11-09T07:00:00Z",
        "Desert Wire",
        "Dispute over El Fasher toll",
        {"killed:12": "I7"},
        "The army put the toll from Sunday's shelling of the camp in El Fasher at 12 people "
        "killed, lower than the figure given by medics.",
    ),
    # I8: Goma, Wednesday 11 November, 15 -> 22 killed
    _a(
        "a19",
        "2026-11-11T10:00:00Z",
        "Lakes Courier",
        "Fighting near Goma",
        {"killed:15": "I8"},
        "Fighting on the edge of Goma on Wednesday left 15 people killed, local officials said.",
    ),
    _a(
        "a20",
        "2026-11-11T19:00:00Z",
        "Great Rift News",
        "Goma toll climbs",
        {"killed:19": "I8"},
        "The toll from Wednesday's fighting near Goma rose to 19 people killed, a hospital "
        "director said.",
    ),
    _a(
        "a21",
        "2026-11-12T09:00:00Z",
        "Lakes Courier",
        "Goma counts its dead",
        {"killed:22": "I8"},
        "Officials in Goma said 22 people were killed in the fighting on Wednesday.",
    ),
    # I9: Benghazi, Thursday 12 November, at least 9 killed
    _a(
        "a22",
        "2026-11-12T13:00:00Z",
        "Desert Wire",
        "Car bomb in Benghazi",
        {"killed:9": "I9"},
        "A car bomb outside a police station in Benghazi on Thursday killed at least 9 "
        "people, security officials said.",
    ),
    _a(
        "a23",
        "2026-11-12T18:00:00Z",
        "Harbour Times",
        "Benghazi bombing",
        {"killed:9": "I9"},
        "Nine people were killed in Thursday's car bombing in Benghazi, the health ministry said.",
    ),
    # I10: Odesa port, Saturday 14 November, two killed and 11 injured
    _a(
        "a24",
        "2026-11-14T08:00:00Z",
        "Eastern Courier",
        "Missiles hit Odesa port",
        {"killed:2": "I10k", "injured:11": "I10i"},
        "Missiles struck the port of Odesa on Saturday morning; two people were killed and 11 "
        "people were injured, the navy said.",
    ),
    _a(
        "a25",
        "2026-11-14T15:00:00Z",
        "Plain Ledger",
        "Odesa port strike",
        {"killed:2": "I10k", "injured:11": "I10i"},
        "Two people were killed and 11 people were injured in Odesa when missiles hit the port "
        "on Saturday.",
    ),
    _a(
        "a26",
        "2026-11-15T09:00:00Z",
        "Riverside Post",
        "Odesa port reopens",
        {"injured:11": "I10i", "displaced_internal:3600000": "C1"},
        "The port of Odesa reopened on Sunday, a day after a missile attack on Saturday in "
        "which 11 people were injured.",
        UA_STOCK,
    ),
    # I11: Kidal, Monday 16 November, "about 30" and 31 soldiers killed
    _a(
        "a27",
        "2026-11-16T12:00:00Z",
        "Sahel Report",
        "Ambush near Kidal",
        {"killed:30": "I11"},
        "About 30 soldiers were killed in an ambush near Kidal on Monday, military sources said.",
    ),
    _a(
        "a28",
        "2026-11-17T08:00:00Z",
        "Desert Wire",
        "Kidal ambush toll",
        {"killed:31": "I11"},
        "The army said 31 soldiers were killed in the ambush near Kidal on Monday.",
    ),
    # I12: Sittwe, Wednesday 18 November, 18 -> 25 killed
    _a(
        "a29",
        "2026-11-18T11:00:00Z",
        "Bay of Bengal Times",
        "Air strike on Sittwe",
        {"killed:18": "I12", "displaced_internal:3000000": "C3"},
        "An air strike on a village near Sittwe on Wednesday killed 18 people, residents said.",
        MM_STOCK,
    ),
    _a(
        "a30",
        "2026-11-19T09:00:00Z",
        "Irrawaddy Post",
        "Sittwe toll rises",
        {"killed:25": "I12"},
        "Residents said 25 people were killed in Wednesday's air strike near Sittwe, up from "
        "an earlier count.",
    ),
    # I13: Kherson again, Friday 20 November, four killed
    _a(
        "a31",
        "2026-11-20T10:00:00Z",
        "Hill Gazette",
        "Kherson ferry crossing shelled",
        {"killed:4": "I13"},
        "Shelling hit a ferry crossing in Kherson on Friday, and four people were killed, the "
        "regional administration said.",
    ),
    _a(
        "a32",
        "2026-11-20T15:00:00Z",
        "Eastern Courier",
        "Ferry crossing attack",
        {"killed:4": "I13"},
        "Four people were killed when shells hit the ferry crossing in Kherson on Friday.",
    ),
    # C1: Ukraine's displaced, repeated through the month
    _a(
        "a33",
        "2026-11-05T09:00:00Z",
        "Relief Digest",
        "Winter and the displaced",
        {"displaced_internal:3600000": "C1"},
        UA_STOCK,
        "Aid agencies are asking for more funding for shelters.",
    ),
    _a(
        "a34",
        "2026-11-19T09:00:00Z",
        "Relief Digest",
        "Shelters fill up",
        {"displaced_internal:3600000": "C1"},
        "Shelters are full in many towns. " + UA_STOCK,
    ),
    _a(
        "a35",
        "2026-11-26T09:00:00Z",
        "Aid Monitor",
        "Displacement update",
        {"displaced_internal:3700000": "C1"},
        "Across Ukraine, 3.7 million people have been internally displaced since February "
        "2022, the latest count shows.",
    ),
    # C2: Sudan's displaced
    _a(
        "a36",
        "2026-11-10T09:00:00Z",
        "Nile Observer",
        "Sudan's long displacement",
        {"displaced_internal:11000000": "C2"},
        SD_STOCK,
        "Camps near the border are overcrowded.",
    ),
    _a(
        "a37",
        "2026-11-21T09:00:00Z",
        "Aid Monitor",
        "Sudan appeal",
        {"displaced_internal:11000000": "C2"},
        "The appeal is a third funded. " + SD_STOCK,
    ),
    _a(
        "a38",
        "2026-11-28T09:00:00Z",
        "Sahel Report",
        "Sudan: a year of camps",
        {"displaced_internal:11000000": "C2"},
        SD_STOCK,
        "Food prices in the camps doubled.",
    ),
    # C3: Myanmar's displaced
    _a(
        "a39",
        "2026-11-08T09:00:00Z",
        "Irrawaddy Post",
        "Myanmar's displaced",
        {"displaced_internal:3000000": "C3"},
        MM_STOCK,
        "Monsoon floods made it worse.",
    ),
    _a(
        "a40",
        "2026-11-22T09:00:00Z",
        "Bay of Bengal Times",
        "Camps in Rakhine",
        {"displaced_internal:3000000": "C3"},
        "Rakhine has the most camps. " + MM_STOCK,
    ),
    _a(
        "a41",
        "2026-11-27T09:00:00Z",
        "Aid Monitor",
        "Myanmar appeal",
        {"displaced_internal:3000000": "C3"},
        MM_STOCK,
        "The appeal is a quarter funded.",
    ),
    # I4 again, and I2's rounding from a third outlet
    _a(
        "a42",
        "2026-11-10T12:00:00Z",
        "Hill Gazette",
        "Kharkiv warehouse fire out",
        {"killed:7": "I4"},
        "Firefighters put out the blaze at the Kharkiv warehouses hit on Monday, where seven "
        "people were killed.",
    ),
)
