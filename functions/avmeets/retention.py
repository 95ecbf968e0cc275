"""How long records are kept: the deployment's default, shortened by an organisation's policy."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from .config import MAX_RETENTION_DAYS


def retention_days(default_days: int, org: Mapping[str, Any] | None) -> int:
    """Days to keep a record; an organisation may only shorten it, never beyond a week."""
    days = min(default_days, MAX_RETENTION_DAYS)
    org_days = (org or {}).get("retentionDays")
    if isinstance(org_days, int) and not isinstance(org_days, bool) and org_days >= 1:
        days = min(days, org_days)
    return days


def expires_at(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)
