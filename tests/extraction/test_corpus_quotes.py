"""Direct quotes and their speakers measured on the labelled development corpus.

Reads ``../shared/corpus/quotes-train.jsonl`` next to the repository and scores it with the
corpus's own ``score.py`` functions; skipped when the corpus is not there (a user's checkout).
The floors sit just under what the engine reaches, so a regression fails here.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.extraction import ExtractionResult, extract

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
STEP = 3  # every third record (280 of 840): enough to measure, quick enough for the suite
FLOORS = {"direct_f1": 0.965, "speaker_named": 0.88, "indirect_p": 0.85}  # reached: .974 .891 .866


def _prediction(result: ExtractionResult) -> dict[str, Any]:
    """The parts of the API's answer the scorer reads."""
    quotes = [
        {
            "text": q.text,
            "kind": q.kind,
            "speaker": None
            if q.speaker is None
            else {"name": q.speaker.name, "role": q.speaker.role},
            "start": q.start,
            "end": q.end,
        }
        for q in result.quotes
    ]
    return {"body": result.body, "quotes": quotes, "statistics": []}


def _scorer() -> ModuleType:
    path = CORPUS / "score.py"
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    data = CORPUS / "quotes-train.jsonl"
    if not data.exists() or not (CORPUS / "score.py").exists():
        pytest.skip("labelled corpus not present (../shared/corpus/quotes-train.jsonl)")
    score = _scorer()
    with data.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()][::STEP]
    acc = score.Acc()
    for rec in records:
        if rec.get("quotes") is None:
            continue
        pred = _prediction(extract(rec["text"]))
        score.score_quotes(rec, pred, acc, 0.5, 0)
    c = acc.c
    _, _, direct_f1 = score.prf(c["direct_tp"], c["direct_pred"], c["direct_gold"])
    indirect_p, _, _ = score.prf(c["indirect_tp"], c["indirect_pred"], c["indirect_gold"])
    named = c["spk_direct_named_ok"] / max(1, c["spk_direct_named_n"])
    return {"direct_f1": direct_f1, "speaker_named": named, "indirect_p": indirect_p}


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_corpus_score_floor(scores: dict[str, float], metric: str) -> None:
    assert scores[metric] >= FLOORS[metric], f"{metric} {scores[metric]:.3f} < {FLOORS[metric]}"
