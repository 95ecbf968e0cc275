"""docs/protocol.md against the one protocol source, functions/avmeets/protocol.py.

The tables (request fields, error reasons, the documents a client sees) are parsed and compared
with the protocol's TypedDicts, enums and limits; every error reason must be documented with its
code. ``doc_problems`` is also run on edited copies of the page, to show each check can fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import pytest

from avmeets import protocol
from avmeets.protocol import Limits

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
_CODE = re.compile(r"`([^`]+)`")
#: The en dash of the ranges in the doc ("1 to 100" is written with it).
DASH = "\u2013"

#: Client-visible documents: section heading -> TypedDict.
DOCUMENTS: dict[str, Any] = {
    "meetings/{meetingId}": protocol.MeetingDoc,
    "meetings/{meetingId}/participants/{uid}": protocol.ParticipantDoc,
    "meetings/{meetingId}/presence/{uid}": protocol.PresenceDoc,
    "meetings/{meetingId}/signals/{signalId}": protocol.SignalDoc,
    "meetings/{meetingId}/lobby/{uid}": protocol.LobbyDoc,
}
#: The status alias of each document's ``state``.
STATES: dict[Any, str] = {
    protocol.MeetingDoc: "MeetingState",
    protocol.ParticipantDoc: "ParticipantState",
    protocol.LobbyDoc: "LobbyState",
}


def sections(text: str) -> dict[str, str]:
    """The text under each ``### `name` `` heading (up to the next heading of level ≤ 3)."""
    out: dict[str, str] = {}
    name: str | None = None
    lines: list[str] = []
    for line in text.splitlines():
        if re.match(r"^#{1,3} ", line):
            if name is not None:
                out[name] = "\n".join(lines)
            found = _CODE.search(line) if line.startswith("### ") else None
            name = found.group(1) if found else None
            lines = []
        elif name is not None:
            lines.append(line)
    if name is not None:
        out[name] = "\n".join(lines)
    return out


def tables(text: str) -> Iterator[list[list[str]]]:
    """Each Markdown table of ``text`` as rows of cells (header first, separator dropped)."""
    rows: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", c) for c in cells):
                rows.append(cells)
        elif rows:
            yield rows
            rows = []


def table_with(text: str, header: str) -> list[list[str]] | None:
    return next((t for t in tables(text) if t[0][0] == header), None)


def names_in(cell: str) -> list[str]:
    return [n.strip('"') for n in _CODE.findall(cell)]


def quoted(text: str) -> set[str]:
    return set(re.findall(r'"([A-Za-z]+)"', text))


def doc_problems(text: str) -> list[str]:
    problems: list[str] = []
    parts = sections(text)

    for name, (request, result) in protocol.CALLABLES.items():
        section = parts.get(name)
        if section is None:
            problems.append(f"no section for the callable {name}")
            continue
        shape: Any = request
        keys, optional = set(shape.__annotations__), set(shape.__optional_keys__)
        table = table_with(section, "request field")
        if table is not None:
            rows = {names_in(r[0])[0]: r for r in table[1:]}
            if set(rows) != keys:
                problems.append(f"{name}: request fields {sorted(rows)} != {sorted(keys)}")
            for key in set(rows) & keys:
                if ("optional" in rows[key][1]) != (key in optional):
                    problems.append(f"{name}: {key} optional in the doc != in the protocol")
        else:
            missing = keys - quoted(section)
            if missing:
                problems.append(f"{name}: request keys not documented: {sorted(missing)}")
        missing = set(result.__annotations__) - quoted(section)
        if missing:
            problems.append(f"{name}: result keys not documented: {sorted(missing)}")

    problems += _request_rules(parts)
    problems += _join_result(parts.get("join_meeting", ""))
    problems += _reasons(text, parts)
    problems += _documents(parts)
    return problems


