"""Reported speech measured on the labelled development corpus (read-only, when present).

The corpus lives outside the repository (``../shared/corpus``); a user's checkout has no copy,
so the test skips then. Scoring uses the corpus's own ``score.py`` (imported by path) on a
fixed slice of documents, and fails when indirect speech-cue recall or indirect precision fall
below floors set a little under what the engine reaches.
"""

from __future__ import annotations

from tests.extraction.corpus import prediction, records, scorer

DOCS = 200
RECALL_FLOOR = 0.65
PRECISION_FLOOR = 0.83


def test_indirect_speech_on_the_corpus() -> None:
    score = scorer()
    acc = score.Acc()
    for rec in records("quotes-train.jsonl")[:DOCS]:
        if rec.get("quotes") is not None:
            score.score_quotes(rec, prediction(rec["text"]), acc, 0.5, 0)
    c = acc.c
    recall = c["indirect_speech_tp"] / max(1, c["indirect_speech_gold"])
    precision = c["indirect_tp"] / max(1, c["indirect_pred"])
    assert recall >= RECALL_FLOOR, f"indirect speech-cue recall {recall:.3f}"
    assert precision >= PRECISION_FLOOR, f"indirect precision {precision:.3f}"
