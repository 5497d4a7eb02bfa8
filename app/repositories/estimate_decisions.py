"""Admins' decisions on estimates (`estimate_decision`): the figures pinned to a label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, delete, insert, select

from app.models import EstimateDecision, Statistic

_D = cast(Table, EstimateDecision.__table__)


def pin(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Pin figures (article_id, metric, text) to a label, replacing an earlier decision."""
    if not rows:
        return
    conn.execute(
        delete(_D).where(
            _D.c.article_id == bindparam("a"),
            _D.c.metric == bindparam("m"),
            _D.c.text == bindparam("t"),
        ),
        [{"a": r["article_id"], "m": r["metric"], "t": r["text"]} for r in rows],
    )
    conn.execute(insert(_D), rows)


def existing_statistics(conn: Connection, ids: Sequence[str]) -> set[str]:
    found = conn.execute(select(Statistic.id).where(Statistic.id.in_(ids))).scalars()
    return set(found)
