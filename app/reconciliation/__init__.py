"""Reconciliation: statistics that report the same quantity grouped into estimates.

`grouping` is the pure rule set, `projection` keeps the `estimate` tables current in the
writer's transaction (ORM events; `register()` is called by the CLI and the tests, never on
import), `service` serves them (the list, one estimate, the series by estimates)."""

from __future__ import annotations

from app.reconciliation import projection


def register() -> None:
    """Register the estimates' ORM event listeners, once (calling it again does nothing)."""
    projection.register()
