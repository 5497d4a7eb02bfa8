"""Check that the extraction engine's output is unchanged, record by record.

    python bench/extraction_identity.py save /tmp/outputs.jsonl      # record the current outputs
    python bench/extraction_identity.py compare /tmp/outputs.jsonl   # report any difference

Each record of the corpus files (../shared/corpus, or ``--corpus``) is run through the same
predictor as ``bench/extraction_eval.py`` (the ``POST /v1/extract`` answer as a dict); ``save``
writes one JSON line per record (its id and that dict), ``compare`` reruns and lists the records
whose output differs, with the first differing keys. The saved file holds the corpus's text, so
keep it outside the repository. Exit status 1 when anything differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from extraction_eval import CORPUS, FILES, predict  # noqa: E402


def outputs(corpus: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(file:id, output)`` for every record of the corpus files, in file order."""
    for name in FILES:
        for line in (corpus / name).read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                # through JSON, as a client sees it (tuples become lists)
                yield f"{name}:{rec['id']}", json.loads(json.dumps(predict(rec["text"])))


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths where ``a`` and ``b`` differ (at most a few per record)."""
    if type(a) is not type(b):
        return [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += diff(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [
            d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in diff(x, y, f"{path}[{i}]")
        ]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=("save", "compare"))
    ap.add_argument("file", type=Path, help="the saved outputs (JSON lines)")
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    ap.add_argument("--show", type=int, default=3, help="differences shown per record")
    a = ap.parse_args(argv)
    if a.mode == "save":
        with a.file.open("w") as fh:
            n = 0
            for key, out in outputs(a.corpus):
                fh.write(json.dumps({"key": key, "output": out}, ensure_ascii=False) + "\n")
                n += 1
        print(f"saved {n} outputs to {a.file}")
        return 0
    saved = {}
    for line in a.file.read_text().splitlines():
        row = json.loads(line)
        saved[row["key"]] = row["output"]
    changed = seen = 0
    for key, out in outputs(a.corpus):
        seen += 1
        old = saved.pop(key, None)
        if old is None:
            print(f"{key}: not in the saved file")
            changed += 1
            continue
        found = diff(old, out)
        if found:
            changed += 1
            print(f"{key}: {len(found)} difference(s)")
            for d in found[: a.show]:
                print(f"    {d[:300]}")
    for key in saved:
        print(f"{key}: saved but not in the corpus now")
        changed += 1
    print(f"{seen} records compared, {changed} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
