"""What a figure refers to in time: its reference time, that time's precision and its nature.

``resolve(sentence, published, nature)`` reads the figure's sentence for a time expression and
resolves it against the article's publication time (UTC):

* ``overnight``, ``today``, ``this morning`` ... -> the publication day (``day``);
  ``yesterday``, ``last night`` -> the day before (``day``);
* ``on Friday``, ``Friday's`` -> the latest Friday on or before publication (``day``);
* ``on 12 March`` / ``March 12`` (with or without a year) -> that day (``day``);
* ``this week`` / ``last week`` -> the Monday of that week (``week``);
* ``in March`` / ``in March 2024`` / ``last month`` -> the first of that month (``month``);
* ``last year`` / ``in 2023`` -> the first of January (``year``);
* a running total, ``since February 2022``, ``so far this year``, ``to date``, ``in total``
  -> an *as of* time: the publication day (``day``), and the nature becomes ``cumulative``.

A month or weekday without a year is the latest one not after publication. The nature is the
metric registry's (``event`` or ``cumulative``) unless a running-total cue says cumulative.
Nothing found: no reference time (``None``), the registry's nature. Each result names the rule
that produced it (``reference.<rule>``). Pure and cheap: one pre-check on a few letters, then
at most a handful of regular-expression searches per sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

import regex

Precision = Literal["day", "week", "month", "year"]
Nature = Literal["event", "cumulative"]

MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTH_NUMBER = (
    {m: i + 1 for i, m in enumerate(MONTHS)}
    | {m[:3]: i + 1 for i, m in enumerate(MONTHS) if m != "may"}
    | {"sept": 9}
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH = r"(?P<month>" + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"

CUMULATIVE_RE = regex.compile(
    r"(?i)\b(?:since\s+(?:the\s+(?:start|beginning|outbreak)\b|(?:early\s+|late\s+|mid-?)?"
    + _MONTH.replace("month", "smonth")
    + r"|(?:19|20)\d\d\b|(?:the\s+)?(?:war|invasion|conflict|fighting|siege|offensive)\b)"
    r"|so\s+far(?:\s+this\s+(?:year|month|week))?|to\s+date|in\s+total|a\s+total\s+of"
    r"|cumulative(?:ly)?|since\s+then|until\s+now|up\s+to\s+now)"
)
DAY_DATE_RE = regex.compile(
    r"(?i)\b(?:" + _DAYNUM + r"\s+" + _MONTH + r"|" + _MONTH.replace("month", "month2")
    + r"\s+" + _DAYNUM.replace("day", "day2") + r")\b(?:,?\s+" + _YEAR + r")?"
)  # fmt: skip
_WEEKDAY = "(?P<wd>" + "|".join(WEEKDAYS) + ")"
WEEKDAY_RE = regex.compile(
    r"(?i)\b(?:(?:on|last|this|early|late|since)\s+"
    + _WEEKDAY
    + r"|"
    + _WEEKDAY.replace("wd", "wd2")
    + r"['\u2019]s)\b"
)
RELATIVE_DAY_RE = regex.compile(
    r"(?i)\b(?P<word>overnight|yesterday|today|tonight|last\s+night|this\s+(?:morning|afternoon"
    r"|evening)|earlier\s+today|(?:on\s+)?the\s+previous\s+day|the\s+day\s+before)\b"
)
DAY_BEFORE = ("previous day", "day before")
WEEK_RE = regex.compile(r"(?i)\b(?P<which>this|last|past|previous)\s+week\b")
MONTH_IN_RE = regex.compile(
    r"(?i)\b(?:in|during|throughout|since|early|late|mid-?|of)\s+" + _MONTH + r"(?:\s+" + _YEAR
    + r")?\b"
)  # fmt: skip
LAST_MONTH_RE = regex.compile(r"(?i)\b(?P<which>this|last|past|previous)\s+month\b")
YEAR_RE = regex.compile(r"(?i)\b(?:(?P<last>last|this)\s+year|in\s+" + _YEAR + r")\b")
# Only sentences holding one of these letter runs can name a time.
PRECHECK_RE = regex.compile(
    r"(?i)night|day|week|month|year|since|so far|to date|total|cumulat|until|up to now|"
    r"morning|afternoon|evening|tonight|\b(?:"
    + "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))
    + r")\b|\b(?:19|20)\d\d\b"
)


@dataclass(frozen=True, slots=True)
class Reference:
    """A figure's reference time (UTC midnight of its start), precision, nature and rule."""

    time: datetime | None
    precision: Precision | None
    nature: Nature
    rule: str


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def _month_back(published: date, month: int, year: str | None) -> date:
    """The first of `month` (in `year`, else the latest not after publication)."""
    if year is not None:
        return date(int(year), month, 1)
    y = published.year if month <= published.month else published.year - 1
    return date(y, month, 1)


