"""The sweep closes out every silent participant, not one page of them a minute (issue 20).

At scale more participants vanish in a minute than one page of the sweep's query holds: a sweep
that closed one page a run fell behind for good (docs/capacity.md, "The sweep"). Here the page
is made small instead of the crowd large: five participants of two meetings vanish, their last
heartbeat made an hour old, and one run of the sweep with pages of two must close all of them
out, each with its join record closed, while a participant who keeps beating stays.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from avmeets.services import presence

from .support.factories import Actors

SILENT = 5
PAGE = 2


async def test_one_sweep_run_pages_through_every_silent_participant(
    actors: Actors, admin: firestore.AsyncClient
) -> None:
    host = await actors("host")
    meetings = [await host.create_meeting(title=f"sweep pages {n}") for n in range(2)]
    await host.join(meetings[0])  # keeps beating: the control
    silent = [await actors(f"silent{n}") for n in range(SILENT)]
    for n, actor in enumerate(silent):
        await actor.join(meetings[n % 2])
        actor.go_silent()
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    for n, actor in enumerate(silent):
        ref = admin.collection("meetings", meetings[n % 2], "presence").document(actor.uid)
        await ref.update({"lastSeenAt": an_hour_ago})

    closed = await asyncio.to_thread(presence.sweep, datetime.now(UTC), batch=PAGE)

    # The stack's own scheduled sweep may have closed one or two meanwhile; nobody twice.
    assert 0 < closed <= SILENT
    for n, actor in enumerate(silent):
        meeting_id = meetings[n % 2]
        doc = (
            await admin.collection("meetings", meeting_id, "participants").document(actor.uid).get()
        ).to_dict() or {}
        assert doc.get("state") == "left", f"{actor.uid} not closed out: {doc}"
        assert doc.get("endCause") == "heartbeat-timeout", doc
        records = [
            snap.to_dict() or {}
            async for snap in admin.collection("joins")
            .where(filter=firestore.FieldFilter("uid", "==", actor.uid))
            .stream()
        ]
        assert records and all(r.get("endCause") == "heartbeat-timeout" for r in records), records
    host_doc = (
        await admin.collection("meetings", meetings[0], "participants").document(host.uid).get()
    ).to_dict() or {}
    assert host_doc.get("state") == "joined"
