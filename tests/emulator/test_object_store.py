"""The organisation store's objects against the real Cloud Storage emulator (fake-gcs-server).

The nox session starts fake-gcs-server with the other emulators (tools/emulators.py,
``StorageEmulator``) and gives this process ``STORAGE_EMULATOR_HOST`` and ``STORAGE_BUCKET``,
as it gives them to the functions. Uploads go over plain HTTP to the session URL, as a browser
sends them: chunks with ``Content-Range``, each answered ``308`` with the ``Range`` received.

What fake-gcs-server (1.54, the wheel's) does differently from Cloud Storage is tested as it is:
it does not enforce the size declared when the session was opened (Cloud Storage does; nothing
here relies on it), a status query (``Content-Range: bytes */N``) finalises the upload
instead of answering 308 (strict xfail below, so an emulator that learns it shows up), and its
CORS answers expose ``Location`` but not ``Range``.
"""

from __future__ import annotations

import http.client
import os
import socket
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.storage.retry import DEFAULT_RETRY

from avmeets import purge
from avmeets.config import settings
from avmeets.store import names, objects

from .support.config import PROJECT_ID

#: The web app's origin in the emulators (the hosting emulator).
WEB_ORIGIN = "http://127.0.0.1:5000"
#: Chunks of a resumable upload are multiples of 256 KiB (Cloud Storage's rule).
CHUNK = 4 * 256 * 1024
SIZE = 3 * CHUNK + 12_345
CONTENT_TYPE = "video/webm"


@pytest.fixture
def store() -> Iterator[objects.ObjectStore]:
    """The store of the settings, emptied before and after each test."""
    if not os.environ.get("STORAGE_EMULATOR_HOST"):
        pytest.fail("no STORAGE_EMULATOR_HOST: run through `nox -s emulator_tests`", pytrace=False)
    store = objects.default_store()
    _empty(store)
    yield store
    _empty(store)


def _empty(store: objects.ObjectStore) -> None:
    for page in store.iter_objects(""):
        store.delete_objects(info.path for info in page)


@pytest.fixture
def db() -> Iterator[firestore.Client]:
    client = firestore.Client(project=PROJECT_ID)
    yield client
    client.close()


def put(url: str, body: bytes, content_range: str) -> httpx.Response:
    return httpx.put(url, content=body, headers={"Content-Range": content_range}, timeout=30)


