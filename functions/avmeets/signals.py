"""Signal documents: the server-side check that mirrors firestore.rules.

The rules are the gate; this check runs in the trigger as a second line, so a document that
slipped through a race (a participant left meanwhile) is removed rather than trusted by the CDR.
Keys, types and limits come from ``avmeets.protocol``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final

from .meetings import JOINED
from .protocol import (
    SIGNAL_PAYLOAD_KEY,
    SIGNAL_TYPES,
    Limits,
    Quotas,
    SignalDoc,
    SignalLimit,
    SignalLimitReason,
)

TYPES: Final = SIGNAL_TYPES
MAX_SDP: Final = Limits.SDP_MAX_CHARS
MAX_CANDIDATES: Final = Limits.CANDIDATES_PER_SIGNAL
MAX_CANDIDATE: Final = Limits.CANDIDATE_MAX_CHARS
#: The keys every signal carries: the required keys of ``protocol.SignalDoc``.
_BASE_KEYS: Final = frozenset(SignalDoc.__required_keys__)


def problem(
    doc: Mapping[str, Any],
    sender: Mapping[str, Any] | None,
    recipient: Mapping[str, Any] | None,
) -> str | None:
    """Why ``doc`` is not a valid signal between these participants, or None when it is."""
    kind = doc.get("type")
    if kind not in TYPES:
        return "unknown type"
    payload_key = SIGNAL_PAYLOAD_KEY[kind]
    if set(doc) != _BASE_KEYS | {payload_key}:
        return "wrong keys"
    if kind == "candidates":
        cands = doc["candidates"]
        if not isinstance(cands, list) or not 1 <= len(cands) <= MAX_CANDIDATES:
            return "bad candidates"
        for c in cands:
            if not isinstance(c, dict) or not isinstance(c.get("candidate"), str):
                return "bad candidate"
            if len(c["candidate"]) > MAX_CANDIDATE:
                return "candidate too long"
    elif not isinstance(doc["sdp"], str) or not 0 < len(doc["sdp"]) <= MAX_SDP:
        return "bad sdp"
    if doc["from"] == doc["to"]:
        return "addressed to itself"
    for who, part, session in (
        ("sender", sender, doc["session"]),
        ("recipient", recipient, doc["toSession"]),
    ):
        if part is None or part.get("state") != JOINED:
            return f"{who} is not a participant"
        if part.get("session") != session:
            return f"{who} session is stale"
    return None


_UFRAG = re.compile(r"^a=ice-ufrag:(\S+)\s*$", re.MULTILINE)
#: Signals one sender may have pending to one addressee.
MAX_PENDING: Final = Limits.PENDING_SIGNALS_PER_PEER
BLOCK: Final = timedelta(seconds=Quotas.SIGNAL_BLOCK_SECONDS)


def ice_ufrag_digest(sdp: object) -> str | None:
    """A short digest of the ICE username fragments of a description, None when it has none.

    A new ufrag marks an ICE restart (RFC 8445 section 9); the digest lets the CDR tell one
    without keeping anything of the SDP itself.
    """
    if not isinstance(sdp, str):
        return None
    ufrags = sorted(set(_UFRAG.findall(sdp)))
    if not ufrags:
        return None
    return hashlib.sha256("\n".join(ufrags).encode()).hexdigest()[:16]


def limited(reason: SignalLimitReason, now: datetime) -> SignalLimit:
    """What a sender's ``signalLimit`` says after one more of its signals was deleted (the
    store adds the deletion to ``dropped``)."""
    return {"reason": reason, "dropped": 1, "blockedUntil": now + BLOCK}
