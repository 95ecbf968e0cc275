"""``create_meeting``: a new meeting with an unguessable id and, optionally, a password hash."""

from __future__ import annotations

import logging

from .. import clock, meeting_ids, meetings, passwords
from ..config import settings
from ..errors import Unavailable
from ..meetings import Caller
from ..payloads import CreateMeeting
from ..protocol import CreateMeetingResult, ErrorReason
from ..store import meetings as store
from ..store.documents import MeetingSecretDoc
from . import quotas
from .common import expiry, stun_servers

log = logging.getLogger("avmeets")
#: Fresh ids drawn before giving up (a collision is astronomically rare).
_ID_DRAWS = 5


def create(caller: Caller, body: CreateMeeting) -> CreateMeetingResult:
    quotas.charge_meeting(caller.uid)
    org_id, org = caller.org_id, caller.org
    now = clock.now()
    until = expiry(now, org)
    password_hash = passwords.hash_password(body.password) if body.password else None
    doc = meetings.meeting_doc(
        body.title,
        caller,
        password_hash is not None,
        settings().max_participants,
        org_id,
        now,
        until,
    )
    secret: MeetingSecretDoc | None = (
        {"passwordHash": password_hash, "expiresAt": until} if password_hash is not None else None
    )
    for _ in range(_ID_DRAWS):
        meeting_id = meeting_ids.new_meeting_id()
        if store.create_meeting(meeting_id, doc, secret):
            log.info(
                "meeting created: %s by %s",
                meeting_id,
                caller.uid,
                extra={"meetingId": meeting_id, "uid": caller.uid},
            )
            return {"meetingId": meeting_id, "iceServers": stun_servers()}
    raise Unavailable("No free meeting id was found; try again.", reason=ErrorReason.CONTENDED)