def interrupted_put(url: str, body: bytes, content_range: str) -> None:
    """Send a chunk's headers and half its bytes, then drop the connection (a lost network)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    connection.putrequest("PUT", f"{parts.path}?{parts.query}")
    connection.putheader("Content-Range", content_range)
    connection.putheader("Content-Length", str(len(body)))
    connection.endheaders()
    connection.send(body[: len(body) // 2])
    assert connection.sock is not None
    connection.sock.shutdown(socket.SHUT_RDWR)
    connection.close()


def upload(store: objects.ObjectStore, path: str, data: bytes, declared: int | None = None) -> None:
    """One whole upload through a session, in one request."""
    url = store.open_upload(path, CONTENT_TYPE, len(data) if declared is None else declared, None)
    response = put(url, data, f"bytes 0-{len(data) - 1}/{len(data)}")
    assert response.status_code in (200, 201), response.text


def test_the_session_is_for_the_object_the_server_named() -> None:
    path = objects.object_path("acme", "abc-defg-hij", "recording", "r1")
    assert path == "orgs/acme/meetings/abc-defg-hij/recording/r1"
    url = objects.open_upload(path, CONTENT_TYPE, SIZE, WEB_ORIGIN)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert query["name"] == [path] and query["uploadType"] == ["resumable"]
    # The URL the browser is given names the emulator by its public host.
    assert url.startswith(f"{os.environ['STORAGE_EMULATOR_HOST']}/upload/storage/v1/b/")
    assert f"/b/{settings().storage_bucket}/o" in url
    for bad in ("../x", "", "a/b"):
        with pytest.raises(ValueError):
            objects.object_path("acme", bad, "file", "o")


def test_a_chunked_upload_survives_an_interruption_and_reads_back_exactly(
    store: objects.ObjectStore,
) -> None:
    path = objects.object_path("acme", "m1", "recording", "rec")
    data = os.urandom(SIZE)
    url = objects.open_upload(path, CONTENT_TYPE, SIZE, WEB_ORIGIN)

    acknowledged = 0
    for _ in range(2):  # two whole chunks, each acknowledged with the range received
        end = acknowledged + CHUNK - 1
        response = put(url, data[acknowledged : end + 1], f"bytes {acknowledged}-{end}/{SIZE}")
        assert response.status_code == 308
        assert response.headers["Range"] == f"bytes=0-{end}"
        acknowledged = end + 1
    assert store.object_info(path) is None  # nothing is an object before the last byte

    # The third chunk is cut off midway: the session keeps what was acknowledged.
    third = f"bytes {acknowledged}-{acknowledged + CHUNK - 1}/{SIZE}"
    interrupted_put(url, data[acknowledged : acknowledged + CHUNK], third)
    assert store.object_info(path) is None

    # Resumed from the last acknowledged byte, to the end.
    response = put(url, data[acknowledged:], f"bytes {acknowledged}-{SIZE - 1}/{SIZE}")
    assert response.status_code in (200, 201), response.text
    info = store.object_info(path)
    assert info is not None
    assert (info.path, info.size, info.content_type) == (path, SIZE, CONTENT_TYPE)
    assert abs(info.updated - datetime.now(UTC)) < timedelta(minutes=5)
    assert objects.read_object(path) == data
    assert [i.path for i in objects.list_objects("orgs/acme/")] == [path]


@pytest.mark.xfail(
    strict=True,
    reason="fake-gcs-server 1.54 finalises the object on a status query instead of answering 308",
)
def test_a_status_query_reports_the_bytes_received(store: objects.ObjectStore) -> None:
    path = objects.object_path("acme", "m1", "file", "status")
    data = os.urandom(2 * CHUNK)
    url = objects.open_upload(path, "application/pdf", len(data), WEB_ORIGIN)
    assert put(url, data[:CHUNK], f"bytes 0-{CHUNK - 1}/{len(data)}").status_code == 308
    status = httpx.put(url, headers={"Content-Range": f"bytes */{len(data)}"})
    try:
        assert status.status_code == 308
        assert status.headers["Range"] == f"bytes=0-{CHUNK - 1}"
        assert store.object_info(path) is None
    finally:
        store.delete_objects([path])


def test_the_emulator_does_not_enforce_the_declared_size(store: objects.ObjectStore) -> None:
    """Cloud Storage refuses an upload whose size differs from the session's declared size;
    fake-gcs-server stores it. So the finished object's size is what the server checks."""
    path = objects.object_path("acme", "m1", "file", "short")
    data = os.urandom(1000)
    upload(store, path, data, declared=5000)
    info = store.object_info(path)
    assert info is not None and info.size == len(data)  # not the 5000 declared
    assert store.delete_objects([path, path + "-missing"]) == 1
    assert store.object_info(path) is None


def test_a_browser_may_put_to_a_session_from_the_web_origin(store: objects.ObjectStore) -> None:
    path = objects.object_path("acme", "m1", "whiteboard", "wb")
    url = objects.open_upload(path, "image/png", 10, WEB_ORIGIN)
    preflight = httpx.options(
        url,
        headers={
            "Origin": WEB_ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-range,content-type",
        },
    )
    assert preflight.status_code in (200, 204)
    assert preflight.headers["Access-Control-Allow-Origin"] in ("*", WEB_ORIGIN)
    assert "PUT" in preflight.headers["Access-Control-Allow-Methods"].split(",")
    allowed = {
        h.strip().lower() for h in preflight.headers["Access-Control-Allow-Headers"].split(",")
    }
    assert {"content-range", "content-type"} <= allowed
    response = httpx.put(
        url,
        content=b"\x89PNG\r\n\x1a\n..",
        headers={
            "Origin": WEB_ORIGIN,
            "Content-Range": "bytes 0-9/10",
            "Content-Type": "image/png",
        },
    )
    assert response.status_code in (200, 201)
    assert response.headers["Access-Control-Allow-Origin"] in ("*", WEB_ORIGIN)
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    # The emulator exposes Location only (not Range): the web client counts the bytes it sent.
    assert "location" in exposed


def test_delete_prefix_deletes_one_organisations_objects(store: objects.ObjectStore) -> None:
    for org in ("acme", "globex"):
        for n in range(3):
            upload(store, objects.object_path(org, "m1", "file", f"f{n}"), b"x" * (n + 1))
    assert store.delete_prefix(objects.org_prefix("acme")) == 3
    assert [i.path.split("/")[1] for i in store.list_objects("orgs/")] == ["globex"] * 3
    with pytest.raises(ValueError):
        store.delete_prefix("orgs")


