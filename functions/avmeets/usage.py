"""Anonymous daily usage aggregates: what the purge keeps of a day's CDR before it goes (pure).

Each UTC day that has ended is rolled up once, by the first purge run after midnight, from the
join records (``joins``) and connection legs (``cdrs``) that started that day, into one
``usage_daily/{YYYY-MM-DD}`` document of counts and a median: no uid, session, meeting id, name,
address or user agent, only groups.

A row is a group of people: all of them (``country`` and ``network`` ``"*"``), those who joined
from one network (``asn``) in one country, or the rest of a country (``network`` ``"other"``), or
the rest of the world (``country`` ``"other"``). Countries and networks come from the join's
GeoIP details; ``"unknown"`` is an address GeoIP did not know (or a private one).

**Minimum group size.** Every row stored covers at least ``MIN_GROUP_SIZE`` (k = 10) distinct
participants. A network with fewer is folded into its country's ``"other"``, a country's rest
with fewer into the world's ``"other"``, and what is still below k is not stored as a row (its
counts are in the ``"*"`` row only, which itself needs k people). A row of ten or more people
says nothing about one of them. Per row:

* ``meetings``, ``participants`` (distinct), ``joins``: from the join records of the group;
* ``connections``: connection ends of the group (a leg has two ends, each counted in its own
  side's group), and how each leg ended: ``answered``, ``failed`` (ICE failed), ``noAnswer``
  (ended before connecting), ``open`` (still running when the day was rolled up);
* ``relayed``: ends whose connection went through a TURN relay (either stats snapshot);
* ``rttMedianMs``: the median round-trip time those ends reported when they connected.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from .store.documents import UsageDayDoc, UsageRow

#: k: the fewest distinct participants a stored row may describe.
MIN_GROUP_SIZE: Final = 10
#: How long a day's aggregates are kept (a year's comparison, and a month to spare).
RETENTION_DAYS: Final = 400
#: Days further back are never rolled up: the CDR is kept a week at most, so such a day could
#: only be a remnant of its records.
LOOK_BACK_DAYS: Final = 31
ALL: Final = "*"
OTHER: Final = "other"
UNKNOWN: Final = "unknown"

#: (country, network label, asn) of a join or a leg end.
Key = tuple[str, str, int | None]


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def day_of(value: datetime) -> date:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()


def days_due(oldest: datetime | None, now: datetime, done: Iterable[str]) -> list[date]:
    """The days, oldest first, that have ended by ``now`` and are not rolled up yet, from the
    day of the oldest stored record on."""
    if oldest is None:
        return []
    finished = set(done)
    out = []
    today = day_of(now)
    day = max(day_of(oldest), today - timedelta(days=LOOK_BACK_DAYS))
    while day < today:
        if day.isoformat() not in finished:
            out.append(day)
        day += timedelta(days=1)
    return out


def group_key(ip_info: Any) -> Key:
    """The group of an ``ipInfo``: its country and network, or ``unknown``."""
    info = ip_info if isinstance(ip_info, Mapping) else {}
    country = info.get("countryCode")
    country = country if isinstance(country, str) and country else UNKNOWN
    asn = info.get("asn")
    if not isinstance(asn, int) or isinstance(asn, bool):
        return country, UNKNOWN, None
    org = info.get("asOrg")
    label = f"AS{asn} {org}" if isinstance(org, str) and org else f"AS{asn}"
    return country, label, asn


@dataclass
class _Group:
    uids: set[str] = field(default_factory=set)
    meetings: set[str] = field(default_factory=set)
    joins: int = 0
    ends: list[tuple[str, bool, float | None]] = field(default_factory=list)

    def add(self, other: _Group) -> None:
        self.uids |= other.uids
        self.meetings |= other.meetings
        self.joins += other.joins
        self.ends += other.ends


def _outcome(leg: Mapping[str, Any]) -> str:
    if leg.get("state") != "ended":
        return "open"
    return {"ANSWERED": "answered", "FAILED": "failed"}.get(str(leg.get("disposition")), "noAnswer")


def _end_facts(side: Mapping[str, Any]) -> tuple[bool, float | None]:
    stats = side.get("stats")
    snapshots: list[Mapping[str, Any]] = []
    if isinstance(stats, Mapping):
        snapshots = [s for s in (stats.get("connect"), stats.get("end")) if isinstance(s, Mapping)]
    relayed = any(s.get("relayed") is True for s in snapshots)
    rtts = [s.get("rttMs") for s in snapshots]
    numbers = [float(r) for r in rtts if isinstance(r, int | float) and not isinstance(r, bool)]
    rtt = numbers[0] if numbers else None
    return relayed, rtt


def _groups(
    joins: Iterable[Mapping[str, Any]], legs: Iterable[Mapping[str, Any]]
) -> dict[Key, _Group]:
    groups: dict[Key, _Group] = defaultdict(_Group)
    for join in joins:
        group = groups[group_key(join.get("ipInfo"))]
        group.joins += 1
        if isinstance(join.get("uid"), str):
            group.uids.add(join["uid"])
        if isinstance(join.get("meetingId"), str):
            group.meetings.add(join["meetingId"])
    for leg in legs:
        outcome = _outcome(leg)
        for role in ("caller", "callee"):
            side = leg.get(role)
            if not isinstance(side, Mapping):
                continue
            relayed, rtt = _end_facts(side)
            group = groups[group_key(side.get("ipInfo"))]
            group.ends.append((outcome, relayed, rtt))
            if isinstance(side.get("uid"), str):
                group.uids.add(side["uid"])
            if isinstance(leg.get("meetingId"), str):
                group.meetings.add(leg["meetingId"])
    return groups


def fold(groups: Mapping[Key, _Group], k: int) -> dict[Key, _Group]:
    """The rows to store: networks of at least k people as they are, the rest of each country
    and then of the world pooled into ``other``; what is still below k is dropped."""
    rows: dict[Key, _Group] = {}
    rest_by_country: dict[str, _Group] = defaultdict(_Group)
    for key, group in groups.items():
        if len(group.uids) >= k:
            rows[key] = group
        else:
            rest_by_country[key[0]].add(group)
    world = _Group()
    for country, rest in rest_by_country.items():
        if len(rest.uids) >= k:
            rows[(country, OTHER, None)] = rest
        else:
            world.add(rest)
    if len(world.uids) >= k:
        rows[(OTHER, OTHER, None)] = world
    return rows


def _row(key: Key, group: _Group) -> UsageRow:
    outcomes = [o for o, _, _ in group.ends]
    rtts = [r for _, _, r in group.ends if r is not None]
    return {
        "country": key[0],
        "network": key[1],
        "asn": key[2],
        "meetings": len(group.meetings),
        "participants": len(group.uids),
        "joins": group.joins,
        "connections": len(group.ends),
        "answered": outcomes.count("answered"),
        "failed": outcomes.count("failed"),
        "noAnswer": outcomes.count("noAnswer"),
        "open": outcomes.count("open"),
        "relayed": sum(1 for _, relayed, _ in group.ends if relayed),
        "rttMedianMs": round(statistics.median(rtts), 1) if rtts else None,
    }


def roll_up(
    day: date,
    joins: Iterable[Mapping[str, Any]],
    legs: Iterable[Mapping[str, Any]],
    now: datetime,
    k: int = MIN_GROUP_SIZE,
) -> UsageDayDoc:
    """The aggregates of ``day`` from its join records and legs (those that started that day)."""
    if k < 1:
        raise ValueError("the minimum group size must be at least 1")
    groups = _groups(joins, legs)
    everyone = _Group()
    for group in groups.values():
        everyone.add(group)
    rows: list[UsageRow] = []
    if len(everyone.uids) >= k:
        rows.append(_row((ALL, ALL, None), everyone))
    folded = fold(groups, k)
    order = sorted(folded, key=lambda key: (key[0] == OTHER, key[0], key[1] == OTHER, key[1]))
    rows += [_row(key, folded[key]) for key in order]
    return {
        "day": day.isoformat(),
        "minGroupSize": k,
        "computedAt": now,
        "rows": rows,
        "expiresAt": day_start(day) + timedelta(days=RETENTION_DAYS),
    }
