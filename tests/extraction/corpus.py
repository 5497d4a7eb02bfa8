"""The labelled development corpus (``../shared/corpus``), for the floor tests.

It lives beside the repository, not in it (other people's text, shared for development only):
every helper here skips the calling test, with the reason, when it is absent. Scores come from
the corpus's own ``score.py``, imported by path.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.extraction import extract
from app.services.extraction import extraction_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"labelled corpus not present: {path} (a development-only folder)")
    return path


@cache
def scorer() -> ModuleType:
    """The corpus's ``score.py`` as a module."""
    spec = importlib.util.spec_from_file_location("corpus_score", _require(CORPUS / "score.py"))
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def records(name: str) -> list[dict[str, Any]]:
    """Every record of ``name`` (e.g. ``quotes-train.jsonl``)."""
    with _require(CORPUS / name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@cache
def prediction(text: str) -> dict[str, Any]:
    """What ``POST /v1/extract`` answers for ``text`` (cached: two tests score some records)."""
    return extraction_document(extract(text))
