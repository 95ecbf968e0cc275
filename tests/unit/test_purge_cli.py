"""``avmeets purge`` without Firestore: the summary table, the progress display, bad arguments."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest

from avmeets import purge
from avmeets.cli import _purge, build_parser, main

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def report(dry_run: bool = False) -> purge.PurgeReport:
    r = purge.PurgeReport(now=NOW, dry_run=dry_run, max_stored_cdrs=1000, meeting_idle_hours=24)
    r.add("cdrs", purge.EXPIRED, 12_345)
    r.add("cdrs", purge.OVER_CAP, 7)
    r.add("meetings", purge.ENDED, 2)
    r.add("participants", purge.WITH_MEETING, 5)
    r.cdrs_counted = 1007
    r.elapsed_seconds = 1.25
    return r


def test_format_report_table() -> None:
    text = _purge.format_report(report())
    lines = text.splitlines()
    assert lines[0] == "purge at 2026-05-01T12:00:00+00:00 deleted 12,359 documents in 1.2s"
    assert "cap 1,000" in lines[1]
    header = lines[3].split()
    assert header[0] == "collection"
    assert header[-1] == "total"
    rows = {line.split()[0]: line for line in lines[5:]}
    assert rows["cdrs"].split()[-1] == "12,352"
    assert "12,345" in rows["cdrs"]
    assert rows["meetings"].split()[-1] == "2"
    assert rows["archives"].split()[-1] == "0"
    assert rows["total"].split()[-1] == "12,359"
    # Every collection of the purge has a row.
    assert set(purge.REASONS) <= set(rows)


def test_format_report_dry_run() -> None:
    assert _purge.format_report(report(dry_run=True)).startswith("Dry run: purge at ")
    assert "would delete 12,359 documents" in _purge.format_report(report(dry_run=True))


def progress(
    done: int, total: int | None, step: str = "expired", collection: str = "cdrs"
) -> purge.PurgeProgress:
    return purge.PurgeProgress(
        step=step, collection=collection, done=done, total=total, deleted=done, dry_run=False
    )


def test_render_bar() -> None:
    assert _purge.render_bar(progress(50, 200), width=10) == (
        "expired: cdrs [##........]  25%  50/200 (run: 50 deleted)"
    )
    assert _purge.render_bar(progress(300, 200), width=4).startswith("expired: cdrs [####] 100%")
    assert _purge.render_bar(progress(1234, None)) == "expired: cdrs 1,234 (run: 1,234 deleted)"


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_progress_plain_lines_are_periodic_and_skip_empty_steps() -> None:
    out = io.StringIO()
    clock = Clock()
    display = _purge.ProgressDisplay(out, tty=False, interval=5.0, monotonic=clock)
    display(progress(0, None, collection="joins"))  # an empty step says nothing
    display(progress(100, 1000))
    clock.t = 1
    display(progress(200, 1000))  # too soon
    clock.t = 6
    display(progress(300, 1000))
    clock.t = 7
    display(progress(1000, 1000))
    display(progress(0, None, collection="identities"))  # the cdrs step ended: its last line
    display.close()
    lines = out.getvalue().splitlines()
    assert [line.split("[")[0].strip() for line in lines] == ["avmeets purge: expired: cdrs"] * 3
    assert "100/1,000" in lines[0]
    assert "300/1,000" in lines[1]
    assert "1,000/1,000" in lines[2]


def test_progress_bar_on_a_terminal_redraws_one_line() -> None:
    out = io.StringIO()
    clock = Clock()
    display = _purge.ProgressDisplay(out, tty=True, monotonic=clock)
    display(progress(10, 100))
    clock.t = 0.01
    display(progress(20, 100))  # within 0.1s: not drawn
    clock.t = 0.5
    display(progress(100, 100))
    display(progress(0, None, collection="joins"))
    display.close()
    text = out.getvalue()
    assert text.count("\r\x1b[K") >= 3
    assert "20/100" not in text
    # The finished step keeps its line; the empty one leaves nothing behind.
    assert text.count("\n") == 1
    assert "100/100" in text.split("\n")[0]
    assert text.endswith("\r\x1b[K")


@pytest.mark.parametrize("now", ["tomorrow", "2026-02-30", "12:00"])
def test_bad_now_is_exit_code_2(now: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["purge", "--now", now]) == 2
    err = capsys.readouterr().err
    assert err.startswith("avmeets: error: --now: ")
    assert "Traceback" not in err


def test_bad_page_size_is_exit_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["purge", "--page-size", "0"]) == 2
    assert "--page-size" in capsys.readouterr().err


def test_help_mentions_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["purge", "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--dry-run" in out
    assert "--now" in out


def test_future_now_is_refused_against_a_real_project(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from avmeets import config

    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    config.settings.cache_clear()
    try:
        assert main(["purge", "--now", "2999-01-01"]) == 2
    finally:
        config.settings.cache_clear()
    err = capsys.readouterr().err
    assert "in the future" in err
    assert "Traceback" not in err
