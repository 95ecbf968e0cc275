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
    "removal_to_links_closed_ms": {"2": 412.0, "4": 2310.5},
    "removal_samples_ms": {"2": [400, 412, 430], "4": [2100, 2521]},
    "removal_reasons": {"2": ["participant removed"], "4": ["participant removed"]},
    "removal_failures": {"2": [], "4": ["TimeoutError: every link to close"]},
    "failures": {"4": ["TimeoutError: 60000 ms"]},
    "deadline_ms": 60000,
    "details": {},
}


def test_the_join_has_no_target_and_the_removal_two_seconds() -> None:
    rows = report._browser_target_rows(MEASURED)
    assert rows == [
        "| Chromium: join → all remote video playing, 2 people | 812.4 ms (median of 3) | n/a "
        "| n/a |",
        "| Chromium: join → all remote video playing, 4 people | 1530.0 ms (median of 3) | n/a "
        "| n/a |",
        "| Chromium: a removed person's links closed on every page, 2 people | 412.0 ms (median "
        "of 3, the host's click to the last page's close) | ≤ 2 s | met |",
        "| Chromium: a removed person's links closed on every page, 4 people | 2310.5 ms (median "
        "of 2, the host's click to the last page's close) | ≤ 2 s | **missed** |",
    ]


def test_a_removal_at_the_bound_meets_it_and_none_measured_says_so() -> None:
    at_bound = {**MEASURED, "removal_to_links_closed_ms": {"2": 2000, "4": None}}
    rows = report._browser_target_rows(at_bound)
    assert rows[2].endswith("| ≤ 2 s | met |"), rows[2]
    assert rows[3] == (
        "| Chromium: a removed person's links closed on every page, 4 people "
        "| null (no removal succeeded) | ≤ 2 s | n/a |"
    )


def test_results_from_before_the_removal_was_measured_have_no_removal_row() -> None:
    older = {k: v for k, v in MEASURED.items() if not k.startswith("removal")}
    assert len(report._browser_target_rows(older)) == 2
    assert "| 3.0 | not measured | 0 |" in "\n".join(report._browser_section(older))


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
    assert (
        "| 2 | 812.4 | 120.0 | 500.0 | 780.0 | 800.1, 812.4, 900.0 | 3.0 "
        "| 412.0 (400, 412, 430; participant removed; 0 failed) | 0 |"
    ) in text
    assert (
        "| 4 | 1530.0 | 130.0 | 900.0 | 1490.0 | 1500.0, 1530.0, 1600.2 | 3.33 "
        "| 2310.5 (2100, 2521; participant removed; 1 failed) | 1 |"
    ) in text


def test_results_from_before_the_signals_were_counted_say_so() -> None:
    older = {k: v for k, v in MEASURED.items() if k != "signals_per_link"}
    text = "\n".join(report._browser_section(older))
    assert "| 800.1, 812.4, 900.0 | not counted | 412.0 (400, 412, 430;" in text
