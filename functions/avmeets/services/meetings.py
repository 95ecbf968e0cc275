"""``create_meeting``: a new meeting with an unguessable id and, optionally, a password hash;
``meeting_info``: what a client may know of one before joining it (a read, nothing written)."""

from __future__ import annotations

import logging

from .. import clock, hosting, meeting_ids, meetings, org_storage, passwords
from ..config import settings
from ..errors import Unavailable
from ..meetings import Caller
from ..payloads import CreateMeeting, MeetingLookup
from ..protocol import CreateMeetingResult, ErrorReason, HostPermission, MeetingInfoResult
from ..store import lobby as lobby_store
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
        lobby=body.lobby,
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


def info(caller: Caller, body: MeetingLookup) -> MeetingInfoResult:
    """A read, nothing written, except that naming a meeting that does not exist counts against
    the caller's probe quota exactly as ``join_meeting`` does (an account over it is refused
    whether the meeting exists or not), so ``meeting_info`` is no cheaper way to find ids."""
    quotas.check_probes(caller.uid)
    meeting = store.meeting(body.meeting_id).doc
    if meeting is None:
        quotas.count_probe(caller.uid)
    joined = store.participants(body.meeting_id, joined_only=True) if meeting else []
    entry = None
    turned_off: list[HostPermission] = []
    if meeting is not None:
        mine = store.participant(body.meeting_id, caller.uid).doc
        entry = hosting.entry(
            meeting, mine, lobby_store.knock(body.meeting_id, caller.uid).doc, caller.uid
        )
        turned_off = hosting.held_on_join(meeting, mine, caller.uid)
    # The organisation comes from the policy's admission (a verified address), never from the
    # bare e-mail domain.
    relay = meetings.relay_only(caller.org)
    stored_of_you = org_storage.stored_by(caller.org_id, caller.org)
    return meetings.meeting_info(
        meeting, joined, relay, caller.uid, entry, stored_of_you, turned_off
    )
