"""Reporting verbs: how English news introduces what someone said.

Each entry is one lemma with its inflected forms and how the verb behaves around a quote or a
reported clause. General knowledge of English reporting, not a list taken from any text.

* ``object``: takes the addressee as an object before the content ("told reporters that",
  "assured lawmakers ...");
* ``that_optional``: the content clause may follow without "that" ("said the road was shut");
* ``passive``: "it was reported that ..." / "X was quoted as saying" style use is speech;
* ``quote_only``: only introduces quoted words, never a reported clause ("joked", "quipped");
* ``weight``: 1.0 for plain speech verbs, lower for verbs that are often not speech
  ("noted" is speech, "showed" would not be listed at all).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReportingVerb:
    lemma: str
    forms: tuple[str, ...]
    object: bool = False
    that_optional: bool = True
    passive: bool = False
    quote_only: bool = False
    weight: float = 1.0


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
    object: bool = False,
    that_optional: bool = True,
    passive: bool = False,
    quote_only: bool = False,
    weight: float = 1.0,
) -> ReportingVerb:
    forms = _forms(lemma, past, third, ing, extra)
    return ReportingVerb(lemma, forms, object, that_optional, passive, quote_only, weight)


VERBS: tuple[ReportingVerb, ...] = (
    # plain speech
    _v("say", past="said", third="says", passive=True),
    _v("tell", past="told", object=True),
    _v("add", passive=True),
    _v("state", passive=True),
    _v("explain"),
    _v("note"),
    _v("remark"),
    _v("comment"),
    _v("mention"),
    _v("observe"),
    _v("write", past="wrote", ing="writing", extra=("written",)),
    _v("report", passive=True),
    _v("announce", passive=True),
    _v("declare"),
    _v("reply"),
    _v("respond", that_optional=False),
    _v("answer", that_optional=False),
    _v("continue", quote_only=True),
    _v("recall"),
    _v("recount"),
    _v("describe", quote_only=True),
    _v("repeat"),
    _v("reiterate"),
    # stance and emphasis
    _v("emphasize", extra=("emphasise", "emphasised", "emphasises", "emphasising")),
    _v("stress"),
    _v("underline"),
    _v("underscore"),
    _v("insist"),
    _v("maintain"),
    _v("argue"),
    _v("contend"),
    _v("assert"),
    _v("claim", passive=True),
    _v("allege", passive=True),
    _v("charge"),
    _v("accuse", object=True, that_optional=False),
    _v("deny", that_optional=False),
    _v("admit", past="admitted", ing="admitting"),
    _v("acknowledge"),
    _v("concede"),
    _v("confirm", passive=True),
    _v("point out", past="pointed out", third="points out", ing="pointing out"),
    _v("suggest"),
    _v("estimate", passive=True),
    _v("predict"),
    _v("forecast", past="forecast", extra=("forecasted",)),
    _v("conclude"),
    _v("agree"),
    _v("disagree", that_optional=False),
    _v("counter"),
    _v("object", that_optional=False),
    _v("protest"),
    _v("complain"),
    _v("lament"),
    _v("concede"),
    _v("boast"),
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
    _v("wonder"),
    _v("ask", that_optional=False, object=True),
    _v("demand"),
    _v("urge", object=True, that_optional=False),
    # warnings and commitments
    _v("warn", object=True),
    _v("caution", object=True),
    _v("threaten"),
    _v("promise", object=True),
    _v("pledge", past="pledged"),
    _v("vow", past="vowed"),
    _v("swear", past="swore", extra=("sworn",)),
    _v("assure", object=True),
    _v("reassure", object=True, that_optional=False),
    _v("inform", object=True),
    _v("advise", object=True),
    _v("remind", object=True),
    _v("testify", past="testified", third="testifies"),
    _v("disclose"),
    _v("reveal"),
    _v("signal", past="signaled", extra=("signalled", "signalling")),
    _v("hint"),
    _v("indicate"),
    _v("predict"),
    _v("speculate"),
    _v("recommend"),
    _v("propose"),
    # more ways news introduces quoted words
    _v("press", quote_only=True),
    _v("retort", quote_only=True),
    _v("interrupt", quote_only=True),
    _v("scoff", quote_only=True),
    _v("grumble", quote_only=True),
    _v("gush", quote_only=True),
    _v("marvel", past="marveled", extra=("marvelled",), quote_only=True),
    _v("chide", quote_only=True),
    _v("concur", past="concurred", ing="concurring"),
    _v("rail", quote_only=True),
    _v("lecture", quote_only=True),
    _v("chant", quote_only=True),
    _v("plead", past="pleaded", quote_only=True),
    _v("begin", past="began", ing="beginning", quote_only=True),
    # media
    _v("post", quote_only=True),
    _v("tweet", quote_only=True),
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


def lookup(word: str) -> ReportingVerb | None:
    """The reporting verb ``word`` (any case) is a form of, if any."""
    return FORMS.get(word.lower())
