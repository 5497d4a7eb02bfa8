"""The public search syntax, parsed into a small tree and rendered for each engine.

    words            all must match            ceasefire talks
    "a phrase"       words in this order        "grain corridor"
    prefix*          any word starting so       humanit*   (3 letters at least)
    a OR b           either                     Kharkiv OR Kharkov
    -word, -"a b"    must not match             ceasefire -rumour

Only runs of letters and digits ever reach the engine, each one quoted, so no input can
inject engine syntax. A query with nothing left to find is an error for the caller."""

from __future__ import annotations

from dataclasses import dataclass

import regex

MAX_TERMS = 16
MAX_WORDS_PER_TERM = 8
# A shorter prefix stands for a large share of the vocabulary: `a*` expands to thousands of
# words (FTS5 merges every one's postings, ~50 s for a page at 1M articles).
MIN_PREFIX = 3

_TOKEN = regex.compile(r'(-?)"([^"]*)"?|(-?)([\p{L}\p{N}_]+)(\*?)|(\S)', regex.V1)
_WORD = regex.compile(r"[\p{L}\p{N}]+", regex.V1)


class QuerySyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False


@dataclass(frozen=True)
class Query:
    """All `groups` must match (each group: any of its terms); no `excluded` term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]


def parse(text: str) -> Query:
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = False
    for m in _TOKEN.finditer(text):
        neg_phrase, phrase, neg_word, word, star, other = m.groups()
        if word is not None and word == "OR" and not neg_word:
            join_next = bool(groups)
            continue
        if other is not None:
            continue  # punctuation and stray operators carry no meaning
        raw = phrase if phrase is not None else word
        words = tuple(w.lower() for w in _WORD.findall(raw or ""))[:MAX_WORDS_PER_TERM]
        if not words:
            continue
        term = Term(words=words, prefix=bool(star) and len(words) == 1)
        if term.prefix and len(words[0]) < MIN_PREFIX:
            raise QuerySyntaxError(
                f"a prefix needs at least {MIN_PREFIX} letters before '*' (got {words[0]}*)"
            )
        if neg_phrase or neg_word:
            excluded.append(term)
            join_next = False
            continue
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
        if len(groups) + len(excluded) > MAX_TERMS:
            raise QuerySyntaxError(f"at most {MAX_TERMS} terms per query")
    if not groups:
        raise QuerySyntaxError("the query has no word to search for")
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))


def _fts5_term(term: Term) -> str:
    quoted = '"' + " ".join(term.words) + '"'
    return quoted + " *" if term.prefix else quoted


def to_fts5(query: Query) -> str:
    """SQLite FTS5 MATCH expression (every word double-quoted: a string, never syntax)."""
    ands = " AND ".join(
        "(" + " OR ".join(_fts5_term(t) for t in group) + ")" for group in query.groups
    )
    nots = "".join(f" NOT {_fts5_term(t)}" for t in query.excluded)
    return f"({ands}){nots}"


def _ts_term(term: Term) -> str:
    lexemes = [f"'{w}'" for w in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def to_tsquery(query: Query) -> str:
    """PostgreSQL `to_tsquery('english', ...)` text (words quoted as lexemes)."""
    ands = " & ".join("(" + " | ".join(_ts_term(t) for t in group) + ")" for group in query.groups)
    nots = "".join(f" & !{_ts_term(t)}" for t in query.excluded)
    return ands + nots
