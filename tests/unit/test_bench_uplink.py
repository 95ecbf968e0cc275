"""The uplink benchmark's diagnosis of its sent heights (tests/browser/uplink.py, report)."""

from __future__ import annotations

from typing import Any

from bench import report
from tests.browser import uplink


def _sample(at: float, durations: dict[str, dict[str, float]]) -> uplink.Sample:
    out = uplink.Sample(at=at)
    for uid, spent in durations.items():
        out.links[uid] = uplink.LinkSample(
            bytes_sent=0,
            state="connected",
            encodings={},
            video=[{"mid": "1", "qualityLimitationDurations": spent}],
            quality={},
        )
    return out


def test_limitation_shares_count_the_window_only_over_every_encoder() -> None:
    before = _sample(0.0, {"a": {"none": 5.0, "cpu": 0.0, "bandwidth": 10.0}, "b": {"none": 15.0}})
    after = _sample(
        10.0,
        {"a": {"none": 5.0, "cpu": 2.0, "bandwidth": 18.0}, "b": {"none": 20.0, "cpu": 5.0}},
    )
    # a: cpu 2, bandwidth 8; b: none 5, cpu 5 — 20 s of encoder time in all.
    assert uplink.limitation_shares(before, after) == {"bandwidth": 0.4, "cpu": 0.35, "none": 0.25}


def test_limitation_shares_of_a_link_that_came_during_the_window_count_from_zero() -> None:
    before = _sample(0.0, {})
    after = _sample(10.0, {"a": {"bandwidth": 3.0, "none": 1.0}})
    assert uplink.limitation_shares(before, after) == {"bandwidth": 0.75, "none": 0.25}
    assert uplink.limitation_shares(after, after) == {}


def _run(height: int, **extra: Any) -> dict[str, Any]:
    return {"kbps": 500.0, "frame_height_median": height, "caps_kbps": None, **extra}


def _measured(adapted: dict[str, Any] | None = None, **runs: dict[str, Any]) -> dict[str, Any]:
    return {
        "budget_kbps": 2500,
        "warmup_s": 15.0,
        "window_s": 10.0,
        "kbps": {"1": 500.0},
        "baseline_kbps": {"1": 520.0},
        "ratio_vs_baseline": {"1": 0.962},
        "runs": {
            "adapted": {"1": adapted or _run(540)},
            "baseline": {"1": _run(540)},
            **runs,
        },
    }


def test_the_uplink_section_says_what_limited_the_heights_when_it_was_recorded() -> None:
    limits = {
        "source_height_median": 720,
        "target_kbps_median": 480.0,
        "estimate_kbps_median": 520.5,
        "limited_by": {"bandwidth": 0.8, "none": 0.2},
    }
    measured = _measured(_run(540, **limits))
    lines = report._uplink_section(measured)
    assert "| 1 | adapted | 720 | 540 | 480.0 | 520.5 | bandwidth 80%, none 20% | n/a |" in lines
    measured["runs"]["adapted"]["1"]["camera_preferences"] = ["maintain-resolution"]
    lines = report._uplink_section(measured)
    assert "| 540 | 480.0 | 520.5 | bandwidth 80%, none 20% | maintain-resolution |" in lines[-2]
    assert not any("| baseline |" in line for line in lines)  # not recorded: no row
    del measured["runs"]["adapted"]["1"]["limited_by"]
    assert not any("limited by" in line for line in report._uplink_section(measured))


def test_the_one_peer_target_takes_the_chromium_receiver_when_it_was_measured() -> None:
    with_browser = _measured(browser_peer={"1": {**_run(720), "kbps": 1500.0}})
    (row,) = [r for r in report._uplink_target_rows(with_browser) if "1 peer" in r]
    assert "1500.0 kbit/s, 720p (a Chromium peer)" in row and "| met |" in row
    assert any("Chromium receiver" in line for line in report._uplink_section(with_browser))

    (row,) = [r for r in report._uplink_target_rows(_measured()) if "1 peer" in r]
    assert "500.0 kbit/s, 540p (an aiortc peer)" in row and "**missed**" in row
    assert not any("Chromium receiver" in line for line in report._uplink_section(_measured()))
