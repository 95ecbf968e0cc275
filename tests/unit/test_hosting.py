"""Who may come in (the lobby, the lock, removals) and what hosts may do: the pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from avmeets import hosting
from avmeets.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from avmeets.protocol import HOST_ACTIONS, SELF_ACTIONS, HostActionName

HOST_ONLY = [action for action in HOST_ACTIONS if action not in SELF_ACTIONS]

NOW = datetime(2026, 1, 1, tzinfo=UTC)
OPEN = {"state": "open", "createdBy": "host", "lobby": False, "locked": False}
LOBBY = {**OPEN, "lobby": True}


def person(uid: str, state: str = "joined", role: str = "participant") -> dict[str, Any]:
    return {"uid": uid, "state": state, "role": role, "session": f"s-{uid}"}


def knock(state: str, by: str | None = None) -> dict[str, Any]:
    return {"uid": "x", "state": state, "decidedBy": by, "knockedAt": NOW}


def reason(err: pytest.ExceptionInfo[Any]) -> Any:
    return err.value.details.get("reason")


def test_without_lobby_or_lock_everyone_comes_in() -> None:
    assert hosting.gate(OPEN, None, None, "x") == hosting.Gate("in")


def test_with_a_lobby_newcomers_knock_and_the_known_come_back() -> None:
    assert hosting.gate(LOBBY, None, None, "x").kind == "knock"
    assert hosting.gate(LOBBY, None, knock("waiting"), "x").kind == "knock"
    assert hosting.gate(LOBBY, person("x", "left"), None, "x").kind == "in"
    assert hosting.gate(LOBBY, person("x"), None, "x").kind == "in"  # a reload
    assert hosting.gate(LOBBY, None, None, "host").kind == "in"
    assert hosting.gate(LOBBY, person("x", "left", "cohost"), None, "x").kind == "in"


def test_an_admitted_knock_comes_in_even_when_locked_and_names_its_host() -> None:
    locked = {**LOBBY, "locked": True}
    assert hosting.gate(locked, None, knock("admitted", "host"), "x") == hosting.Gate(
        "in", admitted_by="host"
    )


def test_a_locked_meeting_keeps_out_all_but_hosts_and_those_present() -> None:
    locked = {**OPEN, "locked": True}
    for mine, kn in ((None, None), (person("x", "left"), None), (None, knock("withdrawn"))):
        with pytest.raises(FailedPrecondition) as err:
            hosting.gate(locked, mine, kn, "x")
        assert reason(err) == "meeting-locked"
    assert hosting.gate(locked, person("x"), None, "x").kind == "in"
    assert hosting.gate(locked, None, None, "host").kind == "in"
    assert hosting.gate(locked, person("c", "left", "cohost"), None, "c").kind == "in"
    # Someone already waiting goes on waiting: a host may still let them in.
    assert hosting.gate(locked, None, knock("waiting"), "x").kind == "knock"


def test_a_denied_knock_stays_out() -> None:
    with pytest.raises(PermissionDenied) as err:
        hosting.gate(LOBBY, None, knock("denied", "host"), "x")
    assert reason(err) == "denied"


def test_a_removed_person_knocks_even_without_a_lobby_and_a_cohost_loses_the_role() -> None:
    gate = hosting.gate(OPEN, person("x", "removed"), None, "x")
    assert gate == hosting.Gate("knock", was_removed=True)
    assert hosting.gate(OPEN, person("x", "removed", "cohost"), None, "x").kind == "knock"
    error = hosting.knock_required(gate)
    assert error.details == {"reason": "knock-required", "removed": True}
    assert hosting.gate(OPEN, person("x", "removed"), knock("admitted", "h"), "x").kind == "in"


def test_entry_says_what_a_join_would_do_without_raising() -> None:
    locked = {**OPEN, "locked": True}
    assert hosting.entry(OPEN, None, None, "x") == "join"
    assert hosting.entry(LOBBY, None, None, "x") == "knock"
    assert hosting.entry(OPEN, person("x", "removed"), None, "x") == "knock"
    assert hosting.entry(locked, None, None, "x") == "locked"
    assert hosting.entry(locked, None, None, "host") == "join"
    assert hosting.entry(LOBBY, None, knock("denied", "host"), "x") == "denied"
    assert hosting.entry(locked, None, knock("admitted", "host"), "x") == "join"


def test_knock_documents() -> None:
    later = NOW + timedelta(seconds=20)
    first = hosting.knock_doc(
        None, uid="x", display_name="X", same_org=True, was_removed=False, now=NOW, expires_at=NOW
    )
    assert first["state"] == "waiting" and first["knockedAt"] == NOW and first["lastSeenAt"] == NOW
    again = hosting.knock_doc(
        first, uid="x", display_name="Y", same_org=True, was_removed=False, now=later,
        expires_at=later,
    )  # fmt: skip
    assert again["knockedAt"] == NOW and again["lastSeenAt"] == later
    assert again["expiresAt"] == NOW  # renewing a knock moves nothing but lastSeenAt (and the name)
    assert again["displayName"] == "Y"
    after_denial = hosting.knock_doc(
        {**first, "state": "denied"}, uid="x", display_name="X", same_org=False,
        was_removed=True, now=later, expires_at=later,
    )  # fmt: skip
    assert after_denial["knockedAt"] == later and after_denial["decidedBy"] is None


def test_answering_a_knock() -> None:
    admitted = hosting.decide(knock("waiting"), "admit", "h", NOW)
    assert admitted is not None and admitted["state"] == "admitted"
    assert admitted["decidedBy"] == "h" and admitted["decidedAt"] == NOW
    denied = hosting.decide(knock("waiting"), "deny", "h", NOW)
    assert denied is not None and denied["state"] == "denied"
    assert hosting.decide(knock("admitted"), "admit", "h", NOW) is None  # said twice
    for state in ("denied", "withdrawn", "ended"):
        with pytest.raises(NotFound):
            hosting.decide(knock(state), "admit", "h", NOW)
    with pytest.raises(NotFound):
        hosting.decide(None, "deny", "h", NOW)


@pytest.mark.parametrize("action", HOST_ONLY)
def test_only_hosts_present_may_act(action: HostActionName) -> None:
    target = "y" if action in hosting.PERSON_ACTIONS else None
    for actor in (
        None,
        person("p"),
        person("c", "left", "cohost"),
        person("c", "removed", "cohost"),
        {"uid": "p", "state": "joined"},  # no role: a participant
    ):
        with pytest.raises(PermissionDenied) as err:
            hosting.check_action(OPEN, actor, action, target)
        assert reason(err) == "not-a-host"
    assert hosting.check_action(OPEN, person("host", role="host"), action, target) == OPEN


@pytest.mark.parametrize("action", HOST_ONLY)
def test_cohosts_may_do_all_but_change_roles(action: HostActionName) -> None:
    target = "y" if action in hosting.PERSON_ACTIONS else None
    cohost = person("c", role="cohost")
    if action in ("make-cohost", "revoke-cohost"):
        with pytest.raises(PermissionDenied) as err:
            hosting.check_action(OPEN, cohost, action, target)
        assert reason(err) == "not-a-host"
    else:
        hosting.check_action(OPEN, cohost, action, target)


def test_host_actions_need_an_open_meeting_and_spare_the_host() -> None:
    host = person("host", role="host")
    with pytest.raises(NotFound):
        hosting.check_action(None, host, "lock", None)
    with pytest.raises(FailedPrecondition) as err:
        hosting.check_action({**OPEN, "state": "ended"}, host, "end", None)
    assert reason(err) == "meeting-ended"
    with pytest.raises(InvalidArgument):
        hosting.check_action(OPEN, host, "remove", "host")
    with pytest.raises(PermissionDenied) as denied:
        hosting.check_action(OPEN, person("c", role="cohost"), "remove", "host")
    assert reason(denied) is None
    with pytest.raises(InvalidArgument):
        hosting.check_action(OPEN, person("c", role="cohost"), "remove", "c")


def test_role_and_meeting_changes() -> None:
    assert hosting.role_change(person("y"), "make-cohost") == "cohost"
    assert hosting.role_change(person("y", role="cohost"), "make-cohost") is None
    assert hosting.role_change(person("y", role="cohost"), "revoke-cohost") == "participant"
    for gone in (None, person("y", "left"), person("y", "removed")):
        with pytest.raises(NotFound):
            hosting.role_change(gone, "make-cohost")
    assert hosting.meeting_change(OPEN, "lock") == {"locked": True}
    assert hosting.meeting_change(OPEN, "unlock") is None
    assert hosting.meeting_change(OPEN, "lobby-on") == {"lobby": True}
    assert hosting.meeting_change(LOBBY, "lobby-off") == {"lobby": False}
    assert hosting.meeting_change({"state": "open"}, "lobby-off") is None  # an old meeting


def test_restrictions_are_a_set_in_one_order() -> None:
    assert hosting.meeting_change(OPEN, "restrict", "mic") == {"restricted": ["mic"]}
    assert hosting.meeting_change(OPEN, "allow", "mic") is None  # never restricted
    some = {**OPEN, "restricted": ["mic"]}
    assert hosting.meeting_change(some, "restrict", "mic") is None
    assert hosting.meeting_change(some, "restrict", "present") == {"restricted": ["present", "mic"]}
    assert hosting.meeting_change(some, "allow", "mic") == {"restricted": []}
    odd = {**OPEN, "restricted": ["camera", "dance", "chat"]}
    assert hosting.restricted(odd) == ("chat", "camera")
    assert hosting.meeting_change(odd, "allow", "chat") == {"restricted": ["camera"]}
    assert hosting.restricted({**OPEN, "restricted": "mic"}) == ()


def test_one_participant_permitted() -> None:
    bob = person("b")
    assert hosting.permit_change(bob, "permit", "mic") == ["mic"]
    assert hosting.permit_change(bob, "unpermit", "mic") is None
    both = {**bob, "permitted": ["mic"]}
    assert hosting.permit_change(both, "permit", "mic") is None
    assert hosting.permit_change(both, "permit", "present") == ["present", "mic"]
    assert hosting.permit_change(both, "unpermit", "mic") == []
    for gone in (None, person("b", "left"), person("b", "removed")):
        with pytest.raises(NotFound):
            hosting.permit_change(gone, "permit", "mic")
    with pytest.raises(PermissionDenied):
        hosting.check_action(OPEN, person("c", role="cohost"), "permit", "host")


def test_what_a_newcomer_would_be_held_to() -> None:
    """meeting_info's turnedOff: the meeting's restrictions less a reload's permissions;
    nothing for the host or a co-host."""
    quiet = {**OPEN, "restricted": ["whiteboard", "mic", "present"]}
    assert hosting.held_on_join(OPEN, None, "b") == []
    assert hosting.held_on_join(quiet, None, "b") == ["present", "mic", "whiteboard"]
    assert hosting.held_on_join(quiet, None, "host") == []
    assert hosting.held_on_join(quiet, person("c", "left", "cohost"), "c") == []
    assert hosting.held_on_join(quiet, person("c", "removed", "cohost"), "c") == [
        "present",
        "mic",
        "whiteboard",
    ]
    let = {**person("b"), "permitted": ["mic"]}
    assert hosting.held_on_join(quiet, let, "b") == ["present", "whiteboard"]  # a reload keeps it
    gone = {**person("b", "left"), "permitted": ["mic"]}
    assert hosting.held_on_join(quiet, gone, "b") == ["present", "mic", "whiteboard"]


def test_renaming_oneself() -> None:
    """rename: someone present, by the meeting's restrictions; False when it is the same."""
    bob = {**person("b"), "displayName": "Bob"}
    assert hosting.check_rename(OPEN, bob, "Rob") is True
    assert hosting.check_rename(OPEN, bob, "Bob") is False
    gone = {
        "removed": person("b", "removed"),
        "not-joined": person("b", "left"),
        "meeting-ended": {**person("b", "left"), "endCause": "meeting-ended"},
    }
    for why, mine in gone.items():
        with pytest.raises(FailedPrecondition) as err:
            hosting.check_rename(OPEN, mine, "Rob")
        assert reason(err) == why
    with pytest.raises(FailedPrecondition):
        hosting.check_rename(OPEN, None, "Rob")
    with pytest.raises(FailedPrecondition):
        hosting.check_rename({**OPEN, "state": "ended"}, bob, "Rob")
    quiet = {**OPEN, "restricted": ["rename"]}
    with pytest.raises(PermissionDenied) as denied:
        hosting.check_rename(quiet, bob, "Rob")
    assert reason(denied) == "turned-off"
    assert hosting.check_rename(quiet, {**bob, "permitted": ["rename"]}, "Rob") is True
    assert hosting.check_rename(quiet, {**bob, "role": "cohost"}, "Rob") is True


