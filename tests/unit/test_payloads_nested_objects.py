"""A nested object of the wrong type is refused naming its field (docs/protocol.md, section 2:
"How request data is checked"), not with the nameless answer meant for data that is not an
object at all: `stats` of report_connection, each of archive's `messages` (null included: a
message is not an empty object missing its `at`), archive's `engagement`, org_admin's `changes`
and its `storage`."""

from __future__ import annotations

from typing import Any

import pytest

from avmeets import payloads
from avmeets.errors import InvalidArgument

REPORT = {"meetingId": "abc-defg-hij", "peer": "p", "peerSession": "s", "role": "caller",
          "status": "connected"}  # fmt: skip
MESSAGE = {"text": "hi", "at": 1, "to": "u2"}


@pytest.mark.parametrize("stats", [5, "udp", [], [{"rttMs": 1}], True])
def test_stats_not_an_object_names_stats(stats: Any) -> None:
    with pytest.raises(InvalidArgument) as refused:
        payloads.parse_report({**REPORT, "stats": stats})
    assert refused.value.details.get("field") == "stats"
    assert "'stats'" in str(refused.value)


@pytest.mark.parametrize("item", [None, 5, "hi", [], [MESSAGE]])
def test_a_message_not_an_object_names_messages(item: Any) -> None:
    data = {"meetingId": "abc-defg-hij", "kind": "chat", "messages": [MESSAGE, item]}
    with pytest.raises(InvalidArgument) as refused:
        payloads.parse_archive(data)
    assert refused.value.details.get("field") == "messages"
    assert "'messages'" in str(refused.value)


def test_the_objects_themselves_still_parse() -> None:
    assert payloads.parse_report({**REPORT, "stats": {"rttMs": 1}}).stats == {"rttMs": 1}
    archive = payloads.parse_archive({"meetingId": "abc-defg-hij", "kind": "chat",
                                      "messages": [MESSAGE]})  # fmt: skip
    assert archive.messages == [MESSAGE]
    engagement = {"visibleMs": 1, "focusedMs": 2, "cameraOnMs": 3, "micOnMs": 4}
    attendance = payloads.parse_archive({"meetingId": "abc-defg-hij", "kind": "attendance",
                                         "engagement": engagement})  # fmt: skip
    assert attendance.engagement == engagement
    admin = payloads.parse_org_admin({"orgId": "acme", "action": "set",
                                      "changes": {"storage": {"chat": True}}})  # fmt: skip
    assert admin.changes == {"storage": {"chat": True}}


@pytest.mark.parametrize("value", [None, 5, "x", [], [{"visibleMs": 1}], True])
def test_engagement_not_an_object_names_engagement(value: Any) -> None:
    data = {"meetingId": "abc-defg-hij", "kind": "attendance", "engagement": value}
    with pytest.raises(InvalidArgument) as refused:
        payloads.parse_archive(data)
    assert refused.value.details.get("field") == "engagement"
    assert "'engagement'" in str(refused.value)


@pytest.mark.parametrize("key", ["changes", "storage"])
@pytest.mark.parametrize("value", [None, 5, "x", [], [{"chat": True}], True, {}])
def test_changes_and_storage_not_objects_name_themselves(key: str, value: Any) -> None:
    changes = value if key == "changes" else {"storage": value}
    with pytest.raises(InvalidArgument) as refused:
        payloads.parse_org_admin({"orgId": "acme", "action": "set", "changes": changes})
    assert refused.value.details.get("field") == key
    assert f"'{key}'" in str(refused.value)
