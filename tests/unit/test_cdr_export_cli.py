"""``avmeets cdr export`` arguments, checked before any Firestore access."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from avmeets import cdr_export
from avmeets.cli import _cdr, build_parser, main
from avmeets.cli._common import CliError


def query(*argv: str) -> cdr_export.ExportQuery:
    argv = ("--reference", "REF-1", *argv)
    return _cdr.export_query(build_parser().parse_args(["cdr", "export", *argv]))


def test_meeting_id_is_normalised() -> None:
    q = query("--meeting", "ABC DEFG HIJ")
    assert q.meeting_id == "abc-defg-hij"
    assert q.user is None


def test_user_and_times() -> None:
    q = query("--user", " Alice@Example.com ", "--since", "2026-05-01", "--until", "2026-05-01")
    assert q.user == "Alice@Example.com"
    assert q.since == datetime(2026, 5, 1, tzinfo=UTC)
    assert q.until == datetime(2026, 5, 2, tzinfo=UTC)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--meeting", "abc"], "not a meeting id"),
        (["--meeting", "abc-defg-hi1"], "not a meeting id"),
        (["--user", ""], "not an email or uid"),
        (["--user", "users/x"], "not an email or uid"),
        (["--user", "@example.com"], "not an email address"),
        (["--user", "alice@"], "not an email address"),
        (["--meeting", "abc-defg-hij", "--since", "soon"], "--since: "),
        (["--meeting", "abc-defg-hij", "--since", "2026-05-02", "--until", "2026-05-01"], "before"),
    ],
)
def test_bad_arguments(argv: list[str], message: str) -> None:
    with pytest.raises(CliError) as info:
        query(*argv)
    assert info.value.exit_code == 2
    assert message in str(info.value)


def test_bad_arguments_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cdr", "export", "--meeting", "nope", "--reference", "REF-1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("avmeets: error: not a meeting id: 'nope'")


def test_meeting_and_user_are_exclusive_and_one_is_required(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = build_parser()
    for argv in (["cdr", "export"], ["cdr", "export", "--meeting", "a", "--user", "b"]):
        with pytest.raises(SystemExit) as info:
            parser.parse_args(argv)
        assert info.value.code == 2
    assert "--meeting" in capsys.readouterr().err


def test_describe_errors() -> None:
    from google.api_core import exceptions as gexc

    assert "permission denied" in _cdr.describe(gexc.PermissionDenied("no"))
    assert "does not answer" in _cdr.describe(gexc.ServiceUnavailable("down"))
    index = _cdr.describe(gexc.FailedPrecondition("The query requires an index. Create it here"))
    assert "firebase deploy --only firestore:indexes" in index
    assert _cdr.describe(gexc.InvalidArgument("bad\nsecond line")).endswith("bad")


def test_write_output_to_a_missing_directory_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(CliError) as info:
        _cdr.write_output("x", str(tmp_path / "missing" / "out.json"))
    assert "cannot write" in str(info.value)
    target = tmp_path / "out.json"
    _cdr.write_output("data", str(target))
    assert target.read_text() == "data"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
