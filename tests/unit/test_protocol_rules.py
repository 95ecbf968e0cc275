"""firestore.rules' signal shape against the one protocol source (functions/avmeets/protocol.py).

The rules cannot import anything, so their key lists, types and size limits are read back from
the file and compared with ``protocol.SignalDoc``, ``SignalCandidate``, ``SIGNAL_TYPES`` and
``Limits``. ``rules_problems`` also runs on edited copies, to show each check can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from avmeets import protocol
from avmeets.protocol import Limits

RULES = Path(__file__).resolve().parents[2] / "firestore.rules"


def function_body(text: str, name: str) -> str:
    """The text of ``function name(...) { ... }`` up to its closing brace at line start."""
    found = re.search(rf"function {name}\(.*?\)\s*\{{(.*?)\n    \}}", text, re.S)
    return found.group(1) if found else ""


def key_lists(body: str, method: str) -> list[set[str]]:
    return [
        set(re.findall(r"'([^']+)'", keys))
        for keys in re.findall(rf"keys\(\)\.{method}\(\[(.*?)\]\)", body, re.S)
    ]


def numbers(pattern: str, body: str) -> set[int]:
    return {int(n) for n in re.findall(pattern, body)}


def rules_problems(text: str) -> list[str]:
    problems: list[str] = []
    signal = function_body(text, "validSignal")
    candidate = function_body(text, "validCandidate")
    candidates = function_body(text, "validCandidates")
    if not (signal and candidate and candidates):
        return ["validSignal, validCandidate or validCandidates not found"]

    required = set(protocol.SignalDoc.__required_keys__)
    if key_lists(signal, "hasAll") != [required]:
        problems.append(f"validSignal hasAll {key_lists(signal, 'hasAll')} != {sorted(required)}")
    expected = {frozenset(required | {k}) for k in protocol.SIGNAL_PAYLOAD_KEY.values()}
    found = {frozenset(keys) for keys in key_lists(signal, "hasOnly")}
    if found != expected:
        problems.append(f"validSignal hasOnly lists {found} != {expected}")
    types = set(re.findall(r"data\.type == '([a-z]+)'", signal))
    if types != set(protocol.SIGNAL_TYPES):
        problems.append(f"signal types {sorted(types)} != {protocol.SIGNAL_TYPES}")
    for kind, key in protocol.SIGNAL_PAYLOAD_KEY.items():
        near = re.search(rf"data\.type == '{kind}'.*?hasOnly\(\[(.*?)\]\)", signal, re.S)
        if near is None or f"'{key}'" not in near.group(1):
            problems.append(f"a {kind} signal does not carry {key} in the rules")

    if numbers(r"isShortString\(data\.sdp, (\d+)\)", signal) != {Limits.SDP_MAX_CHARS}:
        problems.append("sdp size limit differs from Limits.SDP_MAX_CHARS")
    sessions = numbers(r"isShortString\(data\.(?:session|toSession), (\d+)\)", signal)
    if sessions != {Limits.SESSION_MAX_CHARS}:
        problems.append(f"session limits {sessions} != Limits.SESSION_MAX_CHARS")

    if key_lists(candidate, "hasOnly") != [set(protocol.SignalCandidate.__annotations__)]:
        problems.append("validCandidate's keys differ from SignalCandidate")
    if numbers(r"c\.candidate\.size\(\) <= (\d+)", candidate) != {Limits.CANDIDATE_MAX_CHARS}:
        problems.append("candidate size limit differs from Limits.CANDIDATE_MAX_CHARS")
    if numbers(r"c\.sdpMid\.size\(\) <= (\d+)", candidate) != {Limits.SDP_MID_MAX_CHARS}:
        problems.append("sdpMid size limit differs from Limits.SDP_MID_MAX_CHARS")
    if numbers(r"c\.sdpMLineIndex <= (\d+)", candidate) != {Limits.SDP_M_LINE_INDEX_MAX}:
        problems.append("sdpMLineIndex limit differs from Limits.SDP_M_LINE_INDEX_MAX")

    host = function_body(text, "isHost")
    roles = re.search(r"in \[(.*?)\]", host, re.S)
    found_roles = set(re.findall(r"'([^']+)'", roles.group(1))) if roles else set()
    if found_roles != set(protocol.HOST_ROLES):
        problems.append(f"isHost roles {sorted(found_roles)} != {protocol.HOST_ROLES}")

    most = Limits.CANDIDATES_PER_SIGNAL
    if numbers(r"list\.size\(\) <= (\d+)", candidates) != {most}:
        problems.append("candidates per signal differ from Limits.CANDIDATES_PER_SIGNAL")
    positions = numbers(r"validCandidate\(list\[(\d+)\]\)", candidates)
    if positions != set(range(most)):
        problems.append(f"validCandidates checks positions {sorted(positions)}, not 0..{most - 1}")
    return problems


def test_rules_match_the_protocol_source() -> None:
    assert rules_problems(RULES.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("isShortString(data.sdp, 32768)", "isShortString(data.sdp, 40000)", "sdp size"),
        ("c.candidate.size() <= 1024", "c.candidate.size() <= 2048", "candidate size"),
        ("'createdAt', 'sdp']", "'createdAt', 'sdp', 'extra']", "hasOnly"),
        ("hasAll(['from', 'session',", "hasAll(['from',", "hasAll"),
        ("(list.size() < 8 || validCandidate(list[7]))", "true", "positions"),
        ("list.size() <= 8", "list.size() <= 9", "candidates per signal"),
        ("data.type == 'answer'", "data.type == 'pranswer'", "signal types"),
        ("isShortString(data.toSession, 64)", "isShortString(data.toSession, 65)", "session"),
        ("['candidate', 'sdpMid', 'sdpMLineIndex']", "['candidate', 'sdpMid']", "validCandidate"),
        ("in ['host', 'cohost']", "in ['host', 'cohost', 'participant']", "isHost roles"),
    ],
)
def test_each_check_can_fail(old: str, new: str, expected: str) -> None:
    text = RULES.read_text(encoding="utf-8")
    assert old in text, old
    problems = rules_problems(text.replace(old, new, 1))
    assert any(expected in p for p in problems), problems
