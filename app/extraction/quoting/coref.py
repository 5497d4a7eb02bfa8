"""Speaker resolution: one cluster per person or body quoted, pronouns and roles resolved.

``Resolver`` is a mixin of the quote finder.
"""

from __future__ import annotations

import bisect
from abc import abstractmethod
from functools import lru_cache

from app.extraction.lexicon.names import gender_of
from app.extraction.lexicon.organisations import canonical
from app.extraction.quoting.events import _Cluster, _Event
from app.extraction.quoting.phrases import CLAUSE_PLURAL, PhraseRules
from app.extraction.speakers import SpeakerPhrase, role_head, same_person, words
from app.extraction.types import ExtractedQuote, ExtractedSpeaker, QuoteKind


def _same(a: SpeakerPhrase, b: SpeakerPhrase) -> bool:
    """One person ("Umerov" / "Rustem Umerov") or one organisation ("UN" / "United Nations")."""
    return _same_names(a.name, b.name, a.organisation == a.name or b.organisation == b.name)


@lru_cache(maxsize=16384)
def _same_names(a: str, b: str, body: bool) -> bool:
    # cached: a new mention is compared with every mention of every cluster before it, and an
    # article names the same few speakers again and again
    if body:
        return canonical(a) == canonical(b) or same_person(a, b)
    return same_person(a, b)


def _plural(c: _Cluster) -> bool:
    if c.named:
        return any(x.organisation == x.name for x in c.names)
    last = c.names[-1].name.split()[-1].lower()
    return last in CLAUSE_PLURAL or (last.endswith("s") and not last.endswith("ss"))


def _gender(c: _Cluster) -> str | None:
    for x in c.names:
        g = gender_of(x.name, x.role)
        if g is not None:
            return g
    return None


@lru_cache(maxsize=4096)
def _low_words(text: str) -> frozenset[str]:
    """The lower-cased words of a (role) phrase."""
    return frozenset(w.low for w in words(text))


