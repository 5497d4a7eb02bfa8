"""Attribution of direct quotes: who said the words in quotation marks.

``DirectAttribution`` is a mixin of the quote finder (it needs the phrase rules).
"""

from __future__ import annotations

from app.extraction.quoting.events import _Attribution
from app.extraction.quoting.phrases import PhraseRules
from app.extraction.speakers import CUE_VERBS, words


class DirectAttribution(PhraseRules):
    """Attribution windows after and before a quote."""

    def attribution_after(self, pos: int, limit: int) -> _Attribution | None:
        toks = words(self.body, pos, limit)
        j = 0
        while j < len(toks) and toks[j].text in (",", ".", "!", "?", "—", "–", "-", "…", "'"):
            j += 1
        cut = len(toks)
        for idx in range(j, len(toks)):
            if toks[idx].text in ("“", '"', "«", "‘") or (
                toks[idx].text == "'" and idx + 1 < len(toks) and toks[idx + 1].text == "'"
            ):
                cut = idx
                break
        toks = toks[:cut]
        if j >= len(toks):
            return None
        if toks[j].low in CUE_VERBS and toks[j].low not in ("reports", "post", "posted"):
            end = self.np_forward(toks, j + 1)
            phrase = self.parse(toks[j + 1 : end])
            if phrase is not None:
                return _Attribution(phrase, toks[j].low, self.context_after(toks, end, None))
            return None
        for k in range(j + 1, min(len(toks), j + 16)):
            if toks[k].low in CUE_VERBS and toks[k - 1].low not in ("was", "were", "been", "be"):
                start, np_end = self.np_backward(toks, k, j)
                if start != j or np_end <= start:
                    return None
                phrase = self.parse(toks[start:np_end])
                if phrase is None:
                    return None
                return _Attribution(
                    phrase, toks[k].low, self.context_after(toks, k + 1, toks[k].low)
                )
            if toks[k].text in (".", "!", "?", ";"):
                break
        return None

    def attribution_before(self, start: int, pos: int) -> _Attribution | None:
        toks = words(self.body, start, pos)
        floor = 0
        for idx in range(len(toks) - 1, -1, -1):
            if toks[idx].text in ("“", "”", '"', "«", "»"):
                floor = idx + 1
                break
        toks = toks[floor:]
        while toks and toks[-1].text in (",", ":", "—", "–", "-"):
            toks = toks[:-1]
        if not toks:
            return None
        # "According to X, “…”"
        for k in range(len(toks) - 1):
            if toks[k].low == "according" and toks[k + 1].low == "to":
                end = self.np_forward(toks, k + 2)
                phrase = self.parse(toks[k + 2 : end])
                if phrase is not None:
                    return _Attribution(phrase, "according to", None)
        for k in range(len(toks) - 1, -1, -1):
            t = toks[k]
            if t.low in CUE_VERBS and (k == 0 or toks[k - 1].low not in ("was", "were", "been")):
                if k == 0:
                    continue
                s, np_end = self.np_backward(toks, k)
                if s < np_end:
                    phrase = self.parse(toks[s:np_end])
                    if phrase is not None:
                        return _Attribution(phrase, t.low, self.context_after(toks, k + 1, t.low))
                # inverted before the quote: "said the minister: “…”"
                end = self.np_forward(toks, k + 1)
                if end > k + 1:
                    phrase = self.parse(toks[k + 1 : end])
                    if phrase is not None:
                        return _Attribution(phrase, t.low, self.context_after(toks, end, None))
        return None
