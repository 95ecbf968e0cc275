"""``host_action``: what the host and co-hosts do to run a meeting (docs/protocol.md).

Answer a knock (or every waiting knock at once), remove someone, make or unmake a co-host,
lock or unlock the meeting, switch its lobby, turn something off or on again for the
participants or let one of them do it all the same, open, run and close breakout rooms, end
it for everyone; and what anyone asks for themselves: a host's help in their breakout room
(which a host may answer "later").
``hosting`` decides who may and what changes; this module reads and writes, each write
conditional on what it read.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from .. import clock, hosting, meetings
from ..errors import NotFound, Unavailable
from ..meetings import Caller
from ..payloads import HostAction
from ..protocol import HostActionName, HostActionResult, HostPermission
from ..store import lobby as lobby_store
from ..store import meetings as store
from . import quotas
from .common import JOIN_ATTEMPTS, JOIN_BACKOFF, optimistic
from .leaves import close_participant
from .lobby import withdraw

log = logging.getLogger("avmeets")
#: Meetings whose rooms' timer ran out, closed per sweep (the next run takes the rest).
ROOMS_DUE_BATCH = 200
_BUSY = "The meeting is busy; try again."


def act(caller: Caller, body: HostAction) -> HostActionResult:
    meeting_id, action, target = body.meeting_id, body.action, body.uid
    quotas.check_probes(caller.uid)
    meeting = quotas.found_or_probe(caller.uid, store.meeting(meeting_id).doc)
    actor = store.participant(meeting_id, caller.uid).doc
    hosting.check_action(meeting, actor, action, target, body.room)
    if action in ("admit", "deny"):
        changed = _answer(meeting_id, _person(target), action, caller.uid)
    elif action == "admit-all":
        changed = _admit_waiting(meeting_id, caller.uid)
    elif action == "remove":
        changed = remove(meeting_id, _person(target), caller.uid)
    elif action in ("make-cohost", "revoke-cohost"):
        changed = _set_role(meeting_id, _person(target), action)
    elif action in ("permit", "unpermit"):
        assert body.what is not None  # payloads.parse_host_action requires it
        changed = _permit(meeting_id, _person(target), action, body.what)
    elif action == "end":
        changed = end(meeting_id, caller.uid)
    elif action == "rooms-open":
        now = clock.now()
        fields = hosting.rooms_fields(body.rooms, now, choose=body.choose, minutes=body.minutes)
        changed = _open_rooms(meeting_id, lambda _: fields, body.assign or {})
    elif action == "rooms-close" and body.minutes:  # a countdown: they close by themselves
        minutes = body.minutes
        changed = _switch(meeting_id, lambda m: hosting.countdown(m, clock.now(), minutes))
    elif action == "rooms-close":  # opening none: everyone back in the main room
        changed = _open_rooms(meeting_id, lambda _: hosting.rooms_fields((), clock.now()), {})
    elif action == "move":
        assert body.room is not None  # payloads.parse_host_action requires it
        changed = _move(meeting_id, _person(target), body.room, caller.uid)
    elif action in ("ask-help", "cancel-help"):
        changed = _help(meeting_id, caller.uid, ask=action == "ask-help")
    elif action == "help-later":
        changed = _help_later(meeting_id, _person(target))
    else:
        what = body.what
        changed = _switch(meeting_id, lambda m: hosting.meeting_change(m, action, what))
        if action == "lobby-off":  # everyone waiting comes in, as any newcomer now would
            _admit_waiting(meeting_id, caller.uid)
    log.info(
        "host action %s in %s by %s%s%s: %s",
        action,
        meeting_id,
        caller.uid,
        f" on {target}" if target else "",
        f" ({body.what})" if body.what else "",
        "done" if changed else "no change",
        extra={"meetingId": meeting_id, "uid": caller.uid, "target": target, "action": action},
    )
    return {"action": action, "changed": changed}


def _person(uid: str | None) -> str:
    assert uid is not None  # payloads.parse_host_action requires it for these actions
    return uid


def _optimistic(attempt: Callable[[], bool]) -> bool:
    return optimistic(attempt, attempts=JOIN_ATTEMPTS, backoff=JOIN_BACKOFF, busy=_BUSY)


def _answer(meeting_id: str, uid: str, action: HostActionName, host: str) -> bool:
    def attempt() -> bool:
        current = lobby_store.knock(meeting_id, uid)
        answered = hosting.decide(current.doc, action, host, clock.now())
        if answered is None:
            return False
        lobby_store.put_knock(meeting_id, answered, current.version)
        return True

    return _optimistic(attempt)


def _admit_waiting(meeting_id: str, host: str) -> bool:
    """Admit every knock waiting now; True if any was. Each is its own conditional write, as a
    single ``admit`` is: a knock withdrawn or answered by another host meanwhile is left as is."""
    admitted = False
    for knock, _ in lobby_store.waiting(meeting_id):
        with contextlib.suppress(NotFound):  # withdrawn meanwhile
            admitted = _answer(meeting_id, str(knock["uid"]), "admit", host) or admitted
    return admitted


def remove(meeting_id: str, uid: str, host: str) -> bool:
    """Remove ``uid``: present, it is closed out at once (its legs end ``removed``, the rules
    refuse its signals); gone already, it is marked removed. Either way it comes back only
    through a knock a host admits."""
    if close_participant(meeting_id, uid, None, "removed", closed_by=host):
        return True

    def attempt() -> bool:
        current = store.participant(meeting_id, uid)
        state = current.doc.get("state") if current.doc is not None else None
        if state is None:
            raise NotFound("This person is not in the meeting.")
        if state == meetings.REMOVED:
            return False
        if state == meetings.JOINED:  # re-joined in between: close that session
            return close_participant(meeting_id, uid, None, "removed", closed_by=host)
        store.commit_leave(
            meeting_id, uid, current.version, record_id=None, now=clock.now(), cause="removed"
        )
        return True

    return _optimistic(attempt)


def _set_role(meeting_id: str, uid: str, action: HostActionName) -> bool:
    def attempt() -> bool:
        current = store.participant(meeting_id, uid)
        role = hosting.role_change(current.doc, action)
        if role is None:
            return False
        store.set_role(meeting_id, uid, current.version, role)
        return True

    return _optimistic(attempt)


def _permit(meeting_id: str, uid: str, action: HostActionName, what: HostPermission) -> bool:
    def attempt() -> bool:
        current = store.participant(meeting_id, uid)
        permitted = hosting.permit_change(current.doc, action, what)
        if permitted is None:
            return False
        store.set_permitted(meeting_id, uid, current.version, permitted)
        return True

    return _optimistic(attempt)


def _open_rooms(
    meeting_id: str,
    fields_for: Callable[[hosting.Doc], dict[str, Any] | None],
    assign: Mapping[str, int],
) -> bool:
    """Open breakout rooms (or open them again, named and filled anew; none: close them): the
    meeting's fields (``hosting.rooms_fields``, from the meeting as read; None: leave it be)
    and everyone present placed as ``assign`` says, the rest in the main room, in one write.
    Each page whose room changed joins again, in its room (docs/protocol.md section 5)."""

    def attempt() -> bool:
        current = store.meeting(meeting_id)
        if current.doc is None:
            raise NotFound("No meeting has this id.")
        fields = fields_for(current.doc)
        if fields is None:
            return False
        people = {str(p.doc["uid"]): p for p in store.participants_versioned(meeting_id) if p.doc}
        changes = hosting.placement([p.doc for p in people.values() if p.doc], assign)
        if hosting.same_rooms(current.doc, fields) and not changes:
            return False
        moves = [(uid, people[uid].version, room) for uid, room in changes.items()]
        store.place_in_rooms(meeting_id, current.version, fields, moves)
        return True

    return _optimistic(attempt)


def close_due_rooms(now: datetime) -> int:
    """The sweep's part: close the breakout rooms whose timer ran out (a host's page closes
    them at the time; this, a minute late at most, when no host is there). How many closed."""

    def due(meeting: hosting.Doc) -> dict[str, Any] | None:  # still due once read again
        return hosting.rooms_fields((), now) if hosting.rooms_due(meeting, now) else None

    closed = 0
    for meeting_id in store.meetings_with_rooms_due(now, ROOMS_DUE_BATCH):
        # Gone meanwhile, or contended past the retries: the next sweep tries again.
        with contextlib.suppress(NotFound, Unavailable):
            closed += _open_rooms(meeting_id, due, {})
    return closed


def _move(meeting_id: str, uid: str, room: int, mover: str) -> bool:
    """Move one person present to a room (0: the main room): a host anyone (themselves too, to
    visit a room), a participant themselves when the rooms let them choose."""

    def attempt() -> bool:
        current = store.meeting(meeting_id)
        if current.doc is None:
            raise NotFound("No meeting has this id.")
        target = store.participant(meeting_id, uid)
        by_host = uid != mover or hosting.is_host_role(target.doc)
        if not hosting.check_move(current.doc, target.doc, room, by_host=by_host):
            return False
        answered: list[tuple[str, Any]] = []
        if uid == mover and by_host and room:  # a host's visit answers who asked for help there
            people = {
                str(p.doc["uid"]): p for p in store.participants_versioned(meeting_id) if p.doc
            }
            asking = hosting.askers([p.doc for p in people.values() if p.doc], room)
            answered = [(who, people[who].version) for who in asking]
        # The meeting unchanged too: rooms closed meanwhile must not leave someone in one.
        store.place_in_rooms(
            meeting_id,
            current.version,
            {"rooms": list(hosting.rooms(current.doc))},
            [(uid, target.version, room or None)],
            answered,
        )
        return True

    return _optimistic(attempt)


def _help(meeting_id: str, uid: str, *, ask: bool) -> bool:
    """The caller asks the hosts to come to its breakout room (``ask``), or no longer asks."""

    def attempt() -> bool:
        meeting = store.meeting(meeting_id).doc
        if meeting is None:
            raise NotFound("No meeting has this id.")
        mine = store.participant(meeting_id, uid)
        if not hosting.check_help(meeting, mine.doc, ask=ask):
            return False
        # Conditional on the participant: a move or the rooms' closing in between rewrote it.
        store.set_help(meeting_id, uid, mine.version, clock.now() if ask else None)
        return True

    return _optimistic(attempt)


def _help_later(meeting_id: str, uid: str) -> bool:
    """A host answers ``uid``'s call "later": it stands; the asker is told the hosts are busy."""

    def attempt() -> bool:
        target = store.participant(meeting_id, uid)
        if not hosting.check_help_later(target.doc):
            return False
        store.set_help_later(meeting_id, uid, target.version, clock.now())
        return True

    return _optimistic(attempt)


