"""What the quote stages pass between them: attributions and quote events."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.extraction.speakers import SpeakerPhrase


@dataclass(slots=True)
class _Attribution:
    phrase: SpeakerPhrase | None
    cue: str | None
    context: str | None
    rule: str | None = None


@dataclass(slots=True)
class _Event:
    start: int
    end: int
    kind: str
    mark_start: int
    mark_end: int
    para: int
    attr: _Attribution
    cluster: int | None = None
    inherited: bool = False
    rules: list[str] = field(default_factory=list)
    kept: bool = True


def _reported(span: tuple[int, int], para: int, attribution: _Attribution) -> _Event:
    """An indirect quote: the reported clause is both the quote and its marked span."""
    return _Event(span[0], span[1], "indirect", span[0], span[1], para, attribution)


@dataclass(slots=True)
class _Cluster:
    names: list[SpeakerPhrase] = field(default_factory=list)
    named: bool = False
