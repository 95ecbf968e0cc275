"""The retention purge: delete what has expired, and under load the oldest CDRs beyond the cap.

The same code runs hourly as a scheduled function (``avmeets.jobs``) and as ``avmeets purge``.
``plan.make_plan`` (pure) says what one run deletes, in this order; ``execute`` carries the plan out
against Firestore, or in a dry run counts exactly what a real run would delete:

1. every document with ``expiresAt <= now`` in the server-only collections (``EXPIRING``);
2. meetings that have expired, ended, or been idle for ``meeting_idle_hours`` with no
   participant still joined, each with its ``participants`` and ``signals`` and its
   ``meeting_secrets`` document (the meeting document last, so a run that dies midway leaves a
   meeting that the next run finds again);
3. leftover signals (collection group ``signals``) older than ``SIGNAL_MAX_AGE``;
4. expired participant documents left under a meeting that stays (or that a TTL policy removed
   without its subcollections);
5. if ``cdrs`` still holds more than ``max_stored_cdrs`` documents, enough to meet the cap:
   first from the accounts that made the most legs (their leg quota counters say who; each is
   cut down towards the next heaviest, its oldest legs first), then the oldest of all
   (``startedAt``, then document id); nothing else for this reason;
6. objects of the organisation store (Cloud Storage, under ``orgs/``) last updated longer ago
   than the service's maximum retention: a backstop for uploads whose archive document was
   never written (in production a bucket lifecycle rule is the last one, docs/deploy.md).

An expired archive document that names an object (``ArchiveDoc.object``) goes in step 1 after
its object: when deleting the object fails, the document stays for the next run (counted in
``PurgeReport.objects_failed``), so nothing is orphaned and nothing is lost midway.

It keeps no state besides the data itself, so it is idempotent and safe to re-run after dying
midway; memory does not grow with the number of documents (see ``execute``). On 2 cores the
emulator deleted 8,300 documents/s with 2 delete workers, 13,200 with 4 and no more with 8, so
a run uses 4, with a page queued for each (bench/results.md compares this public-API path with
the SDK's BulkWriter, the fastest public-API delete loop and the client's internals).
"""

from .execute import MAX_BATCH, BatchDeleter, Deleter, pages, run
from .plan import (
    ARCHIVE_OBJECT,
    EXPIRING,
    SIGNAL_MAX_AGE,
    Plan,
    as_utc,
    is_due,
    make_plan,
    meeting_reason,
)
from .report import (
    ENDED,
    EXPIRED,
    IDLE,
    OBJECTS,
    OVER_CAP,
    REASONS,
    STALE,
    STEP_CAP,
    STEP_EXPIRED,
    STEP_MEETINGS,
    STEP_OBJECTS,
    STEP_PARTICIPANTS,
    STEP_SIGNALS,
    WITH_ARCHIVE,
    WITH_MEETING,
    PurgeProgress,
    PurgeReport,
)

__all__ = [
    "ARCHIVE_OBJECT",
    "ENDED",
    "EXPIRED",
    "EXPIRING",
    "IDLE",
    "MAX_BATCH",
    "OBJECTS",
    "OVER_CAP",
    "REASONS",
    "SIGNAL_MAX_AGE",
    "STALE",
    "STEP_CAP",
    "STEP_EXPIRED",
    "STEP_MEETINGS",
    "STEP_OBJECTS",
    "STEP_PARTICIPANTS",
    "STEP_SIGNALS",
    "WITH_ARCHIVE",
    "WITH_MEETING",
    "BatchDeleter",
    "Deleter",
    "Plan",
    "PurgeProgress",
    "PurgeReport",
    "as_utc",
    "is_due",
    "make_plan",
    "meeting_reason",
    "pages",
    "run",
]
