"""Quotas: how much one account, meeting or participant may do in a fixed window (pure).

Each quota counts in one document per kind, subject and window
(``quotas/{kind}~{subject}~{window}``, ``store.counters``): a minute, an hour or a UTC day from
its start. A kind limited per minute and per day keeps both in the day's document (the minute's
count in its ``within`` map), so a request charged against both is one write, not two. A
document is written only by its own subject's requests, so no counter is shared by everyone (no
hot document), and each expires with its window (TTL), or a week after its latest leg for the
leg counters, which the purge reads to find the heaviest accounts. Limits are
``protocol.Quotas``; this module names the quotas, their windows and their documents, and
decides. The time comes in as an argument.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

from .config import MAX_RETENTION_DAYS
from .errors import ResourceExhausted
from .protocol import ErrorReason, Quotas
from .store.documents import CounterDoc

Window = Literal["minute", "hour", "day"]
_LENGTH: Final[dict[Window, timedelta]] = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
}
_STAMP: Final[dict[Window, str]] = {"minute": "m%Y%m%d%H%M", "hour": "h%Y%m%d%H", "day": "d%Y%m%d"}


@dataclass(frozen=True)
class Quota:
    """``limit`` of ``kind`` per subject and ``window``; counters kept ``keep`` after it.

    ``home``: the longer window whose document holds this one's count (in its ``within``
    map), when the kind is also limited over that window; None: a document of its own.
    """

    kind: str
    limit: int
    window: Window
    keep: timedelta = timedelta(0)
    home: Window | None = None


MEETINGS_PER_MINUTE: Final = Quota("meetings", Quotas.MEETINGS_PER_MINUTE, "minute", home="day")
MEETINGS_PER_DAY: Final = Quota("meetings", Quotas.MEETINGS_PER_DAY, "day")
JOINS_PER_MINUTE: Final = Quota("joins", Quotas.JOINS_PER_MINUTE, "minute", home="day")
JOINS_PER_DAY: Final = Quota("joins", Quotas.JOINS_PER_DAY, "day")
#: Counted on the meeting document, not in a counter (``meeting_joins``).
MEETING_JOINS_PER_HOUR: Final = Quota("meeting-joins", Quotas.MEETING_JOINS_PER_HOUR, "hour")
MEETING_KNOCKS_PER_HOUR: Final = Quota("meeting-knocks", Quotas.MEETING_KNOCKS_PER_HOUR, "hour")
ARCHIVES_PER_MINUTE: Final = Quota("archives", Quotas.ARCHIVES_PER_MINUTE, "minute")
UPLOADS_PER_DAY: Final = Quota("uploads", Quotas.UPLOADS_PER_DAY, "day")
PROBES_PER_MINUTE: Final = Quota("probes", Quotas.PROBES_PER_MINUTE, "minute", home="day")
PROBES_PER_DAY: Final = Quota("probes", Quotas.PROBES_PER_DAY, "day")
#: Kept for the retention period: the purge weighs accounts by the legs they made this week.
LEGS_PER_DAY: Final = Quota(
    "legs", Quotas.LEGS_PER_DAY, "day", keep=timedelta(days=MAX_RETENTION_DAYS)
)
#: Counted from the meeting's legs in the record, not in a counter (``services.connections``).
MEETING_LEGS_PER_DAY: Final = Quota("meeting-legs", Quotas.MEETING_LEGS_PER_DAY, "day")
SIGNALS_PER_MINUTE: Final = Quota("signals", Quotas.SIGNALS_PER_MINUTE, "minute")
RENAMES_PER_HOUR: Final = Quota("renames", Quotas.RENAMES_PER_HOUR, "hour")
#: The kind whose counters say which account made how many legs (the purge's offenders).
LEGS_KIND: Final = LEGS_PER_DAY.kind


def window_start(now: datetime, window: Window) -> datetime:
    now = now.astimezone(UTC)
    if window == "minute":
        return now.replace(second=0, microsecond=0)
    if window == "hour":
        return now.replace(minute=0, second=0, microsecond=0)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def window_end(now: datetime, window: Window) -> datetime:
    return window_start(now, window) + _LENGTH[window]


def _stamp(now: datetime, window: Window) -> str:
    return window_start(now, window).strftime(_STAMP[window])


@dataclass(frozen=True)
class Charge:
    """One quota applied to one subject at one time: its counter document, the field in it
    that counts (``count``, or ``within.{stamp}`` for a window kept in a longer one's
    document) and the document's other fields."""

    quota: Quota
    subject: str
    now: datetime

    @property
    def _document_window(self) -> Window:
        return self.quota.home or self.quota.window

    @property
    def counter_id(self) -> str:
        stamp = _stamp(self.now, self._document_window)
        return f"{self.quota.kind}~{self.subject}~{stamp}"

    @property
    def field(self) -> str:
        """Where in its document this charge counts (a Firestore field path)."""
        if self.quota.home is None:
            return "count"
        return f"within.{_stamp(self.now, self.quota.window)}"

    def counter(self) -> CounterDoc:
        """The counter document's fields besides the counts (which the store increments).

        A counter kept beyond its window (the leg counts) expires ``keep`` after the latest
        request it counted, which every write moves: it goes no later than the latest record it
        counts, so nothing naming the account outlives the retention (a day counter that
        expired a week after the *end* of its day could outlive that day's first legs by a day).
        """
        window = self._document_window
        start = window_start(self.now, window)
        end = start + _LENGTH[window]
        return {
            "kind": self.quota.kind,
            "subject": self.subject,
            "window": start,
            "expiresAt": self.now + self.quota.keep if self.quota.keep else end,
        }

    @property
    def retry_after_seconds(self) -> int:
        left = (window_end(self.now, self.quota.window) - self.now).total_seconds()
        return max(1, math.ceil(left))


