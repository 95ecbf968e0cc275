"""The docs-derived request oracle (tests/emulator/support/shapes.py) against the server's parser.

The emulator property test (tests/emulator/test_callable_properties.py) grades the callables by
`shapes.validate`, which is written from docs/protocol.md alone. Here it meets
`avmeets.payloads` on many generated payloads, where a disagreement is cheap to see: each one is
either a gap in the docs or a bug in the parser. The hand-written rows hold both to the exact
boundaries the docs give (lengths, control characters, unknown keys, wrong types, the order of
the checks).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avmeets import payloads
from avmeets.errors import InvalidArgument
from tests.emulator.support import shapes

PARSERS: dict[str, Callable[[Any], Any]] = {
    "create_meeting": payloads.parse_create,
    "meeting_info": payloads.parse_meeting_info,
    "join_meeting": payloads.parse_join,
    "leave_meeting": payloads.parse_leave,
    "heartbeat": payloads.parse_heartbeat,
    "report_connection": payloads.parse_report,
    "knock": payloads.parse_knock,
    "host_action": payloads.parse_host_action,
    "rename": payloads.parse_rename,
    "archive": payloads.parse_archive,
    "upload_object": payloads.parse_upload_object,
    "org_admin": payloads.parse_org_admin,
    "my_data": payloads.parse_my_data,
    "delete_me": payloads.parse_delete_me,
}


def parser(name: str, data: Any) -> str | None:
    """What the server's parser names ("" for no field), None when it accepts."""
    try:
        PARSERS[name](data)
    except InvalidArgument as error:
        return str(error.details.get("field", ""))
    return None


def test_every_callable_has_an_oracle() -> None:
    assert set(shapes.REQUESTS) == set(PARSERS)


def test_the_oracle_does_not_use_the_server_code() -> None:
    """Nothing of functions/avmeets in the oracle: it must not be the parser in disguise."""
    source = Path(shapes.__file__).read_text()
    imported: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0] if node.level == 0 else ".")
    stdlib = {"__future__", "collections", "dataclasses", "ipaddress", "re", "typing"}
    assert imported <= stdlib | {"unicodedata"}, imported


# ------------------------------------------------------------------------------ hand-written

