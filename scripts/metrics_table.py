"""Print the README's table of metrics from the metric registry.

    python scripts/metrics_table.py     # paste between the README's metrics markers

The registry (`app/extraction/lexicon/metrics.py`) is the one place a metric is defined;
tests/test_metric_registry.py fails when the README's table no longer matches it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.extraction.lexicon import metrics


def table() -> str:
    """The markdown table: one row per registry entry, in registry order."""
    rows = [
        "| metric | class | nature | unit | what it counts |",
        "| --- | --- | --- | --- | --- |",
    ]
    rows += [
        f"| `{m.name}` | {m.metric_class} | {m.nature} | {m.unit} | {m.description} |"
        for m in metrics.METRICS
    ]
    return "\n".join(rows)


if __name__ == "__main__":
    print(table())  # noqa: T201
