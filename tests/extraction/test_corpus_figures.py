"""Figure extraction measured on the labelled development corpus (../shared/corpus).

The corpus is not part of the repository (other people's text, shared for development only):
this test reads it when present and skips otherwise. Scoring uses the corpus's own
``score.py`` (value + metric class recall, and the precision lower bound over predictions of
the labelled classes); the floors sit just under what the engine reaches, so a change that
loses figures fails here.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.extraction.corpus import prediction, scorer
from tests.extraction.corpus import records as corpus_records

RECALL_FLOOR = 0.95
PRECISION_FLOOR = 0.79


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return corpus_records("figures-dev.jsonl")


def test_figure_recall_and_precision_floors(records: list[dict[str, Any]]) -> None:
    score = scorer()
    acc = score.Acc()
    classes: dict[str, set[str]] = {}
    for r in records:
        for s in r.get("statistics") or []:
            classes.setdefault(r["source"], set()).add(s["metric_class"])
    for r in records:
        if r.get("statistics") is None or r["coverage"]["statistics"] == "none":
            continue
        pred = prediction(r["text"])
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