# --- the purge -------------------------------------------------------------------------------

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def archive(path: str | None, expires: datetime) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "orgId": "acme",
        "meetingId": "m1",
        "kind": "file" if path else "chat",
        "archivedBy": "u1",
        "createdAt": expires - timedelta(days=7),
        "items": [],
        "expiresAt": expires,
    }
    if path:
        doc["object"] = {"path": path, "name": "a.pdf", "contentType": CONTENT_TYPE, "size": 3}
    return doc


def seed_archives(db: firestore.Client, store: objects.ObjectStore) -> dict[str, str]:
    """An expired file archive, an unexpired one, an expired chat archive; the objects."""
    old = objects.object_path("acme", "m1", "file", "old")
    new = objects.object_path("acme", "m1", "file", "new")
    for path in (old, new):
        upload(store, path, b"pdf")
    db.collection(names.ARCHIVES).document("old").set(archive(old, NOW - timedelta(hours=1)))
    db.collection(names.ARCHIVES).document("new").set(archive(new, NOW + timedelta(days=1)))
    db.collection(names.ARCHIVES).document("chat").set(archive(None, NOW - timedelta(hours=1)))
    return {"old": old, "new": new}


def archive_ids(db: firestore.Client) -> set[str]:
    return {s.id for s in db.collection(names.ARCHIVES).select([]).stream()}


def run_purge(db: firestore.Client, now: datetime, **kwargs: Any) -> purge.PurgeReport:
    return purge.run(db, now, max_stored_cdrs=1000, meeting_idle_hours=24, **kwargs)


def test_the_purge_deletes_an_expired_archives_object_then_the_document(
    db: firestore.Client, store: objects.ObjectStore
) -> None:
    paths = seed_archives(db, store)
    dry = run_purge(db, NOW, dry_run=True)
    assert dry.count(purge.OBJECTS, purge.WITH_ARCHIVE) == 1
    assert dry.count(names.ARCHIVES, purge.EXPIRED) == 2
    assert archive_ids(db) == {"old", "new", "chat"}  # a dry run deletes nothing

    report = run_purge(db, NOW)
    assert report.count(purge.OBJECTS, purge.WITH_ARCHIVE) == 1
    assert report.count(names.ARCHIVES, purge.EXPIRED) == 2
    assert report.count(purge.OBJECTS, purge.STALE) == 0  # uploaded now: not stale at NOW
    assert report.objects_failed == 0
    assert archive_ids(db) == {"new"}
    assert store.object_info(paths["old"]) is None
    assert store.object_info(paths["new"]) is not None


def test_an_object_that_cannot_be_deleted_keeps_its_document(
    db: firestore.Client, store: objects.ObjectStore
) -> None:
    """The store unreachable (a closed port, the real client and its errors): the expired
    archive's document stays with its object, and the next run deletes both."""
    paths = seed_archives(db, store)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    unreachable = objects.ObjectStore.connect(
        settings().storage_bucket,
        PROJECT_ID,
        emulator_host=dead,
        retry=DEFAULT_RETRY.with_timeout(1.0),
    )
    # Step 1 leaves the document; step 6 cannot list the store and the run fails loudly.
    with pytest.raises((gexc.GoogleAPIError, OSError)):
        run_purge(db, NOW, objects=unreachable)
    assert archive_ids(db) == {"old", "new"}  # the chat archive went, the file one stayed
    assert store.object_info(paths["old"]) is not None

    report = run_purge(db, NOW)
    assert report.count(purge.OBJECTS, purge.WITH_ARCHIVE) == 1
    assert archive_ids(db) == {"new"}
    assert store.object_info(paths["old"]) is None


def test_the_purge_deletes_stale_objects_without_a_document(
    db: firestore.Client, store: objects.ObjectStore
) -> None:
    orphan = objects.object_path("acme", "m2", "recording", "never-archived")
    upload(store, orphan, b"webm")
    upload(store, "elsewhere/kept", b"not the org store")
    real_now = datetime.now(UTC)
    # Not stale yet a week (less a minute) after the upload.
    early = run_purge(db, real_now + timedelta(days=7) - timedelta(minutes=1))
    assert early.count(purge.OBJECTS, purge.STALE) == 0
    assert (
        run_purge(db, real_now + timedelta(days=7, minutes=1), dry_run=True).count(
            purge.OBJECTS, purge.STALE
        )
        == 1
    )
    assert store.object_info(orphan) is not None
    late = run_purge(db, real_now + timedelta(days=7, minutes=1))
    assert late.count(purge.OBJECTS, purge.STALE) == 1
    assert store.object_info(orphan) is None
    assert store.object_info("elsewhere/kept") is not None
