"""``avmeets cdr export`` and ``avmeets purge`` against the Firestore emulator.

Most runs call the CLI's ``main`` in-process (stdout and stderr captured); a few run it as a
subprocess to check exit codes and that errors are messages, never tracebacks.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore

from avmeets import config
from avmeets.cli import main
from avmeets.purge.report import REASONS

from .support.cli import run_cli
from .support.config import PROJECT_ID

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
EXPIRES = NOW + timedelta(days=7)
MEETING = "abc-defg-hij"
OTHER_MEETING = "xyz-wxyz-xyz"
#: Every export names the lawful request it answers (its audit record: test_export_audit.py).
REF = "TEST-REF-1"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    config.settings.cache_clear()
    yield
    config.settings.cache_clear()


@pytest.fixture
def db() -> Iterator[firestore.Client]:
    client = firestore.Client(project=PROJECT_ID)
    yield client
    client.close()


def party(uid: str, email: str | None, ip: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "uid": uid,
        "session": f"sess-{uid}",
        "name": uid.title(),
        "email": email,
        "phone": None,
        "provider": "google.com",
        "ip": ip,
        "ipInfo": {
            "kind": "public",
            "known": True,
            "countryCode": "DE",
            "countryName": "Germany",
            "city": "Berlin",
            "asn": 3320,
            "asOrg": "Deutsche Telekom AG",
        },
        "userAgent": "Mozilla/5.0 test",
        "status": "closed",
        "timeline": [{"status": "connecting", "at": NOW}],
        "stats": {
            "connect": {
                "localCandidateType": "host",
                "remoteCandidateType": "srflx",
                "protocol": "udp",
                "relayProtocol": None,
                "relayed": False,
                "rttMs": 12.5,
                "bytesSent": 10,
                "bytesReceived": 20,
                "packetsLost": 0,
                "durationMs": 100,
                "at": NOW,
            },
            "end": {
                "localCandidateType": "relay",
                "remoteCandidateType": "srflx",
                "protocol": "udp",
                "relayProtocol": "udp",
                "relayed": True,
                "rttMs": 40,
                "bytesSent": 1000,
                "bytesReceived": 2000,
                "packetsLost": 3,
                "durationMs": 60_000,
                "at": NOW,
            },
        },
    }
    data.update(extra)
    return data


def leg(
    meeting: str, caller: dict[str, Any], callee: dict[str, Any], started: datetime, seq: int = 1
) -> dict[str, Any]:
    leg_id = f"{meeting}_{caller['session']}_{callee['session']}_{seq}"
    return {
        "meetingId": meeting,
        "legId": leg_id,
        "seq": seq,
        "uids": sorted([caller["uid"], callee["uid"]]),
        "iceRestarts": 0,
        "state": "ended",
        "startedAt": started,
        "answeredAt": started + timedelta(seconds=2),
        "endedAt": started + timedelta(minutes=1),
        "durationMs": 60_000,
        "connectedMs": 58_000,
        "disposition": "ANSWERED",
        "endCause": "hangup",
        "updatedAt": started + timedelta(minutes=1),
        "expiresAt": EXPIRES,
        "caller": caller,
        "callee": callee,
    }


ALICE = "uid-alice"
ALICE_EMAIL = "alice@example.com"


def seed(client: firestore.Client) -> dict[str, dict[str, Any]]:
    alice = party(ALICE, ALICE_EMAIL, "198.51.100.1")
    alice_no_email = party(ALICE, None, "198.51.100.1")
    bob = party("uid-bob", "bob@example.com", "198.51.100.2", name='=HYPERLINK("x")')
    carol = party("uid-carol", "carol@example.org", "198.51.100.3", phone="+49 30 1234567")
    dave = party("uid-dave", "dave@example.net", "198.51.100.4")
    t = NOW - timedelta(days=2)
    legs = {
        # Listed out of order: the export sorts by startedAt.
        "m1-bob-carol": leg(MEETING, bob, carol, t + timedelta(hours=3)),
        "m1-alice-bob": leg(MEETING, alice, bob, t + timedelta(hours=1)),
        "m1-carol-alice": leg(MEETING, carol, alice, t + timedelta(hours=2)),
        "m1-alice-bob-2": leg(MEETING, alice, bob, t + timedelta(hours=4), seq=2),
        # Another meeting: alice without her email copied in (found through her identity).
        "m2-alice-dave": leg(OTHER_MEETING, alice_no_email, dave, t + timedelta(days=1)),
        "m2-carol-dave": leg(OTHER_MEETING, carol, dave, t + timedelta(days=1, hours=1)),
    }
    batch = client.batch()
    for leg_id, data in legs.items():
        batch.set(client.collection("cdrs").document(leg_id), data)
    batch.set(
        client.collection("identities").document(ALICE),
        {"uid": ALICE, "email": ALICE_EMAIL, "name": "Alice", "expiresAt": EXPIRES},
    )
    batch.commit()
    return legs


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def ids_of_json(out: str) -> list[str]:
    return [item["id"] for item in json.loads(out)]


def test_export_meeting_json(db: firestore.Client, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)

    code, out, err = cli(capsys, "cdr", "export", "--reference", REF, "--meeting", MEETING)

    assert code == 0, err
    legs = json.loads(out)
    assert [x["id"] for x in legs] == [
        "m1-alice-bob",
        "m1-carol-alice",
        "m1-bob-carol",
        "m1-alice-bob-2",
    ]
    first = legs[0]
    assert first["startedAt"] == "2026-02-27T13:00:00Z"
    assert first["caller"]["timeline"] == [{"at": "2026-03-01T12:00:00Z", "status": "connecting"}]
    assert first["caller"]["ipInfo"]["asOrg"] == "Deutsche Telekom AG"
    assert first["callee"]["email"] == "bob@example.com"
    assert first["seq"] == 1
    assert "exported 4 legs" in err


def test_export_meeting_id_as_typed(
    db: firestore.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db)

    code, out, _ = cli(capsys, "cdr", "export", "--reference", REF, "--meeting", "ABC DEFG HIJ")

    assert code == 0
    assert len(json.loads(out)) == 4


def test_export_meeting_csv(db: firestore.Client, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)

    code, out, _ = cli(
        capsys, "cdr", "export", "--reference", REF, "--meeting", OTHER_MEETING, "--format", "csv"
    )

    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["leg_id"] for r in rows] == ["m2-alice-dave", "m2-carol-dave"]
    row = rows[0]
    assert row["meeting_id"] == OTHER_MEETING
    assert row["started_at"] == "2026-02-28T12:00:00Z"
    assert row["caller_uid"] == ALICE
    assert row["caller_email"] == ""
    assert row["callee_email"] == "dave@example.net"
    assert row["caller_country_code"] == "DE"
    assert row["caller_as_org"] == "Deutsche Telekom AG"
    assert row["caller_local_candidate_type"] == "relay"  # the end-of-call stats
    assert row["caller_relayed"] == "true"
    assert row["caller_bytes_sent"] == "1000"
    assert rows[1]["caller_phone"] == "+49 30 1234567"


def test_export_user_by_email(db: firestore.Client, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)

    code, out, _ = cli(capsys, "cdr", "export", "--reference", REF, "--user", "Alice@Example.COM")

    assert code == 0
    # As caller, as callee, and the leg without her email found through her identity's uid.
    assert ids_of_json(out) == [
        "m1-alice-bob",
        "m1-carol-alice",
        "m1-alice-bob-2",
        "m2-alice-dave",
    ]


def test_export_user_by_email_without_identity(
    db: firestore.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(db)
    db.collection("identities").document(ALICE).delete()

    code, out, _ = cli(capsys, "cdr", "export", "--reference", REF, "--user", ALICE_EMAIL)

    assert code == 0
    # The legs carry her email, and with it her uid, which finds the leg without it.
    assert ids_of_json(out) == [
        "m1-alice-bob",
        "m1-carol-alice",
        "m1-alice-bob-2",
        "m2-alice-dave",
    ]


def test_export_user_by_uid_csv_to_file(
    db: firestore.Client, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(db)
    target = tmp_path / "dave.csv"

    code, out, _ = cli(
        capsys,
        "cdr",
        "export",
        "--reference",
        REF,
        "--user",
        "uid-dave",
        "--format",
        "csv",
        "--output",
        str(target),
    )

    assert code == 0
    assert out == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [r["leg_id"] for r in rows] == ["m2-alice-dave", "m2-carol-dave"]


def test_export_since_until(db: firestore.Client, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)

    code, out, _ = cli(
        capsys,
        "cdr",
        "export",
        "--reference",
        REF,
        "--user",
        ALICE_EMAIL,
        "--since",
        "2026-02-27T14:00",
        "--until",
        "2026-02-27",
    )

    assert code == 0
    # Since 14:00 (inclusive) until the end of 27 February.
    assert ids_of_json(out) == ["m1-carol-alice", "m1-alice-bob-2"]

    code, out, _ = cli(
        capsys,
        "cdr",
        "export",
        "--reference",
        REF,
        "--meeting",
        MEETING,
        "--until",
        "2026-02-27T15:30+01:00",
    )
    assert code == 0
    assert ids_of_json(out) == ["m1-alice-bob", "m1-carol-alice"]


def test_export_nothing_found(db: firestore.Client, capsys: pytest.CaptureFixture[str]) -> None:
    seed(db)

    code, out, err = cli(
        capsys,
        "cdr",
        "export",
        "--reference",
        REF,
        "--user",
        "nobody@example.com",
        "--format",
        "csv",
    )

    assert code == 0
    assert out.splitlines()[0].startswith("leg_id,meeting_id,seq")
    assert len(out.splitlines()) == 1
    assert "exported 0 legs" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cdr", "export", "--reference", REF, "--meeting", "not-a-meeting"], "not a meeting id"),
        (
            ["cdr", "export", "--reference", REF, "--meeting", MEETING, "--since", "yesterday"],
            "--since",
        ),
        (
            ["cdr", "export", "--reference", REF, "--meeting", MEETING, "--until", "2026-02-30"],
            "--until",
        ),
        (
            [
                "cdr",
                "export",
                "--reference",
                REF,
                "--meeting",
                MEETING,
                "--since",
                "2026-03-02",
                "--until",
                "2026-03-01",
            ],
            "must be before",
        ),
        (["cdr", "export", "--reference", REF, "--user", "a/b"], "not an email or uid"),
        (["purge", "--now", "soon"], "--now"),
    ],
)
def test_bad_arguments_are_messages_with_exit_code_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = cli(capsys, *argv)

    assert code == 2
    assert out == ""
    assert err.startswith("avmeets: error: ")
    assert message in err
    assert "Traceback" not in err


def test_purge_command(db: firestore.Client, capsys: pytest.CaptureFixture[str]) -> None:
    legs = seed(db)
    db.collection("cdrs").document("old").set({"startedAt": NOW, "expiresAt": NOW})
    db.collection("meetings").document("end-edmt-aaa").set({"state": "ended", "expiresAt": EXPIRES})

    code, out, err = cli(capsys, "purge", "--dry-run", "--now", "2026-03-01T12:00:00")
    assert code == 0, err
    assert out.startswith("Dry run: purge at 2026-03-01T12:00:00+00:00 would delete 2 documents")
    assert "Traceback" not in err
    assert db.collection("cdrs").document("old").get().exists

    code, out, err = cli(capsys, "purge", "--now", "2026-03-01T12:00:00Z", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["total"] == 2
    assert report["deleted"]["cdrs"]["expired"] == 1
    assert report["deleted"]["meetings"]["ended"] == 1
    assert report["accounts"]["deleted"] == 0 and report["accounts"]["retentionDays"] == 7
    assert not db.collection("cdrs").document("old").get().exists
    remaining = {s.id for s in db.collection("cdrs").select([]).stream()}
    assert remaining == set(legs)

    code, out, _ = cli(capsys, "purge", "--now", "2026-03-01T12:00:00Z")
    assert code == 0
    lines = out.splitlines()
    assert "deleted 0 documents" in lines[0]
    # A column per reason the purge deletes for (documents and the organisation store's
    # objects), then the total: all zero.
    reasons = {reason for listed in REASONS.values() for reason in listed}
    assert lines[-2].split() == ["total", *["0"] * (len(reasons) + 1)]
    # Then the Auth accounts step: nobody here has been idle for a week at that time.
    assert lines[-1] == "accounts idle over 7 days: deleted 0"


def test_subprocess_export_and_help(db: firestore.Client) -> None:
    seed(db)

    done = run_cli("cdr", "export", "--reference", REF, "--meeting", MEETING, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 5
    for argv in (["--help"], ["cdr", "export", "--help"], ["purge", "--help"]):
        shown = run_cli(*argv)
        assert shown.returncode == 0
        assert "usage: avmeets" in shown.stdout


@pytest.mark.parametrize(
    "argv",
    [["cdr", "export", "--reference", REF, "--meeting", MEETING], ["purge", "--dry-run"]],
)
def test_unreachable_emulator_is_one_message(argv: list[str]) -> None:
    done = run_cli(*argv, env={"FIRESTORE_EMULATOR_HOST": "127.0.0.1:9"})

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(
        "avmeets: error: cannot reach the Firestore emulator at 127.0.0.1:9"
    )
    assert len(done.stderr.strip().splitlines()) == 1


def test_missing_arguments_exit_2() -> None:
    done = run_cli("cdr", "export", "--reference", REF)

    assert done.returncode == 2
    assert "one of the arguments --meeting --user is required" in done.stderr
    assert "Traceback" not in done.stderr
