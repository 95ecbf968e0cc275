"""Timestamps of top-level collections are indexed only where a query needs them (issue 20).

Firestore limits a collection to about 500 writes a second while its documents carry an indexed
field whose values only grow (a timestamp written as "now"): every write lands at the end of that
field's index (firebase.google.com/docs/firestore/solutions/shard-timestamp). Every field is
indexed unless firestore.indexes.json exempts it, so each timestamp field of a top-level
collection's stored documents must be either queried by the functions (tools/deploy/queries.py
finds those queries; its check, deploy_check point 9, fails when an exempted field is queried)
or exempted. A new timestamp field, or a new collection, fails here until one of the two holds.
Subcollections (participants, signals) are one collection per meeting, so their single-field
indexes are never hot; their collection-group indexes are chosen explicitly.
"""

from __future__ import annotations

import json
import types
from datetime import datetime
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

from avmeets.protocol import MeetingDoc
from avmeets.store import documents, names
from tools.deploy import queries

ROOT = Path(__file__).resolve().parents[2]
SUBCOLLECTIONS = {names.PARTICIPANTS, names.PRESENCE, names.SIGNALS, names.LOBBY}
#: Each top-level collection and the shape of its documents.
SHAPES: dict[str, Any] = {
    names.MEETINGS: MeetingDoc,
    names.MEETING_SECRETS: documents.MeetingSecretDoc,
    names.JOIN_ATTEMPTS: documents.AttemptDoc,
    names.MEETING_ATTEMPTS: documents.MeetingAttemptDoc,
    names.QUOTAS: documents.CounterDoc,
    names.IDENTITIES: documents.IdentityDoc,
    names.JOINS: documents.JoinRecordDoc,
    names.CDRS: documents.LegDoc,
    names.ORGS: documents.OrgDoc,
    names.ARCHIVES: documents.ArchiveDoc,
    names.EXPORT_AUDITS: documents.ExportAuditDoc,
    names.ORG_AUDITS: documents.OrgAuditDoc,
    names.USAGE_DAILY: documents.UsageDayDoc,
}


def _has_time(tp: Any) -> bool:
    if tp is datetime:
        return True
    if is_typeddict(tp):
        return any(_has_time(t) for t in get_type_hints(tp).values())
    return any(_has_time(arg) for arg in get_args(tp))


def timestamp_paths(shape: Any, prefix: str = "") -> list[str]:
    """Field paths holding a timestamp: a datetime field, or a list or map field whose values
    carry one (an array's elements are indexed as whole values). Maps are followed."""
    out: list[str] = []
    for name, tp in get_type_hints(shape).items():
        path = f"{prefix}{name}"
        options = [a for a in get_args(tp) if a is not type(None)]
        if get_origin(tp) in (Union, types.UnionType) and len(options) == 1:
            tp = options[0]
        if is_typeddict(tp):
            out += timestamp_paths(tp, f"{path}.")
        elif _has_time(tp):
            out.append(path)
    return out


def _spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "firestore.indexes.json").read_text("utf-8"))
    return data


def _exempted(spec: dict[str, Any], collection: str, path: str) -> bool:
    """An override of the field or of a map holding it disables every index."""
    for override in spec.get("fieldOverrides", []):
        field = str(override.get("fieldPath"))
        if override.get("collectionGroup") != collection:
            continue
        if (path == field or path.startswith(field + ".")) and override.get("indexes") == []:
            return True
    return False


def test_every_top_level_collection_has_a_known_shape() -> None:
    top = {
        value
        for key, value in vars(names).items()
        if key.isupper() and isinstance(value, str) and value not in SUBCOLLECTIONS
    }
    assert top == set(SHAPES), "add the new collection's document shape to SHAPES"


def test_the_shapes_are_read_with_their_nested_timestamps() -> None:
    paths = timestamp_paths(documents.LegDoc)
    assert {"startedAt", "updatedAt", "caller.timeline", "callee.stats.end.at"} <= set(paths)
    assert "caller.email" not in paths and "meetingId" not in paths


def test_timestamps_are_queried_or_exempted() -> None:
    analysis = queries.analyse(ROOT / "functions")
    assert not analysis.errors, analysis.errors
    queried = {
        (q.collection, name)
        for q in analysis.queries
        if q.scope == "COLLECTION"
        for name in q.fields()
    }
    spec = _spec()
    unindexed = [
        f"{collection}.{path}"
        for collection, shape in SHAPES.items()
        for path in timestamp_paths(shape)
        if (collection, path) not in queried and not _exempted(spec, collection, path)
    ]
    assert not unindexed, (
        "timestamps indexed but never queried (exempt them in firestore.indexes.json "
        f'fieldOverrides with "indexes": []): {unindexed}'
    )
    # An exemption drops only the field's single-field index: a query served by a composite
    # index (an equality and an order, e.g. archives by orgId ordered by createdAt) still runs,
    # as deploy_check point 9 (queries.missing_indexes) judges it. Only a field that a query
    # reads through its single-field index must not be exempted.
    single_field = {
        (q.collection, name)
        for q in analysis.queries
        if q.scope == "COLLECTION" and not queries.needs_composite(q)
        for name in q.fields()
    }
    needlessly = [
        f"{collection}.{path}"
        for collection, shape in SHAPES.items()
        for path in timestamp_paths(shape)
        if (collection, path) in single_field and _exempted(spec, collection, path)
    ]
    assert not needlessly, f"fields queried through their single-field index exempted: {needlessly}"
    assert not queries.missing_indexes(analysis.queries, spec), "deploy_check point 9"


def test_large_signal_payloads_are_not_indexed() -> None:
    spec = _spec()
    for field in ("sdp", "candidates"):
        assert _exempted(spec, names.SIGNALS, field), field
