"""List pages assembled from stored item JSON are byte for byte what the item schema's
serialisation gives, for varied rows and every list shape served that way, and stay so after
every kind of write (edits, deletes, a source's terms, a place's coordinates, a speaker
renamed or merged)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.pagination import CursorCodec
from app.models import ArticleItem, QuoteItem, StatisticItem
from app.projections import list_items, read_model
from app.repositories import documents
from app.schemas.filters import ArticleFilter, QuoteFilter, StatisticFilter
from app.services import api_keys as key_service
from app.services import article_reads, listing
from app.services import quotes as quote_service
from app.services import statistics as statistic_service
from tests.factories import make_article, span

CODEC = CursorCodec("stored pages")

# Rows that exercise every shape an item can take: no source, no date, no places, no quotes,
# the article's own terms, non-ASCII and control characters, several places and tags.
_ODD_BODY = 'Reporte \u00e9clair: \u201cNo "water" since\ttuesday\u201d \u2014 \\ end.'


def _varied(session: Session) -> list[Any]:
    return [
        make_article(session),
        make_article(session, source=None, published_at=None, tags=[], authors=[]),
        make_article(
            session,
            title="Ceasefire talks resume in Gen\u00e8ve \U0001f54a <b>&</b>",
            body=_ODD_BODY,
            licence="CC-BY-4.0",
            attribution="\u00a9 Desk \u2028 line",
            published_at="2025-03-01T00:00:00+02:00",
            tags=["talks", "diplomacy", "Z\u00fcrich"],
            locations=[
                {"name": "Geneva", "kind": "city", "country_code": "CH"},
                {
                    "name": "Kherson",
                    "kind": "city",
                    "country_code": "UA",
                    "latitude": 46.6354,
                    "longitude": 32.6169,
                    "primary": True,
                },
            ],
        ),
        make_article(session, source="Eastern Wire", read_time_minutes=4, language="uk"),
    ]


def _filters(**params: Any) -> ArticleFilter:
    return ArticleFilter.model_validate(params)


def _reference(session: Session, f: ArticleFilter) -> bytes:
    page = article_reads._summary_page(session.connection(), filters=f, codec=CODEC)
    return page.model_dump_json(exclude_unset=True).encode()


def _assembled(session: Session, f: ArticleFilter) -> bytes:
    return article_reads._stored_page(session.connection(), filters=f, codec=CODEC).content


def _all_pages(session: Session, **params: Any) -> list[bytes]:
    """Every page of the list, assembled, after checking each against the reference."""
    pages, cursor = [], None
    while True:
        f = _filters(**params, **({"cursor": cursor} if cursor else {}))
        assembled = _assembled(session, f)
        assert assembled == _reference(session, f), params
        pages.append(assembled)
        page = article_reads._stored_page(session.connection(), filters=f, codec=CODEC)
        cursor = page.next_cursor
        if cursor is None:
            return pages


LISTS = [
    {},
    {"limit": 1},
    {"limit": 2},
    {"source": ["Southern Ledger"]},
    {"country": ["UA"], "limit": 1},
    {"tag": ["talks"]},
    {"language": ["uk"]},
    {"has_quotes": False},
    {"q": "ceasefire"},
    {"q": "water", "sort": "date", "limit": 1},
    {"q": "water", "limit": 1},
    {"q": "nowhere-to-be-found"},
]


@pytest.mark.parametrize("params", LISTS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_assembled_pages_equal_the_schema_serialisation(
    session: Session, params: dict[str, Any]
) -> None:
    _varied(session)
    pages = _all_pages(session, **params)
    assert pages


def test_items_not_stored_are_rendered_live_to_the_same_bytes(session: Session) -> None:
    made = _varied(session)
    before = _all_pages(session, limit=3)
    session.execute(delete(ArticleItem).where(ArticleItem.article_id == made[2].id))
    assert _all_pages(session, limit=3) == before
    session.execute(delete(ArticleItem))
    assert _all_pages(session, limit=3) == before


def test_the_route_serves_the_assembled_bytes_with_its_link(
    client: TestClient, session: Session, settings: Settings
) -> None:
    _varied(session)
    codec = CursorCodec(settings.cursor_secret)
    resp = client.get("/v1/articles?limit=2")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/json"
    f = _filters(limit=2)
    page = article_reads._summary_page(session.connection(), filters=f, codec=codec)
    assert resp.content == page.model_dump_json(exclude_unset=True).encode()
    assert f"cursor={page.next_cursor}" in resp.headers["link"]
    # include= and facets= are rendered by the schema, unchanged
    assert "quotes" in client.get("/v1/articles?include=quotes").json()["data"][0]
    assert "facets" in client.get("/v1/articles?facets=source").json()


def stored_item(session: Session, article_id: str) -> bytes | None:
    found = session.get(ArticleItem, article_id, populate_existing=True)
    return None if found is None else found.content


def assert_items_current(session: Session, *article_ids: str) -> None:
    """Each stored item is what its article renders to now."""
    conn = session.connection()
    for article_id in article_ids:
        doc = documents.fetch(conn, article_id)
        assert doc is not None
        assert stored_item(session, article_id) == list_items.article_item(doc)


def _listed(client: TestClient, **params: Any) -> dict[str, Any]:
    return {a["id"]: a for a in client.get("/v1/articles", params=params).json()["data"]}


def _admin(session: Session) -> dict[str, str]:
    _, new = key_service.create_key(session, "stored pages admin", "read,write,admin")
    session.commit()
    return {"Authorization": f"Bearer {new.plaintext}"}


def test_edits_and_deletes_show_in_the_list(client: TestClient, session: Session) -> None:
    kept, dropped = make_article(session), make_article(session)
    etag = client.get(f"/v1/articles/{kept.id}").headers["etag"]
    resp = client.patch(
        f"/v1/articles/{kept.id}",
        json={"title": "Pumps restarted in Mykolaiv", "tags": ["repair"], "quotes": []},
        headers={"If-Match": etag},
    )
    assert resp.status_code == 200, resp.text
    assert_items_current(session, kept.id)
    shown = _listed(client)[kept.id]
    assert (shown["title"], shown["tags"], shown["quote_count"]) == (
        "Pumps restarted in Mykolaiv",
        ["repair"],
        0,
    )
    assert client.delete(f"/v1/articles/{dropped.id}").status_code == 204
    assert dropped.id not in _listed(client)
    assert stored_item(session, dropped.id) is None


def test_a_sources_new_terms_and_name_show_in_the_list(
    client: TestClient, session: Session
) -> None:
    art = make_article(session)
    other = make_article(session, source="Eastern Wire")
    source_id = _listed(client)[art.id]["source"]["id"]
    resp = client.patch(
        f"/v1/sources/{source_id}",
        json={"licence": "cc-by-4.0", "attribution": "Ledger, CC BY"},
        headers=_admin(session),
    )
    assert resp.status_code == 200, resp.text
    shown = _listed(client)
    assert (shown[art.id]["licence"], shown[art.id]["licence_from"]) == ("CC-BY-4.0", "source")
    assert shown[other.id]["licence"] is None
    assert stored_item(session, other.id) is not None  # an unrelated item is kept
    read_model.refresh(session.connection(), [art.id])
    assert_items_current(session, art.id)
    assert _listed(client)[art.id]["source"]["attribution"] == "Ledger, CC BY"


def test_a_places_corrected_coordinates_show_in_the_list(
    client: TestClient, session: Session
) -> None:
    place = {"name": "Ochakiv", "kind": "city", "country_code": "UA"}
    first = make_article(session, locations=[place])
    assert _listed(client)[first.id]["locations"][0]["latitude"] is None
    make_article(session, locations=[{**place, "latitude": 46.61, "longitude": 31.54}])
    assert _listed(client)[first.id]["locations"][0]["latitude"] == 46.61


def test_rebuild_fills_the_items_of_a_migrated_database(session: Session) -> None:
    made = _varied(session)
    session.execute(delete(ArticleItem))
    assert read_model.rebuild(session.connection()) >= len(made)
    count = session.scalar(select(func.count()).select_from(ArticleItem))
    assert count == session.scalar(select(func.count()).select_from(documents.Article))
    assert_items_current(session, *(a.id for a in made))


def test_an_undated_article_sorts_by_its_creation_time(session: Session) -> None:
    make_article(session, published_at="2020-01-01T00:00:00Z")
    make_article(session, published_at=None)
    first = _all_pages(session, limit=1)[0]
    assert b'"published_at":null' in first  # stored now: newer than 2020


# --- quotes -------------------------------------------------------------------------------


def _item_pages(session: Session, endpoint: Any, **params: Any) -> list[bytes]:
    """Every page of a quote or figure list, assembled, each checked against the rendered
    page's serialisation."""
    pages, cursor = [], None
    conn = session.connection()
    while True:
        f = endpoint.item_filter.model_validate(
            {**params, **({"cursor": cursor} if cursor else {})}
        )
        stored = endpoint.list.stored(conn, f, CODEC)
        rendered = listing.page(endpoint.list, session, f, CODEC)
        assert stored.content == rendered.model_dump_json(exclude_unset=True).encode(), params
        assert stored.next_cursor == rendered.next_cursor
        pages.append(stored.content)
        cursor = stored.next_cursor
        if cursor is None:
            return pages


