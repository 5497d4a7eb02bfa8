"""Rate limits on the `limits` library: in-process by default, Redis when REDIS_URL is set
(so several workers and instances share one budget), with the IETF RateLimit headers."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import structlog
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.core import metrics

log = structlog.get_logger(__name__)

STATE_KEY = "ratelimit_headers"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    policy: str
    limit: int
    window: int
    remaining: int
    reset_in: int

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Policy": f'"{self.policy}";q={self.limit};w={self.window}',
            "RateLimit": f'"{self.policy}";r={self.remaining};t={self.reset_in}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, self.reset_in))
        return headers


class RateLimiter:
    """Budgets per policy (`anonymous`, `read`, `write`) and caller."""

    def __init__(self, storage_uri: str, policies: dict[str, str]) -> None:
        self.remote = not storage_uri.startswith("memory://")
        storage = storage_from_string(storage_uri)
        assert isinstance(storage, Storage), "a synchronous storage URI is expected"
        self.limiter = MovingWindowRateLimiter(storage)
        self.items: dict[str, RateLimitItem] = {
            name: parse(spec) for name, spec in policies.items()
        }

    def hit(self, policy: str, caller: str, cost: int = 1) -> Decision | None:
        """Spend `cost` from the caller's budget. None when the store is unreachable: limits
        then fail open (logged), so an outage of Redis does not take the API down."""
        item = self.items[policy]
        try:
            allowed = self.limiter.hit(item, policy, caller, cost=cost)
            stats = self.limiter.get_window_stats(item, policy, caller)
        except Exception as exc:  # the store's own errors vary by backend
            log.warning("rate_limit_store_unavailable", error=type(exc).__name__)
            return None
        if not allowed:
            metrics.rate_limited(policy)
        return Decision(
            allowed=allowed,
            policy=policy,
            limit=item.amount,
            window=item.get_expiry(),
            remaining=max(0, stats.remaining),
            reset_in=max(0, math.ceil(stats.reset_time - time.time())),
        )