def test_is_host_role() -> None:
    assert hosting.is_host_role(person("h", role="host"))
    assert hosting.is_host_role(person("c", role="cohost"))
    assert not hosting.is_host_role(person("c", "left", "cohost"))
    assert not hosting.is_host_role(person("p"))
    assert not hosting.is_host_role(None)


# --- breakout rooms ------------------------------------------------------------------------------

ROOMS = {**OPEN, "rooms": ["Red", "Blue"]}


def test_a_join_goes_back_to_its_room_while_the_rooms_are_open() -> None:
    assert hosting.room_on_join(ROOMS, {**person("x", "left"), "room": 2}) == 2
    assert hosting.room_on_join(ROOMS, {**person("x"), "room": 3}) is None  # no such room now
    assert hosting.room_on_join(OPEN, {**person("x"), "room": 1}) is None  # rooms closed
    assert hosting.room_on_join(ROOMS, None) is None  # a newcomer: the main room
    assert hosting.room_on_join(ROOMS, {**person("x"), "room": True}) is None


def test_opening_rooms_places_those_present_and_sends_the_rest_to_the_main_room() -> None:
    people = [
        {**person("a"), "room": 1},
        person("b"),
        {**person("c"), "room": 2},
        {**person("gone", "left"), "room": 1},
        {**person("out", "removed"), "room": None},
    ]
    changes = hosting.placement(people, {"a": 1, "b": 2, "gone": 2, "nobody": 1})
    # a is already in room 1; c, left out, goes back; gone left: the main room, not room 2.
    assert changes == {"b": 2, "c": None, "gone": None}
    assert hosting.placement([person("a")], {}) == {}


