"""The export audit's pure parts: the reference, who the operator is, the records and listing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from avmeets import export_audit
from avmeets.cli import _audit, build_parser, main
from avmeets.cli._operator import credential_identity

AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WHO = export_audit.Operator("ops@example.com", "credentials")


def test_reference_is_required_and_checked() -> None:
    assert export_audit.check_reference("  Court order 12/2026 ") == "Court order 12/2026"
    for bad in (None, "", "   ", "x" * 201, "a\nb"):
        with pytest.raises(export_audit.AuditError):
            export_audit.check_reference(bad)


def test_operator_from_credentials_then_environment_then_emulator() -> None:
    env = {export_audit.OPERATOR_ENV: "jane@corp.example"}
    got = export_audit.operator("sa@p.iam.gserviceaccount.com", env, emulator=False, local_user="x")
    assert got == export_audit.Operator("sa@p.iam.gserviceaccount.com", "credentials")
    got = export_audit.operator(None, env, emulator=False, local_user="x")
    assert got == export_audit.Operator("jane@corp.example", "environment")
    got = export_audit.operator("", {}, emulator=True, local_user="root@box")
    assert got == export_audit.Operator("local:root@box", "emulator")
    with pytest.raises(export_audit.AuditError, match="AVMEETS_OPERATOR"):
        export_audit.operator(None, {}, emulator=False, local_user="x")


def test_records_hold_leg_ids_only_in_parts() -> None:
    ids = [f"abc-defg-hij_s{i}_t{i}" for i in range(export_audit.LEG_IDS_PER_RECORD + 5)]
    docs = export_audit.records(
        export_id="20260301T120000Z-00000000",
        reference="REF-1",
        who=WHO,
        at=AT,
        scope="user",
        since=None,
        until=AT,
        fmt="csv",
        leg_ids=ids,
    )
    assert [(d["part"], d["parts"], len(d["legIds"])) for d in docs] == [
        (1, 2, export_audit.LEG_IDS_PER_RECORD),
        (2, 2, 5),
    ]
    assert [i for d in docs for i in d["legIds"]] == ids
    assert all(d["legCount"] == len(ids) for d in docs)
    assert docs[0]["expiresAt"] == AT + timedelta(days=export_audit.AUDIT_RETENTION_DAYS)
    assert [export_audit.record_id(d) for d in docs] == [
        "20260301T120000Z-00000000-1",
        "20260301T120000Z-00000000-2",
    ]
    empty = export_audit.records(
        export_id="e",
        reference="R",
        who=WHO,
        at=AT,
        scope="meeting",
        since=None,
        until=None,
        fmt="json",
        leg_ids=[],
    )
    assert [(d["part"], d["parts"], d["legIds"]) for d in empty] == [(1, 1, [])]


def test_export_ids_sort_by_time() -> None:
    a = export_audit.new_export_id(AT)
    b = export_audit.new_export_id(AT + timedelta(seconds=1))
    assert a.startswith("20260301T120000Z-") and a < b


def test_listing_merges_the_parts_of_an_export() -> None:
    docs = export_audit.records(
        export_id="X",
        reference="REF",
        who=WHO,
        at=AT,
        scope="meeting",
        since=None,
        until=None,
        fmt="json",
        leg_ids=[f"l{i}" for i in range(export_audit.LEG_IDS_PER_RECORD + 1)],
    )
    (entry,) = _audit.merged(docs)
    assert entry["complete"] is True and len(entry["legIds"]) == entry["legCount"]
    (partial,) = _audit.merged(docs[:1])
    assert partial["complete"] is False
    table = _audit.to_table(docs)
    header = ["at", "operator", "reference", "scope", "legs", "export"]
    assert table.splitlines()[0].split() == header
    assert "2026-03-01T12:00:00Z  ops@example.com  REF" in table
    assert _audit.to_table([]) == "no exports recorded\n"


def test_export_without_a_reference_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["cdr", "export", "--meeting", "abc-defg-hij"])
    assert info.value.code == 2
    assert "--reference" in capsys.readouterr().err
    assert main(["cdr", "export", "--meeting", "abc-defg-hij", "--reference", " "]) == 2
    assert "a request reference is required" in capsys.readouterr().err


def test_credential_identity_without_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", "/nonexistent/credentials.json")
    assert credential_identity() is None
