"""Speaker resolution: one cluster per person or body quoted, pronouns and roles resolved.

``Resolver`` is a mixin of the quote finder.
"""

from __future__ import annotations

import bisect

import regex

from app.extraction.quoting.events import _Cluster, _Event
from app.extraction.quoting.phrases import CLAUSE_PLURAL, PhraseRules
from app.extraction.speakers import SpeakerPhrase, role_head, same_person, words
from app.extraction.types import ExtractedQuote, ExtractedSpeaker

NAME_RUN_RE = regex.compile(
    r"(?<![\p{L}\p{M}])\p{Lu}[\p{L}\p{M}'’.\-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.\-]*){1,5}"
)
NOT_NAME_START = {"as", "when", "but", "and", "if", "after", "before", "while", "the", "a", "an",
                  "in", "on", "at", "for", "with", "from", "by", "of", "to", "then", "so", "yet",
                  "i", "we", "he", "she", "they", "it", "this", "that", "since", "because",
                  "although", "though", "until", "said", "says", "told", "asked", "why", "how",
                  "what", "where", "who", "according", "like", "unlike", "meanwhile", "still",
                  "also", "even", "now", "today", "yesterday", "last", "next", "mr", "ms",
                  "mrs", "dr"}  # fmt: skip


class Resolver(PhraseRules):
    """Clusters the speakers of all quote events and builds the extracted quotes."""

    events: list[_Event]
    speakers: list[ExtractedSpeaker]
    _names: dict[str, list[int]]

    def para_of(self, pos: int) -> int:
        raise NotImplementedError

    def resolve(self) -> list[ExtractedQuote]:
        self.events.sort(key=lambda e: e.start)
        clusters: list[_Cluster] = []
        history: list[int] = []  # cluster ids in order of attribution

        def new_cluster(p: SpeakerPhrase) -> int:
            clusters.append(_Cluster([p], p.named))
            self._expand_one(clusters[-1])
            return len(clusters) - 1

        def find_named(p: SpeakerPhrase) -> int | None:
            for ci in range(len(clusters) - 1, -1, -1):
                c = clusters[ci]
                if c.named and any(x.named and same_person(x.name, p.name) for x in c.names):
                    return ci
            return None

        for ev in self.events:
            p = ev.attr.phrase
            if p is None:
                continue
            cid: int | None = None
            if p.pronoun in ("he", "she"):
                for ci in reversed(history):
                    if (
                        clusters[ci].named
                        or clusters[ci].names[-1].name.split()[-1].lower() not in CLAUSE_PLURAL
                    ):
                        cid = ci
                        break
            elif p.pronoun == "they":
                for ci in reversed(history):
                    if not clusters[ci].named:
                        cid = ci
                        break
            elif p.named:
                cid = find_named(p)
                if cid is None:
                    cid = new_cluster(p)
                else:
                    clusters[cid].names.append(p)
            else:
                head = role_head(p.role)
                short = len(p.name.split()) <= 3
                if head and short:
                    for ci in reversed(history):
                        roles = [role_head(x.role) for x in clusters[ci].names]
                        if head in roles:
                            cid = ci
                            break
                if cid is None:
                    for ci, c in enumerate(clusters):
                        if not c.named and any(x.name.lower() == p.name.lower() for x in c.names):
                            cid = ci
                            break
                if cid is None:
                    cid = new_cluster(p)
                else:
                    clusters[cid].names.append(p)
            ev.cluster = cid
            if cid is not None:
                history.append(cid)
        self._merge_roles(clusters)
        self._expand_surnames(clusters)
        self._inherit(history)
        speakers = [self._speaker(c) for c in clusters]
        self.speakers = speakers
        out: list[ExtractedQuote] = []
        for ev in self.events:
            sp = speakers[ev.cluster] if ev.cluster is not None else None
            out.append(
                ExtractedQuote(
                    self.body[ev.start : ev.end],
                    "direct" if ev.kind == "direct" else "indirect",
                    sp,
                    ev.attr.cue,
                    ev.attr.context,
                    ev.start,
                    ev.end,
                    tuple(ev.rules),
                )
            )
        return out

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
                    rw = {w.low for w in words(role)}
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
            elif nxt is not None and nxt.para == ev.para and nxt.cluster is not None:
                ev.cluster, ev.attr.cue = nxt.cluster, nxt.attr.cue
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
            end = min(len(self.body), start + 300)
            tail = words(self.body, start, end)
            stop = self.np_forward(tail, 0)
            phrase = self.parse(tail[:stop])
            if (
                phrase is not None
                and phrase.named
                and phrase.name.endswith(surname)
                and len(phrase.name.split()) > 1
                and not any(self.is_place(w) for w in phrase.name.split()[:-1])
            ):
                c.names.append(phrase)
                return

    def _name_index(self) -> dict[str, list[int]]:
        """Last word of each run of capitalised words -> where such runs start (one scan)."""
        index: dict[str, list[int]] | None = getattr(self, "_names", None)
        if index is not None:
            return index
        index = {}
        for m in NAME_RUN_RE.finditer(self.body, 0, min(len(self.body), 200_000)):
            toks = m.group().split()
            base = m.start()
            offsets = [base + m.group().index(toks[0])]
            pos = offsets[0] + len(toks[0])
            for w in toks[1:]:
                pos = self.body.index(w, pos)
                offsets.append(pos)
                pos += len(w)
            first = 0
            while first < len(toks) - 1 and toks[first].lower() in NOT_NAME_START:
                first += 1
            for k in range(first + 1, len(toks)):
                index.setdefault(toks[k].rstrip(".,"), []).append(offsets[first])
        self._names = index
        return index

    @staticmethod
    def _speaker(c: _Cluster) -> ExtractedSpeaker:
        names = c.names
        if c.named:
            named = [x for x in names if x.named]
            best = max(named, key=lambda x: (len(x.name.split()), len(x.name)))
            role = best.role or next((x.role for x in named if x.role), None)
            org = best.organisation or next((x.organisation for x in named if x.organisation), None)
            return ExtractedSpeaker(best.name, role, org)
        best = max(names, key=lambda x: len(x.name))
        return ExtractedSpeaker(best.name, best.role, best.organisation)