def test_a_move_needs_open_rooms_a_room_that_exists_and_someone_present() -> None:
    with pytest.raises(FailedPrecondition) as err:
        hosting.check_move(OPEN, person("a"), 1)
    assert reason(err) == "no-rooms"
    with pytest.raises(InvalidArgument):
        hosting.check_move(ROOMS, person("a"), 3)
    with pytest.raises(NotFound):
        hosting.check_move(ROOMS, person("a", "left"), 1)
    assert hosting.check_move(ROOMS, person("a"), 2) is True
    assert hosting.check_move(ROOMS, {**person("a"), "room": 2}, 2) is False
    assert hosting.check_move(ROOMS, person("a"), 0) is False  # already in the main room
    assert hosting.check_move(ROOMS, {**person("a"), "room": 1}, 0) is True


def test_hosts_move_themselves_and_only_the_host_moves_the_host() -> None:
    host, cohost = person("host", role="host"), person("c", role="cohost")
    assert hosting.check_action(ROOMS, host, "move", "host") == ROOMS
    assert hosting.check_action(ROOMS, cohost, "move", "c") == ROOMS
    assert hosting.check_action(ROOMS, cohost, "move", "p") == ROOMS
    with pytest.raises(PermissionDenied):
        hosting.check_action(ROOMS, cohost, "move", "host")
    with pytest.raises(PermissionDenied) as err:
        hosting.check_action(ROOMS, person("p"), "move", "q")  # a participant moves nobody else
    assert reason(err) == "not-a-host"
    with pytest.raises(PermissionDenied):
        hosting.check_action(ROOMS, person("p", "left"), "move", "p")


