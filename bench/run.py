"""The AVMeets benchmarks (issue 6): ``nox -s bench`` runs this inside ``emulators:exec``.

    python -m bench.run [--smoke] [--out DIR] [--runs N] [--only PART]

PART: connect, connect-mesh, purge-paths, uplink, browser, capacity or steady.

Writes results.json, results.md and results.png to DIR (default bench/). ``--only purge-paths``
measures only the purge's ways of deleting (bench/purge_paths.py), ``--only connect-mesh``
sections 1 and 3 (the mesh on emulators the connect part warmed, as in the full run; it
redraws the chart), ``--only uplink`` only the uplink of one sender (bench/uplink_child.py),
``--only capacity`` only the load simulation and the capacity model (bench/load.py,
bench/capacity.py); each updates its section of the existing results. Emulator hosts come
from the variables the Firebase CLI sets (FIRESTORE_EMULATOR_HOST, FIREBASE_AUTH_EMULATOR_HOST,
FIREBASE_EMULATOR_HUB); the functions count their Firestore operations into
AVMEETS_BENCH_COUNT_FILE when the emulators were started with it and with bench/hook on their
PYTHONPATH (``nox -s bench``; bench/firestore_counting.py).

``--only browser`` measures only a newcomer's join to every remote video in Chromium, 2 and 4
people, and the host's removal of that newcomer until every other page has closed its link
(bench/browser_join_child.py), and updates its section too.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import gzip
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "functions"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from google.cloud import firestore  # noqa: E402
from google.cloud.firestore_v1.base_query import FieldFilter  # noqa: E402

from tests.emulator.support.admin import clean_all  # noqa: E402
from tests.emulator.support.config import PROJECT_ID  # noqa: E402
from tests.emulator.support.deadline import wait_for  # noqa: E402
from tests.emulator.support.peer import MeetingPeer  # noqa: E402

from . import (  # noqa: E402
    capacity,
    connect,
    floor_process,
    load,
    peer_process,
    purge_paths,
    report,
    steady,
)
from .counting import (  # noqa: E402
    ClientCounter,
    add,
    by_op,
    count_file,
    functions_ops,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Sizes:
    runs: int
    mesh: tuple[int, ...]
    purge_small: int
    purge_large: int
    naive_sample: int
    #: Expired CDRs (among twice as many) per purge-path measurement, and rounds per variant.
    paths_expired: int = 50_000
    paths_rounds: int = 3
    #: The load simulation (bench/load.py): meetings at once, people in each, heartbeat rounds.
    load_meetings: int = 5
    load_size: int = 4
    #: One round: with beats every 300 s as deployed, a round waits half of that.
    load_beat_rounds: int = 1
    #: Unrecorded runs of each connect flow before the recorded ones: the first joins start
    #: the functions' Python workers (join_meeting, on_signal, report_connection), 290-760 ms a
    #: run on 2026-12-03 against ~175 once warm, which only our flow pays (FirebaseRTC's calls
    #: no function). Their times are kept in the results (``warmup_ms``), not in the medians.
    connect_warmup: int = 3
    #: A newcomer's join in a meeting of each size: runs of each (issue 16: 8 against 2).
    scaling_runs: int = 5
    scaling_sizes: tuple[int, int] = (2, 8)
    #: The steady meeting (bench/steady.py): people, and real minutes counted: one beat
    #: interval as deployed (300 s), so that each person beats once whatever the phase.
    steady_people: int = 4
    steady_minutes: float = 5.0


FULL = Sizes(runs=20, mesh=(2, 4, 6, 8), purge_small=10_000, purge_large=100_000, naive_sample=2000)
SMOKE = Sizes(
    runs=2,
    mesh=(2, 3),
    purge_small=100,
    purge_large=200,
    naive_sample=20,
    paths_expired=100,
    paths_rounds=1,
    load_meetings=2,
    load_size=3,
    load_beat_rounds=1,
    steady_minutes=0.25,
    connect_warmup=1,
    scaling_runs=1,
    scaling_sizes=(2, 3),
)


_STARTED = time.monotonic()


def log(message: str) -> None:
    """A progress line, with the seconds since the bench started (where its time goes)."""
    print(f"bench > [{time.monotonic() - _STARTED:7.1f} s] {message}", file=sys.stderr, flush=True)


# --- 1 and 2: connect and operations ------------------------------------------------------------


async def bench_connect(runs: int, warmup: int) -> dict[str, Any]:
    ours: list[float] = []
    after: list[float] = []
    codelab: list[float] = []
    floor: list[float] = []
    warm: dict[str, list[float]] = {"ours": [], "firebasertc": [], "floor": []}
    for i in range(warmup):
        run = await connect.ours_once()
        warm["ours"].append(round(run.ms, 1))
        await connect.dispose(run.peers)
        warm["firebasertc"].append(round((await connect.firebasertc_once()).ms, 1))
        warm["floor"].append(round(await connect.floor_once(), 1))
        log(f"connect warm-up {i + 1}/{warmup} (not recorded): {warm}")
    for i in range(runs):
        run = await connect.ours_once()
        ours.append(run.ms)
        await connect.dispose(run.peers)
        run = await connect.ours_once(offer_in_join=False)
        after.append(run.ms)
        await connect.dispose(run.peers)
        codelab.append((await connect.firebasertc_once()).ms)
        floor.append(await connect.floor_once())
        log(
            f"connect run {i + 1}/{runs}: ours {ours[-1]:.0f} ms (offer after the join "
            f"{after[-1]:.0f}), firebasertc {codelab[-1]:.0f} ms, floor {floor[-1]:.0f} ms"
        )
    o, f, fl = (statistics.median(x) for x in (ours, codelab, floor))
    late = statistics.median(after)
    return {
        "runs": runs,
        "ours_ms": round(o, 1),
        # The same flow with the offer written after the join returns (docs/protocol.md
        # section 4 before the offers went with the join): what that gains, in the same run.
        "ours_offer_after_join_ms": round(late, 1),
        "offer_in_join_gain_ms": round(late - o, 1),
        "firebasertc_ms": round(f, 1),
        "floor_ms": round(fl, 1),
        "ratio_vs_firebasertc": round(o / f, 3),
        "ratio_vs_floor": round(o / fl, 3),
        "warmup_ms": warm,
        "samples_ms": {
            "ours": ours,
            "ours_offer_after_join": after,
            "firebasertc": codelab,
            "floor": floor,
        },
    }


async def bench_ops() -> dict[str, Any]:
    """One counted 1:1 connection per flow, from create_meeting / createRoom to connected (the
    sign-ins before are not counted), after the server has finished what it set off."""
    counted = count_file() is not None
    counter = ClientCounter()
    await connect.count_from_quiet()
    run = await connect.ours_once(counter)
    await connect.settle(counter.moving)
    server, per_function = functions_ops()
    await connect.dispose(run.peers)
    total = add(counter.ops(), server)
    codelab = await connect.firebasertc_once()
    cl = codelab.ops
    return {
        "functions_counted": counted,
        "ours": {
            "writes": _sum(total, "writes"),
            "reads": _sum(total, "reads"),
            "deletes": _sum(total, "deletes"),
            # The signal documents (offer, answer, candidates): what FirebaseRTC's 4 writes do,
            # the clients' and those join_meeting writes for a newcomer's offers alike. The rest
            # of "signalling" is admission: the meeting, participant and presence documents
            # that join_meeting writes.
            "signalling_writes": counter.counts["signals"]
            + sum(n for key, n in per_function.items() if key.endswith(":signals:write")),
            "signalling": total["signalling"],
            "cdr": total["cdr"],
            "clients": counter.ops()["signalling"],
            "functions": server,
            "functions_writes_by_function": by_op(per_function, "write", "delete"),
            # Where the reads go: the capacity model's code reading is checked against these.
            "functions_reads_by_function": by_op(per_function, "read"),
        },
        "firebasertc": {
            "writes": _sum(cl, "writes"),
            "reads": _sum(cl, "reads"),
            "deletes": _sum(cl, "deletes"),
            "signalling": cl["signalling"],
            "cdr": cl["cdr"],
            "candidates": codelab.candidates,
        },
    }


def _sum(ops: dict[str, dict[str, int]], op: str) -> int:
    return ops["signalling"][op] + ops["cdr"][op]


async def bench_scaling(sizes: tuple[int, ...], runs: int) -> dict[str, Any]:
    """A newcomer's join to connected with everyone, in a meeting of n (the n - 1 others
    already meshed and the server idle, not timed, each in a process of its own, as on their
    own machines):
    median ms per size and the ratio of the largest to the smallest (issue 16's
    ``connect.scaling_8_vs_2``). The newcomer, in this process, makes its n - 1 connections
    itself. After each run, the same newcomer handshakes with n - 1 fresh peers and no server
    (bench/floor_process.py, ``floor``): how much of the ratio is aiortc's own on this
    machine."""
    medians: dict[str, float] = {}
    samples: dict[str, list[float]] = {}
    floor_medians: dict[str, float] = {}
    floor_samples: dict[str, list[float]] = {}
    for n in sizes:
        times = []
        floor_times = []
        for run in range(runs):
            present = await peer_process.start_all(f"n{n}r{run}", n - 1)
            newcomer = MeetingPeer(
                f"n{n}r{run}new", ip=connect.next_ip(), media=False, offer_in_join=True
            )
            try:
                meeting_id = await present[0].create_meeting()
                await peer_process.join_in_turn(present, meeting_id)
                await peer_process.all_connected(present)
                await newcomer.sign_in()
                # A meeting the newcomer finds set up: the others' reports and the triggers of
                # their signals done (joining into that tail measured the machine's load, not
                # the join: its callable took 190-300 ms against 30 in a meeting of 2).
                await connect.settle(lambda: 0)
                others = [p.uid for p in present]
                # What the lobby does before the click (not timed): how many to offer to, and
                # the newcomer's signals listener started.
                expect = (await newcomer.enter_lobby(meeting_id))["present"]

                def all_connected(nc: MeetingPeer = newcomer, o: list[str] = others) -> bool:
                    return nc.connected_to_all(o)

                started = time.perf_counter()
                await newcomer.join(meeting_id, expect=expect)
                await wait_for(
                    all_connected,
                    timeout=120.0,
                    what=f"the newcomer connected to the {n - 1} others",
                    describe=newcomer.describe,
                    interval=connect.POLL,
                )
                times.append((time.perf_counter() - started) * 1000)
            finally:
                await newcomer.dispose()
                await peer_process.close_all(present)
            await clean_all()
            # The same handshakes with no server, right after (the machine's state alike).
            floor_times.append(await floor_process.newcomer_once_with(n - 1))
        samples[str(n)] = [round(t, 1) for t in times]
        medians[str(n)] = round(statistics.median(times), 1)
        floor_samples[str(n)] = [round(t, 1) for t in floor_times]
        floor_medians[str(n)] = round(statistics.median(floor_times), 1)
        ours, floor = medians[str(n)], floor_medians[str(n)]
        log(f"newcomer in a meeting of {n}: {ours} ms ({floor} ms with no server)")
    small, large = str(min(sizes)), str(max(sizes))
    return {
        "newcomer_ms": medians,
        "samples_ms": samples,
        "runs": runs,
        "sizes": [int(small), int(large)],
        "peers": "one process each (bench/peer_process.py)",
        "ratio": round(medians[large] / medians[small], 3),
        "floor": {
            "newcomer_ms": floor_medians,
            "samples_ms": floor_samples,
            "ratio": round(floor_medians[large] / floor_medians[small], 3),
        },
    }


# --- 3: mesh ----------------------------------------------------------------------------------


async def bench_mesh(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    """n participants, each in a process of its own, join one after another; the time runs
    from the first join to every chat channel open; operations are the clients' (counted in
    each process) and the functions'."""
    out = []
    for n in sizes:
        peers = await peer_process.start_all(f"mesh{n}", n)
        try:
            meeting_id = await peers[0].create_meeting()
            await connect.count_from_quiet()
            started = time.perf_counter()
            await peer_process.join_in_turn(peers, meeting_id)
            await peer_process.all_connected(peers)
            ms = (time.perf_counter() - started) * 1000
            clients = await asyncio.gather(*(p.ops() for p in peers))
            server, _ = functions_ops()
            total = functools.reduce(add, clients, server)
        finally:
            await peer_process.close_all(peers)
        links = n * (n - 1) // 2
        writes = _sum(total, "writes")
        out.append(
            {
                "peers": n,
                "links": links,
                "connect_ms": round(ms, 1),
                "writes": writes,
                "writes_per_link": round(writes / links, 2),
                "signalling_writes_per_link": round(total["signalling"]["writes"] / links, 2),
                "cdr_writes_per_link": round(total["cdr"]["writes"] / links, 2),
            }
        )
        log(f"mesh of {n}: {ms:.0f} ms, {writes / links:.2f} writes per link")
        await clean_all()
    return out


