"""Common given names by usual gender, for pronoun agreement ("she" -> a woman named earlier)
and for telling a given name from a place or a role word ("Rania Abu Salem", "Ann Major").

General knowledge: frequent English and international given names, not names taken from any
text. A name missing here is simply of unknown gender.
"""

from __future__ import annotations

from functools import lru_cache

_MALE = """
aaron abdul abdullah abraham adam adrian ahmad ahmed aidan alan albert alejandro alex alexander
alexei ali amir anatoly andre  andreas andrei andrew andriy andy anthony antoine antonio
arjun arthur ashok  ben benjamin bernard  bill billy bob bobby boris brad bradley
brandon brian bruce bryan carl carlos charles charlie chris christian christopher
craig dan daniel danny darius dave david dean dennis derek dmitry dominic donald doug douglas
duncan dylan ed eddie edward emmanuel eric erik ernesto ethan eugene evan fabio faisal farid
felipe fernando francis francisco frank franklin fred frederick gabriel gary gavin george gerald
giorgio giovanni glenn gordon graham greg gregory guillermo gustavo hamid hans harold harry
hassan henry hiroshi howard hugh hussein ian ibrahim igor isaac ivan jack jacob jake james jamal
jan jason javier jay  jeff jeffrey jeremy jerome jerry jesse jim jimmy joe joel johan john
johnny jon jonathan jordan jorge jose joseph josh joshua juan julian justin karim karl keith
ken kenneth kevin khalid kurt kyle larry lars lawrence lee leo leon leonard liam
louis luca lucas luis luke malik marco marcus mario mark martin mateo matt matthew max michael
miguel mike mikhail  mohamed mohammad mohammed muhammad mustafa nathan neil nicholas
nick nikolai noah olaf oleg oliver omar oscar owen pablo patrick paul pedro peter phil philip
pierre rafael rahul rajesh ralph ramon randy raul ray raymond reza ricardo richard rick rob
robert roberto rodrigo roger roman ron ronald ross roy russell ryan sam samir samuel scott
sean sebastian sergei sergey seth shawn stan stanley stefan stephen steve steven stuart
sunil tariq ted terry thomas tim timothy todd tom tommy tony travis trevor tyler vadim
viktor vikram vincent vladimir walter wayne will william xavier yan yasser yousef yuri yusuf
zach zachary
"""

_FEMALE = """
aaliyah abigail adriana agnes aisha alexandra alice alicia alina alison amal amanda amber amelia
amina amy ana anastasia andrea angela angelica anita ann anna anne annie antonia ariana
audrey aya barbara beatriz becky betty beverly bianca brenda bridget brittany camila carla
carmen carol caroline carolyn catherine cecilia charlotte chelsea cheryl chloe christina
christine cindy claire clara claudia colleen cynthia daisy dana daniela deborah debra denise
diana diane dolores donna doris dorothy elaine eleanor elena elizabeth ella ellen emily emma
erica erin esther eva eve evelyn fatima fatma fiona frances gabriela gina gloria grace hanna
hannah heather heidi helen  holly hope ingrid irene iris isabel isabella jackie
jacqueline jana jane janet janice jasmine jean jeanne jennifer jenny jessica jill joan
joanna jocelyn josephine joy joyce judith judy julia julie justine karen kate katherine
kathleen kathryn kathy katie kayla kelly kim kimberly kristen laila lara laura lauren layla
leah leila lena leslie lila lily linda lindsay lisa liz lois lora lucia lucy lydia lynn
madeleine madison maria mariam marie marina marisol marjorie marsha martha mary maya megan
melanie melissa mia michelle miriam molly monica nadia nancy naomi natalia natalie natasha
nicole nina noor nora olga olivia paola patricia paula pauline peggy penelope rachel rana
rania rebecca regina renee rita rosa rose ruth sabrina sally samantha sandra sara sarah
selena shannon sharon sheila shirley silvia sofia sonia sophia sophie stephanie susan
suzanne svetlana tamara tanya teresa theresa tiffany tina tracy valentina valerie vanessa
vera veronica victoria virginia wendy yasmin yolanda yulia zainab zara zoe
"""

MALE: frozenset[str] = frozenset(w for w in _MALE.split())
FEMALE: frozenset[str] = frozenset(_FEMALE.split())
GIVEN_NAMES: frozenset[str] = MALE | FEMALE

MALE_TITLES = frozenset({"mr", "mr.", "sir", "lord", "king", "prince", "father", "brother"})
FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "madam", "dame", "lady", "queen",
                           "princess", "sister", "mother"})  # fmt: skip
MALE_ROLES = frozenset({"spokesman", "chairman", "congressman", "businessman", "councilman",
                        "alderman", "father", "husband", "son", "grandfather",
                        "brother"})  # fmt: skip
FEMALE_ROLES = frozenset({"spokeswoman", "chairwoman", "congresswoman", "businesswoman",
                          "councilwoman", "mother", "wife", "daughter", "grandmother",
                          "sister", "widow"})  # fmt: skip


@lru_cache(maxsize=8192)
def gender_of(name: str, role: str | None = None) -> str | None:
    """ "m", "f" or None from a title, a gendered role word or a common given name."""
    for word in (role or "").lower().replace(".", " ").split():
        if word in MALE_TITLES or word in MALE_ROLES:
            return "m"
        if word in FEMALE_TITLES or word in FEMALE_ROLES:
            return "f"
    parts = name.lower().split()
    if not parts:
        return None
    first = parts[0].rstrip(".")
    if first in MALE_TITLES or first + "." in MALE_TITLES:
        return "m"
    if first in FEMALE_TITLES or first + "." in FEMALE_TITLES:
        return "f"
    if first in MALE and first not in FEMALE:
        return "m"
    if first in FEMALE and first not in MALE:
        return "f"
    return None
