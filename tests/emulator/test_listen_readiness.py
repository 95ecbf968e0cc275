"""The assumption behind docs/protocol.md section 4 step 2, held against the Firestore emulator.

The emulator can lose, reorder or garble a change written while a listen is still being set up
(5 of 200 document listens missed an update written 1 ms after `on_snapshot`). Clients therefore
send their first signal only after their signals listener has had its first snapshot; this test
shows that from then on every change arrives, so the rule is enough.
"""

from __future__ import annotations

import threading
from typing import Any

from google.cloud import firestore

from .support.config import PROJECT_ID

ROUNDS = 200
WAIT = 10.0


def test_a_change_after_the_first_snapshot_always_arrives() -> None:
    writer = firestore.Client(project=PROJECT_ID)
    listener = firestore.Client(project=PROJECT_ID)
    missed: list[str] = []
    try:
        for _ in range(ROUNDS):
            ref = writer.collection("rooms").document()
            ref.set({"offer": 1})
            live, answered = threading.Event(), threading.Event()

            def on_snapshot(
                docs: Any,
                changes: Any,
                read_time: Any,
                live: threading.Event = live,
                answered: threading.Event = answered,
            ) -> None:
                live.set()
                if any((change.document.to_dict() or {}).get("answer") for change in changes):
                    answered.set()

            watch = listener.collection("rooms").document(ref.id).on_snapshot(on_snapshot)
            try:
                assert live.wait(WAIT), "no first snapshot"
                ref.update({"answer": 2})
                if not answered.wait(WAIT):
                    missed.append(ref.id)
            finally:
                watch.unsubscribe()
    finally:
        writer.close()
        listener.close()
    assert not missed, f"{len(missed)} of {ROUNDS} updates never reached a live listener"
