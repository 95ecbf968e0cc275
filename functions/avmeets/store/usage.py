"""The daily usage aggregates (``usage_daily``) and the CDR reads that feed them.

The reads load only the fields ``avmeets.usage`` groups and counts by; the aggregates are
created once per day (``create``: a second purge run racing the first never overwrites).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import data, typed
from .documents import UsageDayDoc

#: What the aggregates read of a join record and of a leg.
JOIN_FIELDS = ("uid", "meetingId", "ipInfo.countryCode", "ipInfo.asn", "ipInfo.asOrg")
LEG_FIELDS = (
    "meetingId",
    "state",
    "disposition",
    *(
        f"{side}.{path}"
        for side in ("caller", "callee")
        for path in (
            "uid",
            "ipInfo.countryCode",
            "ipInfo.asn",
            "ipInfo.asOrg",
            "stats.connect.relayed",
            "stats.connect.rttMs",
            "stats.end.relayed",
            "stats.end.rttMs",
        )
    ),
)


def oldest_record(db: firestore.Client) -> datetime | None:
    """When the oldest stored join or leg started (None when there is none)."""
    found: list[datetime] = []
    joins = db.collection(names.JOINS).order_by("joinedAt").limit(1)
    for snapshot in joins.select(["joinedAt"]).stream():
        value = (snapshot.to_dict() or {}).get("joinedAt")
        if isinstance(value, datetime):
            found.append(value)
    legs = db.collection(names.CDRS).order_by("startedAt").limit(1)
    for snapshot in legs.select(["startedAt"]).stream():
        value = (snapshot.to_dict() or {}).get("startedAt")
        if isinstance(value, datetime):
            found.append(value)
    return min(found) if found else None


def rolled_up(db: firestore.Client, days: Iterable[str]) -> set[str]:
    """Which of ``days`` (YYYY-MM-DD) have their aggregates already."""
    refs = [db.collection(names.USAGE_DAILY).document(day) for day in days]
    if not refs:
        return set()
    return {snap.id for snap in db.get_all(refs) if snap.exists}


def joins_between(db: firestore.Client, start: datetime, end: datetime) -> list[dict[str, Any]]:
    query = (
        db.collection(names.JOINS)
        .where(filter=FieldFilter("joinedAt", ">=", start))
        .where(filter=FieldFilter("joinedAt", "<", end))
    )
    return [s.to_dict() or {} for s in query.select(list(JOIN_FIELDS)).stream()]


def legs_between(db: firestore.Client, start: datetime, end: datetime) -> list[dict[str, Any]]:
    query = (
        db.collection(names.CDRS)
        .where(filter=FieldFilter("startedAt", ">=", start))
        .where(filter=FieldFilter("startedAt", "<", end))
    )
    return [s.to_dict() or {} for s in query.select(list(LEG_FIELDS)).stream()]


def create_day(db: firestore.Client, doc: UsageDayDoc) -> bool:
    """Store a day's aggregates; False when that day has them already."""
    try:
        db.collection(names.USAGE_DAILY).document(doc["day"]).create(data(doc))
    except gexc.AlreadyExists:
        return False
    return True


def days(db: firestore.Client, since: str | None, until: str | None) -> list[UsageDayDoc]:
    """The stored days with ``since <= day < until`` (YYYY-MM-DD), oldest first."""
    query: Any = db.collection(names.USAGE_DAILY)
    if since is not None:
        query = query.where(filter=FieldFilter("day", ">=", since))
    if until is not None:
        query = query.where(filter=FieldFilter("day", "<", until))
    found = [d for d in (typed(s, UsageDayDoc) for s in query.stream()) if d is not None]
    return sorted(found, key=lambda d: d["day"])
