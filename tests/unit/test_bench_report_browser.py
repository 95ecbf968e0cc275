"""results.md's rows and section for the Chromium join benchmark (bench/report.py, issue 16)."""

from __future__ import annotations

from typing import Any

from bench import report

MEASURED: dict[str, Any] = {
    "join_to_remote_video_ms": {"2": 812.4, "4": 1530.0},
    "samples_ms": {"2": [800.1, 812.4, 900.0], "4": [1500.0, 1530.0, 1600.2]},
    "runs": {"2": 3, "4": 3},
    "in_room_ms": {"2": 120.0, "4": 130.0},
    "connected_ms": {"2": 500.0, "4": 900.0},
    "first_frame_ms": {"2": 780.0, "4": 1490.0},
    "signals_per_link": {"2": 3.0, "4": 3.33},
    "failures": {"4": ["TimeoutError: 60000 ms"]},
    "deadline_ms": 60000,
    "details": {},
}


def test_measured_rows_have_no_target() -> None:
    rows = report._browser_target_rows(MEASURED)
    assert rows == [
        "| Chromium: join → all remote video playing, 2 people | 812.4 ms (median of 3) | n/a "
        "| n/a |",
        "| Chromium: join → all remote video playing, 4 people | 1530.0 ms (median of 3) | n/a "
        "| n/a |",
    ]


def test_a_size_without_a_successful_run_says_so() -> None:
    failed = {**MEASURED, "join_to_remote_video_ms": {"2": 812.4, "4": None}}
    assert "null (no run succeeded)" in report._browser_target_rows(failed)[1]


def test_smoke_or_missing_results_give_one_null_row_and_no_section() -> None:
    smoke = {"join_to_remote_video_ms": None, "reason": "smoke run"}
    assert report._browser_target_rows(smoke) == [
        "| Chromium: join → all remote video playing | null (smoke run) | n/a | n/a |"
    ]
    assert "null (not run)" in report._browser_target_rows(None)[0]
    assert report._browser_section(smoke) == []
    assert report._browser_section(None) == []


def test_the_section_has_a_row_per_size_with_samples_and_failures() -> None:
    text = "\n".join(report._browser_section(MEASURED))
    assert "## Join to every remote video, in Chromium" in text
    assert "| 2 | 812.4 | 120.0 | 500.0 | 780.0 | 800.1, 812.4, 900.0 | 3.0 | 0 |" in text
    assert "| 4 | 1530.0 | 130.0 | 900.0 | 1490.0 | 1500.0, 1530.0, 1600.2 | 3.33 | 1 |" in text


def test_results_from_before_the_signals_were_counted_say_so() -> None:
    older = {k: v for k, v in MEASURED.items() if k != "signals_per_link"}
    text = "\n".join(report._browser_section(older))
    assert "| 800.1, 812.4, 900.0 | not counted | 0 |" in text
