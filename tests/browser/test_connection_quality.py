"""Connection quality: bars on the tile with the details on demand, no jargon while all is well,
and a problem said in words when it happens.

The problem is a real one: for a while the island's loopback carries UDP (the media; the
emulators' traffic is TCP and goes on untouched) through a narrow pipe with a short queue (`tc`
HTB, as a slow uplink would), then the pipe is removed. Needs the island (root): `tc` must never
touch the machine's own loopback, so without it the test is skipped.
"""

from __future__ import annotations

import contextlib
import re
import subprocess
from collections.abc import Iterator

import pytest
from playwright.async_api import expect

from tests.emulator.support.ci import require

from .conftest import PersonFactory
from .support import video_call

#: Kbit/s left for all UDP on the loopback while throttled: far below a 720p call in each direction.
THROTTLE_KBIT = 200
#: Packets queued before the pipe drops (a long queue would turn loss into seconds of delay).
QUEUE_PACKETS = 20
GOOD = re.compile(r"^[34]$")
BAD = re.compile(r"^[012]$")


def _tc(*args: str) -> None:
    result = subprocess.run(["tc", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"tc {' '.join(args)} failed: {result.stderr.strip()}", pytrace=False)


@contextlib.contextmanager
def throttled_udp(kbit: int) -> Iterator[None]:
    """UDP on the (island's) `lo` through one `kbit` class; everything else at full speed."""
    _tc("qdisc", "add", "dev", "lo", "root", "handle", "1:", "htb", "default", "10", "r2q", "1000")
    try:
        _tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit")
        rate = f"{kbit}kbit"
        _tc("class", "add", "dev", "lo", "parent", "1:", "classid", "1:20", "htb", "rate", rate)
        _tc("qdisc", "add", "dev", "lo", "parent", "1:20", "pfifo", "limit", str(QUEUE_PACKETS))
        match = ("match", "ip", "protocol", "17", "0xff", "flowid", "1:20")
        _tc(
            "filter",
            "add",
            "dev",
            "lo",
            "parent",
            "1:",
            "protocol",
            "ip",
            "prio",
            "1",
            "u32",
            *match,
        )
        yield
    finally:
        subprocess.run(
            ["tc", "qdisc", "del", "dev", "lo", "root"], capture_output=True, check=False
        )


async def test_bars_details_and_a_slow_network_said_in_words(
    people: PersonFactory, island: bool
) -> None:
    require(
        None
        if island
        else "needs the loopback island (root): tc must not throttle the machine's lo"
    )
    alice = await people("alice")
    bob = await people("bob")
    await video_call(alice, bob, title="Bars")

    # All is well: bars, and no words about the connection on the tile.
    tile = alice.tile(bob.uid)
    bars = tile.locator(".tile-bars")
    await expect(bars).to_have_attribute("data-bars", GOOD, timeout=30_000)
    await expect(tile.locator(".tile-state")).to_have_text("")
    # The details on demand, in words first.
    await bars.click()
    dialog = alice.page.get_by_role("dialog", name="Connection with Bob")
    await expect(dialog).to_contain_text("Quality")
    await expect(dialog).to_contain_text("Route")
    await expect(dialog).to_contain_text("Round trip")
    await dialog.get_by_role("button", name="Close", exact=True).click()
    await expect(dialog).to_have_count(0)

    # The network turns bad: said in words, the bars drop, the tile says it.
    await alice.record_toasts()
    with throttled_udp(THROTTLE_KBIT):
        await alice.wait_toast("Connection with Bob: ", timeout=60_000)
        await expect(bars).to_have_attribute("data-bars", BAD, timeout=30_000)
        await expect(tile.locator(".tile-state")).to_have_text(
            re.compile(r"(Bad|Poor) connection|Reconnecting…")
        )
        await alice.screenshot("bad-connection")
    # And back to normal once the pipe is gone.
    await expect(bars).to_have_attribute("data-bars", GOOD, timeout=60_000)
    await expect(tile.locator(".tile-state")).to_have_text("", timeout=30_000)
