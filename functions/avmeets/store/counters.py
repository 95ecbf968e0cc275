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


def counts(counter_ids: Sequence[str]) -> list[int]:
    """The current count of each counter (0 where it does not exist), in one round trip."""
    refs = [_ref(i) for i in counter_ids]
    got = {s.reference.path: s for s in client().get_all(refs, field_paths=["count"])}
    out = []
    for ref in refs:
        snap = got.get(ref.path)
        doc = typed(snap, CounterDoc) if snap is not None else None
        value = doc.get("count") if doc is not None else 0
        out.append(value if isinstance(value, int) else 0)
    return out


def increment(counters: Sequence[tuple[str, CounterDoc]]) -> list[int]:
    """Add one to each counter (creating it from its document), in one batched write; returns
    the counts after this write."""
    batch = client().batch()
    for counter_id, doc in counters:
        fields: dict[str, Any] = {**data(doc), "count": firestore.Increment(1)}
        batch.set(_ref(counter_id), fields, merge=True)
    results = batch.commit()
    return [_transformed_count(result) for result in results]


def _transformed_count(result: Any) -> int:
    """The value of the one transform (``count``) of a write result."""
    values = list(getattr(result, "transform_results", []) or [])
    if len(values) != 1:
        raise RuntimeError(f"expected one transform result, got {len(values)}")
    value = values[0]  # a proto-plus Value: `in` tells which member of its oneof is set
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
