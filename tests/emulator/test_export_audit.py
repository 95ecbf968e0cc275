"""Lawful export leaves a trace: ``avmeets cdr export`` needs a reference and writes its audit
record before its output; ``avmeets audit`` lists them; clients can neither read nor write them;
the purge keeps them beyond the CDR's week, until their own expiry.

The CLI runs as an operator runs it (a subprocess), against the emulator.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from google.api_core import exceptions as gexc
from google.cloud import firestore

from avmeets import export_audit

from .support.cli import run_cli
from .support.config import PROJECT_ID
from .support.factories import Actors
from .test_cli import MEETING, seed

OPERATOR = {export_audit.OPERATOR_ENV: "officer.jane@operator.example"}


@pytest.fixture
def db() -> Iterator[firestore.Client]:
    client = firestore.Client(project=PROJECT_ID)
    yield client
    client.close()


def audits(db: firestore.Client) -> dict[str, dict[str, object]]:
    return {s.id: s.to_dict() or {} for s in db.collection("export_audits").stream()}


def test_an_export_without_a_reference_is_refused_and_prints_nothing(
    db: firestore.Client,
) -> None:
    seed(db)
    for extra in ([], ["--reference", ""], ["--reference", "   "]):
        done = run_cli("cdr", "export", "--meeting", MEETING, *extra, env=OPERATOR)
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "reference" in done.stderr and "Traceback" not in done.stderr
    assert audits(db) == {}


def test_an_export_leaves_an_append_only_audit_record(db: firestore.Client) -> None:
    legs = seed(db)
    before = datetime.now(UTC)

    done = run_cli(
        "cdr", "export", "--meeting", MEETING, "--reference", "Court order 7/2026", env=OPERATOR
    )
    assert done.returncode == 0, done.stderr
    exported = [leg["id"] for leg in json.loads(done.stdout)]
    assert len(exported) == 4 and set(exported) <= set(legs)

    (first_id, first), *rest = audits(db).items()
    assert rest == []
    assert first["reference"] == "Court order 7/2026"
    assert first["operator"] == "officer.jane@operator.example"
    assert first["operatorSource"] == "environment"
    assert first["scope"] == "meeting" and first["format"] == "json"
    assert first["legIds"] == exported and first["legCount"] == 4
    at = first["at"]
    assert isinstance(at, datetime) and before - timedelta(seconds=5) <= at <= datetime.now(UTC)
    assert first["expiresAt"] == at + timedelta(days=export_audit.AUDIT_RETENTION_DAYS)
    # Nothing about the people exported: their uids, names, emails and addresses are not in it.
    text = json.dumps(first, default=str)
    for secret in ("uid-alice", "alice@example.com", "198.51.100.1", "Carol"):
        assert secret not in text
    assert f"audit record {first['exportId']}" in done.stderr

    # A second export appends; the first record is unchanged.
    again = run_cli("cdr", "export", "--user", "uid-dave", "--reference", "REF-2", env=OPERATOR)
    assert again.returncode == 0, again.stderr
    now = audits(db)
    assert len(now) == 2 and now[first_id] == first
    (second,) = [v for k, v in now.items() if k != first_id]
    assert second["scope"] == "user" and second["reference"] == "REF-2"
    assert second["legIds"] == [leg["id"] for leg in json.loads(again.stdout)]

    listed = run_cli("audit", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert [e["reference"] for e in entries] == ["Court order 7/2026", "REF-2"]
    assert entries[0]["legIds"] == exported and entries[0]["complete"] is True
    only = json.loads(run_cli("audit", "--format", "json", "--reference", "REF-2").stdout)
    assert [e["reference"] for e in only] == ["REF-2"]
    table = run_cli("audit").stdout
    assert "officer.jane@operator.example" in table and "Court order 7/2026" in table


def test_the_purge_keeps_audit_records_beyond_the_cdr_week(db: firestore.Client) -> None:
    seed(db)
    done = run_cli("cdr", "export", "--meeting", MEETING, "--reference", "R", env=OPERATOR)
    assert done.returncode == 0, done.stderr
    (record,) = audits(db).values()
    at = record["at"]
    assert isinstance(at, datetime)

    week_later = (at + timedelta(days=8)).isoformat()
    purged = run_cli("purge", "--now", week_later, "--format", "json")
    assert purged.returncode == 0, purged.stderr
    assert list(db.collection("cdrs").select([]).stream()) == []  # the legs are gone
    assert list(audits(db).values()) == [record]  # their audit record is not

    due = (at + timedelta(days=export_audit.AUDIT_RETENTION_DAYS)).isoformat()
    purged = run_cli("purge", "--now", due, "--format", "json")
    assert purged.returncode == 0, purged.stderr
    assert json.loads(purged.stdout)["deleted"]["export_audits"]["expired"] == 1
    assert audits(db) == {}


async def test_clients_can_neither_read_nor_write_audits_or_aggregates(
    db: firestore.Client, actors: Actors
) -> None:
    seed(db)
    assert run_cli("cdr", "export", "--meeting", MEETING, "--reference", "R").returncode == 0
    (record_id,) = audits(db)
    db.collection("usage_daily").document("2026-02-27").set({"day": "2026-02-27", "rows": []})
    mallory = await actors("mallory")
    store = mallory.store
    attempts = [
        store.collection("export_audits").document(record_id).get(),
        store.collection("export_audits").limit(1).get(),
        store.collection("export_audits").document(record_id).update({"reference": "forged"}),
        store.collection("export_audits").document(record_id).delete(),
        store.collection("export_audits").document("new").set({"reference": "x"}),
        store.collection("usage_daily").document("2026-02-27").get(),
        store.collection("usage_daily").limit(1).get(),
        store.collection("usage_daily").document("2026-02-28").set({"day": "x"}),
    ]
    for attempt in attempts:
        with pytest.raises(gexc.PermissionDenied):
            await attempt
    assert len(audits(db)) == 1
    assert audits(db)[record_id]["reference"] == "R"
