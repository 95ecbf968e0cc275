"""The retention purge against the Firestore emulator, at a controlled clock.

Each test seeds documents relative to ``NOW`` with an admin client, runs ``purge.run`` (or the
``avmeets purge`` command in a subprocess) and asserts the exact set of surviving documents. The
emulator data is cleaned before each test by the autouse fixture of conftest.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.cloud import firestore

from avmeets import purge

from .support.config import PROJECT_ID

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
#: The seeded participants' last heartbeat. The purge ignores it; the scheduled sweep, which runs
#: on the real clock throughout the tests, would close out a "joined" participant last seen at
#: the purge's NOW (and write its join record) in the middle of a test. Seen a day from the
#: real now, they stay live for as long as the suite runs.
LIVE_SEEN = datetime.now(UTC) + timedelta(days=1)
LATER = NOW + timedelta(days=3)
EARLIER = NOW - timedelta(seconds=1)
IDLE_HOURS = 24
ROOT = Path(__file__).resolve().parents[2]

Seed = dict[str, dict[str, Any]]


@pytest.fixture
def db() -> Iterator[firestore.Client]:
    client = firestore.Client(project=PROJECT_ID)
    yield client
    client.close()


def write(client: firestore.Client, docs: Seed) -> None:
    items = list(docs.items())
    for start in range(0, len(items), 500):
        batch = client.batch()
        for path, data in items[start : start + 500]:
            batch.set(client.document(path), data)
        batch.commit()


def paths(client: firestore.Client) -> set[str]:
    """The path of every document in the database (subcollections included; only meetings
    have subcollections, but those are walked even under a meeting document that is gone)."""
    out: set[str] = set()

    def walk(collection: Any, *, deep: bool) -> None:
        for snapshot in collection.select([]).stream():
            out.add(snapshot.reference.path)
        if deep:
            for ref in collection.list_documents():
                for sub in ref.collections():
                    walk(sub, deep=True)

    for collection in client.collections():
        walk(collection, deep=collection.id == "meetings")
    return out


def dump(client: firestore.Client) -> dict[str, dict[str, Any]]:
    return {p: client.document(p).get().to_dict() or {} for p in sorted(paths(client))}


def scenario() -> tuple[Seed, set[str]]:
    """Documents of every kind around NOW, and the paths that must survive a purge at NOW."""
    docs: Seed = {}
    keep: set[str] = set()

    def put(path: str, survives: bool, **data: Any) -> None:
        docs[path] = data
        if survives:
            keep.add(path)

    for collection in purge.EXPIRING:
        put(f"{collection}/due-before", False, expiresAt=NOW - timedelta(days=1))
        put(f"{collection}/due-exactly", False, expiresAt=NOW)
        put(f"{collection}/not-yet", True, expiresAt=NOW + timedelta(microseconds=1000))
        put(f"{collection}/later", True, expiresAt=LATER)
    put("orgs/acme", True, name="Acme", domains=["acme.test"], retentionDays=3)

    def meeting(mid: str, survives: bool, **fields: Any) -> None:
        data: dict[str, Any] = {
            "title": mid,
            "state": "open",
            "createdAt": NOW - timedelta(hours=2),
            "lastActivityAt": NOW - timedelta(hours=1),
            "expiresAt": LATER,
        }
        data.update(fields)
        put(f"meetings/{mid}", survives, **data)
        put(f"meeting_secrets/{mid}", survives, passwordHash="scrypt$x", expiresAt=LATER)

    def participant(mid: str, uid: str, survives: bool, state: str, **fields: Any) -> None:
        data: dict[str, Any] = {
            "uid": uid,
            "state": state,
            "session": f"s-{uid}",
            "joinedAt": NOW - timedelta(hours=1),
            "expiresAt": LATER,
        }
        data.update(fields)
        put(f"meetings/{mid}/participants/{uid}", survives, **data)
        if state == "joined" and "expiresAt" not in fields:  # its liveness, gone with the meeting
            put(
                f"meetings/{mid}/presence/{uid}",
                survives,
                uid=uid,
                session=f"s-{uid}",
                lastSeenAt=LIVE_SEEN,
                minGapSeconds=150,
                sweepShard=0,
                expiresAt=LATER,
            )

    def signal_doc(mid: str, sid: str, survives: bool, age: timedelta) -> None:
        put(
            f"meetings/{mid}/signals/{sid}",
            survives,
            type="offer",
            sdp="v=0",
            createdAt=NOW - age,
        )

    # Expired, although open and active: goes with everything under it.
    meeting("exp-ired-mtg", False, expiresAt=EARLIER)
    participant("exp-ired-mtg", "alice", False, "joined")
    participant("exp-ired-mtg", "bob", False, "joined")
    signal_doc("exp-ired-mtg", "fresh", False, timedelta(minutes=1))
    # Ended: goes although nothing in it has expired, its lobby's knocks too.
    meeting("end-edmt-ggg", False, state="ended")
    participant("end-edmt-ggg", "alice", False, "left")
    signal_doc("end-edmt-ggg", "fresh", False, timedelta(seconds=5))
    put("meetings/end-edmt-ggg/lobby/zoe", False, uid="zoe", state="ended", expiresAt=LATER)
    # Idle with nobody joined: goes.
    meeting("idl-emtg-aaa", False, lastActivityAt=NOW - timedelta(hours=IDLE_HOURS))
    participant("idl-emtg-aaa", "carol", False, "left")
    # Idle but someone is still joined: stays.
    meeting("idl-join-bbb", True, lastActivityAt=NOW - timedelta(hours=IDLE_HOURS + 5))
    participant("idl-join-bbb", "dave", True, "joined")
    participant("idl-join-bbb", "erin", True, "left")
    # Live: stays, minus a stale signal and an expired participant record.
    meeting("liv-emtg-ccc", True)
    participant("liv-emtg-ccc", "frank", True, "joined")
    put("meetings/liv-emtg-ccc/lobby/yan", True, uid="yan", state="waiting", expiresAt=LATER)
    participant("liv-emtg-ccc", "gina", False, "left", expiresAt=EARLIER)
    signal_doc("liv-emtg-ccc", "fresh", True, timedelta(minutes=9, seconds=59))
    signal_doc("liv-emtg-ccc", "stale", False, timedelta(minutes=10, seconds=1))
    # A meeting without secret, recently active: stays.
    put("meetings/nos-ecre-ddd", True, state="open", lastActivityAt=NOW, expiresAt=LATER)
    # Leftovers under a meeting document that no longer exists (e.g. removed by the TTL policy).
    signal_doc("gon-emtg-eee", "stale", False, timedelta(hours=2))
    signal_doc("gon-emtg-eee", "fresh", True, timedelta(minutes=2))
    participant("gon-emtg-eee", "hank", False, "joined", expiresAt=EARLIER)
    participant("gon-emtg-eee", "ivy", True, "joined")
    return docs, keep


EXPECTED_COUNTS = {
    "meetings": {"expired": 1, "ended": 1, "idle": 1},
    "participants": {"with-meeting": 4, "expired": 2},
    "presence": {"with-meeting": 2},
    "signals": {"with-meeting": 2, "stale": 2},
    "lobby": {"with-meeting": 1},
    # due-before and due-exactly, plus the secrets of the three meetings that went.
    "meeting_secrets": {"with-meeting": 3, "expired": 2},
    "cdrs": {"expired": 2, "over-cap": 0},
    "joins": {"expired": 2},
    "identities": {"expired": 2},
    "join_attempts": {"expired": 2},
    "meeting_attempts": {"expired": 2},
    "quotas": {"expired": 2},
    "archives": {"expired": 2},
    "export_audits": {"expired": 2},
    "usage_daily": {"expired": 2},
    "org_audits": {"expired": 2},
    # No archive here names an object in Cloud Storage (tests/emulator/test_object_store.py).
    "objects": {"with-archive": 0, "stale": 0},
}


def run(client: firestore.Client, **kwargs: Any) -> purge.PurgeReport:
    options: dict[str, Any] = {"max_stored_cdrs": 1_000_000, "meeting_idle_hours": IDLE_HOURS}
    options.update(kwargs)
    return purge.run(client, NOW, **options)


def test_purge_deletes_exactly_what_is_due(db: firestore.Client) -> None:
    docs, keep = scenario()
    write(db, docs)
    assert paths(db) == set(docs)

    report = run(db, page_size=2)

    assert paths(db) == keep
    assert report.deleted == EXPECTED_COUNTS
    assert report.total == len(docs) - len(keep)
    assert not report.dry_run


def test_second_run_changes_nothing(db: firestore.Client) -> None:
    docs, keep = scenario()
    write(db, docs)
    run(db)
    before = dump(db)

    again = run(db)

    assert again.total == 0
    assert all(n == 0 for reasons in again.deleted.values() for n in reasons.values())
    assert dump(db) == before
    assert set(before) == keep


def test_dry_run_deletes_nothing_and_counts_what_a_run_deletes(db: firestore.Client) -> None:
    docs, _ = scenario()
    write(db, docs)
    before = dump(db)

    dry = run(db, dry_run=True, page_size=3)

    assert dump(db) == before
    assert dry.dry_run
    assert dry.deleted == EXPECTED_COUNTS
    real = run(db)
    assert real.deleted == dry.deleted


class Killed(Exception):
    pass


def killer(step: str) -> Callable[[purge.PurgeProgress], None]:
    """A progress callback that dies once `step` has deleted something."""

    def progress(p: purge.PurgeProgress) -> None:
        if p.step == step and p.done > 0:
            raise Killed(step)

    return progress


@pytest.mark.parametrize(
    "step",
    [purge.STEP_EXPIRED, purge.STEP_MEETINGS, purge.STEP_SIGNALS, purge.STEP_PARTICIPANTS],
)
def test_run_dying_midway_then_rerun_finishes(db: firestore.Client, step: str) -> None:
    docs, keep = scenario()
    # Enough of everything that each step takes several pages.
    for i in range(230):
        docs[f"cdrs/old-{i:04d}"] = {"expiresAt": NOW - timedelta(minutes=i), "startedAt": NOW}
        docs[f"meetings/liv-emtg-ccc/signals/old-{i:04d}"] = {
            "type": "candidates",
            "createdAt": NOW - timedelta(hours=1, minutes=i),
        }
        docs[f"meetings/liv-emtg-ccc/participants/gone-{i:04d}"] = {
            "state": "left",
            "expiresAt": NOW - timedelta(minutes=i),
        }
    for i in range(30):
        docs[f"meetings/end-edmt-{i:03d}"] = {"state": "ended", "expiresAt": LATER}
    write(db, docs)

    with pytest.raises(Killed):
        run(db, page_size=20, progress=killer(step))

    survivors = paths(db)
    assert keep <= survivors, f"deleted before expiry: {sorted(keep - survivors)}"
    assert survivors != set(docs), "the run died before deleting anything"

    report = run(db, page_size=20)

    assert paths(db) == keep
    assert report.total == len(survivors) - len(keep)
    assert run(db).total == 0


def test_page_boundaries(db: firestore.Client) -> None:
    docs: Seed = {}
    for i in range(1_234):
        due = i % 3 != 0
        expires = NOW - timedelta(seconds=i) if due else NOW + timedelta(seconds=i + 1)
        docs[f"joins/j{i:05d}"] = {"expiresAt": expires}
    write(db, docs)
    keep = {p for p, d in docs.items() if d["expiresAt"] > NOW}

    report = run(db, page_size=100, pages_per_query=3)

    assert paths(db) == keep
    assert report.count("joins", purge.EXPIRED) == len(docs) - len(keep)


def cdr(started: datetime, expires: datetime = LATER) -> dict[str, Any]:
    return {"startedAt": started, "expiresAt": expires, "meetingId": "cap-test-mtg"}


def test_cap_deletes_the_oldest_first(db: firestore.Client) -> None:
    base = NOW - timedelta(days=2)
    docs: Seed = {
        # Expired ones go first, whatever the cap.
        "cdrs/expired-a": cdr(base - timedelta(days=9), EARLIER),
        "cdrs/expired-b": cdr(base + timedelta(hours=30), NOW),
    }
    order = []
    for i in range(10):
        started = base + timedelta(hours=i)
        docs[f"cdrs/leg-{i:02d}"] = cdr(started)
        order.append(f"cdrs/leg-{i:02d}")
    # Same start as leg-03: the tie is broken by document id (leg-03 < leg-03b < leg-04).
    docs["cdrs/leg-03b"] = cdr(base + timedelta(hours=3))
    order.insert(4, "cdrs/leg-03b")
    docs["joins/unrelated"] = {"expiresAt": LATER}
    write(db, docs)

    dry = run(db, max_stored_cdrs=6, dry_run=True, page_size=2)
    assert dry.count("cdrs", purge.OVER_CAP) == 5
    assert dry.cdrs_counted == 11

    report = run(db, max_stored_cdrs=6, page_size=2)

    assert report.count("cdrs", purge.EXPIRED) == 2
    assert report.count("cdrs", purge.OVER_CAP) == 5
    assert report.cdrs_counted == 11
    assert paths(db) == {*order[5:], "joins/unrelated"}
    assert run(db, max_stored_cdrs=6).total == 0


def _leg_by(caller: str, started: datetime) -> dict[str, Any]:
    return {**cdr(started), "caller": {"uid": caller}, "uids": sorted([caller, "victim"])}


def _legs_counter(uid: str, day: datetime, count: int) -> tuple[str, dict[str, Any]]:
    """The per-account leg quota's counter of one day, as the signal trigger keeps it
    (docs/data-inventory.md, `quotas`)."""
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    doc = {
        "kind": "legs",
        "subject": uid,
        "window": start,
        "count": count,
        "expiresAt": start + timedelta(days=8),
    }
    return f"quotas/legs~{uid}~d{start:%Y%m%d}", doc


def test_cap_deletes_within_the_heaviest_offender_first(db: firestore.Client) -> None:
    """Issue 10: a few accounts must not push everyone else's records out. Alice's and Bob's
    legs are the oldest, Mallory's flood the newest; over the cap, Mallory's go first (oldest
    of hers first) until she is down to the next heaviest account, and nobody else loses one."""
    base = NOW - timedelta(days=2)
    docs: Seed = {}
    for i in range(6):
        docs[f"cdrs/alice-{i:02d}"] = _leg_by("alice", base + timedelta(minutes=i))
    for i in range(4):
        docs[f"cdrs/bob-{i:02d}"] = _leg_by("bob", base + timedelta(minutes=10 + i))
    for i in range(30):
        docs[f"cdrs/mallory-{i:02d}"] = _leg_by("mallory", base + timedelta(hours=1, minutes=i))
    for uid, count in (("alice", 6), ("bob", 4), ("mallory", 30)):
        path, counter = _legs_counter(uid, base, count)
        docs[path] = counter
    write(db, docs)

    report = run(db, max_stored_cdrs=20)

    assert report.count("cdrs", purge.OVER_CAP) == 20
    left = {p for p in paths(db) if p.startswith("cdrs/")}
    assert {p for p in left if not p.startswith("cdrs/mallory-")} == {
        f"cdrs/alice-{i:02d}" for i in range(6)
    } | {f"cdrs/bob-{i:02d}" for i in range(4)}
    assert left >= {f"cdrs/mallory-{i:02d}" for i in range(20, 30)}, "her newest are kept"


def test_cap_not_reached_deletes_nothing_unexpired(db: firestore.Client) -> None:
    docs = {f"cdrs/leg-{i}": cdr(NOW - timedelta(hours=i)) for i in range(5)}
    write(db, docs)

    report = run(db, max_stored_cdrs=5)

    assert report.total == 0
    assert paths(db) == set(docs)


def test_progress_reports_each_step(db: firestore.Client) -> None:
    docs, _ = scenario()
    write(db, docs)
    seen: list[purge.PurgeProgress] = []

    report = run(db, progress=seen.append, page_size=1)

    steps = [p.step for p in seen]
    assert steps.index(purge.STEP_EXPIRED) < steps.index(purge.STEP_MEETINGS)
    assert steps.index(purge.STEP_MEETINGS) < steps.index(purge.STEP_SIGNALS)
    assert seen[-1].deleted == report.total
    cdrs = [p for p in seen if p.collection == "cdrs" and p.step == purge.STEP_EXPIRED]
    assert cdrs[-1].done == cdrs[-1].total == 2


def test_cli_purge_killed_midway_then_rerun(db: firestore.Client) -> None:
    docs, keep = scenario()
    for i in range(5_000):
        docs[f"cdrs/old-{i:05d}"] = {"expiresAt": NOW - timedelta(seconds=i), "startedAt": NOW}
    write(db, docs)
    command = [
        sys.executable,
        "-m",
        "avmeets.cli",
        "purge",
        "--now",
        NOW.isoformat(),
        "--page-size",
        "50",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)])}
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    # Its first progress line comes once it has deleted a page of CDRs: kill it there.
    for line in proc.stderr:
        if "expired: cdrs" in line:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the purge ended before it could be killed"

    survivors = paths(db)
    assert keep <= survivors, f"deleted before expiry: {sorted(keep - survivors)}"
    assert len(survivors) > len(keep), "nothing was left for the re-run"

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert paths(db) == keep
