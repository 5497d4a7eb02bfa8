"""Reporting verbs: how English news introduces what someone said.

Each entry is one lemma with its inflected forms and how the verb behaves around a quote or a
reported clause. General knowledge of English reporting, not a list taken from any text.

* ``object``: takes the addressee as an object before the content ("told reporters that",
  "assured lawmakers ...");
* ``that_optional``: the content clause may follow without "that" ("said the road was shut");
* ``passive``: "it was reported that ..." / "X was quoted as saying" style use is speech;
* ``quote_only``: only introduces quoted words, never a reported clause ("joked", "quipped");
* ``weight``: 1.0 for plain speech verbs, lower for verbs that are often not speech
  ("noted" is speech, "showed" would not be listed at all); reported-speech rules accept a
  low-weight verb only with an explicit "that" clause;
* ``noun_content``: what was said may be a plain noun phrase ("announced a ceasefire",
  "denied the charges");
* ``to_content``: what was said may be a to-infinitive ("vowed to rebuild", "urged them to
  leave");
* ``wh_content``: what was said may be an embedded question ("asked whether", "explained how").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ReportingVerb:
    lemma: str
    forms: tuple[str, ...]
    object: bool = False
    that_optional: bool = True
    passive: bool = False
    quote_only: bool = False
    weight: float = 1.0
    noun_content: bool = False
    to_content: bool = False
    wh_content: bool = False


def _forms(
    lemma: str,
    past: str | None = None,
    third: str | None = None,
    ing: str | None = None,
    extra: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Regular forms of ``lemma`` unless given: say/says/saying/said."""
    if past is None:
        if lemma.endswith("e"):
            past = lemma + "d"
        elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            past = lemma[:-1] + "ied"
        else:
            past = lemma + "ed"
    if third is None:
        if lemma.endswith(("s", "sh", "ch", "x", "z")):
            third = lemma + "es"
        elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            third = lemma[:-1] + "ies"
        else:
            third = lemma + "s"
    if ing is None:
        ing = (lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma) + "ing"
    return tuple(dict.fromkeys((lemma, past, third, ing, *extra)))


def _v(
    lemma: str,
    *,
    past: str | None = None,
    third: str | None = None,
    ing: str | None = None,
    extra: tuple[str, ...] = (),
    noun: bool = False,
    to: bool = False,
    wh: bool = False,
    **behaviour: Any,
) -> ReportingVerb:
    """An entry: irregular forms as given, the rest regular; ``behaviour`` is the entry's
    other fields (``object``, ``that_optional``, ``passive``, ``quote_only``, ``weight``)."""
    forms = _forms(lemma, past, third, ing, extra)
    return ReportingVerb(lemma, forms, noun_content=noun, to_content=to, wh_content=wh, **behaviour)


