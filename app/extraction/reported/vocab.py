"""Function words that reported-speech rules read: general English grammar, nothing more."""

from __future__ import annotations

import re

from app.extraction.wordtokens import ABBREVIATIONS, word_tokens
from app.extraction.wordtokens import Tok as Tok

TOKEN_RE = re.compile(r"[^\W\d_]+(?:[’'\-.][^\W\d_]+)*(?:[’']s\b)?|\d+|[^\s\w]|_")


def tokenize(text: str, start: int, end: int) -> list[Tok]:
    """Tokens of ``text[start:end]``: words (with inner apostrophes, hyphens and dots),
    numbers and single punctuation marks; "Dr." and "U.S." keep their final dot."""
    return word_tokens(text, start, end, TOKEN_RE, _abbreviation)


def _abbreviation(tok: Tok) -> bool:
    return tok.low in ABBREVIATIONS


def word_set(text: str) -> frozenset[str]:
    """A word set from a space-separated string."""
    return frozenset(text.split())


QUOTE_MARKS = frozenset({"“", "”", "„", "«", "»", '"', "‘", "’", "'", "''", "``"})
CLAUSE_PUNCT = frozenset({".", "!", "?", ";"})
BREAK_PUNCT = frozenset({".", "!", "?", ";", ":", ",", "—", "–", "(", ")", "[", "]"})

#: words between a subject and its reporting verb: auxiliaries, modals, negation, adverbs
AUX = word_set(
    """has have had 's ’s would will could can may might must should shall did does do not
    never also later then again once already first initially originally subsequently
    reportedly separately earlier long since even just still further often frequently
    repeatedly previously recently publicly privately openly flatly firmly consistently
    always sometimes quickly immediately now today yesterday didn’t doesn’t don’t
    won’t wouldn’t hasn’t haven’t hadn’t can’t couldn’t didn't doesn't don't won't wouldn't
    hasn't haven't hadn't can't couldn't"""
)
BE = word_set("is are was were be been being am ’re 're")
SUBJECT_PRONOUNS = word_set("he she they it we i you")
#: subject pronouns that name nobody the reader can look up (the quote keeps no speaker)
VAGUE_PRONOUNS = word_set("it we i you")
OBJECT_PRONOUNS = word_set("me him her us them you it")
#: before a noun, never before a finite verb ("the said", "his claims", "an estimated")
DETERMINERS = word_set(
    """the a an his her their its our my your this these those such no any every each
    another whose either neither"""
)
PREPOSITIONS = word_set(
    """of in on at for with by from about against into onto over under amid among between
    despite after before during without through toward towards upon via within across around
    behind beyond near"""
)
#: clause-introducing words: a subject phrase never runs across them
SUBORDINATORS = word_set(
    """when after before if because although though while since as once until unless whereas
    whether where so than"""
)
RELATIVES = word_set("who which whom whose")
COORDINATORS = word_set("and but or nor yet")
#: a subject phrase holding one of these is a clause, not a noun phrase
NOT_IN_NP = (
    BE
    | word_set(
        """has have had do does did will would can could should may might must not there
        what how why where that who which whom whose when if then also"""
    )
    | SUBJECT_PRONOUNS
    | (OBJECT_PRONOUNS - {"her"})
)
#: adjectives that put a noun reading on "claims", "reports", "notes" ("new claims that")
NOUN_ADJECTIVES = word_set(
    """new recent false similar other earlier latest unfounded baseless repeated further
    additional many numerous several conflicting initial wild media news press public
    official previous such those these some few multiple separate"""
)
WEEKDAYS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs
    fri sat sun"""
)
MONTHS = word_set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
TIME_WORDS = word_set("today yesterday tonight overnight recently earlier")
TIME_HEADS = word_set("morning afternoon evening night week weekend month year day time")
TIME_MODIFIERS = word_set("last this next earlier later late early")
#: where a that-less reported clause may begin
CLAUSE_STARTERS = SUBJECT_PRONOUNS | word_set(
    """the a an his her their its our my your this these those there if whether what why how
    who when where which not no some many most all several every each few more less one two
    three four five six seven eight nine ten both neither either nobody nothing everyone
    everybody everything someone something anyone anything any another"""
)
#: after a comma, these end a reported clause (a new clause or an aside begins)
CLAUSE_ENDERS = word_set(
    """but while whereas although though even despite according adding saying noting arguing
    explaining insisting warning claiming stressing telling"""
)
#: the head words "saying" / "adding" are participles that begin a new report
PARTICIPLE_CUES = word_set(
    """saying adding noting arguing explaining insisting warning claiming stressing telling
    suggesting acknowledging asserting contending declaring emphasizing emphasising
    maintaining recalling reiterating stating writing announcing promising vowing pledging
    predicting conceding confirming denying urging asking complaining pointing charging
    alleging lamenting mentioning observing remarking reporting cautioning reminding
    assuring informing testifying estimating"""
)


def is_word(tok: Tok) -> bool:
    """A token that starts with a letter or a digit."""
    return tok.text[:1].isalnum()


def is_cap(tok: Tok) -> bool:
    """A capitalised word or acronym."""
    return tok.text[:1].isupper()


def is_adverb(tok: Tok) -> bool:
    """A lower-case -ly adverb ("repeatedly", "publicly"), not "only"/"family"-like nouns."""
    low = tok.low
    return not is_cap(tok) and low.endswith("ly") and len(low) > 4 and low not in {"family", "ally"}


def is_time(low: str) -> bool:
    """A day, month or time word that may sit between a cue and its clause."""
    return low in WEEKDAYS or low in TIME_WORDS or (low in MONTHS and low != "may")