def count_of(doc: Mapping[str, Any] | None, field: str = "count") -> int:
    """The count at ``field`` (a dotted path) of a counter document; 0 where there is none."""
    value: Any = doc or {}
    for part in field.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def refusal(charge: Charge) -> ResourceExhausted:
    """The answer to a request over ``charge``'s quota."""
    q = charge.quota
    return ResourceExhausted(
        f"Too many requests: at most {q.limit} {q.kind.replace('-', ' ')} a {q.window}; "
        f"try again in {charge.retry_after_seconds} s.",
        reason=ErrorReason.RATE_LIMITED,
        retryAfterSeconds=charge.retry_after_seconds,
    )


def meeting_joins(meeting: Mapping[str, Any], now: datetime) -> tuple[datetime, int]:
    """The meeting's join count for the hour of ``now`` as its document holds it: (the hour's
    start, joins admitted in it so far). Every join writes the meeting document (the
    serialisation point of admissions), so the count rides on that write: no counter document,
    and exact, since joins commit one at a time against its version."""
    start = window_start(now, MEETING_JOINS_PER_HOUR.window)
    since = meeting.get("joinsSince")
    if not isinstance(since, datetime) or since != start:
        return start, 0
    return start, count_of(meeting, "joins")


def check_meeting_joins(
    meeting_id: str, meeting: Mapping[str, Any], now: datetime
) -> tuple[datetime, int]:
    """``meeting_joins``, or the refusal when one more join would pass the meeting's quota."""
    since, count = meeting_joins(meeting, now)
    if count >= MEETING_JOINS_PER_HOUR.limit:
        raise refusal(Charge(MEETING_JOINS_PER_HOUR, meeting_id, now))
    return since, count


def first_exhausted(charges: list[Charge], counts: list[int]) -> Charge | None:
    """The first charge whose counter has reached its limit (``counts`` as read), if any."""
    for charge, count in zip(charges, counts, strict=True):
        if count >= charge.quota.limit:
            return charge
    return None


def first_exceeded(charges: list[Charge], counts: list[int]) -> Charge | None:
    """The first charge whose counter went past its limit (``counts`` after the increment)."""
    for charge, count in zip(charges, counts, strict=True):
        if count > charge.quota.limit:
            return charge
    return None


# --- the purge's offenders --------------------------------------------------------------------


def levels(counts: Mapping[str, int], excess: int) -> dict[str, int]:
    """How many records to delete from each heavy owner so that ``excess`` go in all, taking
    from the heaviest first (water-filling: the heaviest are cut down to a common level, no
    one below it loses anything). May total less than ``excess`` when the owners hold less;
    the rest is the caller's (oldest first)."""
    if excess <= 0 or not counts:
        return {}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    total = sum(c for _, c in ordered)
    if total <= excess:
        return {owner: c for owner, c in ordered if c > 0}
    # The highest level L with sum(max(0, c - L)) >= excess.
    low, high = 0, ordered[0][1]
    while low < high:
        mid = (low + high + 1) // 2
        if sum(max(0, c - mid) for _, c in ordered) >= excess:
            low = mid
        else:
            high = mid - 1
    cut = {owner: c - low for owner, c in ordered if c > low}
    # Deleting down to `low` may take more than `excess`: give the surplus back to the
    # lightest of those cut (they lose the least), so exactly `excess` go.
    surplus = sum(cut.values()) - excess
    for owner, _ in reversed(ordered):
        if surplus <= 0:
            break
        if owner in cut:
            back = min(surplus, cut[owner])
            cut[owner] -= back
            surplus -= back
    return {owner: n for owner, n in cut.items() if n > 0}
