"""Benchmark 8 (issue 16): in the built web app in Chromium, how long a newcomer waits from
pressing "Join now" until every other participant's video plays on its page, with 2 and 4 people.

    python -m bench.browser_join_child [--sizes 2,4] [--runs 5,3]

Run by bench/run.py in a child process, as bench/uplink_child.py is: it moves into the browser
tests' loopback-only network namespace (tests/browser/island.py) with one Chromium (fake camera
and microphone, tests/browser/support.py) and serves web/dist on the island's 127.0.0.1.

Each run starts afresh: N people sign in (one browser context each), N-1 of them meet (the first
creates the meeting from its home page, the others join from theirs) until each sees every other
one's video; then the newcomer opens the meeting's link, waits in the lobby until its own camera
preview plays, and presses "Join now". A script in the newcomer's page times, from that click
(performance.now() in a capture-phase click listener), for each remote participant:

- connected: its tile's data-state became "connected" (polled every 10 ms, also after the
  videos play: a tile can say so after its first frames);
- first frame: the tile's `<video>` had a frame (a requestVideoFrameCallback, or the 10 ms
  poll, whichever saw it first) while its srcObject's video track was live and unmuted, the
  element not paused and videoWidth > 0;
- playing: under the same conditions, frames advanced: a later frame was presented
  (presentedFrames grew) or currentTime grew past its value at the first frame, whichever was
  seen first. The run's time is the last remote participant's "playing".

An admin listener on the meeting's signals (tests/emulator/support/signal_watch.py) counts the
signal documents of the newcomer's connections, by type, from the click until none has come for
QUIET_S: how many writes the web client's signalling takes per connection.

Then the host removes the newcomer (people panel, "Remove ... from the meeting", the
confirmation), and each page that stays times, from that click (Date.now(): one clock for every
page on this machine), until its meeting dropped its connection to the newcomer; the run's
removal time is the last page's, and the reason each page gave for closing the link is kept (the
roster's "participant removed" is the prompt path: tests/browser/test_host_controls.py holds that
it is the one taken). The host-controls issue's bound is two seconds.

One unrecorded 2-person run first warms the functions emulator's workers up.
Prints one JSON line (medians and samples).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT, ROOT / "functions"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from playwright.async_api import Browser, expect  # noqa: E402

from bench.chromium import chromium_session  # noqa: E402
from tests.browser.support import (  # noqa: E402
    DIST,
    EXPECT_TIMEOUT_MS,
    PUT_OUT,
    Emulators,
    Person,
)
from tests.emulator.support.admin import clean_all  # noqa: E402
from tests.emulator.support.deadline import wait_for, wait_until_stable  # noqa: E402
from tests.emulator.support.signal_watch import SignalWatch, watch_signals  # noqa: E402

# As in the browser tests (Playwright's default of 5 s is short for the lobby of a 2-core machine
# busy with three other participants).
expect.set_options(timeout=EXPECT_TIMEOUT_MS)

#: How long the newcomer may wait for every remote video before the run counts as failed.
DEADLINE_MS = 60_000
#: The signals of the newcomer's connections are counted once none has come for this long (s).
QUIET_S = 1.0
#: Runs per meeting size (people, newcomer included).
DEFAULT_RUNS = {2: 5, 4: 3}

#: Installed in the newcomer's page in the lobby, before the click; fills window.__joinWatch.
_WATCH = """(expected) => {
    const w = { t0: null, expected, connected: {}, firstFrame: {}, playing: {}, method: {},
                inRoom: null };
    window.__joinWatch = w;
    document.addEventListener("click", (event) => {
        const button = event.target instanceof Element ? event.target.closest("button") : null;
        if (w.t0 === null && button && button.type === "submit") w.t0 = performance.now();
    }, true);
    const live = (v) => {
        const stream = v.srcObject;
        const track = stream && stream.getVideoTracks ? stream.getVideoTracks()[0] : null;
        return !!track && track.readyState === "live" && !track.muted && !v.paused
            && v.videoWidth > 0;
    };
    const state = new Map();  // video element -> { uid, frames, time }
    const seen = (uid, at, how) => {
        if (w.playing[uid] === undefined) { w.playing[uid] = at; w.method[uid] = how; }
    };
    const watch = (uid, v) => {
        if (state.has(v)) return;
        const s = { uid, frames: null, time: null };
        state.set(v, s);
        if (!v.requestVideoFrameCallback) return;
        const onFrame = (now, meta) => {
            if (w.t0 !== null && live(v)) {
                if (s.frames === null) {
                    s.frames = meta.presentedFrames;
                    s.time = v.currentTime;
                    if (w.firstFrame[uid] === undefined) w.firstFrame[uid] = now - w.t0;
                } else if (meta.presentedFrames > s.frames) {
                    seen(uid, now - w.t0, "frame callback");
                    return;
                }
            }
            v.requestVideoFrameCallback(onFrame);
        };
        v.requestVideoFrameCallback(onFrame);
    };
    const tick = () => {
        if (w.t0 === null) return;
        const at = performance.now() - w.t0;
        if (w.inRoom === null && document.querySelector('button[aria-label="Leave the meeting"]')) {
            w.inRoom = at;
        }
        for (const uid of expected) {
            const tile = document.querySelector(`.tile[data-uid="${uid}"]`);
            if (!tile) continue;
            if (w.connected[uid] === undefined && tile.dataset.state === "connected") {
                w.connected[uid] = at;
            }
            const v = tile.querySelector("video");
            if (!v) continue;
            watch(uid, v);
            const s = state.get(v);
            if (!live(v)) continue;
            if (s.time === null) {
                s.time = v.currentTime;
                if (w.firstFrame[uid] === undefined) w.firstFrame[uid] = at;
            } else if (v.currentTime > s.time) {
                seen(uid, at, "currentTime");
            }
        }
        // Until every tile also said "connected": a tile's state can follow its first frames
        // (the connection's state event comes after them), and stopping at the last video
        // lost those runs' connected times. At most 10 s past the last video.
        const all = (times) => Object.keys(times).length >= expected.length;
        if (all(w.playing)) {
            w.allPlayingAt ??= at;
            if (all(w.connected) || at - w.allPlayingAt > 10000) clearInterval(w.timer);
        }
    };
    w.timer = setInterval(tick, 10);
}"""

_ALL_PLAYING = "(n) => !!window.__joinWatch && Object.keys(window.__joinWatch.playing).length >= n"

#: The lobby's own camera preview plays (the newcomer is ready to press Join).
_PREVIEW_PLAYS = """() => {
    const v = document.querySelector(".lobby-preview video");
    return !!v && v.readyState >= 2 && v.videoWidth > 0 && !v.paused;
}"""


def log(message: str) -> None:
    print(f"bench browser > {message}", file=sys.stderr, flush=True)


async def one_run(browser: Browser, web_url: str, emulators: Emulators, n: int) -> dict[str, Any]:
    people: list[Person] = []
    try:
        for i in range(n):
            person = await Person.create(
                browser, f"p{i}", web_url=web_url, emulators=emulators, test_name="bench"
            )
            people.append(person)
            await person.sign_in()
        *present, newcomer = people
        host = present[0]
        meeting_id = await host.create_meeting(title=f"join bench {n}")
        await host.join_now()
        for person in present[1:]:
            await person.join(meeting_id)
        for person in present:
            for other in present:
                if other is not person:
                    await person.wait_connected(other)
                    await person.wait_video(other)

        page = newcomer.page
        await newcomer.open_link(meeting_id)
        button = page.get_by_role("button", name="Join now", exact=True)
        await expect(button).to_be_enabled()
        await page.wait_for_function(_PREVIEW_PLAYS, timeout=30_000, polling=100)
        async with watch_signals(meeting_id) as signal_watch:
            await page.evaluate(_WATCH, [p.uid for p in present])
            load = os.getloadavg()[0]
            await button.click()
            await page.wait_for_function(
                _ALL_PLAYING, arg=len(present), timeout=DEADLINE_MS, polling=100
            )
            signals = await _signals_when_quiet(signal_watch, newcomer.uid)
        watch = await page.evaluate(
            "() => { const w = window.__joinWatch; return { t0: w.t0, connected: w.connected,"
            " firstFrame: w.firstFrame, playing: w.playing, method: w.method,"
            " inRoom: w.inRoom }; }"
        )
        if watch["t0"] is None:
            raise RuntimeError("the click on Join now was not seen in the page")
        playing = [float(v) for v in watch["playing"].values()]
        try:
            removal = await _removal(host, present, newcomer)
        except Exception as error:  # the join's sample stands; the removal's failure is kept
            removal = {"ms": None, "error": f"{type(error).__name__}: {str(error).splitlines()[0]}"}
            log(f"{n} people, removal failed: {error}")
        return {
            "people": n,
            "ms": round(max(playing), 1),
            "in_room_ms": None if watch["inRoom"] is None else round(watch["inRoom"], 1),
            "connected_ms": _last(watch["connected"]),
            "first_frame_ms": _last(watch["firstFrame"]),
            "per_remote_playing_ms": sorted(round(v, 1) for v in playing),
            "methods": sorted(set(watch["method"].values())),
            "signals_per_link": round(sum(signals.values()) / len(present), 2),
            "signals_by_type": signals,
            "console_errors": sum(len(p.console_errors) for p in people),
            "loadavg_1min_at_join": round(load, 2),
            "removal": removal,
        }
    finally:
        for person in people:
            try:
                await person.close()
            except Exception as error:  # a benchmark reports, it does not stop at cleanup
                log(f"closing {person.label}: {error}")
        await clean_all()


async def _removal(host: Person, staying: list[Person], removed: Person) -> dict[str, Any]:
    """The host removes ``removed``; ms from the click until every page in ``staying`` has
    dropped its connection to them, and the reasons the pages closed it for."""
    removed.allow_console_error(PUT_OUT)  # a removed page's calls are refused, as they should be
    for person in staying:
        await person.watch_links()
    clicked = await host.remove(removed.uid, removed.name)

    async def all_closed() -> list[dict[str, Any]] | None:
        seen = [await person.dropped_link(removed.uid) for person in staying]
        return [d for d in seen if d is not None] if all(seen) else None

    closed = await wait_for(
        all_closed, timeout=DEADLINE_MS / 1000, interval=0.1, what="every link to close"
    )
    return {
        "ms": max(int(d["at"]) - clicked for d in closed),
        "per_page_ms": sorted(int(d["at"]) - clicked for d in closed),
        "reasons": sorted({str(d["reason"]) for d in closed}),
    }


async def _signals_when_quiet(watch: SignalWatch, newcomer: str) -> dict[str, int]:
    """The signal documents from or to ``newcomer`` by type, once none has come for QUIET_S."""

    async def seen() -> int:
        return len(watch.lives)

    await wait_until_stable(seen, quiet=QUIET_S, timeout=30.0, what="the newcomer's signals")
    counts = Counter(life.type for life in watch.lives if newcomer in (life.sender, life.to))
    return dict(sorted(counts.items()))


def _last(times: dict[str, float]) -> float | None:
    return round(max(times.values()), 1) if times else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


async def run(runs: dict[int, int]) -> dict[str, Any]:
    details: dict[str, list[dict[str, Any]]] = {}
    warmup: float | None = None
    failures: dict[str, list[str]] = {}
    async with chromium_session(log) as (browser, web_url, emulators):
        # Unrecorded: the functions emulator starts its workers on first calls.
        started = time.perf_counter()
        try:
            warmup = (await one_run(browser, web_url, emulators, 2))["ms"]
        except Exception as error:
            log(f"warm-up run failed: {error}")
        log(f"warm-up run: {warmup} ms ({time.perf_counter() - started:.0f} s)")
        for n, count in runs.items():
            for i in range(count):
                started = time.perf_counter()
                try:
                    sample = await one_run(browser, web_url, emulators, n)
                except Exception as error:  # counted, and the other runs go on
                    failures.setdefault(str(n), []).append(
                        f"{type(error).__name__}: {str(error).splitlines()[0]}"
                    )
                    log(f"{n} people, run {i + 1}/{count} failed: {error}")
                    continue
                details.setdefault(str(n), []).append(sample)
                log(
                    f"{n} people, run {i + 1}/{count}: {sample} "
                    f"({time.perf_counter() - started:.0f} s)"
                )
    sizes = [str(n) for n in runs]
    samples = {k: [s["ms"] for s in details.get(k, [])] for k in sizes}
    removals = {
        k: [s["removal"]["ms"] for s in details.get(k, []) if s["removal"]["ms"] is not None]
        for k in sizes
    }
    return {
        "join_to_remote_video_ms": {k: _median(samples[k]) for k in sizes},
        "samples_ms": samples,
        "runs": {k: len(samples[k]) for k in sizes},
        "in_room_ms": {
            k: _median([s["in_room_ms"] for s in details.get(k, []) if s["in_room_ms"]])
            for k in sizes
        },
        "connected_ms": {
            k: _median([s["connected_ms"] for s in details.get(k, []) if s["connected_ms"]])
            for k in sizes
        },
        "first_frame_ms": {
            k: _median([s["first_frame_ms"] for s in details.get(k, []) if s["first_frame_ms"]])
            for k in sizes
        },
        "signals_per_link": {
            k: _median([s["signals_per_link"] for s in details.get(k, [])]) for k in sizes
        },
        "removal_to_links_closed_ms": {k: _median(removals[k]) for k in sizes},
        "removal_samples_ms": removals,
        "removal_reasons": {
            k: sorted({r for s in details.get(k, []) for r in s["removal"].get("reasons", [])})
            for k in sizes
        },
        "removal_failures": {
            k: [s["removal"]["error"] for s in details.get(k, []) if s["removal"].get("error")]
            for k in sizes
        },
        "failures": failures,
        "warmup_ms": warmup,
        "deadline_ms": DEADLINE_MS,
        "details": details,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in DEFAULT_RUNS))
    parser.add_argument(
        "--runs", default=",".join(str(r) for r in DEFAULT_RUNS.values()), help="per size"
    )
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",")]
    counts = [int(r) for r in args.runs.split(",")]
    if len(counts) == 1:
        counts *= len(sizes)
    if len(counts) != len(sizes) or min(sizes) < 2:
        parser.error("--runs: one count, or one per size; sizes of 2 people or more")
    if not (DIST / "index.html").is_file():
        print(
            json.dumps(
                {"join_to_remote_video_ms": None, "reason": "no web/dist (npm run build in web/)"}
            )
        )
        return 0
    result = asyncio.run(run(dict(zip(sizes, counts, strict=True))))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
