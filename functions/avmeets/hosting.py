"""Running a meeting: who may come in (the lobby, the lock, removals) and what hosts may do.

Pure: functions take the meeting, participant and knock documents as plain data (and the time)
and return what to write, or raise the domain's errors. ``services.lobby`` and ``services.hosts``
read and write. The rules of docs/protocol.md ("Hosts, the lobby and names") live here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from .errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from .meetings import JOINED, OPEN, REMOVED, role_on_join, room_of
from .protocol import (
    CREATOR_ACTIONS,
    HOST_PERMISSIONS,
    HOST_ROLES,
    PERMISSION_ACTIONS,
    PERSON_ACTIONS,
    SELF_ACTIONS,
    ErrorReason,
    HostActionName,
    HostPermission,
    LobbyDoc,
    MeetingEntry,
)

WAITING: Final = "waiting"
ADMITTED: Final = "admitted"
DENIED: Final = "denied"
WITHDRAWN: Final = "withdrawn"
ENDED: Final = "ended"

Doc = Mapping[str, Any]


@dataclass(frozen=True)
class Gate:
    """What stands between a caller and the meeting: nothing (``in``), or the lobby (``knock``).

    ``admitted_by`` is the host who let the caller in from the lobby, when one did.
    """

    kind: Literal["in", "knock"]
    admitted_by: str | None = None
    was_removed: bool = False


def is_host_role(participant: Doc | None) -> bool:
    """A participant present in the meeting as its host or a co-host (the rules' ``isHost``)."""
    return (
        participant is not None
        and participant.get("state") == JOINED
        and participant.get("role") in HOST_ROLES
    )


def gate(meeting: Doc, mine: Doc | None, knock: Doc | None, uid: str) -> Gate:
    """May ``uid`` join now? Raises when the meeting is locked to it or a host turned it away.

    In order: a participant present (a reload) keeps its place; the creator and the co-hosts
    come in; a knock a host admitted comes in, even into a locked meeting; a knock waiting goes
    on waiting; a locked meeting refuses everyone else; a knock a host denied stays out; a
    removed person and, in a meeting with a lobby, anyone never admitted before must knock.
    """
    state = mine.get("state") if mine is not None else None
    if state == JOINED:
        return Gate("in")
    cohost = mine is not None and mine.get("role") == "cohost" and state != REMOVED
    if uid == meeting.get("createdBy") or cohost:
        return Gate("in")
    knocked = knock.get("state") if knock is not None else None
    if knock is not None and knocked == ADMITTED:
        return Gate("in", admitted_by=knock.get("decidedBy"))
    if knocked == WAITING:  # already waiting: a lock does not turn it away (a host still may)
        return Gate("knock", was_removed=state == REMOVED)
    if meeting.get("locked"):
        raise FailedPrecondition(
            "This meeting is locked: nobody new can join.", reason=ErrorReason.MEETING_LOCKED
        )
    if knocked == DENIED:
        raise PermissionDenied(
            "A host of this meeting did not let you in.", reason=ErrorReason.DENIED
        )
    if state == REMOVED:
        return Gate("knock", was_removed=True)
    if meeting.get("lobby") and mine is None:
        return Gate("knock")
    return Gate("in")


def entry(meeting: Doc, mine: Doc | None, knock: Doc | None, uid: str) -> MeetingEntry:
    """What ``join_meeting`` would do with ``uid`` now, said without raising (``meeting_info``)."""
    try:
        found = gate(meeting, mine, knock, uid)
    except FailedPrecondition:
        return "locked"
    except PermissionDenied:
        return "denied"
    return "join" if found.kind == "in" else "knock"


def knock_required(gate: Gate) -> PermissionDenied:
    """The error ``join_meeting`` answers a caller who must knock first."""
    if gate.was_removed:
        message = "A host removed you from this meeting. Ask to join again and wait for a host."
    else:
        message = "This meeting has a lobby: ask to join and wait for a host to let you in."
    return PermissionDenied(message, reason=ErrorReason.KNOCK_REQUIRED, removed=gate.was_removed)


def knock_doc(
    previous: Doc | None,
    *,
    uid: str,
    display_name: str,
    same_org: bool,
    was_removed: bool,
    now: datetime,
    expires_at: datetime,
) -> LobbyDoc:
    """The knock to write: a new one, or the waiting one seen again (its name may change; when it
    knocked and how long it is kept do not)."""
    waiting = previous is not None and previous.get("state") == WAITING
    return {
        "uid": uid,
        "displayName": display_name,
        "sameOrg": same_org,
        "wasRemoved": was_removed,
        "state": WAITING,
        "knockedAt": previous["knockedAt"] if waiting and previous is not None else now,
        "lastSeenAt": now,
        "decidedAt": None,
        "decidedBy": None,
        "expiresAt": previous["expiresAt"] if waiting and previous is not None else expires_at,
    }


def decide(knock: Doc | None, action: HostActionName, host: str, now: datetime) -> LobbyDoc | None:
    """A host's answer to a knock: the knock to write, or None when it already says so.

    Only a waiting knock is answered; answering again the same way changes nothing.
    """
    verdict = ADMITTED if action == "admit" else DENIED
    state = knock.get("state") if knock is not None else None
    if knock is None or state not in (WAITING, verdict):
        raise NotFound("This person is not waiting to join.")
    if state == verdict:
        return None
    answered: LobbyDoc = {**knock, "state": verdict, "decidedAt": now, "decidedBy": host}  # type: ignore[typeddict-item]
    return answered


def check_action(
    meeting: Doc | None,
    actor: Doc | None,
    action: HostActionName,
    target_uid: str | None,
    room: int | None = None,
) -> Doc:
    """Raise unless ``actor`` (its participant document) may take ``action`` in ``meeting``
    (``room``: a ``move``'s); returns the meeting."""
    if meeting is None:
        raise NotFound("No meeting has this id.")
    if meeting.get("state") != OPEN:
        raise FailedPrecondition("This meeting has ended.", reason=ErrorReason.MEETING_ENDED)
    if action == "move" and _moves_self(actor, target_uid) and _may_go(meeting, room):
        return meeting  # a participant going back or let choose (check_move again, with the write)
    if action in SELF_ACTIONS:
        return meeting  # anyone present, for themselves (check_help, with the write)
    if not is_host_role(actor):
        raise PermissionDenied(
            "Only the host and co-hosts of this meeting can do that.",
            reason=ErrorReason.NOT_A_HOST,
        )
    assert actor is not None
    if action in CREATOR_ACTIONS and actor.get("role") != "host":
        raise PermissionDenied(
            "Only the meeting's host can make or unmake co-hosts.", reason=ErrorReason.NOT_A_HOST
        )
    if action == "move":
        # A host visits a room by moving themselves; only the meeting's host moves the host.
        if target_uid == meeting.get("createdBy") and actor.get("uid") != target_uid:
            raise PermissionDenied("Only the meeting's host can move themselves between rooms.")
    elif action in PERSON_ACTIONS and action not in ("admit", "deny"):
        if target_uid == actor.get("uid"):
            raise InvalidArgument("You cannot do that to yourself.", field="uid")
        if target_uid == meeting.get("createdBy") and action in PERMISSION_ACTIONS:
            raise PermissionDenied("The meeting's host is never held to what is turned off.")
        if target_uid == meeting.get("createdBy") and action != "help-later":
            raise PermissionDenied("Nobody can remove the meeting's host or change their role.")
    return meeting


def role_change(target: Doc | None, action: HostActionName) -> str | None:
    """The role ``make-cohost`` / ``revoke-cohost`` gives the target, or None when it has it."""
    if target is None or target.get("state") != JOINED:
        raise NotFound("This person is not in the meeting.")
    role = "cohost" if action == "make-cohost" else "participant"
    return None if target.get("role") == role else role


def permit_change(
    target: Doc | None, action: HostActionName, what: HostPermission
) -> list[HostPermission] | None:
    """The ``permitted`` list ``permit`` / ``unpermit`` gives a participant present, or None when
    it already says so."""
    if target is None or target.get("state") != JOINED:
        raise NotFound("This person is not in the meeting.")
    return _toggled(_permissions(target.get("permitted")), what, on=action == "permit")


def meeting_change(
    meeting: Doc, action: HostActionName, what: HostPermission | None = None
) -> dict[str, Any] | None:
    """The meeting fields ``lock`` / ``unlock`` / ``lobby-on`` / ``lobby-off`` / ``restrict`` /
    ``allow`` set, or None when the meeting already is so."""
    if action in ("restrict", "allow"):
        assert what is not None  # payloads.parse_host_action requires it for these actions
        ordered = _toggled(restricted(meeting), what, on=action == "restrict")
        return None if ordered is None else {"restricted": ordered}
    field, value = {
        "lock": ("locked", True),
        "unlock": ("locked", False),
        "lobby-on": ("lobby", True),
        "lobby-off": ("lobby", False),
    }[action]
    return None if bool(meeting.get(field)) == value else {field: value}


def restricted(meeting: Doc) -> tuple[HostPermission, ...]:
    """What the meeting's hosts turned off for participants (none on a meeting never restricted;
    anything unknown in the field is ignored)."""
    return _permissions(meeting.get("restricted"))


def held_on_join(meeting: Doc, mine: Doc | None, uid: str) -> list[HostPermission]:
    """What ``uid`` would be held to on joining now (``meeting_info``'s ``turnedOff``): the
    meeting's ``restricted`` less what a host let them do (kept only by a reload, as
    ``plan_join`` keeps it); nothing for the host or a co-host."""
    if role_on_join(meeting, mine, uid) != "participant":
        return []
    reload = mine is not None and mine.get("state") == JOINED
    permitted = _permissions(mine.get("permitted")) if mine is not None and reload else ()
    return [what for what in restricted(meeting) if what not in permitted]


def check_rename(meeting: Doc, mine: Doc | None, name: str) -> bool:
    """Whether renaming a caller whose participant document is ``mine`` to ``name`` changes
    anything. Refused (``FailedPrecondition``) when the caller is not present: the meeting
    ended, a host removed them, or they are not joined; and (``PermissionDenied``,
    ``turned-off``) when a host turned renaming off for participants and did not let them."""
    mine = check_present(meeting, mine)
    held = mine.get("role") not in HOST_ROLES and "rename" in restricted(meeting)
    if held and "rename" not in _permissions(mine.get("permitted")):
        raise PermissionDenied(
            "A host turned renaming off for participants.", reason=ErrorReason.TURNED_OFF
        )
    return mine.get("displayName") != name


def check_present(meeting: Doc, mine: Doc | None) -> Doc:
    """``mine``, the caller's participant document; refused (``FailedPrecondition``) when the
    caller is not present: the meeting ended, a host removed them, or they are not joined."""
    state = mine.get("state") if mine is not None else None
    ended = mine is not None and mine.get("endCause") == "meeting-ended"
    if meeting.get("state") != OPEN or ended:
        raise FailedPrecondition("This meeting has ended.", reason=ErrorReason.MEETING_ENDED)
    if state == REMOVED:
        raise FailedPrecondition(
            "A host removed you from this meeting.", reason=ErrorReason.REMOVED
        )
    if mine is None or state != JOINED:
        raise FailedPrecondition(
            "You are not in this meeting; join again.", reason=ErrorReason.NOT_JOINED
        )
    return mine


def _toggled(
    now: tuple[HostPermission, ...], what: HostPermission, *, on: bool
) -> list[HostPermission] | None:
    """``now`` with ``what`` in (``on``) or out, in ``HOST_PERMISSIONS`` order; None if the same."""
    after = {*now, what} if on else set(now) - {what}
    ordered = [permission for permission in HOST_PERMISSIONS if permission in after]
    return None if ordered == list(now) else ordered


def _permissions(stored: Any) -> tuple[HostPermission, ...]:
    """A stored list of permissions, known ones only, in ``HOST_PERMISSIONS`` order."""
    listed = stored if isinstance(stored, list) else []
    return tuple(permission for permission in HOST_PERMISSIONS if permission in listed)


# --- breakout rooms ------------------------------------------------------------------------------


def _moves_self(actor: Doc | None, target_uid: str | None) -> bool:
    return actor is not None and actor.get("state") == JOINED and actor.get("uid") == target_uid


def _may_go(meeting: Doc, room: int | None) -> bool:
    """Whether a participant may move themselves to ``room`` while rooms are open: back to the
    main room (0) always, as Meet's "Return to main call"; to a room only when let choose."""
    return bool(rooms(meeting)) and (room == 0 or meeting.get("roomsChoice") is True)


def rooms(meeting: Doc) -> tuple[str, ...]:
    """The breakout rooms open in ``meeting``, by name (none: an empty tuple)."""
    names = meeting.get("rooms")
    return tuple(str(n) for n in names) if isinstance(names, list) else ()


def room_on_join(meeting: Doc, mine: Doc | None) -> int | None:
    """Where a join puts the caller: back in the room a host put them in while the meeting's
    rooms are open (a reload, a re-join, a return), else the main room."""
    room = room_of(mine)
    return room if room is not None and room <= len(rooms(meeting)) else None


def placement(people: Sequence[Doc], assign: Mapping[str, int]) -> dict[str, int | None]:
    """``rooms-open``: each participant whose room changes, and to which (None: the main room).
    Those present go where ``assign`` says, the main room if it leaves them out; those not
    present (they left, or were removed) to the main room, should they come back; uids in
    ``assign`` with no participant document are left out."""
    changes: dict[str, int | None] = {}
    for person in people:
        uid = str(person.get("uid"))
        wanted = assign.get(uid) if person.get("state") == JOINED else None
        if room_of(person) != wanted:
            changes[uid] = wanted
    return changes


def rooms_fields(
    names: Sequence[str], now: datetime, *, choose: bool = False, minutes: int | None = None
) -> dict[str, Any]:
    """The meeting fields ``rooms-open`` writes: the rooms, whether participants choose their
    own, and when the rooms close by themselves. No names: the rooms closed."""
    return {
        "rooms": list(names),
        "roomsChoice": bool(names) and choose,
        "roomsCloseAt": now + timedelta(minutes=minutes) if names and minutes else None,
    }


def countdown(meeting: Doc, now: datetime, minutes: int) -> dict[str, Any] | None:
    """The meeting field ``rooms-close`` with ``minutes`` writes: the open rooms close by
    themselves then (everyone is told a minute before). None when no rooms are open or they
    already close by then."""
    close_at = now + timedelta(minutes=minutes)
    current = meeting.get("roomsCloseAt")
    if not rooms(meeting) or (isinstance(current, datetime) and current <= close_at):
        return None
    return {"roomsCloseAt": close_at}


def same_rooms(meeting: Doc, fields: Mapping[str, Any]) -> bool:
    """Whether ``meeting`` already has the rooms ``fields`` (``rooms_fields``) would write."""
    return bool(
        list(rooms(meeting)) == fields["rooms"]
        and bool(meeting.get("roomsChoice")) == fields["roomsChoice"]
        and meeting.get("roomsCloseAt") == fields["roomsCloseAt"]
    )


def rooms_due(meeting: Doc, now: datetime) -> bool:
    """Whether ``meeting``'s rooms are open and their timer ran out by ``now``."""
    close_at = meeting.get("roomsCloseAt")
    return bool(rooms(meeting)) and isinstance(close_at, datetime) and close_at <= now


def check_move(meeting: Doc, target: Doc | None, room: int, *, by_host: bool = True) -> bool:
    """Whether ``move`` of ``target`` to ``room`` (0: the main room) changes anything; refused
    without rooms open (``no-rooms``), for a room that does not exist, or someone not present;
    a participant moving themselves (not ``by_host``) to a room, unless the rooms let them
    choose: back to the main room they always may."""
    count = len(rooms(meeting))
    if not count:
        raise FailedPrecondition(
            "This meeting has no breakout rooms open.", reason=ErrorReason.NO_ROOMS
        )
    if not by_host and not _may_go(meeting, room):
        raise PermissionDenied(
            "Only the host and co-hosts move people between these rooms.",
            reason=ErrorReason.NOT_A_HOST,
        )
    if room > count:
        raise InvalidArgument(f"'room' must be from 0 to {count}.", field="room")
    if target is None or target.get("state") != JOINED:
        raise NotFound("This person is not in the meeting.")
    return room_of(target) != (room or None)


def check_help(meeting: Doc, mine: Doc | None, *, ask: bool) -> bool:
    """Whether ``ask-help`` (``ask``) or ``cancel-help`` by the caller whose participant document
    is ``mine`` changes anything. Refused when the caller is not present (``check_present``), and
    a request from outside a breakout room (``no-rooms``): the main room has its hosts."""
    mine = check_present(meeting, mine)
    if ask and (not rooms(meeting) or room_of(mine) is None):
        raise FailedPrecondition(
            "You are not in a breakout room: the hosts are in the main room.",
            reason=ErrorReason.NO_ROOMS,
        )
    return (mine.get("helpAt") is not None) != ask


def check_help_later(target: Doc | None) -> bool:
    """Whether a host's ``help-later`` for ``target`` changes anything: only a call standing and
    not answered so yet (one cancelled or answered meanwhile is left as is)."""
    if target is None or target.get("state") != JOINED:
        raise NotFound("This person is not in the meeting.")
    return target.get("helpAt") is not None and target.get("helpLaterAt") is None


def askers(people: Sequence[Doc], room: int) -> list[str]:
    """The uids of those present in ``room`` asking for help: a host's visit answers them."""
    return [
        str(p["uid"])
        for p in people
        if p.get("state") == JOINED and room_of(p) == room and p.get("helpAt") is not None
    ]
