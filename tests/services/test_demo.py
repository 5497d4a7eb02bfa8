"""Demo data: loads completely, keeps provenance, and loading twice adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Article, Quote, Speaker, Statistic
from app.services.demo import demo_articles, load_demo


def test_demo_corpus_is_realistic_and_varied() -> None:
    articles = demo_articles()
    assert len(articles) >= 12
    assert len({a.source for a in articles}) >= 5
    assert len({a.published_at.date() for a in articles if a.published_at}) == len(articles)
    for a in articles:
        assert a.quotes, a.title
        assert a.statistics, a.title
        for item in [*a.quotes, *a.statistics]:
            assert a.body[item.start : item.end] == item.text


def test_load_demo_is_idempotent(session: Session) -> None:
    first = load_demo(session)
    n = len(demo_articles())
    assert (first.created, first.existing) == (n, 0)
    counts = (
        session.scalar(select(func.count(Article.id))),
        session.scalar(select(func.count(Quote.id))),
        session.scalar(select(func.count(Statistic.id))),
    )
    second = load_demo(session)
    assert (second.created, second.existing) == (0, n)
    assert counts == (
        session.scalar(select(func.count(Article.id))),
        session.scalar(select(func.count(Quote.id))),
        session.scalar(select(func.count(Statistic.id))),
    )
    okafor = session.scalars(select(Speaker).where(Speaker.name == "Amara Okafor")).one()
    assert [a.alias for a in okafor.aliases] == ["Okafor"]