def test_a_participant_moves_themselves_only_when_the_rooms_let_them_choose() -> None:
    for room in (None, 1):
        with pytest.raises(PermissionDenied) as err:
            hosting.check_action(ROOMS, person("p"), "move", "p", room)
        assert reason(err) == "not-a-host"
    choosing = {**ROOMS, "roomsChoice": True}
    assert hosting.check_action(choosing, person("p"), "move", "p") == choosing
    with pytest.raises(PermissionDenied):
        hosting.check_action(choosing, person("p"), "move", "q")
    # check_move decides again with the write: the hosts may have opened the rooms anew meanwhile
    with pytest.raises(PermissionDenied) as err:
        hosting.check_move(ROOMS, person("p"), 1, by_host=False)
    assert reason(err) == "not-a-host"
    assert hosting.check_move(choosing, person("p"), 1, by_host=False) is True
    assert hosting.check_move(choosing, {**person("p"), "room": 1}, 0, by_host=False) is True
    with pytest.raises(FailedPrecondition) as closed:  # closed meanwhile: no-rooms
        hosting.check_move({**OPEN, "roomsChoice": True}, person("p"), 1, by_host=False)
    assert reason(closed) == "no-rooms"


def test_a_participant_may_always_return_to_the_main_room_while_rooms_are_open() -> None:
    in_red = {**person("p"), "room": 1}
    assert hosting.check_action(ROOMS, in_red, "move", "p", 0) == ROOMS
    assert hosting.check_move(ROOMS, in_red, 0, by_host=False) is True
    assert hosting.check_move(ROOMS, person("p"), 0, by_host=False) is False  # already there
    for meeting, who, target in ((ROOMS, in_red, "q"), (OPEN, in_red, "p"), (ROOMS, None, "p")):
        with pytest.raises(PermissionDenied) as err:  # someone else; no rooms; not present
            hosting.check_action(meeting, who, "move", target, 0)
        assert reason(err) == "not-a-host"
    with pytest.raises(FailedPrecondition) as closed:  # closed meanwhile: no-rooms
        hosting.check_move(OPEN, in_red, 0, by_host=False)
    assert reason(closed) == "no-rooms"


