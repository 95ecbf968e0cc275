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
