"""Call Data Records: one document per connection leg between two participants.

A leg is one peer connection between two sessions: the offerer (``caller``) and the answerer
(``callee``), after telephony CDRs (start / answer / end). This module builds the documents;
``handlers`` writes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

CONNECTING = "connecting"


def leg_id(meeting_id: str, caller_session: str, callee_session: str) -> str:
    """Deterministic, so a redelivered trigger event finds the leg instead of adding one."""
    return f"{meeting_id}_{caller_session}_{callee_session}"


def new_leg(
    meeting_id: str,
    caller: dict[str, Any],
    callee: dict[str, Any],
    now: datetime,
    expires_at: datetime,
) -> dict[str, Any]:
    """A leg as the offer creates it: the caller is connecting, the callee not yet answering."""
    return {
        "meetingId": meeting_id,
        "legId": leg_id(meeting_id, caller["session"], callee["session"]),
        "uids": sorted([caller["uid"], callee["uid"]]),
        "caller": {"uid": caller["uid"], "session": caller["session"]},
        "callee": {"uid": callee["uid"], "session": callee["session"]},
        "state": CONNECTING,
        "startedAt": now,
        "sides": {
            "caller": {"status": CONNECTING, "timeline": [{"status": CONNECTING, "at": now}]},
            "callee": {"status": "new", "timeline": []},
        },
        "expiresAt": expires_at,
    }
