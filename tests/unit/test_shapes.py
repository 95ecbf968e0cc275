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
    "archive": payloads.parse_archive,
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
MESSAGE: dict[str, Any] = {"from": "Ann", "text": "hi", "at": 1}
MESSAGE_CHANGES: list[tuple[dict[str, Any], str | None]] = [
    ({"from": X * 100}, None),
    ({"from": " " + X * 100 + " "}, None),
    ({"from": X * 101}, "from"),
    ({"from": None}, "from"),
    ({"from": " "}, "from"),
    ({"from": "A\x00"}, "from"),
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
        None,  # 199 x (3 + 4,000) bytes = 796,597: from and text count, in UTF-8
    ),
    (
        "archive",
        {"meetingId": MID, "kind": "chat", "messages": [{**MESSAGE, "text": "é" * 2000}] * 200},
        "messages",
    ),
]


@pytest.mark.parametrize(("name", "data", "field"), ROWS)
def test_documented_boundaries(name: str, data: Any, field: str | None) -> None:
    assert shapes.validate(name, data) == field, "the oracle"
    assert parser(name, data) == field, "the parser"


def test_the_archive_size_boundary_is_exact() -> None:
    """800,000 bytes of `from` and `text` pass, one more does not."""
    text = "t" * 3997  # 3 bytes of "Ann" + 3,997 = 4,000 a message
    chat = [{**MESSAGE, "text": text}] * 200
    assert shapes.validate("archive", {"meetingId": MID, "kind": "chat", "messages": chat}) is None
    chat = [*chat[:-1], {**MESSAGE, "text": text + "é"}]  # 2 bytes more, 1 character more
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
    ],
    "archive": [
        {"meetingId": MID, "kind": "chat", "messages": [MESSAGE, {**MESSAGE, "from": " Bo "}]},
        {"meetingId": MID, "kind": "attendance"},
    ],
    "my_data": [{}],
    "delete_me": [{"confirm": True}],
}
KEYS = sorted({"extra", "from", "text", "at", "local", "remote", "address", "candidateType"}
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

    @settings(max_examples=150, deadline=None, database=None)
    @given(payload=payloads_of(name))
    def collect(payload: Any) -> None:
        seen.add(shapes.validate(name, payload))

    collect()
    assert None in seen, seen
    assert len(seen - {None, ""}) >= min(2, len(shapes.REQUESTS[name].keys) + 1), seen
