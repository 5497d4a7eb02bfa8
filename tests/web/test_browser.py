"""The web app in a real browser (the system's Chromium), against a live server with the demo
data and an article created from raw text. Every non-loopback request is aborted and fails
the test; so does any console error, uncaught exception, failed request or HTTP error."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.web.conftest import DESKTOP, PHONE, Live, Watch, open_view

pytestmark = pytest.mark.browser

HIGHLIGHTS_JS = """() => {
  const out = {};
  let whole = 0;
  for (const el of document.querySelectorAll('#article-body [data-id]')) {
    const id = el.dataset.id;
    out[id] = out[id] || {kind: el.dataset.kind, parts: []};
    out[id].parts.push(el.textContent);
    if (!el.dataset.cont) whole += 1;
  }
  return {items: out, whole};
}"""


def _result_ids(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "#results [data-article-id]", "els => els.map(e => e.dataset.articleId)"
    )


def _requests(page: Any) -> int:
    return int(page.evaluate("window.__cn.requests"))


def _pages(live: Live) -> dict[str, str]:
    article = live.api(f"/v1/articles/{live.raw_id}")
    speaker = next(q["speaker"]["id"] for q in article["quotes"] if q["speaker"].get("id"))
    place = article["locations"][0]["id"]
    return {
        "search": "#/",
        "search-query": "#/?q=displaced",
        "reader": f"#/articles/{live.raw_id}",
        "speaker": f"#/speakers/{speaker}",
        "place": f"#/places/{place}",
        "dashboard": "#/dashboard?metric=injured",
    }


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_page_renders_cleanly_within_three_requests(
    live: Live, page: Any, watch: Watch, screenshots: Path, viewport: str
) -> None:
    page.set_viewport_size(DESKTOP if viewport == "desktop" else PHONE)
    for name, hash_ in _pages(live).items():
        open_view(page, live.base, hash_)
        state = page.eval_on_selector("main", "m => m.dataset.state")
        assert state == "ready", (name, state, page.inner_text("main")[:500])
        assert _requests(page) <= 3, (name, _requests(page))
        assert page.eval_on_selector("main", "m => m.getAttribute('aria-busy')") == "false"
        # nothing wider than the viewport on a phone
        if viewport == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1, (name, width)
        if name == "dashboard":
            page.wait_for_selector("#map svg .land")
        page.screenshot(path=str(screenshots / f"{name}-{viewport}.png"), full_page=True)
    watch.check()


def test_reader_highlights_cover_exactly_each_items_span(
    live: Live, page: Any, watch: Watch
) -> None:
    ids = [a["id"] for a in live.api("/v1/articles", limit=100)["data"]]
    assert live.raw_id in ids
    checked = 0
    for article_id in ids:
        article = live.api(f"/v1/articles/{article_id}")
        expected = {q["id"]: ("quote", q["text"]) for q in article["quotes"]}
        expected |= {s["id"]: ("statistic", s["text"]) for s in article["statistics"]}
        for _, text in expected.values():
            assert text  # the API's own contract, relied on below
        open_view(page, live.base, f"#/articles/{article_id}")
        got = page.evaluate(HIGHLIGHTS_JS)
        assert got["whole"] == len(article["quotes"]) + len(article["statistics"])
        assert set(got["items"]) == set(expected)
        body = article["body"]
        for item_id, (kind, text) in expected.items():
            assert got["items"][item_id]["kind"] == kind
            assert "".join(got["items"][item_id]["parts"]) == text, item_id
        # the text of the page's body is the article's body, unchanged
        assert page.eval_on_selector("#article-body", "e => e.textContent") == body
        checked += len(expected)
    assert checked > 50
    watch.check()


def test_nested_figure_inside_a_quote_is_a_child_element(live: Live, page: Any) -> None:
    article = live.api(f"/v1/articles/{live.raw_id}")
    open_view(page, live.base, f"#/articles/{live.raw_id}")
    nested = 0
    for st in article["statistics"]:
        for q in article["quotes"]:
            if q["start"] <= st["start"] and st["end"] <= q["end"]:
                inside = page.eval_on_selector(
                    f'#article-body [data-id="{st["id"]}"]',
                    f"e => !!e.closest('[data-id=\"{q['id']}\"]')",
                )
                assert inside
                nested += 1
    assert nested >= 1, "the raw article should have a figure inside a quote"


def test_selecting_a_highlight_shows_who_or_what(live: Live, page: Any, watch: Watch) -> None:
    article = live.api(f"/v1/articles/{live.raw_id}")
    open_view(page, live.base, f"#/articles/{live.raw_id}")
    quote = next(q for q in article["quotes"] if q["kind"] == "direct")
    page.click(f'#article-body [data-id="{quote["id"]}"]')
    details = page.inner_text("#details")
    assert "Direct quote" in details
    assert quote["speaker"]["name"] in details
    assert quote["speaker"]["role"] in details
    assert (
        page.get_attribute("#details a[href^='#/speakers/']", "href")
        == f"#/speakers/{quote['speaker']['id']}"
    )
    assert f"hl={quote['id']}" in page.url

    # keyboard: Tab to a figure, Enter
    stat = article["statistics"][0]
    page.focus(f'#article-body [data-id="{stat["id"]}"]')
    page.keyboard.press("Enter")
    details = page.inner_text("#details")
    assert "Figure" in details
    assert stat["metric"].replace("_", " ") in details
    assert f"{stat['value']:,}" in details
    assert stat["text"] in details

    # direct and reported speech and figures look different
    classes = {
        kind: page.get_attribute(f'#article-body [data-kind="{k}"]{sel}', "class")
        for kind, k, sel in [
            ("direct", "quote", ".hl-direct"),
            ("reported", "quote", ".hl-reported"),
            ("figure", "statistic", ""),
        ]
    }
    assert all(classes.values()), classes

    # the side list opens the highlight; a reopened link lands on it
    page.click(f'.side-quotes button:has-text("{quote["text"][:20]}")')
    assert page.evaluate("document.activeElement.dataset.id") == quote["id"]
    open_view(page, live.base, f"#/articles/{live.raw_id}?hl={stat['id']}")
    assert page.get_attribute(f'#article-body [data-id="{stat["id"]}"]', "class").endswith("active")
    watch.check()


def test_a_facet_click_narrows_to_what_the_api_returns(live: Live, page: Any, watch: Watch) -> None:
    open_view(page, live.base, "#/")
    for facet, param in [
        ("source", "source_id"),
        ("country", "country"),
        ("speaker", "speaker_id"),
        ("month", None),
    ]:
        open_view(page, live.base, "#/")
        button = page.locator(f'.facet[data-facet="{facet}"] button').first
        value = button.get_attribute("data-value")
        button.click()
        page.wait_for_function(f"location.hash.includes('{param or facet}=')")
        page.wait_for_selector("main[data-state='ready']")
        params: dict[str, Any] = {"sort": "date", "limit": 20}
        if param:
            params[param] = value
        else:
            y, m = map(int, value.split("-"))
            params["published_from"] = f"{y}-{m:02d}-01T00:00:00Z"
            params["published_to"] = f"{y + (m == 12)}-{m % 12 + 1:02d}-01T00:00:00Z"
        expected = [a["id"] for a in live.api("/v1/articles", **params)["data"]]
        assert _result_ids(page) == expected, facet
        assert page.locator(f'.chip[data-filter="{param or "month"}"]').count() == 1
        # removing the filter brings everything back
        page.click(f'.chip[data-filter="{param or "month"}"]')
        page.wait_for_function(f"!location.hash.includes('{param or facet}=')")
        page.wait_for_selector("main[data-state='ready']")
        assert len(_result_ids(page)) == 20
    watch.check()


def test_the_search_url_round_trips(
    live: Live, page: Any, browser_context: Any, watch: Watch
) -> None:
    open_view(page, live.base, "#/")
    page.fill("#q", "displaced OR Kherson")
    page.press("#q", "Enter")
    page.wait_for_function("location.hash.includes('q=')")
    page.wait_for_selector("main[data-state='ready']")
    page.locator('.facet[data-facet="source"] button').first.click()
    page.wait_for_function("location.hash.includes('source_id=')")
    page.wait_for_selector("main[data-state='ready']")
    url = page.url
    shown = _result_ids(page)
    query = parse_qs(urlsplit(url).fragment.split("?", 1)[1])
    assert query["q"] == ["displaced OR Kherson"]
    expected = live.api("/v1/articles", q=query["q"][0], source_id=query["source_id"][0])["data"]
    assert shown == [a["id"] for a in expected]
    # a link reopens the same search, in a new tab
    other = browser_context.new_page()
    try:
        other.goto(url)
        other.wait_for_selector("main[data-state='ready']")
        assert other.input_value("#q") == "displaced OR Kherson"
        assert _result_ids(other) == shown
        assert other.locator(".snippet mark").count() >= 1
    finally:
        other.close()
    # every result links to its reader
    for article_id in shown:
        assert (
            page.get_attribute(f'[data-article-link="{article_id}"]', "href")
            == f"#/articles/{article_id}"
        )
    watch.check()


def test_snippets_render_marks_and_nothing_else_as_html(
    live: Live, page: Any, watch: Watch
) -> None:
    open_view(page, live.base, "#/?q=Kherson")
    assert page.locator(".snippet mark").count() >= 1
    for html in page.eval_on_selector_all(".snippet", "els => els.map(e => e.innerHTML)"):
        assert not re.search(r"<(?!/?mark>)", html), html
    watch.check()


def test_more_results_arrive_on_scroll(live: Live, page: Any, watch: Watch) -> None:
    total = []
    cursor = None
    while True:
        page_ = live.api("/v1/articles", sort="date", limit=20, cursor=cursor)
        total += [a["id"] for a in page_["data"]]
        cursor = page_["next_cursor"]
        if not cursor:
            break
    assert len(total) > 20
    open_view(page, live.base, "#/")
    for _ in range(10):
        if len(_result_ids(page)) == len(total):
            break
        page.mouse.wheel(0, 20000)
        page.wait_for_timeout(300)
    assert _result_ids(page) == total
    page.wait_for_selector(".more .end")
    watch.check()


def test_a_chart_point_leads_to_the_articles_it_counts(live: Live, page: Any, watch: Watch) -> None:
    series = live.api("/v1/statistics/series", metric="injured", interval="month", basis="reports")
    assert series["data"]
    open_view(page, live.base, "#/dashboard?metric=injured")
    points = page.locator("#chart .pt")
    assert points.count() == len(series["data"])
    for i, point in enumerate(series["data"]):
        points.nth(i).click()
        page.wait_for_selector(".point-articles a")
        shown = page.eval_on_selector_all(
            ".point-articles a", "els => els.map(e => e.dataset.pointArticle)"
        )
        assert set(shown) == set(point["articles"])
    # the last one opens its article in the reader, at the figure
    link = page.locator(".point-articles a").first
    article_id = link.get_attribute("data-point-article")
    link.click()
    page.wait_for_selector("main[data-state='ready'] #article-body")
    assert f"/articles/{article_id}" in page.url
    assert page.locator("#article-body .hl.active").count() >= 1
    watch.check()


def test_dashboard_controls_and_map(live: Live, page: Any, watch: Watch) -> None:
    open_view(page, live.base, "#/dashboard")
    page.select_option("#interval", "week")
    page.wait_for_function("location.hash.includes('interval=week')")
    page.wait_for_selector("main[data-state='ready']")
    metric = page.input_value("#metric")
    series = live.api("/v1/statistics/series", metric=metric, interval="week", basis="reports")
    assert page.locator("#chart .pt").count() == len(series["data"])
    kharkiv = live.api("/v1/locations", name="Kharkiv")["data"][0]
    page.select_option("#place", kharkiv["id"])
    page.wait_for_function("location.hash.includes('location_id=')")
    page.wait_for_selector("main[data-state='ready']")
    series = live.api(
        "/v1/statistics/series",
        metric=metric,
        interval="week",
        location_id=kharkiv["id"],
        basis="reports",
    )
    assert page.locator("#chart .pt").count() == len(series["data"])
    page.wait_for_selector("#map svg .land")
    places = live.api("/v1/locations", limit=100)["data"]
    located = [p for p in places if p["latitude"] is not None]
    assert page.locator("#map .place-dot").count() == len(located)
    page.locator(f'#map .place-dot[data-place-id="{kharkiv["id"]}"]').click()
    page.wait_for_selector("main[data-state='ready'] .place")
    assert page.inner_text("h1") == "Kharkiv"
    watch.check()


def test_speaker_page_lists_quotes_newest_first_into_the_reader(
    live: Live, page: Any, watch: Watch
) -> None:
    speaker = live.api("/v1/speakers", name="Amara Okafor")["data"][0]
    quotes = live.api("/v1/quotes", speaker_id=speaker["id"], sort="date", limit=100)["data"]
    open_view(page, live.base, f"#/speakers/{speaker['id']}")
    text = page.inner_text("main")
    assert speaker["name"] in text
    for alias in speaker["aliases"]:
        assert alias in text
    for role in speaker["roles"]:
        assert role in text
    shown = page.eval_on_selector_all(
        "#speaker-quotes [data-quote-id]", "els => els.map(e => e.dataset.quoteId)"
    )
    assert shown == [q["id"] for q in quotes]
    page.click(f'[data-quote-link="{quotes[0]["id"]}"]')
    page.wait_for_selector("main[data-state='ready'] #article-body")
    assert page.locator(f'#article-body [data-id="{quotes[0]["id"]}"].active').count() == 1
    assert quotes[0]["article_id"] in page.url
    watch.check()


def test_errors_say_what_happened(live: Live, page: Any, watch: Watch) -> None:
    watch.allowed_status |= {404, 429, 503}
    open_view(page, live.base, "#/articles/art_doesnotexist")
    assert page.eval_on_selector("main", "m => m.dataset.state") == "error"
    assert "Not found" in page.inner_text("main")

    def too_many(route: Any) -> None:
        route.fulfill(
            status=429,
            headers={"Retry-After": "17", "Content-Type": "application/problem+json"},
            body='{"title": "Too Many Requests", "status": 429, "detail": "Slow down."}',
        )

    page.route(re.compile(r".*/v1/articles\?.*"), too_many)
    open_view(page, live.base, "#/?q=water")
    text = page.inner_text("main")
    assert "try again in 17 seconds" in text
    assert page.locator("[data-error-kind='rate'] button").is_disabled()
    page.unroute(re.compile(r".*/v1/articles\?.*"))

    page.route(re.compile(r".*/v1/.*"), lambda route: route.abort("connectionrefused"))
    open_view(page, live.base, "#/dashboard")
    assert "cannot be reached" in page.inner_text("main")
    page.unroute(re.compile(r".*/v1/.*"))
    page.click("[data-error-kind='network'] button")
    page.wait_for_selector("main[data-state='ready']")
    watch.errors = [
        e
        for e in watch.errors
        if "connectionrefused" not in e and "ERR_CONNECTION_REFUSED" not in e
    ]
    watch.check()


def test_empty_search_says_so(live: Live, page: Any, watch: Watch) -> None:
    open_view(page, live.base, "#/?q=zzyzxunfindable")
    assert page.eval_on_selector("main", "m => m.dataset.state") == "empty"
    assert "No article matches" in page.inner_text("main")
    watch.check()


HIGHLIGHT_RULE_JS = """async ([body, quotes, statistics]) => {
  const m = await import('/app/js/highlight.js');
  const {spans, skipped} = m.spansOf({body, quotes, statistics});
  const box = document.createElement('div');
  box.append(m.renderHighlighted(body, spans));
  const items = {};
  for (const el of box.querySelectorAll('[data-id]')) {
    (items[el.dataset.id] = items[el.dataset.id] || []).push(
      {text: el.textContent, cont: !!el.dataset.cont, parent: el.parentElement.dataset.id || null});
  }
  return {items, text: box.textContent, skipped: skipped.map(s => s.id)};
}"""


def test_highlight_rule_nests_splits_and_counts_code_points(
    live: Live, page: Any, watch: Watch
) -> None:
    """Offsets count code points (as the API does); crossing spans split the later one;
    equal and nested spans nest; out-of-range spans are left out."""
    body = "\U0001f6a8 Alert: the convoy of 12 trucks was stopped, officials said today."

    def span(text: str, item_id: str) -> dict[str, Any]:
        start = body.index(text)
        return {"id": item_id, "text": text, "start": start, "end": start + len(text)}

    quotes = [
        {**span("the convoy of 12 trucks was stopped", "q1"), "kind": "indirect"},
        {**span("stopped, officials said", "q2"), "kind": "direct"},  # crosses q1
    ]
    statistics = [
        span("12 trucks", "s1"),  # inside q1
        span("the convoy of 12 trucks was stopped", "s2"),  # same span as q1
        {"id": "s3", "text": "x", "start": 500, "end": 501},  # out of range
    ]
    open_view(page, live.base, "#/?q=water")
    got = page.evaluate(HIGHLIGHT_RULE_JS, [body, quotes, statistics])
    assert got["text"] == body
    assert got["skipped"] == ["s3"]
    for item in [*quotes, *statistics[:2]]:
        parts = got["items"][item["id"]]
        assert "".join(p["text"] for p in parts) == item["text"], item["id"]
        assert [p["cont"] for p in parts] == [False] + [True] * (len(parts) - 1)
    assert len(got["items"]["q1"]) == 1  # whole, the outermost
    assert got["items"]["s2"][0]["parent"] == "q1"  # equal spans: the figure inside
    assert got["items"]["s1"][0]["parent"] == "s2"
    assert len(got["items"]["q2"]) == 2  # split at q1's end
    assert got["items"]["q2"][0]["parent"] == "s2"
    watch.check()


def test_the_same_files_work_from_another_origin(live: Live, page: Any, watch: Watch) -> None:
    """static/ served as plain files by another server, pointed at the API with ?api=."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from app.web import STATIC_DIR

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(STATIC_DIR))
    server = ThreadingHTTPServer(("127.0.0.1", live.other_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        other = f"http://127.0.0.1:{live.other_port}/index.html?api={live.base}"
        page.goto(f"{other}#/?q=Kherson")
        page.wait_for_selector("main[data-state='ready']")
        expected = [a["id"] for a in live.api("/v1/articles", q="Kherson")["data"]]
        assert _result_ids(page) == expected
        page.click(f'[data-article-link="{live.raw_id}"]')
        page.wait_for_selector("main[data-state='ready'] #article-body")
        article = live.api(f"/v1/articles/{live.raw_id}")
        whole = page.evaluate(HIGHLIGHTS_JS)["whole"]
        assert whole == len(article["quotes"]) + len(article["statistics"])
        assert page.url.startswith(other)  # ?api= stays as the hash changes
        assert page.get_attribute("[data-api-link]", "href") == f"{live.base}/docs"
    finally:
        server.shutdown()
        server.server_close()
    watch.check()
