"""The ways the purge can find and delete documents, for ``bench/run.py`` to compare in one run.

* ``public`` (what the functions use, ``avmeets.purge.BatchDeleter``): names-only queries through
  ``Query.stream`` and one ``WriteBatch`` of up to 500 deletes per page;
* ``bulkwriter``: the same queries, deletes through the SDK's ``BulkWriter`` (unthrottled,
  500 per ``BatchWrite``);
* ``ceiling``: not the purge at all, the reference of what the emulator and the public API can
  do (issue 16): one names-only query of the expired CDRs streamed to its end, each page of 500
  committed as a ``WriteBatch`` on a small thread pool with a bounded queue. No plan, no other
  steps, no count for the cap, no progress;
* ``private``: what the purge did before issue 11, kept here only to measure it: the RunQuery
  responses read straight from the client's GAPIC API (no ``DocumentSnapshot`` per document)
  and deletes committed by path through the same API. It needs the client's internals
  (``_firestore_api``, ``Query._to_protobuf``), which the functions must not touch.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.bulk_writer import BulkWriterOptions, SendMode

from avmeets import purge

VARIANTS = ("public", "bulkwriter", "ceiling", "private")
#: The variants that are not ``purge.run`` with another ``Deleter``.
STANDALONE = ("ceiling",)
#: Commit threads of the ceiling loop, and commits queued per thread (so none waits for a page).
CEILING_WORKERS = 4
CEILING_QUEUE = 2


class PrivateDeleter:
    """Paths from the raw RunQuery stream; deletes committed by path (the old purge)."""

    def __init__(self, client: firestore.Client) -> None:
        self.client = client
        self.api = client._firestore_api
        self.metadata = client._rpc_metadata
        self.database = client._database_string
        self.prefix = f"{self.database}/documents/"

    def refs(self, query: Any, limit: int) -> Iterator[Any]:
        q = query.select([]).limit(limit)
        parent, _ = q._parent._parent_info()
        request = {"parent": parent, "structured_query": q._to_protobuf()}
        responses = self.api.run_query(request=request, metadata=self.metadata)
        try:
            for response in responses:
                pb = type(response).pb(response)
                if pb.HasField("document"):
                    name: str = pb.document.name
                    yield name[len(self.prefix) :] if name.startswith(self.prefix) else name
        finally:
            cancel = getattr(responses, "cancel", None)
            if cancel is not None:
                cancel()

    def delete(self, refs: Sequence[Any]) -> None:
        if not refs:
            return
        writes = [{"delete": self.prefix + path} for path in refs]
        self.api.commit(
            request={"database": self.database, "writes": writes}, metadata=self.metadata
        )

    def flush(self) -> None:
        pass


class BulkWriterDeleter(purge.BatchDeleter):
    """Public queries; deletes queued on one ``BulkWriter`` and flushed when a query drains."""

    def __init__(self, client: firestore.Client) -> None:
        super().__init__(client)
        options = BulkWriterOptions(
            initial_ops_per_second=1_000_000,
            max_ops_per_second=1_000_000,
            mode=SendMode.parallel,
        )
        self.writer = client.bulk_writer(options=options)
        self.writer.batch_size = purge.MAX_BATCH
        self.lock = threading.Lock()

    def delete(self, refs: Sequence[Any]) -> None:
        with self.lock:
            for ref in refs:
                self.writer.delete(ref)

    def flush(self) -> None:
        with self.lock:
            self.writer.flush()

    def close(self) -> None:
        self.writer.close()


def deleter(variant: str, client: firestore.Client) -> purge.Deleter:
    if variant == "public":
        return purge.BatchDeleter(client)
    if variant == "bulkwriter":
        return BulkWriterDeleter(client)
    if variant == "private":
        return PrivateDeleter(client)
    if variant in STANDALONE:
        raise ValueError(f"{variant!r} is not a way of deleting for purge.run: call it directly")
    raise ValueError(f"unknown purge variant {variant!r}; one of {', '.join(VARIANTS)}")


def purge_ratios(docs_per_s: dict[str, float]) -> dict[str, float | None]:
    """The purge's (``public``) median rate against BulkWriter's and the ceiling's (issue 16:
    targets >= 1.0 and >= 0.8); None where a variant was not measured."""
    public = docs_per_s.get("public")

    def ratio(other: str) -> float | None:
        against = docs_per_s.get(other)
        return round(public / against, 3) if public and against else None

    return {"ratio_vs_bulkwriter": ratio("bulkwriter"), "ratio_vs_ceiling": ratio("ceiling")}


def ceiling(client: firestore.Client, now: datetime, workers: int = CEILING_WORKERS) -> int:
    """Delete every CDR expired at ``now`` as fast as the public API allows; how many."""
    query: Any = client.collection("cdrs").where(filter=FieldFilter("expiresAt", "<=", now))
    inflight: deque[Future[int]] = deque()
    deleted = 0

    def commit(refs: list[Any]) -> int:
        batch = client.batch()
        for ref in refs:
            batch.delete(ref)
        batch.commit()
        return len(refs)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        page: list[Any] = []
        for snapshot in query.select([]).stream():
            page.append(snapshot.reference)
            if len(page) == purge.MAX_BATCH:
                if len(inflight) >= workers * CEILING_QUEUE:
                    deleted += inflight.popleft().result()
                inflight.append(pool.submit(commit, page))
                page = []
        if page:
            inflight.append(pool.submit(commit, page))
        deleted += sum(f.result() for f in inflight)
    return deleted