class _Quotes:
    list = quote_service.QUOTES
    item_filter = QuoteFilter


def _quoted(session: Session) -> list[Any]:
    made = _varied(session)
    body = (
        '\u201cWe will not leave,\u201d she said. \u201cNot "today"\u2028either,\u201d he told us.'
    )
    made.append(
        make_article(
            session,
            body=body,
            source=None,
            quotes=[
                {**span(body, "We will not leave,"), "kind": "direct", "cue": "said",
                 "speaker": {"name": "Hanna Z\u00fcrich-Koval", "role": "nurse"}},
                {**span(body, "Not \"today\"\u2028either,"), "kind": "indirect", "cue": "told",
                 "context": "by phone"},
            ],
            statistics=[],
        )
    )  # fmt: skip
    return made


QUOTE_LISTS = [
    {},
    {"limit": 1},
    {"kind": ["direct"]},
    {"speaker": ["Iryna Dovzhenko"]},
    {"source": ["Southern Ledger"], "limit": 2},
    {"q": "leave"},
    {"q": "pumping", "sort": "date", "limit": 1},
    {"q": "pumping", "limit": 1},
]


def _quotes_listed(client: TestClient, **params: Any) -> dict[str, Any]:
    resp = client.get("/v1/quotes", params=params)
    assert resp.status_code == 200, resp.text
    return {q["id"]: q for q in resp.json()["data"]}


