"""A nested object of the wrong type is refused naming its field (docs/protocol.md, section 2:
"How request data is checked"), not with the nameless answer meant for data that is not an
object at all: `stats` of report_connection, each of archive's `messages` (null included: a
message is not an empty object missing its `at`)."""

from __future__ import annotations

from typing import Any

import pytest

from avmeets import payloads
from avmeets.errors import InvalidArgument

REPORT = {"meetingId": "abc-defg-hij", "peer": "p", "peerSession": "s", "role": "caller",
          "status": "connected"}  # fmt: skip
MESSAGE = {"from": "Ann", "text": "hi", "at": 1}


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