def _request_rules(parts: dict[str, str]) -> list[str]:
    problems = []
    create = table_with(parts.get("create_meeting", ""), "request field") or []
    rules = {names_in(r[0])[0]: r[2] for r in create[1:]}
    for key, limit in (("title", Limits.TITLE_MAX_CHARS), ("password", Limits.PASSWORD_MAX_CHARS)):
        if f"1{DASH}{limit} characters" not in rules.get(key, ""):
            problems.append(f"create_meeting: {key} is not documented as 1{DASH}{limit} characters")
    join = table_with(parts.get("join_meeting", ""), "request field") or []
    join_rules = {names_in(r[0])[0]: r[2] for r in join[1:]}
    if protocol.MEETING_ID_PATTERN not in names_in(join_rules.get("meetingId", "")):
        problems.append("join_meeting: meetingId pattern differs from MEETING_ID_PATTERN")
    report = table_with(parts.get("report_connection", ""), "request field") or []
    report_rules = {names_in(r[0])[0]: r[2] for r in report[1:]}
    for key, values in (("status", protocol.CONNECTION_STATUSES), ("role", protocol.ROLES)):
        documented = {n.strip('"') for n in names_in(report_rules.get(key, ""))}
        if documented != set(values):
            problems.append(f"report_connection: {key} values {sorted(documented)} != protocol")
    section = parts.get("report_connection", "")
    stats = section[section.find("`stats` (every key") :]
    for key in protocol.ConnectionStats.__annotations__:
        if f"`{key}`" not in stats:
            problems.append(f"report_connection: stats key {key} not documented")
    for value in protocol.CANDIDATE_TYPES:
        if f"`{value}`" not in stats:
            problems.append(f"report_connection: candidate type {value} not documented")
    for name in ("join_meeting", "knock"):
        table = table_with(parts.get(name, ""), "request field") or []
        rule = {names_in(r[0])[0]: r[2] for r in table[1:]}.get("displayName", "")
        if f"1{DASH}{Limits.DISPLAY_NAME_MAX_CHARS} characters" not in rule:
            problems.append(f"{name}: displayName is not documented as 1{DASH}64 characters")
    actions = table_with(parts.get("host_action", ""), "action") or []
    documented_actions = {names_in(r[0])[0] for r in actions[1:] if names_in(r[0])}
    if documented_actions != set(protocol.HOST_ACTIONS):
        problems.append(f"host_action: actions {sorted(documented_actions)} != protocol")
    for row in actions[1:]:
        takes_uid = "yes" in row[1]
        if names_in(row[0]) and takes_uid != (names_in(row[0])[0] in protocol.PERSON_ACTIONS):
            problems.append(f"host_action: {row[0]} takes uid in the doc != in the protocol")
    archive = parts.get("archive", "")
    for expected in (
        " | ".join(f'"{k}"' for k in protocol.ARCHIVE_KINDS),
        f"≤ {Limits.CHAT_TEXT_MAX_CHARS}",
        f"1{DASH}{Limits.CHAT_MESSAGES_MAX}",
    ):
        if expected not in archive:
            problems.append(f"archive: {expected!r} not in the section")
    return problems


def _join_result(section: str) -> list[str]:
    block = re.search(r"```json\n(.*?)```", section, re.S)
    if block is None:
        return ["join_meeting: no JSON example of the result"]
    keys = set(json.loads(block.group(1)))
    expected = set(protocol.JoinMeetingResult.__annotations__)
    return [] if keys == expected else [f"join_meeting: example keys {sorted(keys)} != protocol"]


def _reasons(text: str, parts: dict[str, str]) -> list[str]:
    problems = []
    documented: dict[str, str] = {}
    for table in tables(text):
        if table[0][:2] == ["code", "`details.reason`"]:
            for row in table[1:]:
                if names_in(row[1]):
                    documented[names_in(row[1])[0]] = names_in(row[0])[0]
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        for found in re.finditer(r'`details\.reason:? ?"([a-z-]+)"`', flat):
            before = [c for c in names_in(flat[: found.start()]) if re.fullmatch(r"[A-Z_]+", c)]
            documented[found.group(1)] = before[-1] if before else "?"
    known = {r.value for r in protocol.ErrorReason}
    for reason, code in documented.items():
        if reason not in known:
            problems.append(f"the doc names a reason the protocol does not have: {reason}")
        elif protocol.ERROR_CODES[protocol.ErrorReason(reason)] != code:
            problems.append(f"{reason} is documented with {code}, the protocol says otherwise")
    for reason in known - set(documented):
        problems.append(f"the reason {reason} is not documented with its code")
    return problems


