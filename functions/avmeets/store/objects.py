"""The organisation store's objects in Cloud Storage: the only module that knows the bucket.

Opted-in organisations keep files, recordings and whiteboard PNGs as objects named
``orgs/{orgId}/meetings/{meetingId}/{kind}/{objectId}`` (``object_path``; the server names every
object, never the client). A browser uploads straight to the bucket through a resumable upload
session that a callable opens for exactly one object path, content type and size
(``open_upload``); the archive document (``archives``, ``ArchiveDoc.object``) names the object,
and the purge deletes the object before the document (``avmeets.purge``).

The bucket is ``Settings.storage_bucket`` (``STORAGE_BUCKET``). With ``STORAGE_EMULATOR_HOST``
set, google-cloud-storage talks to that emulator (fake-gcs-server, started by tools/emulators.py)
without credentials; in production the functions' service account needs
``roles/storage.objectAdmin`` on the bucket (docs/deploy.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Final, Literal

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry
from google.cloud import storage  # type: ignore[attr-defined]
from google.cloud.storage.retry import DEFAULT_RETRY

from ..config import settings

#: Every object of the organisation store lives under this prefix.
ORG_PREFIX: Final = "orgs/"
ObjectKind = Literal["file", "recording", "whiteboard"]
OBJECT_KINDS: Final[tuple[ObjectKind, ...]] = ("file", "recording", "whiteboard")
#: Objects listed per request (the JSON API's most).
PAGE_SIZE: Final = 1000
#: An id segment of an object path: ids the server makes (Firestore ids, meeting ids).
_SEGMENT: Final = re.compile(r"[A-Za-z0-9_-]{1,128}")


@dataclass(frozen=True)
class ObjectInfo:
    """What the bucket says about one object."""

    path: str
    size: int
    content_type: str | None
    updated: datetime


def object_path(org_id: str, meeting_id: str, kind: ObjectKind, object_id: str) -> str:
    """``orgs/{orgId}/meetings/{meetingId}/{kind}/{objectId}``; ValueError on a bad segment."""
    if kind not in OBJECT_KINDS:
        raise ValueError(f"not an object kind: {kind!r}")
    for segment in (org_id, meeting_id, object_id):
        if not _SEGMENT.fullmatch(segment):
            raise ValueError(f"not an id for an object path: {segment!r}")
    return f"{ORG_PREFIX}{org_id}/meetings/{meeting_id}/{kind}/{object_id}"


def org_prefix(org_id: str) -> str:
    """The prefix of every object of one organisation (``delete_prefix`` on leaving)."""
    if not _SEGMENT.fullmatch(org_id):
        raise ValueError(f"not an organisation id: {org_id!r}")
    return f"{ORG_PREFIX}{org_id}/"


def _info(blob: storage.Blob) -> ObjectInfo:
    updated = blob.updated
    if updated is None:  # listed objects always carry it
        raise ValueError(f"object {blob.name} has no update time")
    return ObjectInfo(
        path=str(blob.name),
        size=int(blob.size or 0),
        content_type=blob.content_type,
        updated=updated,
    )


class ObjectStore:
    """One bucket, through google-cloud-storage. ``retry`` governs every call (the library's
    default retries momentary failures for up to two minutes)."""

    def __init__(self, bucket: storage.Bucket, retry: Retry = DEFAULT_RETRY) -> None:
        self.bucket = bucket
        self.retry = retry

    @classmethod
    def connect(
        cls,
        bucket: str,
        project: str,
        *,
        emulator_host: str | None = None,
        retry: Retry = DEFAULT_RETRY,
    ) -> ObjectStore:
        """A store on ``bucket``: the emulator at ``emulator_host`` when given (no credentials),
        else Cloud Storage with the default credentials (``STORAGE_EMULATOR_HOST`` in the
        environment also selects the emulator: the library reads it)."""
        if emulator_host:
            client = storage.Client(
                project=project,
                client_options={"api_endpoint": emulator_host},
                credentials=_anonymous(),
            )
        else:
            client = storage.Client(project=project)
        return cls(client.bucket(bucket), retry)

    def open_upload(self, path: str, content_type: str, size: int, origin: str | None) -> str:
        """The URL of a resumable upload session for exactly the object ``path`` of ``size``
        bytes. Cloud Storage refuses an upload of another size; the caller still checks the
        finished object's size (``object_info``), as the emulator does not enforce it.
        ``origin`` is the browser's origin, which Cloud Storage then answers with CORS."""
        if size < 0:
            raise ValueError("an upload's size must not be negative")
        blob = self.bucket.blob(path)
        blob.content_type = content_type  # in the session's metadata, not only its header
        url = blob.create_resumable_upload_session(
            content_type=content_type, size=size, origin=origin, retry=self.retry
        )
        return str(url)

    def object_info(self, path: str) -> ObjectInfo | None:
        blob = self.bucket.get_blob(path, retry=self.retry)
        return None if blob is None else _info(blob)

    def read_object(self, path: str) -> bytes:
        """The object's bytes; raises ``google.api_core.exceptions.NotFound`` when missing."""
        return bytes(self.bucket.blob(path).download_as_bytes(retry=self.retry))

    def delete_objects(self, paths: Iterable[str]) -> int:
        """Delete these objects; returns how many existed. A missing object is not an error;
        any other failure raises (objects deleted before it stay deleted)."""
        deleted = 0
        for path in paths:
            try:
                self.bucket.blob(path).delete(retry=self.retry)
            except gexc.NotFound:
                continue
            deleted += 1
        return deleted

    def iter_objects(self, prefix: str, page_size: int = PAGE_SIZE) -> Iterator[list[ObjectInfo]]:
        """The objects under ``prefix``, a page at a time (memory bounded by the page)."""
        blobs = self.bucket.client.list_blobs(
            self.bucket, prefix=prefix, page_size=page_size, retry=self.retry
        )
        for page in blobs.pages:
            yield [_info(blob) for blob in page]

    def list_objects(self, prefix: str) -> list[ObjectInfo]:
        return [info for page in self.iter_objects(prefix) for info in page]

    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under ``prefix`` (which must name a folder of the store)."""
        if not prefix.startswith(ORG_PREFIX) or not prefix.endswith("/"):
            raise ValueError(f"refusing to delete under {prefix!r}: not a folder of {ORG_PREFIX}")
        deleted = 0
        for page in self.iter_objects(prefix):
            deleted += self.delete_objects(info.path for info in page)
        return deleted


def _anonymous() -> object:
    from google.auth.credentials import AnonymousCredentials

    return AnonymousCredentials()


@cache
def default_store() -> ObjectStore:
    """The store of this instance's settings (``STORAGE_BUCKET``, ``STORAGE_EMULATOR_HOST``)."""
    s = settings()
    return ObjectStore.connect(
        s.storage_bucket, s.project_id, emulator_host=s.storage_emulator_host
    )


def open_upload(path: str, content_type: str, size: int, origin: str | None) -> str:
    return default_store().open_upload(path, content_type, size, origin)


def object_info(path: str) -> ObjectInfo | None:
    return default_store().object_info(path)


def delete_objects(paths: Iterable[str]) -> int:
    return default_store().delete_objects(paths)


def list_objects(prefix: str) -> list[ObjectInfo]:
    return default_store().list_objects(prefix)


def read_object(path: str) -> bytes:
    return default_store().read_object(path)


def delete_prefix(prefix: str) -> int:
    return default_store().delete_prefix(prefix)
