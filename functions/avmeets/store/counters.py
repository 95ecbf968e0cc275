"""Quota counters (``quotas``): read several at once, and count in one atomic write.

A count is a server-side increment (``Increment(1)``) whose result comes back with the write
(its transform result): no transaction, so parallel requests of one subject never abort each
other, and each gets its own count back, so exactly the requests past the limit see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import client, data, typed
from .documents import CounterDoc


def _ref(counter_id: str) -> firestore.DocumentReference:
    ref: firestore.DocumentReference = client().collection(names.QUOTAS).document(counter_id)
    return ref


def read(counter_ids: Sequence[str]) -> dict[str, CounterDoc]:
    """The counters that exist among ``counter_ids``, by id, in one round trip."""
    refs = [_ref(i) for i in dict.fromkeys(counter_ids)]
    out: dict[str, CounterDoc] = {}
    for snap in client().get_all(refs):
        if (doc := typed(snap, CounterDoc)) is not None:
            out[snap.id] = doc
    return out


def increment(charges: Sequence[tuple[str, str, CounterDoc]]) -> list[int]:
    """Add one at each (counter id, field path, document) — creating the document from its
    fields where needed — in one batched write, one write per document however many of its
    fields count; returns the counts after this write, in the order given."""
    fields_of: dict[str, list[str]] = {}
    docs: dict[str, CounterDoc] = {}
    for counter_id, field, doc in charges:
        fields_of.setdefault(counter_id, []).append(field)
        docs.setdefault(counter_id, doc)
    batch = client().batch()
    for counter_id, fields in fields_of.items():
        update: dict[str, Any] = {**data(docs[counter_id])}
        for field in fields:
            _put(update, field.split("."), firestore.Increment(1))
        batch.set(_ref(counter_id), update, merge=True)
    results = batch.commit()
    after: dict[tuple[str, str], int] = {}
    for (counter_id, fields), result in zip(fields_of.items(), results, strict=True):
        # A write's transform results come in the order of their field paths (the client
        # sorts them), not in the order they were given.
        ordered = sorted(set(fields), key=lambda f: tuple(f.split(".")))
        values = _transformed_counts(result, len(ordered))
        after.update({(counter_id, f): v for f, v in zip(ordered, values, strict=True)})
    return [after[(counter_id, field)] for counter_id, field, _ in charges]


def _put(into: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        into = into.setdefault(part, {})
    into[path[-1]] = value


def _transformed_counts(result: Any, expected: int) -> list[int]:
    """The values of a write result's ``expected`` transforms (the increments)."""
    values = list(getattr(result, "transform_results", []) or [])
    if len(values) != expected:
        raise RuntimeError(f"expected {expected} transform results, got {len(values)}")
    return [_integer(value) for value in values]


def _integer(value: Any) -> int:
    # A proto-plus Value: `in` tells which member of its oneof is set.
    if "integer_value" in value:
        return int(value.integer_value)
    if "double_value" in value:
        return int(value.double_value)
    raise RuntimeError(f"unexpected transform result {value!r}")


def heaviest(kind: str, limit: int) -> list[tuple[str, int]]:
    """(subject, count) of the ``limit`` largest counters of ``kind`` (any window)."""
    query = (
        client()
        .collection(names.QUOTAS)
        .where(filter=FieldFilter("kind", "==", kind))
        .order_by("count", direction=firestore.Query.DESCENDING)
        .limit(limit)
    )
    out = []
    for snap in query.select(["subject", "count"]).stream():
        doc = snap.to_dict() or {}
        if isinstance(doc.get("subject"), str) and isinstance(doc.get("count"), int):
            out.append((doc["subject"], doc["count"]))
    return out
