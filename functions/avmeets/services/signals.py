"""The signal trigger: check each new signal document and record an offer's leg for the CDR."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from .. import clock, signals
from ..store import meetings as store
from ..store.documents import ParticipantDoc
from .connections import record_offer

log = logging.getLogger("avmeets")
# A signal document older than this (by its createdAt) when its trigger runs is not live.
SIGNAL_HORIZON = timedelta(minutes=10)


def on_signal(meeting_id: str, signal_id: str, doc: Mapping[str, Any], event_id: str) -> None:
    """``doc`` is what a client wrote: untrusted until ``signals.problem`` says it is valid."""
    created = doc.get("createdAt")
    if isinstance(created, datetime) and abs(clock.now() - created) > SIGNAL_HORIZON:
        # Clients can only write createdAt == request.time (firestore.rules), so this was
        # written by an operator or a restore: not a live signal, and the purge's business.
        log.info("signal %s in %s is not live; left to the purge", signal_id, meeting_id)
        return

    def participant(uid: Any) -> ParticipantDoc | None:
        if not isinstance(uid, str) or not uid or "/" in uid:
            return None
        return store.participant(meeting_id, uid).doc

    why = signals.problem(doc, participant(doc.get("from")), participant(doc.get("to")))
    if why is not None:
        log.warning("invalid signal %s in %s removed: %s", signal_id, meeting_id, why)
        store.delete_signal(meeting_id, signal_id)
        return
    if doc["type"] != "offer":
        return
    record_offer(meeting_id, (doc["from"], doc["session"]), (doc["to"], doc["toSession"]), event_id)
