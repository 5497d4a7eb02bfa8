"""Reported speech measured on the labelled development corpus (read-only, when present).

The corpus lives outside the repository (``../shared/corpus``); a user's checkout has no copy,
so the test skips then. Scoring uses the corpus's own ``score.py`` (imported by path) on a
fixed slice of documents, and fails when indirect speech-cue recall or indirect precision fall
below floors set a little under what the engine reaches.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.extraction import extract

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
DOCS = 200
RECALL_FLOOR = 0.65
PRECISION_FLOOR = 0.83


def _scorer() -> ModuleType:
    path = CORPUS / "score.py"
    spec = importlib.util.spec_from_file_location("corpus_score", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predict(text: str) -> dict[str, Any]:
    result = extract(text)
    quotes = [
        {
            "text": q.text,
            "kind": q.kind,
            "speaker": {"name": q.speaker.name, "role": q.speaker.role} if q.speaker else None,
            "start": q.start,
            "end": q.end,
        }
        for q in result.quotes
    ]
    return {"body": result.body, "quotes": quotes, "statistics": []}


def test_indirect_speech_on_the_corpus() -> None:
    path = CORPUS / "quotes-train.jsonl"
    if not path.exists():
        pytest.skip("labelled corpus not present: ../shared/corpus/quotes-train.jsonl")
    score = _scorer()
    acc = score.Acc()
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= DOCS:
                break
            rec = json.loads(line)
            if rec.get("quotes") is None:
                continue
            score.score_quotes(rec, _predict(rec["text"]), acc, 0.5, 0)
    c = acc.c
    recall = c["indirect_speech_tp"] / max(1, c["indirect_speech_gold"])
    precision = c["indirect_tp"] / max(1, c["indirect_pred"])
    assert recall >= RECALL_FLOOR, f"indirect speech-cue recall {recall:.3f}"
    assert precision >= PRECISION_FLOOR, f"indirect precision {precision:.3f}"