MID = "abc-defg-hij"
X = "x"
PATH = {
    "local": {"address": "192.0.2.1", "candidateType": "srflx"},
    "remote": {"address": "", "candidateType": "prflx"},
}
REPORT = {"meetingId": MID, "peer": "p", "peerSession": "s", "role": "caller", "status": "new"}
MESSAGE: dict[str, Any] = {"text": "hi", "at": 1}
MESSAGE_CHANGES: list[tuple[dict[str, Any], str | None]] = [
    ({"from": "Ann"}, "from"),  # the server adds the author: the caller
    ({"to": "u" * 128}, None),
    ({"to": "u" * 129}, "to"),
    ({"to": None}, "to"),
    ({"to": ""}, "to"),
    ({"to": "a/b"}, "to"),
    ({"to": "__x__"}, "to"),
    ({"to": "a\x00"}, "to"),
    ({"to": 5, "at": -1}, "at"),
    ({"text": X * 4000}, None),
    ({"text": X * 4001}, "text"),
    ({"text": ""}, "text"),
    ({"text": "line\nline\x00"}, None),  # control characters are chat text
    ({"text": "\udc00"}, "text"),
    ({"at": 0}, None),
    ({"at": 10**14}, None),
    ({"at": 10**14 + 1}, "at"),
    ({"at": -1}, "at"),
    ({"at": 1.0}, "at"),
    ({"at": None}, "at"),
    ({"sent": 1}, "sent"),
    ({"text": 5, "at": "x"}, "text"),
    ({"sent": 1, "to": 5}, "sent"),
]
ENGAGEMENT: dict[str, Any] = {"visibleMs": 1, "focusedMs": 0, "cameraOnMs": 2, "micOnMs": 3}
ATTENDANCE: dict[str, Any] = {"meetingId": MID, "kind": "attendance"}
UPLOAD: dict[str, Any] = {
    "meetingId": MID,
    "kind": "file",
    "name": "notes.pdf",
    "contentType": "application/pdf",
    "size": 1,
}
ORG = "acme"
SET: dict[str, Any] = {"orgId": ORG, "action": "set"}
#: `rooms-open`'s choose and minutes, and the field refused (None: accepted).
ROOM_SETTINGS: list[tuple[dict[str, Any], str | None]] = [
    ({"choose": True, "minutes": 240}, None),
    ({"choose": None, "minutes": None}, None),
    ({"choose": 1}, "choose"),
    ({"minutes": 0}, "minutes"),
    ({"minutes": 241}, "minutes"),
    ({"minutes": 1.5}, "minutes"),
    ({"minutes": True}, "minutes"),
]
ROWS: list[tuple[str, Any, str | None]] = [
    # the data itself
    ("create_meeting", None, None),
    ("create_meeting", {}, None),
    ("create_meeting", [], ""),
    ("create_meeting", "title", ""),
    ("join_meeting", None, "meetingId"),
    ("my_data", None, None),
    ("my_data", {"x": 1}, "x"),
    ("delete_me", {}, "confirm"),
    ("delete_me", {"confirm": True}, None),
    ("delete_me", {"confirm": 1}, "confirm"),
    ("delete_me", {"confirm": "true"}, "confirm"),
    ("delete_me", {"confirm": True, "also": 1}, "also"),
    # unknown keys first (code-point order), then missing ones, then the table's order
    ("create_meeting", {"title": 5, "zz": 1, "Zz": 1}, "Zz"),
    ("report_connection", {"status": "bad", "role": "bad"}, "meetingId"),
    ("report_connection", {**REPORT, "role": "bad", "status": "bad"}, "role"),
    ("report_connection", {**REPORT, "meetingId": "x", "peer": ""}, "meetingId"),
    ("host_action", {"meetingId": "bad", "action": "bad", "uid": "/"}, "action"),
    ("host_action", {"meetingId": "bad", "action": "remove", "uid": "/"}, "uid"),
    ("host_action", {"meetingId": "bad", "action": "remove", "uid": "u"}, "meetingId"),
    ("archive", {"meetingId": "bad", "kind": "chat"}, "messages"),
    ("archive", {"meetingId": "bad", "kind": "attendance"}, "meetingId"),
    # create_meeting: title 1-100 after trimming, password 1-128, lobby a boolean
    ("create_meeting", {"title": X * 100}, None),
    ("create_meeting", {"title": X * 101}, "title"),
    ("create_meeting", {"title": "  " + X * 100 + "\n"}, None),
    ("create_meeting", {"title": "   "}, "title"),
    ("create_meeting", {"title": ""}, "title"),
    ("create_meeting", {"title": None}, None),
    ("create_meeting", {"title": "a\x00b"}, "title"),
    ("create_meeting", {"title": "a\nb"}, "title"),
    ("create_meeting", {"title": "a\x7fb"}, "title"),
    ("create_meeting", {"title": "a\ud800"}, "title"),
    ("create_meeting", {"title": "a\u202eb"}, None),  # a format character, not a control one
    ("create_meeting", {"title": 5}, "title"),
    ("create_meeting", {"password": X * 128}, None),
    ("create_meeting", {"password": X * 129}, "password"),
    ("create_meeting", {"password": " "}, None),  # not trimmed
    ("create_meeting", {"password": ""}, "password"),
    ("create_meeting", {"password": "a\tb"}, "password"),
    ("create_meeting", {"lobby": False}, None),
    ("create_meeting", {"lobby": 0}, "lobby"),
    ("create_meeting", {"lobby": "true"}, "lobby"),
    # meeting ids
    ("meeting_info", {"meetingId": "ABC DEFG HIJ"}, None),
    ("meeting_info", {"meetingId": " a.b.c.d.e.f.g.h.i.j "}, None),
    ("meeting_info", {"meetingId": "abc-defg-hi"}, "meetingId"),
    ("meeting_info", {"meetingId": "abc-defg-hijk"}, "meetingId"),
    ("meeting_info", {"meetingId": "abc-dèfg-hij"}, "meetingId"),  # nine letters a-z
    ("meeting_info", {"meetingId": "abc-defg-hij\x00"}, None),
    ("meeting_info", {"meetingId": "-" * 54 + "abcdefghij"}, None),  # 64 characters
    ("meeting_info", {"meetingId": "-" * 55 + "abcdefghij"}, "meetingId"),  # j is the 65th
    ("meeting_info", {"meetingId": "abcdefghij" + "x" * 100}, "meetingId"),
    ("meeting_info", {"meetingId": "abcdefghi\u212a"}, None),  # Kelvin sign lower-cases to k
    ("meeting_info", {"meetingId": 1234567890}, "meetingId"),
    ("meeting_info", {"meetingId": None}, "meetingId"),
    ("meeting_info", {}, "meetingId"),
    ("heartbeat", {"meetingId": MID, "session": "s"}, "session"),
    # display names: 1-64 after collapsing white space; no control or format characters
    ("join_meeting", {"meetingId": MID, "displayName": "  Ann \t\n Lee "}, None),
    ("join_meeting", {"meetingId": MID, "displayName": "a " * 32 + "b"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "a " * 31 + "bc"}, None),  # 64
    ("join_meeting", {"meetingId": MID, "displayName": X * 65}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": " \t "}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "Ann\u202e"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "A\x00nn"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "ann@example.com"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "ann @ example . com"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "ann@example"}, None),
    ("join_meeting", {"meetingId": MID, "displayName": "Ann (555) 010-0002"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "555/01.00"}, "displayName"),
    ("join_meeting", {"meetingId": MID, "displayName": "Room 101 at 12:30"}, None),
    ("join_meeting", {"meetingId": MID, "displayName": "Ann 123456"}, None),
    ("knock", {"meetingId": MID, "displayName": "Ann 1234567"}, "displayName"),
    ("knock", {"meetingId": MID, "displayName": None, "password": None}, None),
    ("knock", {"meetingId": MID, "password": X * 129, "displayName": 5}, "password"),
    # report_connection: ids of 1-128 characters usable as document ids
    ("report_connection", {**REPORT, "peer": X * 128}, None),
    ("report_connection", {**REPORT, "peer": X * 129}, "peer"),
    ("report_connection", {**REPORT, "peer": ""}, "peer"),
    ("report_connection", {**REPORT, "peer": "a/b"}, "peer"),
    ("report_connection", {**REPORT, "peerSession": ".."}, "peerSession"),
    ("report_connection", {**REPORT, "peerSession": "__x__"}, "peerSession"),
    ("report_connection", {**REPORT, "peerSession": "___"}, None),
    ("report_connection", {**REPORT, "peerSession": "a\x00"}, "peerSession"),
    ("report_connection", {**REPORT, "role": "CALLER"}, "role"),
    ("report_connection", {**REPORT, "status": "closed "}, "status"),
    ("report_connection", {**REPORT, "stats": None, "path": None}, None),
    ("report_connection", {**REPORT, "stats": 5}, "stats"),
    ("report_connection", {**REPORT, "stats": []}, "stats"),
    ("report_connection", {**REPORT, "stats": {"ip": "1.2.3.4"}}, "ip"),
    ("report_connection", {**REPORT, "stats": {"relayProtocol": None, "rttMs": None}}, None),
    ("report_connection", {**REPORT, "stats": {"relayed": None}}, "relayed"),
    ("report_connection", {**REPORT, "stats": {"protocol": None}}, "protocol"),
    ("report_connection", {**REPORT, "stats": {"protocol": "tls"}}, "protocol"),
    ("report_connection", {**REPORT, "stats": {"relayProtocol": "tls"}}, None),
    ("report_connection", {**REPORT, "stats": {"rttMs": 600000.0}}, None),
    ("report_connection", {**REPORT, "stats": {"rttMs": 600000.5}}, "rttMs"),
    ("report_connection", {**REPORT, "stats": {"rttMs": True}}, "rttMs"),
    ("report_connection", {**REPORT, "stats": {"bytesSent": 10**15}}, None),
    ("report_connection", {**REPORT, "stats": {"bytesSent": 10**15 + 1}}, "bytesSent"),
    ("report_connection", {**REPORT, "stats": {"bytesSent": 1.0}}, "bytesSent"),
    ("report_connection", {**REPORT, "stats": {"packetsLost": -(10**12)}}, None),
    ("report_connection", {**REPORT, "stats": {"packetsLost": -(10**12) - 1}}, "packetsLost"),
    ("report_connection", {**REPORT, "stats": {"durationMs": 10**10 + 1}}, "durationMs"),
    (
        "report_connection",
        {**REPORT, "stats": {"durationMs": -1, "localCandidateType": "x"}},
        "localCandidateType",
    ),
    ("report_connection", {**REPORT, "path": PATH}, None),
    ("report_connection", {**REPORT, "path": {"local": PATH["local"]}}, "path"),
    ("report_connection", {**REPORT, "path": {**PATH, "local": None}}, "path.local"),
    (
        "report_connection",
        {**REPORT, "path": {**PATH, "local": {"address": "::1", "candidateType": "x"}}},
        "path.local.candidateType",
    ),
    *(
        (
            "report_connection",
            {**REPORT, "path": {**PATH, "remote": {"address": address, "candidateType": kind}}},
            field,
        )
        for address, kind, field in [
            ("12345678-9abc-def0-1234-56789ABCDEF0.local", "host", None),
            ("12345678-9abc-def0-1234-56789abcdef0.local", "srflx", "path.remote.address"),
            ("host.local", "host", "path.remote.address"),
            (" 2001:db8::1 ", "relay", None),
            ("fe80::1%eth0", "host", "path.remote.address"),
            ("0.0.0.0", "host", "path.remote.address"),
            ("::", "host", "path.remote.address"),
            ("::ffff:0.0.0.0", "host", "path.remote.address"),
            ("224.0.0.1", "srflx", "path.remote.address"),
            ("ff02::1", "host", "path.remote.address"),
            ("255.255.255.255", "host", "path.remote.address"),
            ("10.0.0.255", "host", None),
            ("01.2.3.4", "host", "path.remote.address"),
            ("1" * 65, "host", "path.remote.address"),
            (5, "host", "path.remote.address"),
        ]
    ),
    # host_action: uid with the actions about one person only
    ("host_action", {"meetingId": MID, "action": "lock"}, None),
    ("host_action", {"meetingId": MID, "action": "lock", "uid": None}, "uid"),
    ("host_action", {"meetingId": MID, "action": "admit"}, "uid"),
    ("host_action", {"meetingId": MID, "action": "admit", "uid": None}, "uid"),
    ("host_action", {"meetingId": MID, "action": "make-cohost", "uid": "u" * 128}, None),
    ("host_action", {"meetingId": MID, "action": "Lock"}, "action"),
    # breakout rooms: rooms (and assign) with rooms-open only, room with move only
    ("host_action", {"meetingId": MID, "action": "rooms-open"}, "rooms"),
    ("host_action", {"meetingId": MID, "action": "rooms-open", "rooms": ["A", " a "]}, "rooms"),
    ("host_action", {"meetingId": MID, "action": "rooms-open", "rooms": ["A"] * 0}, "rooms"),
    ("host_action", {"meetingId": MID, "action": "rooms-open", "rooms": ["A\nB"]}, "rooms"),
    (
        "host_action",
        {"meetingId": MID, "action": "rooms-open", "rooms": ["A"], "assign": None},
        None,
    ),
    (
        "host_action",
        {"meetingId": MID, "action": "rooms-open", "rooms": ["A"], "assign": {"u": 2}},
        "assign",
    ),
    ("host_action", {"meetingId": MID, "action": "rooms-open", "rooms": ["A"], "room": 1}, "room"),
    ("host_action", {"meetingId": MID, "action": "lock", "rooms": ["A"]}, "rooms"),
    ("host_action", {"meetingId": MID, "action": "lock", "assign": None}, "assign"),
    ("host_action", {"meetingId": MID, "action": "move", "uid": "u"}, "room"),
    ("host_action", {"meetingId": MID, "action": "move", "uid": "u", "room": 21}, "room"),
    ("host_action", {"meetingId": MID, "action": "move", "uid": "u", "room": True}, "room"),
    ("host_action", {"meetingId": MID, "action": "move", "uid": "u", "room": 20}, None),
    ("host_action", {"meetingId": MID, "action": "rooms-close", "room": None}, "room"),
    # ...choose and minutes with rooms-open only: a bool; 1 to 240 minutes (null: none)
    *(
        ("host_action", {"meetingId": MID, "action": "rooms-open", "rooms": ["A"], **more}, field)
        for more, field in ROOM_SETTINGS
    ),
    (
        "host_action",
        {"meetingId": MID, "action": "move", "uid": "u", "room": 0, "choose": True},
        "choose",
    ),
    # ...and minutes with rooms-close too (a countdown)
    ("host_action", {"meetingId": MID, "action": "rooms-close", "minutes": None}, None),
    ("host_action", {"meetingId": MID, "action": "rooms-close", "minutes": 1}, None),
    ("host_action", {"meetingId": MID, "action": "rooms-close", "minutes": 0}, "minutes"),
    ("host_action", {"meetingId": MID, "action": "lock", "minutes": 1}, "minutes"),
    # archive: messages for chat only; from <= 100 trimmed, text 1-4000, at epoch ms
    ("archive", {"meetingId": MID, "kind": "attendance"}, None),
    ("archive", {"meetingId": MID, "kind": "attendance", "messages": None}, "messages"),
    ("archive", {"meetingId": MID, "kind": "chat", "messages": []}, "messages"),
    ("archive", {"meetingId": MID, "kind": "chat", "messages": [MESSAGE] * 1000}, None),
    ("archive", {"meetingId": MID, "kind": "chat", "messages": [MESSAGE] * 1001}, "messages"),
    ("archive", {"meetingId": MID, "kind": "chat", "messages": [MESSAGE, 5]}, "messages"),
    ("archive", {"meetingId": MID, "kind": "chat", "messages": [None]}, "messages"),
    *(
        ("archive", {"meetingId": MID, "kind": "chat", "messages": [{**MESSAGE, **change}]}, field)
        for change, field in MESSAGE_CHANGES
    ),
    ("archive", {"meetingId": MID, "kind": "chat", "messages": [{"text": "t"}]}, "at"),
    (
        "archive",
        {"meetingId": MID, "kind": "chat", "messages": [{**MESSAGE, "text": "é" * 2000}] * 199},
        None,  # 199 x 4,000 bytes = 796,000: the text counts, in UTF-8
    ),
    (
        "archive",
        {"meetingId": MID, "kind": "chat", "messages": [{**MESSAGE, "text": "é" * 2000}] * 201},
        "messages",
    ),
    # archive: engagement with attendance only, four ints 0-604,800,000, null refused
    ("archive", {**ATTENDANCE, "engagement": ENGAGEMENT}, None),
    ("archive", {**ATTENDANCE, "engagement": None}, "engagement"),
    ("archive", {**ATTENDANCE, "engagement": []}, "engagement"),
    ("archive", {**ATTENDANCE, "engagement": {}}, "cameraOnMs"),
    ("archive", {**ATTENDANCE, "engagement": {**ENGAGEMENT, "typingMs": 1}}, "typingMs"),
    ("archive", {**ATTENDANCE, "engagement": {**ENGAGEMENT, "visibleMs": 604_800_000}}, None),
    ("archive", {**ATTENDANCE, "engagement": {**ENGAGEMENT, "micOnMs": 604_800_001}}, "micOnMs"),
    ("archive", {**ATTENDANCE, "engagement": {**ENGAGEMENT, "focusedMs": -1}}, "focusedMs"),
    ("archive", {**ATTENDANCE, "engagement": {**ENGAGEMENT, "focusedMs": 1.0}}, "focusedMs"),
    ("archive", {**ATTENDANCE, "engagement": {**ENGAGEMENT, "focusedMs": None}}, "focusedMs"),
    (
        "archive",
        {**ATTENDANCE, "engagement": {**ENGAGEMENT, "visibleMs": True, "micOnMs": -1}},
        "visibleMs",
    ),
    (
        "archive",
        {"meetingId": MID, "kind": "chat", "messages": [MESSAGE], "engagement": ENGAGEMENT},
        "engagement",
    ),
    ("archive", {"meetingId": "bad", "kind": "chat", "engagement": 1}, "messages"),
    ("archive", {**ATTENDANCE, "meetingId": "bad", "engagement": {}}, "cameraOnMs"),
    # upload_object: kind, name 1-200, contentType 1-100 with a slash, size 1-2 GiB, meetingId
    ("upload_object", UPLOAD, None),
    ("upload_object", {}, "contentType"),
    ("upload_object", {**UPLOAD, "path": "x"}, "path"),
    ("upload_object", {**UPLOAD, "kind": "files"}, "kind"),
    ("upload_object", {**UPLOAD, "kind": "recording"}, None),
    ("upload_object", {**UPLOAD, "kind": "whiteboard"}, None),
    ("upload_object", {**UPLOAD, "name": X * 200}, None),
    ("upload_object", {**UPLOAD, "name": X * 199 + " "}, None),
    ("upload_object", {**UPLOAD, "name": X * 200 + " "}, "name"),  # white space counts
    ("upload_object", {**UPLOAD, "name": " "}, "name"),
    ("upload_object", {**UPLOAD, "name": ""}, "name"),
    ("upload_object", {**UPLOAD, "name": "a\nb"}, "name"),
    ("upload_object", {**UPLOAD, "name": "a\ud800"}, "name"),
    ("upload_object", {**UPLOAD, "name": "../../etc/passwd"}, None),  # only a label
    ("upload_object", {**UPLOAD, "name": None}, "name"),
    ("upload_object", {**UPLOAD, "contentType": " Image/PNG "}, None),
    ("upload_object", {**UPLOAD, "contentType": "image png"}, "contentType"),
    ("upload_object", {**UPLOAD, "contentType": "image/ png"}, "contentType"),
    ("upload_object", {**UPLOAD, "contentType": "png"}, "contentType"),
    ("upload_object", {**UPLOAD, "contentType": "a/" + X * 98}, None),
    ("upload_object", {**UPLOAD, "contentType": "a/" + X * 99}, "contentType"),
    ("upload_object", {**UPLOAD, "contentType": "a/b\x00"}, "contentType"),
    ("upload_object", {**UPLOAD, "size": 2 * 1024**3}, None),
    ("upload_object", {**UPLOAD, "size": 2 * 1024**3 + 1}, "size"),
    ("upload_object", {**UPLOAD, "size": 0}, "size"),
    ("upload_object", {**UPLOAD, "size": 1.0}, "size"),
    ("upload_object", {**UPLOAD, "size": True}, "size"),
    ("upload_object", {**UPLOAD, "meetingId": "bad", "size": 0}, "size"),
    ("upload_object", {**UPLOAD, "meetingId": "bad"}, "meetingId"),
    ("upload_object", {**UPLOAD, "kind": None, "name": ""}, "kind"),
    # org_admin: action, then changes (set only), then orgId
    ("org_admin", {"orgId": ORG, "action": "get"}, None),
    ("org_admin", {"orgId": ORG, "action": "export"}, None),
    ("org_admin", {"orgId": ORG, "action": "delete"}, "action"),
    ("org_admin", {"action": "get"}, "orgId"),
    ("org_admin", {"orgId": ORG, "action": "get", "changes": None}, "changes"),
    ("org_admin", {"orgId": ORG, "action": "export", "changes": {"name": "A"}}, "changes"),
    ("org_admin", SET, "changes"),
    ("org_admin", {**SET, "changes": None}, "changes"),
    ("org_admin", {**SET, "changes": {}}, "changes"),
    ("org_admin", {**SET, "changes": []}, "changes"),
    ("org_admin", {**SET, "orgId": "a/b", "changes": {"name": "A"}}, "orgId"),
    ("org_admin", {**SET, "orgId": "a/b", "changes": {"name": ""}}, "name"),
    ("org_admin", {**SET, "orgId": "o" * 129}, "changes"),
    ("org_admin", {"orgId": "o" * 129, "action": "get"}, "orgId"),
    ("org_admin", {"orgId": "__x__", "action": "get"}, "orgId"),
    ("org_admin", {**SET, "changes": {"verifiedDomains": ["a.com"]}}, "verifiedDomains"),
    ("org_admin", {**SET, "changes": {"name": X * 100}}, None),
    ("org_admin", {**SET, "changes": {"name": X * 101}}, "name"),
    ("org_admin", {**SET, "changes": {"name": None}}, "name"),
    ("org_admin", {**SET, "changes": {"name": "A\tB"}}, "name"),
    ("org_admin", {**SET, "changes": {"domains": []}}, None),
    ("org_admin", {**SET, "changes": {"domains": [" Example.COM ", "example.com"]}}, None),
    ("org_admin", {**SET, "changes": {"domains": ["a-b.c-d.example"]}}, None),
    ("org_admin", {**SET, "changes": {"domains": ["example"]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": ["a..com"]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": ["-.com"]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": ["a_b.com"]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": ["bücher.de"]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": [X * 63 + ".com"]}}, None),
    ("org_admin", {**SET, "changes": {"domains": [X * 64 + ".com"]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": [".".join([X * 63] * 4)]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": [".".join([X * 63] * 3 + [X * 61])]}}, None),
    ("org_admin", {**SET, "changes": {"domains": [5]}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": "example.com"}}, "domains"),
    ("org_admin", {**SET, "changes": {"domains": [f"d{i}.com" for i in range(50)]}}, None),
    ("org_admin", {**SET, "changes": {"domains": [f"d{i}.com" for i in range(51)]}}, "domains"),
    ("org_admin", {**SET, "changes": {"allowedProviders": []}}, None),
    ("org_admin", {**SET, "changes": {"allowedProviders": ["phone", "phone"]}}, None),
    ("org_admin", {**SET, "changes": {"allowedProviders": ["anonymous"]}}, "allowedProviders"),
    ("org_admin", {**SET, "changes": {"allowedProviders": None}}, "allowedProviders"),
    ("org_admin", {**SET, "changes": {"retentionDays": 365}}, None),
    ("org_admin", {**SET, "changes": {"retentionDays": 366}}, "retentionDays"),
    ("org_admin", {**SET, "changes": {"retentionDays": 0}}, "retentionDays"),
    ("org_admin", {**SET, "changes": {"retentionDays": 7.0}}, "retentionDays"),
    ("org_admin", {**SET, "changes": {"storage": {"chat": True}}}, None),
    ("org_admin", {**SET, "changes": {"storage": {}}}, "storage"),
    ("org_admin", {**SET, "changes": {"storage": None}}, "storage"),
    ("org_admin", {**SET, "changes": {"storage": {"chat": 1}}}, "chat"),
    ("org_admin", {**SET, "changes": {"storage": {"chat": None}}}, "chat"),
    ("org_admin", {**SET, "changes": {"storage": {"email": True}}}, "email"),
    ("org_admin", {**SET, "changes": {"storage": {"files": 1, "chat": 1}}}, "files"),
    (
        "org_admin",
        {**SET, "changes": {"storage": {"chat": 1}, "retentionDays": 0, "name": ""}},
        "name",
    ),
    (
        "org_admin",
        {**SET, "changes": {"storage": {"chat": 1}, "retentionDays": 0}},
        "retentionDays",
    ),
]


ROWS += [
    ("rename", {"meetingId": MID}, "displayName"),
    ("rename", {"meetingId": MID, "displayName": None}, "displayName"),
    ("rename", {"meetingId": MID, "displayName": "ann@example.com"}, "displayName"),
    ("rename", {"meetingId": "nope", "displayName": "x" * 65}, "meetingId"),
    ("rename", {"meetingId": MID, "displayName": "Ann", "uid": "u1"}, "uid"),
]


@pytest.mark.parametrize(("name", "data", "field"), ROWS)
def test_documented_boundaries(name: str, data: Any, field: str | None) -> None:
    assert shapes.validate(name, data) == field, "the oracle"
    assert parser(name, data) == field, "the parser"


def test_the_archive_size_boundary_is_exact() -> None:
    """800,000 bytes of `text` pass, one more does not."""
    text = "t" * 4000
    chat = [{**MESSAGE, "text": text}] * 200
    assert shapes.validate("archive", {"meetingId": MID, "kind": "chat", "messages": chat}) is None
    chat = [*chat[:-1], {**MESSAGE, "text": text[:-1] + "é"}]  # 1 byte more, as many characters
    assert shapes.validate("archive", {"meetingId": MID, "kind": "chat", "messages": chat}) == (
        "messages"
    )
    assert parser("archive", {"meetingId": MID, "kind": "chat", "messages": chat}) == "messages"


# ------------------------------------------------------------------------------- generated

VALID: dict[str, list[dict[str, Any]]] = {
    "create_meeting": [{}, {"title": "Weekly", "password": "secret", "lobby": True}],
    "meeting_info": [{"meetingId": MID}],
    "join_meeting": [{"meetingId": "ABC DEFG HIJ", "password": "pw", "displayName": "Ann"}],
    "leave_meeting": [{"meetingId": MID}],
    "heartbeat": [{"meetingId": MID}],
    "report_connection": [
        {
            **REPORT,
            "stats": {
                "localCandidateType": "relay",
                "relayProtocol": None,
                "rttMs": 1.5,
                "bytesSent": 1,
                "packetsLost": -3,
            },
            "path": PATH,
        },
    ],
    "knock": [{"meetingId": MID, "displayName": "Ann", "password": "pw"}],
    "host_action": [
        {"meetingId": MID, "action": "remove", "uid": "u1"},
        {"meetingId": MID, "action": "lock"},
        {"meetingId": MID, "action": "rooms-open", "rooms": [" Red ", "Blue"], "assign": {"u1": 2}},
        {"meetingId": MID, "action": "rooms-open", "rooms": ["Red"], "choose": True, "minutes": 15},
        {"meetingId": MID, "action": "move", "uid": "u1", "room": 0},
    ],
    "rename": [
        {"meetingId": MID, "displayName": "Ann"},
        {"meetingId": MID, "displayName": " A  B "},
    ],
    "archive": [
        {"meetingId": MID, "kind": "chat", "messages": [MESSAGE, {**MESSAGE, "to": "u2"}]},
        {"meetingId": MID, "kind": "attendance"},
        {"meetingId": MID, "kind": "attendance", "engagement": ENGAGEMENT},
    ],
    "upload_object": [UPLOAD, {**UPLOAD, "kind": "whiteboard", "contentType": "image/png"}],
    "org_admin": [
        {"orgId": ORG, "action": "get"},
        {"orgId": ORG, "action": "export"},
        {
            **SET,
            "changes": {
                "name": "Acme",
                "domains": ["acme.example"],
                "allowedProviders": ["google.com"],
                "retentionDays": 3,
                "storage": {"chat": True, "files": False},
            },
        },
    ],
    "my_data": [{}],
    "delete_me": [{"confirm": True}],
}
KEYS = sorted({"extra", "from", "to", "text", "at", "local", "remote", "address", "candidateType"}
              | set(shapes.ENGAGEMENT_KEYS) | set(shapes.CHANGE_KEYS) | set(shapes.OPT_INS)
              | {key for request in shapes.REQUESTS.values() for key in request.keys}
              | set(shapes.STAT_KEYS))  # fmt: skip
WORDS: list[Any] = [
    None, True, False, 0, 1, -1, 1.5, 1.0, 2**70, float("inf"), 600_000, 600_000.5, 10**10 + 1,
    10**14, 10**14 + 1, 10**15 + 1, -(10**12) - 1, "", " ", "  Ann  ", "x" * 64, "x" * 65,
    "x" * 100, "x" * 101, "x" * 128, "x" * 129, "x" * 4001, "a\x00b", "a\tb", "a\nb", "\x7f",
    "\ud800", "a\u202eb", "\u200d", "ann@example.com", "ann @ example . com", "+1 555 010 0002",
    "555/010/0002", "caller", "callee", "connected", "closed", "host", "srflx", "prflx", "relay",
    "udp", "tcp", "tls", "chat", "attendance", "admit", "deny", "remove", "make-cohost", "lock",
    "end", "lobby-off", "abc-defg-hij", "ABCDEFGHIJ", "abc-defg-hi", "abcdefghi\u212a",
    "1.2.3.4", " 1.2.3.4", "0.0.0.0", "::", "::ffff:224.0.0.1", "255.255.255.255",
    "fe80::1%eth0", "2001:db8::1", "12345678-1234-1234-1234-123456789abc.local", "__x__", ".",
    "..", "a/b", [], [1], {}, MESSAGE, PATH, PATH["local"], {"address": "", "candidateType": "x"},
    "file", "recording", "whiteboard", "get", "set", "export", "image/png", "image png",
    "acme.example", "Example.COM", "a..b", "google.com", "phone", "password", 365, 366,
    604_800_000, 604_800_001, 2 * 1024**3, 2 * 1024**3 + 1, ENGAGEMENT, {"chat": True},
    {"storage": {"files": True}}, {"domains": ["acme.example"]}, ["phone"], ["acme.example"],
    "rooms-open", "move", "rooms-close", 20, 21, ["Red", "red"], ["Red", "Blue"], ["a\u00a0b"],
    ["x" * 41], {"u1": 1}, {"u1": 3}, {"u1": True}, 240, 241,
]  # fmt: skip
scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.sampled_from(WORDS)
)  # fmt: skip
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3),
    max_leaves=5,
)  # fmt: skip
DROP = object()


def _containers(value: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths of every object and list inside `value` (itself included)."""
    found: list[tuple[Any, ...]] = []
    if isinstance(value, dict):
        found.append(where)
        for key, item in value.items():
            found += _containers(item, (*where, key))
    elif isinstance(value, list):
        found.append(where)
        for index, item in enumerate(value[:3]):
            found += _containers(item, (*where, index))
    return found


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@st.composite
def payloads_of(draw: st.DrawFn, name: str) -> Any:
    """A valid request with one to three changes anywhere inside it (a key dropped or added, a
    value replaced), or sometimes any JSON value at all."""
    if draw(st.integers(0, 19)) == 0:
        return draw(json_values)
    data = _copy(draw(st.sampled_from(VALID[name])))
    for _ in range(draw(st.integers(1, 3))):
        spots = _containers(data)
        if not spots:
            break
        where = draw(st.sampled_from(spots))
        parent = data
        for step in where:
            parent = parent[step]
        value = draw(st.one_of(st.sampled_from(WORDS), json_values, st.just(DROP)))
        if isinstance(parent, dict):
            key = draw(st.sampled_from(sorted(parent)) | st.sampled_from(KEYS) if parent
                       else st.sampled_from(KEYS))  # fmt: skip
            if value is DROP:
                parent.pop(key, None)
            else:
                parent[key] = _copy(value)
        elif parent:
            index = draw(st.integers(0, len(parent) - 1))
            if value is DROP:
                del parent[index]
            else:
                parent[index] = _copy(value)
    return data


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_oracle_and_the_parser_agree(name: str, data: st.DataObject) -> None:
    payload = data.draw(payloads_of(name), label="payload")
    assert shapes.validate(name, payload) == parser(name, payload), payload


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_the_generated_payloads_reach_both_answers(name: str) -> None:
    """The generator is not all refusals: valid payloads and several named fields come out."""
    seen: set[str | None] = set()

    # too_slow suppressed as in the test above: how fast examples come is not the claim (a full
    # unit run failed this once for heartbeat, its message not kept; 5 full runs and 260 runs
    # of it alone did not repeat it, and heartbeat's payloads are valid 9 % of the time)
    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(payload=payloads_of(name))
    def collect(payload: Any) -> None:
        seen.add(shapes.validate(name, payload))

    collect()
    assert None in seen, seen
    assert len(seen - {None, ""}) >= min(2, len(shapes.REQUESTS[name].keys) + 1), seen
