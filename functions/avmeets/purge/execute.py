"""Carry out a purge plan against Firestore: delete what it selects, or (a dry run) count it.

Public Firestore APIs only. Deletes read document names only (``select([])``), one page of
``page_size`` at a time from a query streaming at most ``pages_per_query`` pages, and delete each
page in one batched write on ``workers`` threads while the next page arrives; once a query's
deletes have committed it runs again from the start, which no longer sees them. Meetings, and
what a dry run looks at, are read in pages through cursor queries that load only the fields the
decision needs. So memory does not grow with the number of documents. Every query of a step is
built from the plan's ``Shape`` by ``planned_query``, nowhere else: the shapes are what
tools/deploy/queries.py checks against firestore.indexes.json.

Objects in Cloud Storage go through ``avmeets.store.objects`` (the ``objects`` argument of
``run``, by default the store of the settings, connected only when a step needs it): an expired
archive's object before its document, in the same task; stale objects a listing page at a time.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, Final, Protocol

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath

from .. import quota
from ..config import MAX_RETENTION_DAYS
from ..store import names
from ..store import objects as object_store
from . import plan as plan_module
from .plan import (
    MEETING_FIELDS,
    WITH_A_MEETING,
    Cap,
    Expired,
    Meetings,
    Orphans,
    Plan,
    Shape,
    StaleObjects,
    deletable_after_objects,
    is_due,
    make_plan,
    object_of,
)
from .plan import meeting_reason as _meeting_reason
from .report import (
    EXPIRED,
    OBJECTS,
    OVER_CAP,
    STEP_CAP,
    STEP_MEETINGS,
    WITH_ARCHIVE,
    WITH_MEETING,
    PurgeProgress,
    PurgeReport,
)

log = logging.getLogger("avmeets.purge")

#: Most writes Firestore accepts in one batched write.
MAX_BATCH: Final = 500
#: Errors after which a delete query runs again (consecutive times without progress).
_STREAM_ERRORS = (
    gexc.ServiceUnavailable,
    gexc.DeadlineExceeded,
    gexc.InternalServerError,
    gexc.Aborted,
    gexc.Unknown,
)
_STREAM_ATTEMPTS = 3
#: What a failed object delete raises: the API's errors, and the transport's (requests') when
#: the store cannot be reached at all.
_OBJECT_ERRORS: Final = (gexc.GoogleAPIError, OSError)
#: A task's count of documents left because their object could not be deleted (not a collection).
_OBJECTS_FAILED: Final = "(objects failed)"
_JOINED = "joined"

#: (collection, reason, documents) increments a task returns.
_Counts = list[tuple[str, str, int]]


class Deleter(Protocol):
    """How a run finds and deletes the documents of a query (``BatchDeleter`` by default;
    bench/purge_paths.py measures others against it)."""

    def refs(self, query: Any, limit: int) -> Iterator[Any]:
        """Handles of the first ``limit`` documents ``query`` matches (names only)."""
        ...

    def delete(self, refs: Sequence[Any]) -> None:
        """Delete the documents of ``refs`` (at most ``MAX_BATCH``), or queue them."""
        ...

    def flush(self) -> None:
        """Return once every delete queued so far has committed."""
        ...


class BatchDeleter:
    """Names-only queries, one batched write per page."""

    def __init__(self, client: firestore.Client) -> None:
        self.client = client

    def refs(self, query: Any, limit: int) -> Iterator[Any]:
        stream = query.select([]).limit(limit).stream()
        try:
            for snapshot in stream:
                yield snapshot.reference
        finally:
            stream.close()

    def delete(self, refs: Sequence[Any]) -> None:
        _commit(self.client, refs)

    def flush(self) -> None:
        pass


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
    deleter: Deleter | None = None,
    objects: object_store.ObjectStore | None = None,
) -> PurgeReport:
    """Purge what is due at ``now``; see ``avmeets.purge``. Raises what Firestore raises, and
    what listing the store's objects raises; a failed object delete leaves its document."""
    if page_size < 1 or pages_per_query < 1 or workers < 1:
        raise ValueError("page_size, pages_per_query and workers must be at least 1")
    started = time.monotonic()
    plan = make_plan(now, max_stored_cdrs=max_stored_cdrs, meeting_idle_hours=meeting_idle_hours)
    report = PurgeReport(
        now=plan.now,
        dry_run=dry_run,
        max_stored_cdrs=max_stored_cdrs,
        meeting_idle_hours=meeting_idle_hours,
        plan=plan.describe(),
    )
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="purge") as executor:
        kind = _Counting if dry_run else _Deleting
        execution = kind(
            client,
            plan,
            report,
            executor,
            page_size=page_size,
            pages_per_query=pages_per_query,
            # Twice the threads: a page read ahead for each, so no thread waits for the stream.
            depth=2 * workers,
            progress=progress,
            deleter=deleter or BatchDeleter(client),
            objects=objects,
        )
        try:
            execution.all()
        finally:
            execution.abandon()
    report.elapsed_seconds = time.monotonic() - started
    log.info(
        "purge%s at %s: %d documents %s",
        " (dry run)" if dry_run else "",
        plan.now.isoformat(),
        report.total,
        "due" if dry_run else "deleted",
        extra={"purge": report.as_dict()},
    )
    return report


