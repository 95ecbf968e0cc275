"""The signal trigger: check each new signal document, hold each sender to the signal limits,
and record the CDR's legs from offers (and ICE credentials from answers).

The rules are the gate (shape, sender, sessions, and a sender the trigger blocked); this is the
second line, per document, so a commit of many signals is held to the same limits as many
commits. A signal beyond a limit is deleted, nothing of it is recorded, and the sender is told
on its participant document (``signalLimit``), which also makes the rules refuse its signals
for a while:

* ``pending``: more than ``Limits.PENDING_SIGNALS_PER_PEER`` signals to one addressee not yet
  applied (the first ones, in the order the addressee applies them, are kept);
* ``rate``: more than ``Quotas.SIGNALS_PER_MINUTE`` signals written in a minute, not counting
  the callee's first answer on a leg: the offer that made the leg was counted, and there is
  one such answer per leg (``cdr.is_first_answer``), so a connection costs one counter write,
  not two;
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

    why = signals.problem(doc, *_ends(meeting_id, doc.get("from"), doc.get("to")))
    if why is not None:
        log.warning("invalid signal %s in %s removed: %s", signal_id, meeting_id, why)
        store.delete_signal(meeting_id, signal_id)
        return
    sender = (str(doc["from"]), str(doc["session"]))
    addressee = (str(doc["to"]), str(doc["toSession"]))
    ufrag = signals.ice_ufrag_digest(doc.get("sdp"))
    sent_at = created if isinstance(created, datetime) else None
    pending = _beyond_pending(meeting_id, signal_id, sender[0], addressee[0])
    paid_for = (  # the callee's first answer on its leg: the offer that made the leg paid
        doc["type"] == "answer"
        and pending is None
        and record_answer(meeting_id, sender, addressee, ufrag, sent_at, first_only=True)
    )
    if paid_for:
        return
    over = _over_rate(meeting_id, sender[0]) or pending
    if over is not None:
        _drop(meeting_id, signal_id, sender, over)
        return
    if doc["type"] == "offer":
        try:
            record_offer(meeting_id, sender, addressee, event_id, ufrag, sent_at)
        except LegQuotaExceeded as exceeded:
            log.warning("offer %s in %s over the %s quota", signal_id, meeting_id, exceeded)
            _drop(meeting_id, signal_id, sender, "legs")
    elif doc["type"] == "answer":
        record_answer(meeting_id, sender, addressee, ufrag, sent_at)


def _ends(
    meeting_id: str, from_uid: Any, to_uid: Any
) -> tuple[ParticipantDoc | None, ParticipantDoc | None]:
    """The sender's and the addressee's participant documents, read in one round trip; a field
    that cannot name a participant has none."""
    uids = [u if isinstance(u, str) and u and "/" not in u else None for u in (from_uid, to_uid)]
    found = store.participants_of(meeting_id, [u for u in uids if u is not None])
    sender, addressee = (found.get(u) if u is not None else None for u in uids)
    return sender, addressee


def _beyond_pending(
    meeting_id: str, signal_id: str, from_uid: str, to_uid: str
) -> SignalLimitReason | None:
    """Whether this signal is beyond the pending limit ("pending"): not among the first
    ``MAX_PENDING`` of its sender to its addressee still stored (the ones kept, in the order
    the addressee applies them)."""
    first = store.first_pending(meeting_id, from_uid, to_uid, signals.MAX_PENDING)
    if signal_id not in first and len(first) >= signals.MAX_PENDING:
        return "pending"
    return None


def _over_rate(meeting_id: str, uid: str) -> SignalLimitReason | None:
    """Count the signal towards its sender's rate (it was written): "rate" when past it."""
    rate = quotas.charges(f"{meeting_id}:{uid}", quota.SIGNALS_PER_MINUTE)
    return "rate" if quotas.tally(rate) is not None else None


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