def _said(session: Session, words: str, name: str) -> Any:
    """An article whose only item is `name` saying `words`."""
    body = f"\u201c{words}\u201d {name} said on Monday."
    quote = {**span(body, words), "kind": "direct", "cue": "said", "speaker": {"name": name}}
    return make_article(session, body=body, quotes=[quote], statistics=[])


def test_the_quote_list_shows_edits_renames_and_merges(
    client: TestClient, session: Session
) -> None:
    first = _said(session, "The bridge is closed,", "Melnyk")
    (quote_id,) = _quotes_listed(client)
    etag = client.get(f"/v1/articles/{first.id}").headers["etag"]
    resp = client.patch(
        f"/v1/articles/{first.id}", json={"title": "Bridge shut"}, headers={"If-Match": etag}
    )
    assert resp.status_code == 200, resp.text
    assert _quotes_listed(client)[quote_id]["article"]["title"] == "Bridge shut"
    # A later article names her in full: the surname-only speaker is renamed (merged).
    _said(session, "The ferry is running,", "Olena Melnyk")
    listed = _quotes_listed(client)
    assert listed[quote_id]["speaker"]["name"] == "Olena Melnyk"
    assert len({q["speaker"]["id"] for q in listed.values()}) == 1
    _item_pages(session, _Quotes)
    assert client.delete(f"/v1/articles/{first.id}").status_code == 204
    assert quote_id not in _quotes_listed(client)


def test_the_quote_route_serves_the_assembled_bytes(
    client: TestClient, session: Session, settings: Settings
) -> None:
    _quoted(session)
    resp = client.get("/v1/quotes?limit=1")
    f = QuoteFilter(limit=1)
    page = listing.page(_Quotes.list, session, f, CursorCodec(settings.cursor_secret))
    assert resp.content == page.model_dump_json(exclude_unset=True).encode()
    assert f"cursor={page.next_cursor}" in resp.headers["link"]
    assert "quote_count" in client.get("/v1/quotes?include=article").json()["data"][0]["article"]
    assert "facets" in client.get("/v1/quotes?facets=speaker").json()
    assert client.get("/v1/quotes?cursor=forged").status_code == 400


