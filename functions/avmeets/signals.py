"""Signal documents: the server-side check that mirrors firestore.rules.

The rules are the gate; this check runs in the trigger as a second line, so a document that
slipped through a race (a participant left meanwhile) is removed rather than trusted by the CDR.
"""

from __future__ import annotations

from typing import Any

from .meetings import JOINED

TYPES = ("offer", "answer", "candidates")
MAX_SDP = 32_768
MAX_CANDIDATES = 8
MAX_CANDIDATE = 1024
_BASE_KEYS = {"from", "session", "to", "toSession", "type", "createdAt"}


def problem(
    doc: dict[str, Any], sender: dict[str, Any] | None, recipient: dict[str, Any] | None
) -> str | None:
    """Why ``doc`` is not a valid signal between these participants, or None when it is."""
    kind = doc.get("type")
    if kind not in TYPES:
        return "unknown type"
    payload_key = "candidates" if kind == "candidates" else "sdp"
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
