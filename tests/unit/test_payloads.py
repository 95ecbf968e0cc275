"""Callable payload parsing: exact keys, types and sizes, or INVALID_ARGUMENT naming the field."""

from typing import Any

import pytest

from avmeets import payloads
from avmeets.errors import InvalidArgument


def test_create_accepts_empty_and_trims_title() -> None:
    assert payloads.parse_create(None) == payloads.CreateMeeting(None, None)
    assert payloads.parse_create({"title": "  Sync  ", "password": " p "}) == (
        payloads.CreateMeeting("Sync", " p ")
    )
    assert payloads.parse_create({"lobby": False}).lobby is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": 5}, "title"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"title": "a\x00b"}, "title"),
        ({"password": ""}, "password"),
        ({"password": "p" * 129}, "password"),
        ({"password": ["p"]}, "password"),
        ({"admin": True}, "admin"),
        ({"lobby": "yes"}, "lobby"),
        ({"lobby": 1}, "lobby"),
    ],
)
def test_create_rejects(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        payloads.parse_create(data)
    assert err.value.details["field"] == field
    assert field in err.value.message


@pytest.mark.parametrize("data", ["text", 3, [1], True])
def test_non_objects_rejected(data: Any) -> None:
    with pytest.raises(InvalidArgument, match="object"):
        payloads.parse_join(data)


def test_join_normalises_typed_ids() -> None:
    assert payloads.parse_join({"meetingId": "ABC DEFG HIJ"}).meeting_id == "abc-defg-hij"
    assert payloads.parse_join({"meetingId": "abcdefghij"}).meeting_id == "abc-defg-hij"


def test_join_takes_offers() -> None:
    sdp = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\n"
    assert payloads.parse_join({"meetingId": "abc-defg-hij"}).offers == ()
    join = payloads.parse_join({"meetingId": "abc-defg-hij", "offers": [sdp, sdp]})
    assert join.offers == (sdp, sdp)
    assert payloads.parse_join({"meetingId": "abc-defg-hij", "offers": ["x" * 32768]}).offers


@pytest.mark.parametrize(
    "offers",
    [
        "v=0",
        {"sdp": "v=0"},
        [""],
        [7],
        [None],
        ["x" * 32769],
        ["v=0"] * 16,
        [{"type": "offer", "sdp": "v=0"}],
    ],
)
def test_join_rejects_bad_offers(offers: Any) -> None:
    with pytest.raises(InvalidArgument) as err:
        payloads.parse_join({"meetingId": "abc-defg-hij", "offers": offers})
    assert err.value.details["field"] == "offers"


@pytest.mark.parametrize(
    "data",
    [{}, {"meetingId": 7}, {"meetingId": "abc"}, {"meetingId": "abc-defg-hi1"}, {"meetingId": ""}],
)
def test_join_rejects_bad_ids(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgument) as err:
        payloads.parse_join(data)
    assert err.value.details["field"] == "meetingId"


def test_leave_requires_exactly_the_id() -> None:
    assert payloads.parse_leave({"meetingId": "abc-defg-hij"}).meeting_id == "abc-defg-hij"
    with pytest.raises(InvalidArgument):
        payloads.parse_leave({"meetingId": "abc-defg-hij", "extra": 1})


def test_join_and_knock_take_a_display_name() -> None:
    joined = payloads.parse_join({"meetingId": "abc-defg-hij", "displayName": "  Ada  L "})
    assert joined.display_name == "Ada L"
    knock = payloads.parse_knock({"meetingId": "abc-defg-hij", "password": "p"})
    assert knock == payloads.Knock("abc-defg-hij", "p", None)


@pytest.mark.parametrize("name", [7, "", "  ", "x" * 65, "a@b.co", "+1 555 010 0002", "a\x00"])
@pytest.mark.parametrize("parse", [payloads.parse_join, payloads.parse_knock])
def test_display_names_are_checked(name: Any, parse: Any) -> None:
    with pytest.raises(InvalidArgument) as err:
        parse({"meetingId": "abc-defg-hij", "displayName": name})
    assert err.value.details["field"] == "displayName"


def test_host_actions_take_a_uid_or_a_what_exactly_when_they_are_about_one() -> None:
    got = payloads.parse_host_action({"meetingId": "abc-defg-hij", "action": "remove", "uid": "u"})
    assert got == payloads.HostAction("abc-defg-hij", "remove", "u")
    assert payloads.parse_host_action({"meetingId": "abc-defg-hij", "action": "lock"}).uid is None
    restrict = {"meetingId": "abc-defg-hij", "action": "restrict", "what": "present"}
    assert payloads.parse_host_action(restrict) == payloads.HostAction(
        "abc-defg-hij", "restrict", None, "present"
    )
    for data, field in (
        ({"action": "remove"}, "uid"),
        ({"action": "admit", "uid": ""}, "uid"),
        ({"action": "lock", "uid": "u"}, "uid"),
        ({"action": "kick", "uid": "u"}, "action"),
        ({"action": "end", "extra": 1}, "extra"),
        ({"action": "restrict"}, "what"),
        ({"action": "allow", "what": "dance"}, "what"),
        ({"action": "restrict", "what": None}, "what"),
        ({"action": "lock", "what": "chat"}, "what"),
        ({"action": "remove", "uid": "u", "what": "mic"}, "what"),
        ({"action": "restrict", "what": "mic", "uid": "u"}, "uid"),
        ({"action": "permit", "what": "mic"}, "uid"),
        ({"action": "unpermit", "uid": "u"}, "what"),
    ):
        with pytest.raises(InvalidArgument) as err:
            payloads.parse_host_action({"meetingId": "abc-defg-hij", **data})
        assert err.value.details["field"] == field
