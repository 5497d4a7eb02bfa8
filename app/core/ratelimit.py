"""Rate limits on the `limits` library: in-process by default, Redis when REDIS_URL is set
(so several workers and instances share one budget), with the IETF RateLimit headers."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import anyio.to_thread
import structlog
from limits import RateLimitItem, WindowStats, parse
from limits.aio.storage import Storage as AsyncStorage
from limits.aio.strategies import MovingWindowRateLimiter as AsyncMovingWindow
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
        # A remote store is also reached asynchronously (redis-py's asyncio client), so a
        # request never waits for it in a worker thread.
        self.async_limiter: AsyncMovingWindow | None = None
        if self.remote and storage_uri.startswith(("redis://", "rediss://")):
            remote = storage_from_string("async+" + storage_uri, implementation="redispy")
            assert isinstance(remote, AsyncStorage)
            self.async_limiter = AsyncMovingWindow(remote)
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
        return self._decision(policy, item, allowed, stats)

    async def ahit(self, policy: str, caller: str, cost: int = 1) -> Decision | None:
        """`hit` without blocking the event loop (the remote store's asyncio client); the
        synchronous store in a worker thread when there is no asynchronous one."""
        if self.async_limiter is None:
            return await anyio.to_thread.run_sync(self.hit, policy, caller, cost)
        item = self.items[policy]
        try:
            allowed = await self.async_limiter.hit(item, policy, caller, cost=cost)
            stats = await self.async_limiter.get_window_stats(item, policy, caller)
        except Exception as exc:  # the store's own errors vary by backend
            log.warning("rate_limit_store_unavailable", error=type(exc).__name__)
            return None
        return self._decision(policy, item, allowed, stats)

    @staticmethod
    def _decision(policy: str, item: RateLimitItem, allowed: bool, stats: WindowStats) -> Decision:
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
