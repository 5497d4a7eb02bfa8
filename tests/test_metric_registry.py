"""The metric registry is the one definition of a metric: the API validates against it and
documents it, and the demo data, the synthetic data and the README use only its names."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app.extraction.lexicon import metrics
from tests.api.problems import assert_problem
from tests.factories import article_payload

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_a_figure_with_a_metric_outside_the_registry_is_refused_whole(
    client: TestClient,
) -> None:
    before = client.get("/v1/articles?limit=100").json()["data"]
    payload = article_payload()
    payload["statistics"][0]["metric"] = "hurt_feelings"
    doc = assert_problem(client.post("/v1/articles", json=payload), 422)
    locs = [e["loc"] for e in doc["errors"]]
    assert any(loc[-3:] == ["statistics", 0, "metric"] for loc in locs)
    assert "injured" in str(doc["errors"])  # the allowed names are listed
    assert client.get("/v1/articles?limit=100").json()["data"] == before
    payload["statistics"][0]["metric"] = "injured"
    assert client.post("/v1/articles", json=payload).status_code == 201


def test_metric_filters_take_registry_names_only(client: TestClient) -> None:
    assert client.get("/v1/statistics?metric=injured").status_code == 200
    doc = assert_problem(client.get("/v1/statistics?metric=Injured!"), 422)
    assert "displaced_internal" in str(doc["errors"])
    assert_problem(client.get("/v1/statistics/series?metric=hurt_feelings"), 422)


def test_openapi_lists_and_describes_every_metric(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = spec["paths"]["/v1/statistics"]["get"]["parameters"]
    (metric,) = [p for p in params if p["name"] == "metric"]
    schema = json.dumps(metric["schema"])
    for name in metrics.names():
        assert f'"{name}"' in schema
        assert f"`{name}`" in metric["description"]


def test_demo_articles_use_registry_metrics() -> None:
    demo = json.loads((ROOT / "app" / "demo" / "articles.json").read_text())
    used = {s["metric"] for a in demo for s in a.get("statistics") or []}
    assert used
    assert used <= set(metrics.names())


def test_synthetic_data_uses_registry_metrics() -> None:
    synthetic = _load(ROOT / "bench" / "synthetic.py", "bench_synthetic_for_registry")
    kinds = synthetic.STAT_KINDS + synthetic.PERCENT_KINDS + synthetic.USD_KINDS
    used = {k[0] for k in kinds}
    assert used <= set(metrics.names())


def test_readme_table_is_the_registry() -> None:
    table = _load(ROOT / "scripts" / "metrics_table.py", "metrics_table_for_registry").table()
    readme = (ROOT / "README.md").read_text()
    start = readme.index("<!-- metrics:start")
    block = readme[readme.index("\n", start) + 1 : readme.index("<!-- metrics:end -->")]
    assert block.strip() == table.strip(), "run scripts/metrics_table.py and paste its output"


def test_registry_entries_are_complete() -> None:
    names = metrics.names()
    assert len(names) == len(set(names))
    for m in metrics.METRICS:
        assert m.description
        assert m.nature in ("event", "cumulative")
        assert metrics.get(m.name) is m
        assert m in metrics.by_class(m.metric_class)
