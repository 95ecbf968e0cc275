"""results.json, results.md (machine, date, a table against the targets) and results.png."""

from __future__ import annotations

import json
import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import capacity

# Issue 16's targets (issue 6's for the purge's speed-up against the naive delete).
TARGETS = {
    "ratio_vs_firebasertc": 1.0,
    "ratio_vs_floor": 3.0,
    "writes_per_connection": 8,
    "mesh8_ms": 5_000,
    "mesh_writes_per_link": 5,
    "steady_ops_per_participant_hour": 15,
    "scaling_8_vs_2": 1.5,
    "purge_speedup": 20,
    "rss_ratio": 1.2,
    "js_kb": 60,
    # The purge against the SDK's BulkWriter and the fastest public-API delete loop (issue 16).
    "purge_vs_bulkwriter": 1.0,
    "purge_vs_ceiling": 0.8,
    # One Chromium sender's total upload (issue 13): within the mesh's budget with 7 peers.
    "uplink7_kbps": 2500,
    # A removed participant's connections closed on every page that stays (issue 12), in ms.
    "removal_closed_ms": 2000,
}


#: Everything below this line of results.md is hand-written analysis, kept across runs.
MISSES = "<!-- MISSES -->"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.node()}: {os.cpu_count()} cores, {cpu}, {platform.platform()}, "
        f"Python {platform.python_version()}"
    )


def _row(name: str, value: Any, target: str, ok: bool | None) -> str:
    verdict = "n/a" if ok is None else ("met" if ok else "**missed**")
    return f"| {name} | {value} | {target} | {verdict} |"