def test_rooms_fields_say_the_rooms_their_choice_and_timer() -> None:
    now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    fields = hosting.rooms_fields(["Red"], now, choose=True, minutes=15)
    assert fields == {
        "rooms": ["Red"],
        "roomsChoice": True,
        "roomsCloseAt": now + timedelta(minutes=15),
    }
    closed = hosting.rooms_fields((), now, choose=True, minutes=15)
    assert closed == {"rooms": [], "roomsChoice": False, "roomsCloseAt": None}
    assert hosting.same_rooms(OPEN, closed)  # never opened: closing changes nothing
    assert hosting.same_rooms({**OPEN, **fields}, fields)
    assert not hosting.same_rooms({**OPEN, **fields}, {**fields, "roomsChoice": False})
    assert not hosting.same_rooms(
        {**OPEN, **fields}, hosting.rooms_fields(["Red"], now, choose=True)
    )


def test_rooms_are_due_once_their_timer_ran_out() -> None:
    now = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    timed = {**OPEN, **hosting.rooms_fields(["Red"], now, minutes=1)}
    assert not hosting.rooms_due(timed, now + timedelta(seconds=59))
    assert hosting.rooms_due(timed, now + timedelta(minutes=1))
    assert not hosting.rooms_due({**timed, "rooms": []}, now + timedelta(hours=1))  # closed
    assert not hosting.rooms_due({**OPEN, "rooms": ["Red"]}, now + timedelta(days=9))  # no timer


