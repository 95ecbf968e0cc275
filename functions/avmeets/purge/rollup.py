"""The purge's first step: roll each ended day's CDR into anonymous aggregates before any of it
is deleted (``avmeets.usage`` decides, ``store.usage`` reads and writes).

Run by the hourly job and by ``avmeets purge`` before ``purge.run``. A failure here is logged
and the purge goes on: deleting on time matters more than statistics.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from google.cloud import firestore

from .. import usage
from ..store import usage as store

log = logging.getLogger("avmeets.purge")


@dataclass
class RollUpReport:
    now: datetime
    dry_run: bool
    #: Days (YYYY-MM-DD) rolled up by this run (in a dry run: that would be).
    days: list[str] = field(default_factory=list)
    #: Rows stored per day (groups of at least ``usage.MIN_GROUP_SIZE`` people).
    rows: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "now": self.now.isoformat(),
            "dryRun": self.dry_run,
            "days": list(self.days),
            "rows": dict(self.rows),
            "minGroupSize": usage.MIN_GROUP_SIZE,
        }

    def __str__(self) -> str:
        verb = "would roll up" if self.dry_run else "rolled up"
        if not self.days:
            return f"usage aggregates: nothing to roll up (k = {usage.MIN_GROUP_SIZE})"
        listed = ", ".join(f"{d} ({self.rows.get(d, 0)} rows)" for d in self.days)
        return f"usage aggregates: {verb} {listed} (k = {usage.MIN_GROUP_SIZE})"


def roll_up(client: firestore.Client, now: datetime, *, dry_run: bool = False) -> RollUpReport:
    """Aggregate every day that has ended and has no aggregates yet; see ``avmeets.usage``."""
    report = RollUpReport(now=now, dry_run=dry_run)
    oldest = store.oldest_record(client)
    if oldest is None:
        return report
    candidates = usage.days_due(oldest, now, ())
    done = store.rolled_up(client, [d.isoformat() for d in candidates])
    for day in usage.days_due(oldest, now, done):
        start = usage.day_start(day)
        end = start + timedelta(days=1)
        joins = store.joins_between(client, start, end)
        legs = store.legs_between(client, start, end)
        if not joins and not legs:
            continue  # nobody that day: nothing to say, and no marker needed
        doc = usage.roll_up(day, joins, legs, now)
        if dry_run or store.create_day(client, doc):
            report.days.append(doc["day"])
            report.rows[doc["day"]] = len(doc["rows"])
    if report.days:
        log.info("purge: %s", report, extra={"usage": report.as_dict()})
    return report


def roll_up_safely(
    client: firestore.Client, now: datetime, *, dry_run: bool = False
) -> RollUpReport | None:
    """``roll_up``, or None after logging why it failed (the purge must run regardless)."""
    try:
        return roll_up(client, now, dry_run=dry_run)
    except Exception:
        log.exception("purge: the usage roll-up failed; the purge goes on")
        return None