# --- 4: purge ---------------------------------------------------------------------------------


def _cdr(i: int, expired: bool) -> dict[str, Any]:
    started = NOW - timedelta(days=8 if expired else 2, seconds=i % 86_400)
    return {
        "meetingId": f"abc-defg-{i % 1000:03d}",
        "caller": f"u{i}",
        "callee": f"v{i}",
        "startedAt": started,
        "endedAt": started + timedelta(minutes=30),
        "state": "ended",
        "endCause": "hangup",
        "stats": {"rttMs": 12.5, "bytesSent": 123456, "bytesReceived": 654321},
        "expiresAt": NOW - timedelta(hours=1) if expired else NOW + timedelta(days=5),
    }


def seed(client: firestore.Client, expired: int, unexpired: int, prefix: str) -> None:
    docs = [(f"{prefix}e{i}", True) for i in range(expired)]
    docs += [(f"{prefix}k{i}", False) for i in range(unexpired)]
    chunks = [docs[i : i + 500] for i in range(0, len(docs), 500)]

    def commit(chunk: list[tuple[str, bool]]) -> None:
        batch = client.batch()
        for n, (doc_id, is_expired) in enumerate(chunk):
            batch.set(client.collection("cdrs").document(doc_id), _cdr(n, is_expired))
        batch.commit()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(commit, chunks))


