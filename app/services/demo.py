"""Demo data: fictional articles shipped with the package, loaded idempotently."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import Conflict
from app.core.normalise import name_key
from app.repositories import sources as sources_repo
from app.schemas.article import ArticleCreate
from app.schemas.directory import SourceUpdate
from app.services import articles as article_service
from app.services import sources as source_service


@dataclass
class DemoResult:
    created: int = 0
    existing: int = 0


def _with_offsets(item: dict[str, Any]) -> dict[str, Any]:
    """The demo file names each span by its text; offsets are computed against the body."""
    body = item["body"]
    for key in ("quotes", "statistics"):
        for span in item.get(key, []):
            start = body.index(span["text"])
            span["start"], span["end"] = start, start + len(span["text"])
    return item


def demo_articles() -> list[ArticleCreate]:
    raw = resources.files("app.demo").joinpath("articles.json").read_text("utf-8")
    return [ArticleCreate.model_validate(_with_offsets(item)) for item in json.loads(raw)]


def demo_source_terms() -> list[tuple[str, SourceUpdate]]:
    """The demo publishers' reuse terms (what an admin would set with PATCH /v1/sources)."""
    raw = resources.files("app.demo").joinpath("sources.json").read_text("utf-8")
    return [(item.pop("name"), SourceUpdate.model_validate(item)) for item in json.loads(raw)]


def load_demo(session: Session) -> DemoResult:
    result = DemoResult()
    for article in demo_articles():
        try:
            with session.begin_nested():
                article_service.create_article(session, article)
            result.created += 1
        except Conflict:
            result.existing += 1
    for name, terms in demo_source_terms():
        source = sources_repo.find_source(session, name_key(name))
        if source is not None:
            source_service.update_source(session, source.id, terms)
    return result
