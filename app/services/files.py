"""Files and folders in: each file becomes one or more import lines for `bulk.import_line`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
JSON_SUFFIXES = {".json"}
NDJSON_SUFFIXES = {".ndjson", ".jsonl"}
SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | NDJSON_SUFFIXES


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and files with a known suffix under folders (recursively)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        else:
            found.append(path)
    return found


def lines_of(path: Path) -> Iterator[tuple[str, bytes]]:
    """(label, JSON line) pairs: raw text files become `{"text": ...}`; a JSON file holds one
    article or a list; NDJSON holds one per line. Unreadable input raises ValueError."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in NDJSON_SUFFIXES:
        for n, line in enumerate(data.splitlines(), start=1):
            if line.strip():
                yield f"{path}:{n}", line
        return
    if suffix in JSON_SUFFIXES:
        doc = json.loads(data)
        items = doc if isinstance(doc, list) else [doc]
        for n, item in enumerate(items, start=1):
            yield f"{path}[{n}]" if len(items) > 1 else str(path), json.dumps(item).encode()
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in text:
        raise ValueError("binary file")
    yield str(path), json.dumps({"text": text}).encode()