def markdown(results: dict[str, Any]) -> str:
    c, o, p, w = results["connect"], results["ops"], results["purge"], results["web"]
    mesh = {m["peers"]: m for m in results["mesh"]}
    biggest = mesh[max(mesh)]
    js = w.get("initial_js_gzip_kb")
    rows = [
        _row(
            "join→connected, ours / FirebaseRTC",
            f"{c['ratio_vs_firebasertc']}x ({c['ours_ms']} vs {c['firebasertc_ms']} ms)",
            "≤ 1.0x",
            c["ratio_vs_firebasertc"] <= TARGETS["ratio_vs_firebasertc"],
        ),
        _row(
            "join→connected, ours / floor",
            f"{c['ratio_vs_floor']}x ({c['ours_ms']} vs {c['floor_ms']} ms)",
            "≤ 3x",
            c["ratio_vs_floor"] <= TARGETS["ratio_vs_floor"],
        ),
        _row(
            "writes per 1:1 connection (ours, total)",
            o["ours"]["writes"],
            "≤ 8",
            o["ours"]["writes"] <= TARGETS["writes_per_connection"],
        ),
        _row(
            "signal documents written per 1:1 connection, ours / FirebaseRTC",
            f"{o['ours'].get('signalling_writes', 'n/a')} / {o['firebasertc']['writes']}",
            "ours ≤ FirebaseRTC's",
            o["ours"].get("signalling_writes", 99) <= o["firebasertc"]["writes"],
        ),
        _row(
            f"{biggest['peers']}-peer mesh connected",
            f"{biggest['connect_ms']} ms",
            "≤ 5 s (8 peers)",
            biggest["connect_ms"] <= TARGETS["mesh8_ms"],
        ),
        _row(
            f"{biggest['peers']}-peer mesh writes per link",
            biggest["writes_per_link"],
            "≤ 5",
            biggest["writes_per_link"] <= TARGETS["mesh_writes_per_link"],
        ),
        _row(
            "purge speed-up vs naive",
            f"{p['speedup_vs_naive']}x",
            "≥ 20x",
            p["speedup_vs_naive"] >= TARGETS["purge_speedup"],
        ),
        _row(
            "purge peak RSS large / small",
            p["peak_rss_ratio_100k_vs_10k"],
            "≤ 1.2",
            p["peak_rss_ratio_100k_vs_10k"] <= TARGETS["rss_ratio"],
        ),
        *_purge_ratio_rows(p),
        _row("unexpired CDRs deleted", p["unexpired_deleted"], "0", p["unexpired_deleted"] == 0),
        _row(
            "initial JS gzip",
            f"{js} KB" if js is not None else f"null ({w.get('reason')})",
            "≤ 60 KB",
            None if js is None else js <= TARGETS["js_kb"],
        ),
    ]
    rows += _uplink_target_rows(results.get("uplink"))
    rows += _scaling_target_rows(c.get("scaling"))
    rows += _steady_target_rows(results.get("steady"))
    rows += _browser_target_rows(results.get("browser"))
    ops_rows = []
    for flow in ("ours", "firebasertc"):
        for part in ("signalling", "cdr"):
            d = o[flow][part]
            ops_rows.append(f"| {flow} | {part} | {d['writes']} | {d['reads']} | {d['deletes']} |")
    mesh_rows = [
        f"| {m['peers']} | {m['links']} | {m['connect_ms']} | {m['writes_per_link']} | "
        f"{m['signalling_writes_per_link']} | {m['cdr_writes_per_link']} |"
        for m in results["mesh"]
    ]
    small, large = p["small_expired"], p["large_expired"]
    lines = [
        "# AVMeets benchmarks",
        "",
        f"- date: {results.get('date') or datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- machine: {results.get('machine') or machine()}",
        f"- run: {'SMOKE (tiny sizes, not a benchmark)' if results.get('smoke') else 'full'}; "
        f"{c['runs']} connect runs per flow (medians){_warmup(c)}; Firebase Emulator Suite on "
        "this machine",
        "- peers: aiortc, one data channel, no media, loopback host candidates only",
        f"- functions counted: {o['functions_counted']} (AVMEETS_BENCH_COUNT_FILE)",
        "",
        "## Targets",
        "",
        "| measure | result | target | |",
        "|---|---|---|---|",
        *rows,
        "",
        "## Firestore operations per 1:1 connection",
        "",
        "From create_meeting / createRoom to both sides connected and the server idle; sign-ins "
        "not counted. Clients counted in the client, functions by bench/firestore_counting.py "
        "(loaded into the functions emulator's workers through bench/hook). Reads as billed (a "
        "query matching nothing costs 1).",
        "",
        "| flow | part | writes | reads | deletes |",
        "|---|---|---|---|---|",
        *ops_rows,
        "",
        f"Ours, writes by function and collection: `{o['ours']['functions_writes_by_function']}`; "
        f"clients: `{o['ours']['clients']}`. FirebaseRTC candidates written: "
        f"{o['firebasertc']['candidates']}.",
        "",
        "Ours, the functions' reads by function and collection (a query that matches nothing "
        "counts 1 under its collection, an aggregation 1 under `aggregation`): "
        f"`{o['ours'].get('functions_reads_by_function', 'not measured in this run')}`.",
        "",
        "## Full mesh",
        "",
        "| peers | links | all connected (ms) | writes/link | signalling | CDR |",
        "|---|---|---|---|---|---|",
        *mesh_rows,
        "",
        *_uplink_section(results.get("uplink")),
        *_browser_section(results.get("browser")),
        *_steady_section(results.get("steady")),
        "## Purge",
        "",
        f"- {large} expired among {2 * large}: {p[f'n{large}']}",
        f"- {small} expired among {2 * small}: {p[f'n{small}']}",
        f"- naive one-document-at-a-time delete: {p['naive_docs_per_s']} docs/s, measured on a "
        f"sample of {p['naive_sample']} expired CDRs (extra ones seeded for it)",
        "",
        *_purge_paths(results.get("purge_paths")),
        *(capacity.markdown(results["capacity"]) if results.get("capacity") else []),
        "## Misses",
        "",
        MISSES,
        "",
    ]
    return "\n".join(lines)


