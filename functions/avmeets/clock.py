"""The one source of 'now', so tests and tools can run the domain at a controlled time."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