def _documents(parts: dict[str, str]) -> list[str]:
    problems = []
    for heading, shape in DOCUMENTS.items():
        section = parts.get(heading)
        table = table_with(section or "", "field")
        if table is None:
            problems.append(f"no field table for {heading}")
            continue
        rows: dict[str, list[str]] = {}
        for row in table[1:]:
            for name in names_in(row[0]):
                rows[name] = row
        if set(rows) != set(shape.__annotations__):
            problems.append(f"{heading}: fields {sorted(rows)} != {sorted(shape.__annotations__)}")
        for key, alias in (
            ("state", STATES.get(shape, "")),
            ("type", "SignalType"),
            ("endCause", "ParticipantEndCause"),
            ("role", "ParticipantRole"),
        ):
            if key in rows and key in shape.__annotations__:
                values = set(get_args(getattr(protocol, alias)))
                if {n.strip('"') for n in names_in(" ".join(rows[key][1:]))} & values != values:
                    problems.append(f"{heading}: {key} does not list {sorted(values)}")
    signal = {
        names_in(r[0])[0]: " ".join(r[1:])
        for r in (
            table_with(parts.get("meetings/{meetingId}/signals/{signalId}", ""), "field") or [[]]
        )[1:]
    }
    for key, expected in (
        ("sdp", f"{Limits.SDP_MAX_CHARS:,}"),
        ("candidates", f"1{DASH}{Limits.CANDIDATES_PER_SIGNAL} entries"),
        ("candidates", f"string ≤ {Limits.CANDIDATE_MAX_CHARS}"),
        ("candidates", f"string ≤ {Limits.SDP_MID_MAX_CHARS} or null"),
        ("candidates", f"int 0{DASH}{Limits.SDP_M_LINE_INDEX_MAX}"),
    ):
        if expected not in signal.get(key, ""):
            problems.append(f"signals: {key} rule lacks {expected!r}")
    candidate_keys = set(protocol.SignalCandidate.__annotations__)
    if not candidate_keys <= quoted(signal.get("candidates", "")):
        problems.append("signals: the candidate entry's keys differ from SignalCandidate")
    return problems


# --- the tests -----------------------------------------------------------------------------------


def test_protocol_doc_matches_the_protocol_source() -> None:
    assert doc_problems(DOC.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            f"| `password` | string, optional | 1{DASH}128",
            f"| `pw` | string, optional | 1{DASH}128",
            "pw",
        ),
        (
            f"| `title` | string, optional | 1{DASH}100",
            f"| `title` | string | 1{DASH}100",
            "optional",
        ),
        (f"1{DASH}100 characters", f"1{DASH}101 characters", f"1{DASH}100"),
        ("at most 32,768 characters", "at most 32,769 characters", "32,768"),
        ("| `RESOURCE_EXHAUSTED` | `meeting-full`", "| `UNAVAILABLE` | `meeting-full`", "full"),
        ('"not-joined"', '"not-here"', "not-here"),
        ("| `leftAt` | ts or null |", "| `leftOn` | ts or null |", "leftOn"),
        ('"heartbeatSeconds": 300', '"heartbeat": 300', "example keys"),
        ("`new`, `connecting`, `connected`", "`new`, `connected`", "status values"),
        ("| `revoke-cohost` |", "| `demote` |", "host_action: actions"),
        ("| `lock` | no |", "| `lock` | yes |", "takes uid"),
        ('`"waiting"`, `"admitted"`', '`"waiting"`', "lobby"),
    ],
)
def test_each_check_can_fail(old: str, new: str, expected: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert old in text, old
    problems = doc_problems(text.replace(old, new, 1))
    assert any(expected in p for p in problems), problems