def test_anyone_present_asks_for_help_in_a_breakout_room_only() -> None:
    in_red = {**person("p"), "room": 1}
    for actor in (None, person("p"), person("h", role="host")):  # check_help decides who
        assert hosting.check_action(ROOMS, actor, "ask-help", None) == ROOMS
    assert hosting.check_help(ROOMS, in_red, ask=True) is True
    assert hosting.check_help(ROOMS, {**in_red, "helpAt": NOW}, ask=True) is False
    assert hosting.check_help(ROOMS, {**in_red, "helpAt": NOW}, ask=False) is True
    assert hosting.check_help(ROOMS, in_red, ask=False) is False  # nothing to cancel
    assert hosting.check_help(ROOMS, {**person("c", role="cohost"), "room": 2}, ask=True) is True
    for meeting, mine in ((ROOMS, person("p")), (OPEN, in_red)):  # the main room; rooms closed
        with pytest.raises(FailedPrecondition) as err:
            hosting.check_help(meeting, mine, ask=True)
        assert reason(err) == "no-rooms"
    assert hosting.check_help(OPEN, {**in_red, "helpAt": NOW}, ask=False) is True
    gone: list[tuple[dict[str, Any] | None, str]] = [
        (None, "not-joined"),
        ({**in_red, "state": "left"}, "not-joined"),
        ({**in_red, "state": "removed"}, "removed"),
    ]
    for absent, why in gone:
        with pytest.raises(FailedPrecondition) as err:
            hosting.check_help(ROOMS, absent, ask=True)
        assert reason(err) == why
    with pytest.raises(FailedPrecondition) as err:
        hosting.check_help({**ROOMS, "state": "ended"}, in_red, ask=True)
    assert reason(err) == "meeting-ended"


def test_a_host_answers_a_call_for_help_later_while_it_stands() -> None:
    asking = {**person("p"), "room": 1, "helpAt": NOW}
    host, cohost = person("h", role="host"), person("c", role="cohost")
    for actor in (host, cohost):
        assert hosting.check_action(ROOMS, actor, "help-later", "p") == ROOMS
    with pytest.raises(PermissionDenied):
        hosting.check_action(ROOMS, person("x"), "help-later", "p")
    # The meeting's host may ask too (the server takes it from anyone in a room).
    assert hosting.check_action({**ROOMS, "createdBy": "h"}, cohost, "help-later", "h") == {
        **ROOMS,
        "createdBy": "h",
    }
    assert hosting.check_help_later(asking) is True
    assert hosting.check_help_later({**asking, "helpLaterAt": NOW}) is False  # already
    assert hosting.check_help_later({**person("p"), "room": 1}) is False  # cancelled, answered
    for gone in (None, {**asking, "state": "left"}):
        with pytest.raises(NotFound):
            hosting.check_help_later(gone)


def test_a_hosts_visit_answers_those_asking_in_that_room() -> None:
    people = [
        {**person("a"), "room": 1, "helpAt": NOW},
        {**person("b"), "room": 1},
        {**person("c"), "room": 2, "helpAt": NOW},
        {**person("d", "left"), "room": 1, "helpAt": NOW},
    ]
    assert hosting.askers(people, 1) == ["a"]
    assert hosting.askers(people, 2) == ["c"]
    assert hosting.askers(people, 3) == []


def test_closing_the_rooms_in_a_minute_sets_their_timer_unless_they_close_sooner() -> None:
    minute = NOW + timedelta(minutes=1)
    assert hosting.countdown(ROOMS, NOW, 1) == {"roomsCloseAt": minute}
    later = {**ROOMS, "roomsCloseAt": NOW + timedelta(minutes=30)}
    assert hosting.countdown(later, NOW, 1) == {"roomsCloseAt": minute}
    sooner = {**ROOMS, "roomsCloseAt": NOW + timedelta(seconds=20)}
    assert hosting.countdown(sooner, NOW, 1) is None
    assert hosting.countdown({**ROOMS, "roomsCloseAt": minute}, NOW, 1) is None
    assert hosting.countdown(OPEN, NOW, 1) is None  # no rooms open
    assert hosting.rooms_due({**ROOMS, "roomsCloseAt": minute}, minute) is True
