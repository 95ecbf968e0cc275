"""``rename``: a participant present in a meeting changes the name everyone sees
(docs/protocol.md). ``hosting.check_rename`` decides; the write is conditional on what was read."""

from __future__ import annotations

import logging

from .. import display_names, hosting, quota
from ..meetings import Caller
from ..payloads import Rename
from ..protocol import RenameResult
from ..store import meetings as store
from . import quotas
from .common import JOIN_ATTEMPTS, JOIN_BACKOFF, optimistic

log = logging.getLogger("avmeets")
_BUSY = "The meeting is busy; try again."


def rename(caller: Caller, body: Rename) -> RenameResult:
    meeting_id = body.meeting_id
    quotas.check_probes(caller.uid)
    meeting = quotas.found_or_probe(caller.uid, store.meeting(meeting_id).doc)
    # The same rules as a name typed at join, the caller's own contact details included.
    name = display_names.check_chosen(body.display_name, email=caller.email, phone=caller.phone)
    hosting.check_rename(meeting, store.participant(meeting_id, caller.uid).doc, name)
    quotas.charge(quotas.charges(caller.uid, quota.RENAMES_PER_HOUR))

    def attempt() -> bool:
        current = store.participant(meeting_id, caller.uid)
        if not hosting.check_rename(meeting, current.doc, name):
            return False
        store.set_display_name(meeting_id, caller.uid, current.version, name)
        return True

    changed = optimistic(
        attempt,
        attempts=JOIN_ATTEMPTS,
        backoff=JOIN_BACKOFF,
        busy=_BUSY,
    )
    log.info(
        "renamed in %s: %s (%s)",
        meeting_id,
        caller.uid,
        "changed" if changed else "no change",
        extra={"meetingId": meeting_id, "uid": caller.uid},
    )
    return {"displayName": name, "changed": changed}
