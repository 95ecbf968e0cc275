"""The mesh scales its bandwidth: one Chromium sender's uplink with one and with seven peers, a
camera between two browsers at its planned 720p at once (and the plan still applied by a browser
that refuses the camera preference), and receivers that ask for less (audio only, the tiles
folded away beside a presentation).

The peers of the uplink test are aiortc (tests/emulator/support/peer.py) without media of their
own, so that seven of them stay cheap on two cores; they join first and the browser last, so the
browser offers every slot to each of them. Rates are bytes counted by the browser's own transport
stats over a window (headers, RTCP and data included), and the senders' caps read back from
RTCRtpSender.getParameters(): no wall-clock assertion.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest_asyncio
from playwright.async_api import expect

from tests.emulator.support.deadline import wait_for
from tests.emulator.support.peer import MeetingPeer

from . import uplink
from .conftest import PersonFactory
from .support import Person

#: Seconds over which the upload rate is measured, once the plan is applied.
WINDOW = 8.0
#: Full quality (web/src/core/meeting/bandwidth.ts): 720p, 30 frames/s, up to 1.8 Mbit/s.
FULL_BITRATE = 1_800_000

_NO_VIDEO = re.compile(r"\bno-video\b")

RobotFactory = Callable[[int], Awaitable[list[MeetingPeer]]]


@pytest_asyncio.fixture
async def robots() -> AsyncIterator[RobotFactory]:
    """`await robots(n)`: n signed-in aiortc peers that send no media; all disposed at the end."""
    made: list[MeetingPeer] = []

    async def make(n: int) -> list[MeetingPeer]:
        group = [
            MeetingPeer(f"robot{len(made) + i}", ip=f"203.0.113.{10 + len(made) + i}", media=False)
            for i in range(n)
        ]
        made.extend(group)
        await asyncio.gather(*(peer.sign_in() for peer in group))
        return group

    try:
        yield make
    finally:
        for peer in made:
            with contextlib.suppress(Exception):
                await peer.dispose()


async def _plan(alice: Person, check: Callable[[uplink.Sample], bool], what: str) -> uplink.Sample:
    last: list[uplink.Sample] = []

    async def applied() -> bool:
        last[:] = [await uplink.sample(alice.page)]
        return check(last[0])

    await wait_for(applied, timeout=30.0, what=what, describe=lambda: repr(last[-1:]), interval=0.5)
    return last[0]


def _camera(link: uplink.LinkSample) -> dict[str, Any]:
    return dict(link.encodings.get("camera") or {})


async def test_uplink_full_quality_with_one_peer_and_within_budget_with_seven(
    people: PersonFactory, robots: RobotFactory
) -> None:
    alice = await people("alice")

    # One peer: the camera goes at full quality.
    await uplink.meet(alice, await robots(1), "Uplink, one peer")

    def full(s: uplink.Sample) -> bool:
        cameras = [_camera(link) for link in s.links.values()]
        return (
            len(cameras) == 1
            and cameras[0].get("scaleResolutionDownBy") == 1
            and (
                cameras[0].get("maxBitrate") == FULL_BITRATE
                and cameras[0].get("maxFramerate") == 30
            )
        )

    await _plan(alice, full, "the single peer's full-quality encoding")

    async def sends_720p() -> bool:
        s = await uplink.sample(alice.page)
        return any(v["frameHeight"] == 720 for link in s.links.values() for v in link.video)

    await wait_for(sends_720p, timeout=45.0, what="Alice to send 720p to her single peer")
    one_kbps, _ = await uplink.measure(alice.page, WINDOW)
    await alice.screenshot("one-peer")

    # Seven peers, a new meeting: everything Alice sends fits the budget, and all get video.
    await alice.page.get_by_role("button", name="Leave the meeting", exact=True).click()
    await expect(alice.page.get_by_role("heading", name="You left the meeting")).to_be_visible()
    await uplink.meet(alice, await robots(7), "Uplink, seven peers")

    def within(s: uplink.Sample) -> bool:
        return len(s.links) == 7 and uplink.capped_kbps(s) <= uplink.UPLINK_BUDGET_KBPS

    planned = await _plan(alice, within, "caps within the budget on all seven connections")
    for uid, link in planned.links.items():
        camera = _camera(link)
        assert camera.get("active") is not False, (uid, camera)
        assert camera["scaleResolutionDownBy"] >= 2, (uid, camera)
    seven_kbps, last = await uplink.measure(alice.page, WINDOW)
    await alice.screenshot("seven-peers")
    assert seven_kbps <= uplink.UPLINK_BUDGET_KBPS, (seven_kbps, last)
    # Every peer still gets moving video (a budget met by starving someone would not count).
    for uid, link in last.links.items():
        assert any(v["framesPerSecond"] > 0 for v in link.video), (uid, link)
    # And the single peer got more than all seven together would allow each one.
    assert one_kbps > seven_kbps / 7 * 2, (one_kbps, seven_kbps)


#: A browser without degradationPreference: its setParameters refuses parameters that carry one.
_REFUSE_PREFERENCE = """(() => {
    const set = RTCRtpSender.prototype.setParameters;
    RTCRtpSender.prototype.setParameters = function (parameters, ...rest) {
        if (parameters && parameters.degradationPreference !== undefined) {
            return Promise.reject(new TypeError("degradationPreference is not supported"));
        }
        return set.call(this, parameters, ...rest);
    };
})();"""


async def test_a_browser_that_refuses_the_camera_preference_still_gets_the_plan(
    people: PersonFactory, robots: RobotFactory
) -> None:
    alice = await people("alice")
    await alice.context.add_init_script(_REFUSE_PREFERENCE)
    (robot,) = await robots(1)
    await uplink.meet(alice, [robot], "Refused preference")

    def planned(s: uplink.Sample) -> bool:
        camera = _camera(s.links[robot.uid]) if robot.uid in s.links else {}
        return camera.get("maxBitrate") == FULL_BITRATE and camera.get("maxFramerate") == 30

    # The encodings are set without the preference (bandwidth.ts plans one on every link).
    last = await _plan(alice, planned, "the plan's camera encoding without the preference")
    assert last.links[robot.uid].camera_preference is None, last.links[robot.uid]


async def _camera_to(alice: Person, uid: str) -> dict[str, Any]:
    return _camera((await uplink.sample(alice.page)).links[uid])


async def test_receivers_ask_for_less(people: PersonFactory) -> None:
    alice = await people("alice")
    bob = await people("bob")
    meeting_id = await alice.create_meeting(title="Asking for less")
    await alice.join_now()
    await bob.join(meeting_id)
    await bob.wait_connected(alice)
    await bob.wait_video(alice)

    # Chromium's own adaptation starts a camera at 180p and steps up for about 25 s; the
    # connection between two browsers carries Alice's full plan, so her camera is told to keep
    # the planned 720p (bandwidth.ts, cameraPreference) and sends it within seconds.
    last: list[uplink.LinkSample] = []

    async def keeps_720p() -> bool:
        last[:] = [(await uplink.sample(alice.page)).links[bob.uid]]
        link = last[0]
        return link.camera_preference == "maintain-resolution" and any(
            v["frameHeight"] == 720 for v in link.video
        )

    await wait_for(
        keeps_720p,
        timeout=20.0,
        what="Alice's camera to Bob at the planned 720p",
        describe=lambda: repr(last[-1:]),
        interval=0.5,
    )

    async def camera_active(expected: bool) -> None:
        await wait_for(
            lambda: _camera_active(alice, bob.uid, expected),
            timeout=20.0,
            what=f"Alice's camera encoding to Bob active={expected}",
        )

    await camera_active(True)

    screen: dict[str, Any] = {}

    async def screen_on() -> bool:
        screen.clear()
        screen.update(await _encoding(alice, bob.uid, "screen"))
        return screen.get("active") is not False and screen.get("maxBitrate", 0) > 0

    async def screen_active() -> None:
        await wait_for(
            screen_on,
            timeout=20.0,
            what="Alice's screen encoding to Bob active",
            describe=lambda: repr(screen),
        )

    # Audio only on Bob's side: Alice stops encoding her camera for him (and he shows her avatar).
    await bob.control("Audio only")
    await camera_active(False)
    await expect(bob.tile(alice.uid)).to_have_class(_NO_VIDEO)
    await bob.control("Audio only")
    await camera_active(True)

    # Alice presents. Bob asked for her screen before she shared it (as his stage would show
    # it), so her screen goes out at once, without a want from him that knows of it: the wants
    # he sends from now on are dropped until the presentation plays on his page.
    await bob.page.evaluate(_HOLD_WANTS)
    await alice.page.get_by_role("button", name="Present: share your screen", exact=True).click()
    await screen_active()
    await expect(bob.page.locator(".presentation")).to_have_attribute(
        "data-live", "true", timeout=30_000
    )
    assert await bob.page.evaluate("window.__heldWants.length") > 0  # the hold held something
    await bob.page.evaluate("window.__heldWants = null")

    # Bob folds the tiles away beside the presentation: her camera to him stops, her screen to
    # him goes on.
    await bob.page.get_by_role("button", name="Hide people", exact=True).click()
    await camera_active(False)
    # Polled, as the camera is: one plan sets her camera's encoding and after it her screen's
    # (linkMedia.ts, applyPlan). A clean-clone CI read it once, in between.
    await screen_active()
    await bob.screenshot("tiles-folded")
    await bob.page.get_by_role("button", name="Show people", exact=True).click()
    await camera_active(True)


#: In a receiver's page: its "want" messages are kept back (in window.__heldWants, until that is
#: set to null) instead of sent; the app takes them as sent.
_HOLD_WANTS = """() => {
    window.__heldWants = [];
    const send = RTCDataChannel.prototype.send;
    RTCDataChannel.prototype.send = function (data) {
        if (window.__heldWants && typeof data === "string" && data.includes('"t":"want"')) {
            window.__heldWants.push(data);
            return;
        }
        return send.call(this, data);
    };
}"""


async def _encoding(alice: Person, uid: str, slot: str) -> dict[str, Any]:
    return dict((await uplink.sample(alice.page)).links[uid].encodings.get(slot) or {})


async def _camera_active(alice: Person, uid: str, expected: bool) -> bool:
    camera = await _camera_to(alice, uid)
    return (camera.get("active") is not False) == expected
