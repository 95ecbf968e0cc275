"""A Firestore trigger delivered twice has one effect: on_signal is idempotent on the event id.

Eventarc delivers at least once. The emulator delivers each event once, so the test delivers the
real event again itself: the signal document exactly as Firestore holds it, with the event id the
first delivery recorded on the leg, posted as a CloudEvent to the emulator's trigger route (the
route the emulator's own Firestore delivery calls). A third delivery with a new id is the
control: it must reach the function and be recorded, or the test proves nothing.
"""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from google.cloud import firestore
from google.events.cloud.firestore import DocumentEventData

from .support.config import FIRESTORE_HOST, PROJECT_ID, REGION, functions_host
from .support.deadline import wait_for
from .support.factories import Actors
from .support.transport import post_retrying_hang_ups
from .support.userstore import signal_data

SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
CREATED = "google.cloud.firestore.document.v1.created"


async def _document_json(path: str) -> dict[str, Any]:
    """The document as Firestore's REST API (and so a trigger event) carries it."""
    url = f"http://{FIRESTORE_HOST}/v1/projects/{PROJECT_ID}/databases/(default)/documents/{path}"
    async with httpx.AsyncClient(timeout=30.0) as client:
        response = await client.get(url, headers={"Authorization": "Bearer owner"})
    response.raise_for_status()
    document: dict[str, Any] = response.json()
    return document


async def _deliver(event_id: str, path: str, document: dict[str, Any]) -> None:
    """POST one binary-mode CloudEvent for a created document to on_signal."""
    name = f"projects/{PROJECT_ID}/databases/(default)/documents/{path}"
    headers = {
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-type": CREATED,
        "ce-source": f"//firestore.googleapis.com/projects/{PROJECT_ID}/databases/(default)",
        "ce-subject": f"documents/{path}",
        "ce-time": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "ce-location": REGION,
        "ce-project": PROJECT_ID,
        "ce-database": "(default)",
        "ce-namespace": "(default)",
        "ce-document": path,
        # As Firestore sends it: DocumentEventData in protobuf (the SDK's JSON path is broken),
        # base64 on the wire to the emulator, which decodes it for the worker.
        "content-type": "application/protobuf",
    }
    url = f"http://{functions_host()}/functions/projects/{PROJECT_ID}/triggers/{REGION}-on_signal-0"
    event = DocumentEventData.from_json(json.dumps({"value": {**document, "name": name}}))
    body = base64.b64encode(DocumentEventData.serialize(event))
    async with httpx.AsyncClient(timeout=60.0) as client:
        # A hung-up delivery is delivered again, as Eventarc would.
        response = await post_retrying_hang_ups(
            lambda: client.post(url, headers=headers, content=body)
        )
    assert response.status_code < 300, response.text


async def test_offer_event_delivered_twice_has_one_effect(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    alice, bob = await actors("alice"), await actors("bob")
    meeting_id = await alice.create_meeting(title="Twice")
    alice_session = (await alice.join(meeting_id))["session"]
    bob_session = (await bob.join(meeting_id))["session"]
    signal = alice.store.collection("meetings", meeting_id, "signals").document()
    await signal.create(
        signal_data(
            from_uid=alice.uid,
            session=alice_session,
            to_uid=bob.uid,
            to_session=bob_session,
            type="offer",
            sdp=SDP,
        )
    )
    leg_ref = admin.collection("cdrs").document(f"{meeting_id}_{alice_session}_{bob_session}")

    async def first_delivery() -> firestore.DocumentSnapshot | None:
        snap = await leg_ref.get()
        return snap if snap.exists and snap.get("signalEvents") else None

    first = await wait_for(first_delivery, timeout=60, what="the emulator's own delivery")
    [event_id] = first.get("signalEvents")
    assert first.get("caller.status") == "connecting"
    document = await _document_json(f"meetings/{meeting_id}/signals/{signal.id}")

    for _ in range(2):
        await _deliver(event_id, f"meetings/{meeting_id}/signals/{signal.id}", document)
        again = await leg_ref.get()
        assert again.update_time == first.update_time, "a redelivered event wrote the leg"
        assert again.to_dict() == first.to_dict()

    # Control: the same route with an event the leg has not seen does reach the function.
    other = f"control-{uuid.uuid4().hex}"
    await _deliver(other, f"meetings/{meeting_id}/signals/{signal.id}", document)
    after = (await leg_ref.get()).to_dict() or {}
    assert after["signalEvents"] == [event_id, other]
    # A second offer of the same leg is not a new call: nothing else about the leg changed.
    before = first.to_dict() or {}
    for key in ("state", "startedAt", "seq", "caller", "callee"):
        assert after[key] == before[key], key
    legs = [d.id async for d in admin.collection("cdrs").stream()]
    assert legs == [leg_ref.id], "a redelivery made a twin leg"
