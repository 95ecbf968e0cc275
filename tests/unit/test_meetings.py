"""Join decisions: capacity, idempotent re-join, and what the newcomer is told."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from avmeets import meeting_ids, meetings
from avmeets.errors import FailedPrecondition, NotFound, ResourceExhausted
from avmeets.protocol import HostPermission

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MEETING = {"state": "open", "maxParticipants": 3, "createdBy": "a"}


def caller(uid: str) -> meetings.Caller:
    return meetings.Caller(uid, uid.upper(), f"{uid}@example.com", "203.0.113.1", "UA")


def present(*uids: str) -> list[dict[str, Any]]:
    return [{"uid": u, "displayName": u, "session": f"s-{u}", "state": "joined"} for u in uids]


def plan(
    uid: str,
    joined: list[dict[str, Any]],
    mine: dict[str, Any] | None = None,
    meeting: dict[str, Any] = MEETING,
    **kwargs: Any,
) -> Any:
    return meetings.plan_join(
        "abc-defg-hij", meeting, mine, joined, caller(uid), "new", NOW, NOW, **kwargs
    )


def test_newcomer_gets_the_others_sorted() -> None:
    p = plan("c", present("b", "a"))
    assert [o["uid"] for o in p.others] == ["a", "b"]
    assert p.participant["session"] == "new" and p.participant["state"] == "joined"
    assert p.join_record["ip"] == "203.0.113.1"
    assert p.replaced_session is None


def test_offers_of_a_join_go_to_those_present_in_order() -> None:
    """docs/protocol.md, join_meeting ``offers``: one each, in the order of ``participants``;
    an offer beyond them is not used, a participant beyond them gets none."""
    p = plan("c", present("b", "a"), offers=["sdp-0"])
    assert [(o["uid"], o.get("offer")) for o in p.others] == [("a", 0), ("b", None)]
    assert p.offer_signals == [
        {
            "from": "c",
            "session": "new",
            "to": "a",
            "toSession": "s-a",
            "type": "offer",
            "sdp": "sdp-0",
            "createdAt": NOW,
        }
    ]
    p = plan("c", present("a"), offers=["sdp-0", "sdp-1"])
    assert [o.get("offer") for o in p.others] == [0]
    assert [s["sdp"] for s in p.offer_signals] == ["sdp-0"]
    p = plan("c", [], offers=["sdp-0"])
    assert (p.others, p.offer_signals) == ([], [])
    # A participant whose signals the rules refuse (signalLimit) gets none written by re-joining.
    blocked = {**present("c")[0], "signalLimit": {"blockedUntil": NOW + timedelta(seconds=1)}}
    p = plan("c", present("a"), mine=blocked, offers=["sdp-0"])
    assert (p.offer_signals, p.others[0].get("offer")) == ([], None)
    served = {**blocked, "signalLimit": {"blockedUntil": NOW}}
    assert len(plan("c", present("a"), mine=served, offers=["sdp-0"]).offer_signals) == 1
    assert plan("c", present("a")).offer_signals == []


def test_full_meeting_refuses_newcomers_but_not_rejoins() -> None:
    with pytest.raises(ResourceExhausted) as err:
        plan("d", present("a", "b", "c"))
    assert err.value.details["reason"] == "meeting-full"
    joined = present("a", "b", "c")
    p = plan("c", joined, mine=joined[2])
    assert p.replaced_session == "s-c"
    assert [o["uid"] for o in p.others] == ["a", "b"]


def test_left_participants_do_not_count() -> None:
    joined = present("a", "b")
    p = plan("c", [*joined, {"uid": "x", "session": "s", "state": "left"}])
    assert len(p.others) == 2


def test_joinable() -> None:
    with pytest.raises(NotFound):
        meetings.check_joinable(None)
    with pytest.raises(FailedPrecondition):
        meetings.check_joinable({"state": "ended"})


def test_meeting_ids_are_random_and_valid() -> None:
    ids = {meeting_ids.new_meeting_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(meeting_ids.is_valid(i) for i in ids)


def test_the_host_always_has_a_seat() -> None:
    # Without the creator (a), the others fill one seat less than the cap...
    with pytest.raises(ResourceExhausted):
        plan("c", present("b", "x"))
    assert len(plan("c", present("b")).others) == 1
    # ...so the creator finds one even when everyone else came first.
    assert len(plan("a", present("b", "c")).others) == 2
    # With the creator in, the cap counts everyone.
    with pytest.raises(ResourceExhausted):
        plan("d", present("a", "b", "c"))
    # A co-host is not the creator: its seat is not kept.
    with pytest.raises(ResourceExhausted):
        plan("c", present("b", "x"), mine={"uid": "c", "state": "left", "role": "cohost"})


def test_roles_on_join() -> None:
    assert plan("a", present("b")).participant["role"] == "host"
    assert plan("b", present("a")).participant["role"] == "participant"
    cohost = {"uid": "b", "state": "left", "role": "cohost", "displayName": "Bee"}
    assert plan("b", present("a"), mine=cohost).participant["role"] == "cohost"
    removed = {**cohost, "state": "removed"}
    assert plan("b", present("a"), mine=removed).participant["role"] == "participant"
    assert [o["role"] for o in plan("c", present("a")).others] == ["participant"]
    assert [o["role"] for o in plan("c", [{**present("a")[0], "role": "host"}]).others] == ["host"]


def test_a_permission_outlives_a_reload_but_not_a_leave() -> None:
    mine = {**present("b")[0], "role": "participant", "permitted": ["mic"]}
    assert plan("b", present("a"), mine=mine).participant["permitted"] == ["mic"]
    left = {**mine, "state": "left"}
    assert "permitted" not in plan("b", present("a"), mine=left).participant
    assert "permitted" not in plan("b", present("a")).participant


def test_names_on_join() -> None:
    # Typed, kept from an earlier join of this meeting, else the account's.
    assert plan("b", [], display_name="Bea").participant["displayName"] == "Bea"
    mine = {"uid": "b", "state": "left", "displayName": "Bea"}
    assert plan("b", [], mine=mine).participant["displayName"] == "Bea"
    assert plan("b", []).participant["displayName"] == "B"
    assert plan("b", [], knocked_as="Bee").participant["displayName"] == "Bee"
    assert plan("b", [], mine=mine, knocked_as="Bee").participant["displayName"] == "Bea"
    assert plan("b", [], admitted_by="a").join_record["admittedBy"] == "a"
    assert plan("b", []).join_record["closedBy"] is None


def test_meeting_full_says_the_cap() -> None:
    with pytest.raises(ResourceExhausted) as full:
        plan("d", present("a", "b", "c"))
    assert full.value.details == {"reason": "meeting-full", "maxParticipants": 3}


def test_meeting_info_before_joining() -> None:
    open_meeting = {**MEETING, "hasPassword": False, "title": "T"}
    assert meetings.meeting_info(open_meeting, present("a"), False, "c", "knock") == {
        "exists": True,
        "state": "open",
        "hasPassword": False,
        "title": "T",
        "full": False,
        "relayOnly": False,
        "entry": "knock",
        "storage": [],
        "storedOfYou": [],
        "storedOfYouBy": None,
        "present": 1,
        "turnedOff": [],
    }
    locked = {**open_meeting, "hasPassword": True}
    # How many are in: like the title, protected by the password (but not from those inside).
    assert meetings.meeting_info(locked, present("a", "b"), False, "d", "join")["present"] is None
    assert meetings.meeting_info(locked, present("a", "b"), False, "b", "join")["present"] == 1
    assert meetings.meeting_info(locked, present("a", "b", "c"), True, "d", "join")["title"] is None
    assert meetings.meeting_info(locked, present("a", "b", "c"), True, "d", "join")["full"] is True
    # Someone already in (a reload) is not told the meeting is full.
    assert meetings.meeting_info(locked, present("a", "b", "c"), True, "c", "join")["full"] is False
    # What the hosts turned off: like the title, protected by the password.
    quiet: list[HostPermission] = ["mic", "chat"]

    def turned_off(meeting: dict[str, Any], joined: list[dict[str, Any]]) -> Any:
        return meetings.meeting_info(meeting, joined, False, "c", "join", None, quiet)["turnedOff"]

    assert turned_off(open_meeting, []) == quiet
    assert turned_off(locked, []) == []
    assert turned_off(locked, present("c")) == quiet  # someone inside (a reload)
    ended = meetings.meeting_info({**open_meeting, "state": "ended"}, [], False, "c", "join")
    assert (ended["full"], ended["entry"], ended["present"]) == (False, None, None)
    assert meetings.meeting_info(None, [], True, "c", None) == {
        "exists": False,
        "state": None,
        "hasPassword": False,
        "title": None,
        "full": False,
        "relayOnly": True,
        "entry": None,
        "storage": [],
        "storedOfYou": [],
        "storedOfYouBy": None,
        "present": None,
        "turnedOff": [],
    }


def _stored(uid: str, org: str, *kinds: str) -> dict[str, Any]:
    return {**present(uid)[0], "storedBy": {"orgId": org, "orgName": org.title(), "kinds": kinds}}


def test_meeting_info_tells_what_is_stored_of_whom_before_joining() -> None:
    """docs/protocol.md, meeting_info: `storage` (counts per organisation, no names) only
    without a password or to someone inside; `storedOfYou` always."""
    joined = [
        _stored("a", "acme", "chat", "attendance"),
        _stored("b", "acme", "chat"),
        {**present("c")[0], "storedBy": None},
        _stored("d", "beta", "files"),
    ]
    open_meeting = {**MEETING, "hasPassword": False, "maxParticipants": 10}
    acme: Any = {"orgId": "acme", "orgName": "Acme", "kinds": ["chat"]}
    info = meetings.meeting_info(open_meeting, joined, False, "e", "join", acme)
    assert info["storage"] == [
        {"orgName": "Acme", "kinds": ["chat", "attendance"], "members": 2},
        {"orgName": "Beta", "kinds": ["files"], "members": 1},
    ]
    assert (info["storedOfYou"], info["storedOfYouBy"]) == (["chat"], "Acme")
    with_password = {**open_meeting, "hasPassword": True}
    outside = meetings.meeting_info(with_password, joined, False, "e", "join", acme)
    assert (outside["storage"], outside["storedOfYou"]) == ([], ["chat"])
    inside = meetings.meeting_info(with_password, joined, False, "a", "join", None)
    assert inside["storage"] == info["storage"]
    files: Any = {"orgId": "acme", "orgName": "Acme", "kinds": ["files"]}
    assert meetings.meeting_info(None, [], False, "e", None, files)["storedOfYou"] == ["files"]


def test_meeting_info_keeps_the_hosts_seat() -> None:
    # Without the creator (a) two of three seats fill the meeting for others, not for a.
    assert meetings.meeting_info(MEETING, present("b", "c"), False, "d", "join")["full"] is True
    assert meetings.meeting_info(MEETING, present("b", "c"), False, "a", "join")["full"] is False


@pytest.mark.parametrize(
    ("org", "required"),
    [
        (None, False),
        ({}, False),
        ({"privacy": {"relayOnly": True}}, True),
        ({"privacy": {"relayOnly": "yes"}}, False),
        ({"privacy": True}, False),
    ],
)
def test_relay_only_policy(org: dict[str, Any] | None, required: bool) -> None:
    assert meetings.relay_only(org) is required


def test_sweep_shards_are_fixed_by_the_uid_and_spread() -> None:
    uids = [f"user{n}" for n in range(6000)]
    shards = [meetings.sweep_shard(uid) for uid in uids]
    assert shards == [meetings.sweep_shard(uid) for uid in uids]
    assert set(shards) == set(range(meetings.SWEEP_SHARDS))
    # About 40 a shard; none is a hot spot of its own.
    assert max(shards.count(s) for s in set(shards)) < 3 * len(uids) / meetings.SWEEP_SHARDS


def test_sweep_shard_groups_cover_every_shard_within_the_in_limit() -> None:
    groups = meetings.sweep_shard_groups()
    assert sorted(s for g in groups for s in g) == list(range(meetings.SWEEP_SHARDS))
    assert all(1 <= len(g) <= 30 for g in groups)


def test_a_joining_participant_gets_its_presence_with_its_sweep_shard() -> None:
    p = plan("c", present("a"), heartbeat_seconds=300)
    assert p.presence["sweepShard"] == meetings.sweep_shard("c")
    assert p.presence["session"] == p.participant["session"]
    assert p.presence["lastSeenAt"] == p.participant["joinedAt"]
    assert p.presence["expiresAt"] == p.participant["expiresAt"]
    assert p.presence["minGapSeconds"] == 150
    # Liveness is not on the roster: a beat must not reach every participant's listener.
    assert "lastSeenAt" not in p.participant and "sweepShard" not in p.participant


def test_the_least_gap_between_beats_is_half_the_interval_and_never_zero() -> None:
    assert meetings.min_beat_gap(300) == 150
    assert meetings.min_beat_gap(2) == 1
    assert meetings.min_beat_gap(1) == 1


def test_a_join_connects_only_within_its_breakout_room() -> None:
    """docs/protocol.md section 5, "Breakout rooms": ``participants`` and the offers are those
    present in the caller's room; everyone present still counts against the cap."""
    joined = [{**p, "room": r} for p, r in zip(present("a", "b", "d"), (2, None, 2), strict=True)]
    p = plan("c", joined, meeting={**MEETING, "maxParticipants": 4}, room=2, offers=["x", "y"])
    assert [o["uid"] for o in p.others] == ["a", "d"]
    assert [s["to"] for s in p.offer_signals] == ["a", "d"]
    assert p.participant["room"] == 2
    assert [
        o["uid"] for o in plan("c", joined, meeting={**MEETING, "maxParticipants": 4}).others
    ] == ["b"]
    with pytest.raises(ResourceExhausted):  # three present in two rooms: the cap is the meeting's
        plan("c", joined, room=2)
    # Back in the main room, a room once set is written as null; never set, it is not written.
    mine = {**present("c")[0], "room": 1}
    assert plan("c", present("a"), mine=mine).participant["room"] is None
    assert "room" not in plan("c", present("a")).participant