def _scaling_target_rows(sc: dict[str, Any] | None) -> list[str]:
    if not sc:
        return [
            _row("newcomer's join→connected, meeting of 8 / of 2", "not measured", "≤ 1.5", None)
        ]
    ms = sc["newcomer_ms"]
    small, large = (str(n) for n in sc["sizes"])
    ratio: float = sc["ratio"]
    floor = sc.get("floor")
    # The same handshakes with no server: how much of the ratio is the peers' own.
    without = (
        f"; with no server {floor['ratio']}x, {floor['newcomer_ms'][large]} vs "
        f"{floor['newcomer_ms'][small]} ms"
        if floor
        else ""
    )
    return [
        _row(
            f"newcomer's join→connected, meeting of {large} / of {small}",
            f"{ratio}x ({ms[large]} vs {ms[small]} ms, {sc['runs']} runs each{without})",
            "≤ 1.5",
            ratio <= TARGETS["scaling_8_vs_2"],
        )
    ]


def _steady_target_rows(st: dict[str, Any] | None) -> list[str]:
    if not st:
        return [
            _row(
                "steady meeting: billed operations per participant-hour",
                "not measured",
                "≤ 15",
                None,
            )
        ]
    value = st["ops_per_participant_hour"]
    return [
        _row(
            f"steady meeting of {st['people']}: billed operations per participant-hour",
            value,
            "≤ 15",
            value <= TARGETS["steady_ops_per_participant_hour"],
        )
    ]


def _steady_section(st: dict[str, Any] | None) -> list[str]:
    if not st:
        return []
    return [
        "## A steady meeting",
        "",
        f"{st['people']} aiortc peers in a full mesh, beating as the web client does (each writes "
        "its own presence document every HEARTBEAT_SECONDS, as deployed: functions/.env); "
        f"counted for {st['seconds']} s once every connection was up and the server idle "
        "(bench/steady.py). Billed = Firestore reads + writes + deletes (clients and functions) "
        "+ function invocations.",
        "",
        "| beats | reads | writes | deletes | invocations | billed | per participant-hour | "
        "still connected |",
        "|---|---|---|---|---|---|---|---|",
        f"| {st['beats']} | {st['ops']['reads']} | {st['ops']['writes']} | "
        f"{st['ops']['deletes']} | {st['invocations']} | {st['billed']} | "
        f"{st['ops_per_participant_hour']} | {st['still_connected']} |",
        "",
        "Not part of any meeting, so not above: the scheduled sweep, once a minute for the whole "
        "deployment (an invocation, one read per group of 30 sweep shards and one for the "
        "lobby's stale knocks when nobody is silent: 6; docs/capacity.md), about 420 operations "
        "an hour however many meet.",
        "",
    ]


def _uplink_target_rows(u: dict[str, Any] | None) -> list[str]:
    if not u or not u.get("kbps"):
        reason = (u or {}).get("reason", "not run")
        return [_row("uplink of one sender, 7 peers", f"null ({reason})", "≤ 2500 kbit/s", None)]
    rows = []
    if "7" in u["kbps"]:
        seven = u["kbps"]["7"]
        base = u["baseline_kbps"].get("7")
        ratio = u["ratio_vs_baseline"]["7"]
        rows.append(
            _row(
                "uplink of one sender, 7 peers (kbit/s)",
                f"{seven} (baseline without adaptation: {base}, ratio {ratio})",
                "≤ 2500",
                seven <= TARGETS["uplink7_kbps"],
            )
        )
    # One peer: a Chromium receiver when measured (people's receivers are browsers; an aiortc
    # receiver's estimate is held near 1.5x what it already gets), else the aiortc run.
    one = u["runs"].get("browser_peer", {}).get("1")
    peer = "a Chromium peer"
    if one is None and "1" in u["kbps"]:
        one, peer = u["runs"]["adapted"]["1"], "an aiortc peer"
    if one is not None:
        rows.append(
            _row(
                "uplink of one sender, 1 peer: full quality",
                f"{one['kbps']} kbit/s, {one['frame_height_median']}p ({peer})",
                "720p",
                one["frame_height_median"] >= 720,
            )
        )
    return rows


