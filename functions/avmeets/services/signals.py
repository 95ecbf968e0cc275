"""The signal trigger: check each new signal document, hold each sender to the signal limits,
and record the CDR's legs from offers (and ICE credentials from answers).

The rules are the gate (shape, sender, sessions, and a sender the trigger blocked); this is the
second line, per document, so a commit of many signals is held to the same limits as many
commits. A signal beyond a limit is deleted, nothing of it is recorded, and the sender is told
on its participant document (``signalLimit``), which also makes the rules refuse its signals
for a while:

* ``pending``: more than ``Limits.PENDING_SIGNALS_PER_PEER`` signals to one addressee not yet
  applied (the first ones, in the order the addressee applies them, are kept);
* ``rate``: more than ``Quotas.SIGNALS_PER_MINUTE`` signals written in a minute;
* ``legs``: an offer for a new connection beyond the account's or the meeting's leg quota.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from .. import clock, quota, signals
from ..protocol import SignalLimitReason
from ..store import meetings as store
from ..store.documents import ParticipantDoc
from . import quotas
from .connections import LegQuotaExceeded, record_answer, record_offer

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
    sender = (str(doc["from"]), str(doc["session"]))
    addressee = (str(doc["to"]), str(doc["toSession"]))
    over = _over_limit(meeting_id, signal_id, sender, addressee[0])
    if over is not None:
        _drop(meeting_id, signal_id, sender, over)
        return
    ufrag = signals.ice_ufrag_digest(doc.get("sdp"))
    if doc["type"] == "offer":
        try:
            sent_at = created if isinstance(created, datetime) else None
            record_offer(meeting_id, sender, addressee, event_id, ufrag, sent_at)
        except LegQuotaExceeded as exceeded:
            log.warning("offer %s in %s over the %s quota", signal_id, meeting_id, exceeded)
            _drop(meeting_id, signal_id, sender, "legs")
    elif doc["type"] == "answer":
        record_answer(
            meeting_id, sender, addressee, ufrag, created if isinstance(created, datetime) else None
        )


def _over_limit(
    meeting_id: str, signal_id: str, sender: tuple[str, str], to_uid: str
) -> SignalLimitReason | None:
    """Which limit this signal is beyond, if any. Every signal counts towards the sender's
    rate (it was written); the pending limit keeps the first signals, as they are applied."""
    rate = quotas.charges(f"{meeting_id}:{sender[0]}", quota.SIGNALS_PER_MINUTE)
    if quotas.tally(rate) is not None:
        return "rate"
    first = store.first_pending(meeting_id, sender[0], to_uid, signals.MAX_PENDING)
    if signal_id not in first and len(first) >= signals.MAX_PENDING:
        return "pending"
    return None


def _drop(
    meeting_id: str, signal_id: str, sender: tuple[str, str], reason: SignalLimitReason
) -> None:
    store.delete_signal(meeting_id, signal_id)
    store.flag_sender(meeting_id, *sender, signals.limited(reason, clock.now()))
    log.info(
        "signal %s in %s deleted: over the %s limit",
        signal_id,
        meeting_id,
        reason,
        extra={"meetingId": meeting_id, "uid": sender[0], "limit": reason},
    )
