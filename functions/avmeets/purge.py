"""The retention purge: delete what has expired, and under load the oldest CDRs beyond the cap.

The same code runs hourly as a scheduled function and as ``avmeets purge``. One run:

1. deletes every document with ``expiresAt <= now`` in the server-only collections
   (``EXPIRING``);
2. deletes meetings that have expired, ended, or been idle for ``meeting_idle_hours`` with no
   participant still joined, each with its ``participants`` and ``signals`` and its
   ``meeting_secrets`` document (the meeting document last, so a run that dies midway leaves a
   meeting that the next run finds again);
3. deletes leftover signals (collection group ``signals``) older than ``SIGNAL_MAX_AGE``;
4. deletes expired participant documents left under a meeting that stays (or that a TTL policy
   removed without its subcollections);
5. if ``cdrs`` still holds more than ``max_stored_cdrs`` documents, deletes the oldest
   (``startedAt``, then document id) until the cap holds, and nothing else for this reason.

It keeps no state besides the data itself, so it is idempotent and safe to re-run after dying
midway. Memory does not grow with the number of documents:

* deletes read document names only (an empty field mask), one page of ``page_size`` at a time
  from a query streaming at most ``pages_per_query`` pages, and delete each page in one batched
  write on ``workers`` threads while the next page arrives (4: on the emulator on 2 cores, 2
  deleted 8,300 documents/s, 4 deleted 13,200/s and 8 no more); once a query's deletes have
  committed it runs again from the start, which no longer sees them;
* meetings, and what a dry run looks at, are read in pages through cursor queries that load
  only the fields the decision needs.

A dry run counts exactly what a real run would delete (aggregation counts where nothing else in
the run interferes), without deleting.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath

from . import db

log = logging.getLogger("avmeets.purge")

ARCHIVES = db.ARCHIVES
#: Top-level collections whose documents are deleted at ``expiresAt``.
EXPIRING: tuple[str, ...] = (
    db.CDRS,
    db.JOINS,
    db.IDENTITIES,
    db.JOIN_ATTEMPTS,
    db.MEETING_SECRETS,
    ARCHIVES,
)
#: An unapplied signal is useless after this long.
SIGNAL_MAX_AGE = timedelta(minutes=10)
#: Most writes Firestore accepts in one batched write.
MAX_BATCH = 500
#: Errors after which a delete query runs again (consecutive times without progress).
_STREAM_ERRORS = (
    gexc.ServiceUnavailable,
    gexc.DeadlineExceeded,
    gexc.InternalServerError,
    gexc.Aborted,
    gexc.Unknown,
)
_STREAM_ATTEMPTS = 3

# Why a document was deleted.
EXPIRED = "expired"
ENDED = "ended"
IDLE = "idle"
WITH_MEETING = "with-meeting"
STALE = "stale"
OVER_CAP = "over-cap"

#: Every collection the purge touches and the reasons it deletes there, in report order.
REASONS: dict[str, tuple[str, ...]] = {
    db.MEETINGS: (EXPIRED, ENDED, IDLE),
    db.PARTICIPANTS: (WITH_MEETING, EXPIRED),
    db.SIGNALS: (WITH_MEETING, STALE),
    db.MEETING_SECRETS: (WITH_MEETING, EXPIRED),
    db.CDRS: (EXPIRED, OVER_CAP),
    db.JOINS: (EXPIRED,),
    db.IDENTITIES: (EXPIRED,),
    db.JOIN_ATTEMPTS: (EXPIRED,),
    ARCHIVES: (EXPIRED,),
}

# Steps, as reported to the progress callback.
STEP_EXPIRED = "expired"
STEP_MEETINGS = "meetings"
STEP_SIGNALS = "signals"
STEP_PARTICIPANTS = "participants"
STEP_CAP = "cap"

_JOINED = "joined"
_ENDED_STATE = "ended"

#: (collection, reason, documents) increments a task returns.
_Counts = list[tuple[str, str, int]]


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
            "elapsedSeconds": round(self.elapsed_seconds, 3),
        }

    def __str__(self) -> str:
        """One line for logs: ``purge at … deleted 12 documents: cdrs 10, meetings 2``."""
        verb = "would delete" if self.dry_run else "deleted"
        parts = ", ".join(f"{c} {n}" for c, n in self.per_collection().items() if n)
        line = f"purge at {self.now.isoformat()} {verb} {self.total} documents"
        return f"{line}: {parts}" if parts else line

    def _add(self, collection: str, reason: str, n: int) -> None:
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


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware UTC datetime; a naive one is taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def is_due(value: Any, limit: datetime) -> bool:
    """Whether a stored timestamp is at or before ``limit`` (a missing one never is)."""
    return isinstance(value, datetime) and as_utc(value) <= limit


def meeting_reason(
    data: dict[str, Any], now: datetime, idle_before: datetime, has_joined: Callable[[], bool]
) -> str | None:
    """Why a meeting goes (expired, ended, idle), or None; ``has_joined`` is asked last."""
    if is_due(data.get("expiresAt"), now):
        return EXPIRED
    if data.get("state") == _ENDED_STATE:
        return ENDED
    if is_due(data.get("lastActivityAt"), idle_before) and not has_joined():
        return IDLE
    return None


def run(
    client: firestore.Client,
    now: datetime,
    *,
    max_stored_cdrs: int,
    meeting_idle_hours: int,
    dry_run: bool = False,
    page_size: int = 500,
    progress: Callable[[PurgeProgress], None] | None = None,
    pages_per_query: int = 1000,
    workers: int = 4,
) -> PurgeReport:
    """Purge what is due at ``now``; see the module docstring. Raises what Firestore raises."""
    if page_size < 1 or pages_per_query < 1 or workers < 1:
        raise ValueError("page_size, pages_per_query and workers must be at least 1")
    if max_stored_cdrs < 0 or meeting_idle_hours < 0:
        raise ValueError("max_stored_cdrs and meeting_idle_hours must not be negative")
    started = time.monotonic()
    now = as_utc(now)
    report = PurgeReport(
        now=now,
        dry_run=dry_run,
        max_stored_cdrs=max_stored_cdrs,
        meeting_idle_hours=meeting_idle_hours,
    )
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="purge") as executor:
        purge = _Purge(
            client,
            now,
            report,
            executor,
            dry_run=dry_run,
            page_size=page_size,
            pages_per_query=pages_per_query,
            depth=workers,
            idle_before=now - timedelta(hours=meeting_idle_hours),
            progress=progress,
        )
        try:
            purge.all()
        finally:
            purge.abandon()
    report.elapsed_seconds = time.monotonic() - started
    log.info(
        "purge%s at %s: %d documents %s",
        " (dry run)" if dry_run else "",
        now.isoformat(),
        report.total,
        "due" if dry_run else "deleted",
        extra={"purge": report.as_dict()},
    )
    return report


class _Purge:
    """One run: the steps, a small pipeline of delete tasks, and the progress reports."""

    def __init__(
        self,
        client: firestore.Client,
        now: datetime,
        report: PurgeReport,
        executor: ThreadPoolExecutor,
        *,
        dry_run: bool,
        page_size: int,
        pages_per_query: int,
        depth: int,
        idle_before: datetime,
        progress: Callable[[PurgeProgress], None] | None,
    ) -> None:
        self.client = client
        self.now = now
        self.report = report
        self.executor = executor
        self.dry_run = dry_run
        self.page_size = page_size
        self.pages_per_query = pages_per_query
        self.depth = depth
        self.idle_before = idle_before
        self.progress = progress
        self.inflight: deque[Future[_Counts]] = deque()
        self.cdr_count: Future[int] | None = None

    # --- the steps -----------------------------------------------------------------------------

    def all(self) -> None:
        for collection in EXPIRING:
            self.expired(collection)
            if collection == db.CDRS:
                # Nothing else deletes CDRs before the cap: count them while the rest runs.
                self.cdr_count = self.executor.submit(_count, self.client.collection(db.CDRS))
        self.meetings()
        self.stale_signals()
        self.expired_participants()
        self.cap()

    def expired(self, collection: str) -> None:
        query = self.client.collection(collection).where(
            filter=FieldFilter("expiresAt", "<=", self.now)
        )
        if self.dry_run:
            # Nothing else in the run deletes from these collections before this step, so a
            # count is exactly what a real run deletes here.
            n = _count(query)
            self.report._add(collection, EXPIRED, n)
            self.emit(STEP_EXPIRED, collection, n, n)
            return
        total = _count(query) if self.progress else None
        self.delete_matching(STEP_EXPIRED, query.order_by("expiresAt"), collection, EXPIRED, total)

    def meetings(self) -> None:
        meetings = self.client.collection(db.MEETINGS)
        fields = ["expiresAt", "state", "lastActivityAt"]
        # Each query deletes only for its own reason: a meeting that an earlier query matched
        # is left to it (a dry run must not count it twice; a real run already deleted it).
        queries = (
            (
                EXPIRED,
                meetings.where(filter=FieldFilter("expiresAt", "<=", self.now)).order_by(
                    "expiresAt"
                ),
            ),
            (ENDED, meetings.where(filter=FieldFilter("state", "==", _ENDED_STATE))),
            (
                IDLE,
                meetings.where(
                    filter=FieldFilter("lastActivityAt", "<=", self.idle_before)
                ).order_by("lastActivityAt"),
            ),
        )
        for reason, query in queries:
            for page in self.pages(query.select(fields)):
                for snapshot in page:
                    data = snapshot.to_dict() or {}
                    self.submit(self._meeting_task(snapshot.reference, data, reason))
                self.harvest()
                self.emit(STEP_MEETINGS, db.MEETINGS, self.report.count(db.MEETINGS), None)
            self.drain()
        self.emit(STEP_MEETINGS, db.MEETINGS, self.report.count(db.MEETINGS), None)

    def stale_signals(self) -> None:
        query = self.client.collection_group(db.SIGNALS).where(
            filter=FieldFilter("createdAt", "<", self.now - SIGNAL_MAX_AGE)
        )
        self._orphans(STEP_SIGNALS, db.SIGNALS, STALE, query, "createdAt")

    def expired_participants(self) -> None:
        query = self.client.collection_group(db.PARTICIPANTS).where(
            filter=FieldFilter("expiresAt", "<=", self.now)
        )
        self._orphans(STEP_PARTICIPANTS, db.PARTICIPANTS, EXPIRED, query, "expiresAt")

    def cap(self) -> None:
        cdrs = self.client.collection(db.CDRS)
        counted = self.cdr_count.result() if self.cdr_count is not None else _count(cdrs)
        if self.dry_run:
            # A real run would have deleted the expired ones by now.
            counted -= self.report.count(db.CDRS, EXPIRED)
        self.report.cdrs_counted = counted
        excess = max(0, counted - self.report.max_stored_cdrs)
        if excess == 0:
            return
        if self.dry_run:
            self.report._add(db.CDRS, OVER_CAP, excess)
            self.emit(STEP_CAP, db.CDRS, excess, excess)
            return
        oldest = cdrs.order_by("startedAt").order_by(FieldPath.document_id())
        self.delete_matching(STEP_CAP, oldest, db.CDRS, OVER_CAP, excess, max_docs=excess)

    def _orphans(self, step: str, collection: str, reason: str, query: Any, order: str) -> None:
        """Leftovers of a collection group: deleted as they are; a dry run skips those under a
        meeting that step 2 deletes (it counted them already)."""
        if not self.dry_run:
            total = _count(query) if self.progress else None
            self.delete_matching(step, query.order_by(order), collection, reason, total)
            return
        for page in self.pages(query.order_by(order).select([order])):
            self.submit(self._orphan_count_task(page, collection, reason))
            self.emit(step, collection, self.report.count(collection, reason), None)
        self.drain()
        self.emit(step, collection, self.report.count(collection, reason), None)

    def delete_matching(
        self,
        step: str,
        query: Any,
        collection: str,
        reason: str,
        total: int | None,
        max_docs: int | None = None,
    ) -> None:
        """Delete what an ordered query matches (at most ``max_docs``), a page at a time.

        Each query streams at most ``pages_per_query`` pages of document names only; once their
        deletes have committed the query runs again from the start, which no longer sees them.
        """
        per_query = self.page_size * self.pages_per_query
        remaining = max_docs
        failures = 0
        while remaining is None or remaining > 0:
            limit = per_query if remaining is None else min(per_query, remaining)
            seen = 0
            broken = False
            page: list[str] = []
            try:
                for path in _stream_paths(self.client, query, limit):
                    seen += 1
                    page.append(path)
                    if len(page) == self.page_size or seen == limit:
                        self.delete(page, [(collection, reason, len(page))])
                        self.emit(step, collection, self.report.count(collection, reason), total)
                        page = []
                    if seen == limit:
                        break
            except _STREAM_ERRORS as err:
                # A broken stream: delete what it gave, then query again from the start.
                failures = failures + 1 if seen == 0 else 1
                if failures > _STREAM_ATTEMPTS:
                    raise
                log.warning("purge: %s stream broke (%s); querying again", collection, err)
                broken = True
            if page:
                self.delete(page, [(collection, reason, len(page))])
            self.drain()
            self.emit(step, collection, self.report.count(collection, reason), total)
            if remaining is not None:
                remaining -= seen
            if seen < limit and not broken:
                return

    # --- tasks (run on the executor's threads) -------------------------------------------------

    def _meeting_task(self, ref: Any, data: dict[str, Any], wanted: str) -> Callable[[], _Counts]:
        def task() -> _Counts:
            reason = meeting_reason(data, self.now, self.idle_before, lambda: _has_joined(ref))
            if reason != wanted:
                return []
            return self._delete_meeting(ref, reason)

        return task

    def _delete_meeting(self, ref: Any, reason: str) -> _Counts:
        secret_ref = self.client.collection(db.MEETING_SECRETS).document(ref.id)
        secret = secret_ref.get(field_paths=["expiresAt"])
        # An expired secret belongs to step 1 (a dry run counted it there).
        secret_counts = secret.exists and not (
            self.dry_run and is_due(secret.get("expiresAt"), self.now)
        )
        counts: _Counts = [(db.MEETINGS, reason, 1)]
        if secret_counts:
            counts.append((db.MEETING_SECRETS, WITH_MEETING, 1))
        if self.dry_run:
            for sub in (db.PARTICIPANTS, db.SIGNALS):
                counts.append((sub, WITH_MEETING, _count(ref.collection(sub))))
            return counts
        # Subcollections first, the meeting document last: a run that dies in between leaves a
        # meeting that still matches, and the next run finishes it.
        last: list[Any] = []
        for sub in (db.PARTICIPANTS, db.SIGNALS):
            n = 0
            while True:
                docs = list(ref.collection(sub).select([]).limit(MAX_BATCH).stream())
                n += len(docs)
                if len(docs) < MAX_BATCH:
                    last.extend(d.reference for d in docs)
                    break
                _commit(self.client, [d.reference for d in docs])
            counts.append((sub, WITH_MEETING, n))
        if len(last) + 2 > MAX_BATCH:
            _commit(self.client, last)
            last = []
        _commit(self.client, [*last, secret_ref, ref])
        return counts

    def _orphan_count_task(
        self, page: Sequence[Any], collection: str, reason: str
    ) -> Callable[[], _Counts]:
        refs = [s.reference for s in page]

        def task() -> _Counts:
            meeting_refs = {r.parent.parent.path: r.parent.parent for r in refs if r.parent.parent}
            doomed = self._doomed(list(meeting_refs.values()))
            n = sum(1 for r in refs if not (r.parent.parent and r.parent.parent.path in doomed))
            return [(collection, reason, n)]

        return task

    def _doomed(self, meeting_refs: list[Any]) -> set[str]:
        """Paths of those meetings that step 2 deletes."""
        out: set[str] = set()
        if not meeting_refs:
            return out
        fields = ["expiresAt", "state", "lastActivityAt"]
        for snapshot in self.client.get_all(meeting_refs, field_paths=fields):
            if not snapshot.exists:
                continue
            ref = snapshot.reference
            data = snapshot.to_dict() or {}
            if meeting_reason(
                data, self.now, self.idle_before, functools.partial(_has_joined, ref)
            ):
                out.add(ref.path)
        return out

    # --- paging, the pipeline and progress -----------------------------------------------------

    def pages(self, query: Any, max_docs: int | None = None) -> Iterator[list[Any]]:
        return _pages(query, self.page_size, self.pages_per_query, max_docs)

    def delete(self, paths: list[str], counts: _Counts) -> None:
        """Delete the documents at ``paths`` in batched writes on the pipeline; ``counts`` once
        they committed. A queued task holds only the paths."""
        for start in range(0, len(paths), MAX_BATCH):
            chunk = paths[start : start + MAX_BATCH]
            chunk_counts = counts if start + MAX_BATCH >= len(paths) else []

            def task(chunk: list[str] = chunk, chunk_counts: _Counts = chunk_counts) -> _Counts:
                _delete_paths(self.client, chunk)
                return chunk_counts

            self.submit(task)

    def submit(self, task: Callable[[], _Counts]) -> None:
        while len(self.inflight) >= self.depth:
            self._collect(self.inflight.popleft())
        self.inflight.append(self.executor.submit(task))
        self.harvest()

    def harvest(self) -> None:
        """Count the tasks that have finished, in submission order, without waiting."""
        while self.inflight and self.inflight[0].done():
            self._collect(self.inflight.popleft())

    def drain(self) -> None:
        while self.inflight:
            self._collect(self.inflight.popleft())

    def abandon(self) -> None:
        """After an error: cancel what has not started; what runs finishes (all of it is due)."""
        for future in self.inflight:
            future.cancel()
        self.inflight.clear()

    def _collect(self, future: Future[_Counts]) -> None:
        for collection, reason, n in future.result():
            self.report._add(collection, reason, n)

    def emit(self, step: str, collection: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(
                PurgeProgress(
                    step=step,
                    collection=collection,
                    done=done,
                    total=total,
                    deleted=self.report.total,
                    dry_run=self.dry_run,
                )
            )


def _pages(
    query: Any, page_size: int, pages_per_query: int, max_docs: int | None = None
) -> Iterator[list[Any]]:
    """The results of an ordered query in pages of at most ``page_size`` snapshots.

    Each query streams at most ``pages_per_query`` pages and is consumed one page at a time; the
    next one starts after the last document seen. Deleting the documents of a page does not
    disturb the cursor, and a dry run that deletes nothing still advances.
    """
    per_query = page_size * pages_per_query
    cursor: Any = None
    seen_total = 0
    while max_docs is None or seen_total < max_docs:
        limit = per_query if max_docs is None else min(per_query, max_docs - seen_total)
        q = query if cursor is None else query.start_after(cursor)
        stream = q.limit(limit).stream()
        seen = 0
        page: list[Any] = []
        try:
            for snapshot in stream:
                # The client may resume a broken stream with the same limit: never exceed it.
                if seen >= limit:
                    break
                seen += 1
                page.append(snapshot)
                if len(page) == page_size:
                    cursor = page[-1]
                    seen_total += len(page)
                    yield page
                    page = []
        finally:
            stream.close()
        if page:
            cursor = page[-1]
            seen_total += len(page)
            yield page
        if seen < limit:
            return


def _stream_paths(client: firestore.Client, query: Any, limit: int) -> Iterator[str]:
    """The paths of the first ``limit`` documents a query matches, names only.

    Snapshots cost the client library some 100 µs of CPU each, more than deleting the document;
    this reads the RunQuery responses of the same request directly, and falls back on
    ``Query.stream`` should the library's internals change.
    """
    q = query.select([]).limit(limit)
    try:
        api = client._firestore_api
        metadata = client._rpc_metadata
        parent, _ = q._parent._parent_info()
        request = {"parent": parent, "structured_query": q._to_protobuf()}
        prefix = f"{client._database_string}/documents/"
    except AttributeError:  # pragma: no cover - depends on the library version
        log.debug("purge: streaming through Query.stream")
        for snapshot in q.stream():
            yield snapshot.reference.path
        return
    responses = api.run_query(request=request, metadata=metadata)
    try:
        for response in responses:
            pb = type(response).pb(response)
            if pb.HasField("document"):
                name: str = pb.document.name
                yield name[len(prefix) :] if name.startswith(prefix) else name
    finally:
        cancel = getattr(responses, "cancel", None)
        if cancel is not None:
            cancel()


def _delete_paths(client: firestore.Client, paths: Sequence[str]) -> None:
    """Delete documents by path in one commit, as ``WriteBatch.commit`` sends it but without
    building a reference and a write object per document (falls back on ``WriteBatch``)."""
    if not paths:
        return
    try:
        api = client._firestore_api
        database = client._database_string
        metadata = client._rpc_metadata
    except AttributeError:  # pragma: no cover - depends on the library version
        _commit(client, (client.document(path) for path in paths))
        return
    prefix = f"{database}/documents/"
    writes = [{"delete": prefix + path} for path in paths]
    api.commit(request={"database": database, "writes": writes}, metadata=metadata)


def _commit(client: firestore.Client, refs: Iterable[Any]) -> None:
    batch = client.batch()
    n = 0
    for ref in refs:
        batch.delete(ref)
        n += 1
    if n:
        batch.commit()


def _count(query: Any) -> int:
    results = query.count(alias="n").get()
    return int(results[0][0].value) if results else 0


def _has_joined(meeting_ref: Any) -> bool:
    joined = (
        meeting_ref.collection(db.PARTICIPANTS)
        .where(filter=FieldFilter("state", "==", _JOINED))
        .select([])
        .limit(1)
    )
    return any(True for _ in joined.stream())
