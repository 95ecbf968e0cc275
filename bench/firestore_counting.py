"""Counting the Firestore operations of the functions (benchmark only, never deployed).

``install(path)`` wraps the GAPIC Firestore API of every ``google.cloud.firestore.Client`` of
the process so that it counts the documents each RPC reads, writes and deletes (as Firestore
bills them: a query that matches nothing costs one read) and appends one JSON line per RPC to
``path``: ``{"fn": <function>, "counts": [[op, collection id, n], ...]}``.

The functions emulator's Python workers load it through ``bench/hook/sitecustomize.py`` when
``nox -s bench`` puts that directory on their PYTHONPATH; the deployed package has no trace of
it. It reaches into the client's internals (``_firestore_api``), which the functions must not.
"""

from __future__ import annotations

import json
import os
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

_ATTRIBUTE = "_avmeets_counting_api"


def _collection_of(name: str) -> str:
    """The id of the collection a document name (``.../documents/a/x/b/y``) belongs to."""
    parts = name.split("/documents/", 1)[-1].split("/")
    return parts[-2] if len(parts) >= 2 else "?"


def _field(message: Any, key: str) -> Any:
    return message.get(key) if isinstance(message, dict) else getattr(message, key, None)


class CountingApi:
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


def install(path: str) -> None:
    """Count every sync Firestore client's operations of this process into ``path``."""
    from google.cloud.firestore_v1 import client as client_module

    original: Any = vars(client_module.Client).get("_firestore_api")
    if not isinstance(original, property) or original.fget is None:
        return  # the client changed: count nothing rather than break the functions
    fget = original.fget
    if getattr(fget, "avmeets_counting", False):
        return

    def counting_api(self: Any) -> Any:
        api = fget(self)
        wrapped = self.__dict__.get(_ATTRIBUTE)
        if wrapped is None or wrapped._api is not api:
            wrapped = CountingApi(api, path)
            self.__dict__[_ATTRIBUTE] = wrapped
        return wrapped

    counting_api.avmeets_counting = True  # type: ignore[attr-defined]
    setattr(client_module.Client, "_firestore_api", property(counting_api))  # noqa: B010