class _Execution:
    """One run of a plan: the steps, a small pipeline of tasks, and the progress reports.

    ``_Deleting`` deletes; ``_Counting`` (the dry run) counts exactly what ``_Deleting`` would
    delete, without deleting: where a real run's earlier steps would have removed something a
    later step sees, it leaves that out of the count.
    """

    def __init__(
        self,
        client: firestore.Client,
        plan: Plan,
        report: PurgeReport,
        executor: ThreadPoolExecutor,
        *,
        page_size: int,
        pages_per_query: int,
        depth: int,
        progress: Callable[[PurgeProgress], None] | None,
        deleter: Deleter,
        objects: object_store.ObjectStore | None = None,
    ) -> None:
        self.client = client
        self.plan = plan
        self.now = plan.now
        self.report = report
        self.executor = executor
        self.page_size = page_size
        self.pages_per_query = pages_per_query
        self.depth = depth
        self.progress = progress
        self.deleter = deleter
        self._objects = objects
        #: Dry run: objects counted with their archive that are stale too (step 6 would not
        #: see them in a real run).
        self.objects_overlap = 0
        self.inflight: deque[Future[_Counts]] = deque()
        self.cdr_count: Future[int] | None = None

    # --- the steps -------------------------------------------------------------------------------

    def all(self) -> None:
        for step in self.plan.steps:
            if isinstance(step, Expired):
                self.expired(step, planned_query(self.client, step.query))
                if step.collection == names.CDRS:
                    # Nothing else deletes CDRs before the cap: count them while the rest runs.
                    cdrs = self.client.collection(names.CDRS)
                    self.cdr_count = self.executor.submit(_count, cdrs)
            elif isinstance(step, Meetings):
                self.meetings(step)
            elif isinstance(step, Orphans):
                self.orphans(step, planned_query(self.client, step.query))
            elif isinstance(step, StaleObjects):
                self.stale_objects(step)
            else:
                self.cap(step)

    @property
    def objects(self) -> object_store.ObjectStore:
        if self._objects is None:
            self._objects = object_store.default_store()
        return self._objects

    def stale_objects(self, step: StaleObjects) -> None:
        raise NotImplementedError

    def expired(self, step: Expired, query: Any) -> None:
        """``query``: the step's documents, ordered by the field it filters on."""
        raise NotImplementedError

    def orphans(self, step: Orphans, query: Any) -> None:
        """``query``: the step's documents, ordered by the field it filters on."""
        raise NotImplementedError

    def remove_meeting(self, ref: Any, reason: str) -> _Counts:
        raise NotImplementedError

    def trim(self, step: Cap, excess: int) -> None:
        raise NotImplementedError

    def meetings(self, step: Meetings) -> None:
        for q in step.queries:
            query = planned_query(self.client, q.query)
            for page in self.pages(query.select(list(MEETING_FIELDS))):
                for snapshot in page:
                    data = snapshot.to_dict() or {}
                    self.submit(self._meeting_task(snapshot.reference, data, q.reason))
                self.harvest()
                self.emit(STEP_MEETINGS, names.MEETINGS, self.report.count(names.MEETINGS), None)
            self.drain()
        self.emit(STEP_MEETINGS, names.MEETINGS, self.report.count(names.MEETINGS), None)

    def cap(self, step: Cap) -> None:
        if self.cdr_count is not None:
            counted = self.cdr_count.result()
        else:
            counted = _count(planned_query(self.client, step.counted))
        counted = self.counted_after_expiry(counted)
        self.report.cdrs_counted = counted
        excess = max(0, counted - step.max_docs)
        if excess:
            self.trim(step, excess)

    def counted_after_expiry(self, counted: int) -> int:
        return counted

    def _meeting_task(self, ref: Any, data: dict[str, Any], wanted: str) -> Callable[[], _Counts]:
        def task() -> _Counts:
            reason = _meeting_reason(
                data, self.now, self.plan.idle_before, lambda: _has_joined(ref)
            )
            if reason != wanted:
                return []
            return self.remove_meeting(ref, reason)

        return task

    # --- paging, the pipeline and progress -------------------------------------------------------

    def pages(self, query: Any, max_docs: int | None = None) -> Iterator[list[Any]]:
        return pages(query, self.page_size, self.pages_per_query, max_docs)

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
            if collection == _OBJECTS_FAILED:
                self.report.objects_failed += n
            else:
                self.report.add(collection, reason, n)

    def emit(self, step: str, collection: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(
                PurgeProgress(
                    step=step,
                    collection=collection,
                    done=done,
                    total=total,
                    deleted=self.report.total,
                    dry_run=self.report.dry_run,
                )
            )


class _Deleting(_Execution):
    """A real run: deletes what each step selects."""

    def expired(self, step: Expired, query: Any) -> None:
        total = _count(query) if self.progress else None
        if step.objects is not None:
            self.delete_with_objects(step, query, step.objects, total)
            return
        self.delete_matching(step.step, query, step.collection, step.reason, total)

    def delete_with_objects(self, step: Expired, query: Any, field: str, total: int | None) -> None:
        """Each page's objects first, then the page's documents whose object is gone (a cursor
        walks past the documents left, so a run always ends)."""
        for page in self.pages(query.select([step.order, field])):
            docs = [(s.reference, object_of(s.to_dict() or {})) for s in page]
            self.submit(self._objects_then_documents(docs, step.collection, step.reason))
            self.emit(step.step, step.collection, self.report.count(step.collection), total)
        self.drain()
        self.emit(step.step, step.collection, self.report.count(step.collection), total)

    def _objects_then_documents(
        self, docs: list[tuple[Any, str | None]], collection: str, reason: str
    ) -> Callable[[], _Counts]:
        def task() -> _Counts:
            failed: set[str] = set()
            deleted = 0
            for _ref, path in docs:
                if path is None:
                    continue
                try:
                    deleted += self.objects.delete_objects([path])
                except _OBJECT_ERRORS as err:
                    failed.add(path)
                    log.warning(
                        "purge: deleting object %s failed (%s); its archive stays", path, err
                    )
            refs = deletable_after_objects(docs, failed)
            for start in range(0, len(refs), MAX_BATCH):
                self.deleter.delete(refs[start : start + MAX_BATCH])
            return [
                (OBJECTS, WITH_ARCHIVE, deleted),
                (collection, reason, len(refs)),
                (_OBJECTS_FAILED, reason, len(docs) - len(refs)),
            ]

        return task

    def stale_objects(self, step: StaleObjects) -> None:
        for page in self.objects.iter_objects(step.prefix):
            paths = [info.path for info in page if step.matches(info.updated)]
            if paths:
                self.submit(self._delete_objects_task(paths, step.collection, step.reason))
            self.emit(
                step.step, step.collection, self.report.count(step.collection, step.reason), None
            )
        self.drain()
        self.emit(step.step, step.collection, self.report.count(step.collection, step.reason), None)

    def _delete_objects_task(
        self, paths: list[str], collection: str, reason: str
    ) -> Callable[[], _Counts]:
        def task() -> _Counts:
            return [(collection, reason, self.objects.delete_objects(paths))]

        return task

    def orphans(self, step: Orphans, query: Any) -> None:
        if step.scan is not None:
            self.delete_scanned(step, query)
            return
        total = _count(query) if self.progress else None
        self.delete_matching(step.step, query, step.group, step.reason, total)

    def delete_scanned(self, step: Orphans, query: Any) -> None:
        """Read the whole group by name (with the scanned field only) and delete what matches."""
        assert step.scan is not None
        for page in self.pages(query.select([step.scan.field])):
            refs = [s.reference for s in page if step.matches(s.to_dict() or {})]
            if refs:
                self.delete(refs, [(step.group, step.reason, len(refs))])
            self.emit(step.step, step.group, self.report.count(step.group, step.reason), None)
        self.drain()
        self.emit(step.step, step.group, self.report.count(step.group, step.reason), None)

    def trim(self, step: Cap, excess: int) -> None:
        """The heaviest accounts' oldest legs first (``offender_cut``), then everyone's oldest
        for what is left: a flood cannot push out other people's records while its own remain."""
        before = self.report.count(step.collection, OVER_CAP)
        for uid, n in offender_cut(self.client, step, excess).items():
            theirs = planned_query(self.client, step.legs_of(uid)).order_by(FieldPath.document_id())
            self.delete_matching(STEP_CAP, theirs, step.collection, OVER_CAP, n, max_docs=n)
        left = excess - (self.report.count(step.collection, OVER_CAP) - before)
        if left > 0:
            oldest = planned_query(self.client, step.query).order_by(FieldPath.document_id())
            self.delete_matching(STEP_CAP, oldest, step.collection, OVER_CAP, left, max_docs=left)

    def remove_meeting(self, ref: Any, reason: str) -> _Counts:
        secret_ref = self.client.collection(names.MEETING_SECRETS).document(ref.id)
        counts: _Counts = [(names.MEETINGS, reason, 1)]
        if secret_ref.get(field_paths=["expiresAt"]).exists:
            counts.append((names.MEETING_SECRETS, WITH_MEETING, 1))
        # Subcollections first, the meeting document last: a run that dies in between leaves a
        # meeting that still matches, and the next run finishes it.
        last: list[Any] = []
        for sub in WITH_A_MEETING:
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
            page: list[Any] = []
            try:
                for ref in self.deleter.refs(query, limit):
                    seen += 1
                    page.append(ref)
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

    def delete(self, refs: list[Any], counts: _Counts) -> None:
        """Delete ``refs`` in batched writes on the pipeline; ``counts`` once they committed."""
        for start in range(0, len(refs), MAX_BATCH):
            chunk = refs[start : start + MAX_BATCH]
            chunk_counts = counts if start + MAX_BATCH >= len(refs) else []

            def task(chunk: list[Any] = chunk, chunk_counts: _Counts = chunk_counts) -> _Counts:
                self.deleter.delete(chunk)
                return chunk_counts

            self.submit(task)

    def drain(self) -> None:
        super().drain()
        self.deleter.flush()


class _Counting(_Execution):
    """A dry run: counts exactly what ``_Deleting`` would delete, deleting nothing."""

    def expired(self, step: Expired, query: Any) -> None:
        # Nothing else in the run deletes from these collections before this step, so a
        # count is exactly what a real run deletes here.
        n = _count(query)
        self.report.add(step.collection, step.reason, n)
        if step.objects is not None:
            self.count_objects(query.select([step.order, step.objects]))
        self.emit(step.step, step.collection, n, n)

    def count_objects(self, query: Any) -> None:
        """The objects of the expired documents that exist; those that are stale too are
        remembered, as a real run deletes them here and not in step 6."""
        stale_before = self.now - plan_module.OBJECT_MAX_AGE
        for page in self.pages(query):
            for snapshot in page:
                path = object_of(snapshot.to_dict() or {})
                info = self.objects.object_info(path) if path is not None else None
                if info is None:
                    continue
                self.report.add(OBJECTS, WITH_ARCHIVE, 1)
                if plan_module.as_utc(info.updated) < stale_before:
                    self.objects_overlap += 1

    def stale_objects(self, step: StaleObjects) -> None:
        n = sum(
            1
            for page in self.objects.iter_objects(step.prefix)
            for info in page
            if step.matches(info.updated)
        )
        self.report.add(step.collection, step.reason, max(0, n - self.objects_overlap))
        self.emit(step.step, step.collection, self.report.count(step.collection, step.reason), None)

    def orphans(self, step: Orphans, query: Any) -> None:
        """Leftovers under a meeting that step 2 deletes were counted there: skipped here."""
        field = step.scan.field if step.scan is not None else step.order
        for page in self.pages(query.select([field] if field else [])):
            chosen = [s for s in page if step.matches(s.to_dict() or {})]
            self.submit(self._orphan_count_task(chosen, step.group, step.reason))
            self.emit(step.step, step.group, self.report.count(step.group, step.reason), None)
        self.drain()
        self.emit(step.step, step.group, self.report.count(step.group, step.reason), None)

    def counted_after_expiry(self, counted: int) -> int:
        # A real run would have deleted the expired ones by now.
        return counted - self.report.count(names.CDRS, EXPIRED)

    def trim(self, step: Cap, excess: int) -> None:
        self.report.add(step.collection, step.reason, excess)
        self.emit(step.step, step.collection, excess, excess)

    def remove_meeting(self, ref: Any, reason: str) -> _Counts:
        secret = self.client.collection(names.MEETING_SECRETS).document(ref.id)
        snapshot = secret.get(field_paths=["expiresAt"])
        counts: _Counts = [(names.MEETINGS, reason, 1)]
        # An expired secret belongs to step 1 (counted there).
        if snapshot.exists and not is_due(snapshot.get("expiresAt"), self.now):
            counts.append((names.MEETING_SECRETS, WITH_MEETING, 1))
        for sub in WITH_A_MEETING:
            counts.append((sub, WITH_MEETING, _count(ref.collection(sub))))
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
        for snapshot in self.client.get_all(meeting_refs, field_paths=list(MEETING_FIELDS)):
            if not snapshot.exists:
                continue
            ref = snapshot.reference
            data = snapshot.to_dict() or {}
            has_joined = functools.partial(_has_joined, ref)
            if _meeting_reason(data, self.now, self.plan.idle_before, has_joined):
                out.add(ref.path)
        return out


def pages(
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


def planned_query(client: firestore.Client, shape: Shape) -> Any:
    """The Firestore query of one of the plan's shapes: the only place the purge turns the plan
    into queries (tools/deploy/queries.py reads the shapes from the plan instead of this code)."""
    query: Any = (
        client.collection_group(shape.collection)
        if shape.group
        else client.collection(shape.collection)
    )
    if shape.where is not None:
        where = shape.where
        query = query.where(filter=FieldFilter(where.field, where.op, where.value))
    if shape.order is not None:
        direction = firestore.Query.DESCENDING if shape.descending else firestore.Query.ASCENDING
        query = query.order_by(shape.order, direction=direction)
    return query


def _commit(client: firestore.Client, refs: Iterable[Any]) -> None:
    batch = client.batch()
    n = 0
    for ref in refs:
        batch.delete(ref)
        n += 1
    if n:
        batch.commit()


#: Accounts weighed when the cap has to delete: the heaviest by their leg counters.
OFFENDER_CANDIDATES: Final = 50


def offender_cut(client: firestore.Client, step: Cap, excess: int) -> dict[str, int]:
    """How many of each heavy account's legs the cap deletes (``quota.levels``): the accounts
    with the largest leg counters (``quotas``, kind ``legs``, the week's days summed), weighed
    by the legs of theirs still stored. Empty when no counter names anyone."""
    counters = planned_query(client, step.offenders).limit(OFFENDER_CANDIDATES * MAX_RETENTION_DAYS)
    made: dict[str, int] = {}
    for snapshot in counters.select(["subject", "count"]).stream():
        doc = snapshot.to_dict() or {}
        subject, count = doc.get("subject"), doc.get("count")
        if isinstance(subject, str) and isinstance(count, int):
            made[subject] = made.get(subject, 0) + count
    heaviest = sorted(made, key=lambda uid: (-made[uid], uid))[:OFFENDER_CANDIDATES]
    stored = {uid: _count(planned_query(client, step.counted_of(uid))) for uid in heaviest}
    return quota.levels(stored, excess)


def _count(query: Any) -> int:
    results = query.count(alias="n").get()
    return int(results[0][0].value) if results else 0


def _has_joined(meeting_ref: Any) -> bool:
    joined = (
        meeting_ref.collection(names.PARTICIPANTS)
        .where(filter=FieldFilter("state", "==", _JOINED))
        .select([])
        .limit(1)
    )
    return any(True for _ in joined.stream())
