"""Every refusal of the payload parsers names its field and says, in words a client author can
act on, what the field must be (docs/protocol.md: bad input gets a clear, documented error).
The messages are part of the protocol's surface, so each is pinned here, with its boundary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from avmeets import payloads
from avmeets.errors import InvalidArgument
from avmeets.protocol import HOST_ACTIONS, PERSON_ACTIONS

MID = "abc-defg-hij"
REPORT = {"meetingId": MID, "peer": "u2", "peerSession": "s" * 32, "role": "caller",
          "status": "connected"}  # fmt: skip
ACTIONS = ", ".join(HOST_ACTIONS)
Parser = Callable[[Any], Any]

CASES: list[tuple[Parser, Any, str | None, str]] = [
    # the request itself
    (payloads.parse_create, [], None, "The request data must be an object."),
    (payloads.parse_create, {"titel": "x"}, "titel", "Unknown field: 'titel'."),
    (payloads.parse_create, {"b": 1, "a": 2}, "a", "Unknown field: 'a'."),  # first by name
    (payloads.parse_join, {}, "meetingId", "Missing field: 'meetingId'."),
    (payloads.parse_delete_me, {}, "confirm", "Missing field: 'confirm'."),
    (payloads.parse_delete_me, {"confirm": 1}, "confirm", "'confirm' must be true."),
    (payloads.parse_my_data, {"x": 1}, "x", "Unknown field: 'x'."),
    # text fields
    (payloads.parse_create, {"title": 7}, "title", "'title' must be a string."),
    (payloads.parse_create, {"title": "  "}, "title", "'title' must not be empty."),
    (payloads.parse_create, {"title": "t" * 101}, "title",
     "'title' must be at most 100 characters."),
    (payloads.parse_create, {"title": "a\x07b"}, "title",
     "'title' must not contain control characters."),
    (payloads.parse_create, {"password": ""}, "password", "'password' must not be empty."),
    (payloads.parse_create, {"password": "p" * 129}, "password",
     "'password' must be at most 128 characters."),
    (payloads.parse_create, {"lobby": "yes"}, "lobby", "'lobby' must be true or false."),
    # meeting ids
    (payloads.parse_leave, {"meetingId": 3}, "meetingId", "'meetingId' must be a string."),
    (payloads.parse_meeting_info, {"meetingId": "abc-defg-hi"}, "meetingId",
     "'meetingId' must look like abc-defg-hij (ten letters)."),
    (payloads.parse_heartbeat, {"meetingId": MID + "x" * 60}, "meetingId",
     "'meetingId' must look like abc-defg-hij (ten letters)."),
    # names
    (payloads.parse_knock, {"meetingId": MID, "displayName": 5}, "displayName",
     "'displayName' must be a string."),
    # host actions
    (payloads.parse_host_action, {"meetingId": MID, "action": "kick"}, "action",
     f"'action' must be one of {ACTIONS}."),
    (payloads.parse_host_action, {"meetingId": MID, "action": "lock", "uid": "u"}, "uid",
     "'uid' is not taken by the action 'lock'."),
    (payloads.parse_host_action, {"meetingId": MID, "action": PERSON_ACTIONS[0]}, "uid",
     "'uid' must be an id of 1 to 128 characters."),
    # reports
    (payloads.parse_report, {**REPORT, "peer": ""}, "peer",
     "'peer' must be an id of 1 to 128 characters."),
    (payloads.parse_report, {**REPORT, "peerSession": "p" * 129}, "peerSession",
     "'peerSession' must be an id of 1 to 128 characters."),
    (payloads.parse_report, {**REPORT, "role": "boss"}, "role",
     "'role' must be one of caller, callee."),
    (payloads.parse_report, {**REPORT, "stats": {"relayed": "no"}}, "relayed",
     "'relayed' must be true or false."),
    (payloads.parse_report, {**REPORT, "stats": {"protocol": "sctp"}}, "protocol",
     "'protocol' must be one of udp, tcp."),
    (payloads.parse_report, {**REPORT, "stats": {"relayProtocol": "quic"}}, "relayProtocol",
     "'relayProtocol' must be one of udp, tcp, tls."),
    (payloads.parse_report, {**REPORT, "stats": {"localCandidateType": "x"}}, "localCandidateType",
     "'localCandidateType' must be one of host, srflx, prflx, relay."),
    (payloads.parse_report, {**REPORT, "stats": {"rttMs": 600_000.5}}, "rttMs",
     "'rttMs' must be a number from 0 to 600000."),
    (payloads.parse_report, {**REPORT, "stats": {"bytesSent": 1.5}}, "bytesSent",
     "'bytesSent' must be an integer from 0 to 1e+15."),
    (payloads.parse_report, {**REPORT, "stats": {"bytesReceived": True}}, "bytesReceived",
     "'bytesReceived' must be an integer from 0 to 1e+15."),
    (payloads.parse_report, {**REPORT, "stats": {"packetsLost": -(10**12) - 1}}, "packetsLost",
     "'packetsLost' must be an integer from -1e+12 to 1e+12."),
    (payloads.parse_report, {**REPORT, "stats": {"durationMs": None, "bytesSent": None}},
     "bytesSent", "'bytesSent' must be an integer from 0 to 1e+15."),
    # archives
    (payloads.parse_archive, {"meetingId": MID, "kind": "attendance", "messages": []}, "messages",
     "'messages' is only for kind 'chat'."),
    (payloads.parse_archive, {"meetingId": MID, "kind": "chat", "messages": []}, "messages",
     "'messages' must be a list of 1 to 1000 messages."),
    (payloads.parse_archive, {"meetingId": MID, "kind": "chat", "messages": [{}] * 1001},
     "messages", "'messages' must be a list of 1 to 1000 messages."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"at": 1}]}, "text",
     "Missing field: 'text'."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"from": "A", "text": "t", "at": 1}]},
     "from", "Unknown field: 'from'."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "", "at": 1}]},
     "text", "'text' must be a string of 1 to 4000 characters."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "t" * 4001, "at": 1}]},
     "text", "'text' must be a string of 1 to 4000 characters."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "\ud800", "at": 1}]},
     "text", "'text' must be a string of 1 to 4000 characters."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "t", "at": -1}]},
     "at", "'at' must be an integer from 0 to 1e+14."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "t", "at": None}]},
     "at", "'at' must be an integer from 0 to 1e+14."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "t", "at": 1, "to": None}]},
     "to", "'to' must be an id of 1 to 128 characters."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "chat", "messages": [{"text": "t", "at": 1}],
      "engagement": {}},
     "engagement", "'engagement' is only for kind 'attendance'."),
    (payloads.parse_archive,
     {"meetingId": MID, "kind": "attendance",
      "engagement": {"visibleMs": 1, "focusedMs": 1, "cameraOnMs": 1, "micOnMs": 604_800_001}},
     "micOnMs", "'micOnMs' must be an integer from 0 to 6.048e+08."),
    (payloads.parse_upload_object,
     {"meetingId": MID, "kind": "file", "name": "n", "contentType": "png", "size": 1},
     "contentType", "'contentType' must be a media type such as image/png."),
    (payloads.parse_upload_object,
     {"meetingId": MID, "kind": "file", "name": " ", "contentType": "a/b", "size": 1},
     "name", "'name' must be a string of 1 to 200 printable characters."),
    (payloads.parse_org_admin, {"orgId": "acme", "action": "set"}, "changes",
     "Missing field: 'changes'."),
    (payloads.parse_org_admin, {"orgId": "acme", "action": "get", "changes": None}, "changes",
     "'changes' is only for action 'set'."),
    (payloads.parse_org_admin,
     {"orgId": "acme", "action": "set", "changes": {"domains": ["localhost"]}}, "domains",
     "Each of 'domains' must be a domain name such as example.com."),
]  # fmt: skip


@pytest.mark.parametrize(("parse", "data", "field", "message"), CASES)
def test_each_refusal_names_its_field_and_says_why(
    parse: Parser, data: Any, field: str | None, message: str
) -> None:
    with pytest.raises(InvalidArgument) as refused:
        parse(data)
    assert str(refused.value) == message
    assert refused.value.details.get("field") == field


def test_the_archive_size_limit_counts_utf8_bytes_of_every_message() -> None:
    one = {"text": "é" * 4000, "at": 1}  # 8,000 bytes
    fits = [one] * 100  # 800,000 bytes
    parsed = payloads.parse_archive({"meetingId": MID, "kind": "chat", "messages": fits})
    assert len(parsed.messages) == 100 and parsed.messages[0] == one
    with pytest.raises(InvalidArgument) as refused:
        payloads.parse_archive(
            {"meetingId": MID, "kind": "chat", "messages": [*fits, {"text": "t", "at": 1}]}
        )
    assert str(refused.value) == (
        "'messages' must hold at most 800,000 bytes of text (UTF-8) in all, not 800,001; "
        "archive them in parts."
    )


@pytest.mark.parametrize(
    ("value", "usable"),
    [("u1", True), ("a/b", False), (".", False), ("..", False), ("...", True),
     ("__x__", False), ("__x_", True), ("___", True), ("____", False), ("a\x00", False),
     ("a\ud800", False), ("u" * 128, True), ("u" * 129, False)],
)  # fmt: skip
def test_ids_are_firestore_document_ids(value: str, usable: bool) -> None:
    data = {**REPORT, "peer": value}
    if usable:
        assert payloads.parse_report(data).peer == value
    else:
        with pytest.raises(InvalidArgument):
            payloads.parse_report(data)


def test_what_a_valid_request_becomes() -> None:
    assert payloads.parse_create(None) == payloads.CreateMeeting(None, None, None)
    create = payloads.parse_create({"title": "  Weekly  ", "password": " p ", "lobby": False})
    assert create == payloads.CreateMeeting("Weekly", " p ", False)  # passwords are not trimmed
    join = payloads.parse_join({"meetingId": "ABC DEFG HIJ", "displayName": "  Ann  B "})
    assert join == payloads.JoinMeeting(MID, None, "Ann B")
    knock = payloads.parse_knock({"meetingId": MID, "password": "pw"})
    assert knock == payloads.Knock(MID, "pw", None)
    act = payloads.parse_host_action({"meetingId": MID, "action": PERSON_ACTIONS[0], "uid": "u"})
    assert act == payloads.HostAction(MID, PERSON_ACTIONS[0], "u")
    assert payloads.parse_host_action({"meetingId": MID, "action": "end"}).uid is None
    report = payloads.parse_report(
        {**REPORT, "stats": {"rttMs": None, "relayProtocol": None, "relayed": False}}
    )
    assert report.stats == {"rttMs": None, "relayProtocol": None, "relayed": False}
    assert report.path is None and report.role == "caller" and report.status == "connected"
    assert payloads.parse_report(REPORT).stats is None
    roll = payloads.parse_archive({"meetingId": MID, "kind": "attendance"})
    assert roll == payloads.Archive(MID, "attendance", [])
    payloads.parse_my_data(None)  # accepted: no exception
    payloads.parse_my_data({})
    payloads.parse_delete_me({"confirm": True})
