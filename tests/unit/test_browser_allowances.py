"""The browser tests forgive a dropped request (the functions emulator's "socket hang up") only for
calls the app repeats by itself: checked against the client's retry policies, so that a call whose
policy stops repeating stops being forgiven."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.support import _REPEATED_CALLS, BENIGN_CONSOLE, KNOWN_SERVER_ERRORS

POLICIES = Path(__file__).parents[2] / "web" / "src" / "core" / "api" / "policies.ts"


def _policy_lines() -> dict[str, str]:
    text = POLICIES.read_text()
    body = text[text.index("export const POLICIES") :]
    body = body[: body.index("\n};")]
    lines: dict[str, str] = {}
    for match in re.finditer(r"^  (\w+): (.*?)(?=^  (?://|\w+:)|\Z)", body, re.M | re.S):
        lines[match.group(1)] = match.group(2)
    return lines


def test_every_forgiven_call_is_repeated_on_a_failed_fetch() -> None:
    policies = _policy_lines()
    forgiven = _REPEATED_CALLS.split("|")
    assert set(forgiven) <= set(policies), "a forgiven call the client does not have"
    for name in forgiven:
        if name == "heartbeat":
            continue  # not repeated: the next beat, heartbeatSeconds later, is the repeat
        policy = policies[name]
        assert "NO_RETRY" not in policy, name
        repeated = "TRANSIENT" in policy or '"internal"' in policy
        assert repeated, f"{name} is not repeated on a failed fetch"


def test_a_dropped_create_still_fails_the_test() -> None:
    dropped = (
        "Access to fetch at 'http://127.0.0.1:5001/demo-avmeets/us-central1/create_meeting' from "
        "origin 'http://127.0.0.1:5000' has been blocked by CORS policy: No 'Access-Control-Allow-"
        "Origin' header is present on the requested resource. (http://127.0.0.1:5000/m/x)"
    )
    assert not any(p.search(dropped) for p in KNOWN_SERVER_ERRORS)
    info = dropped.replace("create_meeting", "meeting_info")
    assert any(p.search(info) for p in KNOWN_SERVER_ERRORS)


def test_an_http_500_fails_every_browser_test() -> None:
    for call in ("report_connection", "heartbeat", "meeting_info", "join_meeting"):
        line = (
            "Failed to load resource: the server responded with a status of 500 (Internal Server "
            f"Error) (http://127.0.0.1:5001/demo-avmeets/us-central1/{call})"
        )
        assert not any(p.search(line) for p in KNOWN_SERVER_ERRORS), call


WRITE_CHANNEL = (
    "Failed to load resource: the server responded with a status of 400 (Bad Request) "
    "(http://127.0.0.1:8080/google.firestore.v1.Firestore/Write/channel?VER=8&database=projects"
    "%2Fdemo-avmeets%2Fdatabases%2F(default)&SID=vmqnkCmIOYBd4ECwZmpz0g%3D%3D&RID=41948"
    "&TYPE=terminate&zx=la47ibv9jcw5)"
)


def test_only_the_terminate_of_a_closed_write_stream_is_forgiven() -> None:
    assert any(p.search(WRITE_CHANNEL) for p in BENIGN_CONSOLE)
    # The same 400 on the stream's data requests, on a listen, or another status still fails.
    others = (
        WRITE_CHANNEL.replace("TYPE=terminate", "TYPE=xmlhttp"),
        WRITE_CHANNEL.replace("Write/channel", "Listen/channel"),
        WRITE_CHANNEL.replace("400 (Bad Request)", "500 (Internal Server Error)"),
    )
    for line in others:
        assert not any(p.search(line) for p in (*BENIGN_CONSOLE, *KNOWN_SERVER_ERRORS)), line