def _count(client: firestore.Client, expired: bool) -> int:
    op = "<=" if expired else ">"
    query: Any = client.collection("cdrs").where(filter=FieldFilter("expiresAt", op, NOW))
    return int(query.count().get()[0][0].value)


def naive_delete(client: firestore.Client, sample: int) -> float:
    """Documents per second, deleting expired CDRs one document at a time."""
    query = client.collection("cdrs").where(filter=FieldFilter("expiresAt", "<=", NOW))
    refs = [s.reference for s in query.select([]).limit(sample).stream()]
    started = time.perf_counter()
    for ref in refs:
        ref.delete()
    return len(refs) / (time.perf_counter() - started)


def child(module: str, *args: str, timeout: float, check: bool) -> subprocess.CompletedProcess[str]:
    """``python -m <module> <args>`` in a child process with the repository on its path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "functions")])
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=check,
        timeout=timeout,
    )


def run_purge_child(variant: str = "public") -> dict[str, Any]:
    result = child(
        "bench.purge_child", NOW.isoformat(), PROJECT_ID, variant, timeout=1200, check=True
    )
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


async def bench_purge(sizes: Sizes) -> dict[str, Any]:
    client = firestore.Client(project=PROJECT_ID)
    try:
        results: dict[str, Any] = {}
        for expired in (sizes.purge_small, sizes.purge_large):
            await clean_all()
            large = expired == sizes.purge_large
            extra = sizes.naive_sample if large else 0
            started = time.perf_counter()
            seed(client, expired + extra, expired, prefix="")
            log(f"seeded {2 * expired + extra} CDRs in {time.perf_counter() - started:.0f} s")
            if large:
                results["naive_docs_per_s"] = round(naive_delete(client, extra), 1)
                results["naive_sample"] = extra
            assert _count(client, True) == expired
            child = run_purge_child()
            left_unexpired = _count(client, False)
            results[f"n{expired}"] = {
                "expired": expired,
                "total": 2 * expired,
                "deleted": child["deleted"],
                "seconds": round(child["seconds"], 2),
                "docs_per_s": round(child["deleted"] / child["seconds"], 1),
                "peak_rss_mb": round(child["maxrss_kb"] / 1024, 1),
                "unexpired_deleted": expired - left_unexpired,
                "expired_left": _count(client, True),
            }
            log(f"purge of {expired} among {2 * expired}: {results[f'n{expired}']}")
        small = results[f"n{sizes.purge_small}"]
        big = results[f"n{sizes.purge_large}"]
        results.update(
            small_expired=sizes.purge_small,
            large_expired=sizes.purge_large,
            docs_per_s=big["docs_per_s"],
            speedup_vs_naive=round(big["docs_per_s"] / results["naive_docs_per_s"], 2),
            peak_rss_ratio_100k_vs_10k=round(big["peak_rss_mb"] / small["peak_rss_mb"], 3),
            unexpired_deleted=small["unexpired_deleted"] + big["unexpired_deleted"],
        )
        await clean_all()
        return results
    finally:
        client.close()


async def bench_purge_paths(sizes: Sizes) -> dict[str, Any]:
    """The purge's public-API path (what the functions run) against the SDK's BulkWriter, the
    fastest public-API delete loop (the ceiling) and the client's internals (what the purge used
    before), on the same data, rounds interleaved."""
    client = firestore.Client(project=PROJECT_ID)
    n = sizes.paths_expired
    rates: dict[str, list[float]] = {v: [] for v in purge_paths.VARIANTS}
    rss: dict[str, list[float]] = {v: [] for v in purge_paths.VARIANTS}
    cpu: dict[str, list[float]] = {v: [] for v in purge_paths.VARIANTS}
    wrong = 0
    try:
        for round_ in range(sizes.paths_rounds):
            for variant in purge_paths.VARIANTS:
                await clean_all()
                seed(client, n, n, prefix="")
                child = run_purge_child(variant)
                wrong += (n - _count(client, False)) + _count(client, True)
                rates[variant].append(child["deleted"] / child["seconds"])
                rss[variant].append(child["maxrss_kb"] / 1024)
                cpu[variant].append(child["cpu_seconds"] / child["seconds"])
                log(f"purge path {variant} round {round_ + 1}: {rates[variant][-1]:.0f} docs/s")
        await clean_all()
    finally:
        client.close()
    medians = {v: round(statistics.median(r), 1) for v, r in rates.items()}
    return {
        "expired": n,
        "total": 2 * n,
        "rounds": sizes.paths_rounds,
        "variants": {
            v: {
                "docs_per_s": medians[v],
                "samples_docs_per_s": [round(x, 1) for x in rates[v]],
                "peak_rss_mb": round(max(rss[v]), 1),
                # The client's CPU seconds per second of the run (1.0: one core busy).
                "client_cpu_share": round(statistics.median(cpu[v]), 2),
                "ratio_vs_public": round(medians[v] / medians["public"], 3),
            }
            for v in purge_paths.VARIANTS
        },
        **purge_paths.purge_ratios(medians),
        "wrongly_deleted_or_left": wrong,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": report.machine(),
    }


def _purge_ratios(results: dict[str, Any]) -> None:
    """The purge-path ratios of issue 16 into ``results["purge"]`` (targets table)."""
    paths = results["purge_paths"]
    results["purge"].update(
        {k: paths[k] for k in ("ratio_vs_bulkwriter", "ratio_vs_ceiling")},
        paths_expired=paths["expired"],
    )


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "?"


# --- 6: capacity ------------------------------------------------------------------------------


def function_limits() -> dict[str, capacity.FunctionLimit]:
    """Each function's deployed defaults (avmeets.runtime_options) as the model's limits."""
    from avmeets import runtime_options

    return {
        name: capacity.FunctionLimit(
            max_instances=r.max_instances,
            concurrency=r.concurrency,
            memory_mib=r.memory_mib,
            cpu=float(r.cpu),
        )
        for name, r in runtime_options.DEFAULTS.items()
    }


def capacity_results(simulation: dict[str, Any] | None) -> dict[str, Any]:
    """The model at the three scales, with the simulation's counts when there are any (the
    model's own, read from the code, otherwise), and their agreement."""
    from avmeets import meetings
    from avmeets.services import presence

    limits = capacity.Limits(
        functions=function_limits(),
        sweep_shards=meetings.SWEEP_SHARDS,
        sweep_budget_s=presence.SWEEP_BUDGET_SECONDS,
        sweep_workers=presence.SWEEP_WORKERS,
    )
    prices = capacity.Prices()
    out: dict[str, Any] = {
        "code_read": capacity.CODE_READ.as_dict(),
        "prices": dataclasses.asdict(prices),
    }
    events = capacity.CODE_READ
    out["events_source"] = "read from the code (no simulation in this run)"
    if simulation is not None:
        measured: capacity.EventCounts = simulation["measured"]
        events = measured
        out["events_source"] = (
            f"measured by the load simulation ({simulation['peers']} peers, bench/load.py)"
        )
        predicted = capacity.predict_totals(capacity.CODE_READ, simulation["scenario"])
        total: capacity.Ops = simulation["measured_total"]
        out["simulation"] = {
            "description": (
                f"{int(simulation['scenario']['meetings'])} meetings of "
                f"{int(simulation['scenario']['size'])} at once, signalling-only aiortc peers; "
                "heartbeats, leaves, a sweep and a purge (bench/load.py)."
            ),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(simulation["seconds"], 1),
            "scenario": simulation["scenario"],
            "measured": measured.as_dict(),
            "agreement": capacity.agreement(capacity.CODE_READ, measured),
            "totals": {
                "model": predicted.rounded(1),
                "measured": total.rounded(1),
                "ratio": round(total.total / predicted.total, 3) if predicted.total else None,
            },
            "unattributed": simulation["unattributed"],
            "breakdown": simulation["breakdown"],
            "peer_errors": simulation["errors"],
        }
    out["events"] = events.as_dict()
    out["scales"] = capacity.scales(events, prices=prices, limits=limits)
    return out


