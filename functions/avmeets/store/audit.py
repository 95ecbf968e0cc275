"""The export audit (``export_audits``): append-only.

Only two operations exist, on purpose: create the records of one export (all parts in one
batch, each with ``create``, so nothing is ever overwritten) and list them. Nothing here updates
or deletes a record; the purge deletes each at its own ``expiresAt`` (two years).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from .. import export_audit
from . import names
from .core import data, typed
from .documents import ExportAuditDoc


def append(db: firestore.Client, docs: Sequence[ExportAuditDoc]) -> None:
    """Create the records of one export at once (raises if any id exists: never overwritten)."""
    batch = db.batch()
    for doc in docs:
        ref = db.collection(names.EXPORT_AUDITS).document(export_audit.record_id(doc))
        batch.create(ref, data(doc))
    batch.commit()


def entries(
    db: firestore.Client, since: datetime | None, until: datetime | None
) -> list[ExportAuditDoc]:
    """The records with ``since <= at < until``, oldest first (then by export and part)."""
    query: Any = db.collection(names.EXPORT_AUDITS)
    if since is not None:
        query = query.where(filter=FieldFilter("at", ">=", since))
    if until is not None:
        query = query.where(filter=FieldFilter("at", "<", until))
    found = [d for d in (typed(s, ExportAuditDoc) for s in query.stream()) if d is not None]
    return sorted(found, key=lambda d: (d["at"], d["exportId"], d["part"]))
