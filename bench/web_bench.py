"""The web app's budgets, measured in the system's Chromium against a live server.

    python bench/web_bench.py            # prints the figures
    python bench/web_bench.py --runs 30

* reader render: a 2,000-word article with 60 highlights (40 quotes, 20 figures, some
  figures inside quotes), time from its JSON having arrived to the highlighted body being
  in the page and laid out (the app's own `performance.now()` mark), median and worst of
  the runs; budget 100 ms.
* requests before usable: API requests each page made by the time it says it is ready
  (fresh load each time); budget 3.
* size: the app's own JavaScript and CSS, each file gzip -9, added up; budget 150 KB.
  The vendored libraries and the map data are listed beside it, not counted.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.web import STATIC_DIR  # noqa: E402
from tests.live import CHROMIUM, CHROMIUM_ARGS, call, cli, live_env, serve  # noqa: E402


def long_article() -> dict[str, Any]:
    """About 2,000 words, 40 quotes and 20 figures, 10 of the figures inside quotes."""
    parts: list[str] = []
    quotes: list[dict[str, Any]] = []
    stats: list[dict[str, Any]] = []
    pos = 0

    def add(text: str) -> int:
        nonlocal pos
        parts.append(text)
        start = pos
        pos += len(text)
        return start

    filler = (
        "Crews worked through the night to clear the rubble from the main road while "
        "neighbours carried water and blankets to the school that now serves as a shelter. "
    )
    for n in range(40):
        add(filler)
        add("\u201c")
        figure = f"at least {n + 3} people were injured"
        if n % 4 == 0:
            q_text = f"We saw {figure} in our street alone, and the shelling did not stop"
        else:
            q_text = "We are tired, but we will rebuild the market and open the clinic again"
        q_start = add(q_text)
        quotes.append(
            {
                "text": q_text,
                "kind": "direct",
                "start": q_start,
                "end": q_start + len(q_text),
                "speaker": {"name": f"Resident {n % 7}", "role": "local resident"},
                "cue": "said",
            }
        )
        if n % 4 == 0:
            f_start = q_start + q_text.index(figure)
            stats.append(
                {
                    "text": figure,
                    "value": n + 3,
                    "unit": "people",
                    "metric": "injured",
                    "qualifier": "at_least",
                    "start": f_start,
                    "end": f_start + len(figure),
                }
            )
        add(f",\u201d said Resident {n % 7}, a local resident. ")
        if n % 4 == 1 or n % 4 == 3:
            text = f"more than {1000 + n * 10} people were displaced"
            f_start = add(text.capitalize())
            stats.append(
                {
                    "text": text.capitalize(),
                    "value": 1000 + n * 10,
                    "unit": "people",
                    "metric": "displaced_internal",
                    "qualifier": "over",
                    "start": f_start,
                    "end": f_start + len(text),
                }
            )
            add(", officials said.\n\n")
        else:
            add("\n\n")
    body = "".join(parts)
    stats = stats[:20]
    assert (len(quotes), len(stats)) == (40, 20)
    for item in quotes + stats:
        assert body[item["start"] : item["end"]] == item["text"]
    return {
        "title": "Long dispatch for the reader benchmark",
        "body": body,
        "source": "Bench Wire",
        "published_at": "2026-11-30T10:00:00Z",
        "quotes": quotes,
        "statistics": stats,
        "extract": False,
    }


def own_sizes() -> tuple[dict[str, int], dict[str, int]]:
    own: dict[str, int] = {}
    vendor: dict[str, int] = {}
    for p in sorted(STATIC_DIR.rglob("*")):
        if p.suffix not in {".js", ".css", ".json", ".html"} or p.name == "package.json":
            continue
        size = len(gzip.compress(p.read_bytes(), 9))
        rel = str(p.relative_to(STATIC_DIR))
        (vendor if "vendor" in p.parts else own)[rel] = size
    return own, vendor


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        env = live_env(f"sqlite:///{(work / 'bench.db').as_posix()}", RATE_LIMITS_ENABLED="false")
        cli(["db", "upgrade"], env, work)
        cli(["demo", "load"], env, work)
        key = cli(["keys", "create", "--name", "bench", "--scopes", "read,write"], env, work)
        key = key.strip().splitlines()[-1]
        with serve(env, work) as base:
            status, _, body = call(
                "POST", base + "/v1/articles", long_article(), {"Authorization": f"Bearer {key}"}
            )
            assert status == 201, body[:500]
            article = json.loads(body)
            words = len(article["body"].split())
            highlights = len(article["quotes"]) + len(article["statistics"])
            some = json.loads(call("GET", base + "/v1/articles?limit=1&sort=date")[2])["data"][0]
            speaker = json.loads(call("GET", base + "/v1/speakers?limit=1")[2])["data"][0]
            place = json.loads(call("GET", base + "/v1/locations?limit=1")[2])["data"][0]
            pages = {
                "search": "#/",
                "search with query": "#/?q=displaced",
                "reader": f"#/articles/{some['id']}",
                "speaker": f"#/speakers/{speaker['id']}",
                "place": f"#/places/{place['id']}",
                "dashboard": "#/dashboard",
                "dashboard, metric named": "#/dashboard?metric=killed",
            }
            with sync_playwright() as pw:
                ctx = pw.chromium.launch_persistent_context(
                    str(work / "profile"),
                    executable_path=CHROMIUM,
                    headless=True,
                    args=CHROMIUM_ARGS,
                    viewport={"width": 1280, "height": 900},
                )
                page = ctx.new_page()
                ready = "main[data-state]:not([data-state='loading'])"
                times: list[float] = []
                body_times: list[float] = []
                for i in range(args.runs + 2):
                    page.goto("about:blank")
                    page.goto(f"{base}/#/articles/{article['id']}")
                    page.wait_for_selector(ready)
                    t = page.evaluate("window.__cn.timings")
                    assert t["readerHighlights"] == highlights
                    if i >= 2:  # the first runs warm the JIT and the cache
                        times.append(float(t["reader"]))
                        body_times.append(float(t["readerBody"]))
                requests: dict[str, int] = {}
                for name, hash_ in pages.items():
                    page.goto("about:blank")
                    page.goto(f"{base}/{hash_}")
                    page.wait_for_selector(ready)
                    requests[name] = int(page.evaluate("window.__cn.requests"))
                ctx.close()
    own, vendor = own_sizes()
    own_js_css = sum(v for k, v in own.items() if k.endswith((".js", ".css")))
    print("## Web app budgets\n")
    print(f"Reader: {words} words, {highlights} highlights, {len(times)} runs")
    print("  each run (ms): " + " ".join(f"{t:.0f}" for t in times))
    ordered = sorted(times)
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(
        f"  render after data: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms, "
        f"worst {max(times):.1f} ms (budget 100 ms)"
    )
    print(f"  of which the highlighted body alone: median {statistics.median(body_times):.1f} ms")
    load = os.getloadavg()
    print(f"  machine load average while measuring: {load[0]:.1f} on {os.cpu_count()} cores\n")
    print("API requests before the page is usable (budget 3):")
    for name, n in requests.items():
        print(f"  {name:26} {n}")
    print(f"\nOwn JS + CSS, gzip -9: {own_js_css / 1024:.1f} KB (budget 150 KB)")
    for k, v in own.items():
        print(f"  {k:40} {v / 1024:6.1f} KB")
    print(f"Vendored (not counted), gzip -9: {sum(vendor.values()) / 1024:.1f} KB")
    for k, v in vendor.items():
        print(f"  {k:40} {v / 1024:6.1f} KB")


if __name__ == "__main__":
    main()