# --- statistics ---------------------------------------------------------------------------


class _Figures:
    list = statistic_service.STATISTICS
    item_filter = StatisticFilter


def _figured(session: Session) -> list[Any]:
    made = _varied(session)
    body = "Nearly 3.5 million left Odesa; between 40 and 60 homes burned in Z\u00fcrich-Nord."
    made.append(
        make_article(
            session,
            body=body,
            source=None,
            quotes=[],
            statistics=[
                {**span(body, "Nearly 3.5 million left Odesa"), "value": 3.5e6,
                 "unit": "people", "metric": "displaced_internal", "qualifier": "nearly",
                 "location": "Odesa"},
                {**span(body, "between 40 and 60 homes burned"), "value": 40, "value_max": 60.5,
                 "unit": "homes", "metric": "homes_destroyed", "qualifier": "exact"},
            ],
            locations=[{"name": "Odesa", "kind": "city", "country_code": "UA",
                        "latitude": 46.48, "longitude": 30.72}],
        )
    )  # fmt: skip
    return made


FIGURE_LISTS = [
    {},
    {"limit": 1},
    {"metric": ["injured"]},
    {"country": ["UA"]},
    {"value_min": 20},
    {"unit": ["people"], "limit": 1},
    {"q": "homes"},
    {"q": "injured", "sort": "date", "limit": 1},
]


def test_the_figure_list_shows_edits_places_and_deletes(
    client: TestClient, session: Session, settings: Settings
) -> None:
    place = {"name": "Ochakiv", "kind": "city", "country_code": "UA"}
    body = "At least 7 people were injured in Ochakiv."
    figure = {**span(body, "At least 7 people were injured"), "value": 7, "unit": "people",
              "metric": "injured", "qualifier": "at_least", "location": "Ochakiv"}  # fmt: skip
    art = make_article(session, body=body, quotes=[], statistics=[figure], locations=[place])
    (figure_id,) = (s["id"] for s in client.get("/v1/statistics").json()["data"])
    etag = client.get(f"/v1/articles/{art.id}").headers["etag"]
    resp = client.patch(
        f"/v1/articles/{art.id}", json={"title": "Ochakiv shelled"}, headers={"If-Match": etag}
    )
    assert resp.status_code == 200, resp.text
    shown = client.get("/v1/statistics").json()["data"][0]
    assert (shown["article"]["title"], shown["place"]["latitude"]) == ("Ochakiv shelled", None)
    make_article(session, locations=[{**place, "latitude": 46.61, "longitude": 31.54}])
    listed = {s["id"]: s for s in client.get("/v1/statistics").json()["data"]}
    assert listed[figure_id]["place"]["latitude"] == 46.61
    _item_pages(session, _Figures)
    resp = client.get("/v1/statistics?limit=1")
    page = listing.page(
        _Figures.list, session, StatisticFilter(limit=1), CursorCodec(settings.cursor_secret)
    )
    assert resp.content == page.model_dump_json(exclude_unset=True).encode()
    assert client.get("/v1/statistics?unit=parsecs").status_code == 422
    assert client.delete(f"/v1/articles/{art.id}").status_code == 204
    assert figure_id not in {s["id"] for s in client.get("/v1/statistics").json()["data"]}


ITEM_LISTS = [(_Quotes, _quoted, QuoteItem, p) for p in QUOTE_LISTS] + [
    (_Figures, _figured, StatisticItem, p) for p in FIGURE_LISTS
]


@pytest.mark.parametrize(
    ("endpoint", "seed", "table", "params"),
    ITEM_LISTS,
    ids=lambda v: "&".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_assembled_item_pages_equal_the_schema_serialisation(
    session: Session, endpoint: Any, seed: Any, table: Any, params: dict[str, Any]
) -> None:
    seed(session)
    before = _item_pages(session, endpoint, **params)
    session.execute(delete(table))
    assert _item_pages(session, endpoint, **params) == before  # rendered live alike
