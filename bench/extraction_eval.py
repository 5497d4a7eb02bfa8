"""Extraction measured on the labelled corpus in ../shared/corpus (in-process, no server).

    python bench/extraction_eval.py                 # both files; writes bench/EXTRACTION.md
    python bench/extraction_eval.py --limit 100     # a quick look (does not write the file)

For the misses of each kind, run the corpus's own scorer with this module as the predictor:

    PYTHONPATH=bench:. python ../shared/corpus/score.py ../shared/corpus/quotes-train.jsonl \
        --predictor extraction_eval:predict --examples 20

The scorer is the corpus's (``score.py``, loaded from the corpus folder); this script only
runs it in-process, adds speed per 1,000 characters and the largest input of each kind, and
writes the table. Nothing of the corpus's text is written anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.extraction import extract  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FILES = ("quotes-train.jsonl", "figures-dev.jsonl")


#: CPU seconds spent in :func:`predict` (read from the module the scorer imports)
CPU_SECONDS = [0.0]


def predict(text: str) -> dict[str, Any]:
    """What ``POST /v1/extract`` answers for ``text``, as a dict (``cited_by`` named so)."""
    cpu0 = time.process_time()
    result = extract(text)
    CPU_SECONDS[0] += time.process_time() - cpu0
    doc = asdict(result)
    for stat in doc["statistics"]:
        stat["cited_by"] = stat.pop("attributed_to")
    return doc


def load_scorer(corpus: Path) -> ModuleType:
    """The corpus's own ``score.py``, imported by path."""
    spec = importlib.util.spec_from_file_location("corpus_score", corpus / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {corpus}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_file(scorer: ModuleType, path: Path, limit: int | None) -> dict[str, Any]:
    """Run the scorer on one file; its metrics plus per-document timing joined to lengths."""
    with tempfile.TemporaryDirectory() as tmp:
        out, preds = Path(tmp) / "m.json", Path(tmp) / "p.jsonl"
        argv = [str(path), "--predictor", "extraction_eval:predict", "--json", str(out)]
        argv += ["--save-preds", str(preds)] + (["--limit", str(limit)] if limit else [])
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            scorer.main(argv)
        counter = sys.modules["extraction_eval"].CPU_SECONDS  # the scorer's copy of this module
        cpu, counter[0] = counter[0], 0.0
        metrics = json.loads(out.read_text())
        secs = {}
        for line in preds.read_text().splitlines():
            row = json.loads(line)
            secs[row["id"]] = row["seconds"]
    records = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    if limit:
        records = records[:limit]
    chars = sum(len(r["text"]) for r in records)
    metrics["chars_total"] = chars
    metrics["ms_per_1000_chars"] = 1000 * sum(secs.values()) / (chars / 1000)
    metrics["cpu_ms_per_1000_chars"] = 1000 * cpu / (chars / 1000)
    metrics["chars_mean"] = chars / len(records)
    metrics["largest"] = _largest(records)
    metrics["printed"] = printed.getvalue()
    return metrics


def _largest(records: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """The largest record of each source, timed alone (median of 5 runs)."""
    by_source: dict[str, dict[str, Any]] = {}
    for r in records:
        best = by_source.get(r["source"])
        if best is None or len(r["text"]) > len(best["text"]):
            by_source[r["source"]] = r
    res: dict[str, dict[str, float]] = {}
    for source, r in sorted(by_source.items()):
        runs, cpu = [], []
        for _ in range(5):
            t0, c0 = time.perf_counter(), time.process_time()
            extract(r["text"])
            runs.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        ms = 1000 * statistics.median(runs)
        cpu_ms = 1000 * statistics.median(cpu)
        res[source] = {
            "chars": len(r["text"]),
            "ms": ms,
            "ms_per_1000": ms / (len(r["text"]) / 1000),
            "cpu_ms": cpu_ms,
            "cpu_ms_per_1000": cpu_ms / (len(r["text"]) / 1000),
        }
    return res


def _f(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def table(q: dict[str, Any], f: dict[str, Any]) -> str:
    """The issue's table, with this run's numbers."""
    d, i = q["direct_quotes"], q["indirect_quotes"]
    st = f["stats_all"]
    qs, fs = q["seconds_per_doc"], f["seconds_per_doc"]
    rows = [
        ("direct quote F1 (P / R)", f"{_f(d['F1'])} ({_f(d['P'])} / {_f(d['R'])})", "—", "≥ 0.97"),
        ("speaker accuracy, direct quotes with a named speaker",
         _f(q["speaker_acc_direct_named"]), "—", "≥ 0.90"),
        ("reported speech, recall on speech-verb cues (precision)",
         f"{_f(q['indirect_speech_cue_recall'])} ({_f(i['P'])})", "—", "≥ 0.60 at precision ≥ 0.85"),
        ("figure recall, value + metric class (value alone)", "—",
         f"{_f(st['value_metric_R'])} ({_f(st['value_R'])})", "≥ 0.90"),
        ("figure precision lower bound, value + metric", "—", _f(st["value_metric_P_lb"]), "≥ 0.80"),
        ("provenance `body[start:end]`", f"{100 * q.get('provenance_ok', 0):.1f}%",
         f"{100 * f.get('provenance_ok', 0):.1f}%", "100%"),
        ("time per document, mean",
         f"{1000 * qs['mean']:.1f} ms ({q['ms_per_1000_chars']:.2f} ms per 1,000 characters)",
         f"{1000 * fs['mean']:.1f} ms ({f['ms_per_1000_chars']:.2f} ms per 1,000 characters)",
         "≤ 5 ms on news-length articles, ≤ 1.5 ms per 1,000 characters"),
        ("time per document, p95 / max", f"{1000 * qs['p95']:.1f} / {1000 * qs['max']:.1f} ms",
         f"{1000 * fs['p95']:.1f} / {1000 * fs['max']:.1f} ms", "no superlinear input"),
    ]  # fmt: skip
    out = [
        f"| | quotes-train ({q['docs']} articles) | figures-dev ({f['docs']} excerpts) | goal |",
        "| --- | --- | --- | --- |",
    ]
    out += [f"| {a} | {b} | {c} | {g} |" for a, b, c, g in rows]
    return "\n".join(out)


def largest_table(*runs: dict[str, Any]) -> str:
    out = ["| source | characters | ms (median of 5) | ms per 1,000 characters | CPU ms | CPU ms per 1,000 |",
           "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for run in runs:
        for source, x in run["largest"].items():
            out.append(f"| {source} | {x['chars']:,} | {x['ms']:.1f} | {x['ms_per_1000']:.2f} "
                       f"| {x['cpu_ms']:.1f} | {x['cpu_ms_per_1000']:.2f} |")  # fmt: skip
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="the corpus folder")
    ap.add_argument("--limit", type=int, help="first N records of each file (no file written)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "EXTRACTION.md")
    a = ap.parse_args(argv)
    if not (a.corpus / "score.py").exists():
        raise SystemExit(f"corpus not found at {a.corpus}")
    sys.path.insert(0, str(ROOT / "bench"))
    scorer = load_scorer(a.corpus)
    predict("Warm-up: the gazetteer and patterns load once, said Ana Ruiz. 3 people were hurt.")
    load_before = os.getloadavg()[0]
    q = score_file(scorer, a.corpus / FILES[0], a.limit)
    f = score_file(scorer, a.corpus / FILES[1], a.limit)
    load_after = os.getloadavg()[0]
    print(q["printed"], f["printed"], sep="\n")
    text = (
        "# Extraction on the labelled corpus\n\n"
        f"Written by `python bench/extraction_eval.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"(Python {platform.python_version()}, {platform.machine()}, in-process, one core). "
        "Scored by the corpus's own `score.py`: quotes match at token Dice ≥ 0.5; figure "
        "labels are partial, so figure precision is a lower bound.\n\n"
        f"{table(q, f)}\n\n"
        "Times are wall-clock per document as the scorer takes them; the machine is shared, so "
        f"they move with its load (1-minute load average {load_before:.1f} at the start of this "
        f"run, {load_after:.1f} at the end, on {os.cpu_count()} cores). CPU time of the same run, "
        "which load disturbs less: quotes-train "
        f"{q['cpu_ms_per_1000_chars']:.2f} ms per 1,000 characters, figures-dev "
        f"{f['cpu_ms_per_1000_chars']:.2f}.\n\n"
        "Mean length: quotes-train "
        f"{q['chars_mean']:,.0f} characters, figures-dev {f['chars_mean']:,.0f}.\n\n"
        "## The largest input of each kind\n\n"
        f"{largest_table(q, f)}\n\n"
        "## Scorer output\n\n```\n"
        + q["printed"].strip()
        + "\n\n"
        + f["printed"].strip()
        + "\n```\n"
    )
    if a.limit:
        print(text)
        return
    a.out.write_text(text)
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