VERBS: tuple[ReportingVerb, ...] = (
    # plain speech
    _v("say", past="said", third="says", passive=True, wh=True),
    _v("tell", past="told", object=True, wh=True, to=True),
    _v("add", passive=True),
    _v("state", passive=True),
    _v("explain", wh=True),
    _v("note"),
    _v("remark"),
    _v("comment", that_optional=False),
    _v("mention", noun=True),
    _v("observe", weight=0.5),
    _v("write", past="wrote", ing="writing", extra=("written",), that_optional=False),
    _v("report", passive=True, noun=True),
    _v("announce", passive=True, noun=True),
    _v("declare", that_optional=False),
    _v("reply"),
    _v("respond", that_optional=False),
    _v("answer", that_optional=False, weight=0.5),
    _v("continue", quote_only=True),
    _v("recall", wh=True),
    _v("recount", that_optional=False, wh=True),
    _v("describe", quote_only=True),
    _v("repeat", that_optional=False, weight=0.5),
    _v("reiterate", noun=True),
    # stance and emphasis
    _v("emphasize", extra=("emphasise", "emphasised", "emphasises", "emphasising")),
    _v("stress"),
    _v("underline", that_optional=False),
    _v("underscore", that_optional=False),
    _v("insist"),
    _v("maintain", that_optional=False, weight=0.5),
    _v("argue"),
    _v("contend"),
    _v("assert"),
    _v("claim", passive=True, noun=True, to=True),
    _v("allege", passive=True),
    _v("charge", that_optional=False, weight=0.5),
    _v("accuse", noun=True),
    _v("deny", that_optional=False, noun=True),
    _v("admit", past="admitted", ing="admitting", noun=True),
    _v("acknowledge", noun=True),
    _v("concede"),
    _v("confirm", passive=True, noun=True),
    _v("point out", past="pointed out", third="points out", ing="pointing out"),
    _v("suggest"),
    _v("estimate", passive=True),
    _v("predict", noun=True),
    _v("forecast", past="forecast", extra=("forecasted",)),
    _v("conclude", weight=0.5),
    _v("agree", that_optional=False, weight=0.5),
    _v("disagree", that_optional=False),
    _v("counter", that_optional=False, weight=0.5),
    _v("object", that_optional=False, weight=0.5),
    _v("protest", that_optional=False, weight=0.5),
    _v("complain"),
    _v("lament"),
    _v("boast", that_optional=False),
    _v("brag", past="bragged", ing="bragging"),
    _v("fume", quote_only=True),
    _v("joke", quote_only=True),
    _v("quip", past="quipped", ing="quipping", quote_only=True),
    _v("interject", quote_only=True),
    _v("exclaim", quote_only=True),
    _v("shout", quote_only=True),
    _v("yell", quote_only=True),
    _v("scream", quote_only=True),
    _v("whisper", quote_only=True),
    _v("cry", quote_only=True),
    _v("sigh", quote_only=True),
    _v("laugh", quote_only=True),
    _v("snap", past="snapped", ing="snapping", quote_only=True),
    _v("mutter", quote_only=True),
    _v("muse", quote_only=True),
    _v("wonder", that_optional=False, wh=True),
    _v("ask", that_optional=False, object=True, wh=True, to=True),
    _v("demand", that_optional=False, noun=True, to=True),
    _v("urge", noun=True, to=True),
    # warnings and commitments
    _v("warn", object=True),
    _v("caution", object=True),
    _v("threaten", that_optional=False, to=True, weight=0.5),
    _v("promise", object=True, noun=True, to=True),
    _v("pledge", past="pledged", noun=True, to=True),
    _v("vow", past="vowed", to=True),
    _v("swear", past="swore", extra=("sworn",), to=True),
    _v("assure", object=True),
    _v("reassure", object=True, that_optional=False),
    _v("inform", object=True, that_optional=False),
    _v("advise", object=True, that_optional=False),
    _v("remind", object=True, that_optional=False),
    _v("notify", object=True, that_optional=False),
    _v("testify", past="testified", third="testifies", that_optional=False),
    _v("disclose", noun=True),
    _v("reveal", that_optional=False, weight=0.5),
    _v("signal", past="signaled", extra=("signalled", "signalling"), weight=0.5),
    _v("hint", that_optional=False),
    _v("indicate", that_optional=False, weight=0.5),
    _v("speculate", that_optional=False),
    _v("recommend", that_optional=False),
    _v("propose", that_optional=False),
    # more ways of reporting (general English usage)
    _v("affirm", that_optional=False),
    _v("reaffirm", that_optional=False, noun=True),
    _v("clarify", that_optional=False),
    _v("elaborate", that_optional=False, weight=0.5),
    _v("specify", that_optional=False),
    _v("imply", that_optional=False),
    _v("retort"),
    _v("rebut", past="rebutted", ing="rebutting", that_optional=False),
    _v("dispute", that_optional=False, noun=True),
    _v("confess"),
    _v("confide", that_optional=False),
    _v("concur", past="concurred", ing="concurring", that_optional=False),
    _v("proclaim"),
    _v("reason", that_optional=False),
    _v("theorize", that_optional=False, extra=("theorise", "theorised", "theorises")),
    _v("posit", that_optional=False),
    _v("opine", that_optional=False),
    _v("allow", that_optional=False, weight=0.5),
    _v("grant", that_optional=False, weight=0.5),
    _v("brief", object=True, that_optional=False),
    _v("relate", that_optional=False, weight=0.5),
    _v("inquire", that_optional=False, wh=True, extra=("enquire", "enquired", "enquires")),
    _v("query", that_optional=False, wh=True),
    _v("question", that_optional=False, wh=True, weight=0.5),
    # more ways news introduces quoted words
    _v("press", quote_only=True),
    _v("interrupt", quote_only=True),
    _v("scoff", quote_only=True),
    _v("grumble", quote_only=True),
    _v("gush", quote_only=True),
    _v("marvel", past="marveled", extra=("marvelled",), quote_only=True),
    _v("chide", quote_only=True),
    _v("rail", quote_only=True),
    _v("lecture", quote_only=True),
    _v("chant", quote_only=True),
    _v("plead", past="pleaded", quote_only=True),
    _v("begin", past="began", ing="beginning", quote_only=True),
    # media
    _v("post", quote_only=True),
    _v("tweet", that_optional=False),
)

FORMS: dict[str, ReportingVerb] = {}
for _verb in VERBS:
    for _form in _verb.forms:
        FORMS.setdefault(_form, _verb)

#: single-word forms (multi-word verbs such as "point out" are matched as sequences)
WORD_FORMS: frozenset[str] = frozenset(f for f in FORMS if " " not in f)
#: forms of verbs that take the addressee as an object ("told reporters", "warned them")
OBJECT_FORMS: frozenset[str] = frozenset(f for f, v in FORMS.items() if v.object)
#: forms that may introduce a reported clause (not only quoted words)
CLAUSE_FORMS: frozenset[str] = frozenset(f for f, v in FORMS.items() if not v.quote_only)
#: multi-word forms by their first word: "pointed" -> ("pointed", "out")
MULTI_FORMS: dict[str, tuple[tuple[str, ...], ...]] = {}
for _form in FORMS:
    if " " in _form:
        _parts = tuple(_form.split())
        MULTI_FORMS[_parts[0]] = (*MULTI_FORMS.get(_parts[0], ()), _parts)


def lookup(word: str) -> ReportingVerb | None:
    """The reporting verb ``word`` (any case) is a form of, if any."""
    return FORMS.get(word.lower())
