"""Extraction measured on the labelled corpus in ../shared/corpus (in-process, no server).

    python bench/extraction_eval.py            # writes bench/EXTRACTION.md
    python ../shared/corpus/score.py ../shared/corpus/quotes-train.jsonl \
        --predictor extraction_eval:predict    # with PYTHONPATH=bench, for misses (--examples N)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.extraction import extract  # noqa: E402
from app.services.extraction import extraction_document  # noqa: E402


def predict(text: str) -> dict[str, Any]:
    """What ``POST /v1/extract`` answers for ``text``, as a dict."""
    return extraction_document(extract(text))