class Resolver(PhraseRules):
    """Clusters the speakers of all quote events and builds the extracted quotes."""

    events: list[_Event]
    speakers: list[ExtractedSpeaker]
    _phrases_at: dict[int, SpeakerPhrase | None]

    @abstractmethod
    def para_of(self, pos: int) -> int:
        """Index of the paragraph holding ``pos`` (the quote finder that mixes this in)."""

    def resolve(self) -> list[ExtractedQuote]:
        self.events.sort(key=lambda e: e.start)
        clusters: list[_Cluster] = []
        history: list[int] = []  # cluster ids in order of attribution
        for ev in self.events:
            p = ev.attr.phrase
            if p is None:
                continue
            if p.pronoun is not None:
                cid = self._pronoun(p.pronoun, clusters, history)
                if cid is not None:
                    ev.rules.append("coref.pronoun")
            elif p.named or p.name == p.organisation:  # a person, or a body ("the UN")
                cid = self._named_cluster(p, clusters, ev)
            else:
                cid = self._description_cluster(p, clusters, history, ev)
            ev.cluster = cid
            if cid is not None:
                history.append(cid)
        self._merge_roles(clusters)
        self._expand_surnames(clusters)
        self._inherit(history)
        speakers = [self._speaker(c) for c in clusters]
        self.speakers = speakers
        return [self._quote(ev, speakers) for ev in self.events]

    def _quote(self, ev: _Event, speakers: list[ExtractedSpeaker]) -> ExtractedQuote:
        sp = speakers[ev.cluster] if ev.cluster is not None else None
        kind: QuoteKind = "direct" if ev.kind == "direct" else "indirect"
        body = self.body
        ctx = ev.attr.context
        return ExtractedQuote(
            body[ev.start : ev.end], kind, sp, ev.attr.cue, ctx, ev.start, ev.end, tuple(ev.rules)
        )

    def _new_cluster(self, p: SpeakerPhrase, clusters: list[_Cluster]) -> int:
        clusters.append(_Cluster([p], p.named or p.name == p.organisation))
        self._expand_one(clusters[-1])
        return len(clusters) - 1

    def _named_cluster(self, p: SpeakerPhrase, clusters: list[_Cluster], ev: _Event) -> int:
        """``coref.alias``: a name joins the latest speaker it may denote ("Umerov")."""
        for ci in range(len(clusters) - 1, -1, -1):
            c = clusters[ci]
            if c.named and any(_same(x, p) for x in c.names if x.named or x.organisation):
                if all(x.name != p.name for x in c.names):
                    ev.rules.append("coref.alias")
                c.names.append(p)
                return ci
        return self._new_cluster(p, clusters)

    def _description_cluster(
        self, p: SpeakerPhrase, clusters: list[_Cluster], history: list[int], ev: _Event
    ) -> int:
        """``coref.role``: "the minister" is the latest speaker with that role; otherwise one
        cluster per distinct description."""
        head = role_head(p.role)
        cid: int | None = None
        if head and len(p.name.split()) <= 3:
            for ci in reversed(history):
                if head in [role_head(x.role) for x in clusters[ci].names]:
                    cid = ci
                    ev.rules.append("coref.role")
                    break
        if cid is None:
            low = p.name.lower()
            cid = next(
                (
                    ci
                    for ci, c in enumerate(clusters)
                    if not c.named and any(x.name.lower() == low for x in c.names)
                ),
                None,
            )
        if cid is None:
            return self._new_cluster(p, clusters)
        clusters[cid].names.append(p)
        return cid

    def _pronoun(self, pronoun: str, clusters: list[_Cluster], history: list[int]) -> int | None:
        """``coref.pronoun``: he/she -> the latest singular speaker of a compatible gender
        (unknown gender is compatible); they -> the latest plural description or body."""
        if pronoun == "they":
            return next((ci for ci in reversed(history) if _plural(clusters[ci])), None)
        want = "m" if pronoun == "he" else "f"
        for ci in reversed(history):
            c = clusters[ci]
            if _plural(c):
                continue
            g = _gender(c)
            if g is None or g == want:
                return ci
        return None

    def _merge_roles(self, clusters: list[_Cluster]) -> None:
        """Merge a description ("Ukraine's Defense Minister") into the one named speaker whose
        role words it contains ("Defense Minister Rustem Umerov")."""
        for ci, c in enumerate(clusters):
            if c.named:
                continue
            desc = {
                w.low.replace("’s", "").replace("'s", "") for p in c.names for w in words(p.name)
            }
            matches = []
            for cj, other in enumerate(clusters):
                if not other.named:
                    continue
                roles = [x.role for x in other.names if x.role]
                for role in roles:
                    rw = _low_words(role)
                    if rw and role_head(role) and rw <= desc:
                        matches.append(cj)
                        break
            if len(matches) == 1:
                target = matches[0]
                clusters[target].names.extend(c.names)
                for ev in self.events:
                    if ev.cluster == ci:
                        ev.cluster = target

    def _inherit(self, history: list[int]) -> None:
        direct = [e for e in self.events if e.kind == "direct"]
        attributed = [e for e in self.events if e.cluster is not None]
        attributed_starts = [e.start for e in attributed]
        for idx, ev in enumerate(direct):
            if ev.cluster is not None or ev.attr.phrase is not None:
                continue
            prev = direct[idx - 1] if idx > 0 else None
            nxt = direct[idx + 1] if idx + 1 < len(direct) else None
            if prev is not None and prev.para == ev.para and prev.cluster is not None:
                ev.cluster, ev.attr.cue = prev.cluster, prev.attr.cue
                ev.rules.append("coref.piece")
            elif nxt is not None and nxt.para == ev.para and nxt.cluster is not None:
                ev.cluster, ev.attr.cue = nxt.cluster, nxt.attr.cue
                ev.rules.append("coref.piece")
            else:
                k = bisect.bisect_left(attributed_starts, ev.start) - 1
                before = attributed[k] if k >= 0 else None
                if (
                    before is not None
                    and self.para_of(ev.mark_start) - before.para <= 2
                    and (
                        self.body[ev.mark_start - 1 : ev.mark_start] in ("", "\n")
                        or self.body[max(0, ev.mark_start - 80) : ev.mark_start]
                        .rstrip()
                        .endswith(":")
                    )
                ):
                    ev.cluster = before.cluster
                    ev.rules.append("coref.previous")
            ev.inherited = ev.cluster is not None

    def _expand_surnames(self, clusters: list[_Cluster]) -> None:
        """A speaker named by surname only ("Ishaq") takes the fuller name the article gives
        elsewhere ("Mariam Ishaq, a 45-year-old teacher"), with its apposition as role."""
        for c in clusters:
            self._expand_one(c)

    def _expand_one(self, c: _Cluster) -> None:
        """``coref.surname``: a surname-only speaker takes the fuller name given elsewhere."""
        if not c.named or any(len(x.name.split()) > 1 for x in c.names if x.named):
            return
        surname = c.names[0].name
        for start in self._name_index().get(surname, ())[:8]:
            phrase = self._phrase_at(start)
            if (
                phrase is not None
                and phrase.named
                and phrase.name.endswith(surname)
                and len(phrase.name.split()) > 1
                and not any(self.is_place(w) for w in phrase.name.split()[:-1])
            ):
                c.names.append(phrase)
                return

    def _phrase_at(self, start: int) -> SpeakerPhrase | None:
        """The speaker phrase that opens at ``start`` (parsed once per place: every cluster is
        expanded when made and again at the end, and clusters share surnames)."""
        cache: dict[int, SpeakerPhrase | None] | None = getattr(self, "_phrases_at", None)
        if cache is None:
            cache = self._phrases_at = {}
        if start not in cache:
            tail = words(self.body, start, min(len(self.body), start + 300))
            cache[start] = self.parse(tail[: self.np_forward(tail, 0)])
        return cache[start]

    @staticmethod
    def _speaker(c: _Cluster) -> ExtractedSpeaker:
        """The cluster's speaker: its fullest name, organisations under one canonical name."""
        names = c.names
        if c.named:
            named = [x for x in names if x.named] or names
            best = max(named, key=lambda x: (len(x.name.split()), len(x.name)))
            role = best.role or next((x.role for x in named if x.role), None)
            org = best.organisation or next((x.organisation for x in named if x.organisation), None)
            name = best.name  # bodies keep the fullest form the article writes ("UN" alone stays)
            return ExtractedSpeaker(name, None if role == best.name else role, org)
        best = max(names, key=lambda x: len(x.name))
        return ExtractedSpeaker(best.name, best.role, best.organisation, named=False)
