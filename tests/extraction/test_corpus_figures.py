"""Figure extraction measured on the labelled development corpus (../shared/corpus).

The corpus is not part of the repository (other people's text, shared for development only):
this test reads it when present and skips otherwise. Scoring uses the corpus's own
``score.py`` (value + metric class recall, and the precision lower bound over predictions of
the labelled classes); the floors sit just under what the engine reaches, so a change that
loses figures fails here.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.extraction import extract
from app.services.extraction import extraction_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FIGURES = CORPUS / "figures-dev.jsonl"
RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.79


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_score", CORPUS / "score.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    if not FIGURES.exists() or not (CORPUS / "score.py").exists():
        pytest.skip(f"labelled corpus not present: {FIGURES} (a development-only folder)")
    with FIGURES.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_figure_recall_and_precision_floors(records: list[dict[str, Any]]) -> None:
    score = _scorer()
    acc = score.Acc()
    classes: dict[str, set[str]] = {}
    for r in records:
        for s in r.get("statistics") or []:
            classes.setdefault(r["source"], set()).add(s["metric_class"])
    for r in records:
        if r.get("statistics") is None or r["coverage"]["statistics"] == "none":
            continue
        pred = extraction_document(extract(r["text"]))
        score.score_stats(r, pred, acc, classes[r["source"]], 0)
        score.provenance(pred, acc)
    c = acc.c
    gold = sum(v for k, v in c.items() if k.startswith("st_gold:"))
    tp = sum(v for k, v in c.items() if k.startswith("st_vm_tp:"))
    in_class = sum(v for k, v in c.items() if k.startswith("st_pred_inclass:"))
    recall, precision = tp / gold, tp / in_class
    assert c["prov_ok"] == c["prov_n"]
    assert recall >= RECALL_FLOOR, f"value+metric recall {recall:.3f}"
    assert precision >= PRECISION_FLOOR, f"value+metric precision lower bound {precision:.3f}"