def _month_of(word: str) -> int | None:
    """The month a matched word names; lower-case "may" and "march" are verbs."""
    if word in ("may", "march"):
        return None
    return MONTH_NUMBER[word.lower().rstrip(".")]


def _day_date(m: regex.Match[str], published: date) -> date | None:
    month = _month_of(m.group("month") or m.group("month2"))
    if month is None:
        return None
    day = int(m.group("day") or m.group("day2"))
    year = m.group("year")
    try:
        if year is not None:
            return date(int(year), month, day)
        found = date(published.year, month, day)
        return found if found <= published else date(published.year - 1, month, day)
    except ValueError:
        return None  # "31 February": not a date


def _day(sentence: str, published: date, nature: Nature) -> Reference | None:
    m = DAY_DATE_RE.search(sentence)
    if m is not None:
        found = _day_date(m, published)
        if found is not None:
            return Reference(_midnight(found), "day", nature, "reference.date")
    m = RELATIVE_DAY_RE.search(sentence)
    if m is not None:
        word = " ".join(m.group("word").lower().split())
        back = 1 if word in ("yesterday", "last night") or word.endswith(DAY_BEFORE) else 0
        return Reference(
            _midnight(published - timedelta(days=back)), "day", nature, "reference.relative_day"
        )
    m = WEEKDAY_RE.search(sentence)
    if m is not None:
        weekday = WEEKDAYS.index((m.group("wd") or m.group("wd2")).lower())
        back = (published.weekday() - weekday) % 7
        return Reference(
            _midnight(published - timedelta(days=back)), "day", nature, "reference.weekday"
        )
    return None


def _coarse(sentence: str, published: date, nature: Nature) -> Reference | None:
    m = WEEK_RE.search(sentence)
    if m is not None:
        monday = published - timedelta(days=published.weekday())
        if m.group("which").lower() != "this":
            monday -= timedelta(days=7)
        return Reference(_midnight(monday), "week", nature, "reference.week")
    m = MONTH_IN_RE.search(sentence)
    month = _month_of(m.group("month")) if m is not None else None
    if m is not None and month is not None:
        first = _month_back(published, month, m.group("year"))
        return Reference(_midnight(first), "month", nature, "reference.month")
    m = LAST_MONTH_RE.search(sentence)
    if m is not None:
        first = published.replace(day=1)
        if m.group("which").lower() != "this":
            first = (first - timedelta(days=1)).replace(day=1)
        return Reference(_midnight(first), "month", nature, "reference.month_relative")
    m = YEAR_RE.search(sentence)
    if m is not None:
        year = int(m.group("year")) if m.group("year") else published.year
        if m.group("last") and m.group("last").lower() == "last":
            year = published.year - 1
        return Reference(_midnight(date(year, 1, 1)), "year", nature, "reference.year")
    return None


def resolve(sentence: str, published: datetime | None, nature: Nature = "event") -> Reference:
    """The reference of a figure whose sentence is `sentence`, in an article published at
    `published` (no publication time: nothing can be resolved), of a metric of `nature`."""
    if published is None or PRECHECK_RE.search(sentence) is None:
        return Reference(None, None, nature, "reference.none")
    pub = (published if published.tzinfo else published.replace(tzinfo=UTC)).astimezone(UTC)
    day = pub.date()
    if CUMULATIVE_RE.search(sentence) is not None:
        # A running total is cumulative, whatever the registry says of its metric.
        return Reference(_midnight(day), "day", "cumulative", "reference.running_total")
    found = _day(sentence, day, nature) or _coarse(sentence, day, nature)
    return found or Reference(None, None, nature, "reference.none")