def _uplink_section(u: dict[str, Any] | None) -> list[str]:
    if not u or not u.get("kbps"):
        return []
    rows = [
        f"| {n} | {u['kbps'][n]} | {u['runs']['adapted'][n]['frame_height_median']} | "
        f"{u['runs']['adapted'][n]['caps_kbps']} | {u['baseline_kbps'][n]} | "
        f"{u['runs']['baseline'][n]['frame_height_median']} | {u['ratio_vs_baseline'][n]} |"
        for n in u["kbps"]
    ]
    return [
        "## Uplink of one sender (bandwidth adaptation)",
        "",
        f"One Chromium sender, its peers aiortc (no media of their own); after "
        f"{u['warmup_s']} s of warm-up, every byte of its transports over {u['window_s']} s. "
        f"Baseline: the same run with the adaptation switched off (every peer full quality). "
        + (
            "The one-peer case is also measured with a Chromium receiver (its own camera on), "
            "which is what the target row takes. "
            if u["runs"].get("browser_peer")
            else ""
        )
        + f"Budget: {u['budget_kbps']} kbit/s.",
        "",
        "| peers | kbit/s | sent height (median) | caps (kbit/s) | baseline kbit/s | baseline "
        "height | ratio |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        *_uplink_limits(u),
    ]


