"""The Firestore client of this instance and the names of the collections."""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from functools import cache
from typing import Any

import firebase_admin
from google.cloud import firestore

from .config import settings

MEETINGS = "meetings"
PARTICIPANTS = "participants"
SIGNALS = "signals"
# Server-only collections: firestore.rules lets no client read or write them.
MEETING_SECRETS = "meeting_secrets"
JOIN_ATTEMPTS = "join_attempts"
IDENTITIES = "identities"
JOINS = "joins"
CDRS = "cdrs"
ORGS = "orgs"
ARCHIVES = "archives"


def ensure_app() -> None:
    """Initialise firebase-admin once (the SDK verifies ID tokens with it)."""
    if not firebase_admin._apps:
        firebase_admin.initialize_app(options={"projectId": settings().project_id})


@cache
def client() -> firestore.Client:
    """Firestore as admin: emulator without credentials, production with the runtime's."""
    s = settings()
    if s.bench_count_file:
        return _CountingClient(s.bench_count_file, project=s.project_id)
    if s.firestore_emulator_host:
        # firebase_admin.firestore.client() insists on real credentials, even for the emulator.
        return firestore.Client(project=s.project_id)
    from firebase_admin import firestore as admin_firestore

    ensure_app()
    admin_client: firestore.Client = admin_firestore.client()
    return admin_client


# --- benchmark only ------------------------------------------------------------------------------
# With AVMEETS_BENCH_COUNT_FILE set (bench/, never in production), client() returns a client that
# counts the documents each RPC reads, writes and deletes (as Firestore bills them: a query that
# matches nothing costs one read) and appends one JSON line per RPC to that file:
# {"fn": <function>, "counts": [[op, collection id, n], ...]}. The production path is untouched.


def _collection_of(name: str) -> str:
    """The id of the collection a document name (``.../documents/a/x/b/y``) belongs to."""
    parts = name.split("/documents/", 1)[-1].split("/")
    return parts[-2] if len(parts) >= 2 else "?"


def _field(message: Any, key: str) -> Any:
    return message.get(key) if isinstance(message, dict) else getattr(message, key, None)


class _CountingApi:
    """Wraps the GAPIC Firestore API of a sync client: the RPCs that read or write documents."""

    def __init__(self, api: Any, path: str) -> None:
        self._api = api
        self._path = path
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._api, name)

    def _record(self, counts: Counter[tuple[str, str]]) -> None:
        if not counts:
            return
        fn = os.environ.get("FUNCTION_TARGET") or os.environ.get("K_SERVICE") or "?"
        line = json.dumps({"fn": fn, "counts": [[op, c, n] for (op, c), n in counts.items()]})
        with self._lock, open(self._path, "a", encoding="utf-8") as out:
            out.write(line + "\n")

    def commit(self, *args: Any, **kwargs: Any) -> Any:
        request = kwargs.get("request", args[0] if args else None)
        counts: Counter[tuple[str, str]] = Counter()
        for write in _field(request, "writes") or []:
            if isinstance(write, dict):
                if "delete" in write:
                    counts["delete", _collection_of(str(write["delete"]))] += 1
                elif "update" in write:
                    counts["write", _collection_of(str(_field(write["update"], "name")))] += 1
                continue
            pb = getattr(type(write), "pb", None)
            raw = pb(write) if callable(pb) else write
            op = raw.WhichOneof("operation")
            if op == "delete":
                counts["delete", _collection_of(raw.delete)] += 1
            elif op == "update":
                counts["write", _collection_of(raw.update.name)] += 1
            elif op == "transform":
                counts["write", _collection_of(raw.transform.document)] += 1
        result = self._api.commit(*args, **kwargs)
        self._record(counts)
        return result

    def _streamed(self, responses: Any, key: str, empty: str) -> Iterator[Any]:
        counts: Counter[tuple[str, str]] = Counter()
        try:
            for response in responses:
                raw = type(response).pb(response)
                if raw.HasField(key):
                    counts["read", _collection_of(getattr(raw, key).name)] += 1
                elif key == "found" and raw.HasField("missing"):  # a missing document: one read
                    counts["read", _collection_of(raw.missing)] += 1
                yield response
        finally:
            if not counts:
                counts["read", empty] += 1
            self._record(counts)

    def batch_get_documents(self, *args: Any, **kwargs: Any) -> Any:
        return self._streamed(self._api.batch_get_documents(*args, **kwargs), "found", "?")

    def run_query(self, *args: Any, **kwargs: Any) -> Any:
        request = kwargs.get("request", args[0] if args else None)
        try:
            empty = str(_field(request, "structured_query").from_[0].collection_id)
        except (AttributeError, IndexError, TypeError):
            empty = "?"
        return self._streamed(self._api.run_query(*args, **kwargs), "document", empty)

    def run_aggregation_query(self, *args: Any, **kwargs: Any) -> Any:
        self._record(Counter({("read", "aggregation"): 1}))
        return self._api.run_aggregation_query(*args, **kwargs)


class _CountingClient(firestore.Client):
    """A Firestore client whose document operations are counted into ``path`` (benchmark only)."""

    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._count_path = path
        self._counting_api: _CountingApi | None = None

    @property
    def _firestore_api(self) -> Any:
        if self._counting_api is None:
            self._counting_api = _CountingApi(super()._firestore_api, self._count_path)
        return self._counting_api