async def bench_capacity(sizes: Sizes) -> dict[str, Any]:
    simulation = await load.simulate(sizes.load_meetings, sizes.load_size, sizes.load_beat_rounds)
    await clean_all()
    return capacity_results(simulation)


async def bench_steady(sizes: Sizes) -> dict[str, Any]:
    result = await steady.measure(sizes.steady_people, sizes.steady_minutes)
    await clean_all()
    log(
        f"steady meeting of {sizes.steady_people}: {result['ops_per_participant_hour']} billed "
        f"operations per participant-hour ({result['billed']} in {result['seconds']} s)"
    )
    return result


# --- 5: web bundle ----------------------------------------------------------------------------


def bench_web(build: bool) -> dict[str, Any]:
    web = ROOT / "web"
    dist = web / "dist"
    if not (dist / "index.html").is_file() and build and (web / "package.json").is_file():
        log("web/dist is missing: npm ci && npm run build in web/")
        for cmd in (["npm", "ci"], ["npm", "run", "build"]):
            if subprocess.run(cmd, cwd=web, check=False).returncode != 0:
                return {"initial_js_gzip_kb": None, "reason": f"`{' '.join(cmd)}` failed"}
    if not (dist / "index.html").is_file():
        return {"initial_js_gzip_kb": None, "reason": "no web/dist/index.html (no web build)"}
    html = (dist / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<script[^>]+type="module"[^>]+src="([^"]+)"', html)
    entries += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"', html)
    seen: list[Path] = []
    todo = [dist / e.lstrip("/") for e in entries]
    while todo:  # the entries and what they import statically (not import("..."))
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.append(path)
        code = path.read_text(encoding="utf-8")
        for spec in re.findall(
            r'(?:^|[;}\s])import\s*(?:[^"\'()]*?from\s*)?["\']([^"\']+)["\']', code
        ):
            todo.append((path.parent / spec).resolve())
    sizes = {p.name: len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in seen}
    return {
        "initial_js_gzip_kb": round(sum(sizes.values()) / 1024, 1),
        "files_gzip_bytes": sizes,
    }


