"""Join decisions: capacity, idempotent re-join, and what the newcomer is told."""

from datetime import UTC, datetime
from typing import Any

import pytest

from avmeets import meeting_ids, meetings
from avmeets.errors import FailedPrecondition, NotFound, ResourceExhausted

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MEETING = {"state": "open", "maxParticipants": 3}


def caller(uid: str) -> meetings.Caller:
    return meetings.Caller(uid, uid.upper(), f"{uid}@example.com", "203.0.113.1", "UA")


def present(*uids: str) -> list[dict[str, Any]]:
    return [{"uid": u, "displayName": u, "session": f"s-{u}", "state": "joined"} for u in uids]


def plan(uid: str, joined: list[dict[str, Any]], mine: dict[str, Any] | None = None) -> Any:
    return meetings.plan_join("abc-defg-hij", MEETING, mine, joined, caller(uid), "new", NOW, NOW)


def test_newcomer_gets_the_others_sorted() -> None:
    p = plan("c", present("b", "a"))
    assert [o["uid"] for o in p.others] == ["a", "b"]
    assert p.participant["session"] == "new" and p.participant["state"] == "joined"
    assert p.join_record["ip"] == "203.0.113.1"
    assert p.replaced_session is None


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


def test_display_name_fallbacks() -> None:
    assert meetings.display_name(" Ada ", None, "u1") == "Ada"
    assert meetings.display_name(None, "ada@example.com", "u1") == "ada"
    assert meetings.display_name(None, None, "u123456789") == "Guest u12345"


def test_meeting_full_says_the_cap() -> None:
    with pytest.raises(ResourceExhausted) as full:
        plan("d", present("a", "b", "c"))
    assert full.value.details == {"reason": "meeting-full", "maxParticipants": 3}


def test_meeting_info_before_joining() -> None:
    open_meeting = {"state": "open", "maxParticipants": 3, "hasPassword": False, "title": "T"}
    assert meetings.meeting_info(open_meeting, 1, False) == {
        "exists": True,
        "state": "open",
        "hasPassword": False,
        "title": "T",
        "full": False,
        "relayOnly": False,
    }
    locked = {**open_meeting, "hasPassword": True}
    assert meetings.meeting_info(locked, 3, True)["title"] is None
    assert meetings.meeting_info(locked, 3, True)["full"] is True
    assert meetings.meeting_info({**open_meeting, "state": "ended"}, 3, False)["full"] is False
    assert meetings.meeting_info(None, 0, True) == {
        "exists": False,
        "state": None,
        "hasPassword": False,
        "title": None,
        "full": False,
        "relayOnly": True,
    }


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
