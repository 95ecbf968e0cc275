"""The purge rolls each ended day's CDR into anonymous aggregates before deleting it.

A day of join records and legs (twelve people on one network, three elsewhere) is seeded with
records that have already expired. The hourly job, run as Cloud Scheduler runs it, and the
operator's ``avmeets purge`` both store the day's aggregates first (groups of at least k = 10
people only) and delete the records after; ``avmeets stats`` reads the aggregates back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from google.cloud import firestore

from avmeets import usage

from .support.cli import run_cli
from .support.config import PROJECT_ID
from .support.scheduler import run_scheduled

TELEKOM = {"countryCode": "DE", "asn": 3320, "asOrg": "Deutsche Telekom AG"}
ORANGE = {"countryCode": "FR", "asn": 3215, "asOrg": "Orange S.A."}


@pytest.fixture
def db() -> Iterator[firestore.Client]:
    client = firestore.Client(project=PROJECT_ID)
    yield client
    client.close()


def seed_day(db: firestore.Client, start: datetime, expires: datetime) -> set[str]:
    """Twelve people on one network in four meetings, three in France; one leg per pair."""
    people = [(f"tk{i}", TELEKOM) for i in range(12)] + [(f"fr{i}", ORANGE) for i in range(3)]
    paths: set[str] = set()
    batch = db.batch()
    for n, (uid, info) in enumerate(people):
        meeting = f"mtg-{n % 4}"
        ref = db.collection("joins").document(f"{meeting}_{uid}_s{uid}")
        batch.set(
            ref,
            {
                "meetingId": meeting,
                "uid": uid,
                "session": f"s{uid}",
                "ip": "81.2.69.142",
                "ipInfo": {"kind": "public", "known": True, **info},
                "joinedAt": start + timedelta(minutes=n),
                "expiresAt": expires,
            },
        )
        paths.add(ref.path)
    for n in range(0, len(people) - 1, 2):
        (a, ia), (b, ib) = people[n], people[n + 1]

        def side(uid: str, info: dict[str, Any], rtt: float) -> dict[str, Any]:
            snapshot = {"rttMs": rtt, "relayed": uid.startswith("fr")}
            return {"uid": uid, "ipInfo": info, "stats": {"connect": snapshot}}

        ref = db.collection("cdrs").document(f"leg-{n}")
        batch.set(
            ref,
            {
                "meetingId": f"mtg-{n % 4}",
                "state": "ended",
                "disposition": "ANSWERED" if n else "FAILED",
                "startedAt": start + timedelta(minutes=n),
                "expiresAt": expires,
                "caller": side(a, ia, 10.0 + n),
                "callee": side(b, ib, 10.0 + n),
            },
        )
        paths.add(ref.path)
    batch.commit()
    return paths


def remaining(db: firestore.Client) -> set[str]:
    return {
        s.reference.path for c in ("joins", "cdrs") for s in db.collection(c).select([]).stream()
    }


def check_day(doc: dict[str, Any], day: str) -> None:
    assert doc["day"] == day and doc["minGroupSize"] == usage.MIN_GROUP_SIZE == 10
    rows = {(r["country"], r["network"]): r for r in doc["rows"]}
    # France's three are below k: only the total and the network of twelve are stored.
    assert list(rows) == [("*", "*"), ("DE", "AS3320 Deutsche Telekom AG")]
    everyone, telekom = rows[("*", "*")], rows[("DE", "AS3320 Deutsche Telekom AG")]
    assert (everyone["participants"], everyone["joins"], everyone["meetings"]) == (15, 15, 4)
    assert (everyone["connections"], everyone["answered"], everyone["failed"]) == (14, 12, 2)
    assert everyone["relayed"] == 2  # the ends of fr0 and fr1 (fr2 made no connection)
    assert telekom["participants"] == 12 and telekom["asn"] == 3320
    assert telekom["rttMedianMs"] == 15.0  # 10, 12, ... 20: the median of six pairs
    text = json.dumps(doc, default=str)
    for identifying in ("tk1", "mtg-", "81.2.69.142", "leg-"):
        assert identifying not in text


def test_the_cli_purge_rolls_up_before_it_deletes(db: firestore.Client) -> None:
    start = datetime(2026, 2, 27, 9, 0, tzinfo=UTC)
    seeded = seed_day(db, start, expires=start + timedelta(days=1))
    now = "2026-02-28T10:00:00Z"

    dry = run_cli("purge", "--dry-run", "--now", now, "--format", "json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["usage"]["days"] == ["2026-02-27"]
    assert list(db.collection("usage_daily").stream()) == [] and remaining(db) == seeded

    done = run_cli("purge", "--now", now, "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["usage"] == {**report["usage"], "days": ["2026-02-27"], "rows": {"2026-02-27": 2}}
    assert report["deleted"]["cdrs"]["expired"] == 7 and report["deleted"]["joins"]["expired"] == 15
    assert remaining(db) == set()
    (stored,) = [s.to_dict() or {} for s in db.collection("usage_daily").stream()]
    check_day(stored, "2026-02-27")

    # Rolled up once: a later run changes nothing.
    again = run_cli("purge", "--now", "2026-02-28T11:00:00Z", "--format", "json")
    assert json.loads(again.stdout)["usage"]["days"] == []

    listed = run_cli("stats", "--since", "2026-02-27", "--until", "2026-02-27", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    (day,) = json.loads(listed.stdout)
    check_day(day, "2026-02-27")
    table = run_cli("stats").stdout.splitlines()
    assert table[0].split()[:3] == ["day", "country", "network"]
    assert table[1].split()[:5] == ["2026-02-27", "*", "*", "4", "15"]
    assert run_cli("stats", "--since", "2026-02-28").stdout.startswith("no aggregates")
    bad = run_cli("stats", "--since", "yesterday")
    assert bad.returncode == 2 and "not a day" in bad.stderr


async def test_the_hourly_job_rolls_up_yesterday_before_it_deletes(db: firestore.Client) -> None:
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    yesterday = today - timedelta(days=1)
    seed_day(db, yesterday + timedelta(hours=1), expires=today - timedelta(minutes=1))

    await run_scheduled("purge")

    assert remaining(db) == set()
    stored = db.collection("usage_daily").document(yesterday.date().isoformat()).get()
    assert stored.exists
    check_day(stored.to_dict() or {}, yesterday.date().isoformat())
