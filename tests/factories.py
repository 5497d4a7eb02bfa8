"""Build test data through the service layer, the way the API would."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.models import Article
from app.schemas.article import ArticleCreate
from app.services import articles as article_service

_seq = itertools.count(1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def span(body: str, text: str) -> dict[str, Any]:
    start = body.index(text)
    return {"text": text, "start": start, "end": start + len(text)}


def article_payload(**overrides: Any) -> dict[str, Any]:
    n = next(_seq)
    body = overrides.pop(
        "body",
        f"Dispatch {n}. Shelling damaged a water station in Mykolaiv overnight. "
        "\u201cWe are pumping by hand again,\u201d said Iryna Dovzhenko, a plant engineer. "
        "At least 12 people were injured.",
    )
    data: dict[str, Any] = {
        "title": f"Water station hit in Mykolaiv ({n})",
        "body": body,
        "url": f"https://southern-ledger.example/news/{n}",
        "source": "Southern Ledger",
        "published_at": "2026-10-01T09:00:00Z",
        "language": "en",
        "authors": ["Test Writer"],
        "tags": ["water"],
        "extract": False,
    }
    if "\u201cWe are pumping by hand again,\u201d" in body and "quotes" not in overrides:
        data["quotes"] = [
            {
                **span(body, "We are pumping by hand again,"),
                "kind": "direct",
                "speaker": {"name": "Iryna Dovzhenko", "role": "plant engineer"},
                "cue": "said",
            }
        ]
        data["statistics"] = [
            {
                **span(body, "At least 12 people were injured"),
                "value": 12,
                "unit": "people",
                "metric": "injured",
                "qualifier": "at_least",
                "location": "Mykolaiv",
            }
        ]
        data["locations"] = [
            {
                "name": "Mykolaiv",
                "kind": "city",
                "country_code": "UA",
                "latitude": 46.975,
                "longitude": 31.995,
            }
        ]
    data.update(overrides)
    return data


def make_article(session: Session, **overrides: Any) -> Article:
    article = article_service.create_article(
        session, ArticleCreate.model_validate(article_payload(**overrides))
    )
    session.commit()  # a SAVEPOINT release: a failing request later can't roll this back
    return article