# --- 6: uplink of one sender -------------------------------------------------------------------


def bench_uplink(smoke: bool) -> dict[str, Any]:
    """bench/uplink_child.py in a child process (it enters a network namespace, runs Chromium)."""
    if smoke:
        return {"kbps": None, "reason": "smoke run (needs the web build and Chromium)"}
    result = child("bench.uplink_child", timeout=1800, check=False)
    sys.stderr.write(result.stderr[-4000:])
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        return {"kbps": None, "reason": f"bench.uplink_child exited with {result.returncode}"}
    data: dict[str, Any] = json.loads(lines[-1])
    return data


# --- 6b: join to every remote video, in Chromium -------------------------------------------------


def bench_browser(smoke: bool) -> dict[str, Any]:
    """bench/browser_join_child.py in a child process (it enters a network namespace, runs
    Chromium): from pressing "Join now" to every remote video playing, 2 and 4 people, then
    from the host's removal of the newcomer to every other page's link to them closed."""
    if smoke:
        return {
            "join_to_remote_video_ms": None,
            "reason": "smoke run (needs the web build and Chromium)",
        }
    result = child("bench.browser_join_child", timeout=1800, check=False)
    sys.stderr.write(result.stderr[-4000:])
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        return {
            "join_to_remote_video_ms": None,
            "reason": f"bench.browser_join_child exited with {result.returncode}",
        }
    data: dict[str, Any] = json.loads(lines[-1])
    return data


