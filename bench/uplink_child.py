"""Benchmark 6: what one Chromium sender uploads to 1, 3 and 7 peers, with the mesh's bandwidth
adaptation and, as the baseline in the same run, without it (the test switch
localStorage "avmeets:adaptation" = "off": every peer gets full quality, as before).

    python -m bench.uplink_child [--peers 1,3,7] [--warmup 15] [--window 10]

Run by bench/run.py in a child process: it moves into a loopback-only network namespace (the
browser tests' island, tests/browser/island.py) with Chromium and the aiortc peers, so no test
traffic leaves loopback and the other benchmarks' process stays as it was. The peers are aiortc
without media of their own; they join first and the browser last, so it offers to each of them.
The rate is the bytes of the browser's transports (media, headers, RTCP, data) over the window.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "functions"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from playwright.async_api import Browser, Page  # noqa: E402

from bench.chromium import chromium_session  # noqa: E402
from tests.browser import uplink  # noqa: E402
from tests.browser.support import DIST, Emulators, Person, video_call  # noqa: E402
from tests.emulator.support.admin import clean_all  # noqa: E402
from tests.emulator.support.peer import MeetingPeer  # noqa: E402

ADAPTATION_OFF = "try { localStorage.setItem('avmeets:adaptation', 'off'); } catch (e) {}"


def log(message: str) -> None:
    print(f"bench uplink > {message}", file=sys.stderr, flush=True)


async def one_run(
    browser: Browser,
    web_url: str,
    emulators: Emulators,
    n: int,
    adapted: bool,
    warmup: float,
    window: float,
) -> dict[str, Any]:
    robots = [MeetingPeer(f"peer{i}", ip=f"203.0.113.{20 + i}", media=False) for i in range(n)]
    alice = await Person.create(
        browser, "sender", web_url=web_url, emulators=emulators, test_name="bench"
    )
    try:
        if not adapted:
            await alice.context.add_init_script(ADAPTATION_OFF)
        await alice.sign_in()
        await asyncio.gather(*(peer.sign_in() for peer in robots))
        await uplink.meet(alice, robots, f"uplink {n} {'adapted' if adapted else 'baseline'}")
        await asyncio.sleep(warmup)  # the bandwidth estimate ramps up (a benchmark may wait)
        return await measured(alice.page, n, window)
    finally:
        await alice.close()
        for peer in robots:
            await peer.dispose()
        await clean_all()


async def measured(page: Page, n: int, window: float) -> dict[str, Any]:
    """The sender's samples at the start and end of a window of ``window`` s, summarised."""
    first = await uplink.sample(page)
    await asyncio.sleep(window)
    return summary(n, first, await uplink.sample(page))


def summary(n: int, first: uplink.Sample, last: uplink.Sample) -> dict[str, Any]:
    """One run's numbers from the sender's samples at the start and end of its window."""
    kbps = uplink.kbps(first, last)
    heights = [
        max((v["frameHeight"] for v in link.video), default=0) for link in last.links.values()
    ]
    caps = uplink.capped_kbps(last)
    problems = sorted({str(link.quality.get("problem")) for link in last.links.values()} - {"None"})
    videos = [v for link in last.links.values() for v in link.video]
    sources = [v["sourceHeight"] for v in videos if v.get("sourceHeight")]
    targets = [v["targetBitrate"] / 1000 for v in videos if v.get("targetBitrate")]
    estimates = [
        link.available_outgoing_bitrate / 1000
        for link in last.links.values()
        if link.available_outgoing_bitrate
    ]
    return {
        "peers": n,
        "kbps": round(kbps, 1),
        "per_peer_kbps": round(kbps / n, 1),
        "frame_height_median": statistics.median(heights) if heights else 0,
        "caps_kbps": None if caps == float("inf") else round(caps, 1),
        "quality_problems": problems,
        # Why the sent heights are what they are: what the camera gives, the encoders'
        # targets, the bandwidth estimates and the share of the window each encoder
        # spent limited by CPU or bandwidth (Chromium's qualityLimitationDurations).
        "source_height_median": statistics.median(sources) if sources else 0,
        "target_kbps_median": round(statistics.median(targets), 1) if targets else 0,
        "estimate_kbps_median": round(statistics.median(estimates), 1) if estimates else 0,
        "limited_by": uplink.limitation_shares(first, last),
        # What the app told each camera sender to give up first (bandwidth.ts cameraPreference).
        "camera_preferences": sorted({str(link.camera_preference) for link in last.links.values()}),
    }


async def browser_peer_run(
    browser: Browser, web_url: str, emulators: Emulators, warmup: float, window: float
) -> dict[str, Any]:
    """The one-peer case with a Chromium receiver, as between two people: aiortc's only
    congestion feedback (REMB from an estimator held to 1.5x the throughput it sees) keeps the
    sender's estimate near 1.5x what it already sends, which a browser's does not."""
    people = [
        await Person.create(browser, label, web_url=web_url, emulators=emulators, test_name="bench")
        for label in ("receiver", "sender")
    ]
    receiver, sender = people
    try:
        for person in people:
            await person.sign_in()
        await video_call(receiver, sender, title="uplink 1 Chromium peer")
        await asyncio.sleep(warmup)
        return await measured(sender.page, 1, window)
    finally:
        for person in people:
            await person.close()
        await clean_all()


async def run(peers: list[int], warmup: float, window: float) -> dict[str, Any]:
    async with chromium_session(log) as (browser, web_url, emulators):
        adapted: dict[str, Any] = {}
        baseline: dict[str, Any] = {}
        for n in peers:
            for on, into in ((True, adapted), (False, baseline)):
                started = time.perf_counter()
                into[str(n)] = await one_run(browser, web_url, emulators, n, on, warmup, window)
                log(
                    f"{n} peer(s), {'adapted' if on else 'baseline'}: {into[str(n)]} "
                    f"({time.perf_counter() - started:.0f} s)"
                )
        browser_peer: dict[str, Any] = {}
        if 1 in peers:
            browser_peer["1"] = await browser_peer_run(browser, web_url, emulators, warmup, window)
            log(f"1 Chromium peer: {browser_peer['1']}")
    return {
        "budget_kbps": uplink.UPLINK_BUDGET_KBPS,
        "warmup_s": warmup,
        "window_s": window,
        "kbps": {k: v["kbps"] for k, v in adapted.items()},
        "baseline_kbps": {k: v["kbps"] for k, v in baseline.items()},
        "ratio_vs_baseline": {
            k: round(adapted[k]["kbps"] / baseline[k]["kbps"], 3) if baseline[k]["kbps"] else None
            for k in adapted
        },
        "runs": {"adapted": adapted, "baseline": baseline, "browser_peer": browser_peer},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peers", default="1,3,7")
    parser.add_argument("--warmup", type=float, default=15.0)
    parser.add_argument("--window", type=float, default=10.0)
    args = parser.parse_args(argv)
    if not (DIST / "index.html").is_file():
        print(json.dumps({"kbps": None, "reason": "no web/dist (npm run build in web/)"}))
        return 0
    result = asyncio.run(run([int(n) for n in args.peers.split(",")], args.warmup, args.window))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
