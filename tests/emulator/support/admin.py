"""Admin access to the emulators, for fixtures and for assertions on server-only data only.

The admin Firestore client bypasses firestore.rules: never use it to act as a test peer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

import httpx
from google.cloud import firestore

from .config import AUTH_HOST, FIRESTORE_HOST, HTTP_TIMEOUT, PROJECT_ID
from .deadline import wait_for, wait_until_stable
from .http_client import async_client

Dump = dict[str, dict[str, Any]]

FIRESTORE_RESET_URL = (
    f"http://{FIRESTORE_HOST}/emulator/v1/projects/{PROJECT_ID}/databases/(default)/documents"
)
AUTH_RESET_URL = f"http://{AUTH_HOST}/emulator/v1/projects/{PROJECT_ID}/accounts"
AUTH_ACCOUNTS_URL = (
    f"http://{AUTH_HOST}/identitytoolkit.googleapis.com/v1/projects/{PROJECT_ID}/accounts:batchGet"
)


def admin_client() -> firestore.AsyncClient:
    return firestore.AsyncClient(project=PROJECT_ID)


async def clean_all(timeout: float = 30.0) -> None:
    """Delete every Firestore document and every Auth account of the project.

    The Firestore emulator answers 409 Conflict while a transaction is open (a function of the
    previous test may still be finishing one), so the reset is retried until the deadline.
    """
    async with async_client(HTTP_TIMEOUT) as client:
        for url in (FIRESTORE_RESET_URL, AUTH_RESET_URL):
            await _reset(client, url, timeout)


async def _reset(client: httpx.AsyncClient, url: str, timeout: float) -> None:
    answers: list[str] = []

    async def deleted() -> bool:
        response = await client.delete(url)
        answers.append(f"{response.status_code} {response.text[:200]}")
        if response.status_code == httpx.codes.CONFLICT:
            return False
        response.raise_for_status()
        return True

    await wait_for(
        deleted,
        timeout=timeout,
        interval=0.2,
        what=f"DELETE {url} to succeed",
        describe=lambda: f"last answer: {answers[-1] if answers else 'none'}",
    )


async def emulators_reachable() -> str | None:
    """None when the Firestore and Auth emulators answer, else a description of what does not."""
    async with async_client(5.0) as client:
        for name, url in (
            ("firestore", f"http://{FIRESTORE_HOST}/"),
            ("auth", f"http://{AUTH_HOST}/"),
        ):
            try:
                await client.get(url)
            except httpx.HTTPError as exc:
                return f"the {name} emulator at {url} does not answer ({exc!r})"
    return None


#: Documents read per BatchGetDocuments, and RPCs a dump has in flight at once.
_GET_CHUNK = 300
_IN_FLIGHT = 16


async def _walk(
    client: firestore.AsyncClient, collection: Any, out: Dump, gate: asyncio.Semaphore
) -> None:
    """Every document under `collection`, subcollections included. A level's documents are read
    in batched gets and their subcollections listed concurrently: one RPC per document in a row
    made a dump of the tests' bigger worlds take seconds (and the suite minutes)."""
    async with gate:
        # Missing documents too: one may hold subcollections (ListDocuments' show_missing).
        refs = [ref async for ref in collection.list_documents()]
    for start in range(0, len(refs), _GET_CHUNK):
        async with gate:
            async for snapshot in client.get_all(refs[start : start + _GET_CHUNK]):
                if snapshot.exists:
                    out[snapshot.reference.path] = snapshot.to_dict() or {}

    async def subcollections(ref: Any) -> list[Any]:
        async with gate:
            return [sub async for sub in ref.collections()]

    levels = await asyncio.gather(*(subcollections(ref) for ref in refs))
    await asyncio.gather(*(_walk(client, sub, out, gate) for subs in levels for sub in subs))


async def dump_all(client: firestore.AsyncClient, *, exclude: Collection[str] = ()) -> Dump:
    """Every document of the database, by path, walking all collections recursively; the
    top-level collections named in ``exclude`` are left out."""
    out: Dump = {}
    gate = asyncio.Semaphore(_IN_FLIGHT)
    collections = [c async for c in client.collections() if c.id not in exclude]
    await asyncio.gather(*(_walk(client, c, out, gate) for c in collections))
    return dict(sorted(out.items()))


#: The one field a joined client's beat moves (its presence document's).
HEARTBEAT_FIELD = "lastSeenAt"


def without_heartbeats(dump: Dump) -> Dump:
    """`dump` less what live clients' beats move: each presence document's `lastSeenAt`, and
    each knock's (a knocker knocks again every `heartbeatSeconds` while it waits).

    A joined test client keeps beating, as the protocol asks (or the scheduled sweep closes it
    out), so "nothing changed" means nothing but that: every other field of every document,
    presence and participants' included, is still compared.
    """
    return {
        path: (
            {k: v for k, v in data.items() if k != HEARTBEAT_FIELD}
            if path.split("/")[-2:-1] in (["presence"], ["lobby"])
            else data
        )
        for path, data in dump.items()
    }