# --- main -------------------------------------------------------------------------------------


#: One part of the bench: measures and stores its results (``--only`` runs one).
Part = Callable[[dict[str, Any], "Sizes"], Awaitable[None]]


async def _connect_part(results: dict[str, Any], sizes: Sizes) -> None:
    results["connect"] = await bench_connect(sizes.runs, sizes.connect_warmup)
    results["connect"]["scaling"] = await bench_scaling(sizes.scaling_sizes, sizes.scaling_runs)
    results["connect"]["scaling_8_vs_2"] = results["connect"]["scaling"]["ratio"]
    results["ops"] = await bench_ops()


async def _connect_mesh_part(results: dict[str, Any], sizes: Sizes) -> None:
    """Sections 1 and 3 as the full run makes them: the mesh after the connect part, on
    emulators it has warmed (on freshly started ones the mesh pays the functions' cold start)."""
    await _connect_part(results, sizes)
    await clean_all()
    results["mesh"] = await bench_mesh(sizes.mesh)


async def _purge_paths_part(results: dict[str, Any], sizes: Sizes) -> None:
    results["purge_paths"] = await bench_purge_paths(sizes)
    _purge_ratios(results)


def _one(key: str, measure: Callable[[Sizes], Any]) -> Part:
    """A part that stores what ``measure`` returns (awaited when it is a coroutine) under key."""

    async def part(results: dict[str, Any], sizes: Sizes) -> None:
        value = measure(sizes)
        results[key] = await value if asyncio.iscoroutine(value) else value

    return part


