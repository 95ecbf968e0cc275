"""What opted-in organisations store of their members (``archives``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from google.api_core import exceptions as gexc
from google.cloud.firestore_v1.base_query import FieldFilter

from . import names
from .core import client, data, typed
from .documents import ArchiveDoc


def new_archive_id() -> str:
    return str(client().collection(names.ARCHIVES).document().id)


def create_archive(doc: ArchiveDoc, archive_id: str | None = None) -> str:
    """Store the archive under a new id (or ``archive_id``, which must be new); returns the id."""
    collection = client().collection(names.ARCHIVES)
    ref = collection.document(archive_id) if archive_id is not None else collection.document()
    ref.create(data(doc))
    return str(ref.id)


def create_archive_once(archive_id: str, doc: ArchiveDoc) -> None:
    """Store the archive under ``archive_id`` unless it exists (then it is left as it is)."""
    with contextlib.suppress(gexc.AlreadyExists):
        create_archive(doc, archive_id)


def archive_exists(archive_id: str) -> bool:
    return bool(client().collection(names.ARCHIVES).document(archive_id).get().exists)


def put_archive(archive_id: str, doc: ArchiveDoc) -> None:
    """Store or replace the archive ``archive_id`` (a member's attendance, re-sent)."""
    client().collection(names.ARCHIVES).document(archive_id).set(data(doc))


def of_org(org_id: str) -> Iterator[tuple[str, ArchiveDoc]]:
    """Every archive of an organisation (its export), oldest first."""
    query = (
        client()
        .collection(names.ARCHIVES)
        .where(filter=FieldFilter("orgId", "==", org_id))
        .order_by("createdAt")
    )
    for snap in query.stream():
        doc = typed(snap, ArchiveDoc)
        if doc is not None:
            yield snap.id, doc