def _switch(meeting_id: str, change_of: Callable[[hosting.Doc], dict[str, Any] | None]) -> bool:
    """Lock, unlock, lobby on or off, a permission restricted or allowed, the rooms' countdown:
    meeting fields, ``change_of`` the meeting as read (None: already so), written conditionally
    like every join."""

    def attempt() -> bool:
        current = store.meeting(meeting_id)
        if current.doc is None:
            raise NotFound("No meeting has this id.")
        change = change_of(current.doc)
        if change is None:
            return False
        lobby_store.update_meeting(meeting_id, current.version, change)
        return True

    return _optimistic(attempt)


def end(meeting_id: str, host: str) -> bool:
    """End the meeting for everyone: no more joins, every participant closed out and every leg
    ended with ``meeting-ended``, every waiting knock told. Should this die midway, the sweep
    closes out whoever is left with the same cause (``services.presence``)."""

    def close_meeting() -> bool:
        current = store.meeting(meeting_id)
        meetings.check_joinable(current.doc)  # ended meanwhile: said as meeting-ended
        lobby_store.update_meeting(meeting_id, current.version, {"state": "ended"})
        return True

    _optimistic(close_meeting)
    # Read after the write: a join that committed before it is seen here; one after it failed.
    for participant in store.participants(meeting_id, joined_only=True):
        close_participant(
            meeting_id, str(participant["uid"]), None, "meeting-ended", closed_by=host
        )
    for knock, _ in lobby_store.waiting(meeting_id):
        withdraw(meeting_id, str(knock["uid"]), hosting.ENDED)
    return True
