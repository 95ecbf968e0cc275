"""The browser tests forgive a dropped request (the functions emulator's "socket hang up") only for
calls the app repeats by itself: checked against the client's retry policies, so that a call whose
policy stops repeating stops being forgiven."""

from __future__ import annotations

import re
from pathlib import Path

from tests.browser.support import _REPEATED_CALLS, KNOWN_SERVER_ERRORS

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
