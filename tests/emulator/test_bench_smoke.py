"""A tiny run of the benchmarks (bench/run.py) so they cannot rot: structure only, no timings."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from bench import report
from bench.run import SMOKE, run_all


async def test_bench_smoke(tmp_path: Path) -> None:
    results = await run_all(SMOKE, build_web=False)
    # matplotlib is a bench-only dependency (bench/requirements.txt); chart it where installed.
    has_matplotlib = importlib.util.find_spec("matplotlib") is not None
    report.write(results, tmp_path, with_chart=has_matplotlib)

    data = json.loads((tmp_path / "results.json").read_text())
    for key in ("ours_ms", "firebasertc_ms", "floor_ms", "ratio_vs_firebasertc", "ratio_vs_floor"):
        assert isinstance(data["connect"][key], (int, float)), key
    # The newcomer's scaling, and the same handshakes with no server beside it (the floor).
    scaling = data["connect"]["scaling"]
    for part in (scaling, scaling["floor"]):
        assert sorted(part["newcomer_ms"]) == ["2", "3"] and part["ratio"] > 0
    for flow, ops in (
        ("ours", ("writes", "reads", "deletes")),
        ("firebasertc", ("writes", "reads")),
    ):
        for op in ops:
            assert isinstance(data["ops"][flow][op], int), (flow, op)
    # The codelab flow writes the room, its answer and one document per candidate.
    assert data["ops"]["firebasertc"]["writes"] == 2 + data["ops"]["firebasertc"]["candidates"]
    # Our clients write one offer and one answer, and delete both once applied.
    # The clients write the answer; the offer goes with the join (join_meeting writes it).
    assert data["ops"]["ours"]["clients"]["writes"] == 1
    # join_meeting's offer is seen only where the functions' operations are counted.
    counted = data["ops"]["functions_counted"]
    assert data["ops"]["ours"]["signalling_writes"] == (2 if counted else 1)
    assert data["ops"]["ours"]["clients"]["deletes"] == 2
    assert [m["peers"] for m in data["mesh"]] == list(SMOKE.mesh)
    for entry in data["mesh"]:
        assert isinstance(entry["connect_ms"], (int, float))
        assert isinstance(entry["writes_per_link"], (int, float))
    assert data["purge"]["unexpired_deleted"] == 0
    assert isinstance(data["purge"]["speedup_vs_naive"], (int, float))
    assert isinstance(data["purge"]["peak_rss_ratio_100k_vs_10k"], (int, float))
    # Issue 16: the purge against BulkWriter and the ceiling, measured in the same run.
    for key in ("ratio_vs_bulkwriter", "ratio_vs_ceiling"):
        assert isinstance(data["purge"][key], (int, float)), key
    assert data["purge_paths"]["wrongly_deleted_or_left"] == 0
    assert "initial_js_gzip_kb" in data["web"]
    # The capacity model at the three scales, beside the load simulation's counts (issue 20).
    capacity = data["capacity"]
    assert [s["participants_per_day"] for s in capacity["scales"]] == [1_000, 100_000, 10_000_000]
    for scale in capacity["scales"]:
        assert scale["ops_per_day"]["writes"] > 0 and scale["first_limit"]["name"]
    sim = capacity["simulation"]
    assert sim["scenario"]["joins"] == SMOKE.load_meetings * SMOKE.load_size
    assert {r["count"] for r in sim["agreement"]["rows"]} >= {"join.writes", "heartbeat.writes"}
    assert not sim["peer_errors"], sim["peer_errors"]
    assert (tmp_path / "results.md").read_text().startswith("# AVMeets benchmarks")
    if has_matplotlib:
        assert (tmp_path / "results.png").stat().st_size > 0
    # The hand-written analysis below the marker survives later runs (two, not just one).
    md = tmp_path / "results.md"
    md.write_text(md.read_text() + "\nThe join misses because of X.\n")
    for _ in range(2):
        report.write(results, tmp_path, with_chart=False)
        text = md.read_text()
        assert report.MISSES in text and text.count("The join misses because of X.") == 1