async def settled_dump(
    client: firestore.AsyncClient,
    *,
    quiet: float = 0.5,
    heartbeats: bool = True,
    exclude: Collection[str] = (),
) -> Dump:
    """A dump taken once the database has stopped changing (triggers may still be writing).

    With ``heartbeats=False`` the dump is `without_heartbeats`, and settling ignores them too.
    ``exclude`` as for `dump_all`: a test that planted thousands of documents watches the rest.
    """

    async def read() -> Dump:
        dump = await dump_all(client, exclude=exclude)
        return dump if heartbeats else without_heartbeats(dump)

    return await wait_until_stable(read, quiet=quiet, timeout=30.0, what="the database")


async def signals_counted(client: firestore.AsyncClient, meeting_id: str, uid: str) -> int:
    """How many of `uid`'s signals in this meeting the signal trigger has counted (its
    per-minute counters, docs/protocol.md section 3)."""
    query = (
        client.collection("quotas")
        .where(filter=firestore.FieldFilter("kind", "==", "signals"))
        .where(filter=firestore.FieldFilter("subject", "==", f"{meeting_id}:{uid}"))
    )
    return sum([int((snap.to_dict() or {}).get("count", 0)) async for snap in query.stream()])


def under(dump: Dump, collection: str) -> Dump:
    """The documents of `dump` under the collection path `collection` (subcollections included)."""
    prefix = collection.rstrip("/") + "/"
    return {path: data for path, data in dump.items() if path.startswith(prefix)}


def matching(dump: Dump, collection_id: str) -> Dump:
    """The documents of `dump` that belong to a collection with id `collection_id`, at any depth."""
    out: Dump = {}
    for path, data in dump.items():
        parts = path.split("/")
        if len(parts) >= 2 and parts[-2] == collection_id:
            out[path] = data
    return out


def mentions(value: Any, needle: str) -> bool:
    """Whether `needle` appears as a string anywhere inside `value` (nested dicts and lists)."""
    if isinstance(value, str):
        return value == needle
    if isinstance(value, dict):
        return any(mentions(k, needle) or mentions(v, needle) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(mentions(v, needle) for v in value)
    return False


def diff(before: Dump, after: Dump) -> str:
    """A readable description of what differs between two dumps."""
    lines: list[str] = []
    for path in sorted(set(before) | set(after)):
        if path not in after:
            lines.append(f"- deleted {path}: {before[path]!r}")
        elif path not in before:
            lines.append(f"+ created {path}: {after[path]!r}")
        elif before[path] != after[path]:
            lines.append(f"~ changed {path}: {before[path]!r} -> {after[path]!r}")
    return "\n".join(lines) or "(no difference)"


async def group_dump(client: firestore.AsyncClient, collection_id: str) -> Dump:
    """Every document of the collections named `collection_id` at any depth, by path.

    One query instead of `dump_all`'s walk with a read per document: cheap enough to poll while
    hundreds of documents exist.
    """
    snapshots = await client.collection_group(collection_id).get()
    return {snap.reference.path: snap.to_dict() or {} for snap in snapshots}


async def auth_accounts() -> dict[str, dict[str, Any]]:
    """Every account of the Auth emulator, by `auth/{localId}` (all fields the emulator keeps)."""
    accounts: dict[str, dict[str, Any]] = {}
    token: str | None = None
    async with async_client(HTTP_TIMEOUT) as client:
        while True:
            params = {"maxResults": "1000", **({"nextPageToken": token} if token else {})}
            response = await client.get(
                AUTH_ACCOUNTS_URL, params=params, headers={"Authorization": "Bearer owner"}
            )
            response.raise_for_status()
            body = response.json()
            for user in body.get("users", []):
                accounts[f"auth/{user['localId']}"] = user
            token = body.get("nextPageToken")
            if not token or not body.get("users"):
                return accounts


def sides_are(leg: dict[str, Any], status: str) -> bool:
    """Whether both sides of a leg last reported ``status``."""
    return all(leg[side]["status"] == status for side in ("caller", "callee"))


async def leg_when(
    client: firestore.AsyncClient,
    leg_id: str,
    ready: Callable[[dict[str, Any]], bool],
    *,
    what: str,
    describe: Callable[[], str] | None = None,
    timeout: float = 15.0,
) -> dict[str, Any]:
    """Poll the leg ``cdrs/{leg_id}`` until ``ready(leg)`` holds, and return it."""
    document = client.collection("cdrs").document(leg_id)

    async def check() -> dict[str, Any] | None:
        leg = (await document.get()).to_dict()
        return leg if leg is not None and ready(leg) else None

    found: dict[str, Any] | None = await wait_for(
        check, timeout=timeout, what=f"cdrs/{leg_id} {what}", describe=describe
    )
    assert found is not None  # wait_for returns a truthy value or fails
    return found


def signals_blocked_until(until: datetime) -> dict[str, Any]:
    """The participant-document update the signal trigger makes on a sender it caught over the
    signal rate (functions/avmeets/signals.py): the rules refuse its signals until ``until``."""
    return {"signalLimit": {"reason": "rate", "dropped": 1, "blockedUntil": until}}
