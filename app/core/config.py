"""Settings: one class, read once from the environment (and `.env`), overridable in tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_CURSOR_SECRET = "dev-only-cursor-secret-change-me"


class Settings(BaseSettings):
    """Runtime configuration. Every field maps to an upper-case environment variable."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{(Path.cwd() / 'conflict_news.db').as_posix()}",
        description="SQLAlchemy URL; default is a SQLite file in the working folder.",
    )
    cursor_secret: str = Field(
        default=DEV_CURSOR_SECRET,
        description="HMAC key that makes pagination cursors tamper-evident.",
    )
    public_reads: bool = Field(
        default=True, description="Reads need no key when true; writes always need one."
    )
    redis_url: str | None = Field(
        default=None, description="Shared rate-limit store for several workers/instances."
    )
    rate_limits_enabled: bool = True
    rate_limit_anonymous: str = "300/minute"
    rate_limit_read: str = "1200/minute"
    rate_limit_write: str = "300/minute"
    max_body_bytes: int = 2 * 1024 * 1024
    max_query_length: int = 500
    cors_origins: list[str] = Field(default_factory=list)
    log_level: str = "INFO"
    log_json: bool = True
    sqlite_busy_timeout_ms: int = 5000
    db_pool_size: int = 10
    read_timeout_ms: int = Field(
        default=5000,
        ge=0,
        description=(
            "Longest a read may run (PostgreSQL statement_timeout, a progress handler on "
            "SQLite) before it is stopped and answered with a 503 problem; 0: no limit. "
            "Exports are not bounded."
        ),
    )
    database_read_url: str | None = Field(
        default=None,
        description="Read replicas: one SQLAlchemy URL or several, comma-separated.",
    )
    read_your_writes_seconds: float = Field(
        default=5.0,
        ge=0,
        description="After a write, the client's reads go to the primary for this long.",
    )
    replica_retry_seconds: float = Field(
        default=5.0, gt=0, description="How long a replica that failed is left out."
    )
    shutdown_grace_seconds: float = Field(
        default=20.0,
        gt=0,
        description="On SIGTERM, how long in-flight requests and bulk imports may go on.",
    )
    metrics_key: str | None = Field(
        default=None,
        description="When set, GET /metrics needs it (`Authorization: Bearer` or `X-API-Key`).",
    )

    # Push: server-sent events (docs/webhooks.md) and webhooks.
    stream_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often an open event stream reads the change log."
    )
    stream_heartbeat_seconds: float = Field(
        default=15.0, gt=0, description="A comment line this often keeps idle streams open."
    )
    webhook_sender: bool = Field(
        default=True,
        description="`serve` runs the webhook sender itself; false when `worker`s run it.",
    )
    webhook_allow_private_targets: bool = Field(
        default=False,
        description="Allow webhook URLs on private, loopback and link-local addresses.",
    )
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    webhook_poll_seconds: float = Field(default=1.0, gt=0)
    webhook_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A sender's claim on a subscription; a crashed sender's claim lapses.",
    )
    webhook_retry_base_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=3600.0, gt=0)
    webhook_give_up_seconds: float = Field(
        default=3 * 24 * 3600.0,
        gt=0,
        description="A subscription whose oldest delivery fails this long is paused.",
    )

    @model_validator(mode="after")
    def _refuse_placeholders(self) -> Settings:
        if self.environment == "production" and self.cursor_secret == DEV_CURSOR_SECRET:
            raise ValueError("CURSOR_SECRET must be set to a random value in production")
        return self

    @property
    def read_urls(self) -> list[str]:
        return [u.strip() for u in (self.database_read_url or "").split(",") if u.strip()]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()
