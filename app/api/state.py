"""The app's lifespan state, typed: what `create_app` builds once and every request reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fastapi import Request
from starlette.applications import Starlette

from app.core.config import Settings
from app.core.db import Database
from app.core.ratelimit import RateLimiter

_ATTR = "conflict_news"


@dataclass
class AppState:
    settings: Settings
    rate_limiter: RateLimiter | None
    # Opened by the lifespan, unless `create_app` was handed one.
    database: Database | None = None


def install_state(app: Starlette, state: AppState) -> None:
    setattr(app.state, _ATTR, state)


def app_state(app: Starlette) -> AppState:
    return cast(AppState, getattr(app.state, _ATTR))


async def get_database(request: Request) -> Database:
    """The one way into the database (tests override this dependency, and only this one)."""
    database = app_state(request.app).database
    assert database is not None, "the lifespan opens the database before any request"
    return database


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with (tests build apps with their own)."""
    return app_state(request.app).settings
