"""Parsing of connection reports, heartbeats and archive requests."""

from typing import Any

import pytest

from avmeets import payloads
from avmeets.errors import InvalidArgument

BASE = {
    "meetingId": "abc-defg-hij",
    "peer": "uid-b",
    "peerSession": "s" * 32,
    "role": "caller",
    "status": "connected",
}


def test_report_ok() -> None:
    stats = {"localCandidateType": "relay", "relayed": True, "rttMs": 0.5, "bytesSent": 1}
    r = payloads.parse_report({**BASE, "stats": stats})
    assert (r.role, r.status, r.stats) == ("caller", "connected", stats)
    assert payloads.parse_report(BASE).stats is None


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"status": "great"}, "status"),
        ({"role": "host"}, "role"),
        ({"peer": ""}, "peer"),
        ({"peer": "a/b"}, "peer"),
        ({"peerSession": 5}, "peerSession"),
        ({"stats": {"rttMs": -1}}, "rttMs"),
        ({"stats": {"bytesSent": 1.5}}, "bytesSent"),
        ({"stats": {"bytesSent": True}}, "bytesSent"),
        ({"stats": {"localCandidateType": "lan"}}, "localCandidateType"),
        ({"stats": {"relayed": "yes"}}, "relayed"),
        ({"stats": {"secret": 1}}, "secret"),
        ({"extra": 1}, "extra"),
    ],
)
def test_report_rejects(over: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidArgument) as err:
        payloads.parse_report({**BASE, **over})
    assert err.value.details["field"] == field


def test_archive() -> None:
    chat = {"meetingId": "abc-defg-hij", "kind": "chat"}
    msgs = [{"text": "hi", "at": 1_700_000_000_000}, {"text": "psst", "at": 1, "to": "u2"}]
    assert payloads.parse_archive({**chat, "messages": msgs}).messages == msgs
    roll = {"meetingId": "abc-defg-hij", "kind": "attendance"}
    assert payloads.parse_archive(roll).messages == []
    for bad in ({**chat}, {**chat, "messages": []}, {**chat, "kind": "files", "messages": msgs}):
        with pytest.raises(InvalidArgument):
            payloads.parse_archive(bad)
    with pytest.raises(InvalidArgument):
        payloads.parse_archive({**chat, "messages": [{"text": "", "at": 1}]})
    with pytest.raises(InvalidArgument):  # the author is the caller, never the request
        payloads.parse_archive({**chat, "messages": [{"from": "A", "text": "hi", "at": 1}]})
