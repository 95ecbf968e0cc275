"""Property tests of avmeets.payloads: any JSON-like value parses or raises InvalidArgument.

Never another exception; a refusal names its field when it has one; and what parses is safe to
hand to Firestore (every string is encodable as UTF-8, ids are usable as document ids).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from avmeets import payloads
from avmeets.errors import InvalidArgument

PARSERS: dict[str, Callable[[Any], Any]] = {
    "create": payloads.parse_create,
    "join": payloads.parse_join,
    "leave": payloads.parse_leave,
    "heartbeat": payloads.parse_heartbeat,
    "report": payloads.parse_report,
    "archive": payloads.parse_archive,
    "knock": payloads.parse_knock,
    "host_action": payloads.parse_host_action,
}
KEYS = [
    "title", "password", "meetingId", "peer", "peerSession", "role", "status", "stats", "kind",
    "messages", "from", "to", "text", "at", "localCandidateType", "remoteCandidateType", "protocol",
    "relayProtocol", "relayed", "rttMs", "bytesSent", "bytesReceived", "packetsLost", "durationMs",
    "lobby", "displayName", "action", "uid", "what",
]  # fmt: skip
WORDS = [
    "abc-defg-hij", "ABC DEFG HIJ", "caller", "callee", "connected", "closed", "chat",
    "attendance", "host", "relay", "udp", "tcp", "tls", "", " ", ".", "..", "__x__", "\ud800",
    "a\x00b", "x" * 129, "y" * 4001, "admit", "remove", "lock", "end", "Ada", "a@b.co",
    "restrict", "allow", "present", "mic",
]  # fmt: skip

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: Python's json accepts them
    | st.text()
    | st.sampled_from(WORDS)
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=20,
)
# Objects built from the real keys reach the deeper checks more often than random ones.
objects = st.dictionaries(keys, values, max_size=7)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if hasattr(value, "__dataclass_fields__"):
        return [s for name in value.__dataclass_fields__ for s in _strings(getattr(value, name))]
    return []


def _parses_or_refuses(parser: Callable[[Any], Any], data: Any) -> None:
    try:
        parsed = parser(data)
    except InvalidArgument as error:
        assert error.message.strip()
        field = error.details.get("field")
        if field is not None:
            assert isinstance(field, str) and repr(field) in error.message  # quoted, escaped
        return
    for text in _strings(parsed):
        text.encode("utf-8")  # no lone surrogate reaches Firestore


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=500, deadline=None)
@given(data=st.one_of(values, objects))
def test_any_value_parses_or_is_invalid_argument(name: str, data: Any) -> None:
    _parses_or_refuses(PARSERS[name], data)


def _report(**changes: Any) -> dict[str, Any]:
    base = {
        "meetingId": "abc-defg-hij",
        "peer": "uid",
        "peerSession": "f" * 32,
        "role": "caller",
        "status": "connected",
    }
    return {**base, **changes}


@settings(max_examples=500, deadline=None)
@given(
    field=st.sampled_from(["peer", "peerSession"]),
    value=st.one_of(values, st.sampled_from([".", "..", "__a__", "a\ud800", "a\x00"])),
)
def test_report_ids_are_usable_document_ids(field: str, value: Any) -> None:
    try:
        parsed = payloads.parse_report(_report(**{field: value}))
    except InvalidArgument as error:
        assert error.details["field"] == field
        return
    ident = parsed.peer if field == "peer" else parsed.peer_session
    assert ident not in (".", "..") and not (ident.startswith("__") and ident.endswith("__"))
    assert "/" not in ident and 1 <= len(ident) <= payloads.MAX_ID
    ident.encode("utf-8")


@settings(max_examples=500, deadline=None)
@given(
    message=st.dictionaries(st.sampled_from(["from", "to", "text", "at", "x"]), values, max_size=4)
)
def test_chat_messages_are_strings_or_refused(message: dict[str, Any]) -> None:
    data = {"meetingId": "abc-defg-hij", "kind": "chat", "messages": [message]}
    try:
        parsed = payloads.parse_archive(data)
    except InvalidArgument:
        return
    (item,) = parsed.messages
    assert "from" not in item  # the server adds the author
    assert set(item) <= {"text", "at", "to"}
    if "to" in item:
        assert isinstance(item["to"], str) and item["to"] and payloads._usable_id(item["to"])
        item["to"].encode("utf-8")
    assert isinstance(item["text"], str) and item["text"]
    item["text"].encode("utf-8")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_report(peer=".."), "peer"),
        (_report(peer="."), "peer"),
        (_report(peer="__name__"), "peer"),
        (_report(peerSession="\ud800"), "peerSession"),
        (_report(peer="a\x00b"), "peer"),
    ],
)
def test_report_rejects_ids_firestore_cannot_store(data: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidArgument) as caught:
        payloads.parse_report(data)
    assert caught.value.details["field"] == field


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"from": "Ann", "text": "hi", "at": 1}, "from"),
        ({"text": "bad \ud800 half", "at": 1}, "text"),
        ({"text": "hi", "at": 1, "to": None}, "to"),
        ({"text": "hi", "at": 1, "to": "a\ud800"}, "to"),
    ],
)
def test_archive_rejects_a_sender_null_addressee_and_lone_surrogates(
    message: dict[str, Any], field: str
) -> None:
    data = {"meetingId": "abc-defg-hij", "kind": "chat", "messages": [message]}
    with pytest.raises(InvalidArgument) as caught:
        payloads.parse_archive(data)
    assert caught.value.details["field"] == field
