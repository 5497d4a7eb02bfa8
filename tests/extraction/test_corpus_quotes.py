"""Direct quotes and their speakers measured on the labelled development corpus.

Reads ``../shared/corpus/quotes-train.jsonl`` next to the repository and scores it with the
corpus's own ``score.py`` functions; skipped when the corpus is not there (a user's checkout).
The floors sit just under what the engine reaches, so a regression fails here.
"""

from __future__ import annotations

import pytest

from tests.extraction.corpus import prediction, records, scorer

STEP = 3  # every third record (280 of 840): enough to measure, quick enough for the suite
FLOORS = {"direct_f1": 0.965, "speaker_named": 0.88, "indirect_p": 0.85}  # reached: .974 .891 .866


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    score = scorer()
    acc = score.Acc()
    for rec in records("quotes-train.jsonl")[::STEP]:
        if rec.get("quotes") is None:
            continue
        score.score_quotes(rec, prediction(rec["text"]), acc, 0.5, 0)
    c = acc.c
    _, _, direct_f1 = score.prf(c["direct_tp"], c["direct_pred"], c["direct_gold"])
    indirect_p, _, _ = score.prf(c["indirect_tp"], c["indirect_pred"], c["indirect_gold"])
    named = c["spk_direct_named_ok"] / max(1, c["spk_direct_named_n"])
    return {"direct_f1": direct_f1, "speaker_named": named, "indirect_p": indirect_p}


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_corpus_score_floor(scores: dict[str, float], metric: str) -> None:
    assert scores[metric] >= FLOORS[metric], f"{metric} {scores[metric]:.3f} < {FLOORS[metric]}"