async def run_all(sizes: Sizes, *, build_web: bool) -> dict[str, Any]:
    await clean_all()
    results: dict[str, Any] = {
        "smoke": sizes is SMOKE,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": report.machine(),
    }
    log("1. join to connected, a newcomer in 8 against 2, operations per 1:1 connection")
    await _connect_part(results, sizes)
    await clean_all()
    log("3. full mesh")
    results["mesh"] = await bench_mesh(sizes.mesh)
    # The parts timed in Chromium before the purge's: in a run that ran them after the purge
    # parts had seeded and deleted hundreds of thousands of documents on the same emulators,
    # the functions took seconds where a fresh stack takes tenths (bench/results.md, the
    # nineteenth session's section).
    log("5. web bundle")
    results["web"] = bench_web(build_web)
    log("6. uplink of one sender with 1, 3 and 7 peers")
    results["uplink"] = bench_uplink(sizes is SMOKE)
    log("6b. browser: Join to every remote video playing, and a removal, 2 and 4 people")
    results["browser"] = bench_browser(sizes is SMOKE)
    log("4. purge")
    results["purge"] = await bench_purge(sizes)
    log("4b. purge: public API, BulkWriter, the ceiling, client internals")
    results["purge_paths"] = await bench_purge_paths(sizes)
    _purge_ratios(results)
    log("7. capacity: the load simulation and the model")
    results["capacity"] = await bench_capacity(sizes)
    log("8. a steady meeting: billed operations per participant-hour")
    results["steady"] = await bench_steady(sizes)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (a check, not a bench)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--runs", type=int, default=None, help="connect runs (default 20)")
    parser.add_argument(
        "--only",
        choices=[
            "connect",
            "connect-mesh",
            "purge-paths",
            "uplink",
            "browser",
            "capacity",
            "steady",
        ],
        help="measure one part and update it in the existing results",
    )
    parser.add_argument("--paths-expired", type=int, help="expired CDRs per purge-path round")
    parser.add_argument("--paths-rounds", type=int, help="rounds per purge-path variant")
    args = parser.parse_args(argv)
    sizes = SMOKE if args.smoke else FULL
    if args.runs:
        sizes = dataclasses.replace(sizes, runs=args.runs)
    if args.paths_expired:
        sizes = dataclasses.replace(sizes, paths_expired=args.paths_expired)
    if args.paths_rounds:
        sizes = dataclasses.replace(sizes, paths_rounds=args.paths_rounds)
    if args.only:  # measure one part and update it in the existing results
        parts: dict[str, Part] = {
            "connect": _connect_part,
            "connect-mesh": _connect_mesh_part,
            "purge-paths": _purge_paths_part,
            "uplink": _one("uplink", lambda _: bench_uplink(False)),
            "browser": _one("browser", lambda _: bench_browser(False)),
            "steady": _one("steady", bench_steady),
            "capacity": _one("capacity", bench_capacity),
        }
        results = report.load(args.out)

        async def measure() -> None:
            await clean_all()
            await parts[args.only](results, sizes)

        asyncio.run(measure())
        # The chart only where the part is one it draws (the connect times and the mesh).
        report.write(results, args.out, with_chart=args.only == "connect-mesh")
        log(f"updated {args.only} in {args.out / 'results.json'} and results.md")
        return 0
    results = asyncio.run(run_all(sizes, build_web=not args.smoke))
    report.write(results, args.out)
    log(f"wrote {args.out / 'results.json'}, results.md and results.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
