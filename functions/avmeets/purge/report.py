"""What a purge run reports: documents deleted (or, in a dry run, due) per collection and reason,
and its progress after each page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ..store import names

# Why a document was deleted.
EXPIRED: Final = "expired"
ENDED: Final = "ended"
IDLE: Final = "idle"
WITH_MEETING: Final = "with-meeting"
STALE: Final = "stale"
OVER_CAP: Final = "over-cap"
WITH_ARCHIVE: Final = "with-archive"

#: Not a collection: the organisation store's objects in Cloud Storage (avmeets.store.objects),
#: deleted with their expired archive document (before it) or, older than the service's
#: maximum retention with no document, as stale.
OBJECTS: Final = "objects"

#: Every collection the purge touches and the reasons it deletes there, in report order.
REASONS: Final[dict[str, tuple[str, ...]]] = {
    names.MEETINGS: (EXPIRED, ENDED, IDLE),
    names.PARTICIPANTS: (WITH_MEETING, EXPIRED),
    names.PRESENCE: (WITH_MEETING,),
    names.SIGNALS: (WITH_MEETING, STALE),
    names.LOBBY: (WITH_MEETING,),
    names.MEETING_SECRETS: (WITH_MEETING, EXPIRED),
    names.CDRS: (EXPIRED, OVER_CAP),
    names.JOINS: (EXPIRED,),
    names.IDENTITIES: (EXPIRED,),
    names.JOIN_ATTEMPTS: (EXPIRED,),
    names.ARCHIVES: (EXPIRED,),
    names.EXPORT_AUDITS: (EXPIRED,),
    names.USAGE_DAILY: (EXPIRED,),
    OBJECTS: (WITH_ARCHIVE, STALE),
}

# Steps, as reported to the progress callback.
STEP_EXPIRED: Final = "expired"
STEP_MEETINGS: Final = "meetings"
STEP_SIGNALS: Final = "signals"
STEP_PARTICIPANTS: Final = "participants"
STEP_CAP: Final = "cap"
STEP_OBJECTS: Final = "objects"


def _empty_counts() -> dict[str, dict[str, int]]:
    return {collection: dict.fromkeys(reasons, 0) for collection, reasons in REASONS.items()}


@dataclass
class PurgeReport:
    """What one run deleted (or, in a dry run, would delete), per collection and reason."""

    now: datetime
    dry_run: bool
    max_stored_cdrs: int
    meeting_idle_hours: int
    #: collection -> reason -> documents; every collection and reason of ``REASONS`` present.
    deleted: dict[str, dict[str, int]] = field(default_factory=_empty_counts)
    #: Documents in ``cdrs`` when the cap was checked (after the expired ones went).
    cdrs_counted: int = 0
    elapsed_seconds: float = 0.0
    #: Expired archive documents left for the next run because deleting their object failed.
    objects_failed: int = 0
    #: The plan the run carried out (``Plan.describe()``), one line per step.
    plan: list[str] = field(default_factory=list)

    def count(self, collection: str, reason: str | None = None) -> int:
        reasons = self.deleted.get(collection, {})
        if reason is None:
            return sum(reasons.values())
        return reasons.get(reason, 0)

    def per_collection(self) -> dict[str, int]:
        return {collection: sum(reasons.values()) for collection, reasons in self.deleted.items()}

    @property
    def total(self) -> int:
        return sum(self.per_collection().values())

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able data, for logs and ``avmeets purge --format json``."""
        return {
            "now": self.now.isoformat(),
            "dryRun": self.dry_run,
            "maxStoredCdrs": self.max_stored_cdrs,
            "meetingIdleHours": self.meeting_idle_hours,
            "deleted": {c: dict(r) for c, r in self.deleted.items()},
            "total": self.total,
            "cdrsCounted": self.cdrs_counted,
            "objectsFailed": self.objects_failed,
            "elapsedSeconds": round(self.elapsed_seconds, 3),
            "plan": list(self.plan),
        }

    def __str__(self) -> str:
        """One line for logs: ``purge at … deleted 12 documents: cdrs 10, meetings 2``."""
        verb = "would delete" if self.dry_run else "deleted"
        parts = ", ".join(f"{c} {n}" for c, n in self.per_collection().items() if n)
        line = f"purge at {self.now.isoformat()} {verb} {self.total} documents"
        return f"{line}: {parts}" if parts else line

    def add(self, collection: str, reason: str, n: int) -> None:
        reasons = self.deleted.setdefault(collection, {})
        reasons[reason] = reasons.get(reason, 0) + n


@dataclass(frozen=True)
class PurgeProgress:
    """Where a run is, after each page: for a progress bar or a log line."""

    step: str
    collection: str
    #: Documents deleted (or counted) so far in this step.
    done: int
    #: What the step expects when it is known up front (counted only when reporting progress).
    total: int | None
    #: Documents deleted (or counted) so far in the whole run.
    deleted: int
    dry_run: bool
