"""The rate-limit dependency on every /v1 route."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.api.auth import get_principal
from app.api.state import app_state
from app.core.errors import RateLimited
from app.core.ratelimit import STATE_KEY
from app.core.security import Principal

# Extraction is CPU work, bulk import is many writes: they spend more of the budget.
COSTS = {
    ("POST", "/v1/extract"): 5,
    ("POST", "/v1/articles/bulk"): 20,
    ("POST", "/v1/articles"): 2,
}


async def enforce_rate_limit(
    request: Request, principal: Annotated[Principal, Depends(get_principal)]
) -> None:
    limiter = app_state(request.app).rate_limiter
    if limiter is None:
        return
    if principal.anonymous:
        policy = "anonymous"
    elif request.method in ("GET", "HEAD", "OPTIONS") or request.url.path == "/v1/extract":
        policy = "read"
    else:
        policy = "write"
    cost = COSTS.get((request.method, request.url.path), 1)
    # In-process counting takes microseconds; a remote store is awaited (asyncio client).
    if limiter.remote:
        decision = await limiter.ahit(policy, principal.limit_key, cost)
    else:
        decision = limiter.hit(policy, principal.limit_key, cost)
    if decision is None:
        return
    headers = decision.headers()
    setattr(request.state, STATE_KEY, headers)
    if not decision.allowed:
        raise RateLimited(
            f"The {policy} budget of {decision.limit} requests per {decision.window} s is "
            f"spent; retry after {headers['Retry-After']} s.",
            headers=headers,
        )