def _uplink_limits(u: dict[str, Any]) -> list[str]:
    """What limited the sent heights, for the runs that recorded it (from 2026-12-04)."""
    rows = []
    for key, label in (
        ("adapted", "adapted"),
        ("baseline", "baseline"),
        ("browser_peer", "adapted, Chromium peer"),
    ):
        for n, run in u["runs"].get(key, {}).items():
            if "limited_by" not in run:
                continue
            shares = ", ".join(f"{k} {v:.0%}" for k, v in run["limited_by"].items()) or "n/a"
            # Recorded from 2026-12-04's eighth session on (bandwidth.ts cameraPreference).
            preference = ", ".join(run.get("camera_preferences", [])) or "n/a"
            rows.append(
                f"| {n} | {label} | {run['source_height_median']} | "
                f"{run['frame_height_median']} | {run['target_kbps_median']} | "
                f"{run['estimate_kbps_median']} | {shares} | {preference} |"
            )
    if not rows:
        return []
    return [
        "Why the heights are what they are (medians over the sender's video encoders at the end "
        "of the window; the bandwidth estimate is Chromium's availableOutgoingBitrate on each "
        "connection; limited by: the share of the window its encoders spent limited by each "
        "reason, qualityLimitationDurations; camera preference: the degradationPreference the "
        "app set on the camera senders, None for the browser's default):",
        "",
        "| peers | run | camera height | sent height | encoder target (kbit/s) | bandwidth "
        "estimate (kbit/s) | limited by | camera preference |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def _browser_target_rows(b: dict[str, Any] | None) -> list[str]:
    """Join to every remote video in Chromium (issue 16): measured, no numeric target; a removed
    person's links closed (issue 12): at most two seconds."""
    if not b or not b.get("join_to_remote_video_ms"):
        reason = (b or {}).get("reason", "not run")
        return [_row("Chromium: join → all remote video playing", f"null ({reason})", "n/a", None)]
    rows = [
        _row(
            f"Chromium: join → all remote video playing, {n} people",
            f"{ms} ms (median of {b['runs'][n]})" if ms is not None else "null (no run succeeded)",
            "n/a",
            None,
        )
        for n, ms in b["join_to_remote_video_ms"].items()
    ]
    bound = TARGETS["removal_closed_ms"]
    for n, ms in (b.get("removal_to_links_closed_ms") or {}).items():
        samples = b["removal_samples_ms"][n]
        rows.append(
            _row(
                f"Chromium: a removed person's links closed on every page, {n} people",
                f"{ms} ms (median of {len(samples)}, the host's click to the last page's close)"
                if ms is not None
                else "null (no removal succeeded)",
                f"≤ {bound / 1000:g} s",
                None if ms is None else ms <= bound,
            )
        )
    return rows


def _browser_section(b: dict[str, Any] | None) -> list[str]:
    if not b or not b.get("join_to_remote_video_ms"):
        return []
    signals = b.get("signals_per_link") or {}  # results before it was counted have none
    rows = [
        f"| {n} | {ms} | {b['in_room_ms'][n]} | {b['connected_ms'][n]} | "
        f"{b['first_frame_ms'][n]} | {', '.join(str(x) for x in b['samples_ms'][n])} | "
        f"{signals.get(n, 'not counted')} | {_removal_cell(b, n)} | "
        f"{len(b['failures'].get(n, []))} |"
        for n, ms in b["join_to_remote_video_ms"].items()
    ]
    return [
        "## Join to every remote video, in Chromium",
        "",
        "The built web app in one Chromium (a browser context a person, fake camera and "
        "microphone, loopback only), bench/browser_join_child.py. Each run: the others meet "
        "first and see each other's video; the newcomer waits in the lobby until its camera "
        "preview plays, then presses Join now. Timed in its page from that click to the last "
        "remote tile's `<video>` playing: its track live and unmuted, videoWidth > 0, not "
        "paused, and frames advancing (a later frame presented to requestVideoFrameCallback, or "
        "currentTime growing, whichever is seen first; polled every 10 ms). Medians (ms) after "
        "one unrecorded warm-up run; in the room, connected and first frame are the same runs' "
        "intermediate times (the last remote participant's). Every participant is on this one "
        "machine, so with 4 people its cores also encode and decode the others' video "
        "(results.json: the load average at each join). Signals per connection: the signal "
        "documents of the newcomer's connections (offers, answers, trickled candidates; median "
        "of runs), counted by an admin listener until none has come for a second. "
        "Removal: then the host removes the newcomer from the people panel; from that click "
        "until every page that stays has closed its connection to the newcomer (the pages' own "
        "clocks, one machine), with the samples and the reasons the pages closed it for. "
        f"Deadline {b['deadline_ms']} ms a run.",
        "",
        "| people | join → all playing | in the room | all connected | all first frames | "
        "samples | signals per connection | removal → links closed | failed runs |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def _removal_cell(b: dict[str, Any], n: str) -> str:
    """A size's removal median (ms), its samples and the pages' reasons; results from before
    the removal was measured say so."""
    if "removal_to_links_closed_ms" not in b:
        return "not measured"
    ms = b["removal_to_links_closed_ms"][n]
    samples = ", ".join(str(x) for x in b["removal_samples_ms"][n])
    reasons = ", ".join(b["removal_reasons"][n])
    failed = len(b["removal_failures"][n])
    return f"{ms} ({samples}; {reasons}; {failed} failed)"


def _purge_ratio_rows(p: dict[str, Any]) -> list[str]:
    """The purge's docs/s against BulkWriter's and the ceiling's, same run (bench/purge_paths)."""
    rows = []
    for key, name, target in (
        ("ratio_vs_bulkwriter", "purge docs/s / BulkWriter", "purge_vs_bulkwriter"),
        ("ratio_vs_ceiling", "purge docs/s / raw batched-delete ceiling", "purge_vs_ceiling"),
    ):
        value = p.get(key)
        rows.append(
            _row(
                name,
                "not measured" if value is None else f"{value}x",
                f"≥ {TARGETS[target]}x",
                None if value is None else value >= TARGETS[target],
            )
        )
    return rows


def _ratios_sentence(paths: dict[str, Any]) -> str:
    bulk, top = paths.get("ratio_vs_bulkwriter"), paths.get("ratio_vs_ceiling")
    if bulk is None or top is None:
        return ""
    return f" The purge (`public`) runs at {bulk}x BulkWriter and {top}x the ceiling."


def _purge_paths(paths: dict[str, Any] | None) -> list[str]:
    if not paths:
        return []
    rows = [
        f"| {name} | {v['docs_per_s']} | {v['ratio_vs_public']}x | {v['peak_rss_mb']} | "
        f"{v.get('client_cpu_share', '-')} | {', '.join(str(x) for x in v['samples_docs_per_s'])} |"
        for name, v in paths["variants"].items()
    ]
    return [
        "## Purge: public API, BulkWriter, the ceiling or the client's internals",
        "",
        f"{paths['expired']} expired CDRs among {paths['total']}, deleted by the purge with each "
        f"way of deleting, {paths['rounds']} round(s) each, interleaved (median docs/s). "
        "`public` is what the functions run (names-only `Query.stream`, one `WriteBatch` per "
        "page); `private` reads RunQuery responses and commits by path through the client's "
        "internals, as the purge did before; `bulkwriter` deletes through the SDK's "
        "`BulkWriter`; `ceiling` is not the purge but the fastest public-API loop we have "
        "(one names-only query of the expired CDRs, `WriteBatch` commits of 500 on 4 threads), "
        f"the reference of what the emulator can do.{_ratios_sentence(paths)} "
        f"Measured {paths['measured_at']} on commit {paths['commit']} "
        f"({paths.get('machine') or 'this machine'}); documents wrongly deleted or left: "
        f"{paths['wrongly_deleted_or_left']}.",
        "",
        "| variant | docs/s | vs public | peak RSS (MB) | client CPU (cores) | samples |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
    ]


def load(out: Path) -> dict[str, Any]:
    """The results of the last run in ``out`` (to update one part of them)."""
    results: dict[str, Any] = json.loads((out / "results.json").read_text(encoding="utf-8"))
    md = (out / "results.md").read_text(encoding="utf-8")
    for key in ("date", "machine"):
        if key not in results:
            found = re.search(rf"^- {key}: (.+)$", md, re.M)
            results[key] = found.group(1).strip() if found else None
    return results


def chart(results: dict[str, Any], path: Path) -> None:
    import importlib

    # Imported by name: an optional dependency (bench/requirements.txt), untyped for mypy here.
    matplotlib: Any = importlib.import_module("matplotlib")
    matplotlib.use("Agg")
    plt: Any = importlib.import_module("matplotlib.pyplot")

    c, o = results["connect"], results["ops"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    names = ["ours", "FirebaseRTC", "floor"]
    axes[0].bar(
        names, [c["ours_ms"], c["firebasertc_ms"], c["floor_ms"]], color=["#2a7", "#c63", "#888"]
    )
    axes[0].set_title("join → connected, median (ms)")
    parts = ["signalling", "cdr"]
    for i, part in enumerate(parts):
        axes[1].bar(
            [x + i * 0.4 for x in range(2)],
            [o["ours"][part]["writes"], o["firebasertc"][part]["writes"]],
            0.4,
            label=part,
        )
    axes[1].set_xticks([0.2, 1.2], ["ours", "FirebaseRTC"])
    axes[1].axhline(5, color="red", linestyle="--", linewidth=1, label="target")
    axes[1].set_title("writes per 1:1 connection")
    axes[1].legend()
    mesh = results["mesh"]
    ax = axes[2]
    ax.plot([m["peers"] for m in mesh], [m["connect_ms"] / 1000 for m in mesh], "o-", label="s")
    ax.plot(
        [m["peers"] for m in mesh], [m["writes_per_link"] for m in mesh], "s--", label="writes/link"
    )
    ax.set_title("full mesh: time to all connected (s), writes/link")
    ax.set_xlabel("peers")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=80)
    plt.close(fig)


def _warmup(connect: dict[str, Any]) -> str:
    """The header's word on the unrecorded warm-up runs (none in results before 2026-12-03)."""
    warm = connect.get("warmup_ms") or {}
    ours = warm.get("ours") or []
    if not ours:
        return ""
    times = ", ".join(f"{t:.0f}" for t in ours)
    return f" after {len(ours)} unrecorded warm-up runs of each (ours: {times} ms)"


def write(results: dict[str, Any], out: Path, *, with_chart: bool = True) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    md = out / "results.md"
    previous = md.read_text(encoding="utf-8") if md.exists() else ""
    text = markdown(results)
    # Hand-written analysis of misses below the marker survives a re-run.
    # The marker stays, so the analysis survives every later run too.
    if MISSES in previous:
        analysis = previous.split(MISSES, 1)[1].strip()
        text = text.replace(MISSES, f"{MISSES}\n\n{analysis}" if analysis else MISSES)
    md.write_text(text, encoding="utf-8")
    if with_chart:
        chart(results, out / "results.png")
