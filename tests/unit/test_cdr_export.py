"""The pure parts of the CDR export: the operator's times, matching a user, JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from avmeets import cdr_export

T0 = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2026-05-01", False, datetime(2026, 5, 1, tzinfo=UTC)),
        ("2026-05-01", True, datetime(2026, 5, 2, tzinfo=UTC)),
        ("2026-05-01T09:30", False, T0),
        ("2026-05-01T09:30", True, T0),  # a date-time is taken as given
        ("2026-05-01 09:30:00", False, T0),
        ("2026-05-01T09:30:00Z", False, T0),
        ("2026-05-01T09:30:00z", False, T0),
        ("2026-05-01T11:30:00+02:00", False, T0),
        ("2026-05-01T09:30:00.250000+00:00", False, T0 + timedelta(milliseconds=250)),
        ("  2026-05-01T09:30Z ", False, T0),
    ],
)
def test_parse_time(text: str, end: bool, expected: datetime) -> None:
    value = cdr_export.parse_time(text, end=end)
    assert value == expected
    assert value.tzinfo == UTC


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2026-02-30", "2026-13-01", "01/05/2026", "12:00"]
)
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        cdr_export.parse_time(text)


def test_export_query_needs_exactly_one_subject_and_an_ordered_range() -> None:
    with pytest.raises(ValueError):
        cdr_export.ExportQuery()
    with pytest.raises(ValueError):
        cdr_export.ExportQuery(meeting_id="abc-defg-hij", user="a@b.c")
    with pytest.raises(ValueError):
        cdr_export.ExportQuery(user="u", since=T0, until=T0)
    assert cdr_export.ExportQuery(user="u", since=T0, until=T0 + timedelta(seconds=1)).user == "u"


def test_email_variants() -> None:
    assert cdr_export.email_variants(" Alice@Example.COM ") == [
        "Alice@Example.COM",
        "Alice@example.com",
        "alice@example.com",
    ]
    assert cdr_export.email_variants("bob@example.com") == ["bob@example.com"]


def side(uid: str, email: str | None) -> dict[str, Any]:
    return {"uid": uid, "email": email}


def test_leg_matches_user_by_email_any_case_or_by_uid() -> None:
    leg = {
        "uids": ["u1", "u2"],
        "caller": side("u1", "Alice@Example.com"),
        "callee": side("u2", None),
    }
    assert cdr_export.leg_matches_user(leg, "alice@example.com", [])
    assert cdr_export.leg_matches_user(leg, "nobody@example.com", ["u2"])
    assert not cdr_export.leg_matches_user(leg, "nobody@example.com", ["u3"])
    assert cdr_export.leg_matches_user({"uids": ["u3"]}, "x@y.z", ["u3"])
    assert not cdr_export.leg_matches_user({"caller": "junk"}, "x@y.z", [])


def test_sort_legs_by_start_then_id_missing_start_last() -> None:
    legs: list[dict[str, Any]] = [
        {"id": "c", "startedAt": T0},
        {"id": "z"},
        {"id": "b", "startedAt": T0},
        {"id": "a", "startedAt": T0 + timedelta(seconds=1)},
        {"id": "d", "startedAt": datetime(2026, 5, 1, 9)},  # naive: UTC
    ]
    assert [leg["id"] for leg in cdr_export.sort_legs(legs)] == ["d", "b", "c", "a", "z"]


def test_iso_and_jsonable() -> None:
    assert cdr_export.iso(T0) == "2026-05-01T09:30:00Z"
    assert cdr_export.iso(T0.astimezone(timezone(timedelta(hours=2)))) == "2026-05-01T09:30:00Z"
    assert cdr_export.iso(T0 + timedelta(microseconds=5)) == "2026-05-01T09:30:00.000005Z"

    class Ref:
        path = "meetings/abc"

    value = {"b": [T0, None, 1.5], "a": {"y": True, "x": b"\x00\x01"}, "r": Ref()}
    assert cdr_export.jsonable(value) == {
        "a": {"x": "AAE=", "y": True},
        "b": ["2026-05-01T09:30:00Z", None, 1.5],
        "r": "meetings/abc",
    }


def full_leg() -> dict[str, Any]:
    def party(uid: str, email: str, **stats: Any) -> dict[str, Any]:
        return {
            "uid": uid,
            "session": f"s-{uid}",
            "name": uid.upper(),
            "email": email,
            "phone": None,
            "provider": "google.com",
            "ip": "203.0.113.5",
            "ipInfo": {
                "kind": "public",
                "known": True,
                "countryCode": "FR",
                "countryName": "France",
                "city": "Paris",
                "asn": 12322,
                "asOrg": "Free SAS",
            },
            "userAgent": "UA, with comma",
            "status": "closed",
            "timeline": [{"status": "connected", "at": T0}],
            "stats": stats,
        }

    connect = {
        "localCandidateType": "host",
        "remoteCandidateType": "srflx",
        "relayed": False,
        "rttMs": 10,
        "bytesSent": 1,
        "bytesReceived": 2,
        "protocol": "udp",
    }
    end = {**connect, "localCandidateType": "relay", "relayed": True, "bytesSent": 100}
    return {
        "id": "m_s1_s2",
        "meetingId": "abc-defg-hij",
        "seq": 2,
        "uids": ["u1", "u2"],
        "state": "ended",
        "startedAt": T0,
        "answeredAt": T0 + timedelta(seconds=3),
        "endedAt": None,
        "durationMs": None,
        "connectedMs": None,
        "disposition": "ANSWERED",
        "endCause": None,
        "iceRestarts": 1,
        "caller": party("u1", "a@example.com", connect=connect, end=end),
        "callee": party("u2", "b@example.com", connect=connect),
    }


def test_to_json_keeps_every_field_with_iso_timestamps() -> None:
    legs = json.loads(cdr_export.to_json([full_leg()]))
    assert len(legs) == 1
    leg = legs[0]
    assert next(iter(leg)) == "id"
    assert leg["id"] == "m_s1_s2"
    assert leg["startedAt"] == "2026-05-01T09:30:00Z"
    assert leg["endedAt"] is None
    assert leg["caller"]["timeline"] == [{"at": "2026-05-01T09:30:00Z", "status": "connected"}]
    assert leg["caller"]["stats"]["end"]["bytesSent"] == 100
    assert cdr_export.to_json([]) == "[]\n"


def test_csv_row_flattens_both_sides() -> None:
    text = cdr_export.to_csv([full_leg()])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(cdr_export.CSV_COLUMNS)
    row = rows[0]
    assert row["leg_id"] == "m_s1_s2"
    assert row["meeting_id"] == "abc-defg-hij"
    assert row["seq"] == "2"
    assert row["started_at"] == "2026-05-01T09:30:00Z"
    assert row["answered_at"] == "2026-05-01T09:30:03Z"
    assert row["ended_at"] == ""
    assert row["disposition"] == "ANSWERED"
    assert row["caller_uid"] == "u1"
    assert row["callee_email"] == "b@example.com"
    assert row["caller_country_code"] == "FR"
    assert row["caller_country"] == "France"
    assert row["caller_city"] == "Paris"
    assert row["caller_asn"] == "12322"
    assert row["caller_as_org"] == "Free SAS"
    assert row["caller_user_agent"] == "UA, with comma"
    # The latest stats: the caller reported its end, the callee only its connect.
    assert (row["caller_stats_phase"], row["caller_local_candidate_type"]) == ("end", "relay")
    assert (row["callee_stats_phase"], row["callee_local_candidate_type"]) == ("connect", "host")
    assert row["caller_relayed"] == "true"
    assert row["callee_relayed"] == "false"
    assert row["caller_bytes_sent"] == "100"
    assert row["callee_bytes_received"] == "2"
    assert row["caller_rtt_ms"] == "10"


def test_csv_of_nothing_is_the_header() -> None:
    assert cdr_export.to_csv([]).splitlines() == [",".join(cdr_export.CSV_COLUMNS)]


def test_csv_of_a_leg_with_missing_parts() -> None:
    row = cdr_export.leg_row({"id": "x", "caller": None})
    assert row["leg_id"] == "x"
    assert row["caller_uid"] == ""
    assert row["callee_stats_phase"] == ""
    assert set(row) == set(cdr_export.CSV_COLUMNS)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "true"),
        (3, "3"),
        (2.5, "2.5"),
        ("plain", "plain"),
        ("=cmd()", "'=cmd()"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("+49 30 1234567", "+49 30 1234567"),  # a phone number stays as it is
        ("-12", "-12"),
        (T0, "2026-05-01T09:30:00Z"),
        (["a", 1], '["a",1]'),
    ],
)
def test_cell(value: Any, expected: str) -> None:
    assert cdr_export.cell(value) == expected


def test_render_unknown_format() -> None:
    with pytest.raises(ValueError):
        cdr_export.render([], "xml")
